//! `invalid-name`: an exposed scope's `name` must match the CRD pattern.

use super::support::join_and;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use regex::Regex;
use std::sync::LazyLock;

pub struct InvalidName;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-name",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`name` of an exposed scope does not match the CRD pattern",
    explanation: "\
The name is the last part of the subscope (`<product><separator><name>`). The \
MaskinportenClient CRD in nais/liberator validates it with the pattern \
`^([a-zæøå0-9]+\\/?)+(\\:[a-zæøå0-9]+)*[a-zæøå0-9]+(\\.[a-zæøå0-9]+)*$`: lowercase \
letters (including æøå) and digits, in parts separated by single `/`, `:` or `.`; \
`/`-separated parts come first, then `:`-parts, then `.`-parts. No uppercase, no `-`, \
no `_`, no leading or trailing `/`, no `//`, no empty part. The API server rejects a \
manifest whose name does not match, so the deploy fails. The finding says which part \
is wrong and, where one can be derived, suggests a valid name (lowercased, `-` and `_` \
removed, stray separators dropped) that itself matches the pattern. \
Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) (`+kubebuilder:validation:Pattern` on an exposed scope's `name`) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17).",
    bad: "\
exposes:
  - name: \"/Vedtak-Historikk.read\"
    enabled: true
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtakhistorikk.read\"
    enabled: true
    product: \"arbeid\"",
};

/// The CRD pattern. Its nested quantifiers are harmless here: the `regex` crate
/// matches in linear time.
static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-zæøå0-9]+\/?)+(\:[a-zæøå0-9]+)*[a-zæøå0-9]+(\.[a-zæøå0-9]+)*$")
        .expect("valid regex")
});

/// Whether `name` matches the CRD pattern.
pub fn is_valid(name: &str) -> bool {
    PATTERN.is_match(name)
}

fn is_part_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, 'æ' | 'ø' | 'å')
}

fn is_separator(c: char) -> bool {
    matches!(c, '/' | ':' | '.')
}

/// Up to five distinct characters, each in backticks.
fn listed(chars: impl Iterator<Item = char>) -> String {
    // Bounded, so that a long name of distinct characters stays linear.
    let mut seen: Vec<char> = Vec::new();
    for c in chars {
        if !seen.contains(&c) {
            seen.push(c);
            if seen.len() > 5 {
                break;
            }
        }
    }
    let more = seen.len() > 5;
    let mut parts: Vec<String> = seen.iter().take(5).map(|c| format!("`{c}`")).collect();
    if more {
        parts.push("…".to_owned());
    }
    parts.join(", ")
}

/// What is wrong with a name that does not match, as one clause for a message.
fn problems(name: &str) -> String {
    if name.is_empty() {
        return "it is empty".to_owned();
    }
    let mut contains = Vec::new();
    if name.chars().any(char::is_uppercase) {
        // Naming the letters helps find them in a mixed-case name; in capitals it is noise.
        let upper = listed(name.chars().filter(|c| c.is_uppercase()));
        contains.push(if name.chars().any(char::is_lowercase) {
            format!("uppercase letters ({upper})")
        } else {
            "uppercase letters".to_owned()
        });
    }
    for (c, what) in [('-', "`-`"), ('_', "`_`")] {
        if name.contains(c) {
            contains.push(what.to_owned());
        }
    }
    if name.chars().any(char::is_whitespace) {
        contains.push("whitespace".to_owned());
    }
    let other = |c: &char| {
        !is_part_char(*c)
            && !is_separator(*c)
            && !c.is_uppercase()
            && !c.is_whitespace()
            && !matches!(c, '-' | '_')
    };
    if name.chars().any(|c| other(&c)) {
        contains.push(format!(
            "characters other than a-z, æøå, 0-9, `/`, `:` and `.` ({})",
            listed(name.chars().filter(other))
        ));
    }
    if name.contains("//") {
        contains.push("`//`".to_owned());
    }
    let mut clauses = Vec::new();
    if !contains.is_empty() {
        clauses.push(format!("it contains {}", join_and(&contains)));
    }
    if name.starts_with('/') {
        clauses.push("it starts with `/`".to_owned());
    }
    if name.ends_with('/') {
        clauses.push("it ends with `/`".to_owned());
    }
    if let Some(empty) = empty_part(name) {
        clauses.push(empty);
    }
    if clauses.is_empty() {
        clauses.push(order_problem(name));
    }
    clauses.join("; ")
}

/// An empty part made by `.` or `:` (`//` is reported on its own).
fn empty_part(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    if let Some(&c @ ('.' | ':')) = chars.first() {
        return Some(format!("it has an empty part before the leading `{c}`"));
    }
    if let Some(&c @ ('.' | ':')) = chars.last() {
        return Some(format!("it has an empty part after the trailing `{c}`"));
    }
    chars
        .windows(2)
        .find(|w| is_separator(w[0]) && is_separator(w[1]) && !(w[0] == '/' && w[1] == '/'))
        .map(|w| format!("it has an empty part (`{}{}`)", w[0], w[1]))
}

/// Why a name made only of valid characters and single separators still fails.
fn order_problem(name: &str) -> String {
    let first_colon_or_dot = name.find([':', '.']);
    if let Some(i) = first_colon_or_dot
        && name[i..].contains('/')
    {
        return "it has `/` after a `:` or `.` (the pattern wants the `/`-separated parts first, then `:`, then `.`)"
            .to_owned();
    }
    if let Some(i) = name.find('.')
        && name[i..].contains(':')
    {
        return "it has `:` after a `.` (the pattern wants the `/`-separated parts first, then `:`, then `.`)"
            .to_owned();
    }
    "the part before the first `.` is a single character not preceded by `/`, which the pattern does not allow"
        .to_owned()
}

/// A valid name derived from `name`, if the obvious repairs give one.
fn suggest(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        // A separator is kept only after a part, which drops leading ones and doubles.
        let after_part = out.chars().next_back().is_some_and(is_part_char);
        if is_part_char(c) || (is_separator(c) && after_part) {
            out.push(c);
        }
    }
    while out.ends_with(is_separator) {
        out.pop();
    }
    (out != name && is_valid(&out)).then_some(out)
}

impl Rule for InvalidName {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for name in mp.exposes.iter().filter_map(|e| e.name.as_ref()) {
            if is_valid(&name.value) {
                continue;
            }
            let message = format!(
                "name {:?} does not match the CRD pattern: {}",
                name.value,
                problems(&name.value)
            );
            let help = match suggest(&name.value) {
                Some(fixed) => format!(
                    "use lowercase letters, digits and æøå, with single `/`, `:` or `.` between parts: `name: \"{fixed}\"`"
                ),
                None => "use lowercase letters, digits and æøå, with single `/`, `:` or `.` between parts \
(`/`-parts first, then `:`, then `.`), e.g. `name: \"vedtak/historikk.read\"`"
                    .to_owned(),
            };
            out.push(Finding::new(&m.source, name.span, message).help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_valid, suggest};
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(name: &str) -> Vec<String> {
        findings("invalid-name", &exposing(name, ""))
    }

    #[test]
    fn the_pattern_is_the_crd_pattern() {
        for ok in [
            "some.scope.read",
            "some/scope.read",
            "sykepenger/afp.write",
            "ab:cd",
            "a/b",
            "trygdeopplysninger",
            "særavtale/øst.les",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "", "a", "a.b", "a:b", "/a", "a/", "a//b", "A", "a-b", "a_b", "a..b", "a.b/c",
            "ab.c:d", "a b",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn valid_names_pass() {
        assert!(lint("\"vedtak/historikk.read\"").is_empty());
        assert!(lint("\"særavtale.les\"").is_empty());
    }

    #[test]
    fn uppercase_and_dash_with_suggestion() {
        assert_eq!(
            lint("\"Vedtak-Historikk.read\""),
            [
                "11:17 name \"Vedtak-Historikk.read\" does not match the CRD pattern: it contains uppercase letters (`V`, `H`) and `-` | use lowercase letters, digits and æøå, with single `/`, `:` or `.` between parts: `name: \"vedtakhistorikk.read\"`"
            ]
        );
    }

    #[test]
    fn slashes_are_trimmed_and_collapsed() {
        let f = lint("\"/vedtak//historikk/\"");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].contains("it contains `//`; it starts with `/`; it ends with `/`"),
            "{}",
            f[0]
        );
        assert!(f[0].ends_with("`name: \"vedtak/historikk\"`"), "{}", f[0]);
    }

    #[test]
    fn underscore_empty_part_and_other_characters() {
        let f = lint("\"sak_status..read\"");
        assert!(
            f[0].contains("it contains `_`; it has an empty part (`..`)"),
            "{}",
            f[0]
        );
        assert!(f[0].ends_with("`name: \"sakstatus.read\"`"), "{}", f[0]);
        let f = lint("\"vedtak#read \"");
        assert!(f[0].contains("it contains whitespace and characters other than a-z, æøå, 0-9, `/`, `:` and `.` (`#`)"), "{}", f[0]);
        assert!(f[0].ends_with("`name: \"vedtakread\"`"), "{}", f[0]);
    }

    #[test]
    fn order_and_short_parts_are_explained_without_a_wrong_suggestion() {
        let f = lint("\"vedtak.read/v2\"");
        assert!(f[0].contains("it has `/` after a `:` or `.`"), "{}", f[0]);
        assert!(
            f[0].ends_with("e.g. `name: \"vedtak/historikk.read\"`"),
            "{}",
            f[0]
        );
        let f = lint("\"a.read\"");
        assert!(
            f[0].contains("the part before the first `.` is a single character"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn a_name_in_capitals_is_not_spelled_out() {
        let f = lint("\"ADRESSE-VEDTAK.WRITE\"");
        assert!(
            f[0].contains("it contains uppercase letters and `-`"),
            "{}",
            f[0]
        );
        assert!(
            f[0].ends_with("`name: \"adressevedtak.write\"`"),
            "{}",
            f[0]
        );
        let f = lint("\"Vedtak/Sak/Oppgave/Dokument/Journal/Historikk.read\"");
        assert!(
            f[0].contains("uppercase letters (`V`, `S`, `O`, `D`, `J`, …)"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn empty_name() {
        let f = lint("\"\"");
        assert!(
            f[0].contains("name \"\" does not match the CRD pattern: it is empty"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn suggestions_always_match_the_pattern() {
        for name in [
            "Ø-st",
            "x/",
            "--",
            "A.B",
            ":a:bc",
            "DAGPENGER/Vedtak_Read",
            "a.b:cd",
        ] {
            if let Some(s) = suggest(name) {
                assert!(is_valid(&s), "{name} -> {s}");
            }
        }
        assert_eq!(suggest("--"), None);
        assert_eq!(
            suggest("DAGPENGER/Vedtak_Read").as_deref(),
            Some("dagpenger/vedtakread")
        );
    }

    proptest::proptest! {
        #[test]
        fn every_invalid_name_is_explained_and_suggestions_are_valid(name in "\\PC{0,24}|[a-zA-ZæøåÆØÅ0-9/:._ -]{0,24}") {
            if !is_valid(&name) {
                proptest::prop_assert!(!super::problems(&name).is_empty());
            }
            if let Some(s) = suggest(&name) {
                proptest::prop_assert!(is_valid(&s), "{} -> {}", name, s);
            }
        }
    }

    #[test]
    fn long_names_of_distinct_characters_are_fast() {
        let name: String = (0x4e00u32..0x4e00 + 200_000)
            .filter_map(char::from_u32)
            .collect();
        let start = std::time::Instant::now();
        assert!(super::problems(&name).contains("…"));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn wrongly_typed_name_is_left_to_the_structural_rules() {
        assert!(lint("123").is_empty());
    }
}
