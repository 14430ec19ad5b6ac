//! Whatever the text, linting it never panics, and every diagnostic points
//! inside the file.

use maskscope::lint::{Settings, check_text};
use proptest::prelude::*;

const HEAD: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n";

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("    enabled: yes\n".to_owned()),
        Just("    enabled: \"true\"\n".to_owned()),
        Just("    scopes:\n".to_owned()),
        Just("      exposes:\n".to_owned()),
        Just("      exposes: {}\n".to_owned()),
        Just("        - name: \"x.read\"\n".to_owned()),
        Just("          product: Arbeid\n".to_owned()),
        Just("          seperator: /\n".to_owned()),
        Just("          consumers:\n            - orgno: 012345678\n".to_owned()),
        Just("          atMaxAge: 0x1F\n".to_owned()),
        Just("    enabled: true\n".to_owned()),
        Just("  - {{ x }}\n".to_owned()),
        Just("---\n".to_owned()),
        Just("\u{e6}\u{f8}\u{e5}: [\n".to_owned()),
        "[ -~\u{e6}\u{f8}]{0,12}\n",
    ]
}

proptest! {
    #[test]
    fn never_panics_and_stays_in_the_file(parts in proptest::collection::vec(fragment(), 0..24)) {
        let text = format!("{HEAD}{}", parts.concat());
        for d in check_text("t.yaml", &text, &Settings::default()) {
            let s = d.finding.span;
            prop_assert!(s.start.offset <= s.end.offset.max(s.start.offset));
            prop_assert!(s.end.index() <= d.finding.source.text.len(), "{:?} past the end", d);
            prop_assert!(s.start.line >= 1 && s.start.column >= 1);
        }
    }
}
