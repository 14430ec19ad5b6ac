//! `empty-allowed-integrations`: `allowedIntegrations: []` is rejected by the CRD.

use super::support::exposes_node;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct EmptyAllowedIntegrations;

static DOC: RuleDoc = RuleDoc {
    id: "empty-allowed-integrations",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`allowedIntegrations: []`",
    explanation: "\
`allowedIntegrations` lists the kinds of DigDir clients that may get a token for the \
scope; unset, digdirator uses `[maskinporten]`. The MaskinportenClient CRD in \
nais/liberator requires at least one item (`minItems: 1`), so an empty list makes the API \
server reject the manifest and the deploy fails. It does not mean \"nobody\". \
Source: nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17) (`minItems` of `allowedIntegrations`); nais/digdirator `controllers/common/scopes.go` (2026-07-27) for the default.",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    allowedIntegrations: []",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    allowedIntegrations:
      - maskinporten",
};

impl Rule for EmptyAllowedIntegrations {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            // The model drops wrongly typed items, so look at the list as written.
            let Some(entry) = exposes_node(m, e).and_then(|n| n.get_entry("allowedIntegrations"))
            else {
                continue;
            };
            if entry.value.as_seq().is_some_and(<[_]>::is_empty) {
                out.push(
                    Finding::new(&m.source, entry.value.span, "`allowedIntegrations: []` is an empty list; the CRD requires at least one item")
                        .help("remove the line to get the default `[maskinporten]`, or list the integrations: `allowedIntegrations: [maskinporten]`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(extra: &str) -> Vec<String> {
        findings(
            "empty-allowed-integrations",
            &exposing("\"vedtak.read\"", extra),
        )
    }

    #[test]
    fn empty_list_fails() {
        assert_eq!(
            lint("          allowedIntegrations: []\n"),
            [
                "14:32 `allowedIntegrations: []` is an empty list; the CRD requires at least one item | remove the line to get the default `[maskinporten]`, or list the integrations: `allowedIntegrations: [maskinporten]`"
            ]
        );
    }

    #[test]
    fn unset_or_listed_passes() {
        assert!(lint("").is_empty());
        assert!(lint("          allowedIntegrations:\n            - maskinporten\n").is_empty());
        assert!(lint("          allowedIntegrations: [1]\n").is_empty());
        assert!(lint("          allowedIntegrations:\n").is_empty());
    }
}
