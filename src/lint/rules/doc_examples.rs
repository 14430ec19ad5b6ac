//! Checks that each rule's documented examples do what the documentation says:
//! the failing excerpt gives a finding of the rule, the fixed one does not. The
//! excerpts are placed into a complete Application according to their first key.

use super::find;
use crate::lint::{Kind, Settings, check_text};

const HEADER: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: vedtak-api\n  namespace: team-arbeid\n";

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// A whole manifest stream around an excerpt, and the settings its comment asks for.
fn embed(excerpt: &str) -> (String, Settings) {
    let mut settings = Settings::default();
    let first = excerpt.lines().next().unwrap_or("");
    if let Some(cluster) = first.strip_prefix("# maskscope lint --cluster ") {
        settings.cluster = Some(cluster.to_owned());
        settings.on_prem = cluster.ends_with("-fss");
    }
    let text = if first.starts_with("exposes:") {
        format!(
            "{HEADER}spec:\n  maskinporten:\n    enabled: true\n    scopes:\n{}",
            indent(excerpt, 6)
        )
    } else if first.starts_with("consumers:") {
        let entry =
            "- name: \"vedtak.read\"\n  enabled: true\n  product: \"arbeid\"\n  separator: \"/\"\n";
        format!(
            "{HEADER}spec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n{}{}",
            indent(entry, 8),
            indent(excerpt, 10)
        )
    } else if first.starts_with("maskinporten:") {
        format!("{HEADER}spec:\n{}", indent(excerpt, 2))
    } else if first.starts_with("# maskscope lint") {
        format!("{HEADER}{excerpt}\n")
    } else if first.starts_with("# ") && first.ends_with(".yaml") {
        // Several files: one document each, with the kind around it.
        excerpt
            .split("\n# ")
            .map(|doc| {
                let body = doc.split_once('\n').map_or("", |(_, b)| b);
                format!("apiVersion: nais.io/v1alpha1\nkind: Application\n{body}\n")
            })
            .collect::<Vec<_>>()
            .join("---\n")
    } else {
        panic!("no way to embed an excerpt starting with {first:?}");
    };
    (text, settings)
}

fn count(rule: &str, excerpt: &str) -> usize {
    let (text, settings) = embed(excerpt);
    check_text("doc.yaml", &text, &settings)
        .iter()
        .filter(|d| d.rule == rule)
        .count()
}

/// The value and semantic rules; their excerpts all embed as above.
fn rules() -> Vec<&'static str> {
    super::ids_of(&[Kind::Value, Kind::Semantic])
}

#[test]
fn bad_examples_fail_and_good_examples_pass() {
    let rules = rules();
    assert!(rules.len() >= 20, "{rules:?}");
    for id in rules {
        let doc = find(id)
            .unwrap_or_else(|| panic!("{id} is registered"))
            .doc();
        assert!(
            count(id, doc.bad) >= 1,
            "{id}: the failing example gives no finding:\n{}",
            embed(doc.bad).0
        );
        assert_eq!(
            count(id, doc.good),
            0,
            "{id}: the fixed example still fails:\n{}",
            embed(doc.good).0
        );
    }
}

#[test]
fn documentation_is_complete() {
    for id in rules() {
        let doc = find(id).expect("registered").doc();
        assert_eq!(doc.id, id);
        assert!(
            !doc.summary.is_empty() && !doc.summary.ends_with('.'),
            "{id}: summary"
        );
        assert!(doc.explanation.len() > 100, "{id}: explanation too short");
    }
}
