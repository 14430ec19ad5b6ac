//! Every rule's fixtures: for each `testdata/lint/<rule>/`, `fail.yaml` must
//! produce at least one diagnostic of that rule and `pass.yaml` none, run with
//! `--select <rule>` and the extra arguments in the optional `args` file (one
//! per line; `{stem}` in them stands for `fail` or `pass`, so that the two can
//! take different side files, such as `--iac {stem}.scopes.yaml`). The human
//! and JSON outputs are snapshotted per rule.

mod common;
mod fixtures;

use common::maskscope;
use fixtures::{extra_args, fixture_dirs, rule_of};
use serde_json::Value;
use std::path::Path;

/// Run `maskscope lint` in `dir` on `file`; stdout and the exit code.
fn lint(dir: &Path, file: &str, format: &str) -> (String, i32) {
    let rule = rule_of(dir);
    let mut args = vec!["lint".to_owned(), "--format".into(), format.into()];
    args.extend(["--select".to_owned(), rule.clone()]);
    args.extend(extra_args(dir, file.trim_end_matches(".yaml")));
    args.push(file.to_owned());
    let r = maskscope(dir, args, None);
    assert_ne!(r.code, 2, "{rule}/{file}: usage error: {}", r.stderr);
    (r.stdout, r.code)
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
    // A retired rule reports nothing: it has no fixtures.
    let missing: Vec<&str> = maskscope::lint::rules::all()
        .iter()
        .map(|r| r.doc())
        .filter(|d| !d.summary.starts_with("retired:"))
        .map(|d| d.id)
        .filter(|id| !dirs.iter().any(|d| d == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without testdata/lint/<rule>/ fixtures: {missing:?}"
    );
}
