//! `maskscope render` through the binary: a file as nais deploy renders it,
//! per deployment or with the command line's variables, and the documents
//! it sends.

mod common;

use common::maskscope;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render")
}

fn matrix() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/deploy/matrix")
}

/// The reproduction of a failed deploy, as raymond renders it: the second
/// `{{/each}}` keeps the indentation in front of it, so the second entry
/// lands under the first one's consumers.
#[test]
fn prints_what_nais_deploy_renders_and_says_why_the_deploy_fails() {
    let r = maskscope(
        &fixtures(),
        [
            "render",
            "--vars",
            "nested-each-vars.json",
            "--var",
            "image=x",
            "nested-each.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let expected = "\
apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: app
  namespace: team
spec:
  image: x
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          consumers:
            - orgno: \"889640782\"
                - name: \"sak.read\"
          enabled: true
          product: \"arbeid\"
          consumers:
            - orgno: \"889640782\"
            - orgno: \"974761076\"
        \n";
    assert_eq!(r.stdout, expected);
    assert_eq!(
        r.stderr,
        "error: nested-each.yaml:13:9: nais deploy cannot decode the rendered text (at its line 17, column 17): did not find expected key (while parsing a block mapping at line 16, column 15)\n"
    );
}

#[test]
fn one_rendering_per_deployment_with_a_header_each_or_the_cluster_given() {
    let r = maskscope(&matrix(), ["render", ".nais/app.yaml"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let headers: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        headers,
        [
            "# dev-gcp: .nais/vars-dev.yaml, image=? (.github/workflows/deploy.yaml:29)",
            "# prod-gcp: .nais/vars-prod.yaml, image=? (.github/workflows/deploy.yaml:29)"
        ]
    );
    assert!(
        r.stderr.contains("rendered as nothing: image"),
        "{}",
        r.stderr
    );
    let r = maskscope(
        &matrix(),
        ["render", "--cluster", "prod-gcp", ".nais/app.yaml"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("apiVersion: nais.io/v1alpha1\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  ingresses:\n    - https://vedtak-api.intern.nav.no\n    - https://vedtak-api.nav.no\n  maskinporten:"),
        "{}",
        r.stdout
    );
    let r = maskscope(
        &matrix(),
        ["render", "--cluster", "dev-fss", ".nais/app.yaml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("no deployment of .nais/app.yaml to dev-fss"),
        "{}",
        r.stderr
    );
}

#[test]
fn json_has_the_documents_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.yaml"),
        "a: {{x}}\nb: yes\nc: 010\na: last\n---\nd: \"{{y}}\"\n",
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        ["render", "--format", "json", "--var", "x=1", "t.yaml"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        json!([{
            "deployment": null,
            "rendered": true,
            "text": "a: 1\nb: yes\nc: 010\na: last\n---\nd: \"\"\n",
            "documents": [{"a": "last", "b": true, "c": 8}, {"d": ""}],
            "error": null,
            "unknown": []
        }])
    );
}

#[test]
fn without_variables_or_deployments_the_file_is_shown_unrendered() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), "a: \"{{x}}\"\n").unwrap();
    let r = maskscope(dir.path(), ["render", "t.yaml"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "a: \"{{x}}\"\n");
    assert!(r.stderr.contains("not rendered"), "{}", r.stderr);
}

#[test]
fn a_template_error_is_a_deploy_that_fails_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), "a: 1\nb: {{#if x}}\n").unwrap();
    let r = maskscope(dir.path(), ["render", "--var", "x=1", "t.yaml"], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("error: t.yaml:3:1: nais deploy cannot parse this template (raymond: "),
        "{}",
        r.stderr
    );
}

#[test]
fn control_characters_and_workflow_commands_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.yaml"),
        "a: {{x}}\n::error::{{x}}\n  ::warning::x\n",
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        ["render", "--var", "x=\u{1b}[31m", "t.yaml"],
        None,
    );
    assert_eq!(
        r.stdout,
        "a: \\u{1b}[31m\n\\u{3a}:error::\\u{1b}[31m\n  \\u{3a}:warning::x\n"
    );
}

/// Text that is valid YAML but that yaml.v2 refuses while it decodes (a
/// value its explicit tag does not fit): `lint` and `render` both say the
/// deploy fails, at the line.
#[test]
fn what_yaml_v2_refuses_is_a_deploy_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nais.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  replicas: !!int two\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["lint", "--format", "json", "nais.yaml"], None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["rule"].as_str(), d["line"].as_u64()),
        (Some("yaml-syntax"), Some(7)),
        "{v}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid YAML, so the deploy fails: cannot decode !!str `two` as a !!int"),
        "{v}"
    );
    let r = maskscope(dir.path(), ["render", "--var", "x=1", "nais.yaml"], None);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("nais.yaml:7:13: nais deploy cannot decode"),
        "{}",
        r.stderr
    );
}
