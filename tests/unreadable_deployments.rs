//! Deployments maskscope cannot know, through the binary: a deploy step
//! whose RESOURCE or CLUSTER is an expression it cannot resolve is an
//! `unknown` change in `diff`, in every format, and `--fail-on unknown`
//! fails on it; workflows written to expand without end hit a budget, say
//! where, and leave their deployments unknown; a matrix that `exclude` cuts
//! under GitHub's cap is expanded; a scope built from a placeholder is
//! never named.

mod common;

use common::repo::Repo;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A guard against hangs and runaway memory, not a performance check.
const GUARD: Duration = Duration::from_secs(20);

fn manifest(app: &str, scope: &str, extra: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {app}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n{extra}"
    )
}

/// A workflow with one deploy step whose RESOURCE is `resource`.
fn deploy_workflow(cluster: &str, resource: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: {cluster}\n          RESOURCE: {resource}\n"
    )
}

const FORMAT_RESOURCE: &str = "${{ format('{0}/{1}', 'k8s', 'app.yaml') }}";

/// BASE: one app by convention. HEAD: a workflow deploys, by an
/// expression, a second manifest that opens a scope to all.
fn opened_through_an_expression() -> (Repo, String, String) {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &manifest("app", "fixed.read", ""));
    let base = r.commit("base");
    r.write(
        ".github/workflows/deploy.yml",
        &deploy_workflow("dev-gcp", FORMAT_RESOURCE),
    );
    r.write(
        "k8s/app.yaml",
        &manifest("other", "open.read", "          accessibleForAll: true\n"),
    );
    let head = r.commit("head");
    (r, base, head)
}

#[test]
fn an_unresolvable_resource_is_an_unknown_change_that_fail_on_catches() {
    let (r, base, head) = opened_through_an_expression();
    let changes = r.changes(&[&base, &head]);
    let unknown: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "unknown").collect();
    assert_eq!(unknown.len(), 1, "{changes:#?}");
    let u = unknown[0];
    assert_eq!(u["file"], ".github/workflows/deploy.yml");
    assert_eq!(u["line"], 7);
    assert_eq!(u["side"], "head");
    assert_eq!(u["app"], Value::Null);
    assert_eq!(u["scope"], Value::Null);
    assert_eq!(u["cluster"], "dev-gcp");
    assert_eq!(u["environment"], "test");
    let help = u["help"].as_str().unwrap();
    assert!(help.contains("RESOURCE is `${{ format("), "{help}");

    let failing = r.diff(&["--fail-on", "opened-to-all,unknown", &base, &head]);
    assert_eq!(failing.code, 1, "{}{}", failing.stdout, failing.stderr);
    assert!(failing.stdout.contains("1 unknown"), "{}", failing.stdout);
    // Without `unknown` in --fail-on the run does not fail (nothing else
    // it can see changed), but the record is still reported.
    let passing = r.diff(&["--fail-on", "opened-to-all", &base, &head]);
    assert_eq!(passing.code, 0, "{}{}", passing.stdout, passing.stderr);
    assert!(passing.stdout.contains("unknown"), "{}", passing.stdout);
}

#[test]
fn the_unknown_step_is_in_every_format() {
    let (r, base, head) = opened_through_an_expression();
    let md = r.diff(&["--format", "markdown", &base, &head]);
    assert_eq!(md.code, 0);
    assert!(
        md.stdout.contains("**1 change: 1 unknown**"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("`.github/workflows/deploy.yml:7`"),
        "{}",
        md.stdout
    );
    let gh = r.diff(&["--format", "github", &base, &head]);
    let lines: Vec<&str> = gh.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", gh.stdout);
    assert!(
        lines[0].starts_with(
            "::notice file=.github/workflows/deploy.yml,line=7,title=maskscope diff%3A unknown::"
        ),
        "{}",
        lines[0]
    );
    let human = r.diff(&[&base, &head]);
    assert!(
        human.stdout.contains("[.github/workflows/deploy.yml:7]"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.ends_with("1 change: 1 unknown\n"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_step_unknown_at_base_only_is_reported_at_base() {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &manifest("app", "fixed.read", ""));
    r.write(
        ".github/workflows/deploy.yml",
        &deploy_workflow("dev-gcp", "${{ secrets.FILES }}"),
    );
    let base = r.commit("base");
    r.write(
        ".github/workflows/deploy.yml",
        &deploy_workflow("dev-gcp", ".nais/dev-gcp.yaml"),
    );
    let head = r.commit("head");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["kind"], "unknown");
    assert_eq!(changes[0]["side"], "base");
    assert!(
        changes[0]["help"]
            .as_str()
            .unwrap()
            .starts_with("at BASE, the deploy step's RESOURCE is `${{ secrets.FILES }}`")
    );
    // The same step at both sides is said once, at HEAD.
    let changes = r.changes(&[&base, &base]);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["side"], "head");
}

#[test]
fn an_unknown_cluster_is_an_unknown_change() {
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fixed.read", ""));
    let base = r.commit("base");
    r.write(
        ".github/workflows/deploy.yml",
        &deploy_workflow("${{ vars.CLUSTER }}", ".nais/app.yaml"),
    );
    let head = r.commit("head");
    let changes = r.changes(&[&base, &head]);
    let unknown: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "unknown").collect();
    assert_eq!(unknown.len(), 1, "{changes:#?}");
    assert_eq!(unknown[0]["cluster"], Value::Null);
    assert!(
        unknown[0]["help"]
            .as_str()
            .unwrap()
            .contains("CLUSTER is `${{ vars.CLUSTER }}`")
    );
}

#[test]
fn a_revision_without_manifests_still_reports_its_unknown_steps() {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &manifest("app", "fixed.read", ""));
    let base = r.commit("base");
    r.remove(".nais/dev-gcp.yaml");
    r.write(
        ".github/workflows/deploy.yml",
        &deploy_workflow("dev-gcp", FORMAT_RESOURCE),
    );
    r.write(
        "k8s/app.yaml",
        &manifest("other", "open.read", "          accessibleForAll: true\n"),
    );
    // `.nais/` is gone, so the whole tree is searched and k8s/app.yaml is
    // found; keep a conventional folder with no manifest to hide it.
    r.write(".nais/README.md", "deployments\n");
    let head = r.commit("head");
    let run = r.diff(&["--format", "json", "--fail-on", "unknown", &base, &head]);
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("{}{}", run.stdout, run.stderr));
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"unknown"), "{kinds:?}");
    assert_eq!(run.code, 1);
}

// ---- Item: placeholders never become scopes in records.

#[test]
fn a_scope_built_from_a_placeholder_is_never_named() {
    let r = Repo::new();
    let base = r.commit("empty");
    let text = manifest("app", "{{ scopename }}", "")
        + "        - name: \"fixed.read\"\n          enabled: true\n          product: \"arbeid\"\n";
    r.write(".nais/dev-gcp.yaml", &text);
    let head = r.commit("head");
    for args in [
        vec!["--format", "json", base.as_str(), head.as_str()],
        vec![base.as_str(), head.as_str()],
        vec!["--format", "markdown", base.as_str(), head.as_str()],
        vec!["--format", "github", base.as_str(), head.as_str()],
    ] {
        let run = r.diff(&args);
        assert!(run.code == 0, "{}{}", run.stdout, run.stderr);
        assert!(
            !run.stdout.contains("scopename") || !run.stdout.contains("nav:arbeid:test_"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("nav:arbeid:test_scopename"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("nav:arbeid:fixed.read"),
            "{}",
            run.stdout
        );
    }
    let changes = r.changes(&[&base, &head]);
    let enabled = changes
        .iter()
        .find(|c| c["kind"] == "maskinporten-enabled")
        .unwrap();
    assert_eq!(
        enabled["scopes"],
        serde_json::json!(["nav:arbeid:fixed.read"])
    );
    let unknown = changes.iter().find(|c| c["kind"] == "unknown").unwrap();
    assert_eq!(unknown["variables"], serde_json::json!(["scopename"]));
    assert_eq!(unknown["scope"], Value::Null);
}

// ---- Budgets: workflows that would expand without end.

/// `maskscope ARGS` in `dir` under a 1 GiB address-space limit; the exit
/// code and stderr. Killed and failed after [`GUARD`].
fn limited(dir: &Path, args: &[&str]) -> (i32, String, Duration) {
    let bin = env!("CARGO_BIN_EXE_maskscope");
    let mut script = format!("ulimit -v 1048576; exec '{bin}'");
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().expect("no signal"), err, start.elapsed());
        }
        if start.elapsed() > GUARD {
            child.kill().unwrap();
            panic!("maskscope {args:?} still running after {GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A folder with one manifest and the workflow `wf`.
fn with_workflow(wf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::create_dir_all(dir.path().join(".nais")).unwrap();
    std::fs::write(dir.path().join(".github/workflows/w.yml"), wf).unwrap();
    std::fs::write(
        dir.path().join(".nais/app.yaml"),
        manifest("app", "fixed.read", ""),
    )
    .unwrap();
    dir
}

/// Every command that reads deployments, on `wf`: each ends 0 or 1, within
/// the guard and the memory limit, with a warning that names the workflow
/// at `line` and says which budget.
fn bounded(wf: &str, line: u32, budget: &str) {
    let dir = with_workflow(wf);
    for args in [
        vec!["lint"],
        vec!["lint", ".nais/app.yaml"],
        vec!["resolve"],
        vec!["deployments"],
        vec!["access"],
    ] {
        let (code, err, _) = limited(dir.path(), &args);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}\n{err}");
        let at = format!(".github/workflows/w.yml:{line}: ");
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(budget)),
            "{args:?}: no warning at {at} about {budget:?}:\n{err}"
        );
    }
}

#[test]
fn a_workflow_that_calls_itself_over_a_matrix() {
    let wf = "on: [push, workflow_call]
jobs:
  j:
    strategy:
      matrix:
        a: [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]
        b: [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]
    uses: ./.github/workflows/w.yml
";
    bounded(wf, 4, "levels deep");
}

#[test]
fn env_values_that_each_double_the_one_before() {
    // In GitHub, a workflow's `env` cannot name `env` (context
    // availability): the chain resolves to nothing, and cheaply.
    let mut wf = String::from("on: push\nenv:\n  A00: xxxxxxxxxxxxxxxx\n");
    for i in 1..=40 {
        wf.push_str(&format!(
            "  A{i:02}: ${{{{ env.A{p:02} }}}}${{{{ env.A{p:02} }}}}\n",
            p = i - 1
        ));
    }
    wf.push_str(&deploy_workflow("dev-gcp", "${{ env.A40 }}")["on: push\n".len()..]);
    let step = wf.lines().position(|l| l.contains("nais/deploy")).unwrap() as u32 + 1;
    bounded(
        &wf,
        step,
        "RESOURCE is `${{ env.A40 }}`, which maskscope cannot resolve",
    );
}

#[test]
fn many_jobs_times_a_full_matrix_times_many_resources() {
    // 200 jobs x 256 combinations x 4,000 manifests: 204,800,000 deployments.
    let resources = vec![".nais/app.yaml"; 4_000].join(",");
    let combinations: Vec<String> = (0..256).map(|i| i.to_string()).collect();
    let mut wf = format!("on: push\nenv:\n  RES: {resources}\njobs:\n");
    for j in 0..200 {
        wf.push_str(&format!(
            "  j{j}:\n    strategy:\n      matrix:\n        a: [{}]\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: ${{{{ env.RES }}}}\n",
            combinations.join(",")
        ));
    }
    bounded(&wf, 10, "more than 20,000 deployments");
}

/// A workflow whose `env` holds `values` texts of 64 KiB each, read into 200
/// jobs of 256 combinations each.
fn long_env_values(values: usize) -> String {
    let mut wf = String::from("on: push\nenv:\n  A00: xxxxxxxxxxxxxxxx\n");
    for i in 1..=12 {
        wf.push_str(&format!(
            "  A{i:02}: ${{{{ env.A{p:02} }}}}${{{{ env.A{p:02} }}}}\n",
            p = i - 1
        ));
    }
    for i in 0..values {
        wf.push_str(&format!("  B{i}: ${{{{ env.A12 }}}}\n"));
    }
    wf.push_str("jobs:\n");
    let combinations: Vec<String> = (0..256).map(|i| i.to_string()).collect();
    for j in 0..200 {
        wf.push_str(&format!(
            "  j{j}:\n    strategy:\n      matrix:\n        a: [{}]\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: .nais/app.yaml\n",
            combinations.join(",")
        ));
    }
    wf
}

#[test]
fn long_env_values_copied_into_every_job() {
    // 62.5 MiB of `env`, taken into 10,000 job runs: shared, not copied.
    let wf = long_env_values(1_000);
    // Jobs are read in the order of their names; the 40th goes over.
    let mut names: Vec<String> = (0..200).map(|j| format!("j{j}")).collect();
    names.sort();
    let over = format!("  {}:", names[10_000 / 256]);
    let line = wf.lines().position(|l| l == over).unwrap() as u32 + 2;
    bounded(&wf, line, "more than 10,000 jobs");
}

#[test]
fn more_text_than_the_budget_in_all() {
    // A 60 KiB value, named 2,000 times in a step's `env`: 120 MiB.
    let mut wf = format!(
        "on: push\nenv:\n  A: {}\njobs:\n  d:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n",
        "x".repeat(60 * 1024)
    );
    for i in 0..2_000 {
        wf.push_str(&format!("          B{i}: ${{{{ env.A }}}}\n"));
    }
    wf.push_str("          CLUSTER: dev-gcp\n          RESOURCE: .nais/app.yaml\n");
    bounded(&wf, 7, "64 MiB of text in all");
}

#[test]
fn a_matrix_that_exclude_compares_without_end() {
    // 60,000 values, each compared with 5,000 `exclude` entries.
    let values: Vec<String> = (0..60_000).map(|i| i.to_string()).collect();
    let exclude: String = (0..5_000)
        .map(|i| format!("          - a: {i}\n"))
        .collect();
    let m = format!(
        "        cluster: [dev-gcp]\n        a: [{}]\n        exclude:\n{exclude}",
        values.join(",")
    );
    bounded(&matrix_workflow(&m), 4, "comparisons to expand");
}

#[test]
fn a_deep_chain_of_calls_stops_at_githubs_depth() {
    // GitHub connects ten levels: the caller and nine reusable workflows.
    // w.yml calls w1, which calls w2, ... w10 deploys: eleven levels.
    let deploys = format!(
        "on: workflow_call\n{}",
        &deploy_workflow("dev-gcp", ".nais/app.yaml")["on: push\n".len()..]
    );
    let dir = with_workflow("on: push\njobs:\n  j:\n    uses: ./.github/workflows/w1.yml\n");
    for i in 1..=10 {
        let body = if i < 10 {
            format!(
                "on: workflow_call\njobs:\n  j:\n    uses: ./.github/workflows/w{}.yml\n",
                i + 1
            )
        } else {
            deploys.clone()
        };
        std::fs::write(dir.path().join(format!(".github/workflows/w{i}.yml")), body).unwrap();
    }
    let (code, err, _) = limited(dir.path(), &["deployments"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("more than 10 levels deep"), "{err}");
    // Ten levels are read: w9 deploys.
    std::fs::write(dir.path().join(".github/workflows/w9.yml"), &deploys).unwrap();
    let run = common::maskscope(dir.path(), ["deployments", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("levels deep"), "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["source"]["kind"], "workflow", "{}", run.stdout);
    assert_eq!(v[0]["source"]["file"], ".github/workflows/w9.yml");
}

// ---- Matrices as GitHub expands them.

/// A workflow deploying `.nais/<cluster>.yaml` over `matrix` (YAML lines
/// indented by 8).
fn matrix_workflow(matrix: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    strategy:\n      matrix:\n{matrix}    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: ${{{{ matrix.cluster }}}}\n          RESOURCE: .nais/${{{{ matrix.cluster }}}}.yaml\n"
    )
}

fn twenty_clusters() -> String {
    let mut clusters = vec!["dev-gcp".to_owned(), "prod-gcp".to_owned()];
    clusters.extend((3..=20).map(|i| format!("c{i}")));
    clusters.join(", ")
}

#[test]
fn a_matrix_that_exclude_cuts_under_the_cap_is_expanded() {
    // 20 clusters x 20 numbers = 400 combinations; excluding numbers 2..20
    // leaves 20, which GitHub runs.
    let n: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let exclude: String = (2..=20).map(|i| format!("          - n: {i}\n")).collect();
    let m = format!(
        "        cluster: [{}]\n        n: [{}]\n        exclude:\n{exclude}",
        twenty_clusters(),
        n.join(", ")
    );
    let dir = with_workflow(&matrix_workflow(&m));
    std::fs::write(
        dir.path().join(".nais/dev-gcp.yaml"),
        manifest("app", "a.read", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".nais/prod-gcp.yaml"),
        manifest("app", "a.read", ""),
    )
    .unwrap();
    let run = common::maskscope(dir.path(), ["deployments", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("not written out"), "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let workflow: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["source"]["kind"] == "workflow")
        .map(|d| {
            (
                d["manifest"].as_str().unwrap().to_owned(),
                d["cluster"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // One deployment per cluster: the 20 combinations with n = 1.
    assert_eq!(workflow.len(), 20, "{workflow:?}");
    assert_eq!(
        workflow[..2],
        [
            (".nais/dev-gcp.yaml".to_owned(), "dev-gcp".to_owned()),
            (".nais/prod-gcp.yaml".to_owned(), "prod-gcp".to_owned()),
        ]
    );
}

#[test]
fn a_matrix_over_the_cap_says_so() {
    let n: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let m = format!(
        "        cluster: [{}]\n        n: [{}]\n",
        twenty_clusters(),
        n.join(", ")
    );
    let dir = with_workflow(&matrix_workflow(&m));
    let run = common::maskscope(dir.path(), ["deployments"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(".github/workflows/w.yml:4: the job's matrix has more than 256 combinations, which GitHub does not run"),
        "{}",
        run.stderr
    );
}

// ---- Ways a pull request could deploy what `diff` does not see.

/// A repository whose BASE has one app, and whose HEAD adds `hidden/app.yaml`
/// (not where manifests are searched for), opening a scope to all, and the
/// workflow `wf` with `files` besides; `diff --fail-on
/// unknown,opened-to-all BASE HEAD --` must fail, saying `expect`.
fn caught(wf: &str, files: &[(&str, &str)], env: &[(&str, &str)], expect: &str) {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &manifest("app", "fixed.read", ""));
    let base = r.commit("base");
    r.write(
        "hidden/app.yaml",
        &manifest("other", "open.read", "          accessibleForAll: true\n"),
    );
    r.write(".github/workflows/d.yaml", wf);
    for (path, text) in files {
        r.write(path, text);
    }
    let head = r.commit("head");
    let mut cmd = assert_cmd::Command::cargo_bin("maskscope").unwrap();
    cmd.current_dir(r.path()).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args([
            "diff",
            "--fail-on",
            "unknown,opened-to-all",
            &base,
            &head,
            "--",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{wf}\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(expect), "{wf}\n{stdout}");
}

/// A job with `steps` (indented by 6).
fn job(steps: &str) -> String {
    format!("on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n{steps}")
}

const HIDDEN: &str =
    "        env:\n          CLUSTER: prod-gcp\n          RESOURCE: hidden/app.yaml\n";

#[test]
fn the_action_named_in_another_case() {
    caught(
        &job(&format!(
            "      - uses: NAIS/Deploy/actions/deploy@v2\n{HIDDEN}"
        )),
        &[],
        &[],
        "opened-to-all",
    );
}

#[test]
fn deploy_v3_inputs_in_another_case() {
    caught(
        &job(
            "      - uses: nais/deploy/actions/deploy-v3@v3\n        with:\n          CLUSTER: prod-gcp\n          RESOURCE: hidden/app.yaml\n",
        ),
        &[],
        &[],
        "opened-to-all",
    );
}

#[test]
fn a_setting_from_github_env() {
    caught(
        &job(
            "      - run: echo \"RESOURCE=hidden/app.yaml\" >> \"$GITHUB_ENV\"\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n",
        ),
        &[],
        &[],
        "GITHUB_ENV",
    );
}

#[test]
fn env_that_is_an_expression() {
    caught(
        &job(
            "      - uses: nais/deploy/actions/deploy@v2\n        env: ${{ fromJSON('{\"CLUSTER\":\"prod-gcp\",\"RESOURCE\":\"hidden/app.yaml\"}') }}\n",
        ),
        &[],
        &[],
        "unknown",
    );
}

#[test]
fn a_strategy_that_is_an_expression() {
    caught(
        &format!(
            "on: push\njobs:\n  d:\n    runs-on: x\n    strategy: ${{{{ fromJSON(needs.a.outputs.s) }}}}\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n{HIDDEN}"
        ),
        &[],
        &[],
        "opened-to-all",
    );
}

#[test]
fn a_path_in_the_action_s_container() {
    caught(
        &job(
            "      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: /github/workspace/hidden/app.yaml\n",
        ),
        &[],
        &[],
        "opened-to-all",
    );
}

#[test]
fn a_manifest_not_named_yaml() {
    caught(
        &job(
            "      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: hidden/app.txt\n",
        ),
        &[(
            "hidden/app.txt",
            &manifest("txt", "txt.read", "          accessibleForAll: true\n"),
        )],
        &[],
        "does not read from a revision",
    );
}

#[test]
fn the_deploy_image_run_as_a_container() {
    caught(
        &job(&format!(
            "      - uses: docker://europe-north1-docker.pkg.dev/nais-io/nais/images/deploy-action:latest\n{HIDDEN}"
        )),
        &[],
        &[],
        "container image",
    );
}

#[test]
fn a_local_composite_action() {
    caught(
        &job("      - uses: ./.github/actions/deploy\n"),
        &[(
            ".github/actions/deploy/action.yml",
            &format!(
                "runs:\n  using: composite\n  steps:\n    - uses: nais/deploy/actions/deploy@v2\n  {}",
                HIDDEN.replace("\n  ", "\n    ")
            ),
        )],
        &[],
        "local action",
    );
}

#[test]
fn this_repository_s_workflow_called_by_its_address() {
    caught(
        "on: push\njobs:\n  d:\n    uses: navikt/this-repo/.github/workflows/reusable.yaml@main\n",
        &[(
            ".github/workflows/reusable.yaml",
            &format!(
                "on: workflow_call\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n{HIDDEN}"
            ),
        )],
        &[("GITHUB_REPOSITORY", "navikt/this-repo")],
        "opened-to-all",
    );
}

#[test]
fn a_workflow_over_the_size_budget() {
    let mut wf = job(&format!(
        "      - uses: nais/deploy/actions/deploy@v2\n{HIDDEN}"
    ));
    for _ in 0..1_100 {
        wf.push('#');
        wf.push_str(&"x".repeat(1_000));
        wf.push('\n');
    }
    caught(&wf, &[], &[], "larger than maskscope's budget");
}

#[test]
fn a_step_env_value_names_the_job_s_not_its_sibling() {
    // In a step's `env`, `env.R` is the job's R: the step's own R is not
    // yet set (GitHub's context availability).
    caught(
        "on: push\njobs:\n  d:\n    runs-on: x\n    env:\n      R: hidden/app.yaml\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          R: .nais/dev-gcp.yaml\n          CLUSTER: prod-gcp\n          RESOURCE: ${{ env.R }}\n",
        &[],
        &[],
        "opened-to-all",
    );
}

#[test]
fn a_template_block_over_a_secret_around_maskinporten() {
    let r = Repo::new();
    r.write(".nais/dev-gcp.yaml", &manifest("app", "fixed.read", ""));
    let base = r.commit("base");
    let text = manifest("other", "open.read", "          accessibleForAll: true\n")
        .replace("  maskinporten:\n", "{{#if show}}\n  maskinporten:\n")
        + "{{/if}}\n";
    r.write(".nais/app.yaml", &text);
    r.write(
        ".github/workflows/d.yaml",
        &job("      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: .nais/app.yaml\n          VAR: show=${{ secrets.SHOW }}\n"),
    );
    let head = r.commit("head");
    let changes = r.changes(&[&base, &head]);
    let unknown: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "unknown").collect();
    assert_eq!(unknown.len(), 1, "{changes:#?}");
    assert_eq!(unknown[0]["app"], "team/other");
    assert_eq!(unknown[0]["cluster"], "prod-gcp");
}

#[test]
fn many_deployments_of_a_long_rendering() {
    // 256 deployments of a template whose rendering takes 1,000,000 steps.
    let dir = with_workflow(
        &matrix_workflow(&format!(
            "        cluster: [{}]\n",
            (0..256)
                .map(|i| format!("dev-c{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .replace(
            "RESOURCE: .nais/${{ matrix.cluster }}.yaml",
            "RESOURCE: .nais/app.yaml\n          VARS: .nais/vars.yaml",
        ),
    );
    std::fs::write(
        dir.path().join(".nais/vars.yaml"),
        format!(
            "a: [{}]\n",
            (0..100)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".nais/app.yaml"),
        manifest("app", "fixed.read", "")
            + "# {{#each a}}{{#each ../a}}{{#each ../../a}}x{{/each}}{{/each}}{{/each}}\n",
    )
    .unwrap();
    let (code, err, _) = limited(dir.path(), &["resolve", "--format", "plain"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("steps in all"), "{err}");
}
