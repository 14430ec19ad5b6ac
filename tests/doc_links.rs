//! Every link between the repository's Markdown files (README.md, SECURITY.md,
//! CHANGELOG.md, docs/) leads somewhere: the file exists, and a `#anchor` is a
//! heading of that file as GitHub names it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// README.md, SECURITY.md, CHANGELOG.md and every page under docs/.
fn pages(root: &Path) -> Vec<PathBuf> {
    let mut files = common::doc_pages(root);
    files.extend(["SECURITY.md", "CHANGELOG.md"].iter().map(|f| root.join(f)));
    files.sort();
    files
}

/// The lines outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push(line);
        }
    }
    out
}

/// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    prose(text)
        .iter()
        .filter_map(|l| {
            let hashes = l.chars().take_while(|c| *c == '#').count();
            (hashes > 0 && l[hashes..].starts_with(' ')).then(|| slug(&l[hashes + 1..]))
        })
        .collect()
}

/// The targets of inline links, `[text](target)`, outside code spans.
fn links(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b']' if !in_code && bytes.get(i + 1) == Some(&b'(') => {
                if let Some(end) = line[i + 2..].find(')') {
                    found.push(&line[i + 2..i + 2 + end]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

#[test]
fn links_between_pages_lead_somewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    let mut seen = 0;
    for page in pages(root) {
        let text = std::fs::read_to_string(&page).unwrap();
        for line in prose(&text) {
            for target in links(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                seen += 1;
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let file = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().unwrap().join(file)
                };
                let ok = file.exists()
                    && (anchor.is_empty()
                        || std::fs::read_to_string(&file)
                            .is_ok_and(|t| anchors(&t).contains(anchor)));
                if !ok {
                    broken.push(format!(
                        "{}: ({target})",
                        page.strip_prefix(root).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(seen > 50, "the links were not found: {seen}");
    assert!(
        broken.is_empty(),
        "links that lead nowhere:\n{}",
        broken.join("\n")
    );
}
