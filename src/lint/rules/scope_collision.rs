//! `scope-collision`: two different applications expose the same scope.

use crate::lint::exposure::{Exposure, apps, different, join_and, shared};
use crate::lint::{Finding, Kind, Related, Rule, RuleDoc, Settings, Severity};
use std::sync::Arc;

pub struct ScopeCollision;

static DOC: RuleDoc = RuleDoc {
    id: "scope-collision",
    severity: Severity::Error,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "two different applications (namespace/name) expose the same scope with different entries",
    explanation: "\
Maskinporten has one registration per scope, and digdirator (nais/digdirator) matches an \
exposes entry to a registration by its subscope alone. When two applications expose the \
same fully qualified scope with entries that differ (in consumers, compared as a set of \
orgnos, or in `enabled`, `atMaxAge`, `allowedIntegrations`, `accessibleForAll`, \
`delegationSource` or `visibility`, defaults applied), both take over the same \
registration and overwrite each other's consumers and settings on every deploy; \
consumers one lists are revoked by the other. The message says which keys differ. When \
every application's entry is the same, the deploys agree and nothing is lost: that is \
`shared-scope` (info), not this rule. The rule compares every manifest linted together within one Maskinporten \
environment: dev clusters use Maskinporten's test environment and prod clusters its \
production, and two apps in different environments never meet (the environment of each \
manifest comes from its deployment: see `maskscope deployments`; one whose cluster is \
not known is compared with the others whose cluster is not known). Each entry involved \
is reported, naming the others, so that a change to any of the files shows the \
finding. An application is identified by \
`metadata.namespace`/`metadata.name` (a manifest without a namespace matches any \
namespace), so the same application in several files, one per environment, is not a \
collision. Manifests whose `spec.maskinporten.enabled` is not true are left out: nothing \
is provisioned for them. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): an exposed scope is \
matched to a registration by its subscope alone (since d6f01cc, 2024-03-13); DigDir's \
Maskinporten documentation (separate test and production environments).",
    bad: "\
# vedtak-api.yaml
metadata:
  name: vedtak-api
  namespace: team-arbeid
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          consumers:
            - orgno: \"889640782\"
# vedtak-arkiv.yaml
metadata:
  name: vedtak-arkiv
  namespace: team-arbeid
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          consumers:
            - orgno: \"974761076\"",
    good: "\
# vedtak-arkiv.yaml
metadata:
  name: vedtak-arkiv
  namespace: team-arbeid
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak/arkiv.read\"
          enabled: true
          product: \"arbeid\"",
};

/// How many other applications a report names before "and N more".
const NAMED: usize = 3;

impl Rule for ScopeCollision {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_all(&self, exposures: &[Exposure], _: &Settings, out: &mut Vec<Finding>) {
        let mut found: Vec<(usize, Finding)> = Vec::new();
        for group in shared(exposures) {
            // Identical entries provision the same registration: `shared-scope`.
            if group.iter().all(|e| e.entry == group[0].entry) {
                continue;
            }
            let apps = apps(&group);
            for e in &group {
                let others: Vec<&Exposure> = apps
                    .iter()
                    .copied()
                    .filter(|o| different(e, o))
                    .take(NAMED + 1)
                    .collect();
                if others.is_empty() {
                    continue;
                }
                let total = apps.iter().filter(|o| different(e, o)).count();
                let mut named: Vec<String> = others
                    .iter()
                    .take(NAMED)
                    .map(|o| format!("{} ({}:{})", o.app(), o.source.name, o.at.start.line))
                    .collect();
                if total > NAMED {
                    named.push(format!("{} more", total - NAMED));
                }
                let place = match e.environment {
                    Some(env) => format!(" in Maskinporten's {} environment", env.as_str()),
                    None => String::new(),
                };
                // What this entry sets differently from the other applications'.
                let mut differ: Vec<&str> = Vec::new();
                for o in apps.iter().filter(|o| different(e, o)) {
                    for key in e.entry.differences(&o.entry) {
                        if !differ.contains(&key) {
                            differ.push(key);
                        }
                    }
                }
                let what = if differ.is_empty() {
                    "the others' entries differ among themselves".to_owned()
                } else {
                    let keys: Vec<String> = differ.iter().map(|k| format!("`{k}`")).collect();
                    format!("the entries differ in {}", join_and(&keys))
                };
                let related = others
                    .iter()
                    .take(NAMED)
                    .map(|o| Related {
                        source: Arc::clone(&o.source),
                        span: o.at,
                        message: format!("{} also exposes {:?} here", o.app(), o.scope),
                    })
                    .collect();
                let order = exposures
                    .iter()
                    .position(|x| std::ptr::eq(x, *e))
                    .unwrap_or(usize::MAX);
                found.push((
                    order,
                    Finding::new(
                        &e.source,
                        e.at,
                        format!(
                            "scope {:?} of {} is also exposed by {}{place}, and {what}; the applications manage the same Maskinporten registration and each deploy overwrites the other's consumers and settings",
                            e.scope,
                            e.app(),
                            join_and(&named),
                        ),
                    )
                    .help("expose each scope from one application only (give this one another name or product, or remove it from all but one), or make the entries identical")
                    .related(related),
                ));
            }
        }
        found.sort_by_key(|(order, _)| *order);
        out.extend(found.into_iter().map(|(_, f)| f));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::findings;

    fn doc(ns: &str, name: &str, scope: &str) -> String {
        format!(
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n{ns}spec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n"
        )
    }

    /// The documents, each entry given its own `atMaxAge` (one line more per
    /// document) so that they differ.
    fn lint(docs: &[String]) -> Vec<String> {
        let docs: Vec<String> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{d}          atMaxAge: {}\n", 30 + i))
            .collect();
        findings("scope-collision", &docs.join("---\n"))
    }

    #[test]
    fn different_applications_collide_and_both_are_reported() {
        let f = lint(&[
            doc("  namespace: team-a\n", "a", "vedtak.read"),
            doc("  namespace: team-b\n", "a", "vedtak.read"),
        ]);
        let tail = ", and the entries differ in `atMaxAge`; the applications manage the same Maskinporten registration and each deploy overwrites the other's consumers and settings | expose each scope from one application only (give this one another name or product, or remove it from all but one), or make the entries identical";
        assert_eq!(
            f,
            [
                format!(
                    "11:11 scope \"nav:arbeid:vedtak.read\" of team-a/a is also exposed by team-b/a (t.yaml:26){tail}"
                ),
                format!(
                    "26:11 scope \"nav:arbeid:vedtak.read\" of team-b/a is also exposed by team-a/a (t.yaml:11){tail}"
                ),
            ]
        );
    }

    #[test]
    fn one_application_in_several_files_is_not_a_collision() {
        let a = doc("  namespace: team-a\n", "a", "vedtak.read");
        assert!(lint(&[a.clone(), a.clone(), doc("", "a", "vedtak.read")]).is_empty());
    }

    #[test]
    fn every_entry_involved_is_reported_naming_the_others() {
        let f = lint(&[
            doc("  namespace: t\n", "a", "x.read"),
            doc("  namespace: t\n", "b", "x.read"),
            doc("  namespace: t\n", "c", "x.read"),
            doc("  namespace: t\n", "a", "x.read"),
        ]);
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(
            f[0].contains("of t/a is also exposed by t/b (t.yaml:26) and t/c (t.yaml:41),"),
            "{}",
            f[0]
        );
        assert!(
            f[1].contains("of t/b is also exposed by t/a (t.yaml:11) and t/c (t.yaml:41),"),
            "{}",
            f[1]
        );
        assert!(
            f[3].starts_with("56:11 scope \"nav:arbeid:x.read\" of t/a is also exposed by t/b"),
            "{}",
            f[3]
        );
    }

    #[test]
    fn a_manifest_without_namespace_hides_no_collision() {
        // `a` may be either team's application, so it collides with neither;
        // the two namespaced ones are certainly different applications.
        let f = lint(&[
            doc("", "a", "x.read"),
            doc("  namespace: team-x\n", "a", "x.read"),
            doc("  namespace: team-y\n", "a", "x.read"),
            doc("  namespace: team-x\n", "a", "x.read"),
        ]);
        let at: Vec<&str> = f.iter().map(|f| f.split(' ').next().unwrap()).collect();
        assert_eq!(at, ["25:11", "40:11", "55:11"], "{f:?}");
        assert!(
            f[1].contains("of team-y/a is also exposed by team-x/a (t.yaml:25),"),
            "{}",
            f[1]
        );
    }

    #[test]
    fn more_than_three_others_are_counted() {
        let docs: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|n| doc("  namespace: t\n", n, "x.read"))
            .collect();
        let f = lint(&docs);
        assert_eq!(f.len(), 5);
        assert!(
            f[0].contains(
                "also exposed by t/b (t.yaml:26), t/c (t.yaml:41), t/d (t.yaml:56) and 1 more,"
            ),
            "{}",
            f[0]
        );
    }

    #[test]
    fn identical_entries_are_no_collision_and_the_message_names_what_differs() {
        let a = doc("  namespace: t\n", "a", "x.read");
        let b = doc("  namespace: t\n", "b", "x.read");
        let same = findings("scope-collision", &[a.clone(), b.clone()].join("---\n"));
        assert!(same.is_empty(), "{same:?}");
        let other = b.replace(
            "product: \"arbeid\"\n",
            "product: \"arbeid\"\n          visibility: private\n          consumers:\n            - orgno: \"889640782\"\n",
        );
        let f = findings("scope-collision", &[a, other].join("---\n"));
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f[0].contains(", and the entries differ in `consumers` and `visibility`;"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn different_scopes_do_not_collide() {
        assert!(lint(&[doc("", "a", "x.read"), doc("", "b", "y.read")]).is_empty());
    }
}
