//! `scope-collision`: two different applications expose the same scope.

use crate::lint::exposure::Exposure;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

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
other. The rule compares every manifest linted together. An application is identified by \
`metadata.namespace`/`metadata.name` (a manifest without a namespace matches any \
namespace), so the same application in several files, one per environment, is not a \
collision. Manifests whose `spec.maskinporten.enabled` is not true are left out: nothing \
is provisioned for them. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): an exposed scope is matched to a registration by its subscope alone (since d6f01cc, 2024-03-13).",
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
struct Exposer<'e> {
    order: usize,
    exposure: &'e Exposure,
}

impl<'e> Exposer<'e> {
    fn scope(&self) -> &'e str {
        &self.exposure.scope
    }

    fn name(&self) -> &'e str {
        &self.exposure.name
    }

    fn namespace(&self) -> Option<&'e str> {
        self.exposure.namespace.as_deref()
    }
}

/// What is kept of the exposers of every scope, so that each new exposer is
/// compared with a few earlier ones, not all of them.
///
/// Two exposers are certainly different applications when their names differ,
/// or when both have a namespace and those differ; a manifest without a
/// namespace may be either of the namespaced ones of its name, so it collides
/// with neither. The earliest certainly different exposer is among: the first
/// exposer, the first whose name differs from that one's, and for each name
/// the first namespaced exposer and the first with another namespace than it.
///
/// The maps are keyed by scope (and name) across all scopes: nearly every
/// scope has one exposer, which then costs no maps of its own.
struct Exposers<'e> {
    /// Per scope: the first exposer, and the first with another name.
    first: HashMap<&'e str, FirstTwo<'e>>,
    /// Per scope and name: the first namespaced exposer and the first with
    /// another namespace.
    namespaced: HashMap<(&'e str, &'e str), FirstTwo<'e>>,
    /// The applications (scope, name, namespace) seen: an application seen
    /// before is not reported again in its other manifests.
    seen: HashSet<(&'e str, &'e str, Option<&'e str>)>,
}

/// The first exposer under a key, and the first after it that differs from it.
type FirstTwo<'e> = (Exposer<'e>, Option<Exposer<'e>>);

/// Add `x` under `key`: it becomes the first, or the second if it is the first
/// to differ from the first.
fn keep<'e, K: Hash + Eq>(
    map: &mut HashMap<K, FirstTwo<'e>>,
    key: K,
    x: Exposer<'e>,
    differs: impl Fn(&Exposer<'e>, &Exposer<'e>) -> bool,
) {
    match map.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert((x, None));
        }
        Entry::Occupied(mut slot) => {
            let (first, second) = slot.get_mut();
            if second.is_none() && differs(first, &x) {
                *second = Some(x);
            }
        }
    }
}

/// The earlier of the two kept under a key that `differs` holds for.
fn earliest<'e>(
    kept: Option<&FirstTwo<'e>>,
    differs: impl Fn(&Exposer<'e>) -> bool,
) -> Option<Exposer<'e>> {
    let (first, second) = kept?;
    [Some(*first), *second].into_iter().flatten().find(differs)
}

impl<'e> Exposers<'e> {
    /// Room for `n` exposers, so that no map grows on the way.
    fn with_capacity(n: usize) -> Self {
        Exposers {
            first: HashMap::with_capacity(n),
            namespaced: HashMap::with_capacity(n),
            seen: HashSet::with_capacity(n),
        }
    }

    fn add(&mut self, x: Exposer<'e>) {
        keep(&mut self.first, x.scope(), x, |a, b| a.name() != b.name());
        if x.namespace().is_some() {
            let key = (x.scope(), x.name());
            keep(&mut self.namespaced, key, x, |a, b| {
                a.namespace() != b.namespace()
            });
        }
        self.seen.insert((x.scope(), x.name(), x.namespace()));
    }

    /// The earliest exposer of `x`'s scope that is certainly another
    /// application than `x`, unless `x`'s application was seen before.
    fn collision(&self, x: &Exposer<'e>) -> Option<Exposer<'e>> {
        if self.seen.contains(&(x.scope(), x.name(), x.namespace())) {
            return None;
        }
        let other_name = earliest(self.first.get(x.scope()), |e| e.name() != x.name());
        let other_namespace = x.namespace().and_then(|ns| {
            let kept = self.namespaced.get(&(x.scope(), x.name()));
            earliest(kept, |e| e.namespace() != Some(ns))
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

    fn check_all(&self, exposures: &[Exposure], _: &Settings, out: &mut Vec<Finding>) {
        let mut exposers = Exposers::with_capacity(exposures.len());
        for (order, exposure) in exposures.iter().enumerate() {
            let x = Exposer { order, exposure };
            if let Some(other) = exposers.collision(&x) {
                out.push(
                    Finding::new(
                        &exposure.source,
                        exposure.at,
                        format!(
                            "scope {:?} of {} is also exposed by {} ({}:{}); both applications would manage the same Maskinporten registration and overwrite each other's consumers",
                            exposure.scope,
                            exposure.app(),
                            other.exposure.app(),
                            other.exposure.source.name,
                            other.exposure.at.start.line
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
