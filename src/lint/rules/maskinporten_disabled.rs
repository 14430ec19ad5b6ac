//! `maskinporten-disabled`: exposes entries under a maskinporten block that is not enabled.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct MaskinportenDisabled;

static DOC: RuleDoc = RuleDoc {
    id: "maskinporten-disabled",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "exposes entries exist but `spec.maskinporten.enabled` is false",
    explanation: "\
naiserator creates the MaskinportenClient, which carries every exposed scope, only when \
`spec.maskinporten.enabled` is true. What `enabled: false` does depends on whether the \
client exists. For an application that never had it, nothing is provisioned: the \
exposes entries are inert although the manifest looks complete. For an application \
whose scopes are registered, switching off deletes the MaskinportenClient; its \
finalizer deactivates only the scopes that are already disabled and skips the enabled \
ones, which stay active in Maskinporten with their consumers, now managed by nobody. \
To retire the scopes, set `enabled: false` on each exposes entry, deploy, and only \
then switch Maskinporten off. A missing `enabled` is not ignored: the CRD requires it \
and the deploy is rejected, which `missing-field` reports; a wrongly typed `enabled` \
(`\"true\"`) is left to `wrong-type`. The finding points at the `enabled` value. \
Source: nais/naiserator `pkg/resourcecreator/maskinporten/maskinportenclient.go` (a \
client only when enabled, 2024-11-18); nais/digdirator `controllers/common/finalizer.go` \
(2026-01-06) and `controllers/common/scopes.go` (the finalizer skips enabled scopes, \
2026-07-27).",
    bad: "\
maskinporten:
  enabled: false
  scopes:
    exposes:
      - name: \"vedtak.read\"
        enabled: true
        product: \"arbeid\"",
    good: "\
maskinporten:
  enabled: true
  scopes:
    exposes:
      - name: \"vedtak.read\"
        enabled: true
        product: \"arbeid\"",
};

impl Rule for MaskinportenDisabled {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        let n = mp.exposes.len();
        if n == 0 {
            return;
        }
        let (none, all) = if n == 1 {
            (
                "the exposed scope is not".to_owned(),
                "the exposed scope".to_owned(),
            )
        } else {
            (
                format!("none of the {n} exposed scopes is"),
                format!("the {n} exposed scopes"),
            )
        };
        let (span, message) = match &mp.enabled {
            Some(f) if f.value => return,
            Some(f) => (
                f.span,
                format!(
                    "spec.maskinporten.enabled is false, so {none} provisioned, and scopes already registered are left as they are"
                ),
            ),
            // Missing: the CRD rejects the manifest (`missing-field`).
            // Wrongly typed: `wrong-type`.
            None => return,
        };
        out.push(
            Finding::new(&m.source, span, message)
                .help(format!("set `enabled: true` under `maskinporten` to provision {all}; if the scopes are registered and should be retired, switch off in steps: set `enabled: false` on each exposes entry, deploy, then set `maskinporten.enabled: false` (switched off at once, enabled scopes stay active with their consumers)")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, findings};

    const ENTRY: &str =
        "        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n";

    fn lint(enabled: &str, entries: &str) -> Vec<String> {
        findings(
            "maskinporten-disabled",
            &app(&format!(
                "  maskinporten:\n{enabled}    scopes:\n      exposes:\n{entries}"
            )),
        )
    }

    #[test]
    fn enabled_passes() {
        assert!(lint("    enabled: true\n", ENTRY).is_empty());
    }

    #[test]
    fn disabled_is_reported_at_the_value() {
        assert_eq!(
            lint("    enabled: false\n", &format!("{ENTRY}{ENTRY}")),
            [
                "8:14 spec.maskinporten.enabled is false, so none of the 2 exposed scopes is provisioned, and scopes already registered are left as they are | set `enabled: true` under `maskinporten` to provision the 2 exposed scopes; if the scopes are registered and should be retired, switch off in steps: set `enabled: false` on each exposes entry, deploy, then set `maskinporten.enabled: false` (switched off at once, enabled scopes stay active with their consumers)"
            ]
        );
    }

    #[test]
    fn missing_is_left_to_missing_field() {
        assert!(lint("", ENTRY).is_empty());
        let missing = findings(
            "missing-field",
            &app(&format!(
                "  maskinporten:\n    scopes:\n      exposes:\n{ENTRY}"
            )),
        );
        assert_eq!(missing.len(), 1, "{missing:?}");
    }

    #[test]
    fn quiet_without_exposes_or_with_a_wrongly_typed_enabled() {
        assert!(
            findings(
                "maskinporten-disabled",
                &app("  maskinporten:\n    enabled: false\n")
            )
            .is_empty()
        );
        assert!(lint("    enabled: \"false\"\n", ENTRY).is_empty());
    }
}
