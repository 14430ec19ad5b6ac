//! A pull request from a fork writes every file of HEAD: what it does in
//! Maskinporten must not be hidden from `diff` with the CI recipe's
//! `--fail-on`. Through the binary, on git repositories built here; the
//! expected records are written out from domain.md's rules.

mod common;

use common::repo::Repo;
use serde_json::Value;

const FAIL_ON: &str = "deploy-rejected,unknown,opened-to-all,scope-removed-still-active";
const WF: &str = ".github/workflows/deploy.yaml";
const A: &str = "889640782";
const B: &str = "974761076";

/// `team/api` exposing `nav:arbeid:ab.read` to `consumers`.
fn app(consumers: &[&str]) -> String {
    let mut text = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"ab.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n".to_owned();
    for c in consumers {
        text.push_str(&format!("            - orgno: \"{c}\"\n"));
    }
    text
}

/// A workflow with one deploy step to dev-gcp of `resource`.
fn workflow(resource: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: {resource}\n          VAR: image=x\n"
    )
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

/// `diff --fail-on FAIL_ON BASE HEAD --` as JSON: its exit code and changes.
fn checked(r: &Repo, base: &str, head: &str) -> (i32, Vec<Value>) {
    let run = r.diff(&["--fail-on", FAIL_ON, "--format", "json", base, head, "--"]);
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, v["changes"].as_array().unwrap().clone())
}

/// A repository whose BASE deploys `.nais/app.yaml` (`api` exposing
/// `ab.read` to A) to dev-gcp.
fn base_repo() -> (Repo, String) {
    let r = Repo::new();
    r.write(WF, &workflow(".nais/app.yaml"))
        .write(".nais/app.yaml", &app(&[A]));
    let base = r.commit("api");
    (r, base)
}

/// HEAD makes the deployed manifest, or its folder, a symbolic link to a
/// version that grants B. The deploy reads through the link (the runner's
/// checkout has it), so B is granted; maskscope does not follow links in
/// a revision, so what the step deploys is not known: an `unknown` record,
/// and the check fails, where it said only `no-longer-deployed` before.
#[test]
fn a_deployed_manifest_that_is_a_symbolic_link_is_not_known() {
    for folder in [false, true] {
        let (r, base) = base_repo();
        if folder {
            r.write("evil/app.yaml", &app(&[A, B]));
            std::fs::remove_dir_all(r.path().join(".nais")).unwrap();
            std::os::unix::fs::symlink("evil", r.path().join(".nais")).unwrap();
        } else {
            r.write(".nais/evil.yaml", &app(&[A, B]));
            r.remove(".nais/app.yaml");
            std::os::unix::fs::symlink("evil.yaml", r.path().join(".nais/app.yaml")).unwrap();
        }
        let head = r.commit("a link");
        let (code, changes) = checked(&r, &base, &head);
        assert_eq!(code, 1, "folder {folder}: {changes:#?}");
        let unknown: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "unknown").collect();
        assert_eq!(unknown.len(), 1, "folder {folder}: {changes:#?}");
        assert_eq!(unknown[0]["file"], WF);
        assert_eq!(unknown[0]["line"], 6);
        assert!(
            unknown[0]["help"]
                .as_str()
                .unwrap()
                .contains(".nais/app.yaml, which is a symbolic link"),
            "{}",
            unknown[0]["help"]
        );
        assert!(
            !kinds(&changes).contains(&"consumer-granted"),
            "{changes:#?}"
        );
    }
}

/// `team/api` twice in one cluster at HEAD: a file that grants B, and
/// BASE's own after it by name but before it in `RESOURCE`. The deploy
/// applies `.nais/b.yaml`, then `.nais/a.yaml`: the cluster keeps the
/// grant to B (and digdirator may reconcile each in turn wherever they
/// are). Read in file order, the last one was `b.yaml`, BASE's: no change,
/// and the check passed. Which one the cluster keeps is not known in
/// general (two steps, two jobs): `unknown`, and the check fails. The
/// same app twice with the same section is one client, as before.
#[test]
fn the_same_app_deployed_twice_with_different_sections_is_not_known() {
    let r = Repo::new();
    r.write(WF, &workflow(".nais/b.yaml"))
        .write(".nais/b.yaml", &app(&[A]));
    let base = r.commit("api");
    r.write(WF, &workflow(".nais/b.yaml,.nais/a.yaml"))
        .write(".nais/a.yaml", &app(&[A, B]));
    let head = r.commit("api twice");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["app"], "team/api");
    assert_eq!(changes[0]["cluster"], "dev-gcp");
    assert!(
        changes[0]["help"]
            .as_str()
            .unwrap()
            .contains("deployed to this cluster more than once"),
        "{}",
        changes[0]["help"]
    );

    // Two documents of one file, the second BASE's.
    let r = Repo::new();
    r.write(WF, &workflow(".nais/app.yaml"))
        .write(".nais/app.yaml", &app(&[A]));
    let base = r.commit("api");
    r.write(
        ".nais/app.yaml",
        &format!("{}---\n{}", app(&[A, B]), app(&[A])),
    );
    let head = r.commit("api twice in one file");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");

    // The same section twice: nothing changes.
    let r = Repo::new();
    r.write(WF, &workflow(".nais/b.yaml"))
        .write(".nais/b.yaml", &app(&[A]));
    let base = r.commit("api");
    r.write(WF, &workflow(".nais/b.yaml,.nais/a.yaml"))
        .write(".nais/a.yaml", &app(&[A]));
    let head = r.commit("api twice, the same");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!((code, changes.len()), (0, 0), "{changes:#?}");
}

/// `team/NAME` exposing `nav:arbeid:NAME.read` to A.
fn named(name: &str) -> String {
    app(&[A])
        .replace("name: api", &format!("name: {name}"))
        .replace("ab.read", &format!("{name}.read"))
}

/// HEAD deploys every manifest to one more cluster: each client is new
/// there, and for each manifest the history of the deploy wiring is looked
/// back over, one whole older revision at a time. Seven manifests and 45
/// wiring commits were 315 revisions put into folders and read, and a
/// repository with more of both makes it minutes. The run reads at most
/// 250; a client it could not look back for is `unknown`, not created.
#[test]
fn the_look_back_for_older_deploys_has_a_budget_per_run() {
    let r = Repo::new();
    let files: Vec<String> = (0..7).map(|i| format!(".nais/app{i}.yaml")).collect();
    for (i, f) in files.iter().enumerate() {
        r.write(f, &named(&format!("app{i}")));
    }
    let resource = files.join(",");
    r.write(WF, &workflow(&resource));
    r.commit("apps");
    for k in 0..45 {
        r.write(
            WF,
            &workflow(&resource).replace("image=x", &format!("image=x{k}")),
        );
        r.commit("wiring");
    }
    let base = r.git(&["rev-parse", "HEAD"]);
    r.write(
        ".github/workflows/fss.yaml",
        &workflow(&resource).replace("dev-gcp", "dev-fss"),
    );
    let head = r.commit("deploy to dev-fss too");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    let fss: Vec<&Value> = changes
        .iter()
        .filter(|c| c["cluster"] == "dev-fss")
        .collect();
    let over: Vec<&&Value> = fss
        .iter()
        .filter(|c| {
            c["kind"] == "unknown"
                && c["help"]
                    .as_str()
                    .unwrap()
                    .contains("over the budget of 250")
        })
        .collect();
    // 250 revisions look back for five manifests and part of a sixth
    // (each manifest's 45 commits); the last two are not looked back for.
    assert_eq!(over.len(), 2, "{fss:#?}");
}

/// `team/api` exposing `ab.read` to the consumer `{{consumer}}`.
const TEMPLATED: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"ab.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"{{consumer}}\"\n";

/// A deploy step of `.nais/app.yaml` to dev-gcp with `VAR: image=x,consumer=ORGNO`.
fn step(orgno: &str) -> String {
    format!(
        "      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: .nais/app.yaml\n          VAR: image=x,consumer={orgno}\n"
    )
}

const JOB: &str = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n";

/// HEAD's `maskscope.toml` names the deployed manifest with BASE's
/// consumer, while the workflow deploys it with B. The deploy does what
/// the workflow says: B is granted. The configuration took the workflow's
/// deployment away, and `diff` said no change; now both are deployments,
/// which differ: `unknown`, and the check fails.
#[test]
fn a_maskscope_toml_does_not_hide_what_a_workflow_deploys() {
    let r = Repo::new();
    r.write(WF, &format!("{JOB}{}", step(A)))
        .write(".nais/app.yaml", TEMPLATED);
    let base = r.commit("api");
    r.write(WF, &format!("{JOB}{}", step(B))).write(
        "maskscope.toml",
        &format!(
            "[[deployment]]\nmanifest = \".nais/app.yaml\"\nvar = [\"image=x\", \"consumer={A}\"]\ncluster = \"dev-gcp\"\n"
        ),
    );
    let head = r.commit("B, and a configuration that says A");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["app"], "team/api");
}

/// Two steps deploy one manifest to one cluster with other `VAR`s (BASE's
/// A, then B): both deploy, and the cluster keeps B's, granted. Only the
/// first step was read, with A: no change, and the check passed. Now
/// `unknown`.
#[test]
fn two_steps_that_differ_only_in_var_are_two_deploys() {
    let r = Repo::new();
    r.write(WF, &format!("{JOB}{}", step(A)))
        .write(".nais/app.yaml", TEMPLATED);
    let base = r.commit("api");
    r.write(WF, &format!("{JOB}{}{}", step(A), step(B)));
    let head = r.commit("a second step, with B");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
}

/// HEAD deploys a file that is not in the repository, which a step before
/// the deploy downloads (an artifact of another job, another repository's
/// checkout): the deploy sends whatever it holds, a grant to anyone. The
/// deployment was left out, and `diff` said no change; now the step is
/// `unknown`. So is a `VARS` file that is not there.
#[test]
fn a_deployed_file_not_in_the_repository_is_not_known() {
    let download = "      - uses: actions/download-artifact@v4\n        with:\n          name: manifests\n          path: .nais/generated\n";
    for (resource, vars, missing) in [
        (
            ".nais/app.yaml,.nais/generated/gen.yaml",
            None,
            ".nais/generated/gen.yaml",
        ),
        (
            ".nais/app.yaml",
            Some(".nais/generated/vars.yaml"),
            ".nais/generated/vars.yaml",
        ),
    ] {
        let (r, base) = base_repo();
        let mut wf = workflow(resource).replace("    steps:\n", &format!("    steps:\n{download}"));
        if let Some(v) = vars {
            wf.push_str(&format!("          VARS: {v}\n"));
        }
        r.write(WF, &wf);
        let head = r.commit("deploy what a download holds");
        let (code, changes) = checked(&r, &base, &head);
        assert_eq!(code, 1, "{missing}: {changes:#?}");
        assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
        assert_eq!(changes[0]["file"], WF);
        assert_eq!(changes[0]["line"], 10);
        assert!(
            changes[0]["help"]
                .as_str()
                .unwrap()
                .contains(&format!("{missing}, which is not in the repository")),
            "{}",
            changes[0]["help"]
        );
    }
}

/// A step that names a missing file at BASE too (a stale step, a file made
/// in CI) is the same unknown at both revisions: a change that does not
/// touch it says nothing of it, and one that grants elsewhere says that.
#[test]
fn a_missing_file_the_same_at_base_is_no_change_of_the_pull_request() {
    let (r, _) = base_repo();
    r.write(WF, &workflow(".nais/app.yaml,.nais/generated/gen.yaml"));
    let base = r.commit("a step that names a file made in CI");
    r.write("README.md", "unrelated\n");
    let head = r.commit("unrelated");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!((code, changes.len()), (0, 0), "{changes:#?}");
}

/// The reason of an `unknown` record about a client may name its file: a
/// name with a line break (one BASE already deploys) and a HEAD over a
/// budget printed a line of its own, `::error::...`, a workflow command to
/// the Actions runner, and broke the Markdown table. It is escaped as
/// every other value is.
#[test]
fn the_reason_of_an_unknown_client_is_escaped() {
    let name = ".nais/a\n::error::PWNED.yaml";
    let r = Repo::new();
    r.write(WF, &workflow("\".nais/a\\n::error::PWNED.yaml\""))
        .write(name, &app(&[A]));
    let base = r.commit("api");
    let mut over = app(&[]);
    over.push_str(&format!("            - &c {{orgno: \"{A}\"}}\n"));
    over.push_str(&"            - *c\n".repeat(10_001));
    r.write(name, &over);
    let head = r.commit("over the alias budget");
    let human = r.diff(&[&base, &head, "--"]);
    assert_eq!(human.code, 2, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("not compared: at HEAD, .nais/a\\n::error::PWNED.yaml cannot be read"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.lines().all(|l| !l.starts_with("::")),
        "{}",
        human.stdout
    );
    let md = r.diff(&["--format", "markdown", &base, &head, "--"]);
    let rows: Vec<&str> = md.stdout.lines().filter(|l| l.contains("PWNED")).collect();
    assert_eq!(rows.len(), 1, "{}", md.stdout);
    assert!(rows[0].starts_with("| `unknown` |"), "{}", md.stdout);
}

/// A `kind: MaskinportenClient` written directly, in a file of its own or
/// beside the Application, grants if the deploy may apply it (which depends
/// on the cluster's access rules): maskscope does not read it, so it is
/// `unknown` and the check fails, where `diff` said "no changes".
#[test]
fn a_maskinporten_client_written_directly_is_not_known() {
    let direct = "apiVersion: nais.io/v1\nkind: MaskinportenClient\nmetadata:\n  name: api\n  namespace: team\nspec:\n  scopes:\n    exposes:\n      - name: ab.read\n        product: arbeid\n        enabled: true\n        consumers:\n          - orgno: \"910825518\"\n";
    // A file of its own that the step deploys.
    let (r, _) = base_repo();
    r.write(WF, &workflow(".nais/app.yaml,.nais/mp.yaml"))
        .write(
            ".nais/mp.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        );
    let base = r.commit("a second file");
    r.write(".nais/mp.yaml", direct);
    let head = r.commit("a MaskinportenClient in it");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
    assert_eq!(
        (
            &changes[0]["file"],
            &changes[0]["line"],
            &changes[0]["side"]
        ),
        (
            &Value::from(".nais/mp.yaml"),
            &Value::from(1),
            &Value::from("head")
        )
    );
    // Beside the Application, in its file.
    let (r, base) = base_repo();
    r.write(".nais/app.yaml", &format!("{}---\n{direct}", app(&[A])));
    let head = r.commit("a MaskinportenClient beside the Application");
    let (code, changes) = checked(&r, &base, &head);
    assert_eq!(code, 1, "{changes:#?}");
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["line"], 18, "{changes:#?}");
}
