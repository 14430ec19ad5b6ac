//! `invalid-separator`: an explicit `separator` must be exactly `/`, `:` or `.`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct InvalidSeparator;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-separator",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`separator` is not exactly one of `/`, `:`, `.`",
    explanation: "\
The separator joins product and name into the subscope (`<product><separator><name>`). \
The MaskinportenClient CRD in nais/liberator allows exactly one character matching \
`^[\\/:.]$`, so anything else (including an empty string, two characters or a space) \
makes the API server reject the manifest and the deploy fails. Note that digdirator \
itself treats an empty separator as unset, but the CRD rejects it before digdirator \
sees it: leave the field out to get the default (`/` if the name contains `/`, else \
`:`). The nais docs recommend setting `separator: \"/\"` explicitly. \
Source: nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17) (pattern of `separator`); nais/digdirator `pkg/digdir/scopes/scope.go` (the default, 2026-03-03); nais/doc `docs/auth/maskinporten/reference/README.md` (the recommendation, 2026-01).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"//\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"",
};

const VALID: [&str; 3] = ["/", ":", "."];

/// The one valid separator the value was evidently meant to be: `" / "`, `"//"`.
fn meant(value: &str) -> Option<char> {
    let mut chars = value.chars().filter(|c| !c.is_whitespace());
    let first = chars.next()?;
    (matches!(first, '/' | ':' | '.') && chars.all(|c| c == first)).then_some(first)
}

impl Rule for InvalidSeparator {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for sep in mp.exposes.iter().filter_map(|e| e.separator.as_ref()) {
            if VALID.contains(&sep.value.as_str()) {
                continue;
            }
            let finding = if sep.value.is_empty() {
                Finding::new(
                    &m.source,
                    sep.span,
                    "separator \"\" is empty: digdirator would treat it as unset, but the CRD requires exactly one of \"/\", \":\" or \".\"",
                )
                .help("remove the `separator` line to get the default, or set it explicitly as the nais docs recommend: `separator: \"/\"`")
            } else {
                let f = Finding::new(
                    &m.source,
                    sep.span,
                    format!(
                        "separator {:?} is not exactly one of \"/\", \":\" or \".\"",
                        sep.value
                    ),
                );
                match meant(&sep.value) {
                    Some(c) => f.help(format!("write the single character: `separator: \"{c}\"`")),
                    None => f.help("use one of \"/\", \":\" or \".\"; the nais docs recommend `separator: \"/\"`"),
                }
            };
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(sep: &str) -> Vec<String> {
        findings(
            "invalid-separator",
            &exposing("\"vedtak.read\"", &format!("          separator: {sep}\n")),
        )
    }

    #[test]
    fn valid_separators_pass() {
        for sep in ["\"/\"", "\":\"", "\".\"", "/", "'.'"] {
            assert!(lint(sep).is_empty(), "{sep}");
        }
    }

    #[test]
    fn empty_separator_is_rejected_by_the_crd() {
        assert_eq!(
            lint("\"\""),
            [
                "14:22 separator \"\" is empty: digdirator would treat it as unset, but the CRD requires exactly one of \"/\", \":\" or \".\" | remove the `separator` line to get the default, or set it explicitly as the nais docs recommend: `separator: \"/\"`"
            ]
        );
    }

    #[test]
    fn doubled_or_padded_separator_gets_the_single_character() {
        assert!(lint("\"//\"")[0].ends_with("`separator: \"/\"`"));
        assert!(lint("\" : \"")[0].ends_with("`separator: \":\"`"));
    }

    #[test]
    fn other_characters_get_the_recommendation() {
        let f = lint("\"-\"");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].contains("separator \"-\" is not exactly one of"),
            "{}",
            f[0]
        );
        assert!(
            f[0].ends_with("the nais docs recommend `separator: \"/\"`"),
            "{}",
            f[0]
        );
    }
}
