//! Every rule's fixtures: for each `testdata/lint/<rule>/`, `fail.yaml` must
//! produce at least one diagnostic of that rule and `pass.yaml` none, run with
//! `--select <rule>` and the extra arguments in the optional `args` file (one
//! per line; `{stem}` in them stands for `fail` or `pass`, so that the two can
//! take different side files, such as `--iac {stem}.scopes.yaml`). The human
//! and JSON outputs are snapshotted per rule.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

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

fn extra_args(dir: &Path, stem: &str) -> Vec<String> {
    match std::fs::read_to_string(dir.join("args")) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.replace("{stem}", stem))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Run `maskscope lint` in `dir` on `file`; stdout and the exit code.
fn lint(dir: &Path, file: &str, format: &str) -> (String, i32) {
    let rule = rule_of(dir);
    let out = Command::cargo_bin("maskscope")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", format, "--select", &rule])
        .args(extra_args(dir, file.trim_end_matches(".yaml")))
        .arg(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().unwrap();
    assert_ne!(code, 2, "{rule}/{file}: usage error: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), code)
}

fn rules_in(json: &str) -> (Vec<String>, Value) {
    let v: Value = serde_json::from_str(json).expect("valid JSON");
    let rules = v["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect();
    (rules, v)
}

#[test]
fn every_fixture_fails_and_passes_as_its_rule_says() {
    let dirs = fixture_dirs();
    assert!(!dirs.is_empty(), "no fixtures under testdata/lint");
    for dir in dirs {
        let rule = rule_of(&dir);
        assert!(
            dir.join("fail.yaml").is_file() && dir.join("pass.yaml").is_file(),
            "{rule}: needs fail.yaml and pass.yaml"
        );

        let (json, code) = lint(&dir, "fail.yaml", "json");
        let (rules, v) = rules_in(&json);
        assert!(
            rules.contains(&rule),
            "{rule}: fail.yaml gave no {rule} diagnostic:\n{json}"
        );
        let errors = v["summary"]["errors"].as_u64().unwrap();
        assert_eq!(
            code,
            i32::from(errors > 0),
            "{rule}: exit code must follow the error count"
        );
        let (human, _) = lint(&dir, "fail.yaml", "human");
        insta::assert_snapshot!(format!("{rule}__fail_human"), human);
        insta::assert_snapshot!(format!("{rule}__fail_json"), json);

        let (json, code) = lint(&dir, "pass.yaml", "json");
        let (rules, _) = rules_in(&json);
        assert!(
            !rules.contains(&rule),
            "{rule}: pass.yaml gave a {rule} diagnostic:\n{json}"
        );
        assert_eq!(code, 0, "{rule}: pass.yaml must exit 0");
        let (human, _) = lint(&dir, "pass.yaml", "human");
        insta::assert_snapshot!(format!("{rule}__pass_human"), human);
    }
}

#[test]
fn every_rule_has_fixtures() {
    let dirs: Vec<String> = fixture_dirs().iter().map(|d| rule_of(d)).collect();
    let missing: Vec<&str> = maskscope::lint::rules::all()
        .iter()
        .map(|r| r.doc().id)
        .filter(|id| !dirs.iter().any(|d| d == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without testdata/lint/<rule>/ fixtures: {missing:?}"
    );
}
