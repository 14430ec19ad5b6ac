//! `unknown-field`: a key the maskinporten block, `scopes`, an exposes entry, a
//! consumer or a consumes entry does not have.

use crate::lint::schema::Event;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::suggest;

pub struct UnknownField;

static DOC: RuleDoc = RuleDoc {
    id: "unknown-field",
    severity: Severity::Error,
    kind: Kind::Schema,
    summary: "a key that the maskinporten block, `scopes`, an exposes entry, a consumer or a consumes entry does not have",
    explanation: "\
The Kubernetes API server silently drops fields the CRD does not define (structural \
schema pruning), and the public nais JSON schema that `nais validate` uses does not \
forbid them either. A misspelled key therefore passes every check and the deploy \
succeeds, but the setting is gone: `seperator: \"/\"` leaves the separator unset, so \
the scope gets another name than intended, and digdirator registers a new scope \
instead of adopting the old one. Known keys: maskinporten `enabled`, `scopes`; \
scopes `consumes`, `exposes`; exposes entry `name`, `enabled`, `product`, \
`separator`, `atMaxAge`, `allowedIntegrations`, `accessibleForAll`, \
`delegationSource`, `visibility`, `consumers`; consumer `orgno`, `name`; consumes \
entry `name`. Source: nais/liberator, MaskinportenScope CRD types; Kubernetes \
documentation, \"Field pruning\" for custom resources.",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    seperator: \"/\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"",
};

impl Rule for UnknownField {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_schema(
        &self,
        m: &Manifest,
        events: &[Event<'_>],
        _: &Settings,
        out: &mut Vec<Finding>,
    ) {
        for &event in events {
            let Event::Unknown { entry, map } = event else {
                continue;
            };
            let key = entry.key.key_text().unwrap_or("");
            let mut f = Finding::new(
                &m.source,
                entry.key.span,
                format!("unknown field {key:?} in {}", map.what),
            );
            f = match suggest::closest(key, map.keys()) {
                Some(k) => f.help(format!(
                    "did you mean `{k}`? The cluster drops unknown fields silently"
                )),
                None => f.help(format!(
                    "remove it, the cluster drops it silently; {} has only {}",
                    map.what,
                    map.keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\n          enabled: true\n          product: \"arbeid\"\n          KEY: \"/\"\n";

    fn findings(key: &str) -> Vec<String> {
        check_text("t.yaml", &APP.replace("KEY", key), &Settings::default())
            .into_iter()
            .filter(|d| d.rule == "unknown-field")
            .map(|d| {
                let at = d.finding.span.start;
                format!(
                    "{}:{} {}",
                    at.line,
                    at.column,
                    d.finding.help.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(
            findings("seperator"),
            ["13:11 did you mean `separator`? The cluster drops unknown fields silently"]
        );
    }

    #[test]
    fn lists_the_keys_when_nothing_is_near() {
        let f = findings("zzz");
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("`separator`"), "{f:?}");
    }

    #[test]
    fn known_keys_pass() {
        assert!(findings("separator").is_empty());
    }
}
