//! What is deployed: where a repository has a deploy step, only what the
//! steps name goes to a cluster; a manifest no step names is read (lint
//! checks it) but changes nothing in Maskinporten, and a deploy that stops
//! deploying a manifest deletes nothing. Through the binary, on git
//! repositories built here.

mod common;

use common::repo::Repo;
use serde_json::Value;

/// An Application `team/NAME` that exposes `nav:arbeid:SCOPE` to `orgno`.
fn app(name: &str, scope: &str, orgno: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"{orgno}\"\n"
    )
}

/// A workflow with one deploy step per `(cluster, manifest)`.
fn workflow(steps: &[(&str, &str)]) -> String {
    let mut wf = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n".to_owned();
    for (cluster, manifest) in steps {
        wf.push_str(&format!(
            "      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: {cluster}\n          RESOURCE: {manifest}\n          VAR: image=x\n"
        ));
    }
    wf
}

const WF: &str = ".github/workflows/deploy.yaml";

fn json(r: &common::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

fn run(r: &Repo, args: &[&str]) -> common::Run {
    common::maskscope(r.path(), args.iter().copied(), None)
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

/// A prod manifest that no step deployed gets its first step: its client
/// is made in prod and its scope created there, with its consumer, not
/// moved from a client that was never in a cluster.
#[test]
fn a_prod_manifest_that_gets_its_first_deploy_step_is_created_there() {
    let r = Repo::new();
    r.write(".nais/dev.yaml", &app("api", "ab.read", "889640782"))
        .write(".nais/prod.yaml", &app("api", "ab.read", "974761076"));
    let base = r
        .write(WF, &workflow(&[("dev-gcp", ".nais/dev.yaml")]))
        .commit("dev only");
    let head = r
        .write(
            WF,
            &workflow(&[
                ("dev-gcp", ".nais/dev.yaml"),
                ("prod-gcp", ".nais/prod.yaml"),
            ]),
        )
        .commit("deploy to prod");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        kinds(&changes),
        ["maskinporten-enabled", "scope-created"],
        "{changes:?}"
    );
    assert_eq!(changes[0]["cluster"], "prod-gcp");
    let c = &changes[1];
    assert_eq!(
        (&c["scope"], &c["environment"], &c["cluster"], &c["file"]),
        (
            &Value::from("nav:arbeid:ab.read"),
            &Value::from("prod"),
            &Value::from("prod-gcp"),
            &Value::from(".nais/prod.yaml")
        )
    );
    assert_eq!(c["consumers"][0]["orgno"], "974761076");
}

/// A manifest no step deploys, beside one that a step deploys: `resolve`
/// shows it as not deployed, `lint` checks it but meets no other app with
/// it, `access` leaves it out, and a change to it changes nothing.
#[test]
fn a_manifest_no_step_deploys_is_read_but_in_no_cluster() {
    let r = Repo::new();
    // By its name, `-q2` would be Maskinporten's test environment, where it
    // would collide with `api` in dev-gcp.
    r.write(".nais/dev-gcp.yaml", &app("api", "ab.read", "889640782"))
        .write(".nais/api-q2.yaml", &app("api-q2", "ab.read", "889640782"))
        .write(WF, &workflow(&[("dev-gcp", ".nais/dev-gcp.yaml")]));
    let base = r.commit("base");

    let v = json(&run(&r, &["resolve", "--format", "json"]));
    let rows: Vec<(&str, &Value, &Value, &Value)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap(),
                &s["cluster"],
                &s["environment"],
                &s["deployed"],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                ".nais/api-q2.yaml",
                &Value::Null,
                &Value::Null,
                &Value::from(false)
            ),
            (
                ".nais/dev-gcp.yaml",
                &Value::from("dev-gcp"),
                &Value::from("test"),
                &Value::from(true)
            ),
        ]
    );
    let plain = run(&r, &["resolve", "--format", "plain"]);
    assert_eq!(
        plain.stdout,
        "not deployed\tnav:arbeid:ab.read\ntest\tnav:arbeid:ab.read\n"
    );

    let lint = run(
        &r,
        &["lint", "--format", "json", "--select", "scope-collision"],
    );
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    // It is still checked: an unquoted orgno is found in it.
    r.write(
        ".nais/api-q2.yaml",
        &app("api-q2", "ab.read", "889640782").replace("\"889640782\"", "889640782"),
    );
    let lint = json(&run(&r, &["lint", "--format", "json"]));
    assert!(
        lint["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["file"] == ".nais/api-q2.yaml"),
        "{lint}"
    );
    r.write(".nais/api-q2.yaml", &app("api-q2", "ab.read", "889640782"));

    let access = json(&run(&r, &["access", "--format", "json"]));
    let apps: Vec<&str> = access["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["app"].as_str().unwrap())
        .collect();
    assert_eq!(apps, ["team/api"]);

    let head = r
        .write(".nais/api-q2.yaml", &app("api-q2", "bc.read", "974761076"))
        .commit("change the undeployed copy");
    assert_eq!(r.changes(&[&base, &head]), Vec::<Value>::new());
}

/// A deploy step commented out: the client stays in the cluster as last
/// deployed. One `no-longer-deployed` record at BASE, with the scopes that
/// stay, and no grant, revocation or `maskinporten-disabled`. The step put
/// back finds the client as it was last deployed: nothing changes, and a
/// consumer added with it is one grant, counted against that version.
#[test]
fn a_deploy_step_commented_out_deletes_nothing() {
    let r = Repo::new();
    r.write(".nais/dev.yaml", &app("api", "ab.read", "889640782"))
        .write(".nais/prod.yaml", &app("api", "ab.read", "974761076"));
    let both = workflow(&[
        ("dev-gcp", ".nais/dev.yaml"),
        ("prod-gcp", ".nais/prod.yaml"),
    ]);
    let base = r.write(WF, &both).commit("both");
    let commented: String = both
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i >= 10 {
                format!("#{l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(
        commented.contains("#          CLUSTER: prod-gcp"),
        "{commented}"
    );
    let head = r.write(WF, &commented).commit("no prod deploy");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["no-longer-deployed"], "{changes:?}");
    let c = &changes[0];
    assert_eq!(
        (
            &c["environment"],
            &c["cluster"],
            &c["app"],
            &c["file"],
            &c["side"]
        ),
        (
            &Value::from("prod"),
            &Value::from("prod-gcp"),
            &Value::from("team/api"),
            &Value::from(".nais/prod.yaml"),
            &Value::from("base")
        )
    );
    assert_eq!(c["scopes"], serde_json::json!(["nav:arbeid:ab.read"]));
    let back = r.changes(&[&head, &base]);
    assert_eq!(back, Vec::<Value>::new());
    let put_back = r.write(WF, &both).commit("prod deploy back");
    assert_eq!(r.changes(&[&head, &put_back]), Vec::<Value>::new());
    r.write(
        ".nais/prod.yaml",
        &app("api", "ab.read", "974761076").replace(
            "            - orgno: \"974761076\"\n",
            "            - orgno: \"974761076\"\n            - orgno: \"910825518\"\n",
        ),
    );
    let granted = r.commit("a consumer in prod");
    let changes = r.changes(&[&head, &granted]);
    assert_eq!(kinds(&changes), ["consumer-granted"], "{changes:?}");
    assert_eq!(changes[0]["orgno"], "910825518");
    assert_eq!(
        changes[0]["relative_to"],
        serde_json::json!({"commit": base, "subject": "both", "since": "not-deployed-at-base"})
    );
}

/// The manifest deleted, with its step: the same.
#[test]
fn a_deployed_file_deleted_deletes_nothing() {
    let r = Repo::new();
    let base = r
        .write(".nais/dev.yaml", &app("api", "ab.read", "889640782"))
        .write(WF, &workflow(&[("dev-gcp", ".nais/dev.yaml")]))
        .commit("deployed");
    let head = r
        .remove(".nais/dev.yaml")
        .write(WF, &workflow(&[]))
        .commit("gone");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["no-longer-deployed"], "{changes:?}");
    assert_eq!(changes[0]["cluster"], "dev-gcp");
    // The human format says the client stays.
    let human = run(&r, &["diff", &base, &head]);
    assert!(
        human.stdout.contains(
            "no longer deployed: the Application and its Maskinporten client stay as last deployed"
        ),
        "{}",
        human.stdout
    );
}

/// A broken file that no step deploys (a local copy with a syntax error)
/// does not stop `diff`: the change to the deployed manifest is reported,
/// the exit is 0, and a note names the file. Named on the command line, it
/// is an error as any file that cannot be read.
#[test]
fn a_broken_file_no_step_deploys_never_makes_diff_exit_2() {
    let r = Repo::new();
    let broken = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata: [\n";
    let base = r
        .write(".nais/dev.yaml", &app("api", "ab.read", "889640782"))
        .write(".nais/lokal.yaml", broken)
        .write(WF, &workflow(&[("dev-gcp", ".nais/dev.yaml")]))
        .commit("base");
    let head = r
        .write(".nais/dev.yaml", &app("api", "ab.read", "974761076"))
        .commit("head");
    let d = run(&r, &["diff", &base, &head, "--format", "json"]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    let changes = json(&d)["changes"].as_array().unwrap().clone();
    assert_eq!(
        kinds(&changes),
        ["consumer-granted", "consumer-revoked"],
        "{changes:?}"
    );
    assert!(d.stderr.contains(".nais/lokal.yaml"), "{}", d.stderr);
    assert!(d.stderr.contains("not deployed"), "{}", d.stderr);
    let named = run(&r, &["diff", &base, &head, "--", ".nais/lokal.yaml"]);
    assert_eq!(named.code, 2, "{}", named.stderr);
}

/// `--cluster prod-gcp` on a repository without deploy steps, with a dev
/// app, its `-q2` copy and a prod app: the dev-only copy is not put into
/// prod, so `lint` reports no `scope-collision` and `resolve` shows the
/// prod app alone; a note counts the two left out.
#[test]
fn cluster_narrows_and_does_not_move() {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &app("api", "ab.read", "889640782"))
        .write(".nais/api-q2.yaml", &app("api-q2", "ab.read", "889640782"))
        .write(".nais/prod-gcp.yaml", &app("api", "ab.read", "974761076"));
    let lint = run(
        &r,
        &[
            "lint",
            "--cluster",
            "prod-gcp",
            "--select",
            "scope-collision",
        ],
    );
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    let resolve = run(
        &r,
        &["resolve", "--cluster", "prod-gcp", "--format", "json"],
    );
    let files: Vec<String> = json(&resolve)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s["file"], s["cluster"]))
        .collect();
    assert_eq!(files, ["\".nais/prod-gcp.yaml\" \"prod-gcp\""]);
    assert!(
        resolve
            .stderr
            .contains("2 manifests not deployed to prod-gcp left out"),
        "{}",
        resolve.stderr
    );
}

/// A deploy moved into a reusable workflow of the same repository, with the
/// same cluster and manifest, changes nothing in Maskinporten, either way.
#[test]
fn a_deploy_moved_into_a_reusable_workflow_changes_nothing() {
    let r = Repo::new();
    r.write(".nais/dev.yaml", &app("api", "ab.read", "889640782"))
        .write(WF, &workflow(&[("dev-gcp", ".nais/dev.yaml")]));
    let base = r.commit("a deploy step");
    r.write(
        WF,
        "on: push\njobs:\n  deploy:\n    uses: ./.github/workflows/reusable.yaml\n    with:\n      cluster: dev-gcp\n      resource: .nais/dev.yaml\n",
    )
    .write(
        ".github/workflows/reusable.yaml",
        "on:\n  workflow_call:\n    inputs:\n      cluster:\n        type: string\n      resource:\n        type: string\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: ${{ inputs.cluster }}\n          RESOURCE: ${{ inputs.resource }}\n          VAR: image=x\n",
    );
    let head = r.commit("the deploy in a reusable workflow");
    let deployments = run(&r, &["deployments", "--format", "json"]);
    assert!(
        deployments.stdout.contains("reusable.yaml"),
        "{}",
        deployments.stdout
    );
    assert_eq!(r.changes(&[&base, &head]), Vec::<Value>::new());
    assert_eq!(r.changes(&[&head, &base]), Vec::<Value>::new());
}
