//! `maskscope rules` says of every rule whether its error fails the deploy:
//! nais deploy cannot read the file, or the API server rejects the resource
//! (a type, a pattern, an enum, a required field, the CEL rule, an unknown
//! field, a wrong apiVersion), as opposed to what the deploy accepts.

mod common;

use common::maskscope;
use std::path::Path;

/// The rules whose error the deploy refuses, from the CRD's validation and
/// nais deploy's decoding (see each rule's source).
const REJECTS: [&str; 13] = [
    "yaml-syntax",
    "wrong-api-version",
    "unknown-field",
    "missing-field",
    "wrong-type",
    "invalid-name",
    "invalid-product",
    "invalid-separator",
    "invalid-orgno",
    "at-max-age-range",
    "invalid-enum",
    "delegation-requires-slash",
    "empty-allowed-integrations",
];

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_says_which_rules_the_deploy_refuses() {
    let r = maskscope(here(), ["rules", "--format", "json"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in REJECTS {
        assert!(ids.contains(&id), "{id} not listed");
    }
    // Accepted by the deploy, though some are errors: the last of two keys
    // wins, DigDir skips a bad check digit, the template renders empty.
    for id in [
        "duplicate-key",
        "orgno-checksum",
        "unrendered-template",
        "missing-variable",
        "missing-orgno",
        "invalid-consumed-scope",
        "duplicate-scope",
        "scope-collision",
        "unknown-consumed-scope",
        "docs-placeholder",
        "unknown-suppression",
        "scope-takeover",
        "consumer-revoked",
    ] {
        assert!(ids.contains(&id), "{id} not listed");
    }
    for rule in &rules {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["rejects"],
            serde_json::Value::Bool(REJECTS.contains(&id)),
            "{id}"
        );
    }
}

#[test]
fn one_rule_says_what_the_deploy_does() {
    let lines = |id: &str| -> Vec<String> {
        let r = maskscope(here(), ["rules", id], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().take(3).map(str::to_owned).collect()
    };
    assert_eq!(
        lines("invalid-orgno"),
        [
            "invalid-orgno (value rule, error by default)",
            "`orgno` is not exactly 9 digits",
            "The deploy fails: the API server rejects the resource, and the cluster keeps the version it had.",
        ]
    );
    assert_eq!(
        lines("yaml-syntax")[2],
        "The deploy fails: nais deploy cannot read the file, and the cluster keeps the version it had."
    );
    assert_eq!(lines("duplicate-key")[2], "The deploy accepts it.");

    let r = maskscope(here(), ["rules", "invalid-orgno", "--format", "json"], None);
    let rule: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(rule["id"], "invalid-orgno");
    assert_eq!(rule["rejects"], true);
    assert_eq!(rule["severity"], "error");
    assert!(
        rule["explanation"].as_str().unwrap().contains("^\\d{9}$"),
        "{rule}"
    );
}

#[test]
fn the_list_marks_the_rules_the_deploy_refuses() {
    let r = maskscope(here(), ["rules"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut marked = Vec::new();
    for line in r.stdout.lines() {
        let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
        if cells.len() == 5 && cells[2].ends_with('*') {
            marked.push(cells[0]);
        }
    }
    assert_eq!(marked, REJECTS);
    assert!(
        r.stdout
            .contains("\n* The deploy fails on such an error: nais deploy or the API server rejects\n  the resource, and the cluster keeps the version it had.\n"),
        "{}",
        r.stdout
    );
}
