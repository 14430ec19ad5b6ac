//! `unknown-consumed-scope`: an application consumes one of the organisation's
//! own scopes that no manifest exposes, though an exposed one is nearly the same.

use crate::lint::exposure::{Consumption, Exposure};
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use std::sync::Arc;

pub struct UnknownConsumedScope;

static DOC: RuleDoc = RuleDoc {
    id: "unknown-consumed-scope",
    severity: Severity::Error,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "a consumed scope with the organisation's prefix that nothing exposes, next to one that is nearly the same",
    explanation: "\
A `consumes` entry names a fully qualified scope, exactly as Maskinporten knows it. \
digdirator builds the scopes an application exposes as \
`<prefix>:<product><separator><name>`, and the separator is easy to get wrong when \
the same scope is written by hand in `consumes`: `nav:oppfolgingsplan.v1.lps.write` \
is not `nav:oppfolgingsplan:v1.lps.write`. Maskinporten refuses a token for a scope \
that does not exist (or that the client has no access to), so the application fails \
at runtime although the deploy succeeds. The rule looks at consumed scopes with the \
organisation's own prefix (`nav:` unless configured) that none of the manifests \
linted together exposes, and reports one only when an exposed scope is the same up \
to separators (`/`, `:`, `.`) or within two edits of it, naming the scope that was \
meant. Without a close match it says nothing: the scope may be exposed from another \
repository. Entries that are not fully qualified are left to `invalid-consumed-scope`. \
Source: nais/digdirator `pkg/digdir/scopes/scope.go` (`<prefix>:<subscope>`, \
2026-03-03); nais/doc `docs/auth/maskinporten/how-to/consume.md` (consumes names the \
fully qualified scope).",
    bad: "\
# a.yaml
metadata:
  name: oppfolgingsplan-mottak
  namespace: team-esyfo
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"v1.lps.write\"
          enabled: true
          product: \"oppfolgingsplan\"
          consumers:
            - orgno: \"889640782\"
      consumes:
        - name: \"nav:oppfolgingsplan.v1.lps.write\"",
    good: "\
# a.yaml
metadata:
  name: oppfolgingsplan-mottak
  namespace: team-esyfo
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"v1.lps.write\"
          enabled: true
          product: \"oppfolgingsplan\"
          consumers:
            - orgno: \"889640782\"
      consumes:
        - name: \"nav:oppfolgingsplan:v1.lps.write\"",
};

/// The scope with every separator made the same.
fn without_separators(scope: &str) -> String {
    scope
        .chars()
        .map(|c| if matches!(c, '/' | ':' | '.') { '.' } else { c })
        .collect()
}

/// How close `exposed` is to `consumed`: 0 when only separators differ, else
/// the number of edits; `None` when too far apart to be a slip.
fn closeness(consumed: &str, exposed: &str) -> Option<usize> {
    if without_separators(consumed) == without_separators(exposed) {
        return Some(0);
    }
    let edits = strsim::osa_distance(consumed, exposed);
    (edits <= 2 && edits * 10 <= consumed.chars().count()).then_some(edits)
}

impl Rule for UnknownConsumedScope {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_consumed(
        &self,
        exposures: &[Exposure],
        consumed: &[Consumption],
        s: &Settings,
        out: &mut Vec<Finding>,
    ) {
        let own = format!("{}:", s.prefix);
        for c in consumed {
            if !c.scope.starts_with(&own) || c.scope.len() == own.len() {
                continue;
            }
            if exposures.iter().any(|e| e.scope == c.scope) {
                continue;
            }
            // The closest; among equals, one of the same file, else the first.
            let meant = exposures
                .iter()
                .filter_map(|e| closeness(&c.scope, &e.scope).map(|d| (d, e)))
                .min_by_key(|(d, e)| (*d, !Arc::ptr_eq(&e.source, &c.source)));
            let Some((distance, e)) = meant else { continue };
            let how = if distance == 0 {
                "differs from it only in separators"
            } else {
                "is nearly the same"
            };
            out.push(
                Finding::new(
                    &c.source,
                    c.at,
                    format!(
                        "{} consumes {:?}, which no manifest here exposes; {:?}, exposed by {} ({}:{}), {how}: a token request for {:?} fails",
                        c.app,
                        c.scope,
                        e.scope,
                        e.app(),
                        e.source.name,
                        e.at.start.line,
                        c.scope
                    ),
                )
                .help(format!("did you mean `name: \"{}\"`?", e.scope)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::closeness;
    use crate::lint::rules::test_support::findings;

    fn doc(exposes: &str, consumes: &str) -> String {
        format!(
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: mottak\n  namespace: team\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{exposes}\"\n          enabled: true\n          product: \"oppfolgingsplan\"\n          separator: \":\"\n          consumers:\n            - orgno: \"889640782\"\n      consumes:\n        - name: \"{consumes}\"\n"
        )
    }

    #[test]
    fn separators_and_slips_name_the_scope_meant() {
        assert_eq!(
            findings(
                "unknown-consumed-scope",
                &doc("v1.lps.write", "nav:oppfolgingsplan.v1.lps.write")
            ),
            [
                "18:17 team/mottak consumes \"nav:oppfolgingsplan.v1.lps.write\", which no manifest here exposes; \"nav:oppfolgingsplan:v1.lps.write\", exposed by team/mottak (t.yaml:11), differs from it only in separators: a token request for \"nav:oppfolgingsplan.v1.lps.write\" fails | did you mean `name: \"nav:oppfolgingsplan:v1.lps.write\"`?"
            ]
        );
        let slip = findings(
            "unknown-consumed-scope",
            &doc("v1.lps.write", "nav:oppfolgingsplan:v1.lps.wirte"),
        );
        assert_eq!(slip.len(), 1);
        assert!(slip[0].contains("is nearly the same"), "{slip:?}");
    }

    #[test]
    fn exposed_foreign_or_far_scopes_pass() {
        for consumes in [
            "nav:oppfolgingsplan:v1.lps.write",
            "skatt:oppfolgingsplan.v1.lps.write",
            "nav:helse/sykepenger.read",
        ] {
            assert!(
                findings("unknown-consumed-scope", &doc("v1.lps.write", consumes)).is_empty(),
                "{consumes}"
            );
        }
    }

    #[test]
    fn closeness_of_short_scopes_is_strict() {
        assert_eq!(closeness("nav:a:b", "nav:a/b"), Some(0));
        assert_eq!(closeness("nav:ab:c", "nav:ab:d"), None);
        assert_eq!(
            closeness("nav:arbeid:vedtak.read", "nav:arbeid:vedtak.reed"),
            Some(1)
        );
    }
}
