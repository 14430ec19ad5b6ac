//! `maskinporten-disabled`: exposes entries under a maskinporten block that is not enabled.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct MaskinportenDisabled;

static DOC: RuleDoc = RuleDoc {
    id: "maskinporten-disabled",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    summary: "exposes entries exist but `spec.maskinporten.enabled` is false or missing",
    explanation: "\
naiserator (nais/naiserator) creates the MaskinportenClient, and with it every exposed \
scope, only when `spec.maskinporten.enabled` is true. With `enabled: false`, or without \
`enabled`, the exposes entries are ignored: nothing is provisioned and consumers get no \
access, although the manifest looks complete. The finding points at the `enabled` value, \
or at the `maskinporten` key when `enabled` is missing. A wrongly typed `enabled` \
(`\"true\"`) is left to `wrong-type`. \
Source: nais/naiserator (a MaskinportenClient is made only when `spec.maskinporten.enabled` is true).",
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
                format!("spec.maskinporten.enabled is false, so {none} provisioned"),
            ),
            None if mp
                .node
                .as_ref()
                .and_then(|n| n.get("enabled"))
                .is_some_and(|v| !v.is_null()) =>
            {
                return;
            }
            None => (
                mp.key_span(),
                format!("spec.maskinporten has no `enabled`, so {none} provisioned"),
            ),
        };
        out.push(
            Finding::new(&m.source, span, message)
                .help(format!("set `enabled: true` under `maskinporten` to provision {all}, or remove the exposes entries")),
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
                "8:14 spec.maskinporten.enabled is false, so none of the 2 exposed scopes is provisioned | set `enabled: true` under `maskinporten` to provision the 2 exposed scopes, or remove the exposes entries"
            ]
        );
    }

    #[test]
    fn missing_is_reported_at_the_key() {
        assert_eq!(
            lint("", ENTRY),
            [
                "7:3 spec.maskinporten has no `enabled`, so the exposed scope is not provisioned | set `enabled: true` under `maskinporten` to provision the exposed scope, or remove the exposes entries"
            ]
        );
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
