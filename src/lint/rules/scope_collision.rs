//! `scope-collision`: two different applications expose the same scope.

use crate::lint::{Finding, Rule, RuleDoc, Settings, Severity};
use crate::model::{ExposedScope, Manifest};
use crate::resolve::resolve_entry;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

pub struct ScopeCollision;

static DOC: RuleDoc = RuleDoc {
    id: "scope-collision",
    severity: Severity::Error,
    summary: "two different applications (namespace/name) expose the same scope",
    explanation: "\
Maskinporten has one registration per scope, and digdirator (nais/digdirator) matches an \
exposes entry to a registration by its subscope alone. When two applications expose the \
same fully qualified scope, both take over the same registration and overwrite each \
other's consumers and settings on every deploy; consumers one lists are revoked by the \
other. The rule compares every manifest linted together. An application is identified by \
`metadata.namespace`/`metadata.name` (a manifest without a namespace matches any \
namespace), so the same application in several files, one per environment, is not a \
collision. Manifests whose `spec.maskinporten.enabled` is not true are left out: nothing \
is provisioned for them. \
Source: nais/digdirator (an exposed scope is matched to a registration by its subscope alone).",
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

/// Whether two manifests are the same application (same name, same or unknown namespace).
fn same_app(a: &Manifest, b: &Manifest) -> bool {
    let name = |m: &Manifest| m.name.as_ref().map(|f| f.value.clone());
    let ns = |m: &Manifest| m.namespace.as_ref().map(|f| f.value.clone());
    name(a) == name(b)
        && match (ns(a), ns(b)) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
}

impl Rule for ScopeCollision {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_all(&self, manifests: &[Manifest], s: &Settings, out: &mut Vec<Finding>) {
        // Each scope is compared with its first exposer only, which keeps this linear.
        let mut first: HashMap<String, (&Manifest, &ExposedScope)> = HashMap::new();
        for m in manifests
            .iter()
            .filter(|m| m.maskinporten_enabled() && m.name.is_some())
        {
            let Some(mp) = &m.maskinporten else { continue };
            for e in &mp.exposes {
                let Ok((_, _, resolved)) = resolve_entry(&s.prefix, e) else {
                    continue;
                };
                match first.entry(resolved.scope) {
                    Entry::Vacant(v) => {
                        v.insert((m, e));
                    }
                    Entry::Occupied(o) => {
                        let (other, other_entry) = *o.get();
                        if same_app(other, m) {
                            continue;
                        }
                        out.push(
                            Finding::new(
                                &m.source,
                                e.anchor(),
                                format!(
                                    "scope {:?} of {} is also exposed by {} ({}:{}); both applications would manage the same Maskinporten registration and overwrite each other's consumers",
                                    o.key(),
                                    m.app(),
                                    other.app(),
                                    other.source.name,
                                    other_entry.anchor().start.line
                                ),
                            )
                            .help("expose each scope from one application only: give this one another name or product, or remove it here"),
                        );
                    }
                }
            }
        }
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
    fn different_applications_collide() {
        let f = lint(&[
            doc("  namespace: team-a\n", "a", "vedtak.read"),
            doc("  namespace: team-b\n", "a", "vedtak.read"),
        ]);
        assert_eq!(
            f,
            [
                "25:11 scope \"nav:arbeid:vedtak.read\" of team-b/a is also exposed by team-a/a (t.yaml:11); both applications would manage the same Maskinporten registration and overwrite each other's consumers | expose each scope from one application only: give this one another name or product, or remove it here"
            ]
        );
    }

    #[test]
    fn one_application_in_several_files_is_not_a_collision() {
        let a = doc("  namespace: team-a\n", "a", "vedtak.read");
        assert!(lint(&[a.clone(), a.clone(), doc("", "a", "vedtak.read")]).is_empty());
    }

    #[test]
    fn every_later_application_is_reported_once() {
        let f = lint(&[
            doc("  namespace: t\n", "a", "x.read"),
            doc("  namespace: t\n", "b", "x.read"),
            doc("  namespace: t\n", "c", "x.read"),
            doc("  namespace: t\n", "a", "x.read"),
        ]);
        assert_eq!(f.len(), 2);
        assert!(f[0].contains("of t/b is also exposed by t/a"), "{}", f[0]);
        assert!(f[1].contains("of t/c is also exposed by t/a"), "{}", f[1]);
    }

    #[test]
    fn different_scopes_do_not_collide() {
        assert!(lint(&[doc("", "a", "x.read"), doc("", "b", "y.read")]).is_empty());
    }
}
