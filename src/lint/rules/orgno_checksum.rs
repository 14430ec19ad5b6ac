//! `orgno-checksum`: a nine-digit `orgno` whose modulus-11 check digit is wrong.

use super::docs_placeholder::ORGNO as PLACEHOLDER;
use super::invalid_orgno::{consumer_orgnos, is_nine_digits};
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct OrgnoChecksum;

static DOC: RuleDoc = RuleDoc {
    id: "orgno-checksum",
    severity: Severity::Warning,
    kind: Kind::Value,
    on_by_default: true,
    rejects: false,
    summary: "9-digit `orgno` with a wrong modulus-11 check digit (a typo or a placeholder)",
    explanation: "\
Norwegian organisation numbers (Enhetsregisteret, Brønnøysundregistrene) end in a \
modulus-11 check digit: weights 3, 2, 7, 6, 5, 4, 3, 2 over the first eight digits, \
r = sum mod 11, check digit 11 - r (0 when that is 11; no number has a remainder that \
gives 10). The CRD only checks `^\\d{9}$`, so a mistyped number deploys fine; DigDir \
then rejects the consumer at runtime, digdirator skips it, and the organisation \
silently gets no access. The docs' placeholder `123456789` also fails the check, but \
it is reported by `docs-placeholder` only. \
Source: Brønnøysundregistrene, the modulus-11 check digit of organisation numbers; nais/digdirator `controllers/common/scopes.go` (2026-07-27): an orgno DigDir rejects is skipped with the condition `InvalidExposedScopesConsumers`.",
    bad: "\
consumers:
  - orgno: \"889640783\"",
    good: "\
consumers:
  - orgno: \"889640782\"
    name: \"NAV\"",
};

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// The check digit the first eight digits call for, `None` if no number can start
/// with them. `digits` must be nine ASCII digits.
pub fn expected_check_digit(digits: &str) -> Option<u32> {
    let sum: u32 = digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        d => Some(d),
    }
}

impl Rule for OrgnoChecksum {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        for orgno in
            consumer_orgnos(m).filter(|o| is_nine_digits(&o.value) && o.value != PLACEHOLDER)
        {
            let v = &orgno.value;
            let last = u32::from(v.as_bytes()[8] - b'0');
            let why = match expected_check_digit(v) {
                Some(d) if d == last => continue,
                Some(d) => {
                    format!("its check digit is {last}, but the first eight digits call for {d}")
                }
                None => {
                    "no organisation number starts with these eight digits (the remainder gives 10)"
                        .to_owned()
                }
            };
            out.push(
                Finding::new(&m.source, orgno.span, format!("orgno {v:?} fails the modulus-11 check: {why}"))
                    .help("look the organisation up in Enhetsregisteret (brreg.no) and copy its number; DigDir rejects this one and the consumer gets no access"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expected_check_digit;
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(orgno: &str) -> Vec<String> {
        findings(
            "orgno-checksum",
            &exposing(
                "\"vedtak.read\"",
                &format!("          consumers:\n            - orgno: \"{orgno}\"\n"),
            ),
        )
    }

    #[test]
    fn check_digits_of_known_numbers() {
        assert_eq!(expected_check_digit("889640782"), Some(2));
        assert_eq!(expected_check_digit("123456789"), Some(5));
        for n in [
            "991825827",
            "974760673",
            "974774364",
            "981566378",
            "983887457",
            "974761076",
            "971526920",
            "938708606",
            "910967401",
        ] {
            assert!(lint(n).is_empty(), "{n}");
        }
    }

    #[test]
    fn the_docs_placeholder_is_left_to_docs_placeholder() {
        assert!(lint("123456789").is_empty());
    }

    #[test]
    fn a_typo_fails() {
        assert_eq!(
            lint("889640783"),
            [
                "15:22 orgno \"889640783\" fails the modulus-11 check: its check digit is 3, but the first eight digits call for 2 | look the organisation up in Enhetsregisteret (brreg.no) and copy its number; DigDir rejects this one and the consumer gets no access"
            ]
        );
    }

    #[test]
    fn remainder_one_has_no_valid_check_digit() {
        // 4 * 3 = 12, 12 mod 11 = 1, 11 - 1 = 10.
        let f = lint("400000000");
        assert!(
            f[0].contains("no organisation number starts with these eight digits"),
            "{}",
            f[0]
        );
    }

    #[test]
    fn other_lengths_are_left_to_invalid_orgno() {
        assert!(lint("12345678").is_empty());
        assert!(lint("12345678x").is_empty());
    }
}
