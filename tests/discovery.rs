//! Which files are read, and what every format says of those that are not:
//! the default locations of NAV repositories, files that are no manifests
//! passed over by content, bad folder entries, files that cannot be checked,
//! UTF-16, empty input and output that cannot be written. Through the binary.

mod common;

use common::{Run, maskscope};
use std::path::{Path, PathBuf};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    crate_dir().join("testdata/discover").join(name)
}

/// `resolve --format plain` with no paths, in `dir`.
fn default_scopes(dir: &Path) -> Run {
    maskscope(
        dir,
        ["resolve", "--format", "plain", "--var", "image=x"],
        None,
    )
}

#[test]
fn finds_manifests_in_nais_folder() {
    let r = default_scopes(&fixture("layout-nais"));
    // `nais/dev.yaml`, a vars file, is passed over without a word.
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "nav:arbeid:naisapp.read\n", "")
    );
}

#[test]
fn finds_manifests_in_dot_deploy_folder() {
    let r = default_scopes(&fixture("layout-deploy"));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "nav:arbeid:deployjob.read\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn finds_nais_dash_env_file_at_the_root() {
    let r = default_scopes(&fixture("layout-root"));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "nav:arbeid:rootdev.read\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn reads_every_default_location_that_exists() {
    let r = default_scopes(&fixture("layout-all"));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            // Two environments (naiserator-prod.yml's, and an unknown one):
            // each line says which.
            "unknown\tnav:arbeid:alla.read\nunknown\tnav:arbeid:allb.read\nprod\tnav:arbeid:allc.read\n"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn none_found_says_what_was_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"x\"}\n").unwrap();
    let r = maskscope(dir.path(), ["lint"], None);
    assert_eq!(r.code, 2);
    for what in [
        ".nais/",
        "nais/",
        ".deploy/",
        "deploy/",
        "nais*.yaml",
        "nais*.json",
        "naiserator*.yml",
    ] {
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
    }
    assert!(r.stderr.contains("none found"), "{}", r.stderr);
}

#[test]
fn a_monorepo_without_the_usual_places_is_searched_whole() {
    let dir = tempfile::tempdir().unwrap();
    let nais = dir.path().join("apps/api/nais");
    std::fs::create_dir_all(&nais).unwrap();
    std::fs::copy(fixture("layout-nais/nais/app.yaml"), nais.join("prod.yaml")).unwrap();
    std::fs::create_dir_all(dir.path().join("node_modules/x/nais")).unwrap();
    std::fs::copy(
        fixture("layout-nais/nais/app.yaml"),
        dir.path().join("node_modules/x/nais/app.yaml"),
    )
    .unwrap();
    let r = maskscope(
        dir.path(),
        ["lint", "--var", "image=x", "--format", "github"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = maskscope(
        dir.path(),
        ["resolve", "--var", "image=x", "--format", "json"],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{}", r.stdout);
    assert_eq!(json[0]["file"], "apps/api/nais/prod.yaml");
}

#[test]
fn files_that_are_no_manifests_are_passed_over_in_a_walk() {
    let r = maskscope(
        crate_dir(),
        [
            "lint",
            "--var",
            "image=x",
            "testdata/discover/not-manifests",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "checked 1 file: 0 errors, 0 warnings, 0 infos\n");
    assert_eq!(r.stderr, "");
}

#[test]
fn a_file_named_explicitly_is_reported_in_full() {
    let r = maskscope(
        crate_dir(),
        ["lint", "testdata/discover/not-manifests/tsconfig.json"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("error[yaml-syntax]"), "{}", r.stdout);
    assert!(r.stdout.contains("tsconfig.json:3:20"), "{}", r.stdout);
    // A file named explicitly that parses but holds no manifest says so.
    let r = maskscope(
        crate_dir(),
        ["lint", "testdata/discover/not-manifests/package.json"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .ends_with("checked 1 file (no manifests): 0 errors, 0 warnings, 0 infos\n"),
        "{}",
        r.stdout
    );
}

/// A folder with `app.yaml` and whatever `extra` puts next to it.
fn folder_with(extra: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let nais = dir.path().join("nais");
    std::fs::create_dir(&nais).unwrap();
    std::fs::copy(fixture("layout-nais/nais/app.yaml"), nais.join("app.yaml")).unwrap();
    extra(&nais);
    dir
}

fn lint_folder(dir: &Path) -> Run {
    maskscope(dir, ["lint", "--var", "image=x", "nais"], None)
}

#[cfg(unix)]
#[test]
fn dangling_links_do_not_stop_a_walk() {
    use std::os::unix::fs::symlink;
    let dir = folder_with(|nais| symlink("missing.md", nais.join("README.md")).unwrap());
    let r = lint_folder(dir.path());
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    assert!(r.stdout.contains("checked 1 file: "), "{}", r.stdout);
    let dir = folder_with(|nais| symlink("gone.yaml", nais.join("x.yaml")).unwrap());
    let r = lint_folder(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "warning: nais/x.yaml: skipped: symbolic link to a file that does not exist\n"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_one_warning() {
    let dir = folder_with(|nais| std::os::unix::fs::symlink("..", nais.join("loop")).unwrap());
    for command in ["lint", "resolve"] {
        let r = maskscope(dir.path(), [command, "--var", "image=x", "nais"], None);
        assert_eq!(r.code, 0, "{command}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            "warning: nais/loop: skipped: symbolic link loops back to a folder that holds it\n",
            "{command}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = folder_with(|nais| {
        std::fs::copy(
            nais.join("app.yaml"),
            nais.join(std::ffi::OsStr::from_bytes(b"odd-\xff.yaml")),
        )
        .unwrap();
    });
    let r = lint_folder(dir.path());
    assert!(
        r.stdout.contains("checked 2 files"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    assert!(!r.stderr.contains("not checked"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_folder_that_is_a_link_is_searched_when_named_or_found() {
    use std::os::unix::fs::symlink;
    let dir = folder_with(|_| ());
    symlink("nais", dir.path().join("linked")).unwrap();
    let r = maskscope(dir.path(), ["lint", "--var", "image=x", "linked"], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    assert!(r.stdout.contains("checked 1 file: "), "{}", r.stdout);
    // Named twice, by the link and by the folder: read once.
    let r = maskscope(
        dir.path(),
        ["lint", "--var", "image=x", "linked", "nais"],
        None,
    );
    assert!(r.stdout.contains("checked 1 file: "), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "warning: nais: skipped: links to a folder already searched (a symbolic link loop or a second link)\n"
    );
    // A repository whose `.nais` is a link, searched by default.
    let repo = tempfile::tempdir().unwrap();
    std::fs::rename(dir.path().join("nais"), repo.path().join("real")).unwrap();
    symlink("real", repo.path().join(".nais")).unwrap();
    let r = maskscope(repo.path(), ["lint", "--var", "image=x"], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    assert!(r.stdout.contains("checked 1 file: "), "{}", r.stdout);
}

#[cfg(target_os = "linux")]
#[test]
fn links_to_the_root_and_to_special_files_do_not_stop_a_walk() {
    use std::os::unix::fs::symlink;
    let dir = folder_with(|nais| {
        symlink("/", nais.join("root")).unwrap();
        symlink("/dev", nais.join("devices")).unwrap();
        symlink("/dev/null", nais.join("null.yaml")).unwrap();
    });
    let r = lint_folder(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("checked 1 file: "), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "warning: nais/devices: skipped: symbolic link to a system folder, which holds no manifests\n\
         warning: nais/null.yaml: skipped: symbolic link to a special file (a device, FIFO or socket), which is never read\n\
         warning: nais/root: skipped: symbolic link loops back to a folder that holds it\n"
    );
}

/// A folder with a good manifest and a file over the size budget.
fn with_a_huge_file() -> tempfile::TempDir {
    folder_with(|nais| {
        let big = std::fs::File::create(nais.join("huge.yaml")).unwrap();
        big.set_len(maskscope::load::MAX_FILE_BYTES + 1).unwrap();
    })
}

#[test]
fn an_unchecked_file_is_named_in_every_format() {
    let dir = with_a_huge_file();
    let run = |format: &str| {
        maskscope(
            dir.path(),
            ["lint", "--var", "image=x", "--format", format, "nais"],
            None,
        )
    };
    let why = "larger than the budget of 32 MiB per file";

    let r = run("human");
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .contains(&format!("error: nais/huge.yaml: not checked: {why}\n")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .ends_with("checked 1 file, 1 could not be checked: 0 errors, 0 warnings, 0 infos\n"),
        "{}",
        r.stdout
    );

    let r = run("json");
    assert_eq!(r.code, 2);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(json["summary"]["unchecked"], 1);
    assert_eq!(
        json["unchecked"],
        serde_json::json!([{"file": "nais/huge.yaml", "reason": why, "line": null, "column": null}])
    );
    assert!(
        r.stderr.contains("error: nais/huge.yaml: not checked: "),
        "{}",
        r.stderr
    );

    let r = run("sarif");
    assert_eq!(r.code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(note["message"]["text"], format!("not checked: {why}"));
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "nais/huge.yaml"
    );

    let r = run("github");
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains(&format!(
            "::error file=nais/huge.yaml,title=maskscope::not checked: {why}\n"
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn resolve_and_migrate_check_name_unchecked_files() {
    let dir = with_a_huge_file();
    std::fs::write(dir.path().join("iac.json"), "[]").unwrap();
    for args in [
        vec!["resolve", "--var", "image=x", "nais"],
        vec![
            "migrate-check",
            "--var",
            "image=x",
            "--iac",
            "iac.json",
            "nais",
        ],
    ] {
        let r = maskscope(dir.path(), &args, None);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("nais/huge.yaml: larger than the budget"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn empty_standard_input_holds_no_manifests() {
    let run = |format: &str| maskscope(crate_dir(), ["lint", "--format", format, "-"], Some(""));
    let r = run("human");
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .ends_with("checked 1 file (no manifests): 0 errors, 0 warnings, 0 infos\n"),
        "{}",
        r.stdout
    );
    let json: serde_json::Value = serde_json::from_str(&run("json").stdout).unwrap();
    assert_eq!(json["summary"]["files_without_manifests"], 1);
    assert_eq!(json["without_manifests"], serde_json::json!(["<stdin>"]));
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif").stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert_eq!(invocation["toolExecutionNotifications"][0]["level"], "note");
    assert!(
        run("github")
            .stdout
            .starts_with("::notice file=<stdin>,title=maskscope::holds no Application or Naisjob")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_an_error() {
    let bin = assert_cmd::cargo::cargo_bin("maskscope");
    for args in [
        vec!["resolve", "testdata/resolve/full-application.yaml"],
        vec![
            "resolve",
            "--format",
            "json",
            "testdata/resolve/full-application.yaml",
        ],
        vec!["lint", "testdata/resolve/full-application.yaml"],
        vec![
            "lint",
            "--format",
            "sarif",
            "testdata/resolve/full-application.yaml",
        ],
        vec!["rules"],
    ] {
        let out = std::process::Command::new(&bin)
            .current_dir(crate_dir())
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_stays_quiet() {
    use std::io::Read;
    let bin = assert_cmd::cargo::cargo_bin("maskscope");
    let mut child = std::process::Command::new(&bin)
        .current_dir(crate_dir())
        .args(["rules"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

#[test]
fn utf16_with_a_byte_order_mark_reads_like_utf8() {
    let source = crate_dir().join("testdata/resolve/full-application.yaml");
    let text = std::fs::read_to_string(&source).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yaml"), &text).unwrap();
    let run = |args: &[&str]| maskscope(dir.path(), args, None);
    let expected_resolve = run(&["resolve", "--format", "json", "app.yaml"]).stdout;
    let expected_lint = run(&["lint", "--format", "json", "app.yaml"]).stdout;
    assert!(
        expected_resolve.contains("\"line\": 71"),
        "{expected_resolve}"
    );
    for big_endian in [false, true] {
        std::fs::write(dir.path().join("app.yaml"), utf16(&text, big_endian)).unwrap();
        let r = run(&["resolve", "--format", "json", "app.yaml"]);
        assert_eq!(
            (r.code, &r.stdout),
            (0, &expected_resolve),
            "big endian: {big_endian}: {}",
            r.stderr
        );
        let r = run(&["lint", "--format", "json", "app.yaml"]);
        assert_eq!(r.stdout, expected_lint, "big endian: {big_endian}");
    }
    // An unpaired surrogate: not checked, with where and why.
    let mut bad = utf16(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nx: ",
        false,
    );
    bad.extend([0x00, 0xDC]);
    std::fs::write(dir.path().join("app.yaml"), bad).unwrap();
    let r = run(&["lint", "app.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("error: app.yaml:3:4: not checked: not valid UTF-16LE text: an unpaired surrogate 0xDC00"),
        "{}",
        r.stdout
    );
}

/// The corpus of real NAV repositories: with no paths, every repository's
/// manifests are found (exit 0 or 1, never 2).
#[test]
fn default_discovery_finds_every_corpus_repository() {
    let corpus = corpus_or_skip!();
    if !corpus.is_dir() {
        eprintln!(
            "default_discovery_finds_every_corpus_repository: skipped: no corpus at {}",
            corpus.display()
        );
        return;
    }
    let mut repos: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    assert!(repos.len() >= 40, "{} repositories", repos.len());
    let mut failed = Vec::new();
    for repo in &repos {
        let r = maskscope(repo, ["lint", "--var", "image=x"], None);
        let checked = r.stdout.lines().last().unwrap_or("");
        if !matches!(r.code, 0 | 1)
            || !checked.starts_with("checked ")
            || checked.starts_with("checked 0 files")
        {
            failed.push(format!(
                "{}: exit {}: {}{}",
                repo.display(),
                r.code,
                checked,
                r.stderr
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Run in a subfolder without paths, a command starts from the repository's
/// root (the nearest folder upward with `.git` or `maskscope.toml`) and shows
/// the files relative to where it was run; files named on the command line
/// stay relative to that folder too.
#[test]
fn without_paths_a_command_in_a_subfolder_starts_from_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join(".nais")).unwrap();
    std::fs::create_dir_all(root.join("src/main")).unwrap();
    std::fs::write(
        root.join(".nais/app.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{{ scope }}\"\n          enabled: true\n          product: \"arbeid\"\n          separator: \"/\"\n          consumers:\n            - orgno: \"889640782\"\n",
    )
    .unwrap();
    std::fs::write(root.join("src/main/vars.yaml"), "scope: vedtak.read\n").unwrap();
    let sub = root.join("src/main");

    let r = maskscope(
        &sub,
        ["resolve", "--format", "plain", "--vars", "vars.yaml"],
        None,
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "nav:arbeid/vedtak.read\n"),
        "{}",
        r.stderr
    );
    let r = maskscope(
        &sub,
        ["resolve", "--format", "json", "--vars", "vars.yaml"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["file"], "../../.nais/app.yaml", "{v}");

    let r = maskscope(
        &sub,
        ["lint", "--format", "json", "--var", "scope=vedtak.read"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1, "{v}");

    // A maskscope.toml marks the root as well: here `src/` is one.
    std::fs::write(root.join("src/maskscope.toml"), "").unwrap();
    let r = maskscope(&sub, ["lint"], None);
    assert_eq!(r.code, 2, "{}", r.stdout);
}

/// A file a search finds whose documents are other nais kinds only (an
/// AzureAdApplication under `nais.io/v1`) is passed over without a note;
/// named on the command line, it is reported.
#[test]
fn a_found_file_of_other_nais_kinds_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".nais")).unwrap();
    std::fs::write(
        d.join(".nais/app.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  image: x\n",
    )
    .unwrap();
    std::fs::write(
        d.join(".nais/azuread-lokal.yaml"),
        "apiVersion: nais.io/v1\nkind: AzureAdApplication\nmetadata:\n  name: a\n  namespace: t\nspec:\n  secretName: s\n",
    )
    .unwrap();
    let r = maskscope(d, ["lint"], None);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "checked 1 file: 0 errors, 0 warnings, 0 infos\n"),
        "{}",
        r.stderr
    );
    let r = maskscope(d, ["lint", ".nais/azuread-lokal.yaml"], None);
    assert!(
        r.stdout
            .contains("note: .nais/azuread-lokal.yaml: holds no"),
        "{}",
        r.stdout
    );
}
