//! Beyond `lint_fixtures.rs` (which runs each fixture with `--select` its own
//! rule): every `pass.yaml` under `testdata/lint/` linted with all rules gives no
//! error, and the passing fixtures of the value and semantic rules, which are
//! realistic manifests, give no diagnostic at all (not even info).

mod common;
mod fixtures;

use common::maskscope;
use fixtures::{extra_args, fixture_dirs, rule_of};
use serde_json::Value;
use std::path::Path;

/// Rules whose `pass.yaml` is a complete, realistic manifest that lints clean.
const CLEAN: [&str; 21] = [
    "invalid-name",
    "invalid-separator",
    "invalid-orgno",
    "orgno-checksum",
    "at-max-age-range",
    "invalid-enum",
    "delegation-requires-slash",
    "empty-allowed-integrations",
    "unknown-integration",
    "invalid-consumed-scope",
    "duplicate-scope",
    "scope-collision",
    "missing-orgno",
    "duplicate-consumer",
    "maskinporten-disabled",
    "mixed-separator",
    "webproxy-required",
    "disabled-with-consumers",
    "redundant-consumers",
    "implicit-separator",
    "missing-access-suffix",
];

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
fn the_clean_list_names_rules_with_fixtures() {
    for id in CLEAN {
        assert!(
            maskscope::lint::rules::find(id).is_some(),
            "{id} is no rule"
        );
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
    for id in CLEAN {
        let dir = fixtures::root().join(id);
        let v = lint_all_rules(&dir);
        let loud = listed(&v, |_| true);
        assert!(loud.is_empty(), "{id}/pass.yaml:\n{}", loud.join("\n"));
    }
}
