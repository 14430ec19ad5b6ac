//! Deployments through reusable workflows of other repositories
//! (`uses: OWNER/REPO/PATH@REF`): read from a local copy, the cache or the
//! GitHub API (a loopback server standing in for it here), else inferred
//! from the caller's `with:`, or unknown; never guessed silently.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const MANIFEST: &str = "apiVersion: nais.io/v1alpha1
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
        - name: read
          enabled: true
          product: arbeid
";

/// A repository with `files` (path, text) and the manifests
/// `.deploy/naiserator.yaml` and `.nais/dev.yaml`, `.nais/prod.yaml`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        (".deploy/naiserator.yaml", MANIFEST),
        (".nais/dev.yaml", MANIFEST),
        (".nais/prod.yaml", MANIFEST),
    ]
    .iter()
    .chain(files)
    {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    dir
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `maskscope ARGS` in `dir` with no token, the cache in `cache` and
/// `env` set.
fn run(dir: &Path, cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::cargo_bin("maskscope").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_REPOSITORY")
        // The loopback server is reached directly, whatever proxy the
        // machine names.
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env("XDG_CACHE_HOME", cache)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `(manifest, cluster, vars, source file, source line, via origin)` of
/// each workflow deployment, sorted.
fn deployments(out: &Out) -> Vec<(String, String, String, String, u64, String)> {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut got: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["source"]["kind"] == "workflow")
        .map(|d| {
            (
                d["manifest"].as_str().unwrap().to_owned(),
                d["cluster"].as_str().unwrap_or("").to_owned(),
                d["vars"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
                d["source"]["file"].as_str().unwrap().to_owned(),
                d["source"]["line"].as_u64().unwrap(),
                d["source"]["via"]["origin"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    got.sort();
    got
}

fn t(
    m: &str,
    c: &str,
    v: &str,
    f: &str,
    l: u64,
    o: &str,
) -> (String, String, String, String, u64, String) {
    (m.into(), c.into(), v.into(), f.into(), l, o.into())
}

/// The caller of navikt/fp-gha-workflows: a cluster and a manifest in
/// `with:`, over a matrix.
const FP_CALLER: &str = "name: Deploy
on: push
jobs:
  deploy:
    strategy:
      matrix:
        cluster: [dev-gcp, prod-gcp]
    uses: navikt/fp-gha-workflows/.github/workflows/deploy.yml@main
    with:
      cluster: ${{ matrix.cluster }}
      manifest: .deploy/naiserator.yaml
";

/// navikt/fp-gha-workflows' deploy.yml: inputs mapped to the deploy
/// action's settings, the vars file built from the cluster.
const FP_CALLED: &str = "name: deploy
on:
  workflow_call:
    inputs:
      cluster:
        required: true
        type: string
      manifest:
        required: true
        type: string
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ inputs.cluster }}
          RESOURCE: ${{ inputs.manifest }}
          VARS: .deploy/${{ inputs.cluster }}-teamforeldrepenger.json
";

#[test]
fn unread_with_a_cluster_and_a_manifest_is_inferred_and_said() {
    let dir = repo(&[(".github/workflows/deploy.yml", FP_CALLER)]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    let wf = ".github/workflows/deploy.yml";
    assert_eq!(
        deployments(&out),
        [
            t(".deploy/naiserator.yaml", "dev-gcp", "", wf, 5, "inferred"),
            t(".deploy/naiserator.yaml", "prod-gcp", "", wf, 5, "inferred"),
        ]
    );
    assert!(
        out.stderr.contains(&format!(
            "{wf}:5: the called workflow navikt/fp-gha-workflows/.github/workflows/deploy.yml@main is not fetched"
        )) && out.stderr.contains("inferred from the job's `with:`")
            && out.stderr.contains("--online"),
        "{}",
        out.stderr
    );
}

#[test]
fn unread_with_a_cluster_alone_is_unknown_not_guessed() {
    let caller = "on: push
jobs:
  deploy:
    uses: navikt/aap-workflows/.github/workflows/deploy.yml@main
    with:
      cluster: prod-gcp
";
    let dir = repo(&[(".github/workflows/deploy.yml", caller)]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    // No deployment from the workflow; the warning names it.
    assert_eq!(deployments(&out), []);
    assert!(
        out.stderr.contains(".github/workflows/deploy.yml:4: the called workflow navikt/aap-workflows/.github/workflows/deploy.yml@main is not fetched")
            && out.stderr.contains("what it deploys is not known"),
        "{}",
        out.stderr
    );
}

#[test]
fn unread_and_not_named_for_a_deploy_is_no_deployment_with_a_note() {
    let caller = "on: push
jobs:
  build:
    uses: navikt/mob-gha-workflows/.github/workflows/gradle-build.yml@main
    with:
      java-version: 21
";
    let dir = repo(&[(".github/workflows/build.yml", caller)]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    assert_eq!(deployments(&out), []);
    assert!(
        out.stderr.contains("gradle-build.yml@main is not fetched")
            && out.stderr.contains("taken not to deploy"),
        "{}",
        out.stderr
    );
}

/// `git ARGS` in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

/// navikt/fp-gha-workflows' deploy.yml before it took the vars file from
/// the cluster: what the clone holds at `v1`.
const FP_CALLED_V1: &str = "on:
  workflow_call:
    inputs:
      cluster: {type: string}
      manifest: {type: string}
jobs:
  deploy:
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ inputs.cluster }}
          RESOURCE: ${{ inputs.manifest }}
";

#[test]
fn a_local_copy_at_the_ref_it_has_else_its_working_tree_with_a_note() {
    let copy = tempfile::tempdir().unwrap();
    let at = copy.path().join(".github/workflows/deploy.yml");
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::fs::write(&at, FP_CALLED_V1).unwrap();
    git(copy.path(), &["init", "-q"]);
    git(copy.path(), &["add", "."]);
    git(copy.path(), &["commit", "-qm", "v1"]);
    git(copy.path(), &["tag", "v1"]);
    std::fs::write(&at, FP_CALLED).unwrap();
    let config = format!(
        "[workflows]\n\"navikt/fp-gha-workflows\" = {:?}\n",
        copy.path().to_str().unwrap()
    );
    let cache = tempfile::tempdir().unwrap();
    let called = "navikt/fp-gha-workflows/.github/workflows/deploy.yml";
    let wf = ".github/workflows/deploy.yml";

    // At v1, which the clone has: its file at v1, without a vars file.
    let dir = repo(&[
        (wf, &FP_CALLER.replace("@main", "@v1")),
        ("maskscope.toml", &config),
    ]);
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "json",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    let key = format!("{called}@v1");
    assert_eq!(
        deployments(&out),
        [
            t(".deploy/naiserator.yaml", "dev-gcp", "", &key, 9, "local"),
            t(".deploy/naiserator.yaml", "prod-gcp", "", &key, 9, "local"),
        ]
    );
    assert!(!out.stderr.contains("working tree"), "{}", out.stderr);

    // At main, which it lacks: its working tree's file, with a note.
    let dir = repo(&[(wf, FP_CALLER), ("maskscope.toml", &config)]);
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "json",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    let key = format!("{called}@main");
    assert_eq!(
        deployments(&out),
        [
            t(
                ".deploy/naiserator.yaml",
                "dev-gcp",
                ".deploy/dev-gcp-teamforeldrepenger.json",
                &key,
                16,
                "local"
            ),
            t(
                ".deploy/naiserator.yaml",
                "prod-gcp",
                ".deploy/prod-gcp-teamforeldrepenger.json",
                &key,
                16,
                "local"
            ),
        ]
    );
    assert!(
        out.stderr
            .contains("has no main: its working tree's file is read"),
        "{}",
        out.stderr
    );
    // The table names the called workflow and where it is called from.
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "table",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    assert!(
        out.stdout
            .contains(&format!("workflow {key} (called from {wf}:5, local)")),
        "{}",
        out.stdout
    );
}

/// A loopback server standing in for the GitHub API: each request's line
/// and `Authorization` header is recorded, and answered by `answer`
/// (status line, extra headers, body), after `delay`.
struct Api {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

fn api(status: &'static str, headers: &'static str, body: Vec<u8>, delay_secs: u64) -> Api {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("authorization:") {
                    auth = v.trim().to_owned();
                }
            }
            log.lock().unwrap().push((first.trim().to_owned(), auth));
            std::thread::sleep(std::time::Duration::from_secs(delay_secs));
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    Api { url, seen }
}

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

fn pinned_caller() -> String {
    FP_CALLER.replace("@main", &format!("@{SHA}"))
}

#[test]
fn fetched_with_the_token_then_cached_and_never_with_offline() {
    let server = api("200 OK", "", FP_CALLED.as_bytes().to_vec(), 0);
    let wf = ".github/workflows/deploy.yml";
    let dir = repo(&[(wf, &pinned_caller())]);
    let cache = tempfile::tempdir().unwrap();
    let env = [
        ("GITHUB_API_URL", server.url.as_str()),
        ("GITHUB_TOKEN", "s3cret"),
    ];
    let key = format!("navikt/fp-gha-workflows/.github/workflows/deploy.yml@{SHA}");
    let expected = |origin: &str| {
        vec![
            t(
                ".deploy/naiserator.yaml",
                "dev-gcp",
                ".deploy/dev-gcp-teamforeldrepenger.json",
                &key,
                16,
                origin,
            ),
            t(
                ".deploy/naiserator.yaml",
                "prod-gcp",
                ".deploy/prod-gcp-teamforeldrepenger.json",
                &key,
                16,
                origin,
            ),
        ]
    };

    // --offline with a token: no request, and inferred.
    let args = ["deployments", "--format", "json"];
    let out = run(
        dir.path(),
        cache.path(),
        &[&args[..], &["--offline"]].concat(),
        &env,
    );
    assert!(server.seen.lock().unwrap().is_empty());
    assert!(out.stderr.contains("inferred"), "{}", out.stderr);

    // With the token: one request, which carries it; the matrix's two jobs
    // share the one fetch.
    let out = run(dir.path(), cache.path(), &args, &env);
    assert_eq!(deployments(&out), expected("fetched"), "{}", out.stderr);
    assert_eq!(
        *server.seen.lock().unwrap(),
        [(
            format!(
                "GET /repos/navikt/fp-gha-workflows/contents/.github/workflows/deploy.yml?ref={SHA} HTTP/1.1"
            ),
            "bearer s3cret".to_owned()
        )]
    );

    // A commit's workflow is kept: the second run asks for nothing.
    let out = run(dir.path(), cache.path(), &args, &env);
    assert_eq!(deployments(&out), expected("cached"));
    assert_eq!(server.seen.lock().unwrap().len(), 1);
}

/// Each failing answer is a warning naming it, and the caller's `with:`
/// decides (here, inferred).
fn fails(server: Api, why: &str) {
    let wf = ".github/workflows/deploy.yml";
    let dir = repo(&[(wf, FP_CALLER)]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json", "--online"],
        &[("GITHUB_API_URL", server.url.as_str())],
    );
    assert_eq!(server.seen.lock().unwrap().len(), 1);
    // No token set: none sent.
    assert_eq!(server.seen.lock().unwrap()[0].1, "");
    assert_eq!(
        deployments(&out),
        [
            t(".deploy/naiserator.yaml", "dev-gcp", "", wf, 5, "inferred"),
            t(".deploy/naiserator.yaml", "prod-gcp", "", wf, 5, "inferred"),
        ]
    );
    assert!(
        out.stderr.contains(&format!(
            "{wf}:5: the called workflow navikt/fp-gha-workflows/.github/workflows/deploy.yml@main is not fetched from {}",
            server.url
        )) && out.stderr.contains(why),
        "{}",
        out.stderr
    );
}

#[test]
fn a_404_is_a_warning_and_the_fallback() {
    fails(api("404 Not Found", "", b"{}".to_vec(), 0), "answered 404");
}

#[test]
fn a_500_is_a_warning_and_the_fallback() {
    fails(
        api("500 Internal Server Error", "", Vec::new(), 0),
        "answered 500",
    );
}

#[test]
fn a_redirect_is_not_followed() {
    fails(
        api(
            "302 Found",
            "Location: http://127.0.0.1:9/x\r\n",
            Vec::new(),
            0,
        ),
        "answered 302",
    );
}

#[test]
fn an_answer_over_1_mib_is_refused() {
    let mut body = FP_CALLED.as_bytes().to_vec();
    body.resize(1024 * 1024 + 1, b'#');
    fails(api("200 OK", "", body, 0), "over 1 MiB");
}

#[test]
fn a_slow_server_times_out() {
    let started = std::time::Instant::now();
    fails(
        api("200 OK", "", FP_CALLED.as_bytes().to_vec(), 20),
        "timeout",
    );
    assert!(started.elapsed().as_secs() < 19);
}

#[test]
fn moving_a_deploy_into_a_shared_workflow_changes_nothing() {
    // The shared workflow, in a clone named in maskscope.toml.
    let shared = common::repo::Repo::new();
    shared
        .write(".github/workflows/deploy.yml", FP_CALLED)
        .commit("deploy");
    let r = common::repo::Repo::new();
    assert_eq!(r.path().parent(), shared.path().parent());
    let manifest = MANIFEST.replace(
        "          product: arbeid\n",
        "          product: arbeid\n          consumers:\n            - orgno: \"{{ orgno }}\"\n",
    );
    r.write(".deploy/naiserator.yaml", &manifest)
        .write(
            ".deploy/prod-gcp-teamforeldrepenger.json",
            r#"{"orgno": "889640782"}"#,
        )
        .write(
            "maskscope.toml",
            // Beside the repository, as a relative path: read at each
            // revision relative to the repository, not to where maskscope
            // writes the revision.
            &format!(
                "[workflows]\n\"navikt/fp-gha-workflows\" = \"../{}\"\n",
                shared.path().file_name().unwrap().to_str().unwrap()
            ),
        )
        .write(
            ".github/workflows/deploy.yml",
            "on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: prod-gcp
          RESOURCE: .deploy/naiserator.yaml
          VARS: .deploy/prod-gcp-teamforeldrepenger.json
",
        );
    let a = r.commit("own deploy");
    r.write(
        ".github/workflows/deploy.yml",
        "on: push
jobs:
  deploy:
    uses: navikt/fp-gha-workflows/.github/workflows/deploy.yml@main
    with:
      cluster: prod-gcp
      manifest: .deploy/naiserator.yaml
",
    );
    let b = r.commit("shared deploy");
    // The operator names the configuration: a clone beside the
    // repository is read only from one given with --config.
    assert_eq!(
        r.changes(&["--config", "maskscope.toml", &a, &b]),
        Vec::<Value>::new()
    );
    assert_eq!(
        r.changes(&["--config", "maskscope.toml", &b, &a]),
        Vec::<Value>::new()
    );
}

#[test]
fn a_called_workflow_that_calls_another_of_its_repository() {
    // navikt/aap-workflows' shape: deploy.yml over both clusters, calling
    // its own _nais.yml, which builds the manifest and vars paths.
    let shared = common::repo::Repo::new();
    shared
        .write(
            ".github/workflows/deploy.yml",
            "on:
  workflow_call:
    inputs:
      team: {type: string, default: aap}
jobs:
  dev:
    uses: ./.github/workflows/_nais.yml
    with:
      cluster: dev-gcp
      team: ${{ inputs.team }}
  prod:
    uses: ./.github/workflows/_nais.yml
    with:
      cluster: prod-gcp
      team: ${{ inputs.team }}
",
        )
        .write(
            ".github/workflows/_nais.yml",
            "on:
  workflow_call:
    inputs:
      cluster: {type: string}
      team: {type: string}
jobs:
  deploy:
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ inputs.cluster }}
          RESOURCE: .nais/${{ inputs.cluster == 'x' && 'x' || 'app' }}.yaml,.nais/${{ inputs.cluster }}.yaml
          VARS: .nais/vars-${{ inputs.team }}-${{ inputs.cluster }}.yaml
",
        )
        .commit("workflows");
    let caller = "on: push
jobs:
  deploy:
    uses: navikt/aap-workflows/.github/workflows/deploy.yml@main
    secrets: inherit
";
    let config = format!(
        "[workflows]\n\"navikt/aap-workflows\" = {:?}\n",
        shared.path().to_str().unwrap()
    );
    let dir = repo(&[
        (".github/workflows/deploy.yml", caller),
        ("maskscope.toml", &config),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "json",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    // `RESOURCE`'s first entry is an expression maskscope does not
    // evaluate: the step is unknown, and said so with the called file.
    assert_eq!(deployments(&out), []);
    let nais = "navikt/aap-workflows/.github/workflows/_nais.yml@main";
    assert!(
        out.stderr
            .contains(&format!("{nais}:9: the deploy step's RESOURCE")),
        "{}",
        out.stderr
    );

    // Written out, both clusters deploy, each with its vars file.
    shared
        .write(
            ".github/workflows/_nais.yml",
            &std::fs::read_to_string(shared.path().join(".github/workflows/_nais.yml"))
                .unwrap()
                .replace("${{ inputs.cluster == 'x' && 'x' || 'app' }}", "app"),
        )
        .commit("plain");
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "json",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    let mut expected = Vec::new();
    for cluster in ["dev-gcp", "prod-gcp"] {
        for manifest in [".nais/app.yaml".to_owned(), format!(".nais/{cluster}.yaml")] {
            expected.push(t(
                &manifest,
                cluster,
                &format!(".nais/vars-aap-{cluster}.yaml"),
                nais,
                9,
                "local",
            ));
        }
    }
    expected.sort();
    assert_eq!(deployments(&out), expected, "{}", out.stderr);
    // Called from the caller's job, through deploy.yml.
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v[0]["source"]["via"]["file"],
        ".github/workflows/deploy.yml"
    );
    assert_eq!(v[0]["source"]["via"]["line"], 4);
}

#[test]
fn at_most_twenty_fetches_a_run() {
    let server = api("404 Not Found", "", Vec::new(), 0);
    let mut caller = "on: push\njobs:\n".to_owned();
    for i in 0..21 {
        caller.push_str(&format!(
            "  d{i:02}:\n    uses: navikt/r{i:02}/.github/workflows/build.yml@main\n"
        ));
    }
    let dir = repo(&[(".github/workflows/deploy.yml", &caller)]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json", "--online"],
        &[("GITHUB_API_URL", server.url.as_str())],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(server.seen.lock().unwrap().len(), 20);
    assert!(
        out.stderr.contains(
            "navikt/r20/.github/workflows/build.yml@main is not fetched: maskscope fetches at most 20 workflows a run"
        ),
        "{}",
        out.stderr
    );
}

/// navikt/teamesyfo-github-actions-workflows' jar-app.yaml: the caller
/// names its app, and the called workflow builds the manifest paths.
const JAR_APP: &str = "on:
  workflow_call:
    inputs:
      app: {type: string, required: true}
      java-version: {type: string, default: '21'}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew build
  deploy-dev:
    needs: build
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: dev-gcp
          RESOURCE: .nais/nais-dev.yaml
  deploy-prod:
    needs: deploy-dev
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: prod-gcp
          RESOURCE: .nais/nais-prod.yaml
";

const JAR_CALLER: &str = "name: Build and deploy
on: push
jobs:
  jar-app:
    uses: navikt/teamesyfo-github-actions-workflows/.github/workflows/jar-app.yaml@main
    permissions:
      contents: write
      id-token: write
    secrets: inherit
    with:
      app: esyfo-narmesteleder
      java-version: '25'
";

#[test]
fn a_job_that_may_sign_in_to_deploy_is_unknown_until_its_workflow_is_read() {
    let wf = ".github/workflows/build-and-deploy.yaml";
    let files = [
        (".nais/nais-dev.yaml", MANIFEST),
        (".nais/nais-prod.yaml", MANIFEST),
        (wf, JAR_CALLER),
    ];
    // Unread: `jar-app.yaml` says nothing of a deploy, but the job may
    // request the OIDC token nais deploy signs in with: unknown.
    let dir = repo(&files);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    assert_eq!(deployments(&out), []);
    assert!(
        out.stderr.contains(&format!("{wf}:5: the called workflow navikt/teamesyfo-github-actions-workflows/.github/workflows/jar-app.yaml@main is not fetched"))
            && out.stderr.contains("what it deploys is not known"),
        "{}",
        out.stderr
    );
    // Without `id-token: write`, it cannot deploy: a note, no deployment.
    let dir = repo(&[(wf, &JAR_CALLER.replace("      id-token: write\n", ""))]);
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    assert_eq!(deployments(&out), []);
    assert!(out.stderr.contains("taken not to deploy"), "{}", out.stderr);

    // Read from a local copy: both deployments.
    let shared = common::repo::Repo::new();
    shared
        .write(".github/workflows/jar-app.yaml", JAR_APP)
        .commit("jar-app");
    let config = format!(
        "[workflows]\n\"navikt/teamesyfo-github-actions-workflows\" = {:?}\n",
        shared.path().to_str().unwrap()
    );
    let dir = repo(&[&files[..], &[("maskscope.toml", &config)]].concat());
    let out = run(
        dir.path(),
        cache.path(),
        &[
            "deployments",
            "--format",
            "json",
            "--config",
            "maskscope.toml",
        ],
        &[],
    );
    let key = "navikt/teamesyfo-github-actions-workflows/.github/workflows/jar-app.yaml@main";
    assert_eq!(
        deployments(&out),
        [
            t(".nais/nais-dev.yaml", "dev-gcp", "", key, 14, "local"),
            t(".nais/nais-prod.yaml", "prod-gcp", "", key, 21, "local"),
        ]
    );
}

#[test]
fn a_branch_is_fetched_each_run_and_offline_its_cached_copy_is_read_with_its_age() {
    let server = api("200 OK", "", FP_CALLED.as_bytes().to_vec(), 0);
    let wf = ".github/workflows/deploy.yml";
    let dir = repo(&[(wf, FP_CALLER)]);
    let cache = tempfile::tempdir().unwrap();
    let env = [("GITHUB_API_URL", server.url.as_str())];
    let args = ["deployments", "--format", "json", "--online"];
    for _ in 0..2 {
        let out = run(dir.path(), cache.path(), &args, &env);
        assert_eq!(deployments(&out)[0].5, "fetched");
    }
    assert_eq!(server.seen.lock().unwrap().len(), 2);
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json", "--offline"],
        &env,
    );
    assert_eq!(server.seen.lock().unwrap().len(), 2);
    let got = deployments(&out);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|d| d.5 == "cached"));
    assert!(
        out.stderr.contains(&format!(
            "{wf}:5: the called workflow navikt/fp-gha-workflows/.github/workflows/deploy.yml@main: not fetched (offline"
        )) && out.stderr.contains("; the copy cached ")
            && out.stderr.contains(" seconds ago is read, which may be out of date"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_local_copy_outside_the_repository_is_read_only_from_a_configuration_given_with_config() {
    let shared = common::repo::Repo::new();
    shared
        .write(".github/workflows/jar-app.yaml", JAR_APP)
        .commit("jar-app");
    let config = format!(
        "[workflows]\n\"navikt/teamesyfo-github-actions-workflows\" = {:?}\n",
        shared.path().to_str().unwrap()
    );
    let caller = "on: push\njobs:\n  deploy:\n    uses: navikt/teamesyfo-github-actions-workflows/.github/workflows/jar-app.yaml@main\n";
    let dir = repo(&[
        (".github/workflows/deploy.yml", caller),
        ("maskscope.toml", &config),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["deployments", "--format", "json"],
        &[],
    );
    assert!(
        out.stderr.contains("names a folder outside the repository"),
        "{}",
        out.stderr
    );
    assert!(!deployments(&out).iter().any(|d| d.5 == "local"));
}

/// An inferred deployment's variables are the called workflow's, so not
/// known: its template is rendered with placeholders, not taken for one a
/// step deploys without variables (whose `{{image}}` would be YAML).
#[test]
fn an_inferred_deployment_renders_its_template() {
    let manifest = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: app\n  namespace: team\nspec:\n  image: {{image}}\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640782\"\n";
    let dir = repo(&[
        (".github/workflows/deploy.yml", FP_CALLER),
        (".deploy/naiserator.yaml", manifest),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        cache.path(),
        &["resolve", "--format", "plain"],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("test\tnav:arbeid:vedtak.read\n")
            && out.stdout.contains("prod\tnav:arbeid:vedtak.read\n"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(!out.stderr.contains("not render"), "{}", out.stderr);
}
