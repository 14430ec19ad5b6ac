//! `duplicate-consumer`: the same orgno twice for one scope.

use super::support::describe;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use std::collections::HashMap;

pub struct DuplicateConsumer;

static DOC: RuleDoc = RuleDoc {
    id: "duplicate-consumer",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "the same orgno twice for one scope",
    explanation: "\
Each consumer of a scope is one organisation in Maskinporten's access list, which \
digdirator (nais/digdirator) keeps equal to the `consumers` in the manifest. Listing an \
orgno twice grants nothing extra; it usually means a copy-paste slip where another \
organisation's number was meant, and that organisation has no access. The finding \
points at the later orgno. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): the access list follows `consumers`.",
    bad: "\
consumers:
  - orgno: \"889640782\"
    name: \"NAV\"
  - orgno: \"889640782\"
    name: \"Skatteetaten\"",
    good: "\
consumers:
  - orgno: \"889640782\"
    name: \"NAV\"
  - orgno: \"974761076\"
    name: \"Skatteetaten\"",
};

impl Rule for DuplicateConsumer {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let mut seen = HashMap::new();
            for orgno in e.consumers.iter().filter_map(|c| c.orgno.as_ref()) {
                let Some(first_line) = seen.get(orgno.value.as_str()) else {
                    seen.insert(orgno.value.as_str(), orgno.span.start.line);
                    continue;
                };
                out.push(
                    Finding::new(
                        &m.source,
                        orgno.span,
                        format!(
                            "orgno {:?} is listed twice for {} (first at line {first_line})",
                            orgno.value,
                            describe(e, &s.prefix)
                        ),
                    )
                    .help("remove this consumer, or correct the number if another organisation was meant"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, exposing, findings};

    fn lint(consumers: &str) -> Vec<String> {
        findings(
            "duplicate-consumer",
            &exposing(
                "\"vedtak.read\"",
                &format!("          consumers:\n{consumers}"),
            ),
        )
    }

    #[test]
    fn distinct_orgnos_pass() {
        assert!(
            lint("            - orgno: \"889640782\"\n            - orgno: \"974761076\"\n")
                .is_empty()
        );
    }

    #[test]
    fn later_orgno_is_reported() {
        assert_eq!(
            lint(
                "            - orgno: \"889640782\"\n            - orgno: \"974761076\"\n            - orgno: \"889640782\"\n              name: \"NAV\"\n"
            ),
            [
                "17:22 orgno \"889640782\" is listed twice for scope \"nav:arbeid:vedtak.read\" (first at line 15) | remove this consumer, or correct the number if another organisation was meant"
            ]
        );
    }

    #[test]
    fn same_orgno_in_two_scopes_is_fine() {
        let block = "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"a.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640782\"\n        - name: \"b.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640782\"\n";
        assert!(findings("duplicate-consumer", &app(block)).is_empty());
    }
}
