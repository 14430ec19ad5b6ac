//! `at-max-age-range`: `atMaxAge` must lie in 30..=680.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct AtMaxAgeRange;

static DOC: RuleDoc = RuleDoc {
    id: "at-max-age-range",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`atMaxAge` outside 30..=680",
    explanation: "\
`atMaxAge` is the longest lifetime, in seconds, of an access token issued for the \
scope (default 30). The MaskinportenClient CRD in nais/liberator sets minimum 30 and \
maximum 680, so the API server rejects any other value and the deploy fails. \
Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17): minimum and maximum of `atMaxAge`.",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    atMaxAge: 3600",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    atMaxAge: 680",
};

const MIN: i64 = 30;
const MAX: i64 = 680;

impl Rule for AtMaxAgeRange {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for age in mp.exposes.iter().filter_map(|e| e.at_max_age.as_ref()) {
            if (MIN..=MAX).contains(&age.value) {
                continue;
            }
            let (bound, word) = if age.value < MIN {
                (MIN, "below the minimum")
            } else {
                (MAX, "above the maximum")
            };
            out.push(
                Finding::new(
                    &m.source,
                    age.span,
                    format!(
                        "atMaxAge {} is {word} {bound}; the CRD allows 30 to 680 seconds",
                        age.value
                    ),
                )
                .help(format!("use a value from 30 to 680: `atMaxAge: {bound}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(age: &str) -> Vec<String> {
        findings(
            "at-max-age-range",
            &exposing("\"vedtak.read\"", &format!("          atMaxAge: {age}\n")),
        )
    }

    #[test]
    fn bounds_pass() {
        for age in ["30", "120", "680"] {
            assert!(lint(age).is_empty(), "{age}");
        }
    }

    #[test]
    fn out_of_range_fails_with_the_nearest_bound() {
        assert_eq!(
            lint("9000"),
            [
                "14:21 atMaxAge 9000 is above the maximum 680; the CRD allows 30 to 680 seconds | use a value from 30 to 680: `atMaxAge: 680`"
            ]
        );
        assert!(lint("29")[0].contains("atMaxAge 29 is below the minimum 30"));
        assert!(lint("-5")[0].ends_with("`atMaxAge: 30`"));
        assert_eq!(lint("681").len(), 1);
    }

    #[test]
    fn a_string_is_left_to_wrong_type() {
        assert!(lint("\"9000\"").is_empty());
    }
}
