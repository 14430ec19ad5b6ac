//! `scope-collision`: two different applications expose the same scope.

use crate::lint::{Finding, Rule, RuleDoc, Settings, Severity};
use crate::model::{ExposedScope, Manifest};
use crate::resolve::resolve_entry;
use std::collections::{HashMap, HashSet};

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

/// One exposer of a scope, with its place in input order.
#[derive(Clone, Copy)]
struct Exposer<'m> {
    order: usize,
    manifest: &'m Manifest,
    entry: &'m ExposedScope,
}

impl<'m> Exposer<'m> {
    fn name(&self) -> &'m str {
        self.manifest.name.as_ref().map_or("", |f| f.value.as_str())
    }

    fn namespace(&self) -> Option<&'m str> {
        self.manifest.namespace.as_ref().map(|f| f.value.as_str())
    }
}

/// What is kept of the exposers of one scope, so that each new exposer is
/// compared with a few earlier ones, not all of them.
///
/// Two exposers are certainly different applications when their names differ,
/// or when both have a namespace and those differ; a manifest without a
/// namespace may be either of the namespaced ones of its name, so it collides
/// with neither. The earliest certainly different exposer is among: the first
/// exposer, the first whose name differs from that one's, and for each name
/// the first namespaced exposer and the first with another namespace than it.
struct Exposers<'m> {
    first: Exposer<'m>,
    other_name: Option<Exposer<'m>>,
    /// Per name: the first namespaced exposer and the first with another namespace.
    namespaced: HashMap<&'m str, (Exposer<'m>, Option<Exposer<'m>>)>,
    /// The (name, namespace) pairs seen: an application seen before is not
    /// reported again in its other manifests.
    seen: HashSet<(&'m str, Option<&'m str>)>,
}

impl<'m> Exposers<'m> {
    fn new(first: Exposer<'m>) -> Self {
        let mut all = Exposers {
            first,
            other_name: None,
            namespaced: HashMap::new(),
            seen: HashSet::new(),
        };
        all.add(first);
        all
    }

    fn add(&mut self, x: Exposer<'m>) {
        if self.other_name.is_none() && x.name() != self.first.name() {
            self.other_name = Some(x);
        }
        if let Some(ns) = x.namespace() {
            match self.namespaced.get_mut(x.name()) {
                None => {
                    self.namespaced.insert(x.name(), (x, None));
                }
                Some((a, second @ None)) if a.namespace() != Some(ns) => *second = Some(x),
                Some(_) => {}
            }
        }
        self.seen.insert((x.name(), x.namespace()));
    }

    /// The earliest exposer that is certainly another application than `x`,
    /// unless `x`'s application was seen before.
    fn collision(&self, x: &Exposer<'m>) -> Option<Exposer<'m>> {
        if self.seen.contains(&(x.name(), x.namespace())) {
            return None;
        }
        let other_name = [Some(self.first), self.other_name]
            .into_iter()
            .flatten()
            .find(|e| e.name() != x.name());
        let other_namespace = x.namespace().and_then(|ns| {
            let (a, b) = self.namespaced.get(x.name())?;
            [Some(*a), *b]
                .into_iter()
                .flatten()
                .find(|e| e.namespace() != Some(ns))
        });
        [other_name, other_namespace]
            .into_iter()
            .flatten()
            .min_by_key(|e| e.order)
    }
}

impl Rule for ScopeCollision {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_all(&self, manifests: &[Manifest], s: &Settings, out: &mut Vec<Finding>) {
        let mut by_scope: HashMap<String, Exposers> = HashMap::new();
        let exposed = manifests
            .iter()
            .filter(|m| m.maskinporten_enabled() && m.name.is_some())
            .filter_map(|m| Some((m, m.maskinporten.as_ref()?)))
            .flat_map(|(m, mp)| mp.exposes.iter().map(move |e| (m, e)));
        for (order, (manifest, entry)) in exposed.enumerate() {
            let Ok((_, _, resolved)) = resolve_entry(&s.prefix, entry) else {
                continue;
            };
            let x = Exposer {
                order,
                manifest,
                entry,
            };
            let Some(exposers) = by_scope.get_mut(&resolved.scope) else {
                by_scope.insert(resolved.scope, Exposers::new(x));
                continue;
            };
            if let Some(other) = exposers.collision(&x) {
                out.push(
                    Finding::new(
                        &manifest.source,
                        entry.anchor(),
                        format!(
                            "scope {:?} of {} is also exposed by {} ({}:{}); both applications would manage the same Maskinporten registration and overwrite each other's consumers",
                            resolved.scope,
                            manifest.app(),
                            other.manifest.app(),
                            other.manifest.source.name,
                            other.entry.anchor().start.line
                        ),
                    )
                    .help("expose each scope from one application only: give this one another name or product, or remove it here"),
                );
            }
            exposers.add(x);
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
    fn a_manifest_without_namespace_hides_no_collision() {
        // `a` may be either team's application, so it collides with neither;
        // the two namespaced ones are certainly different applications.
        let f = lint(&[
            doc("", "a", "x.read"),
            doc("  namespace: team-x\n", "a", "x.read"),
            doc("  namespace: team-y\n", "a", "x.read"),
            doc("  namespace: team-x\n", "a", "x.read"),
        ]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].contains("of team-y/a is also exposed by team-x/a (t.yaml:24)"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn the_earliest_other_application_is_named() {
        let f = lint(&[
            doc("  namespace: t\n", "a", "x.read"),
            doc("  namespace: u\n", "b", "x.read"),
            doc("  namespace: u\n", "a", "x.read"),
        ]);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[1].contains("of u/a is also exposed by t/a"), "{}", f[1]);
    }

    #[test]
    fn different_scopes_do_not_collide() {
        assert!(lint(&[doc("", "a", "x.read"), doc("", "b", "y.read")]).is_empty());
    }
}
