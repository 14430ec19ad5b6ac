//! The README's quick start shows `maskscope lint`, `resolve` and `diff` on a
//! repository: here that repository is made from `testdata/quickstart/` (its
//! `base/` committed on `main`, then `head/` in the working tree, with fixed
//! author and dates so that the commit's hash is the README's), and each
//! command must print exactly what the README shows.

mod common;

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Team Vedtak")
        .env("GIT_AUTHOR_EMAIL", "vedtak@example.com")
        .env("GIT_AUTHOR_DATE", "2026-12-01T12:00:00Z")
        .env("GIT_COMMITTER_NAME", "Team Vedtak")
        .env("GIT_COMMITTER_EMAIL", "vedtak@example.com")
        .env("GIT_COMMITTER_DATE", "2026-12-01T12:00:00Z")
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}");
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The README's `$ maskscope ARGS` blocks in the quick start: `(args, shown)`.
fn quick_start(readme: &str) -> Vec<(String, String)> {
    let start = readme.find("## Quick start").expect("a quick start");
    let end = readme[start + 1..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + 1 + e);
    let lines: Vec<&str> = readme[start..end].lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(args) = line.strip_prefix("your-repo$ maskscope ") {
            let shown: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !l.starts_with("```"))
                .copied()
                .collect();
            found.push((args.to_owned(), shown.join("\n")));
        }
    }
    found
}

#[test]
fn the_quick_start_shows_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("testdata/quickstart");
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    copy(&data.join("base"), repo.path());
    git(repo.path(), &["add", "-A"]);
    git(
        repo.path(),
        &["commit", "-q", "-m", "vedtak-api exposes vedtak.read"],
    );
    copy(&data.join("head"), repo.path());
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = quick_start(&readme);
    let commands: Vec<&str> = examples.iter().map(|(a, _)| a.as_str()).collect();
    assert!(
        commands.iter().any(|c| c.starts_with("lint"))
            && commands.iter().any(|c| c.starts_with("resolve"))
            && commands.iter().any(|c| c.starts_with("diff")),
        "the quick start shows lint, resolve and diff: {commands:?}"
    );
    for (args, shown) in examples {
        let r = common::maskscope(repo.path(), args.split_whitespace(), None);
        assert!(r.code < 2, "`maskscope {args}` failed: {}", r.stderr);
        assert_eq!(
            format!("{}{}", r.stdout, r.stderr).trim_end(),
            shown.trim_end(),
            "README quick start: `maskscope {args}` differs from its real output"
        );
    }
}
