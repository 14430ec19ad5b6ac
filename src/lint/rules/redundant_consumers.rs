//! `redundant-consumers`: consumers listed for a scope every organisation may use.

use super::support::describe;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct RedundantConsumers;

static DOC: RuleDoc = RuleDoc {
    id: "redundant-consumers",
    severity: Severity::Info,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "`accessibleForAll: true` with consumers listed",
    explanation: "\
With `accessibleForAll: true`, Maskinporten lets every organisation get a token for \
the scope (nais docs, DigDir's scope API `accessible_for_all`), so a `consumers` list \
grants nothing extra. Either the list is left over, or `accessibleForAll` was set by \
mistake and the scope is more open than intended. \
Source: DigDir's scope API (`accessible_for_all`); nais/digdirator `controllers/common/scopes.go` (2026-07-27) (writes it on every reconcile).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    accessibleForAll: true
    consumers:
      - orgno: \"889640782\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    accessibleForAll: true",
};

impl Rule for RedundantConsumers {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in mp
            .exposes
            .iter()
            .filter(|e| e.accessible_for_all() && !e.consumers.is_empty())
        {
            let n = e.consumers.len();
            let listed = if n == 1 {
                "its listed consumer adds".to_owned()
            } else {
                format!("its {n} listed consumers add")
            };
            out.push(
                Finding::new(
                    &m.source,
                    e.anchor(),
                    format!("{} is `accessibleForAll: true`, so {listed} nothing: every organisation can get a token", describe(e, &s.prefix)),
                )
                .help("remove the consumers, or set `accessibleForAll: false` if only they should have access"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(extra: &str) -> Vec<String> {
        findings("redundant-consumers", &exposing("\"vedtak.read\"", extra))
    }

    #[test]
    fn open_scope_with_consumers_is_noted() {
        assert_eq!(
            lint(
                "          accessibleForAll: true\n          consumers:\n            - orgno: \"889640782\"\n"
            ),
            [
                "11:11 scope \"nav:arbeid:vedtak.read\" is `accessibleForAll: true`, so its listed consumer adds nothing: every organisation can get a token | remove the consumers, or set `accessibleForAll: false` if only they should have access"
            ]
        );
    }

    #[test]
    fn either_alone_passes() {
        assert!(lint("          accessibleForAll: true\n").is_empty());
        assert!(lint("          accessibleForAll: false\n          consumers:\n            - orgno: \"889640782\"\n").is_empty());
    }
}
