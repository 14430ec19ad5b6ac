//! `invalid-orgno`: a consumer's `orgno` must be exactly nine digits.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::{Field, Manifest};

pub struct InvalidOrgno;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-orgno",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`orgno` is not exactly 9 digits",
    explanation: "\
A consumer is identified by its Norwegian organisation number, which has nine digits. \
The MaskinportenClient CRD in nais/liberator validates `orgno` with `^\\d{9}$`, so the \
API server rejects anything else (spaces, a missing or extra digit) and the deploy \
fails. (An unquoted number is a different problem, reported by `wrong-type`.) \
Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) (pattern of a consumer's `orgno`) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17).",
    bad: "\
consumers:
  - orgno: \"889 640 782\"
    name: \"NAV\"",
    good: "\
consumers:
  - orgno: \"889640782\"
    name: \"NAV\"",
};

/// Every `orgno` of every exposed scope's consumers, in file order.
pub fn consumer_orgnos(m: &Manifest) -> impl Iterator<Item = &Field<String>> {
    m.maskinporten
        .iter()
        .flat_map(|mp| &mp.exposes)
        .flat_map(|e| &e.consumers)
        .filter_map(|c| c.orgno.as_ref())
}

pub fn is_nine_digits(s: &str) -> bool {
    s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Rule for InvalidOrgno {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        for orgno in consumer_orgnos(m) {
            let v = &orgno.value;
            if is_nine_digits(v) {
                continue;
            }
            let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
            let only_spacing = v
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '.'));
            let what = if !v.chars().all(|c| c.is_ascii_digit()) {
                "has characters other than the digits 0-9".to_owned()
            } else {
                format!("has {} digits", digits.len())
            };
            let f = Finding::new(
                &m.source,
                orgno.span,
                format!("orgno {v:?} {what}; an organisation number is exactly 9 digits"),
            );
            out.push(if only_spacing && digits.len() == 9 {
                f.help(format!("write the digits only: `orgno: \"{digits}\"`"))
            } else {
                f.help("use the consumer's 9-digit organisation number from Enhetsregisteret (brreg.no), quoted, e.g. `orgno: \"889640782\"`")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(orgno: &str) -> Vec<String> {
        findings(
            "invalid-orgno",
            &exposing(
                "\"vedtak.read\"",
                &format!("          consumers:\n            - orgno: {orgno}\n"),
            ),
        )
    }

    #[test]
    fn nine_digits_pass() {
        assert!(lint("\"889640782\"").is_empty());
        assert!(lint("\"123456789\"").is_empty());
    }

    #[test]
    fn spaced_number_gets_the_digits() {
        assert_eq!(
            lint("\"889 640 782\""),
            [
                "15:22 orgno \"889 640 782\" has characters other than the digits 0-9; an organisation number is exactly 9 digits | write the digits only: `orgno: \"889640782\"`"
            ]
        );
    }

    #[test]
    fn wrong_length() {
        let f = lint("\"88964078\"");
        assert!(f[0].contains("orgno \"88964078\" has 8 digits"), "{}", f[0]);
        assert!(f[0].contains("Enhetsregisteret"), "{}", f[0]);
        assert!(lint("\"\"")[0].contains("orgno \"\" has 0 digits"));
    }

    #[test]
    fn non_ascii_digits_are_not_digits() {
        assert_eq!(lint("\"٨٨٩٦٤٠٧٨٢\"").len(), 1);
    }

    #[test]
    fn unquoted_orgno_is_left_to_wrong_type() {
        assert!(lint("88964078").is_empty());
    }
}
