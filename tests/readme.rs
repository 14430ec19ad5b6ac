//! The usage examples in README.md and docs/ are real output: each `$ maskscope
//! ...` block that runs on the repository's own test data is run here and must
//! print exactly what the page shows. (The `migrate-check` worked example runs in
//! its own folder and is checked in `tests/migrate_check.rs`.)

mod common;

use std::path::Path;

/// `(command line, shown output)` for every one-line console example whose
/// files are in the repository (others, like `deep.yaml`, are made up on the spot).
fn examples<'r>(readme: &'r str, root: &Path) -> Vec<(&'r str, String)> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(command) = line.strip_prefix("$ maskscope ") else {
            continue;
        };
        let is_file = |arg: &&str| arg.ends_with(".yaml") || arg.ends_with(".json");
        let missing = command
            .split_whitespace()
            .filter(is_file)
            .any(|f| !root.join(f).exists());
        if missing || command.ends_with('\\') {
            continue;
        }
        let shown: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with("```"))
            .copied()
            .collect();
        found.push((command, shown.join("\n")));
    }
    found
}

#[test]
fn readme_examples_show_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = Vec::new();
    for page in common::doc_pages(root) {
        let text = std::fs::read_to_string(&page).unwrap();
        for (command, shown) in examples(&text, root) {
            let r = common::maskscope(root, command.split_whitespace(), None);
            assert!(r.code < 2, "`maskscope {command}` failed: {}", r.stderr);
            let printed = format!("{}{}", r.stdout, r.stderr);
            assert_eq!(
                printed.trim_end(),
                shown.trim_end(),
                "{}: example `maskscope {command}` differs from its real output",
                page.display()
            );
            checked.push(page.clone());
        }
    }
    let in_readme = checked.iter().filter(|p| p.ends_with("README.md")).count();
    let in_docs = checked.len() - in_readme;
    assert!(
        in_readme >= 2 && in_docs >= 5,
        "the examples were not found: {checked:?}"
    );
}
