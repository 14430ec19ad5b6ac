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
    on_by_default: true,
    rejects: true,
    summary: "a key that the maskinporten block, `scopes`, an exposes entry, a consumer or a consumes entry does not have",
    explanation: "\
nais deploy sends every resource to the API server with strict field validation, so a \
key the CRD does not define fails the deploy with \"strict decoding error: unknown \
field\": a misspelled `seperator: \"/\"` stops the deploy rather than being dropped. \
(Applied some other way, with kubectl's default or an older deploy, the field is pruned \
silently and the scope gets another name than intended.) The public nais JSON schema \
that `nais validate` uses forbids unknown keys only directly under `maskinporten` and \
`scopes`, not inside exposes, consumers or consumes items, so this catches what it \
misses, before the deploy. Known keys: maskinporten `enabled`, `scopes`; scopes \
`consumes`, `exposes`; exposes entry `name`, `enabled`, `product`, `separator`, \
`atMaxAge`, `allowedIntegrations`, `accessibleForAll`, `delegationSource`, \
`visibility`, `consumers`; consumer `orgno`, `name`; consumes entry `name`. \
Source: nais/deploy `pkg/deployd/strategy/deploy.go` (`FieldValidation: Strict`, \
39fa515, 2024-01-09); nais/liberator `pkg/apis/nais.io/v1/maskinportenclient_types.go` \
(2026-07).",
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
                    "did you mean `{k}`? nais deploy rejects an unknown field (\"strict decoding error\")"
                )),
                None => f.help(format!(
                    "remove it: nais deploy rejects an unknown field (\"strict decoding error\"); {} has only {}",
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
            [
                "13:11 did you mean `separator`? nais deploy rejects an unknown field (\"strict decoding error\")"
            ]
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
