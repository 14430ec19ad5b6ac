//! `implicit-separator`: no `separator`, so digdirator's default decides the scope.

use super::support::{crd_valid, exposes_node};
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::naming;
use crate::resolve::resolve_entry;

pub struct ImplicitSeparator;

static DOC: RuleDoc = RuleDoc {
    id: "implicit-separator",
    severity: Severity::Info,
    kind: Kind::Semantic,
    summary: "no `separator`: digdirator's default applies",
    explanation: "\
Without a separator, digdirator (nais/digdirator) joins product and name with `/` if the \
name contains `/`, else with `:`. So renaming `vedtak.read` to `vedtak/les` silently \
moves the scope from `nav:arbeid:vedtak.read` to `nav:arbeid/vedtak/les`, and readers \
have to know the rule to tell which scope a manifest exposes. The current nais docs \
recommend always setting `separator: \"/\"`. For a scope already registered with `:`, \
write `separator: \":\"` instead: a changed separator creates a new scope in \
Maskinporten rather than adopting the old one. The finding says which default applied \
and what the scope is; it stays quiet while the product or name is invalid. \
Source: nais/digdirator (the default separator); the nais docs (recommend `separator: \"/\"`).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"",
};

impl Rule for ImplicitSeparator {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            // A separator of the wrong type, or empty, is another rule's finding.
            if exposes_node(m, e).is_some_and(|n| n.get("separator").is_some_and(|v| !v.is_null()))
            {
                continue;
            }
            if !crd_valid(e) {
                continue;
            }
            let Ok((product, name, r)) = resolve_entry(&s.prefix, e) else {
                continue;
            };
            let why = if r.separator == "/" {
                "the name contains \"/\""
            } else {
                "the name has no \"/\""
            };
            let help = if r.separator == "/" {
                "write `separator: \"/\"` to make it explicit, as the nais docs recommend; the scope stays the same".to_owned()
            } else {
                format!(
                    "the nais docs recommend `separator: \"/\"` (the scope becomes {:?}); if the scope is already registered, write `separator: \":\"` to keep it",
                    naming::resolve(&s.prefix, product, name, Some("/")).scope
                )
            };
            out.push(
                Finding::new(
                    &m.source,
                    e.anchor(),
                    format!("no separator set: digdirator uses {:?} because {why}, so the scope is {:?}", r.separator, r.scope),
                )
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, exposing, findings};

    fn lint(name: &str, extra: &str) -> Vec<String> {
        findings(
            "implicit-separator",
            &exposing(&format!("\"{name}\""), extra),
        )
    }

    #[test]
    fn colon_default() {
        assert_eq!(
            lint("vedtak.read", ""),
            [
                "11:11 no separator set: digdirator uses \":\" because the name has no \"/\", so the scope is \"nav:arbeid:vedtak.read\" | the nais docs recommend `separator: \"/\"` (the scope becomes \"nav:arbeid/vedtak.read\"); if the scope is already registered, write `separator: \":\"` to keep it"
            ]
        );
    }

    #[test]
    fn slash_default() {
        assert_eq!(
            lint("vedtak/historikk.read", ""),
            [
                "11:11 no separator set: digdirator uses \"/\" because the name contains \"/\", so the scope is \"nav:arbeid/vedtak/historikk.read\" | write `separator: \"/\"` to make it explicit, as the nais docs recommend; the scope stays the same"
            ]
        );
    }

    #[test]
    fn quiet_while_product_or_name_is_invalid() {
        assert!(lint("Vedtak.read", "").is_empty());
        let block = "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: true\n          product: \"Arbeid\"\n";
        assert!(findings("implicit-separator", &app(block)).is_empty());
    }

    #[test]
    fn explicit_or_broken_separators_are_not_implicit() {
        assert!(lint("vedtak.read", "          separator: \":\"\n").is_empty());
        assert!(lint("vedtak.read", "          separator: \"\"\n").is_empty());
        assert!(lint("vedtak.read", "          separator: 1\n").is_empty());
    }
}
