//! A git repository in a temporary folder, and `maskscope diff` run in it.
#![allow(dead_code)]

use super::{Run, maskscope};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A git repository in a temporary folder.
pub struct Repo {
    dir: tempfile::TempDir,
}

/// git, with no system or user settings (the test's own git must not run
/// what a repository's settings name, nor depend on the machine's).
pub fn git_in(dir: &Path, args: &[&str]) -> String {
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
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        git_in(dir.path(), &["init", "-q", "-b", "main"]);
        git_in(dir.path(), &["config", "user.name", "Test"]);
        git_in(dir.path(), &["config", "user.email", "test@example.com"]);
        git_in(dir.path(), &["config", "commit.gpgsign", "false"]);
        Repo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, file: impl AsRef<Path>, text: &str) -> &Repo {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, file: &str) -> &Repo {
        std::fs::remove_file(self.path().join(file)).unwrap();
        self
    }

    /// Commit everything; the commit's hash.
    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `maskscope diff ARGS` with `TMPDIR` set to `tmpdir`.
    pub fn diff_in_tmpdir(
        &self,
        tmpdir: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
    ) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_maskscope"))
            .current_dir(self.path())
            .env("TMPDIR", tmpdir)
            .arg("diff")
            .args(args)
            .output()
            .unwrap()
    }

    pub fn diff(&self, args: &[&str]) -> Run {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        maskscope(self.path(), all, None)
    }

    /// The `changes` of `diff --format json ARGS`, which must exit 0.
    pub fn changes(&self, args: &[&str]) -> Vec<Value> {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let r = self.diff(&all);
        assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        v["changes"].as_array().unwrap().clone()
    }
}
