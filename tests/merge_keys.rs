//! YAML merge keys (`<<: *anchor`) through the binary: the cluster expands them
//! (sigs.k8s.io/yaml, go-yaml v2), so `resolve` and `lint` must read a manifest
//! using them exactly as the same manifest written out in full.

mod common;

use std::path::Path;

fn run(args: &[&str]) -> common::Run {
    common::maskscope(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

const MERGED: &str = "testdata/merge-keys/merged.yaml";
const WRITTEN_OUT: &str = "testdata/merge-keys/written-out.yaml";

/// `resolve --format json` without what names the place (file and line).
fn resolved(path: &str) -> Vec<serde_json::Value> {
    let r = run(&["resolve", "--format", "json", "--all", path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut entries: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).expect("JSON");
    for e in &mut entries {
        let e = e.as_object_mut().expect("an object per scope");
        assert!(e.remove("file").is_some() && e.remove("line").is_some());
    }
    entries
}

/// `lint --format json`: the exit code and each diagnostic as `rule: message`.
fn linted(path: &str) -> (i32, Vec<String>) {
    let r = run(&["lint", "--format", "json", path]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let diagnostics = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{}: {}", d["rule"].as_str().unwrap(), d["message"]))
        .collect();
    (r.code, diagnostics)
}

#[test]
fn resolve_reads_merged_entries_as_written_out() {
    let merged = resolved(MERGED);
    assert_eq!(merged.len(), 3);
    assert_eq!(merged, resolved(WRITTEN_OUT));
}

#[test]
fn anchors_anywhere_in_the_manifest_can_be_merged() {
    let merged = resolved("testdata/merge-keys/anchored-elsewhere.yaml");
    assert_eq!(merged, resolved(WRITTEN_OUT));
    assert_eq!(
        linted("testdata/merge-keys/anchored-elsewhere.yaml"),
        (0, vec![])
    );
}

#[test]
fn a_bad_merge_outside_maskinporten_still_makes_the_file_unreadable() {
    let r = run(&["resolve", "testdata/merge-keys/bad-merge-elsewhere.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("testdata/merge-keys/bad-merge-elsewhere.yaml:11:11"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_mistake_in_a_merged_anchor_is_reported_once() {
    let (code, diagnostics) = linted("testdata/merge-keys/typo-in-anchor.yaml");
    assert_eq!(code, 1);
    let typos: Vec<&String> = diagnostics
        .iter()
        .filter(|d| d.starts_with("unknown-field"))
        .collect();
    assert_eq!(
        typos,
        ["unknown-field: \"unknown field \\\"seperator\\\" in an exposes entry\""]
    );
    // Each entry still gets what is true of it alone (`implicit-separator`
    // is off by default: selected here).
    let r = run(&[
        "lint",
        "--format",
        "json",
        "--select",
        "implicit-separator",
        "testdata/merge-keys/typo-in-anchor.yaml",
    ]);
    let implicit = r.stdout.matches("\"rule\": \"implicit-separator\"").count();
    assert_eq!(implicit, 3, "{}", r.stdout);
}

#[test]
fn resolve_table_of_merged_entries() {
    let r = run(&["resolve", MERGED]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn lint_reads_merged_entries_as_written_out() {
    let merged = linted(MERGED);
    assert_eq!(merged, linted(WRITTEN_OUT));
    // No unknown field `<<`, no missing product or enabled.
    assert_eq!(merged, (0, vec![]));
    let r = run(&["lint", MERGED]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn lint_points_at_a_merged_value_where_it_is_written() {
    let r = run(&["lint", "testdata/merge-keys/finding-in-merge.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("finding-in-merge.yaml:19:"),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn resolve_rejects_a_merge_of_a_scalar_naming_file_line_and_column() {
    let r = run(&["resolve", "testdata/merge-keys/bad-merge.yaml"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("testdata/merge-keys/bad-merge.yaml:14:15"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn lint_reports_a_merge_of_a_scalar_as_invalid_yaml() {
    let r = run(&[
        "lint",
        "--format",
        "json",
        "testdata/merge-keys/bad-merge.yaml",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "yaml-syntax");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(14), Some(15))
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("not an alias to the string \"arbeid\""),
        "{d}"
    );
}
