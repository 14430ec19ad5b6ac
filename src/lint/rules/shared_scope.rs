//! `shared-scope`: several applications expose one scope with identical entries.

use crate::lint::exposure::{Exposure, apps, join_and, shared};
use crate::lint::{Finding, Kind, Related, Rule, RuleDoc, Settings, Severity};
use std::sync::Arc;

pub struct SharedScope;

static DOC: RuleDoc = RuleDoc {
    id: "shared-scope",
    severity: Severity::Info,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "several applications expose the same scope with identical entries",
    explanation: "\
Maskinporten has one registration per scope, and digdirator (nais/digdirator) matches an \
exposes entry to a registration by its subscope alone, so applications that expose the \
same scope in one Maskinporten environment manage one registration together. Teams do \
this on purpose, for twin deployments of one service (`pensjonssimulator` and \
`pensjonssimulator-q1` in dev-gcp). While every entry is the same (consumers compared \
as a set of orgnos; `enabled`, `atMaxAge`, `allowedIntegrations`, `accessibleForAll`, \
`delegationSource` and `visibility` with defaults applied), each deploy writes the same \
registration and nothing is lost. But a consumer added to one of them only is revoked \
by the next deploy of another: the entries must be changed together. The rule reports \
each such scope once, at its first exposer, naming the others. Entries that differ are \
`scope-collision` (error). Environments and application identity are as for \
`scope-collision`. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): an exposed scope is \
matched to a registration by its subscope alone, and the registration's consumers and \
settings are replaced by those of the entry on every reconcile.",
    bad: "\
# pensjonssimulator.yaml
metadata:
  name: pensjonssimulator
  namespace: pensjonskalkulator
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"simulering\"
          enabled: true
          product: \"pensjonssimulator\"
          consumers:
            - orgno: \"938708606\"
# pensjonssimulator-q1.yaml
metadata:
  name: pensjonssimulator-q1
  namespace: pensjonskalkulator
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"simulering\"
          enabled: true
          product: \"pensjonssimulator\"
          consumers:
            - orgno: \"938708606\"",
    good: "\
# pensjonssimulator.yaml
metadata:
  name: pensjonssimulator
  namespace: pensjonskalkulator
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"simulering\"
          enabled: true
          product: \"pensjonssimulator\"
          consumers:
            - orgno: \"938708606\"
# pensjonssimulator-q1.yaml
metadata:
  name: pensjonssimulator-q1
  namespace: pensjonskalkulator
spec:
  maskinporten:
    enabled: true
    scopes:
      consumes:
        - name: \"nav:pensjonssimulator:simulering\"",
};

/// How many other applications a report names before "and N more".
const NAMED: usize = 3;

impl Rule for SharedScope {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_all(&self, exposures: &[Exposure], _: &Settings, out: &mut Vec<Finding>) {
        for group in shared(exposures) {
            if group.iter().any(|e| e.entry != group[0].entry) {
                continue;
            }
            let apps = apps(&group);
            let (first, others) = (apps[0], &apps[1..]);
            let mut named: Vec<String> = others
                .iter()
                .take(NAMED)
                .map(|o| format!("{} ({}:{})", o.app(), o.source.name, o.at.start.line))
                .collect();
            if others.len() > NAMED {
                named.push(format!("{} more", others.len() - NAMED));
            }
            let place = match first.environment {
                Some(env) => format!(" in Maskinporten's {} environment", env.as_str()),
                None => String::new(),
            };
            let related = others
                .iter()
                .take(NAMED)
                .map(|o| Related {
                    source: Arc::clone(&o.source),
                    span: o.at,
                    message: format!("{} exposes {:?} with the same entry here", o.app(), o.scope),
                })
                .collect();
            out.push(
                Finding::new(
                    &first.source,
                    first.at,
                    format!(
                        "scope {:?} of {} is also exposed by {}{place} with the same entry; they share one Maskinporten registration, so the entries must be changed together",
                        first.scope,
                        first.app(),
                        join_and(&named),
                    ),
                )
                .help("change consumers and settings of this scope in every one of these applications at once: a change made in one only is undone by the next deploy of another")
                .related(related),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::findings;

    fn doc(name: &str, orgno: &str) -> String {
        format!(
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"{orgno}\"\n"
        )
    }

    #[test]
    fn identical_entries_are_reported_once_and_different_ones_not_at_all() {
        let same = findings(
            "shared-scope",
            &[doc("a", "889640782"), doc("b", "889640782")].join("---\n"),
        );
        assert_eq!(same.len(), 1, "{same:?}");
        assert!(
            same[0].starts_with(
                "11:11 scope \"nav:arbeid:x.read\" of t/a is also exposed by t/b (t.yaml:27) with the same entry;"
            ),
            "{}",
            same[0]
        );
        let differ = findings(
            "shared-scope",
            &[doc("a", "889640782"), doc("b", "974761076")].join("---\n"),
        );
        assert!(differ.is_empty(), "{differ:?}");
    }
}
