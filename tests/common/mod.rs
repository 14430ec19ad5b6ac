//! Running the `maskscope` binary from the integration tests: one way to call
//! it, so that every test sees the same environment and the same checks on
//! what comes back.

use assert_cmd::Command;
use std::ffi::OsStr;
use std::path::Path;

/// What one run of the binary gave back.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `maskscope ARGS` in `dir`, fed `stdin` when given. `NO_COLOR` is set so the
/// output is the same whatever the terminal. The exit code must exist (no
/// signal) and both streams must be UTF-8.
pub fn maskscope<I, S>(dir: &Path, args: I, stdin: Option<&str>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::cargo_bin("maskscope").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1").args(args);
    // Workflows of other repositories are never fetched nor taken from the
    // machine's cache: the same answers with or without a network or token.
    cmd.env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env("XDG_CACHE_HOME", "/nonexistent/maskscope-tests");
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().expect("run maskscope");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}
pub mod corpus;
pub mod repo;

/// README.md and every Markdown page under docs/, sorted.
#[allow(dead_code)]
pub fn doc_pages(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![root.join("README.md")];
    let mut folders = vec![root.join("docs")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("docs/") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
