//! What a deploy step's variables do, through the binary: nais deploy renders
//! a file only when the step has variables, and `VAR image=` wins over
//! `IMAGE`, which is written into the vars file before `VAR` applies.

mod common;

use common::maskscope;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const APP: &str = "apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: app
  namespace: team
spec:
  image: ghcr.io/navikt/app:1
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"{{scope}}\"
          enabled: true
          product: arbeid
";

/// A repository whose one workflow deploys `.nais/app.yaml` with `env`.
fn repo(env: &str, manifest: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |p: &str, text: &str| {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        ".github/workflows/deploy.yaml",
        &format!(
            "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: .nais/app.yaml\n{env}"
        ),
    );
    write(".nais/app.yaml", manifest);
    write(".nais/dev.yaml", "scope: vedtak.read\n");
    dir
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let r = maskscope(dir, args, None);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

#[test]
fn a_step_without_variables_deploys_its_file_unrendered() {
    let dir = repo("          WORKLOAD_IMAGE: ghcr.io/navikt/app:1\n", APP);
    let lint = json(dir.path(), &["lint", "--format", "json"]);
    let found: Vec<(&str, u64, &str)> = lint["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unrendered-template")
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found.len(), 1, "{lint}");
    assert_eq!((found[0].0, found[0].1), (".nais/app.yaml", 12));
    assert!(
        found[0].2.contains(
            "deployed without variables (WORKLOAD_IMAGE and neither VARS nor VAR), so nais deploy does not render this file"
        ),
        "{}",
        found[0].2
    );
    let table = maskscope(dir.path(), ["deployments"], None).stdout;
    assert!(table.contains("none: not rendered"), "{table}");
    // What the cluster sees is the expression as written.
    let resolved = json(dir.path(), &["resolve", "--format", "json"]);
    assert_eq!(resolved[0]["name"], "{{scope}}", "{resolved}");

    // The same step with a vars file renders it.
    let dir = repo("          VARS: .nais/dev.yaml\n", APP);
    let resolved = json(dir.path(), &["resolve", "--format", "json"]);
    assert_eq!(resolved[0]["scope"], "nav:arbeid:vedtak.read", "{resolved}");
    let lint = json(dir.path(), &["lint", "--format", "json"]);
    assert!(
        lint["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["rule"] != "unrendered-template"),
        "{lint}"
    );
}

#[test]
fn var_image_wins_over_image() {
    let dir = repo(
        "          IMAGE: ghcr.io/navikt/app:from-image\n          VAR: image=ghcr.io/navikt/app:from-var\n",
        &APP.replace("ghcr.io/navikt/app:1", "{{image}}"),
    );
    let listed = json(dir.path(), &["deployments", "--format", "json"]);
    assert_eq!(
        listed[0]["var"]["image"], "ghcr.io/navikt/app:from-var",
        "{listed}"
    );
}
