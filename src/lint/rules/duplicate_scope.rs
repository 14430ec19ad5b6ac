//! `duplicate-scope`: two exposes entries of one application resolve to the same scope.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::{ExposedScope, Manifest};
use crate::resolve::resolve_entry;
use std::collections::HashMap;

pub struct DuplicateScope;

static DOC: RuleDoc = RuleDoc {
    id: "duplicate-scope",
    severity: Severity::Error,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "two exposes entries of one application resolve to the same scope",
    explanation: "\
digdirator (nais/digdirator) turns each exposes entry into a scope \
`<prefix>:<product><separator><name>` and matches it to the Maskinporten registration by \
subscope. When two entries give the same scope (the same product, name and effective \
separator, for example once with `separator: \":\"` and once without), it does not \
complain: the last entry wins and the earlier one is silently ignored, with its \
consumers, `atMaxAge` and other settings. The finding points at the later entry, the \
one that takes effect, and names the line of the earlier one. Entries without a product \
or name are not compared; `missing-field` reports them. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): entries are processed in order and matched by subscope, so the last one wins.",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    consumers:
      - orgno: \"889640782\"
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \":\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \":\"
    consumers:
      - orgno: \"889640782\"",
};

impl Rule for DuplicateScope {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        let mut seen: HashMap<String, &ExposedScope> = HashMap::new();
        for e in &mp.exposes {
            let Ok((_, _, resolved)) = resolve_entry(&s.prefix, e) else {
                continue;
            };
            let Some(earlier) = seen.insert(resolved.scope.clone(), e) else {
                continue;
            };
            out.push(
                Finding::new(
                    &m.source,
                    e.anchor(),
                    format!(
                        "scope {:?} is exposed twice: the entry at line {} resolves to the same scope; digdirator uses this later entry and silently ignores the earlier one",
                        resolved.scope,
                        earlier.anchor().start.line
                    ),
                )
                .help("keep one entry per scope: merge the consumers and settings of both into one and delete the other"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, findings};

    fn lint(entries: &str) -> Vec<String> {
        findings(
            "duplicate-scope",
            &app(&format!(
                "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n{entries}"
            )),
        )
    }

    const A: &str =
        "        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n";

    #[test]
    fn distinct_scopes_pass() {
        let b = "        - name: \"vedtak.write\"\n          enabled: true\n          product: \"arbeid\"\n";
        let c = "        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n          separator: \"/\"\n";
        assert!(lint(&format!("{A}{b}{c}")).is_empty());
    }

    #[test]
    fn default_and_explicit_colon_collide_at_the_later_entry() {
        let b = "        - name: \"vedtak.read\"\n          enabled: false\n          product: \"arbeid\"\n          separator: \":\"\n";
        assert_eq!(
            lint(&format!("{A}{b}")),
            [
                "14:11 scope \"nav:arbeid:vedtak.read\" is exposed twice: the entry at line 11 resolves to the same scope; digdirator uses this later entry and silently ignores the earlier one | keep one entry per scope: merge the consumers and settings of both into one and delete the other"
            ]
        );
    }

    #[test]
    fn a_third_copy_names_the_one_before_it() {
        let f = lint(&format!("{A}{A}{A}"));
        assert_eq!(f.len(), 2);
        assert!(
            f[1].starts_with("17:11 ") && f[1].contains("the entry at line 14"),
            "{}",
            f[1]
        );
    }

    #[test]
    fn entries_without_product_are_not_compared() {
        let b = "        - name: \"vedtak.read\"\n          enabled: true\n";
        assert!(lint(&format!("{b}{b}")).is_empty());
    }
}
