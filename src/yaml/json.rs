//! A YAML stream as nais deploy sends it: each document decoded by yaml.v2
//! (YAML 1.1 types, not strict: a key written twice keeps its last value),
//! re-encoded and turned into JSON by ghodss/yaml, whose mapping keys are
//! strings (`1` and `true` as keys become `"1"` and `"true"`).

use super::scalar::{Resolved, resolve_k8s};
use super::{Budget, Node, ParseError, Value, parse_stream};
use serde_json::{Map, Value as Json};

/// The documents of `text` as the deploy sends them, or why the deploy
/// cannot decode it.
pub fn documents(text: &str) -> Result<Vec<Json>, ParseError> {
    let (docs, err) = parse_stream(text, Budget::default());
    if let Some(e) = err {
        return Err(e);
    }
    docs.iter().map(|d| to_json(&d.root)).collect()
}

/// The first document of `text` (all that yaml.v2's `Unmarshal` reads), as
/// ghodss/yaml reads a vars file; `None` for an empty text.
pub fn first_document(text: &str, budget: Budget) -> Result<Option<Json>, ParseError> {
    let (docs, err) = parse_stream(text, budget);
    match (docs.first(), err) {
        (Some(d), _) => to_json(&d.root).map(Some),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(None),
    }
}

fn fail(node: &Node, message: String) -> ParseError {
    ParseError {
        message,
        pos: node.span.start,
    }
}

/// What yaml.v2 refuses while it decodes, anywhere in the document (a value
/// a later key replaces included): a scalar its tag does not fit, a list or
/// mapping as a mapping key.
fn check_decode(node: &Node) -> Result<(), ParseError> {
    match &node.value {
        Value::Scalar(s) => match super::scalar::tag_mismatch(s) {
            Some(message) => Err(fail(node, message)),
            None => Ok(()),
        },
        Value::Seq(items) => items.iter().try_for_each(check_decode),
        Value::Map(entries) => entries.iter().try_for_each(|e| {
            if !matches!(e.key.value, Value::Scalar(_)) {
                return Err(fail(
                    &e.key,
                    "a mapping key that is a list or mapping: the deploy cannot decode it (invalid map key)"
                        .into(),
                ));
            }
            check_decode(&e.key)?;
            check_decode(&e.value)
        }),
        Value::Skipped => Ok(()),
    }
}

fn to_json(node: &Node) -> Result<Json, ParseError> {
    check_decode(node)?;
    json_of(node)
}

/// The JSON of a decoded node: a key written twice keeps its last value,
/// and only what is kept must be something JSON can hold.
fn json_of(node: &Node) -> Result<Json, ParseError> {
    Ok(match &node.value {
        Value::Scalar(s) => match resolve_k8s(s) {
            Resolved::Null => Json::Null,
            Resolved::Bool(b) => Json::Bool(b),
            Resolved::Int(i) => Json::from(i),
            Resolved::Float(f) => match serde_json::Number::from_f64(f) {
                Some(n) => Json::Number(n),
                None => {
                    return Err(fail(
                        node,
                        format!(
                            "json: unsupported value: {f} (the deploy cannot send `{}`)",
                            s.text
                        ),
                    ));
                }
            },
            Resolved::Str => Json::String(s.text.clone()),
        },
        Value::Seq(items) => Json::Array(items.iter().map(json_of).collect::<Result<_, _>>()?),
        Value::Map(entries) => {
            let mut kept: std::collections::HashMap<String, &Node> = Default::default();
            for e in entries {
                kept.insert(key_string(&e.key)?, &e.value);
            }
            let mut m = Map::new();
            for (k, v) in kept {
                m.insert(k, json_of(v)?);
            }
            Json::Object(m)
        }
        Value::Skipped => Json::Null,
    })
}

/// ghodss/yaml's key conversion.
fn key_string(key: &Node) -> Result<String, ParseError> {
    let Value::Scalar(s) = &key.value else {
        return Err(fail(
            key,
            "a mapping key that is a list or mapping: the deploy cannot decode it".into(),
        ));
    };
    Ok(match resolve_k8s(s) {
        Resolved::Str => s.text.clone(),
        Resolved::Int(i) => i.to_string(),
        Resolved::Bool(b) => b.to_string(),
        Resolved::Float(f) => format!("{}", f as f32),
        Resolved::Null => {
            return Err(fail(
                key,
                "a mapping key that is null: the deploy cannot turn it into JSON (Unsupported map key)"
                    .into(),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml11_types_last_duplicate_and_string_keys() {
        let docs = documents("a: yes\nb: 010\nc: \"1\"\na: no\n1: x\n---\n---\n- ~\n").unwrap();
        assert_eq!(
            docs,
            vec![
                json!({"a": false, "b": 8, "c": "1", "1": "x"}),
                Json::Null,
                json!([null])
            ]
        );
    }

    #[test]
    fn integers_as_go_reads_them() {
        assert_eq!(documents("0o17: 0X1F\n").unwrap(), vec![json!({"15": 31})]);
    }

    #[test]
    fn what_yaml_v2_and_ghodss_yaml_cannot_decode() {
        for text in [
            "~: x\n",
            "? [a]\n: b\n",
            "a: .inf\n",
            "a: [1, .nan]\n",
            "a: !!int x\n",
        ] {
            assert!(documents(text).is_err(), "{text}");
        }
        assert_eq!(documents("a: !!float 1\n").unwrap(), vec![json!({"a": 1})]);
    }
}
