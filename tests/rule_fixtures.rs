//! Every rule fixture under `testdata/lint/<rule>/`: `fail.yaml` must give at
//! least one finding of that rule, `pass.yaml` none of it and no error or warning
//! of any rule. An `args` file holds extra command-line arguments, one per line.

use maskscope::lint::{Diagnostic, Settings, Severity, check_text, rules};
use std::fs;
use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lint");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("testdata/lint exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Settings as the command line in `args` would give them.
fn settings(dir: &Path) -> Settings {
    let mut settings = Settings::default();
    let Ok(text) = fs::read_to_string(dir.join("args")) else {
        return settings;
    };
    let mut args = text.lines().map(str::trim).filter(|l| !l.is_empty());
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{}: {arg} needs a value", dir.display()));
        match arg {
            "--cluster" => {
                settings.on_prem = value.ends_with("-fss");
                settings.cluster = Some(value.to_owned());
            }
            "--prefix" => settings.prefix = value.to_owned(),
            other => panic!(
                "{}: argument {other} is not understood by this test",
                dir.display()
            ),
        }
    }
    settings
}

fn lint(dir: &Path, file: &str) -> Vec<Diagnostic> {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check_text(&path.display().to_string(), &text, &settings(dir))
}

fn show(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            format!(
                "  {}:{} {} {}: {}",
                d.finding.span.start.line,
                d.finding.span.start.column,
                d.severity.as_str(),
                d.rule,
                d.finding.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rule_of(dir: &Path) -> String {
    dir.file_name()
        .expect("named")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_fixture_directory_names_a_rule() {
    let dirs = fixture_dirs();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let id = rule_of(&dir);
        assert!(
            rules::find(&id).is_some(),
            "testdata/lint/{id} names no rule"
        );
    }
}

#[test]
fn fail_fixtures_fail_their_rule() {
    for dir in fixture_dirs() {
        let id = rule_of(&dir);
        if !dir.join("fail.yaml").exists() {
            continue;
        }
        let diags = lint(&dir, "fail.yaml");
        assert!(
            diags.iter().any(|d| d.rule == id),
            "{id}/fail.yaml gives no {id} finding:\n{}",
            show(&diags)
        );
    }
}

#[test]
fn pass_fixtures_pass_their_rule_and_are_clean() {
    for dir in fixture_dirs() {
        let id = rule_of(&dir);
        if !dir.join("pass.yaml").exists() {
            continue;
        }
        let diags = lint(&dir, "pass.yaml");
        assert!(
            !diags.iter().any(|d| d.rule == id),
            "{id}/pass.yaml gives a {id} finding:\n{}",
            show(&diags)
        );
        let loud: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        assert!(
            loud.is_empty(),
            "{id}/pass.yaml is not clean:\n{}",
            show(&loud)
        );
    }
}

#[test]
fn rules_with_fixtures_have_both() {
    for dir in fixture_dirs() {
        let id = rule_of(&dir);
        assert!(
            dir.join("fail.yaml").exists() && dir.join("pass.yaml").exists(),
            "{id} needs fail.yaml and pass.yaml"
        );
    }
}
