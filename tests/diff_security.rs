//! `maskscope diff` on repositories whose content and settings are an
//! attacker's, as in CI on a pull request from a fork: file names that look
//! like revisions or are not UTF-8, settings that would run commands, and the
//! temporary folders (who can read them, what is left after a signal).

mod common;

use common::repo::Repo;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// `(kind, scope)` of each change of `diff --format json ARGS` in `r`,
/// sorted, which must exit `code`.
fn kinds_and_scopes(r: &Repo, args: &[&str], code: i32) -> Vec<(String, String)> {
    // Options first: after `--`, every word is a path.
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = r.diff(&all);
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut got: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["scope"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    got.sort();
    got
}

/// A manifest of `team/NAME` for `dev-gcp` (by its file name) exposing
/// `scope` (product arbeid, enabled), open to all when `open`.
fn app(name: &str, scope: &str, open: bool) -> String {
    let open = if open {
        "          accessibleForAll: true\n"
    } else {
        ""
    };
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n{open}"
    )
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

const FILE: &str = ".nais/dev-gcp.yaml";

#[test]
fn a_file_named_like_head_is_an_error_unless_dash_dash_says_which_it_is() {
    let r = Repo::new();
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    // The pull request opens the scope, and adds a folder named `HEAD` with
    // a manifest of its own.
    r.write(FILE, &app("api", "aa.read", true))
        .write("HEAD/dev-gcp.yaml", &app("decoy", "dd.read", false))
        .commit("two");
    let opened = pairs(&[("opened-to-all", "nav:arbeid:aa.read")]);

    // Both a revision and a folder: git's rule, an error that asks for `--`.
    let r2 = r.diff(&["--fail-on", "opened-to-all", &a, "HEAD"]);
    assert_eq!(r2.code, 2, "stdout: {}\nstderr: {}", r2.stdout, r2.stderr);
    assert!(r2.stdout.is_empty(), "{}", r2.stdout);
    assert!(
        r2.stderr
            .contains("`HEAD` names both a revision and a file or folder")
            && r2.stderr.contains("`--`"),
        "{}",
        r2.stderr
    );

    // Before `--`, a revision; after it, paths.
    let fail = ["--fail-on", "opened-to-all"];
    assert_eq!(
        kinds_and_scopes(&r, &[&fail[..], &[&a, "HEAD", "--"]].concat(), 1),
        opened
    );
    assert_eq!(
        kinds_and_scopes(&r, &[&fail[..], &[&a, "HEAD", "--", ".nais"]].concat(), 1),
        opened
    );
    // `BASE -- HEAD`: the working tree against BASE, in the folder `HEAD`.
    assert_eq!(
        kinds_and_scopes(&r, &[&a, "--", "HEAD"], 0),
        pairs(&[
            ("maskinporten-enabled", ""),
            ("scope-created", "nav:arbeid:dd.read")
        ])
    );
    // Before `--`, nothing but revisions.
    let r3 = r.diff(&[&a, "HEAD/dev-gcp.yaml", "--"]);
    assert_eq!(r3.code, 2, "{}", r3.stderr);
    assert!(r3.stderr.contains("does not exist"), "{}", r3.stderr);
    let r4 = r.diff(&[&a, "HEAD", ".nais", "--"]);
    assert_eq!(r4.code, 2, "{}", r4.stderr);
    assert!(r4.stderr.contains("come after it"), "{}", r4.stderr);
}

/// Executable scripts in `dir`, one per name, each of which leaves a file
/// `NAME.ran` in `dir` and copies its input to its output (as a filter or a
/// pager does).
fn marker_scripts(dir: &Path, names: &[&str]) {
    use std::os::unix::fs::PermissionsExt;
    for name in names {
        let script = dir.join(name);
        let marker = dir.join(format!("{name}.ran"));
        std::fs::write(
            &script,
            format!("#!/bin/sh\ntouch '{}'\ncat\n", marker.display()),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn no_command_named_by_the_repository_s_settings_is_run() {
    let r = Repo::new();
    r.write(".gitattributes", "* filter=x diff=x\n");
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    let b = r.write(FILE, &app("api", "bb.read", false)).commit("two");
    let scripts = tempfile::tempdir().unwrap();
    let s = scripts.path();
    let names = [
        "fsmonitor",
        "external",
        "smudge",
        "clean",
        "process",
        "textconv",
        "pager",
        "system-fsmonitor",
        "system-clean",
    ];
    marker_scripts(s, &names);
    let hooks = s.join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let hook_names = [
        "post-index-change",
        "reference-transaction",
        "post-checkout",
    ];
    marker_scripts(&hooks, &hook_names);
    // Set last: the test's own git must not run them.
    let at = |name: &str| s.join(name).display().to_string();
    for (key, value) in [
        ("core.fsmonitor", at("fsmonitor")),
        ("diff.external", at("external")),
        ("filter.x.smudge", at("smudge")),
        ("filter.x.clean", at("clean")),
        ("diff.x.textconv", at("textconv")),
        ("core.pager", at("pager")),
        ("core.hooksPath", hooks.display().to_string()),
    ] {
        r.git(&["config", key, &value]);
    }
    let system = s.join("gitconfig");
    std::fs::write(
        &system,
        format!(
            "[core]\n\tfsmonitor = {}\n[filter \"x\"]\n\tprocess = {}\n",
            at("system-fsmonitor"),
            at("process")
        ),
    )
    .unwrap();
    // The working tree's copy is the commit's, but its time is not the
    // index's: git would run the clean filter to compare it.
    let file = std::fs::File::options()
        .append(true)
        .open(r.path().join(FILE))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    drop(file);

    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("maskscope")
            .unwrap()
            .current_dir(r.path())
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_SYSTEM", &system)
            .arg("diff")
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut kinds: Vec<String> = v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} {}", c["kind"], c["scope"]))
            .collect();
        kinds.sort();
        kinds
    };
    let renamed = vec![r#""scope-renamed" "nav:arbeid:bb.read""#.to_owned()];
    assert_eq!(run(&[&a, &b]), renamed);
    assert_eq!(run(&[&a]), renamed);
    assert_eq!(run(&[&a, "HEAD", "--", ".nais"]), renamed);
    let ran: Vec<String> = names
        .iter()
        .map(|n| s.join(format!("{n}.ran")))
        .chain(hook_names.iter().map(|n| hooks.join(format!("{n}.ran"))))
        .filter(|m| m.exists())
        .map(|m| m.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(ran.is_empty(), "commands that ran: {ran:?}");
}

/// A partial clone whose remote runs a command when git fetches from it
/// (`uploadpack`), missing the blob of a file HEAD changed: maskscope
/// fetches nothing, so the command never runs, and says what to do.
#[test]
fn a_partial_clone_s_remote_is_never_fetched_from() {
    let r = Repo::new();
    let a = r
        .write(".nais/dev-gcp.yaml", &app("app", "aa.read", false))
        .commit("one");
    let b = r
        .write(".nais/dev-gcp.yaml", &app("app", "aa.read", true))
        .commit("two");
    let blob = r.git(&["rev-parse", "HEAD:.nais/dev-gcp.yaml"]);
    std::fs::remove_file(
        r.path()
            .join(format!(".git/objects/{}/{}", &blob[..2], &blob[2..])),
    )
    .unwrap();
    let marker = r.path().join("fetched");
    for (key, value) in [
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.promisor", "true"),
        (
            "remote.origin.url",
            &format!("file://{}", r.path().display()),
        ),
        (
            "remote.origin.uploadpack",
            &format!("touch '{}'; git-upload-pack", marker.display()),
        ),
    ] {
        r.git(&["config", key, value]);
    }
    // The working tree's copy differs, so HEAD's blob is needed.
    r.write(
        ".nais/dev-gcp.yaml",
        &(app("app", "aa.read", true) + "# changed\n"),
    );
    let run = r.diff(&["--fail-on", "opened-to-all", &a, &b, "--"]);
    assert!(!marker.exists(), "the remote's uploadpack ran");
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("maskscope does not fetch"),
        "{}",
        run.stderr
    );
}

#[test]
fn renaming_a_file_changes_nothing_whatever_its_name() {
    let r = Repo::new();
    let manifest = app("api", "aa.read", false);
    let a = r.write(".nais/dev-gcp-a.yaml", &manifest).commit("one");
    std::fs::rename(
        r.path().join(".nais/dev-gcp-a.yaml"),
        r.path().join(".nais/dev-gcp-b.yaml"),
    )
    .unwrap();
    assert_eq!(kinds_and_scopes(&r, &[&a], 0), []);
    let b = r.commit("two");
    assert_eq!(kinds_and_scopes(&r, &[&a, &b], 0), []);
    assert_eq!(kinds_and_scopes(&r, &[&b, &a], 0), []);
}

#[cfg(target_os = "linux")]
#[test]
fn renaming_a_file_whose_name_is_not_utf8_changes_nothing() {
    use std::os::unix::ffi::OsStrExt;
    let r = Repo::new();
    // Two names that read alike once made readable (`dev-gcp\u{fffd}.yaml`).
    let before = Path::new(OsStr::from_bytes(b".nais/dev-gcp\xfe.yaml"));
    let after = Path::new(OsStr::from_bytes(b".nais/dev-gcp\xff.yaml"));
    let a = r.write(before, &app("api", "aa.read", false)).commit("one");
    std::fs::rename(r.path().join(before), r.path().join(after)).unwrap();
    assert_eq!(kinds_and_scopes(&r, &[&a], 0), []);
    let b = r.commit("two");
    assert_eq!(kinds_and_scopes(&r, &[&a, &b], 0), []);
    assert_eq!(kinds_and_scopes(&r, &[&b, &a], 0), []);
    // Both names, one file changed: that change and nothing else.
    r.write(before, &app("api2", "zz.read", false));
    let c = r.commit("three");
    r.write(before, &app("api2", "yy.read", false));
    let d = r.commit("four");
    assert_eq!(
        kinds_and_scopes(&r, &[&c, &d], 0),
        pairs(&[("scope-renamed", "nav:arbeid:yy.read")])
    );
    assert_eq!(
        kinds_and_scopes(&r, &[&c], 0),
        pairs(&[("scope-renamed", "nav:arbeid:yy.read")])
    );
}

/// A child process killed when dropped, so that a failing test leaves none
/// running.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The entries of `dir`.
fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn temporary_folders_are_private_and_a_signal_removes_them() {
    use std::os::unix::fs::PermissionsExt;
    let r = Repo::new();
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    let b = r.write(FILE, &app("api", "bb.read", false)).commit("two");
    let outside = tempfile::tempdir().unwrap();
    // `--config` names a FIFO that nothing writes to: maskscope waits in
    // reading it, after both revisions' folders are made, until the signal.
    let fifo = outside.path().join("maskscope.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let tmp = tempfile::tempdir().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_maskscope"))
            .current_dir(r.path())
            .env("TMPDIR", tmp.path())
            .args(["diff", &a, &b, "--config"])
            .arg(&fifo)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut running = Running(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while entries(tmp.path()).len() < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "SIG{signal}: the folders of BASE and HEAD never showed"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        for dir in entries(tmp.path()) {
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", dir.display());
        }
        let pid = running.0.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = running.0.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}: {status:?}");
        assert_eq!(
            entries(tmp.path()),
            Vec::<std::path::PathBuf>::new(),
            "SIG{signal}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_revision_whose_file_cannot_be_put_in_a_folder_is_an_error_not_no_changes() {
    let r = Repo::new();
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    // 4,078 bytes, each name 202: git checks it out (relative to the
    // repository's root), but under any temporary folder it is over 4,096.
    let long = format!(".nais/{}", vec!["d".repeat(202); 20].join("/"));
    // Made relative to the repository, whatever the length of its path.
    let made = Command::new("sh")
        .current_dir(r.path())
        .args([
            "-c",
            "mkdir -p \"$1\" && cat > \"$1/dev-gcp.yaml\"",
            "sh",
            &long,
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(app("long", "long.read", true).as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(made.success());
    let b = r.commit("two");
    let tmp = tempfile::tempdir().unwrap();
    for args in [[a.as_str(), b.as_str()], [b.as_str(), a.as_str()]] {
        let out = Command::new(env!("CARGO_BIN_EXE_maskscope"))
            .current_dir(r.path())
            .env("TMPDIR", tmp.path())
            .arg("diff")
            .args(args)
            .arg("--")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{args:?}");
        assert!(stderr.contains("cannot write"), "{stderr}");
    }
    assert!(entries(tmp.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn an_absolute_path_through_a_symbolic_link_is_in_the_repository() {
    let r = Repo::new();
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    r.write(FILE, &app("api", "aa.read", true));
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("link");
    std::os::unix::fs::symlink(r.path(), &link).unwrap();
    let nais = link.join(".nais");
    let out = Command::new(env!("CARGO_BIN_EXE_maskscope"))
        .current_dir(&link)
        .args(["diff", "--format", "json", &a, "--"])
        .arg(&nais)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"][0]["kind"], "opened-to-all", "{v}");
    assert_eq!(v["changes"].as_array().unwrap().len(), 1, "{v}");
    // A folder that is truly elsewhere still is not.
    let out = Command::new(env!("CARGO_BIN_EXE_maskscope"))
        .current_dir(&link)
        .args(["diff", &a, "--"])
        .arg(outside.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside the repository"));
}

#[test]
fn a_tmpdir_that_does_not_exist_falls_back_to_the_system_s_with_a_warning() {
    let r = Repo::new();
    let a = r.write(FILE, &app("api", "aa.read", false)).commit("one");
    let b = r.write(FILE, &app("api", "aa.read", true)).commit("two");
    let gone = tempfile::tempdir().unwrap().path().join("no/such/folder");
    let out = Command::new(env!("CARGO_BIN_EXE_maskscope"))
        .current_dir(r.path())
        .env("TMPDIR", &gone)
        .args(["diff", "--format", "json", &a, &b, "--"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"][0]["kind"], "opened-to-all", "{v}");
    // Said once, though both revisions have a folder.
    assert_eq!(
        stderr,
        format!(
            "warning: TMPDIR {} is not a folder (it does not exist); using /tmp\n",
            gone.display()
        )
    );
}
