//! Beyond `lint_fixtures.rs` (which runs each fixture with `--select` its own
//! rule): every `pass.yaml` under `testdata/lint/` linted with all rules gives no
//! error, and the passing fixtures of the value and semantic rules, which are
//! realistic manifests, give no diagnostic at all (not even info).

mod common;
mod fixtures;

use common::maskscope;
use fixtures::{extra_args, fixture_dirs, rule_of};
use maskscope::lint::{Kind, rules};
use serde_json::Value;
use std::path::Path;

/// Rules whose `pass.yaml` is a complete, realistic manifest that lints clean:
/// the value and semantic rules.
fn clean() -> Vec<&'static str> {
    rules::ids_of(&[Kind::Value, Kind::Semantic])
}

/// `maskscope lint --format json ARGS pass.yaml` with every rule; the parsed
/// output. `{stem}` in ARGS stands for `pass`, as in `lint_fixtures.rs`.
fn lint_all_rules(dir: &Path) -> Value {
    let mut args = vec!["lint".to_owned(), "--format".into(), "json".into()];
    args.extend(extra_args(dir, "pass"));
    args.push("pass.yaml".into());
    let r = maskscope(dir, args, None);
    assert_ne!(r.code, 2, "{}: {}", dir.display(), r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON output")
}

fn listed(v: &Value, keep: impl Fn(&str) -> bool) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| keep(d["severity"].as_str().unwrap()))
        .map(|d| {
            format!(
                "{}:{} {} {}: {}",
                d["line"], d["column"], d["severity"], d["rule"], d["message"]
            )
        })
        .collect()
}

#[test]
fn value_and_semantic_rules_have_passing_fixtures() {
    let clean = clean();
    assert!(clean.len() >= 20, "{clean:?}");
    for id in clean {
        let dir = fixtures::root().join(id);
        assert!(dir.join("pass.yaml").is_file(), "{id} has no pass.yaml");
    }
}

#[test]
fn passing_fixtures_give_no_errors_under_all_rules() {
    for dir in fixture_dirs() {
        let v = lint_all_rules(&dir);
        let errors = listed(&v, |s| s == "error");
        assert!(
            errors.is_empty(),
            "{}/pass.yaml:\n{}",
            rule_of(&dir),
            errors.join("\n")
        );
    }
}

#[test]
fn realistic_passing_fixtures_give_no_diagnostics_at_all() {
    for id in clean() {
        let dir = fixtures::root().join(id);
        let v = lint_all_rules(&dir);
        let loud = listed(&v, |_| true);
        assert!(loud.is_empty(), "{id}/pass.yaml:\n{}", loud.join("\n"));
    }
}
