//! `missing-orgno`: an enabled scope nobody may use.

use super::support::{describe, exposes_node};
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct MissingOrgno;

static DOC: RuleDoc = RuleDoc {
    id: "missing-orgno",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "an enabled scope with no consumers and not `accessibleForAll`",
    explanation: "\
digdirator (nais/digdirator) makes Maskinporten's access list of a scope equal to the \
`consumers` in the manifest: organisations not listed lose access. An enabled scope \
with no consumers that is not `accessibleForAll: true` therefore grants nobody a token; \
usually a consumer was forgotten, or the list was moved to the wrong entry. The rule \
stays quiet while `consumers` or `accessibleForAll` has the wrong type (`wrong-type` \
reports that). \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): the access list follows `consumers`.",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    consumers:
      - orgno: \"889640782\"
        name: \"NAV\"",
};

impl Rule for MissingOrgno {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in mp.exposes.iter().filter(|e| e.enabled()) {
            let Some(raw) = exposes_node(m, e) else {
                continue;
            };
            let present = |key| raw.get(key).filter(|n| !n.is_null());
            // Open to all, or wrongly typed (then `wrong-type` speaks and the intent is unknown).
            if present("accessibleForAll").is_some()
                && !matches!(e.accessible_for_all, Some(ref f) if !f.value)
            {
                continue;
            }
            // A non-list is `wrong-type`'s; consumers without `orgno` are `missing-field`'s.
            if present("consumers")
                .is_some_and(|n| n.as_seq().is_none_or(|items| !items.is_empty()))
            {
                continue;
            }
            out.push(
                Finding::new(
                    &m.source,
                    e.anchor(),
                    format!("{} is enabled but has no consumers and is not accessibleForAll: no organisation can get a token for it", describe(e, &s.prefix)),
                )
                .help("list the organisations that may use it under `consumers` (`- orgno: \"<9 digits>\"`), or set `accessibleForAll: true` if every organisation may"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, exposing, findings};

    fn lint(extra: &str) -> Vec<String> {
        findings("missing-orgno", &exposing("\"vedtak.read\"", extra))
    }

    #[test]
    fn consumers_or_open_access_pass() {
        assert!(lint("          consumers:\n            - orgno: \"889640782\"\n").is_empty());
        assert!(lint("          accessibleForAll: true\n").is_empty());
    }

    #[test]
    fn nobody_can_use_it() {
        assert_eq!(
            lint(""),
            [
                "11:11 scope \"nav:arbeid:vedtak.read\" is enabled but has no consumers and is not accessibleForAll: no organisation can get a token for it | list the organisations that may use it under `consumers` (`- orgno: \"<9 digits>\"`), or set `accessibleForAll: true` if every organisation may"
            ]
        );
        assert_eq!(
            lint("          consumers: []\n          accessibleForAll: false\n").len(),
            1
        );
    }

    #[test]
    fn quiet_for_disabled_scopes_and_wrong_types() {
        let disabled = "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: false\n          product: \"arbeid\"\n";
        assert!(findings("missing-orgno", &app(disabled)).is_empty());
        assert!(lint("          accessibleForAll: \"true\"\n").is_empty());
        assert!(lint("          consumers: \"889640782\"\n").is_empty());
    }
}
