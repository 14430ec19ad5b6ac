//! Beyond `lint_fixtures.rs` (which runs each fixture with `--select` its own
//! rule): every `pass.yaml` under `testdata/lint/` linted with all rules gives no
//! error, and the passing fixtures of the value and semantic rules, which are
//! realistic manifests, give no diagnostic at all (not even info).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

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

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lint");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/lint exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn rule_of(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .expect("a rule id as folder name")
        .to_owned()
}

/// `maskscope lint --format json ARGS pass.yaml` with every rule; the parsed
/// output. `{stem}` in ARGS stands for `pass`, as in `lint_fixtures.rs`.
fn lint_all_rules(dir: &Path) -> Value {
    let args: Vec<String> = std::fs::read_to_string(dir.join("args"))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| l.replace("{stem}", "pass"))
                .collect()
        })
        .unwrap_or_default();
    let out = Command::cargo_bin("maskscope")
        .unwrap()
        .current_dir(dir)
        .args(["lint", "--format", "json"])
        .args(args)
        .arg("pass.yaml")
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
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
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/lint")
            .join(id);
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
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/lint")
            .join(id);
        let v = lint_all_rules(&dir);
        let loud = listed(&v, |_| true);
        assert!(loud.is_empty(), "{id}/pass.yaml:\n{}", loud.join("\n"));
    }
}
