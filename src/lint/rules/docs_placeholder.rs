//! `docs-placeholder`: the nais documentation's example values pasted into a
//! real manifest.

use super::invalid_orgno::consumer_orgnos;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct DocsPlaceholder;

static DOC: RuleDoc = RuleDoc {
    id: "docs-placeholder",
    severity: Severity::Warning,
    kind: Kind::Value,
    on_by_default: true,
    rejects: false,
    summary: "an example value from the nais docs (`arbeid` + `some.scope.read`, orgno `123456789`, `skatt:scope.read`)",
    explanation: "\
The nais docs show Maskinporten configuration with made-up values, and a manifest \
started from the example keeps them: an exposed scope `nav:arbeid:scope.read` that no \
one consumes, a consumer with the placeholder orgno `123456789` (no organisation has \
it: its check digit is wrong, and DigDir rejects it), a consumed scope \
`skatt:scope.read` that Skatteetaten does not have. The deploy succeeds, and the \
mistake shows up only when a consumer or the token request fails. The rule matches \
the docs' examples as combinations, not single words: product `arbeid` with name \
`some.scope.read`, `some/scope.read`, `scope.read`, `some.scope`, `test.scope` or \
`test/scope` (the older docs' and the naming table's); the orgno `123456789`; consumed `skatt:scope.read`, `skatt:some.scope`, \
`skatt:some.scope.read` and `nav:some/other/scope`. `arbeid` alone is a real \
product, and so is `scope` in a longer name; the current docs' `helse` + \
`sykepenger/afp.read` is left out, since it reads like a real scope. \
Source: nais/doc `docs/auth/maskinporten/how-to/secure.md`, `how-to/consume.md` and \
`reference/README.md` (the examples, 2026-01-15); the older docs' examples \
(`arbeid`/`some.scope.read`, orgno `123456789`), removed in 2024.",
    bad: "\
exposes:
  - name: \"scope.read\"
    enabled: true
    product: \"arbeid\"
    consumers:
      - orgno: \"123456789\"
        name: \"KST\"",
    good: "\
exposes:
  - name: \"krav.read\"
    enabled: true
    product: \"arbeid\"
    consumers:
      - orgno: \"974761076\"
        name: \"Skatteetaten\"",
};

/// Products and names of the docs' exposed examples.
const EXPOSED: &[(&str, &[&str])] = &[(
    "arbeid",
    &[
        "some.scope.read",
        "some/scope.read",
        "scope.read",
        "some.scope",
        "test.scope",
        "test/scope",
    ],
)];

/// The docs' placeholder organisation number; `orgno-checksum` leaves it to this rule.
pub(super) const ORGNO: &str = "123456789";

/// The docs' consumed examples.
const CONSUMED: &[&str] = &[
    "skatt:scope.read",
    "skatt:some.scope",
    "skatt:some.scope.read",
    "nav:some/other/scope",
];

impl Rule for DocsPlaceholder {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let (Some(product), Some(name)) = (&e.product, &e.name) else {
                continue;
            };
            let example = EXPOSED
                .iter()
                .any(|(p, names)| *p == product.value && names.contains(&name.value.as_str()));
            if example {
                out.push(
                    Finding::new(
                        &m.source,
                        name.span,
                        format!(
                            "product {:?} with name {:?} is an example from the nais docs, not a scope of this application",
                            product.value, name.value
                        ),
                    )
                    .help("name the resource the scope gives access to, e.g. `name: \"krav.read\"`; a registered scope keeps its name (renaming creates a new one)"),
                );
            }
        }
        for orgno in consumer_orgnos(m).filter(|o| o.value == ORGNO) {
            out.push(
                Finding::new(
                    &m.source,
                    orgno.span,
                    format!("orgno {ORGNO:?} is the nais docs' placeholder: no organisation has it"),
                )
                .help("write the consumer's organisation number (Enhetsregisteret), or remove the consumer"),
            );
        }
        for c in &mp.consumes {
            let Some(name) = c
                .name
                .as_ref()
                .filter(|n| CONSUMED.contains(&n.value.as_str()))
            else {
                continue;
            };
            out.push(
                Finding::new(
                    &m.source,
                    name.span,
                    format!(
                        "consumed scope {:?} is an example from the nais docs; Maskinporten refuses a token for it",
                        name.value
                    ),
                )
                .help("write the scope the provider gave you, or remove the entry"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, findings};

    fn block(product: &str, name: &str, orgno: &str, consumes: &str) -> String {
        app(&format!(
            "  maskinporten:\n    enabled: true\n    scopes:\n      consumes:\n        - name: \"{consumes}\"\n      exposes:\n        - name: \"{name}\"\n          enabled: true\n          product: \"{product}\"\n          consumers:\n            - orgno: \"{orgno}\"\n"
        ))
    }

    #[test]
    fn the_docs_example_is_reported_value_by_value() {
        assert_eq!(
            findings(
                "docs-placeholder",
                &block("arbeid", "scope.read", "123456789", "skatt:scope.read")
            ),
            [
                "11:17 consumed scope \"skatt:scope.read\" is an example from the nais docs; Maskinporten refuses a token for it | write the scope the provider gave you, or remove the entry",
                "13:17 product \"arbeid\" with name \"scope.read\" is an example from the nais docs, not a scope of this application | name the resource the scope gives access to, e.g. `name: \"krav.read\"`; a registered scope keeps its name (renaming creates a new one)",
                "17:22 orgno \"123456789\" is the nais docs' placeholder: no organisation has it | write the consumer's organisation number (Enhetsregisteret), or remove the consumer",
            ]
        );
    }

    #[test]
    fn single_words_of_the_example_pass() {
        for (product, name) in [
            ("arbeid", "arbeidssoekerperioder.read"),
            ("paw", "scope.read"),
            ("arbeid", "some.scope.write"),
            ("helse", "sykepenger.read"),
        ] {
            let f = findings(
                "docs-placeholder",
                &block(product, name, "889640782", "skatteetaten:skattekort"),
            );
            assert!(f.is_empty(), "{product} {name}: {f:?}");
        }
    }
}
