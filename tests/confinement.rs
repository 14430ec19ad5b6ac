//! Files the repository names are read only inside it: a manifest, vars
//! file or workflow folder that is a symbolic link out of the repository
//! (to a file elsewhere, to `/proc/self/environ`, through a chain of links)
//! is left out with a warning at the line that names it, and nothing of
//! its content reaches any output, in every command.

mod common;

use common::maskscope;
use common::repo::Repo;
use std::os::unix::fs::symlink;
use std::path::Path;

const SECRET: &str = "hunter2secret";

fn manifest(app: &str, scope: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {app}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n"
    )
}

fn workflow(resource: &str, vars: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: {resource}\n          VARS: {vars}\n"
    )
}

/// A folder outside the repository with a secret vars file and a manifest
/// whose scope is the secret.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vars.yaml"), format!("scope: {SECRET}\n")).unwrap();
    std::fs::write(dir.path().join("app.yaml"), manifest("leak", SECRET)).unwrap();
    std::fs::create_dir(dir.path().join("workflows")).unwrap();
    std::fs::write(
        dir.path().join("workflows/deploy.yml"),
        workflow(".nais/app.yaml", "../outside/vars.yaml"),
    )
    .unwrap();
    dir
}

/// Every command and format that shows what it read.
fn every_command(dir: &Path, extra_env: &[(&str, &str)]) -> Vec<(Vec<&'static str>, common::Run)> {
    let commands: Vec<Vec<&'static str>> = vec![
        vec!["resolve", "--format", "plain", "--all"],
        vec!["resolve", "--format", "json"],
        vec!["lint"],
        vec!["lint", "--format", "json"],
        vec!["deployments", "--format", "json"],
        vec!["access", "--format", "json"],
        vec!["diff", "HEAD", "--format", "json"],
        vec!["diff", "HEAD"],
    ];
    commands
        .into_iter()
        .map(|args| {
            let mut cmd = assert_cmd::Command::cargo_bin("maskscope").unwrap();
            cmd.current_dir(dir).env("NO_COLOR", "1").args(&args);
            for (k, v) in extra_env {
                cmd.env(k, v);
            }
            let out = cmd.output().unwrap();
            let run = common::Run {
                code: out.status.code().expect("exit code"),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
            (args, run)
        })
        .collect()
}

fn nothing_leaks(runs: &[(Vec<&'static str>, common::Run)], secret: &str) {
    for (args, r) in runs {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "{args:?} printed what a link out of the repository holds:\n{}\n{}",
            r.stdout,
            r.stderr
        );
        assert!(r.code <= 2, "{args:?}: {}", r.code);
    }
}

#[test]
fn a_vars_file_linked_out_of_the_repository_is_not_read() {
    let out = outside();
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "{{ scope }}"));
    r.write(
        ".github/workflows/deploy.yml",
        &workflow(".nais/app.yaml", ".nais/vars.yaml"),
    );
    r.commit("base");
    symlink(
        out.path().join("vars.yaml"),
        r.path().join(".nais/vars.yaml"),
    )
    .unwrap();
    let runs = every_command(r.path(), &[]);
    nothing_leaks(&runs, SECRET);
    let (_, lint) = &runs[2];
    assert!(
        lint.stderr.contains(".github/workflows/deploy.yml:6: .nais/vars.yaml: vars file not read: a symbolic link to outside the repository"),
        "{}",
        lint.stderr
    );
    // The same file inside the repository is read.
    std::fs::remove_file(r.path().join(".nais/vars.yaml")).unwrap();
    std::fs::write(r.path().join(".nais/vars.yaml"), "scope: fine.read\n").unwrap();
    let run = maskscope(r.path(), ["resolve", "--format", "plain"], None);
    assert_eq!(run.stdout, "nav:arbeid:fine.read\n", "{}", run.stderr);
}

#[test]
fn a_manifest_linked_to_proc_self_environ_is_not_read() {
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fine.read"));
    r.commit("base");
    symlink("/proc/self/environ", r.path().join(".nais/env.yaml")).unwrap();
    symlink("/proc/self/environ", r.path().join("nais.yaml")).unwrap();
    let runs = every_command(r.path(), &[("LEAKED_BY_LINK", SECRET)]);
    nothing_leaks(&runs, SECRET);
    let (_, lint) = &runs[2];
    assert_eq!(lint.code, 0, "{}", lint.stderr);
    assert!(
        lint.stderr
            .contains(".nais/env.yaml: skipped: a symbolic link into /proc/"),
        "{}",
        lint.stderr
    );
    assert!(
        lint.stderr
            .contains("nais.yaml: skipped: a symbolic link into /proc/"),
        "{}",
        lint.stderr
    );
}

#[test]
fn a_chain_of_links_out_is_followed_to_its_end_and_refused() {
    let out = outside();
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fine.read"));
    r.commit("base");
    std::fs::create_dir_all(r.path().join("k8s/deep")).unwrap();
    symlink(
        out.path().join("app.yaml"),
        r.path().join("k8s/deep/c.yaml"),
    )
    .unwrap();
    symlink("deep/c.yaml", r.path().join("k8s/b.yaml")).unwrap();
    symlink("../k8s/b.yaml", r.path().join(".nais/a.yaml")).unwrap();
    let runs = every_command(r.path(), &[]);
    nothing_leaks(&runs, SECRET);
    let (_, lint) = &runs[2];
    assert!(
        lint.stderr
            .contains(".nais/a.yaml: skipped: a symbolic link to outside the repository"),
        "{}",
        lint.stderr
    );
}

#[test]
fn a_deployed_manifest_linked_out_is_named_at_the_deploy_step() {
    let out = outside();
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fine.read"));
    r.write(
        ".github/workflows/deploy.yml",
        &workflow("k8s/app.yaml", ".nais/none.yaml"),
    );
    r.commit("base");
    std::fs::create_dir_all(r.path().join("k8s")).unwrap();
    symlink(out.path().join("app.yaml"), r.path().join("k8s/app.yaml")).unwrap();
    let runs = every_command(r.path(), &[]);
    nothing_leaks(&runs, SECRET);
    let (_, lint) = &runs[2];
    assert!(
        lint.stderr.contains(".github/workflows/deploy.yml:6: deploys k8s/app.yaml, a symbolic link to outside the repository, which is not read"),
        "{}",
        lint.stderr
    );
}

#[test]
fn a_workflow_folder_linked_out_is_not_read() {
    let out = outside();
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "{{ scope }}"));
    r.commit("base");
    std::fs::create_dir_all(r.path().join(".github")).unwrap();
    symlink(
        out.path().join("workflows"),
        r.path().join(".github/workflows"),
    )
    .unwrap();
    let run = maskscope(r.path(), ["deployments", "--format", "json"], None);
    assert!(!run.stdout.contains("outside"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains(".github/workflows: a symbolic link to outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_maskscope_toml_linked_out_is_not_read() {
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fine.read"));
    r.commit("base");
    symlink("/proc/self/environ", r.path().join("maskscope.toml")).unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("maskscope").unwrap();
    let out = cmd
        .current_dir(r.path())
        .env("LEAKED_BY_LINK", SECRET)
        .arg("lint")
        .output()
        .unwrap();
    let all =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!all.contains(SECRET), "{all}");
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("a symbolic link into /proc/"), "{all}");
}

#[test]
fn a_folder_the_user_names_may_be_anywhere() {
    let out = outside();
    let r = Repo::new();
    r.write(".nais/app.yaml", &manifest("app", "fine.read"));
    r.commit("base");
    let run = maskscope(
        r.path(),
        ["resolve", "--format", "plain", out.path().to_str().unwrap()],
        None,
    );
    assert_eq!(
        run.stdout,
        format!("nav:arbeid:{SECRET}\n"),
        "{}",
        run.stderr
    );
}
