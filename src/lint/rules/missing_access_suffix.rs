//! `missing-access-suffix`: a scope name without an access-level postfix such as `.read`.

use super::invalid_name;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::resolve::resolve_entry;

pub struct MissingAccessSuffix;

static DOC: RuleDoc = RuleDoc {
    id: "missing-access-suffix",
    severity: Severity::Info,
    kind: Kind::Semantic,
    on_by_default: false,
    rejects: false,
    summary: "the name has no access-level postfix such as `.read`/`.write`",
    explanation: "\
Off by default: a style suggestion for new scopes, not a mistake. DigDir's guide for \
API providers suggests ending a subscope in a postfix that says which access it \
grants, such as `.read` or `.write`; the nais docs say only that a name \"may also \
contain a suffix\". The older advice that a scope without a postfix means read access \
(nais docs until 2024) is gone. Renaming a registered scope creates a new one and \
leaves its consumers on the old, so apply this only to scopes not yet registered. The \
rule accepts a last `.`-part of `read`, `write`, `readwrite`, `admin`, `les` or \
`skriv` (the Norwegian words are common in NAV scopes). Names that fail \
`invalid-name` are left to that rule. \
Source: nais/doc `docs/auth/maskinporten/reference/README.md` (2026-01); DigDir's \
guide for API providers in Maskinporten.",
    bad: "\
exposes:
  - name: \"vedtak\"
    enabled: true
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
};

/// Last `.`-parts that say which access a scope grants.
pub const ACCESS_WORDS: [&str; 6] = ["read", "write", "readwrite", "admin", "les", "skriv"];

impl Rule for MissingAccessSuffix {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let Some(name) = &e.name else { continue };
            let v = name.value.as_str();
            if !invalid_name::is_valid(v)
                || v.rsplit_once('.')
                    .is_some_and(|(_, last)| ACCESS_WORDS.contains(&last))
            {
                continue;
            }
            let what = resolve_entry(&s.prefix, e).map_or_else(
                |_| "the scope".to_owned(),
                |(_, _, r)| format!("{:?}", r.scope),
            );
            out.push(
                Finding::new(
                    &m.source,
                    name.span,
                    format!("name {v:?} has no access-level postfix such as \".read\" or \".write\", so {what} does not say which access it grants"),
                )
                .help(format!(
                    "for a scope not yet registered, end the name in the access it grants, e.g. `name: \"{v}.read\"`; a registered scope keeps its name (renaming creates a new scope and leaves its consumers on the old one)"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(name: &str) -> Vec<String> {
        findings(
            "missing-access-suffix",
            &exposing(&format!("\"{name}\""), ""),
        )
    }

    #[test]
    fn access_words_pass() {
        for name in [
            "vedtak.read",
            "vedtak/historikk.write",
            "sak.les",
            "sak.skriv",
            "admin.admin",
            "x/y.readwrite",
        ] {
            assert!(lint(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn names_without_postfix() {
        assert_eq!(
            lint("trygdeopplysninger"),
            [
                "11:17 name \"trygdeopplysninger\" has no access-level postfix such as \".read\" or \".write\", so \"nav:arbeid:trygdeopplysninger\" does not say which access it grants | for a scope not yet registered, end the name in the access it grants, e.g. `name: \"trygdeopplysninger.read\"`; a registered scope keeps its name (renaming creates a new scope and leaves its consumers on the old one)"
            ]
        );
        assert_eq!(lint("vedtak/read").len(), 1);
        assert_eq!(lint("vedtak.reader").len(), 1);
    }

    #[test]
    fn invalid_names_are_left_to_invalid_name() {
        assert!(lint("Vedtak").is_empty());
    }
}
