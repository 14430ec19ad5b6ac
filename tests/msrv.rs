//! `rust-version` in Cargo.toml is true: no dependency in Cargo.lock asks for
//! a newer Rust, and the README states the same version.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// `1.89` or `1.88.0` as numbers, to compare (`1.89` is `1.89.0`).
fn version(v: &str) -> [u64; 3] {
    let mut out = [0; 3];
    for (slot, part) in out.iter_mut().zip(v.split('.')) {
        *slot = part.parse().expect("a number");
    }
    out
}

#[test]
fn rust_version_is_the_highest_of_the_locked_dependencies() {
    let ours = env!("CARGO_PKG_RUST_VERSION");
    assert!(!ours.is_empty(), "Cargo.toml declares no rust-version");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let (highest, by) = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] != env!("CARGO_PKG_NAME"))
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .expect("dependencies that declare a rust-version");
    assert!(
        version(ours) >= version(highest),
        "rust-version {ours} is lower than {by}'s {highest}"
    );
    // Not higher than needed either: the edition (2024: 1.85) or a dependency.
    assert!(
        version(ours) <= version(highest).max(version("1.85")),
        "rust-version {ours} is higher than any dependency needs ({by}: {highest})"
    );
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust toolchain ({ours} or newer)")),
        "the README does not state rust-version {ours}"
    );
}
