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
    on_by_default: false,
    rejects: false,
    summary: "no `separator`: digdirator's default applies",
    explanation: "\
Off by default: a scope without `separator` is not a mistake, and most long-registered \
scopes have none. Without a separator, digdirator joins product and name with `/` if \
the name contains `/`, else with `:`, so renaming `vedtak.read` to `vedtak/les` also \
moves the scope from `nav:arbeid:vedtak.read` to `nav:arbeid/vedtak/les`, and a reader \
has to know the rule to tell which scope a manifest exposes. digdirator adopts an \
existing registration by its subscope alone, so a changed separator is a new scope: a \
new registration is created, and the old one stays active with its consumers. An \
existing scope must therefore keep the separator it was registered with; the help \
suggests writing the current one explicitly, which changes nothing. The nais docs \
recommend `separator: \"/\"` for new scopes only. The rule stays quiet while the \
product or name is invalid. \
Source: nais/digdirator `pkg/digdir/scopes/scope.go` (`Subscope`, the default \
separator, 2026-03-03) and `controllers/common/scopes.go` (adoption by subscope since d6f01cc, \
2024-03-13; 2026-07-27); nais/doc `docs/auth/maskinporten/reference/README.md` (2026-01).",
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
    separator: \":\"",
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
                "write `separator: \"/\"` to make it explicit; the scope stays the same".to_owned()
            } else {
                format!(
                    "write `separator: \":\"` to make it explicit; the scope stays the same. Only for a scope not yet registered, the nais docs recommend `separator: \"/\"` (it would be {:?}, a new scope: a registered one keeps its consumers on the old name)",
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
                "11:11 no separator set: digdirator uses \":\" because the name has no \"/\", so the scope is \"nav:arbeid:vedtak.read\" | write `separator: \":\"` to make it explicit; the scope stays the same. Only for a scope not yet registered, the nais docs recommend `separator: \"/\"` (it would be \"nav:arbeid/vedtak.read\", a new scope: a registered one keeps its consumers on the old name)"
            ]
        );
    }

    #[test]
    fn slash_default() {
        assert_eq!(
            lint("vedtak/historikk.read", ""),
            [
                "11:11 no separator set: digdirator uses \"/\" because the name contains \"/\", so the scope is \"nav:arbeid/vedtak/historikk.read\" | write `separator: \"/\"` to make it explicit; the scope stays the same"
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
