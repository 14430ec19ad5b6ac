//! `duplicate-key`: a key written twice in one mapping, anywhere in an
//! Application or Naisjob document.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct DuplicateKey;

static DOC: RuleDoc = RuleDoc {
    id: "duplicate-key",
    severity: Severity::Error,
    kind: Kind::Yaml,
    on_by_default: true,
    summary: "a key appears twice in one mapping",
    explanation: "\
YAML requires the keys of a mapping to be unique. nais deploy applies every resource \
with strict field validation, and the API server rejects a duplicate field, so the \
deploy fails with \"strict decoding error: ... duplicate field\". Many editors, review \
tools and other YAML readers silently keep the last value, so what a reviewer sees is \
not what was meant. Remove one of the two, keeping the value you mean. \
Source: nais/deploy `pkg/deployd/strategy/deploy.go` (`FieldValidation: Strict`, \
39fa515, 2024-01-09); YAML 1.2.2 specification, section 3.2.1.1 (keys are unique).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: false
    product: \"arbeid\"
    enabled: true",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
};

impl Rule for DuplicateKey {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        // The parser records duplicates while it builds each mapping.
        for d in &m.duplicates {
            let k = &d.key;
            out.push(
                Finding::new(
                    &m.source,
                    d.again,
                    format!(
                        "key {k:?} appears twice in this mapping (first on line {})",
                        d.first.start.line
                    ),
                )
                .help(format!(
                    "remove one of the two `{k}` keys, keeping the value you mean"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::messages;

    fn findings(text: &str) -> Vec<String> {
        messages("duplicate-key", text)
    }

    const HEAD: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n";

    #[test]
    fn reports_the_later_key_anywhere_in_the_document() {
        let text = format!(
            "{HEAD}spec:\n  image: x\n  maskinporten:\n    enabled: false\n    enabled: true\n  image: y\n"
        );
        assert_eq!(
            findings(&text),
            [
                "9:5 key \"enabled\" appears twice in this mapping (first on line 8)",
                "10:3 key \"image\" appears twice in this mapping (first on line 6)",
            ]
        );
    }

    #[test]
    fn same_key_in_different_mappings_passes() {
        let text = format!("{HEAD}spec:\n  a:\n    name: x\n  b:\n    name: x\n");
        assert!(findings(&text).is_empty());
    }

    #[test]
    fn other_kinds_are_not_checked() {
        assert!(findings("kind: ConfigMap\ndata:\n  a: 1\n  a: 2\n").is_empty());
    }
}
