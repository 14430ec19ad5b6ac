//! The pre-commit hook as pre-commit itself runs it: `pre-commit try-repo` on
//! this repository, which builds maskscope from source with `cargo install`
//! as `.pre-commit-hooks.yaml` asks and runs the hook on two manifests.
//! Skipped, with the reason printed, when pre-commit is not installed.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.email=ci@example.invalid", "-c", "user.name=ci"])
        .args(args)
        .current_dir(dir)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

#[test]
fn the_hook_runs_under_pre_commit() {
    let version = Command::new("pre-commit").arg("--version").output();
    if !version.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Builds and pre-commit's cache are kept under the target folder, so that
    // a second run builds only what changed.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    let work = tempfile::tempdir().unwrap();
    let lint = repo.join("testdata/lint/wrong-type");
    std::fs::copy(lint.join("fail.yaml"), work.path().join("fail.yaml")).unwrap();
    std::fs::copy(lint.join("pass.yaml"), work.path().join("pass.yaml")).unwrap();
    // Not a manifest: passed over without a word, as the README says.
    std::fs::write(
        work.path().join("topic.yaml"),
        "apiVersion: kafka.nais.io/v1\nkind: Topic\nmetadata:\n  name: t\n",
    )
    .unwrap();
    git(work.path(), &["init", "-q"]);
    git(work.path(), &["add", "."]);
    git(work.path(), &["commit", "-qm", "manifests"]);
    let out = Command::new("pre-commit")
        .args(["try-repo", repo.to_str().unwrap(), "maskscope-lint"])
        .args(["--files", "fail.yaml", "pass.yaml", "topic.yaml"])
        .current_dir(work.path())
        .env("PRE_COMMIT_HOME", target.join("home"))
        .env("CARGO_TARGET_DIR", target.join("build"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run pre-commit");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("maskscope lint"), "{stdout}");
    assert!(stdout.contains("Failed"), "{stdout}");
    assert!(stdout.contains("error[wrong-type]"), "{stdout}");
    assert!(stdout.contains("fail.yaml:12:14"), "{stdout}");
    assert!(stdout.contains("checked 2 files: 5 errors"), "{stdout}");
    assert!(!stdout.contains("topic.yaml"), "{stdout}");
}
