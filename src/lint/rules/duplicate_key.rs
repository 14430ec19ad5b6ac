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
    rejects: false,
    summary: "a key appears twice in one mapping",
    explanation: "\
YAML requires the keys of a mapping to be unique, but nais deploy does not enforce \
it: the deploy client decodes the rendered file with gopkg.in/yaml.v2 without strict \
mode and encodes it again before sending it, so a duplicate key is no error there: the \
last value silently wins, and the cluster never sees the first one. The deploy \
succeeds with whichever value comes last, which is often not the one a reviewer reads \
(the first, near the keys around it). `nais validate` (nais/cli) parses with \
goccy/go-yaml and rejects the file. Remove one of the two, keeping the value you mean. \
Source: nais/deploy `pkg/deployclient/template.go` (`yamlv2.NewDecoder` without \
`SetStrict`, e90640a, 2026-05-29); nais/cli `internal/validate/` (2026-07); YAML 1.2.2 \
specification, section 3.2.1.1 (keys are unique).",
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
                        "key {k:?} appears twice in this mapping (first on line {}); nais deploy silently keeps this last value, and `nais validate` rejects the file",
                        d.first.start.line
                    ),
                )
                .help(format!(
                    "remove one of the two `{k}` keys, keeping the value you mean: the deploy uses the last one and drops the other"
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
                "9:5 key \"enabled\" appears twice in this mapping (first on line 8); nais deploy silently keeps this last value, and `nais validate` rejects the file",
                "10:3 key \"image\" appears twice in this mapping (first on line 6); nais deploy silently keeps this last value, and `nais validate` rejects the file",
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
