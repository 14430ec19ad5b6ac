//! `maskscope lint` and `maskscope rules` through the binary: configuration,
//! suppression, rule selection, severities, exit codes and every format.

mod common;

use common::maskscope;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const APP: &str = "\
apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: vedtak-api
  namespace: team-vedtak
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          separator: \"/\"
          consumers:
            - orgno: 889640782
";

/// A folder with `nais.yaml` holding `manifest`.
fn project(manifest: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nais.yaml"), manifest).unwrap();
    dir
}

fn rules_of(stdout: &str) -> Vec<(String, String, u64)> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lint-examples")
}

#[test]
fn realistic_file_human_output_whole() {
    let r = maskscope(&examples(), ["lint", "broken.yaml"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_format() {
    let r = maskscope(
        &examples(),
        ["lint", "--format", "json", "broken.yaml"],
        None,
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn sarif_format() {
    let r = maskscope(
        &examples(),
        ["lint", "--format", "sarif", "broken.yaml"],
        None,
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "maskscope");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let fired: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for result in v["runs"][0]["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(fired[index], id, "ruleIndex points at the rule");
    }
    let text = r.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!(text);
}

#[test]
fn github_format() {
    let r = maskscope(
        &examples(),
        ["lint", "--format", "github", "broken.yaml"],
        None,
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn github_format_escapes_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a,b:c%.yaml"), APP).unwrap();
    let r = maskscope(
        dir.path(),
        ["lint", "--format", "github", "a,b:c%.yaml"],
        None,
    );
    assert!(
        r.stdout
            .starts_with("::error file=a%2Cb%3Ac%25.yaml,line=16,col=22,"),
        "{}",
        r.stdout
    );
}

#[test]
fn clean_manifest_exits_zero() {
    let dir = project(&APP.replace("orgno: 889640782", "orgno: \"889640782\""));
    let r = maskscope(dir.path(), ["lint"], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "checked 1 file: 0 errors, 0 warnings, 0 infos\n");
}

#[test]
fn suppression_on_the_line_and_the_line_above() {
    let same = APP.replace(
        "orgno: 889640782",
        "orgno: 889640782 # maskscope: ignore[wrong-type]",
    );
    let r = maskscope(project(&same).path(), ["lint", "--format", "json"], None);
    assert_eq!((r.code, rules_of(&r.stdout)), (0, vec![]));

    let above = APP.replace(
        "            - orgno: 889640782",
        "            # maskscope: ignore[invalid-product, wrong-type]\n            - orgno: 889640782",
    );
    let r = maskscope(project(&above).path(), ["lint", "--format", "json"], None);
    assert_eq!((r.code, rules_of(&r.stdout)), (0, vec![]));

    // Another rule's suppression, or one two lines up, does not count.
    let other = APP.replace(
        "orgno: 889640782",
        "orgno: 889640782 # maskscope: ignore[unknown-field]",
    );
    let r = maskscope(project(&other).path(), ["lint", "--format", "json"], None);
    assert_eq!(
        rules_of(&r.stdout),
        [("wrong-type".into(), "error".into(), 16)]
    );
    let far = APP.replace(
        "          consumers:",
        "          # maskscope: ignore[wrong-type]\n          consumers:",
    );
    let r = maskscope(project(&far).path(), ["lint", "--format", "json"], None);
    assert_eq!(rules_of(&r.stdout).len(), 1);
}

#[test]
fn select_and_ignore() {
    let dir = examples();
    let r = maskscope(
        &dir,
        [
            "lint",
            "--format",
            "json",
            "--select",
            "wrong-type,duplicate-key",
            "broken.yaml",
        ],
        None,
    );
    let rules: Vec<String> = rules_of(&r.stdout).into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(
        rules,
        ["wrong-type", "wrong-type", "wrong-type", "duplicate-key"]
    );

    let r = maskscope(
        &dir,
        [
            "lint",
            "--format",
            "json",
            "--ignore",
            "wrong-type",
            "--ignore",
            "unknown-field",
            "broken.yaml",
        ],
        None,
    );
    let rules: Vec<String> = rules_of(&r.stdout).into_iter().map(|(r, _, _)| r).collect();
    assert!(
        !rules.is_empty()
            && !rules
                .iter()
                .any(|r| r == "wrong-type" || r == "unknown-field"),
        "{rules:?}"
    );
}

#[test]
fn unknown_rule_on_the_command_line_is_a_usage_error() {
    let r = maskscope(
        &examples(),
        ["lint", "--select", "wrong-typo", "broken.yaml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: --select: unknown rule `wrong-typo`: did you mean `wrong-type`? (`maskscope rules` lists every rule)\n"
    );
    let r = maskscope(
        &examples(),
        ["lint", "--ignore", "nonsense", "broken.yaml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--ignore: unknown rule `nonsense`"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_severity_overrides_and_deny_warnings() {
    let dir = project(APP);
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\nwrong-type = \"warning\"\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint", "--format", "json"], None);
    assert_eq!(
        (r.code, rules_of(&r.stdout)),
        (0, vec![("wrong-type".into(), "warning".into(), 16)])
    );
    let r = maskscope(dir.path(), ["lint", "--deny-warnings"], None);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("⚠ warning[wrong-type]"), "{}", r.stdout);

    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\nwrong-type = \"off\"\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint", "--format", "json"], None);
    assert_eq!((r.code, rules_of(&r.stdout)), (0, vec![]));

    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\nwrong-type = \"info\"\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint", "--deny-warnings"], None);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .ends_with("checked 1 file: 0 errors, 0 warnings, 1 info\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn config_select_ignore_found_in_a_parent_folder() {
    let dir = project(&APP.replace("\"arbeid\"", "\"Arbeid\""));
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint]\nselect = [\"wrong-type\", \"invalid-product\"]\nignore = [\"invalid-product\"]\n",
    )
    .unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let r = maskscope(&sub, ["lint", "--format", "json", "../nais.yaml"], None);
    assert_eq!(
        rules_of(&r.stdout),
        [("wrong-type".into(), "error".into(), 16)]
    );
    // --select on the command line replaces the configured list; the configured ignore stays.
    let r = maskscope(
        &sub,
        [
            "lint",
            "--format",
            "json",
            "--select",
            "invalid-product,duplicate-key",
            "../nais.yaml",
        ],
        None,
    );
    assert_eq!((r.code, rules_of(&r.stdout)), (0, vec![]));
}

#[test]
fn bad_config_is_exit_2_with_its_place() {
    let dir = project(APP);
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "prefix = \"nav\"\n[lint]\nselct = [\"wrong-type\"]\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("[maskscope.toml:3:1]") && r.stderr.contains("unknown field `selct`"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!("bad_config_unknown_key", r.stderr);

    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\nwrong-typ = \"warning\"\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("[maskscope.toml:2:1]")
            && r.stderr
                .contains("unknown rule `wrong-typ`: did you mean `wrong-type`?"),
        "{}",
        r.stderr
    );

    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint.severity]\nwrong-type = \"fatal\"\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("[maskscope.toml:2:14]") && r.stderr.contains("unknown variant `fatal`"),
        "{}",
        r.stderr
    );

    let r = maskscope(dir.path(), ["lint", "--config", "missing.toml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: missing.toml: "),
        "{}",
        r.stderr
    );
}

#[test]
fn explicit_config_file_wins_over_the_nearest() {
    let dir = project(APP);
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[lint]\nignore = [\"wrong-type\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("strict.toml"), "[lint]\n").unwrap();
    let r = maskscope(
        dir.path(),
        ["lint", "--config", "strict.toml", "--format", "json"],
        None,
    );
    assert_eq!(r.code, 1);
    assert_eq!(rules_of(&r.stdout).len(), 1);
}

#[test]
fn config_prefix_for_resolve_and_prefix_option_wins() {
    let dir = project(APP);
    std::fs::write(dir.path().join("maskscope.toml"), "prefix = \"kv\"\n").unwrap();
    let r = maskscope(dir.path(), ["resolve", "--format", "plain"], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, "kv:arbeid/vedtak.read\n"));
    let r = maskscope(
        dir.path(),
        ["resolve", "--format", "plain", "--prefix", "nav"],
        None,
    );
    assert_eq!(r.stdout, "nav:arbeid/vedtak.read\n");
}

#[test]
fn broken_yaml_is_a_finding_and_the_other_files_are_still_linted() {
    let dir = project(APP);
    std::fs::write(dir.path().join("broken.yaml"), "a: [1, 2\n").unwrap();
    let r = maskscope(
        dir.path(),
        ["lint", "--format", "json", "broken.yaml", "nais.yaml"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        rules_of(&r.stdout),
        [
            ("yaml-syntax".into(), "error".into(), 1),
            ("wrong-type".into(), "error".into(), 16)
        ]
    );
}

#[test]
fn documents_before_a_syntax_error_are_still_linted() {
    let dir = project(&format!("{APP}---\nkind: ConfigMap\ndata: [1, 2\n"));
    let r = maskscope(dir.path(), ["lint", "--format", "json"], None);
    assert_eq!(
        rules_of(&r.stdout),
        [
            ("wrong-type".into(), "error".into(), 16),
            ("yaml-syntax".into(), "error".into(), 19)
        ]
    );
}

#[test]
fn missing_template_variable_is_a_finding() {
    let dir = project(&APP.replace("\"arbeid\"", "\"{{ product }}\""));
    let r = maskscope(dir.path(), ["lint", "--format", "json"], None);
    // The placeholder stands in for the product; what is said of the entry as
    // a whole is left out, but its other fields are still checked (the
    // unquoted orgno).
    assert_eq!(
        (r.code, rules_of(&r.stdout)),
        (
            1,
            vec![
                ("unrendered-template".into(), "error".into(), 13),
                ("wrong-type".into(), "error".into(), 16)
            ]
        )
    );
    let r = maskscope(
        dir.path(),
        ["lint", "--format", "json", "--var", "product=arbeid"],
        None,
    );
    assert_eq!(
        rules_of(&r.stdout),
        [("wrong-type".into(), "error".into(), 16)]
    );
}

#[test]
fn missing_path_is_exit_2() {
    let dir = project(APP);
    let r = maskscope(dir.path(), ["lint", "nope.yaml"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[test]
fn unreadable_file_is_exit_2_and_the_rest_is_still_reported() {
    let dir = project(APP);
    // Over the per-file budget: the file cannot be read (sparse, so cheap to make).
    let big = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    big.set_len(33 * 1024 * 1024).unwrap();
    let r = maskscope(
        dir.path(),
        ["lint", "--format", "json", "big.yaml", "nais.yaml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: big.yaml: not checked: larger than the budget"),
        "{}",
        r.stderr
    );
    assert_eq!(rules_of(&r.stdout).len(), 1);
}

#[test]
fn standard_input() {
    let r = maskscope(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        ["lint", "--format", "github", "-"],
        Some(APP),
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("::error file=<stdin>,line=16,col=22,"));
}

#[test]
fn iac_on_lint_reports_migration_checks() {
    let dir = project(APP);
    std::fs::write(
        dir.path().join("scopes.json"),
        r#"[{"name": "nav:arbeid:vedtak.read", "description": "Vedtak"}]"#,
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint", "--iac", "scopes.json"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("error[app-not-found]"), "{}", r.stdout);
}

#[test]
fn rules_list_and_explain() {
    let dir = examples();
    let r = maskscope(&dir, ["rules"], None);
    assert_eq!(r.code, 0);
    for rule in maskscope::lint::rules::all() {
        assert!(
            r.stdout.contains(rule.doc().id),
            "{} missing from the list",
            rule.doc().id
        );
    }
    let r = maskscope(&dir, ["rules", "unknown-field"], None);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("rules_unknown_field", r.stdout);
}

#[test]
fn rules_list_snapshot() {
    let r = maskscope(&examples(), ["rules"], None);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn unknown_rule_suggests_the_nearest() {
    let r = maskscope(&examples(), ["rules", "wrong-typ"], None);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: unknown rule `wrong-typ`: did you mean `wrong-type`? `maskscope rules` lists every rule\n"
    );
}

#[test]
fn every_rule_explains_itself() {
    for rule in maskscope::lint::rules::all() {
        let id = rule.doc().id;
        let r = maskscope(&examples(), ["rules", id], None);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.starts_with(id) && r.stdout.contains("Fails:") && r.stdout.contains("Fixed:"),
            "{}",
            r.stdout
        );
        assert!(
            rule.doc().explanation.len() > 100 && rule.doc().bad != rule.doc().good,
            "{id}: the documentation must explain the rule and fix the example"
        );
    }
}

/// A project whose `nais.yaml` is a template with an `{{#each}}` that adds
/// lines above a finding, and the `vars.yaml` to render it with.
fn template_whose_lines_move() -> TempDir {
    let template = APP.replace(
        "spec:\n",
        "spec:\n  ingresses:\n{{#each hosts}}\n    - {{this}}\n{{/each}}\n",
    );
    let dir = project(&template);
    std::fs::write(
        dir.path().join("vars.yaml"),
        "hosts: [a.nav.no, b.nav.no]\n",
    )
    .unwrap();
    dir
}

/// A template whose `{{#each}}` adds lines above a finding: every format
/// reports it at the line of the file (20: `- orgno: 889640782`, four lines
/// below its place in `APP`), and the human format shows the template's line.
#[test]
fn a_template_whose_lines_move_is_reported_at_the_files_lines() {
    let dir = template_whose_lines_move();
    let template = std::fs::read_to_string(dir.path().join("nais.yaml")).unwrap();
    assert_eq!(
        template.lines().nth(19),
        Some("            - orgno: 889640782")
    );
    let run = |format: &str| {
        let r = maskscope(
            dir.path(),
            [
                "lint",
                "--vars",
                "vars.yaml",
                "--format",
                format,
                "nais.yaml",
            ],
            None,
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            !r.stdout.contains("rendered text"),
            "{format}: {}",
            r.stdout
        );
        r.stdout
    };
    assert_eq!(
        rules_of(&run("json")),
        [("wrong-type".into(), "error".into(), 20)]
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        20
    );
    assert!(run("github").contains("file=nais.yaml,line=20,"));
    let human = run("human");
    assert!(human.contains("[nais.yaml:20:22]"), "{human}");
    assert!(
        human.contains(" 20 │             - orgno: 889640782"),
        "{human}"
    );
}

/// nais deploy decodes with yaml.v2 without strict mode: a duplicate key is
/// no deploy error, the last value wins. The message says so, and that
/// `nais validate` rejects the file; `rules` explains it.
#[test]
fn duplicate_key_says_the_deploy_keeps_the_last_value() {
    let dir = project(&APP.replace(
        "          enabled: true\n          product:",
        "          enabled: false\n          enabled: true\n          product:",
    ));
    let r = maskscope(
        dir.path(),
        [
            "lint",
            "--format",
            "json",
            "--select",
            "duplicate-key",
            "nais.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(13), Some(11))
    );
    assert_eq!(
        d["message"],
        "key \"enabled\" appears twice in this mapping (first on line 12); nais deploy silently keeps this last value, and `nais validate` rejects the file"
    );
    assert_eq!(
        d["help"],
        "remove one of the two `enabled` keys, keeping the value you mean: the deploy uses the last one and drops the other"
    );
    let r = maskscope(dir.path(), ["rules", "duplicate-key"], None);
    let doc = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        doc.contains("without strict mode")
            && doc.contains("the last value silently wins")
            && doc.contains(
                "`nais validate` (nais/cli) parses with goccy/go-yaml and rejects the file"
            ),
        "{}",
        r.stdout
    );
    assert!(!doc.contains("the deploy fails"), "{}", r.stdout);
}

/// The nais docs' placeholder orgno `123456789` also fails the modulus-11
/// check (its check digit should be 5): it is reported once, as the
/// placeholder. A real typo is still `orgno-checksum`.
#[test]
fn the_placeholder_orgno_is_reported_once_as_the_placeholder() {
    let quoted = APP.replace("orgno: 889640782", "orgno: \"123456789\"");
    let dir = project(&quoted);
    let r = maskscope(dir.path(), ["lint", "--format", "json", "nais.yaml"], None);
    assert_eq!(
        rules_of(&r.stdout),
        [("docs-placeholder".to_owned(), "warning".to_owned(), 16)]
    );
    let dir = project(&APP.replace("orgno: 889640782", "orgno: \"889640783\""));
    let r = maskscope(dir.path(), ["lint", "--format", "json", "nais.yaml"], None);
    assert_eq!(
        rules_of(&r.stdout),
        [("orgno-checksum".to_owned(), "warning".to_owned(), 16)]
    );
}

/// A Kafka Topic that a workflow deploys to two clusters: read twice, one
/// file, named once.
#[test]
fn a_file_without_manifests_deployed_twice_is_counted_and_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(d.join(".nais")).unwrap();
    std::fs::write(
        d.join(".github/workflows/deploy.yaml"),
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        cluster: [dev-gcp, prod-gcp]\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: ${{ matrix.cluster }}\n          RESOURCE: .nais/topic.yaml\n",
    )
    .unwrap();
    std::fs::write(
        d.join(".nais/topic.yaml"),
        "apiVersion: kafka.nais.io/v1\nkind: Topic\nmetadata:\n  name: t\n",
    )
    .unwrap();
    let r = maskscope(d, ["lint", ".nais/topic.yaml"], None);
    assert_eq!(
        r.stdout,
        "note: .nais/topic.yaml: holds no Application or Naisjob; nothing in it was checked against the rules\nchecked 1 file (no manifests): 0 errors, 0 warnings, 0 infos\n"
    );
    let r = maskscope(d, ["lint", "--format", "json", ".nais/topic.yaml"], None);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["without_manifests"],
        serde_json::json!([".nais/topic.yaml"])
    );
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["files_without_manifests"], 1);
}

/// The pre-commit hook names every changed YAML file; with the hook's own
/// command line, those that hold no manifest are passed over without a word.
#[test]
fn the_hook_passes_over_named_files_without_manifests() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("maskscope"));
    let dir = project(APP);
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  db:\n    image: postgres\n",
    )
    .unwrap();
    let mut args: Vec<&str> = words.collect();
    args.extend(["nais.yaml", "compose.yaml"]);
    let r = maskscope(dir.path(), &args, None);
    assert!(!r.stdout.contains("compose.yaml"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("checked 1 file: 1 error, 0 warnings, 0 infos\n"),
        "{}",
        r.stdout
    );
    // Named without the option, it is reported.
    let r = maskscope(dir.path(), ["lint", "compose.yaml"], None);
    assert!(
        r.stdout.contains("note: compose.yaml: holds no"),
        "{}",
        r.stdout
    );
}

/// `--cluster prd-gcp` names no cluster maskscope knows: the environment is
/// unknown, and a warning names the closest known cluster. A configured
/// cluster, or one named `dev-*`/`prod-*`, gives none.
#[test]
fn an_unknown_cluster_is_warned_about_with_the_closest_name() {
    let dir = project(APP);
    let r = maskscope(
        dir.path(),
        ["resolve", "--cluster", "prd-gcp", "nais.yaml"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "warning: --cluster prd-gcp: not a known cluster (dev-* or prod-*, or one under [clusters] in maskscope.toml), so the Maskinporten environment is unknown; did you mean `prod-gcp`?\n"
    );
    for args in [
        ["lint", "--cluster", "prod-gcp", "nais.yaml"],
        ["resolve", "--cluster", "dev-anything", "nais.yaml"],
    ] {
        let r = maskscope(dir.path(), args, None);
        assert!(!r.stderr.contains("warning"), "{args:?}: {}", r.stderr);
    }
    std::fs::write(
        dir.path().join("maskscope.toml"),
        "[clusters]\nlabs = \"test\"\n",
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        ["resolve", "--cluster", "labs", "nais.yaml"],
        None,
    );
    assert_eq!(r.stderr, "");
    let r = maskscope(
        dir.path(),
        ["resolve", "--cluster", "lab", "nais.yaml"],
        None,
    );
    assert!(r.stderr.ends_with("did you mean `labs`?\n"), "{}", r.stderr);
}

/// `maskscope ARGS` in `dir` with `env` set (and nothing else of the test's
/// own colour settings): stdout.
fn with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = assert_cmd::Command::cargo_bin("maskscope").unwrap();
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// `--color` on every command; with `auto`, `CLICOLOR_FORCE` colours even
/// into a pipe and `NO_COLOR` turns colour off, as in cargo and ripgrep.
#[test]
fn color_follows_the_option_then_clicolor_force_then_no_color() {
    let dir = project(APP);
    let d = dir.path();
    let lint = ["lint", "nais.yaml"];
    let colored = |args: &[&str], env: &[(&str, &str)]| with_env(d, args, env).contains("\x1b[");
    assert!(!colored(&lint, &[]), "a pipe is no terminal");
    assert!(colored(&lint, &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&lint, &[("CLICOLOR_FORCE", "0")]));
    assert!(colored(
        &lint,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    let always = ["lint", "--color", "always", "nais.yaml"];
    assert!(colored(&always, &[("NO_COLOR", "1")]));
    let never = ["--color", "never", "lint", "nais.yaml"];
    assert!(!colored(&never, &[("CLICOLOR_FORCE", "1")]));
    // clap's own help follows it too.
    assert!(colored(&["lint", "--color", "always", "--help"], &[]));
    assert!(!colored(
        &["lint", "--color=never", "--help"],
        &[("CLICOLOR_FORCE", "1")]
    ));
    // Every command takes it.
    for command in [
        "resolve",
        "lint",
        "migrate-check",
        "deployments",
        "diff",
        "access",
        "rules",
        "completions",
        "man",
    ] {
        let mut cmd = assert_cmd::Command::cargo_bin("maskscope").unwrap();
        let out = cmd
            .args([command, "--color", "never", "--help"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
