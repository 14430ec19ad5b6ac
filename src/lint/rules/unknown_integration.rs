//! `unknown-integration`: an `allowedIntegrations` value digdirator does not know.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct UnknownIntegration;

static DOC: RuleDoc = RuleDoc {
    id: "unknown-integration",
    severity: Severity::Warning,
    kind: Kind::Value,
    on_by_default: true,
    rejects: false,
    summary: "`allowedIntegrations` value other than maskinporten, idporten, api_klient, krr",
    explanation: "\
`allowedIntegrations` lists the kinds of DigDir clients that may get a token for the \
scope. The CRD accepts any string, but the integration types digdirator knows are \
`maskinporten`, `idporten`, `api_klient` and `krr` (nais/digdirator); DigDir rejects \
other values when digdirator registers the scope, so a typo fails at runtime instead \
of at deploy time. \
Source: nais/digdirator `pkg/digdir/types/types.go` (the client types it knows, 2025-04-08); DigDir's scope API (`allowed_integration_types`).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    allowedIntegrations:
      - maskinport
      - api-klient",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    allowedIntegrations:
      - maskinporten
      - api_klient",
};

const KNOWN: [&str; 4] = ["maskinporten", "idporten", "api_klient", "krr"];

fn nearest(value: &str) -> Option<&'static str> {
    let normal = value.trim().to_lowercase().replace(['-', ' '], "_");
    KNOWN
        .iter()
        .map(|k| (strsim::levenshtein(k, &normal), *k))
        .min()
        .filter(|(d, k)| *d <= k.len().div_ceil(2))
        .map(|(_, k)| k)
}

impl Rule for UnknownIntegration {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        let values = mp
            .exposes
            .iter()
            .filter_map(|e| e.allowed_integrations.as_ref())
            .flat_map(|f| &f.value);
        for v in values.filter(|v| !KNOWN.contains(&v.value.as_str())) {
            let f = Finding::new(
                &m.source,
                v.span,
                format!(
                    "allowedIntegrations value {:?} is not an integration type digdirator knows",
                    v.value
                ),
            );
            out.push(match nearest(&v.value) {
                Some(k) => f.help(format!("did you mean `{k}`?")),
                None => f.help("use one of maskinporten, idporten, api_klient, krr"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(items: &str) -> Vec<String> {
        findings(
            "unknown-integration",
            &exposing(
                "\"vedtak.read\"",
                &format!("          allowedIntegrations: {items}\n"),
            ),
        )
    }

    #[test]
    fn known_types_pass() {
        assert!(lint("[maskinporten, idporten, api_klient, krr]").is_empty());
    }

    #[test]
    fn typos_get_the_nearest() {
        assert_eq!(
            lint("[maskinport, api-klient]"),
            [
                "14:33 allowedIntegrations value \"maskinport\" is not an integration type digdirator knows | did you mean `maskinporten`?",
                "14:45 allowedIntegrations value \"api-klient\" is not an integration type digdirator knows | did you mean `api_klient`?",
            ]
        );
        assert!(lint("[KRR]")[0].ends_with("did you mean `krr`?"));
    }

    #[test]
    fn unrelated_values_get_the_list() {
        assert!(
            lint("[altinn]")[0].ends_with("use one of maskinporten, idporten, api_klient, krr")
        );
    }
}
