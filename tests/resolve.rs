//! `maskscope resolve` through the binary: every format, the options, input
//! discovery and the errors.

mod common;

use std::path::Path;

/// Run in the repository root and return (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let r = common::maskscope(dir, args, stdin);
    (r.code, r.stdout, r.stderr)
}

#[test]
fn table_of_a_full_application() {
    let (code, out, err) = run(&["resolve", "testdata/resolve/full-application.yaml"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn table_marks_disabled_scopes_and_blocks() {
    let (code, out, _) = run(&[
        "resolve",
        "testdata/resolve/separators.yaml",
        "testdata/resolve/maskinporten-disabled.yaml",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn plain_prints_active_scopes_only() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "plain",
        "testdata/resolve/separators.yaml",
        "testdata/resolve/maskinporten-disabled.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("gammel.read"),
        "a disabled scope is not active"
    );
    assert!(
        !out.contains("afp.write"),
        "a disabled maskinporten block provisions nothing"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn plain_all_prints_every_entry() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "plain",
        "--all",
        "testdata/resolve/separators.yaml",
        "testdata/resolve/maskinporten-disabled.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("nav:arbeid:gammel.read\n"));
    assert!(out.contains("nav:helse/sykepenger/afp.write\n"));
}

#[test]
fn json_of_every_entry() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "json",
        "testdata/resolve/full-application.yaml",
        "testdata/resolve/maskinporten-disabled.yaml",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_has_exactly_the_documented_keys() {
    let (_, out, _) = run(&[
        "resolve",
        "--format",
        "json",
        "testdata/resolve/separators.yaml",
    ]);
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = rows[0].keys().map(String::as_str).collect();
    let mut expected = vec![
        "file",
        "document",
        "line",
        "kind",
        "namespace",
        "app",
        "product",
        "name",
        "separator",
        "separator_source",
        "subscope",
        "scope",
        "enabled",
        "maskinporten_enabled",
        "consumers",
        "accessible_for_all",
        "at_max_age",
        "allowed_integrations",
        "visibility",
        "delegation_source",
        "unresolved_vars",
        "cluster",
        "environment",
        "deployed",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(rows.len(), 8);
}

#[test]
fn multi_document_file_reads_applications_and_naisjobs_only() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "json",
        "testdata/resolve/multi-document.yaml",
    ]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let docs: Vec<(i64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["document"].as_i64().unwrap(),
                r["kind"].as_str().unwrap(),
                r["scope"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            (1, "Application", "nav:ytelse/utbetalinger.read"),
            (3, "Naisjob", "nav:ytelse/avstemming/daglig.read")
        ]
    );
}

#[test]
fn json_manifest() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "plain",
        "testdata/resolve/manifest.json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "nav:pensjon/opptjening/beholdning.read\n");
}

#[test]
fn folder_is_searched_recursively_in_sorted_order() {
    let (code, out, err) = run(&[
        "resolve",
        "--format",
        "plain",
        "--all",
        "--var",
        "app=a",
        "--var",
        "image=i",
        "testdata/resolve",
    ]);
    // broken.yaml stops the run with exit 2, but the other files still resolve.
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("testdata/resolve/broken.yaml:13:10"), "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn templates_render_with_vars_file() {
    let (code, out, err) = run(&[
        "resolve",
        "--format",
        "plain",
        "--vars",
        "testdata/resolve/templated/dev.yaml",
        "testdata/resolve/templated/app.yaml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "nav:dokument/arkiv.read\nnav:dokument/arkiv/journal.write\n"
    );
}

/// `{{#each}}` repeats its lines: every entry it produces is reported at the
/// template line it came from (line 13, `- name: "{{ this.name }}"`), and
/// nothing needs a note.
#[test]
fn entries_of_an_each_are_reported_at_the_template_line() {
    let (code, out, err) = run(&[
        "resolve",
        "--format",
        "json",
        "--vars",
        "testdata/resolve/templated/dev.yaml",
        "testdata/resolve/templated/app.yaml",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(&str, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["scope"].as_str().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("nav:dokument/arkiv.read", 13),
            ("nav:dokument/arkiv/journal.write", 13)
        ]
    );
    let template = std::fs::read_to_string("testdata/resolve/templated/app.yaml").unwrap();
    assert_eq!(
        template.lines().nth(12),
        Some("        - name: \"{{ this.name }}\"")
    );
}

/// A template that only fills in values keeps every line in its place.
#[test]
fn a_template_that_only_fills_values_gets_no_note() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("testdata/resolve/full-application.yaml").unwrap();
    std::fs::write(
        dir.path().join("nais.yaml"),
        text.replacen("  namespace: tpts", "  namespace: {{ ns }}", 1),
    )
    .unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &["resolve", "--var", "ns=team-vedtak", "nais.yaml"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("team-vedtak/"), "{out}");
    assert_eq!(err, "");
}

#[test]
fn var_wins_over_vars_file() {
    let (code, out, _) = run(&[
        "resolve",
        "--format",
        "json",
        "--vars",
        "testdata/resolve/templated/dev.yaml",
        "--var",
        "app=dokument-arkiv-q1",
        "testdata/resolve/templated/app.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("\"app\": \"dokument-arkiv-q1\""), "{out}");
}

#[test]
fn missing_template_variable_names_variable_file_and_line() {
    let (code, out, err) = run(&[
        "resolve",
        "--var",
        "app=x",
        "testdata/resolve/templated/app.yaml",
    ]);
    // `image` is supplied by every deploy: never named. `scopes` decides the
    // entries: none can be known.
    assert_eq!(code, 0);
    assert_eq!(out, "no exposed scopes found\n");
    assert_eq!(
        err,
        "warning: testdata/resolve/templated/app.yaml:12:1: template variable `scopes` has no value, \
         and spec.maskinporten depends on it: some scopes are not known; give it with --vars or --var\n"
    );
}

#[test]
fn broken_yaml_names_file_line_and_column() {
    let (code, out, err) = run(&["resolve", "testdata/resolve/broken.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    insta::assert_snapshot!(err);
}

#[test]
fn prefix_option() {
    let (_, out, _) = run(&[
        "resolve",
        "--format",
        "plain",
        "--prefix",
        "skatt",
        "testdata/resolve/manifest.json",
    ]);
    assert_eq!(out, "skatt:pensjon/opptjening/beholdning.read\n");
}

#[test]
fn stdin() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/resolve/manifest.json"),
    )
    .unwrap();
    let (code, out, _) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["resolve", "--format", "json", "-"],
        Some(&text),
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"file\": \"<stdin>\""));
}

#[test]
fn stdin_errors_name_stdin() {
    let (code, _, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["resolve", "-"],
        Some("a: [\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>:"), "{err}");
}

#[test]
fn default_paths() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/resolve/manifest.json"),
    )
    .unwrap();

    let (code, _, err) = run_in(dir.path(), &["resolve"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("looked for the folders .nais/, nais/, .deploy/ and deploy/"),
        "{err}"
    );

    std::fs::write(dir.path().join("nais.yml"), &manifest).unwrap();
    let (code, out, _) = run_in(dir.path(), &["resolve", "--format", "plain"], None);
    assert_eq!(
        (code, out.as_str()),
        (0, "nav:pensjon/opptjening/beholdning.read\n")
    );

    std::fs::create_dir(dir.path().join(".nais")).unwrap();
    std::fs::write(
        dir.path().join(".nais/app.yaml"),
        manifest.replace("pensjon-opptjening", "other"),
    )
    .unwrap();
    let (code, out, _) = run_in(dir.path(), &["resolve", "--format", "json"], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"file\": \".nais/app.yaml\""), "{out}");
}

#[test]
fn missing_path_is_a_usage_error() {
    let (code, _, err) = run(&["resolve", "testdata/does-not-exist.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("testdata/does-not-exist.yaml: no such file or folder"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("m");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink("..", sub.join("loop")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/resolve/manifest.json"),
        sub.join("app.json"),
    )
    .unwrap();
    let (code, out, err) = run_in(dir.path(), &["resolve", "--format", "plain", "m"], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "nav:pensjon/opptjening/beholdning.read\n");
    assert!(
        err.contains("m/loop: skipped: symbolic link loops back to a folder that holds it"),
        "{err}"
    );
}

#[test]
fn entry_without_name_is_left_out_with_a_warning() {
    let text = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - enabled: true\n          product: arbeid\n        - name: ok.read\n          enabled: true\n          product: arbeid\n";
    let (code, out, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["resolve", "--format", "plain", "-"],
        Some(text),
    );
    assert_eq!(code, 0);
    assert_eq!(out, "nav:arbeid:ok.read\n");
    assert!(
        err.contains("<stdin>:11:11: exposes entry 1 of t/a has no usable `name`"),
        "{err}"
    );
}

#[test]
fn yaml_with_other_templates_is_not_a_manifest_error() {
    let dir = tempfile::tempdir().unwrap();
    let wf = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    std::fs::write(
        wf.join("ci.yaml"),
        "on: push\njobs:\n  b:\n    steps:\n      - run: echo ${{ secrets.TOKEN }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("helm.yaml"),
        "{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n",
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/resolve/manifest.json"),
        dir.path().join("app.json"),
    )
    .unwrap();
    for command in ["resolve", "lint"] {
        let (code, _, err) = run_in(dir.path(), &[command, "."], None);
        assert_eq!(code, 0, "{command}: {err}");
    }
    // A nais manifest with a variable that has no value is still reported.
    std::fs::write(
        dir.path().join("templated.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ app }}\n",
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["resolve", "."], None);
    assert_eq!(code, 0);
    assert!(
        err.contains(
            "templated.yaml: template variables without a value, which no scope depends on: app"
        ),
        "{err}"
    );
}

/// One scope is `1 scope`, not `1 scopes`.
#[test]
fn one_scope_is_counted_in_the_singular() {
    let app = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n";
    let (code, out, err) = run_in(Path::new("."), &["resolve", "-"], Some(app));
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("\n1 scope, 1 active\n"), "{out}");
}
