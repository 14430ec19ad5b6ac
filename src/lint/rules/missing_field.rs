//! `missing-field`: a field the CRD requires is missing (or has no value).

use crate::lint::schema::Event;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity, line_span};
use crate::model::Manifest;

pub struct MissingField;

static DOC: RuleDoc = RuleDoc {
    id: "missing-field",
    severity: Severity::Error,
    kind: Kind::Schema,
    on_by_default: true,
    rejects: true,
    summary: "a required field is missing (maskinporten `enabled`; exposes `enabled`, `name`, `product`; consumer `orgno`; consumes `name`)",
    explanation: "\
The CRD marks these fields as required: `enabled` in the maskinporten block; \
`name`, `enabled` and `product` in an exposes entry; `orgno` in a consumer; `name` \
in a consumes entry. The API server rejects a manifest without them (\"Required \
value\"). A key without a value (`name:`) counts as missing: the API server drops \
null values before it validates. The finding points at the line where the mapping \
that lacks the field begins. Source: nais/liberator \
`pkg/apis/nais.io/v1/digdirator_types.go` (`+kubebuilder:validation:Required`, \
2026-07-24) and `config/crd/bases/nais.io_applications.yaml` (2026-08-21).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
};

impl Rule for MissingField {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_schema(
        &self,
        m: &Manifest,
        events: &[Event<'_>],
        _: &Settings,
        out: &mut Vec<Finding>,
    ) {
        for &event in events {
            let Event::Missing {
                node,
                map,
                field,
                null,
            } = event
            else {
                continue;
            };
            let message = match null {
                Some(_) => format!(
                    "required field `{}` of {} has no value",
                    field.key, map.what
                ),
                None => format!("{} lacks the required field `{}`", map.what, field.key),
            };
            let span = match null {
                Some(e) => e.key.span,
                None => line_span(&m.source, node.span.start, node.span),
            };
            out.push(
                Finding::new(&m.source, span, message).help(format!("add `{}`", field.example)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::messages;

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\nENTRY          consumers:\n            - name: KST\n";

    fn findings(entry: &str) -> Vec<String> {
        messages("missing-field", &APP.replace("ENTRY", entry))
    }

    #[test]
    fn reports_each_missing_field_at_the_start_of_its_mapping() {
        assert_eq!(
            findings(""),
            [
                "10:11 an exposes entry lacks the required field `enabled`",
                "10:11 an exposes entry lacks the required field `product`",
                "12:15 a consumer lacks the required field `orgno`",
            ]
        );
    }

    #[test]
    fn a_wrongly_typed_value_is_not_missing() {
        let entry = "          enabled: \"true\"\n          product: arbeid\n";
        assert_eq!(
            findings(entry),
            ["14:15 a consumer lacks the required field `orgno`"]
        );
    }

    #[test]
    fn a_null_value_is_missing() {
        let entry = "          enabled:\n          product: arbeid\n";
        let f = findings(entry);
        assert_eq!(
            f[0],
            "11:11 required field `enabled` of an exposes entry has no value"
        );
    }
}
