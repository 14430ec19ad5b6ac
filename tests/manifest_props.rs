//! Property tests on random manifests: `maskscope resolve --format json` agrees
//! with the naming engine on every entry it can resolve, and `maskscope lint`
//! finishes without panicking in every format, whatever the names, products,
//! separators, consumers and shapes (wrong types included).

mod common;

use common::maskscope;
use maskscope::naming;
use maskscope::yaml::scalar::{Resolved, resolve_k8s};
use maskscope::yaml::{Scalar, Style};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A YAML value as the generator writes it, and what the model should make of it.
#[derive(Debug, Clone)]
enum Val {
    /// A string, written in double quotes (always a string).
    Quoted(String),
    /// A string written plain; YAML 1.1 may type it as something else.
    Plain(String),
    /// Not a string at all.
    Other(&'static str),
}

impl Val {
    fn yaml(&self) -> String {
        match self {
            Val::Quoted(s) => serde_json::to_string(s).expect("json string"),
            Val::Plain(s) => s.clone(),
            Val::Other(s) => (*s).to_owned(),
        }
    }

    /// The string the model reads, if the value is one.
    fn as_string(&self) -> Option<&str> {
        match self {
            Val::Quoted(s) => Some(s),
            Val::Plain(s) => {
                let scalar = Scalar {
                    text: s.clone(),
                    style: Style::Plain,
                    tag: None,
                };
                (resolve_k8s(&scalar) == Resolved::Str).then_some(s.as_str())
            }
            Val::Other(_) => None,
        }
    }
}

fn wrong_type() -> impl Strategy<Value = Val> {
    prop_oneof![
        Just(Val::Other("123")),
        Just(Val::Other("true")),
        Just(Val::Other("~")),
        Just(Val::Other("[a, b]")),
        Just(Val::Other("{a: b}")),
        Just(Val::Other("[]")),
        Just(Val::Other("1.5")),
    ]
}

/// Strings that are safe to write plain: no indicator at the start, no `: ` or ` #`.
fn plain_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zæøå0-9]{1,8}([/:.][a-zæøå0-9]{1,8}){0,3}",
        "[a-zA-Z][a-zA-Z0-9_./-]{0,12}",
        Just("yes".to_owned()),
        Just("off".to_owned()),
        Just("0x1F".to_owned()),
        Just("1e3".to_owned()),
        Just("null".to_owned()),
    ]
}

/// Any printable text, except `{{`: that would make the file a Handlebars
/// template, which is tested elsewhere.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("\\PC{{0,{max}}}"))
        .expect("valid regex")
        .prop_filter("no template", |s| !s.contains("{{"))
}

fn text(valid: &'static str) -> impl Strategy<Value = Val> {
    prop_oneof![
        4 => valid.prop_map(Val::Quoted),
        2 => plain_text().prop_map(Val::Plain),
        1 => any_text(24).prop_map(Val::Quoted),
        1 => Just(Val::Quoted(String::new())),
        1 => wrong_type(),
    ]
}

fn name() -> impl Strategy<Value = Val> {
    text("[a-zæøå0-9]{1,8}([/:.][a-zæøå0-9]{1,8}){0,4}")
}

fn product() -> impl Strategy<Value = Val> {
    text("[a-z0-9]{1,10}")
}

fn separator() -> impl Strategy<Value = Option<Val>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Val::Quoted("/".into()))),
        1 => Just(Some(Val::Quoted(":".into()))),
        1 => Just(Some(Val::Quoted(".".into()))),
        1 => Just(Some(Val::Quoted(String::new()))),
        1 => any_text(3).prop_map(|s| Some(Val::Quoted(s))),
        1 => wrong_type().prop_map(Some),
    ]
}

fn consumers() -> impl Strategy<Value = Option<String>> {
    let orgno = prop_oneof![
        Just("\"889640782\"".to_owned()),
        Just("123456789".to_owned()),
        Just("\"12345\"".to_owned()),
        Just("[1]".to_owned()),
    ];
    prop_oneof![
        Just(None),
        Just(Some("{}".to_owned())),
        Just(Some("\"everyone\"".to_owned())),
        prop::collection::vec(orgno, 0..4).prop_map(|orgnos| {
            Some(if orgnos.is_empty() {
                "[]".to_owned()
            } else {
                orgnos
                    .iter()
                    .map(|o| format!("\n            - orgno: {o}"))
                    .collect()
            })
        }),
    ]
}

#[derive(Debug, Clone)]
struct Entry {
    name: Option<Val>,
    product: Option<Val>,
    separator: Option<Val>,
    enabled: &'static str,
    consumers: Option<String>,
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        prop::option::weighted(0.9, name()),
        prop::option::weighted(0.9, product()),
        separator(),
        prop::sample::select(vec!["true", "false", "\"true\"", "yes"]),
        consumers(),
    )
        .prop_map(|(name, product, separator, enabled, consumers)| Entry {
            name,
            product,
            separator,
            enabled,
            consumers,
        })
}

/// The `exposes` value: usually a list of entries, sometimes the wrong shape.
#[derive(Debug, Clone)]
enum Exposes {
    List(Vec<Entry>),
    Wrong(&'static str),
}

#[derive(Debug, Clone)]
struct Doc {
    kind: &'static str,
    exposes: Exposes,
}

fn doc() -> impl Strategy<Value = Doc> {
    let kind = prop::sample::select(vec![
        "apiVersion: nais.io/v1alpha1\nkind: Application",
        "apiVersion: nais.io/v1\nkind: Naisjob",
        "apiVersion: kafka.nais.io/v1\nkind: Topic",
    ]);
    let exposes = prop_oneof![
        8 => prop::collection::vec(entry(), 0..6).prop_map(Exposes::List),
        1 => prop::sample::select(vec!["{}", "\"text\"", "~", "[1, [2]]"]).prop_map(Exposes::Wrong),
    ];
    (kind, exposes).prop_map(|(kind, exposes)| Doc { kind, exposes })
}

fn write_doc(d: &Doc, i: usize) -> String {
    let mut s = format!(
        "---\n{}\nmetadata:\n  name: app-{i}\n  namespace: team\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:",
        d.kind
    );
    match &d.exposes {
        Exposes::Wrong(v) => s.push_str(&format!(" {v}\n")),
        Exposes::List(entries) if entries.is_empty() => s.push_str(" []\n"),
        Exposes::List(entries) => {
            s.push('\n');
            for e in entries {
                s.push_str(&format!("        - enabled: {}\n", e.enabled));
                for (key, v) in [
                    ("name", &e.name),
                    ("product", &e.product),
                    ("separator", &e.separator),
                ] {
                    if let Some(v) = v {
                        s.push_str(&format!("          {key}: {}\n", v.yaml()));
                    }
                }
                if let Some(c) = &e.consumers {
                    s.push_str(&format!("          consumers: {c}\n"));
                }
            }
        }
    }
    s
}

/// What resolve must print: (product, name, separator, scope) of every entry
/// with a non-empty string name and product, in order.
fn expected(docs: &[Doc], prefix: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| !d.kind.ends_with("Topic")) {
        let Exposes::List(entries) = &d.exposes else {
            continue;
        };
        for e in entries {
            let get = |v: &Option<Val>| v.as_ref().and_then(Val::as_string).map(str::to_owned);
            let (Some(name), Some(product)) = (get(&e.name), get(&e.product)) else {
                continue;
            };
            if name.is_empty() || product.is_empty() {
                continue;
            }
            let sep = get(&e.separator);
            let r = naming::resolve(prefix, &product, &name, sep.as_deref());
            out.push((product, name, r.separator, r.scope));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn resolve_agrees_with_the_naming_engine(
        docs in prop::collection::vec(doc(), 1..5),
        prefix in "[a-z]{1,6}",
    ) {
        let text: String = docs.iter().enumerate().map(|(i, d)| write_doc(d, i)).collect();
        let r = maskscope(root(), ["resolve", "--format", "json", "--prefix", &prefix, "-"], Some(&text));
        prop_assert_eq!(r.code, 0, "stderr: {}\ninput:\n{}", r.stderr, text);
        let json: Value = serde_json::from_str(&r.stdout).expect("json output");
        let got: Vec<(String, String, String, String)> = json
            .as_array()
            .expect("a list")
            .iter()
            .map(|s| {
                let f = |k: &str| s[k].as_str().expect(k).to_owned();
                (f("product"), f("name"), f("separator"), f("scope"))
            })
            .collect();
        prop_assert_eq!(got, expected(&docs, &prefix), "input:\n{}", text);
    }

    /// Lint never panics on such manifests: it finishes with 0 (clean) or 1 (findings).
    #[test]
    fn lint_finishes_on_random_manifests(docs in prop::collection::vec(doc(), 1..5)) {
        let text: String = docs.iter().enumerate().map(|(i, d)| write_doc(d, i)).collect();
        for format in ["human", "json", "sarif", "github"] {
            let r = maskscope(root(), ["lint", "--format", format, "-"], Some(&text));
            prop_assert!(!r.stderr.contains("panicked"), "{}\ninput:\n{}", r.stderr, text);
            prop_assert!(matches!(r.code, 0 | 1), "exit {:?}: {}\ninput:\n{}", r.code, r.stderr, text);
        }
    }
}
