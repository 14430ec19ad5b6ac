//! `wrong-type`: a value whose type, as the API server reads it (YAML 1.1),
//! is not the one the CRD wants.

use crate::lint::schema::{Event, Shape};
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity, line_span};
use crate::model::Manifest;
use crate::yaml::{Node, Value};

pub struct WrongType;

static DOC: RuleDoc = RuleDoc {
    id: "wrong-type",
    severity: Severity::Error,
    kind: Kind::Schema,
    on_by_default: true,
    rejects: true,
    summary: "a value of the wrong type as the API server sees it (`enabled: \"true\"`, unquoted `orgno`, `atMaxAge: \"60\"`, ...)",
    explanation: "\
The API server types values with YAML 1.1 rules (sigs.k8s.io/yaml) and validates \
them against the CRD's OpenAPI schema, which does not convert between types: \
`orgno` must be a string, so an unquoted `orgno: 889640782` is an integer and is \
rejected (\"must be of type string\"); `enabled: \"true\"` is a string, not a \
boolean; `atMaxAge: \"60\"` is not an integer; `exposes` must be a list. The deploy \
fails. Quote what must be a string and unquote booleans and numbers. Source: \
nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (MaskinportenScope, \
Consumer, 2026-07-24); nais/deploy `pkg/deployd/strategy/deploy.go` (applied with \
strict validation, 2024-01-09).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: \"true\"
    product: \"arbeid\"
    atMaxAge: \"60\"
    consumers:
      - orgno: 889640782",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    atMaxAge: 60
    consumers:
      - orgno: \"889640782\"",
};

impl Rule for WrongType {
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
            let Event::WrongType {
                node,
                key,
                expected,
                found,
            } = event
            else {
                continue;
            };
            let written = m.source.text.get(node.span.range()).unwrap_or("");
            let actual = match &node.value {
                Value::Scalar(_) => format!("the {found} {}", quote_short(written)),
                _ => format!("a {found}"),
            };
            let name = key.and_then(Node::key_text);
            let message = match name {
                Some(k) => format!("`{k}` must be {}, not {actual}", expected.a_name()),
                None => format!("expected {} here, not {actual}", expected.a_name()),
            };
            // A list or mapping is shown at its first line, not underlined whole.
            let span = match &node.value {
                Value::Scalar(_) => node.span,
                _ => line_span(&m.source, node.span.start, node.span),
            };
            let mut f = Finding::new(&m.source, span, message);
            if let Some(h) = help(node, name, expected) {
                f = f.help(h);
            }
            out.push(f);
        }
    }
}

fn quote_short(written: &str) -> String {
    let one_line = written.lines().next().unwrap_or("");
    if one_line.chars().count() > 40 || one_line.len() < written.len() {
        format!("`{}...`", one_line.chars().take(40).collect::<String>())
    } else {
        format!("`{one_line}`")
    }
}

/// The corrected value where one can be derived.
fn help(node: &Node, key: Option<&str>, expected: &Shape) -> Option<String> {
    let show = |value: String| match key {
        Some(k) => format!("`{k}: {value}`"),
        None => format!("`- {value}`"),
    };
    match (expected, &node.value) {
        (Shape::Str, Value::Scalar(s)) => {
            Some(format!("quote it: {}", show(format!("{:?}", s.text))))
        }
        (Shape::Bool, Value::Scalar(s)) => Some(match s.text.trim().to_lowercase().as_str() {
            "true" | "yes" | "on" | "y" => {
                format!("write the boolean without quotes: {}", show("true".into()))
            }
            "false" | "no" | "off" | "n" => {
                format!("write the boolean without quotes: {}", show("false".into()))
            }
            _ => "write `true` or `false`, without quotes".to_owned(),
        }),
        (Shape::Int, Value::Scalar(s)) => Some(match s.text.trim().parse::<i64>() {
            Ok(i) => format!("write the number without quotes: {}", show(i.to_string())),
            Err(_) => "write a whole number without quotes".to_owned(),
        }),
        (Shape::List(Shape::Str), Value::Scalar(s)) => {
            Some(format!("write a list: {}", show(format!("[{}]", s.text))))
        }
        (Shape::List(_), Value::Map(_)) => {
            Some("write a list: start each entry with `- `".to_owned())
        }
        (Shape::List(_), _) => {
            Some("write a list, with each item on a line starting with `- `".to_owned())
        }
        (Shape::Map(shape), _) => Some(format!(
            "{} is a mapping with keys such as {}",
            shape.what,
            shape
                .keys()
                .take(3)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640782\"\n";

    fn findings(from: &str, to: &str) -> Vec<String> {
        let text = APP.replace(from, to);
        assert_ne!(text, APP, "{from} not in the manifest");
        check_text("t.yaml", &text, &Settings::default())
            .into_iter()
            .filter(|d| d.rule == "wrong-type")
            .map(|d| {
                let at = d.finding.span.start;
                format!(
                    "{}:{} {} | {}",
                    at.line,
                    at.column,
                    d.finding.message,
                    d.finding.help.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn unquoted_orgno() {
        assert_eq!(
            findings("\"889640782\"", "889640782"),
            [
                "14:22 `orgno` must be a string, not the integer `889640782` | quote it: `orgno: \"889640782\"`"
            ]
        );
    }

    #[test]
    fn quoted_boolean_and_number() {
        assert_eq!(
            findings(
                "enabled: true\n          product",
                "enabled: \"true\"\n          atMaxAge: \"60\"\n          product"
            ),
            [
                "11:20 `enabled` must be a boolean, not the string `\"true\"` | write the boolean without quotes: `enabled: true`",
                "12:21 `atMaxAge` must be an integer, not the string `\"60\"` | write the number without quotes: `atMaxAge: 60`",
            ]
        );
    }

    #[test]
    fn exposes_as_a_mapping() {
        let f = findings("exposes:\n        - name", "exposes:\n          name");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].starts_with("10:11 `exposes` must be a list, not a mapping"),
            "{f:?}"
        );
    }

    #[test]
    fn yes_is_a_boolean_to_the_cluster() {
        assert!(
            findings(
                "enabled: true\n          product",
                "enabled: yes\n          product"
            )
            .is_empty()
        );
    }

    #[test]
    fn correct_types_pass() {
        assert!(findings("x.read", "y.read").is_empty());
    }
}
