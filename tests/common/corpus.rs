//! The real corpus of manifests from public NAV repositories, kept outside
//! this repository. A clone from elsewhere does not have it: a test that
//! reads it is then skipped with a note, unless `CI` is set, where it is
//! required and its absence fails the test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Where the corpus is: `MASKSCOPE_TEST_CORPUS`, else
/// `../shared/corpus/navikt`, relative to the crate root (where cargo runs
/// the tests, and where they run maskscope: reports name files under it).
pub fn path() -> PathBuf {
    match std::env::var_os("MASKSCOPE_TEST_CORPUS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("../shared/corpus/navikt"),
    }
}

/// The corpus folder, or `None` (with a note on stderr) when it is absent
/// and `CI` is not set. In CI its absence is a failure.
pub fn present() -> Option<PathBuf> {
    let dir = path();
    if Path::new(env!("CARGO_MANIFEST_DIR")).join(&dir).is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!(
            "the corpus {} is missing: CI requires it (set MASKSCOPE_TEST_CORPUS to where it is)",
            dir.display()
        );
    }
    eprintln!(
        "skipped: the corpus {} is absent (CI requires it; set MASKSCOPE_TEST_CORPUS to where it is)",
        dir.display()
    );
    None
}

/// `let Some(corpus) = ...`, or return from the test: see [`present`].
#[macro_export]
macro_rules! corpus_or_skip {
    () => {
        match common::corpus::present() {
            Some(dir) => dir,
            None => return,
        }
    };
}
