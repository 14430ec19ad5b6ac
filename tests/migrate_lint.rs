//! `maskscope lint --iac`: the migration checks as lint diagnostics, located at
//! the manifest's exposes entry or, without one, at the registration.

mod common;

use common::{Run, maskscope};
use std::path::Path;

const JSON: &str = "testdata/migrate/registry.json";
const YAML: &str = "testdata/migrate/registry.yaml";
const NAIS: &str = "testdata/migrate/nais";

/// `--select` with every migration check, so that the manifest rules (tested
/// elsewhere) do not show up here.
fn only_migration() -> String {
    let ids: Vec<&str> = maskscope::migrate::checks::Check::ALL
        .iter()
        .map(|c| c.id())
        .collect();
    format!("--select={}", ids.join(","))
}

fn run(args: &[&str], stdin: Option<&str>) -> Run {
    let mut args: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
    if args[0] == "lint" && !args.iter().any(|a| a.starts_with("--select")) {
        args.push(only_migration());
    }
    maskscope(Path::new(env!("CARGO_MANIFEST_DIR")), args, stdin)
}

/// `lint --format FORMAT` of the example manifests against both registry files, for prod-gcp.
fn lint_both_registries(format: &str) -> Run {
    let args = [
        "lint",
        "--format",
        format,
        "--iac",
        JSON,
        "--iac",
        YAML,
        "--cluster",
        "prod-gcp",
        NAIS,
    ];
    run(&args, None)
}

#[test]
fn github_annotations_for_both_registries() {
    let r = lint_both_registries("github");
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn every_check_is_reported_as_its_rule() {
    let r = lint_both_registries("json");
    for check in maskscope::migrate::checks::Check::current() {
        assert!(
            r.stdout.contains(&format!("\"{}\"", check.id())),
            "{} missing",
            check.id()
        );
    }
}

#[test]
fn located_at_the_entry_else_at_the_registration() {
    let r = run(&["lint", "--format", "github", "--iac", JSON, NAIS], None);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let find = |rule: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("title={rule}::")))
            .unwrap_or_else(|| panic!("no {rule} in {}", r.stdout))
            .to_string()
    };
    assert!(find("scope-disabled").starts_with(
        "::error file=testdata/migrate/nais/permitteringsvarsel.yaml,line=13,col=20,"
    ));
    assert!(
        find("scope-not-exposed")
            .starts_with("::error file=testdata/migrate/nais/vedtak-api.yaml,line=21,col=11,")
    );
    let r = run(&["lint", "--format", "github", "--iac", YAML, NAIS], None);
    let not_found = r
        .stdout
        .lines()
        .find(|l| l.contains("title=app-not-found::"))
        .unwrap_or_else(|| panic!("no app-not-found in {}", r.stdout));
    assert!(
        not_found.starts_with("::error file=testdata/migrate/registry.yaml,line=48,col=18,"),
        "{not_found}"
    );
}

#[test]
fn select_and_ignore_apply_to_migration_rules() {
    let r = run(
        &[
            "lint",
            "--format",
            "github",
            "--select",
            "description-rewrite",
            "--iac",
            JSON,
            NAIS,
        ],
        None,
    );
    assert_eq!(r.code, 0, "infos alone do not fail: {}", r.stdout);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.contains("title=description-rewrite::")),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().count(), 5);
    let r = run(
        &[
            "lint",
            "--format",
            "github",
            "--ignore",
            "scope-disabled",
            "--iac",
            JSON,
            NAIS,
        ],
        None,
    );
    assert!(!r.stdout.contains("scope-disabled"));
}

#[test]
fn configured_severity_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\ndescription-rewrite = \"error\"\n# retired: still understood, reports nothing\ndescription-dashes = \"error\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("scopes.yaml"),
        "- name: nav:helse/sykepenger/afp.write\n  description: prod-gcp:team-sykepenger:sykepenger-afp.helse/sykepenger/afp.write\n  consumers: [\"889640782\", \"974760673\"]\n",
    )
    .unwrap();
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(NAIS)
        .join("sykepenger-afp.yaml");
    let r = maskscope(
        dir.path(),
        [
            "lint",
            "--format",
            "github",
            "--iac",
            "scopes.yaml",
            manifest.to_str().unwrap(),
        ],
        None,
    );
    let stdout = r.stdout;
    assert_eq!(r.code, 1, "{stdout}");
    assert!(
        stdout.contains("::error")
            && stdout.contains("title=description-rewrite::")
            && !stdout.contains("title=description-dashes::"),
        "{stdout}"
    );
}

#[test]
fn sarif_points_into_the_registry_file() {
    let r = run(&["lint", "--format", "sarif", "--iac", YAML, NAIS], None);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let not_found = results
        .iter()
        .find(|res| res["ruleId"] == "app-not-found")
        .expect("an app-not-found result");
    let loc = &not_found["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "testdata/migrate/registry.yaml"
    );
    assert_eq!(loc["region"]["startLine"], 48);
}

#[test]
fn registrations_from_stdin() {
    let reg = "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n  consumers: [\"974761076\"]\n";
    let r = run(
        &[
            "lint",
            "--format",
            "github",
            "--iac",
            "-",
            "testdata/migrate/nais/vedtak-api.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        "::notice file=testdata/migrate/nais/vedtak-api.yaml,line=15,col=11,endLine=15,endColumn=15,title=description-rewrite::digdirator rewrites the description of `nav:arbeid:vedtak.read` to `arbeid - prodgcp:team-vedtak:vedtak-api` (the cluster as the description spells it; --cluster or the manifest's deployment gives its real name)\n"
    );
}

#[test]
fn unreadable_registrations_exit_2_with_file_and_line() {
    let r = run(
        &["lint", "--iac", "-", NAIS],
        Some("- name: nav:a:b\n  active: true\n"),
    );
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("registration `nav:a:b` has no `description`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[<stdin>:1:3]"), "{}", r.stderr);
}

#[test]
fn rules_explains_a_migration_check() {
    let r = run(&["rules", "consumer-revoked"], None);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}
