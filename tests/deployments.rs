//! Deployments through the binary: found in GitHub Actions workflows,
//! `maskscope.toml` and file names (the repositories under `testdata/deploy/`),
//! listed by `maskscope deployments`, and used by `resolve` and `lint`: each
//! manifest rendered with its deployment's variables, and collisions only
//! within one Maskinporten environment.

mod common;

use common::{Run, maskscope};
use serde_json::{Value, json};
use std::path::PathBuf;

fn repo(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/deploy")
        .join(name)
}

fn run<const N: usize>(name: &str, args: [&str; N]) -> Run {
    maskscope(&repo(name), args, None)
}

fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

/// `(manifest, vars, cluster, environment, source kind, source line)` of a deployment.
type Listed = (String, Value, Value, Value, String, Value);

fn listed(name: &str) -> Vec<Listed> {
    let r = run(name, ["deployments", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json_of(&r)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["manifest"].as_str().unwrap().to_owned(),
                d["vars"].clone(),
                d["cluster"].clone(),
                d["environment"].clone(),
                d["source"]["kind"].as_str().unwrap().to_owned(),
                d["source"]["line"].clone(),
            )
        })
        .collect()
}

#[test]
fn json_has_exactly_the_documented_keys() {
    let r = run("matrix", ["deployments", "--format", "json"]);
    let v = json_of(&r);
    let mut keys: Vec<&str> = v[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "cluster",
            "environment",
            "kinds",
            "manifest",
            "source",
            "var",
            "vars"
        ]
    );
    let mut source: Vec<&str> = v[0]["source"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    source.sort_unstable();
    assert_eq!(source, ["file", "kind", "line"]);
}

/// A matrix over two clusters, a vars file each (`include`), the manifest
/// from the workflow's `env`; the step is on line 29 of the workflow.
#[test]
fn a_matrix_deploy_over_two_clusters() {
    let r = run("matrix", ["deployments", "--format", "json"]);
    let v = json_of(&r);
    assert_eq!(
        v[0],
        json!({
            "manifest": ".nais/app.yaml",
            "kinds": ["Application"],
            "vars": [".nais/vars-dev.yaml"],
            "var": {"image": null},
            "cluster": "dev-gcp",
            "environment": "test",
            "source": {"kind": "workflow", "file": ".github/workflows/deploy.yaml", "line": 29}
        })
    );
    let workflow =
        std::fs::read_to_string(repo("matrix").join(".github/workflows/deploy.yaml")).unwrap();
    assert_eq!(
        workflow.lines().nth(28).unwrap().trim(),
        "- uses: nais/deploy/actions/deploy@v2"
    );
    assert_eq!(v[1]["vars"], json!([".nais/vars-prod.yaml"]));
    assert_eq!(
        (v[1]["cluster"].clone(), v[1]["environment"].clone()),
        (json!("prod-gcp"), json!("prod"))
    );
    // The other manifest has a step of its own, to dev-gcp only.
    assert_eq!(
        v[2],
        json!({
            "manifest": ".nais/arkiv-dev-gcp.yaml", "kinds": ["Application"], "vars": [], "var": {"image": null},
            "cluster": "dev-gcp", "environment": "test",
            "source": {"kind": "workflow", "file": ".github/workflows/deploy.yaml", "line": 40}
        })
    );
    insta::assert_snapshot!("matrix_table", run("matrix", ["deployments"]).stdout);
}

#[test]
fn a_reusable_workflow_called_with_literal_inputs() {
    assert_eq!(
        listed("reusable"),
        [
            (
                ".nais/naiserator.yaml".into(),
                json!([".nais/dev.yaml"]),
                json!("dev-fss"),
                json!("test"),
                "workflow".into(),
                json!(18)
            ),
            (
                ".nais/naiserator.yaml".into(),
                json!([".nais/prod.yaml"]),
                json!("prod-fss"),
                json!("prod"),
                "workflow".into(),
                json!(18)
            ),
        ]
    );
    // `VAR` sets `team`, which the template's namespace uses.
    let r = run("reusable", ["resolve", "--format", "json"]);
    let rows = json_of(&r);
    let got: Vec<(&str, &str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["namespace"].as_str().unwrap(),
                r["scope"].as_str().unwrap(),
                r["cluster"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("pensjon", "nav:pensjon:beregning.read", "dev-fss"),
            ("pensjon", "nav:pensjon:beregning.read", "prod-fss")
        ]
    );
}

#[test]
fn a_deploy_v3_step_with_inputs() {
    // The Topic it also deploys is listed with its kind; only the
    // Application is evaluated.
    let step = |m: &str| {
        (
            m.into(),
            json!([]),
            json!("prod-gcp"),
            json!("prod"),
            "workflow".into(),
            json!(9),
        )
    };
    assert_eq!(
        listed("v3"),
        [step("nais/app.yaml"), step("nais/topic.yaml")]
    );
    let r = run("v3", ["deployments", "--format", "json"]);
    let kinds: Vec<Value> = json_of(&r)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kinds"].clone())
        .collect();
    assert_eq!(kinds, [json!(["Application"]), json!(["Topic"])]);
    let r = run("v3", ["deployments", "--format", "json"]);
    assert_eq!(
        json_of(&r)[0]["var"],
        json!({"image": "ghcr.io/navikt/app:1", "ns": "team-a"})
    );
    let r = run("v3", ["lint", "--format", "json"]);
    assert_eq!(
        (r.code, json_of(&r)["summary"]["errors"].clone()),
        (0, json!(0)),
        "{}",
        r.stdout
    );
}

#[test]
fn an_unresolvable_setting_falls_back_to_conventions_with_a_warning() {
    let r = run("unresolvable", ["deployments"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "warning: .github/workflows/deploy.yaml:14: the deploy step's CLUSTER is `${{ needs.plan.outputs.cluster }}`, which maskscope cannot resolve; .nais/app-dev.yaml is read by file-name conventions instead\n\
         warning: .github/workflows/deploy.yaml:18: the deploy step's RESOURCE is `${{ needs.plan.outputs.files }}`, which maskscope cannot resolve, so it cannot tell which manifests this step deploys\n"
    );
    assert_eq!(
        listed("unresolvable"),
        [(
            ".nais/app-dev.yaml".into(),
            json!([]),
            json!(null),
            json!("test"),
            "convention".into(),
            json!(null)
        )]
    );
    // Every command that reads manifests says the same.
    let r = run("unresolvable", ["lint"]);
    assert!(
        r.stderr
            .contains("deploy.yaml:14: the deploy step's CLUSTER"),
        "{}",
        r.stderr
    );
}

#[test]
fn per_cluster_file_names() {
    assert_eq!(
        listed("filenames"),
        [
            (
                "nais/dev-gcp.yaml".into(),
                json!([]),
                json!("dev-gcp"),
                json!("test"),
                "convention".into(),
                json!(null)
            ),
            (
                "nais/prod-gcp.yaml".into(),
                json!([]),
                json!("prod-gcp"),
                json!("prod"),
                "convention".into(),
                json!(null)
            ),
            (
                "nais/q1.yaml".into(),
                json!([]),
                json!(null),
                json!("test"),
                "convention".into(),
                json!(null)
            ),
        ]
    );
    insta::assert_snapshot!("filenames_table", run("filenames", ["deployments"]).stdout);
}

#[test]
fn deployments_from_maskscope_toml() {
    assert_eq!(
        listed("config"),
        [
            (
                "deploy/app.yaml".into(),
                json!(["deploy/labs.yaml"]),
                json!("labs-gcp"),
                json!("test"),
                "config".into(),
                json!(2)
            ),
            (
                "deploy/app.yaml".into(),
                json!([]),
                json!("prod-gcp"),
                json!("prod"),
                "config".into(),
                json!(7)
            ),
        ]
    );
    let r = run("config", ["resolve", "--format", "plain"]);
    assert_eq!(
        r.stdout,
        "test\tnav:arbeid:labs.read\nprod\tnav:arbeid:prod.read\n"
    );
}

/// Two apps expose one scope: in dev-gcp they meet (Maskinporten's test
/// environment), in prod-gcp `vedtak-api` is alone. Both ends are reported,
/// each naming the other, and the finding of the file deployed twice says
/// where it holds.
#[test]
fn collisions_within_an_environment_only_and_at_both_ends() {
    let r = run(
        "matrix",
        ["lint", "--format", "json", "--select", "scope-collision"],
    );
    assert_eq!(r.code, 1);
    let v = json_of(&r);
    let found: Vec<(&str, u64, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (".nais/app.yaml", 16));
    assert!(found[0].2.contains("also exposed by team-vedtak/vedtak-arkiv (.nais/arkiv-dev-gcp.yaml:12) in Maskinporten's test environment"), "{}", found[0].2);
    assert!(found[0].2.ends_with("(only in dev-gcp)"), "{}", found[0].2);
    assert_eq!((found[1].0, found[1].1), (".nais/arkiv-dev-gcp.yaml", 12));
    assert!(
        found[1]
            .2
            .contains("also exposed by team-vedtak/vedtak-api (.nais/app.yaml:16)"),
        "{}",
        found[1].2
    );
    assert_eq!(
        v["diagnostics"][1]["related"],
        json!([{"file": ".nais/app.yaml", "line": 16, "column": 11, "message": "team-vedtak/vedtak-api also exposes \"nav:arbeid/vedtak.read\" here"}])
    );
    let r = run(
        "matrix",
        ["lint", "--format", "sarif", "--select", "scope-collision"],
    );
    let sarif = json_of(&r);
    let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        ".nais/arkiv-dev-gcp.yaml"
    );
    assert_eq!(related["region"]["startLine"], 12);

    // Across environments they never meet: the corpus's prod.yaml and q2.yaml.
    let corpus = corpus_or_skip!().join("navikt__aareg-dist-api");
    let r = maskscope(
        &corpus,
        ["lint", "--format", "json", "--select", "scope-collision"],
        None,
    );
    assert_eq!(
        (r.code, json_of(&r)["diagnostics"].clone()),
        (0, json!([])),
        "{}",
        r.stdout
    );
}

/// A file deployed twice is read with each deployment's vars: a finding that
/// holds in one says which, one that holds in both says so; the file counts once.
#[test]
fn findings_name_the_deployments_they_hold_for() {
    let r = run(
        "matrix",
        [
            "lint",
            "--format",
            "json",
            "--select",
            "docs-placeholder,implicit-separator",
        ],
    );
    let v = json_of(&r);
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("orgno \"123456789\" is the nais docs' placeholder")
            && messages[0].ends_with("(only in dev-gcp)"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].ends_with("(in dev-gcp and prod-gcp)"),
        "{}",
        messages[1]
    );
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn resolve_gives_every_deployment_its_row_and_plain_tags_environments() {
    let r = run("matrix", ["resolve", "--format", "plain"]);
    assert_eq!(
        r.stdout,
        "test\tnav:arbeid/vedtak.read\ntest\tnav:arbeid/vedtak/historikk.read\nprod\tnav:arbeid/vedtak.read\nprod\tnav:arbeid/vedtak/historikk.read\n"
    );
    // One environment: no tags.
    let r = run("v3", ["resolve", "--format", "plain"]);
    assert_eq!(r.stdout, "nav:arbeid:data.read\n");
}

#[test]
fn the_command_line_overrides_what_was_found_and_says_so() {
    let r = run(
        "matrix",
        [
            "resolve",
            "--format",
            "json",
            "--cluster",
            "prod-gcp",
            ".nais/app.yaml",
        ],
    );
    assert!(
        r.stderr.contains("note: --cluster prod-gcp given"),
        "{}",
        r.stderr
    );
    let rows = json_of(&r);
    let clusters: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cluster"].as_str().unwrap())
        .collect();
    // Only the deployment to prod-gcp: the one to dev-gcp is left out.
    assert_eq!(clusters, ["prod-gcp", "prod-gcp"]);
    let r = run(
        "matrix",
        [
            "lint",
            "--format",
            "json",
            "--vars",
            ".nais/vars-prod.yaml",
            "--select",
            "orgno-checksum",
        ],
    );
    assert!(
        r.stderr.contains("note: --vars/--var given"),
        "{}",
        r.stderr
    );
    assert_eq!(json_of(&r)["summary"]["warnings"], 0);
}

/// migrate-check takes each manifest's cluster from its deployment: the
/// cluster-mismatch fixture, named for prod-gcp, needs no `--cluster`.
#[test]
fn migrate_check_takes_the_cluster_from_the_deployment() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/lint/cluster-mismatch");
    std::fs::copy(fixtures.join("fail.yaml"), dir.path().join("prod-gcp.yaml")).unwrap();
    std::fs::copy(
        fixtures.join("fail.scopes.yaml"),
        dir.path().join("scopes.yaml"),
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        [
            "migrate-check",
            "--format",
            "json",
            "--iac",
            "scopes.yaml",
            "prod-gcp.yaml",
        ],
        None,
    );
    assert!(
        r.stdout.contains("is owned by `team-vedtak/vedtak-api` on cluster `devgcp`, and this manifest deploys to `prod-gcp`"),
        "{}",
        r.stdout
    );
    // Under a name that says no cluster, there is nothing to compare.
    std::fs::rename(
        dir.path().join("prod-gcp.yaml"),
        dir.path().join("app.yaml"),
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        [
            "migrate-check",
            "--format",
            "json",
            "--iac",
            "scopes.yaml",
            "app.yaml",
        ],
        None,
    );
    assert!(!r.stdout.contains("cluster-mismatch"), "{}", r.stdout);
}

#[test]
fn cluster_given_over_file_names_says_so_too() {
    // nais/prod-gcp.yaml goes there; dev-gcp.yaml and q1.yaml (test) do not.
    let r = run(
        "filenames",
        ["resolve", "--format", "json", "--cluster", "prod-gcp"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "warning: --cluster prod-gcp: 2 manifests not deployed to prod-gcp left out\nnote: --cluster prod-gcp given: only the manifests deployed to prod-gcp are read, and those whose cluster is not known as if deployed there\n"
    );
    let rows = json_of(&r);
    let files: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["file"].as_str().unwrap(), r["cluster"].as_str().unwrap()))
        .collect();
    assert_eq!(files, [("nais/prod-gcp.yaml", "prod-gcp")], "{rows}");
    // No note where no file name names one: nothing is overridden.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".nais")).unwrap();
    std::fs::copy(
        repo("matrix").join(".nais/arkiv-dev-gcp.yaml"),
        dir.path().join(".nais/arkiv.yaml"),
    )
    .unwrap();
    let none = maskscope(dir.path(), ["resolve", "--cluster", "prod-fss"], None);
    assert_eq!((none.code, none.stderr.as_str()), (0, ""));
}

#[test]
fn a_deployment_path_above_the_root_is_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(root.join(".nais")).unwrap();
    std::fs::copy(
        repo("matrix").join(".nais/arkiv-dev-gcp.yaml"),
        root.join(".nais/app.yaml"),
    )
    .unwrap();
    // Next to the repository, where a deploy's checkout has nothing.
    std::fs::write(dir.path().join("vars.yaml"), "x: 1\n").unwrap();
    std::fs::write(
        root.join(".github/workflows/deploy.yaml"),
        "on: push\njobs:\n  deploy:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: .nais/app.yaml\n          VARS: .nais/../../vars.yaml\n",
    )
    .unwrap();
    let r = maskscope(&root, ["deployments", "--format", "json"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "warning: .github/workflows/deploy.yaml:5: names ../vars.yaml, outside the repository: this deployment is left out (paths are relative to the repository's root)\n"
    );
    let v = json_of(&r);
    let clusters: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["cluster"])
        .collect();
    assert_eq!(clusters, [&Value::Null], "{v}");
}

/// A warning about one line of a workflow is given once, however many
/// matrix jobs reach that line.
#[test]
fn one_warning_per_workflow_line_however_many_jobs_reach_it() {
    let dir = tempfile::tempdir().unwrap();
    let wf = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&wf).unwrap();
    std::fs::write(
        wf.join("deploy.yaml"),
        "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        cluster: [dev-gcp, prod-gcp, dev-fss]\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: ${{ matrix.cluster }}\n          RESOURCE: ${{ secrets.MANIFEST }}\n",
    )
    .unwrap();
    let r = maskscope(dir.path(), ["deployments"], None);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("deploy.yaml:10"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
}
