//! `maskscope diff` on repositories whose content and settings are an
//! attacker's, as in CI on a pull request from a fork: file names that look
//! like revisions or are not UTF-8, settings that would run commands, and the
//! temporary folders (who can read them, what is left after a signal).

mod common;

use common::{Run, maskscope};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A git repository in a temporary folder.
struct Repo {
    dir: tempfile::TempDir,
}

/// git, with no system or user settings (the test's own git must not run
/// what the repository's settings name, nor depend on the machine's).
fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        git_in(dir.path(), &["init", "-q", "-b", "main"]);
        git_in(dir.path(), &["config", "user.name", "Test"]);
        git_in(dir.path(), &["config", "user.email", "test@example.com"]);
        git_in(dir.path(), &["config", "commit.gpgsign", "false"]);
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    fn write(&self, file: impl AsRef<Path>, text: &str) -> &Repo {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Commit everything; the commit's hash.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn diff(&self, args: &[&str]) -> Run {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        maskscope(self.path(), all, None)
    }

    /// `(kind, scope)` of each change of `diff --format json ARGS`, which
    /// must exit `code`.
    fn changes(&self, args: &[&str], code: i32) -> Vec<(String, String)> {
        // Options first: after `--`, every word is a path.
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let r = self.diff(&all);
        assert_eq!(r.code, code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
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
    let a = r.write(FILE, &app("api", "a.read", false)).commit("one");
    // The pull request opens the scope, and adds a folder named `HEAD` with
    // a manifest of its own.
    r.write(FILE, &app("api", "a.read", true))
        .write("HEAD/dev-gcp.yaml", &app("decoy", "d.read", false))
        .commit("two");
    let opened = pairs(&[("opened-to-all", "nav:arbeid:a.read")]);

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
        r.changes(&[&fail[..], &[&a, "HEAD", "--"]].concat(), 1),
        opened
    );
    assert_eq!(
        r.changes(&[&fail[..], &[&a, "HEAD", "--", ".nais"]].concat(), 1),
        opened
    );
    // `BASE -- HEAD`: the working tree against BASE, in the folder `HEAD`.
    assert_eq!(
        r.changes(&[&a, "--", "HEAD"], 0),
        pairs(&[
            ("maskinporten-enabled", ""),
            ("scope-created", "nav:arbeid:d.read")
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
