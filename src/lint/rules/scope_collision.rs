//! `scope-collision`: two different applications expose the same scope.

use crate::deploy::Environment;
use crate::lint::exposure::Exposure;
use crate::lint::{Finding, Kind, Related, Rule, RuleDoc, Settings, Severity};
use std::collections::HashMap;
use std::sync::Arc;

pub struct ScopeCollision;

static DOC: RuleDoc = RuleDoc {
    id: "scope-collision",
    severity: Severity::Error,
    kind: Kind::Semantic,
    on_by_default: true,
    summary: "two different applications (namespace/name) expose the same scope",
    explanation: "\
Maskinporten has one registration per scope, and digdirator (nais/digdirator) matches an \
exposes entry to a registration by its subscope alone. When two applications expose the \
same fully qualified scope, both take over the same registration and overwrite each \
other's consumers and settings on every deploy; consumers one lists are revoked by the \
other. The rule compares every manifest linted together within one Maskinporten \
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
          product: \"arbeid\"",
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

/// Whether two exposers are certainly different applications: their names
/// differ, or both have a namespace and those differ. A manifest without a
/// namespace may be either of the namespaced ones of its name, so it collides
/// with neither.
fn different(a: &Exposure, b: &Exposure) -> bool {
    a.name != b.name || matches!((&a.namespace, &b.namespace), (Some(x), Some(y)) if x != y)
}

/// How many other applications a report names before "and N more".
const NAMED: usize = 3;

impl Rule for ScopeCollision {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_all(&self, exposures: &[Exposure], _: &Settings, out: &mut Vec<Finding>) {
        // Exposers of one scope in one Maskinporten environment, in input order;
        // nearly every group has one.
        let mut groups: HashMap<(Option<Environment>, &str), Vec<&Exposure>> =
            HashMap::with_capacity(exposures.len());
        for e in exposures {
            groups.entry((e.environment, &e.scope)).or_default().push(e);
        }
        let mut found: Vec<(usize, Finding)> = Vec::new();
        for group in groups.values().filter(|g| g.len() > 1) {
            // One exposure per application (its first), to name the others by.
            let mut apps: Vec<&Exposure> = Vec::new();
            for e in group {
                if !apps
                    .iter()
                    .any(|a| a.name == e.name && a.namespace == e.namespace)
                {
                    apps.push(e);
                }
            }
            if apps.len() < 2 {
                continue;
            }
            for e in group {
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
                            "scope {:?} of {} is also exposed by {}{place}; the applications would manage the same Maskinporten registration and overwrite each other's consumers",
                            e.scope,
                            e.app(),
                            join_and(&named),
                        ),
                    )
                    .help("expose each scope from one application only: give this one another name or product, or remove it from all but one")
                    .related(related),
                ));
            }
        }
        found.sort_by_key(|(order, _)| *order);
        out.extend(found.into_iter().map(|(_, f)| f));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
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

    fn lint(docs: &[String]) -> Vec<String> {
        findings("scope-collision", &docs.join("---\n"))
    }

    #[test]
    fn different_applications_collide_and_both_are_reported() {
        let f = lint(&[
            doc("  namespace: team-a\n", "a", "vedtak.read"),
            doc("  namespace: team-b\n", "a", "vedtak.read"),
        ]);
        let tail = "; the applications would manage the same Maskinporten registration and overwrite each other's consumers | expose each scope from one application only: give this one another name or product, or remove it from all but one";
        assert_eq!(
            f,
            [
                format!(
                    "11:11 scope \"nav:arbeid:vedtak.read\" of team-a/a is also exposed by team-b/a (t.yaml:25){tail}"
                ),
                format!(
                    "25:11 scope \"nav:arbeid:vedtak.read\" of team-b/a is also exposed by team-a/a (t.yaml:11){tail}"
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
            f[0].contains("of t/a is also exposed by t/b (t.yaml:25) and t/c (t.yaml:39);"),
            "{}",
            f[0]
        );
        assert!(
            f[1].contains("of t/b is also exposed by t/a (t.yaml:11) and t/c (t.yaml:39);"),
            "{}",
            f[1]
        );
        assert!(
            f[3].starts_with("53:11 scope \"nav:arbeid:x.read\" of t/a is also exposed by t/b"),
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
        assert_eq!(at, ["24:11", "38:11", "52:11"], "{f:?}");
        assert!(
            f[1].contains("of team-y/a is also exposed by team-x/a (t.yaml:24);"),
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
                "also exposed by t/b (t.yaml:25), t/c (t.yaml:39), t/d (t.yaml:53) and 1 more;"
            ),
            "{}",
            f[0]
        );
    }

    #[test]
    fn different_scopes_do_not_collide() {
        assert!(lint(&[doc("", "a", "x.read"), doc("", "b", "y.read")]).is_empty());
    }
}
