//! Property tests for the value rules over arbitrary values: linting never
//! panics, and `invalid-name`, `invalid-orgno`, `orgno-checksum` and
//! `at-max-age-range` fire exactly when the CRD pattern or check says so.

use maskscope::lint::{Settings, check_text};
use proptest::prelude::*;
use regex::Regex;

/// A YAML double-quoted scalar holding `s`.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn manifest(name: &str, separator: &str, orgno: &str, age: i64) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      consumes:\n        - name: {}\n      exposes:\n        - name: {}\n          enabled: true\n          product: \"arbeid\"\n          separator: {}\n          atMaxAge: {age}\n          consumers:\n            - orgno: {}\n            - orgno: {}\n",
        quoted(name),
        quoted(name),
        quoted(separator),
        quoted(orgno),
        quoted(orgno),
    )
}

fn count(text: &str, rule: &str) -> usize {
    check_text("p.yaml", text, &Settings::default())
        .iter()
        .filter(|d| d.rule == rule)
        .count()
}

fn checksum_ok(digits: &str) -> bool {
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = d
        .iter()
        .zip([3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(a, w)| a * w)
        .sum();
    match 11 - sum % 11 {
        11 => d[8] == 0,
        10 => false,
        c => d[8] == c,
    }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,16}",
        "[a-zæøåA-Z0-9/:._-]{0,16}",
        "[a-z]{1,6}(/[a-z]{1,6}){0,2}\\.(read|write)"
    ]
}

fn orgno() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{9}", "[0-9 ]{0,11}", "\\PC{0,10}"]
}

proptest! {
    #[test]
    fn value_rules_fire_exactly_when_they_should(
        n in name(),
        sep in "[/:.]|\\PC{0,3}",
        o in orgno(),
        age in -1000i64..2000,
    ) {
        // `{{` makes the file a Handlebars template: another path, tested elsewhere.
        prop_assume!(![&n, &sep, &o].iter().any(|s| s.contains("{{")));
        let text = manifest(&n, &sep, &o, age);
        let pattern = Regex::new(r"^([a-zæøå0-9]+\/?)+(\:[a-zæøå0-9]+)*[a-zæøå0-9]+(\.[a-zæøå0-9]+)*$").unwrap();
        prop_assert_eq!(count(&text, "invalid-name"), usize::from(!pattern.is_match(&n)));
        prop_assert_eq!(count(&text, "invalid-separator"), usize::from(!matches!(sep.as_str(), "/" | ":" | ".")));
        let nine = o.len() == 9 && o.bytes().all(|b| b.is_ascii_digit());
        prop_assert_eq!(count(&text, "invalid-orgno"), if nine { 0 } else { 2 });
        prop_assert_eq!(count(&text, "orgno-checksum"), if nine && !checksum_ok(&o) { 2 } else { 0 });
        prop_assert_eq!(count(&text, "duplicate-consumer"), 1);
        prop_assert_eq!(count(&text, "at-max-age-range"), usize::from(!(30..=680).contains(&age)));
    }
}
