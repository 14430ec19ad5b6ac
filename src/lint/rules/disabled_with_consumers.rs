//! `disabled-with-consumers`: a disabled scope that still lists consumers.

use super::support::describe;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct DisabledWithConsumers;

static DOC: RuleDoc = RuleDoc {
    id: "disabled-with-consumers",
    severity: Severity::Info,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "`enabled: false` with consumers listed",
    explanation: "\
`enabled: false` on an exposes entry means different things to digdirator for a new and \
an existing scope. A new scope (no registration with its subscope yet) is registered \
inactive, and its access list is still set to `consumers`: the listed organisations are \
granted, and get tokens as soon as the scope is enabled. An existing scope is \
deactivated and its access list is left alone: consumers granted before keep their \
grant, whatever `consumers` says now, and none can get tokens while it is inactive. \
Either way the listed consumers cannot use the scope today. That is right while a scope \
is prepared or retired; if not, set `enabled: true`. \
Source: nais/digdirator `controllers/common/scopes.go` (new scopes get their access \
list even when inactive; a disabled existing scope is deactivated without touching its \
access list, 2026-07-27).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: false
    product: \"arbeid\"
    consumers:
      - orgno: \"889640782\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    consumers:
      - orgno: \"889640782\"",
};

impl Rule for DisabledWithConsumers {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let n = e.consumers.len();
            let explicitly_disabled = e.enabled.as_ref().is_some_and(|f| !f.value);
            if n == 0 || !explicitly_disabled {
                continue;
            }
            let listed = if n == 1 {
                "1 consumer".to_owned()
            } else {
                format!("{n} consumers")
            };
            out.push(
                Finding::new(
                    &m.source,
                    e.anchor(),
                    format!(
                        "{} is disabled (`enabled: false`) but lists {listed}: while it is inactive they cannot get tokens for it (a new scope is registered inactive with them granted; an existing one is deactivated and its access list left as it is)",
                        describe(e, &s.prefix)
                    ),
                )
                .help("set `enabled: true` if they should get tokens; if the scope is being retired, keep it disabled, deploy, then remove the entry"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, findings};

    fn lint(enabled: &str, consumers: &str) -> Vec<String> {
        let block = format!(
            "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: {enabled}\n          product: \"arbeid\"\n{consumers}"
        );
        findings("disabled-with-consumers", &app(&block))
    }

    const TWO: &str = "          consumers:\n            - orgno: \"889640782\"\n            - orgno: \"974761076\"\n";

    #[test]
    fn disabled_with_consumers_is_noted() {
        assert_eq!(
            lint("false", TWO),
            [
                "11:11 scope \"nav:arbeid:vedtak.read\" is disabled (`enabled: false`) but lists 2 consumers: while it is inactive they cannot get tokens for it (a new scope is registered inactive with them granted; an existing one is deactivated and its access list left as it is) | set `enabled: true` if they should get tokens; if the scope is being retired, keep it disabled, deploy, then remove the entry"
            ]
        );
    }

    #[test]
    fn enabled_or_without_consumers_passes() {
        assert!(lint("true", TWO).is_empty());
        assert!(lint("false", "").is_empty());
        assert!(lint("\"false\"", TWO).is_empty());
    }
}
