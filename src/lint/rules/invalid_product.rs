//! `invalid-product`: the product must match the CRD pattern `^[a-z0-9]+$`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use regex::Regex;
use std::sync::LazyLock;

pub struct InvalidProduct;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-product",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`product` does not match `^[a-z0-9]+$`",
    explanation: "\
The product is the first part of the subscope (`<product><separator><name>`). The \
MaskinportenClient CRD in nais/liberator validates it with the pattern `^[a-z0-9]+$`: \
lowercase ASCII letters and digits only. The API server rejects the manifest otherwise, \
so the deploy fails. Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) (`+kubebuilder:validation:Pattern` on `product`) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"Arbeid-Og-Ytelser\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeidogytelser\"",
};

static PATTERN: LazyLock<Regex> = LazyLock::new(|| Regex::new("^[a-z0-9]+$").expect("valid regex"));

impl Rule for InvalidProduct {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for product in mp.exposes.iter().filter_map(|e| e.product.as_ref()) {
            if PATTERN.is_match(&product.value) {
                continue;
            }
            let fixed: String = product
                .value
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let mut f = Finding::new(
                &m.source,
                product.span,
                format!("product {:?} does not match `^[a-z0-9]+$`", product.value),
            );
            f = if fixed.is_empty() {
                f.help("use lowercase letters a-z and digits only")
            } else {
                f.help(format!(
                    "use lowercase letters a-z and digits only: `product: \"{fixed}\"`"
                ))
            };
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::messages;

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\n          enabled: true\n          product: PRODUCT\n";

    fn findings(product: &str) -> Vec<String> {
        messages("invalid-product", &APP.replace("PRODUCT", product))
    }

    #[test]
    fn fails_on_uppercase_and_dash() {
        assert_eq!(
            findings("\"Arbeid-X\""),
            ["13:20 product \"Arbeid-X\" does not match `^[a-z0-9]+$`"]
        );
    }

    #[test]
    fn passes_on_lowercase() {
        assert!(findings("\"arbeid2\"").is_empty());
    }
}
