//! `maskscope migrate-check` through the binary: output formats, exit codes,
//! and errors in the registration files.

mod common;

use common::{Run, maskscope};
use std::path::Path;

const JSON: &str = "testdata/migrate/registry.json";
const YAML: &str = "testdata/migrate/registry.yaml";
const NAIS: &str = "testdata/migrate/nais";

fn run(args: &[&str], stdin: Option<&str>) -> Run {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    maskscope(dir, ["migrate-check"].iter().chain(args), stdin)
}

/// `migrate-check` of the example manifests against both registry files, for prod-gcp.
fn both_registries(extra: &[&str]) -> Run {
    let mut args = vec!["--iac", JSON, "--iac", YAML, "--cluster", "prod-gcp"];
    args.extend(extra);
    args.push(NAIS);
    run(&args, None)
}

#[test]
fn table_for_both_registries() {
    let r = both_registries(&[]);
    assert_eq!(r.code, 1, "a blocked registration exits 1");
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_for_both_registries() {
    let r = both_registries(&["--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"ready": 2, "warning": 4, "blocked": 6})
    );
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn every_check_is_covered_by_the_fixtures() {
    let r = both_registries(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut seen: Vec<&str> = v["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    seen.sort();
    seen.dedup();
    // The retired checks report nothing.
    let mut all: Vec<&str> = maskscope::migrate::checks::Check::current()
        .map(|c| c.id())
        .collect();
    all.sort();
    assert_eq!(seen, all);
}

#[test]
fn without_cluster_there_is_no_cluster_check() {
    let r = run(&["--iac", YAML, "--format", "json", NAIS], None);
    assert!(!r.stdout.contains("cluster-mismatch"));
    // The description's cluster is used for the rewritten description.
    assert!(
        r.stdout
            .contains("`okonomi - devgcp:okonomi:utbetaling-api`"),
        "{}",
        r.stdout
    );
}

const CLEAN: &str = "\
- name: nav:arbeid:vedtak.read
  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read
  consumers: [\"974761076\"]
";

#[test]
fn clean_adoption_from_stdin_exits_0() {
    let r = run(
        &[
            "--iac",
            "-",
            "--cluster",
            "prod-gcp",
            "testdata/migrate/nais/vedtak-api.yaml",
        ],
        Some(CLEAN),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn warnings_alone_exit_0() {
    let warning_only = "\
scopes:
  - name: nav:arbeid/vedtak/historikk.read
    description: prodgcp:teamvedtak:vedtakapi.arbeid/vedtak/historikk.read
    active: false
";
    let r = run(
        &[
            "--iac",
            "-",
            "--format",
            "json",
            "testdata/migrate/nais/vedtak-api.yaml",
        ],
        Some(warning_only),
    );
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("\"status\": \"warning\""));
}

#[test]
fn registration_without_description_names_file_and_line() {
    let text = "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n- name: nav:arbeid:vedtak.write\n  active: true\n";
    let r = run(&["--iac", "-", NAIS], Some(text));
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn registration_without_scope_names_file_and_line() {
    let r = run(
        &["--iac", "-", NAIS],
        Some("scopes:\n  - description: prodgcp:a:b.c:d\n    active: true\n"),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("registration has no scope"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[<stdin>:2:5]"), "{}", r.stderr);
}

#[test]
fn json_syntax_error_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scopes.json");
    std::fs::write(
        &path,
        "[\n  {\"name\": \"nav:a:b\",\n   \"description\": \"x:y:z.a:b\"\n  \n",
    )
    .unwrap();
    let r = run(&["--iac", path.to_str().unwrap(), NAIS], None);
    assert_eq!(r.code, 2);
    let header = format!("[{}:", path.display());
    let at = r
        .stderr
        .find(&header)
        .unwrap_or_else(|| panic!("{}", r.stderr));
    let line = r.stderr[at + header.len()..].split(':').next().unwrap();
    assert!(line.parse::<usize>().is_ok(), "{}", r.stderr);
}

#[test]
fn wrong_type_names_file_and_line() {
    let r = run(
        &["--iac", "-", NAIS],
        Some("- name: nav:a:b\n  description: x:y:z.a:b\n  at_max_age: [1]\n"),
    );
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn missing_iac_file_is_an_input_error() {
    let r = run(&["--iac", "testdata/migrate/nope.json", NAIS], None);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: testdata/migrate/nope.json: no such file or folder\n"
    );
}

#[test]
fn object_without_scopes_is_an_input_error() {
    let r = run(&["--iac", "-", NAIS], Some("registrations: []\n"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`scopes` list"), "{}", r.stderr);
}

#[test]
fn stdin_for_both_is_a_usage_error() {
    let r = run(&["--iac", "-", "-"], Some(CLEAN));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("standard input can be read only once"));
}

#[test]
fn iac_is_required() {
    let r = run(&[NAIS], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--iac"));
}

#[test]
fn near_miss_names_the_separator_to_set() {
    let r = run(&["--iac", JSON, "--format", "json", NAIS], None);
    assert!(r.stdout.contains(
        "resolves to `nav:arbeid:vedtak.write`; set `separator: \\\"/\\\"` to get `nav:arbeid/vedtak.write`"
    ), "{}", r.stdout);
}

#[test]
fn near_miss_names_the_product_to_set() {
    let reg = "- name: nav:helse:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.helse:vedtak.read\n";
    let r = run(
        &[
            "--iac",
            "-",
            "--format",
            "json",
            "testdata/migrate/nais/vedtak-api.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains(
        "resolves to `nav:arbeid:vedtak.read`; set `product: \\\"helse\\\"` to get `nav:helse:vedtak.read`"
    ), "{}", r.stdout);
}

#[test]
fn free_text_description_names_no_owner_and_blocks_nothing() {
    let r = run(
        &[
            "--iac",
            JSON,
            "--cluster",
            "prod-gcp",
            "--format",
            "json",
            NAIS,
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let sykefravar = &v["registrations"][4];
    assert_eq!(sykefravar["scope"], "nav:arbeid:sykefravar.read");
    assert_eq!(sykefravar["line"], 12);
    // Free text names no owner: the scope is taken over all the same.
    let reg = "- name: nav:arbeid:vedtak.read\n  description: vedtak-api\n";
    let r = run(
        &[
            "--iac",
            "-",
            "--cluster",
            "prod-gcp",
            "--format",
            "json",
            NAIS,
        ],
        Some(reg),
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let checks: Vec<&str> = v["registrations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        ["owner-unknown", "consumer-granted", "description-rewrite"],
        "{}",
        r.stdout
    );
    assert_eq!(v["registrations"][0]["status"], "ready");
}

#[test]
fn error_on_a_very_long_line_is_reported_without_the_line() {
    // A registry export is often one line of JSON; the error must still name file, line and column.
    let mut text = String::from("[");
    for i in 0..2_000 {
        text.push_str(&format!(
            "{{\"name\": \"nav:arbeid:s{i}.read\", \"description\": \"prodgcp:t:a.arbeid:s{i}.read\"}},"
        ));
    }
    text.push_str("{\"name\": \"nav:arbeid:x.read\", \"description\": \"prodgcp:t:a.arbeid:x.read\", \"at_max_age\": \"soon\"}]");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, &text).unwrap();
    let r = run(&["--iac", path.to_str().unwrap(), NAIS], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let col = text.find("\"soon\"").unwrap() + 1;
    // Framed like every other report, without the line itself.
    assert_eq!(
        r.stderr,
        format!(
            "  × `at_max_age` must be an integer (invalid i64)\n   ╭─[{}:1:{col}]\n   │ (the line is too long to show)\n   ╰────\n",
            path.display()
        )
    );
}

/// A manifest without a namespace gets the team's at the deploy: it is taken
/// to be the owner the description names; one that does not expose the
/// subscope gets a hint.
#[test]
fn app_without_namespace_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("testdata/migrate/nais/vedtak-api.yaml").unwrap();
    std::fs::write(
        dir.path().join("nais.yaml"),
        text.replacen("  namespace: team-vedtak\n", "", 1),
    )
    .unwrap();
    let reg = "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n";
    let r = maskscope(
        dir.path(),
        [
            "migrate-check",
            "--iac",
            "-",
            "--format",
            "json",
            "nais.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["registrations"][0]["status"], "ready", "{}", r.stdout);
    let reg = "- name: nav:arbeid:soknad.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:soknad.read\n";
    let r = maskscope(
        dir.path(),
        [
            "migrate-check",
            "--iac",
            "-",
            "--format",
            "json",
            "nais.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let message = v["registrations"][0]["findings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.starts_with(
            "`vedtak-api` has no exposes entry that resolves to `nav:arbeid:soknad.read`"
        ),
        "{message}"
    );
}

/// The worked example in docs/migrate-check.md is this output, verbatim.
#[test]
fn readme_worked_example_is_current() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/migrate-check.md"
    ))
    .unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/migrate/example");
    let runs: [&[&str]; 5] = [
        &[
            "migrate-check",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "step1",
        ],
        &[
            "migrate-check",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "step2",
        ],
        &[
            "migrate-check",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "step3",
        ],
        &[
            "migrate-check",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "--format",
            "json",
            "step2",
        ],
        &[
            "lint",
            "--format",
            "github",
            "--select",
            "scope-not-exposed,consumer-revoked,attribute-drift",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "step1",
        ],
    ];
    let mut codes = Vec::new();
    for args in runs {
        let r = maskscope(Path::new(dir), args, None);
        let stdout = r.stdout;
        assert!(
            readme.contains(&stdout),
            "docs/migrate-check.md lacks the output of {args:?}:\n{stdout}"
        );
        codes.push(r.code);
    }
    assert_eq!(codes, [1, 1, 0, 1, 1]);
}

/// The registrations of the migration example.
const EXAMPLE_SCOPES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/migrate/example/scopes.json"
);

/// A folder with the example's step 3 `nais.yaml`, `from` replaced by `to`.
fn step3_as_template(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("testdata/migrate/example/step3/nais.yaml").unwrap();
    std::fs::write(dir.path().join("nais.yaml"), text.replace(from, to)).unwrap();
    dir
}

/// `migrate-check` of that folder's `nais.yaml` against the example, with one `--var`.
fn check_template(dir: &tempfile::TempDir, var: &str, format: &str) -> Run {
    maskscope(
        dir.path(),
        [
            "migrate-check",
            "--iac",
            EXAMPLE_SCOPES,
            "--var",
            var,
            "--format",
            format,
            "nais.yaml",
        ],
        None,
    )
}

#[test]
fn templated_manifests_are_rendered_with_vars() {
    let dir = step3_as_template("team-vedtak", "{{ namespace }}");
    let r = check_template(&dir, "namespace=team-vedtak", "json");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"ready": 2, "warning": 0, "blocked": 0})
    );
    // A variable in place keeps every line where it is: no note.
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
}

/// A `{{#if}}` that drops lines above the entries: the lines in the output are
/// still the file's.
#[test]
fn a_template_that_drops_lines_keeps_the_files_line_numbers() {
    let plain = std::fs::read_to_string("testdata/migrate/example/step3/nais.yaml").unwrap();
    let inserted = "{{#if debug}}\n  env:\n    - name: LOG_LEVEL\n      value: debug\n{{/if}}\n";
    let dir = step3_as_template("spec:\n", &format!("spec:\n{inserted}"));
    let r = check_template(&dir, "debug=", "json");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("note:"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let lines: Vec<u64> = v["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["line"].as_u64())
        .collect();
    // In step 3 the entries' names are on lines 12 and 18; the template has
    // five more lines above them.
    assert_eq!(lines, [17, 23], "{}", r.stdout);
    let template = std::fs::read_to_string(dir.path().join("nais.yaml")).unwrap();
    assert!(template.lines().nth(16).unwrap().contains("vedtak.read"));
    assert_eq!(
        plain.lines().nth(11),
        Some("        - name: \"vedtak.read\"")
    );
}

/// digdirator matches the organisation's scopes by subscope alone, whatever
/// the prefix they were registered under.
#[test]
fn a_registration_under_another_prefix_is_adopted_by_subscope() {
    let reg = "- name: kv:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n  consumers: [\"974761076\"]\n";
    let step3 = "testdata/migrate/example/step3";
    let r = run(&["--iac", "-", "--format", "json", step3], Some(reg));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("\"status\": \"ready\""));
    // Under that prefix too.
    let r = run(
        &["--iac", "-", "--prefix", "kv", "--format", "json", step3],
        Some(reg),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("\"status\": \"ready\""));
}

/// A manifest that cannot be parsed: the registrations no readable manifest
/// takes over are not reported as `app-not-found` but as unchecked, whatever
/// app their descriptions name (the file may expose any subscope), with the
/// file named as the reason; the run exits 2.
#[test]
fn a_broken_manifest_leaves_its_registrations_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("testdata/migrate/nais/vedtak-api.yaml").unwrap();
    std::fs::write(
        dir.path().join("nais.yaml"),
        text.replacen(
            "  namespace: team-vedtak\n",
            "  namespace: team-vedtak\n   bad: [\n",
            1,
        ),
    )
    .unwrap();
    let reg = "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n\
               - name: nav:arbeid:soknad.read\n  description: prodgcp:teamsoknad:soknadapi.arbeid:soknad.read\n";
    let r = maskscope(
        dir.path(),
        [
            "migrate-check",
            "--iac",
            "-",
            "--format",
            "json",
            "nais.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("nais.yaml"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let regs = v["registrations"].as_array().unwrap();
    for reg in regs {
        assert_eq!(reg["status"], "unchecked", "{}", r.stdout);
        assert_eq!(reg["findings"], serde_json::json!([]));
        assert_eq!(
            reg["reason"],
            "no manifest that could be read takes it over, and nais.yaml could not be read: it may"
        );
    }
    assert_eq!(v["summary"]["unchecked"], 2);
}

/// Registrations whose descriptions name another app, which the unreadable
/// `vedtak-api.yaml` exposes: unchecked, not `app-not-found`, though a
/// readable manifest of the app named is given; one that a readable
/// manifest takes over is checked as usual.
#[test]
fn an_unreadable_manifest_may_take_over_registrations_naming_another_app() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string("testdata/migrate/nais/vedtak-api.yaml").unwrap();
    std::fs::write(
        d.join("vedtak-api.yaml"),
        text.replacen(
            "  namespace: team-vedtak\n",
            "  namespace: team-vedtak\n   bad: [\n",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("arkiv.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: vedtak-arkiv\n  namespace: team-vedtak\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"arkiv.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"974761076\"\n",
    )
    .unwrap();
    let reg = "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakarkiv.arbeid:vedtak.read\n\
               - name: nav:arbeid:vedtak.write\n  description: prodgcp:teamvedtak:vedtakarkiv.arbeid:vedtak.write\n\
               - name: nav:arbeid:arkiv.read\n  description: prodgcp:teamvedtak:vedtakarkiv.arbeid:arkiv.read\n  consumers: [\"974761076\"]\n";
    let r = maskscope(
        d,
        [
            "migrate-check",
            "--iac",
            "-",
            "--format",
            "json",
            "--cluster",
            "prod-gcp",
            "vedtak-api.yaml",
            "arkiv.yaml",
        ],
        Some(reg),
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let regs = v["registrations"].as_array().unwrap();
    let status: Vec<(&str, &str)> = regs
        .iter()
        .map(|r| (r["scope"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            ("nav:arbeid:vedtak.read", "unchecked"),
            ("nav:arbeid:vedtak.write", "unchecked"),
            ("nav:arbeid:arkiv.read", "ready")
        ],
        "{}",
        r.stdout
    );
    assert!(
        regs[0]["reason"]
            .as_str()
            .unwrap()
            .contains("vedtak-api.yaml could not be read"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("app-not-found") && !r.stdout.contains("scope-not-exposed"));
}

/// Both description forms name an owner: the legacy one and digdirator's own.
/// Another app is a takeover (blocked), the same app on another cluster a move
/// (warning), the same app on the same cluster a reconcile (ready).
#[test]
fn ownership_by_either_description_form() {
    let vedtak = "testdata/migrate/nais/vedtak-api.yaml";
    let status = |description: &str| -> (String, Vec<String>) {
        let reg = format!(
            "- name: nav:arbeid:vedtak.read\n  description: \"{description}\"\n  consumers: [\"974761076\"]\n"
        );
        let r = run(
            &[
                "--iac",
                "-",
                "--cluster",
                "prod-gcp",
                "--format",
                "json",
                vedtak,
            ],
            Some(&reg),
        );
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let o = &v["registrations"][0];
        let checks = o["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["check"].as_str().unwrap().to_owned())
            .filter(|c| c != "description-rewrite")
            .collect();
        (o["status"].as_str().unwrap().to_owned(), checks)
    };
    for (description, want, checks) in [
        (
            "arbeid - prod-gcp:team-soknad:soknad-api",
            "blocked",
            vec!["scope-takeover"],
        ),
        (
            "prodgcp:teamsoknad:soknadapi.arbeid:vedtak.read",
            "blocked",
            vec!["scope-takeover"],
        ),
        (
            "arbeid - dev-gcp:team-vedtak:vedtak-api",
            "warning",
            vec!["cluster-mismatch"],
        ),
        (
            "devgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
            "warning",
            vec!["cluster-mismatch"],
        ),
        ("arbeid - prod-gcp:team-vedtak:vedtak-api", "ready", vec![]),
        // The legacy description's subscope no longer matters.
        (
            "prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.write",
            "ready",
            vec![],
        ),
        ("Vedtak for arbeidsgivere", "ready", vec!["owner-unknown"]),
    ] {
        assert_eq!(
            status(description),
            (
                want.to_owned(),
                checks.iter().map(|c| c.to_string()).collect()
            ),
            "{description}"
        );
    }
}

/// An entry that grants several organisations access is one finding listing
/// them, not one per orgno.
#[test]
fn organisations_granted_are_one_finding_per_registration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("app.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: vedtak-api\n  namespace: team-vedtak\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640782\"\n            - orgno: \"974760673\"\n            - orgno: \"974761076\"\n            - orgno: \"971526920\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("scopes.yaml"),
        "- name: nav:arbeid:vedtak.read\n  description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read\n  consumers:\n    - consumer_orgno: \"889640782\"\n      state: APPROVED\n    - consumer_orgno: \"971526920\"\n      state: DENIED\n",
    )
    .unwrap();
    let r = maskscope(
        d,
        [
            "lint",
            "--format",
            "json",
            "--select",
            "consumer-granted",
            "--iac",
            "scopes.yaml",
            "app.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found = v["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{}", r.stdout);
    assert_eq!(found[0]["line"], 16);
    assert_eq!(
        found[0]["message"],
        "the entry lists 3 organisations without access to `nav:arbeid:vedtak.read` today: 974760673, 974761076, 971526920 (DENIED today); the deploy grants them access"
    );
}
