//! `disabled-with-consumers`: a disabled scope that still lists consumers.

use super::support::describe;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct DisabledWithConsumers;

static DOC: RuleDoc = RuleDoc {
    id: "disabled-with-consumers",
    severity: Severity::Info,
    kind: Kind::Semantic,
    summary: "`enabled: false` with consumers listed",
    explanation: "\
`enabled: false` on an exposes entry makes digdirator (nais/digdirator) deactivate the \
scope in Maskinporten (registrations are never deleted), and only enabled scopes get \
their access list processed. Consumers listed under a disabled scope therefore cannot \
get tokens for it any more. That may be the intent while a scope is retired; if not, \
the listed consumers lose access without anyone noticing. \
Source: nais/digdirator (a disabled scope is deactivated; only enabled scopes have their access list processed).",
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
                        "{} is disabled (`enabled: false`) but lists {listed}: the scope is deactivated in Maskinporten and they cannot get tokens for it",
                        describe(e, &s.prefix)
                    ),
                )
                .help("set `enabled: true` if they should keep access; if the scope is retired, remove the consumers to make that clear"),
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
                "11:11 scope \"nav:arbeid:vedtak.read\" is disabled (`enabled: false`) but lists 2 consumers: the scope is deactivated in Maskinporten and they cannot get tokens for it | set `enabled: true` if they should keep access; if the scope is retired, remove the consumers to make that clear"
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
