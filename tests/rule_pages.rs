//! docs/rules/: one page per lint rule and an index, generated from each rule's
//! documentation (the text `maskscope rules RULE` prints). The test fails when a
//! page is out of date or a page has no rule; `UPDATE_RULE_PAGES=1 cargo test
//! --test rule_pages` writes them.

use maskscope::lint::{RuleDoc, rules};
use maskscope::output::rules::deploy_line;
use std::collections::BTreeMap;
use std::path::Path;

const GENERATED: &str = "<!-- Generated from the rule's documentation in src/lint/rules/: \
                         `UPDATE_RULE_PAGES=1 cargo test --test rule_pages` rewrites it. -->";

fn runs(d: &RuleDoc) -> &'static str {
    if d.on_by_default {
        "runs unless ignored"
    } else {
        "runs only when selected"
    }
}

fn page(d: &RuleDoc) -> String {
    format!(
        "{GENERATED}\n# `{id}`\n\n{summary}.\n\nA {kind} rule, {severity} by default; it {runs}. {deploy}\n\n\
         {explanation}\n\n## Fails\n\n```yaml\n{bad}\n```\n\n## Fixed\n\n```yaml\n{good}\n```\n\n\
         `maskscope rules {id}` prints the same; [every rule](README.md).\n",
        id = d.id,
        summary = d.summary,
        kind = d.kind.as_str(),
        severity = d.severity.as_str(),
        runs = runs(d),
        deploy = deploy_line(d),
        explanation = d.explanation.trim(),
        bad = d.bad.trim_end(),
        good = d.good.trim_end(),
    )
}

fn index() -> String {
    let mut text = format!(
        "{GENERATED}\n# Lint rules\n\n`maskscope rules` lists them and `maskscope rules RULE` \
         explains one; [lint](../lint.md#rules) says how to choose them.\n\n\
         | rule | kind | severity | default | deploy | finds |\n|---|---|---|---|---|---|\n"
    );
    for rule in rules::all() {
        let d = rule.doc();
        text.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {} | {} | {} | {} |\n",
            d.kind.as_str(),
            d.severity.as_str(),
            if d.on_by_default { "on" } else { "off" },
            if d.rejects { "fails" } else { "accepts" },
            d.summary.replace('|', "\\|"),
            id = d.id,
        ));
    }
    text
}

/// Every page docs/rules/ should hold: file name and text.
fn expected() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for rule in rules::all() {
        let d = rule.doc();
        pages.insert(format!("{}.md", d.id), page(d));
    }
    pages.insert("README.md".to_owned(), index());
    pages
}

#[test]
fn rule_pages_are_up_to_date() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let pages = expected();
    assert!(pages.len() > 30, "{}", pages.len());
    if std::env::var_os("UPDATE_RULE_PAGES").is_some() {
        std::fs::create_dir_all(&folder).unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if !pages.contains_key(&name) {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (name, text) in &pages {
            std::fs::write(folder.join(name), text).unwrap();
        }
        return;
    }
    let update = "run `UPDATE_RULE_PAGES=1 cargo test --test rule_pages`";
    for (name, text) in &pages {
        let found = std::fs::read_to_string(folder.join(name)).unwrap_or_default();
        assert!(
            &found == text,
            "docs/rules/{name} is out of date with the rule's documentation: {update}"
        );
    }
    for entry in std::fs::read_dir(&folder).unwrap() {
        let name = entry.unwrap().file_name().to_str().unwrap().to_owned();
        assert!(
            pages.contains_key(&name),
            "docs/rules/{name} is not a rule's page: {update}"
        );
    }
}
