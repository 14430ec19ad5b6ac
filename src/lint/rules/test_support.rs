//! Shared code for the unit tests of single rules: build a manifest around a
//! maskinporten block and collect one rule's findings in a comparable form.

use crate::lint::{Settings, check_text};

/// An Application `team-arbeid/vedtak-api` with `block` (the lines under
/// `spec:`, indented by two spaces) as its spec. Line 7 is the first line of `block`.
pub fn app(block: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: vedtak-api\n  namespace: team-arbeid\nspec:\n{block}"
    )
}

/// [`app`] exposing one entry: `name` (raw YAML, so quote it where a string is
/// meant), `enabled: true`, `product: "arbeid"`, then `rest`, the entry's further
/// lines (indented by ten spaces). Line 14 is the first line of `rest`.
pub fn exposing(name: &str, rest: &str) -> String {
    app(&format!(
        "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: {name}\n          enabled: true\n          product: \"arbeid\"\n{rest}"
    ))
}

/// `line:column message` (and ` | help` when there is one) for every finding of `rule`.
pub fn findings_with(rule: &str, text: &str, settings: &Settings) -> Vec<String> {
    located(rule, text, settings, true)
}

/// [`findings_with`] under default settings.
pub fn findings(rule: &str, text: &str) -> Vec<String> {
    findings_with(rule, text, &Settings::default())
}

/// `line:column message` for every finding of `rule`, without the help.
pub fn messages(rule: &str, text: &str) -> Vec<String> {
    located(rule, text, &Settings::default(), false)
}

fn located(rule: &str, text: &str, settings: &Settings, with_help: bool) -> Vec<String> {
    check_text("t.yaml", text, settings)
        .into_iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            let f = d.finding;
            let mut s = format!(
                "{}:{} {}",
                f.span.start.line, f.span.start.column, f.message
            );
            if let Some(h) = f.help.filter(|_| with_help) {
                s.push_str(" | ");
                s.push_str(&h);
            }
            s
        })
        .collect()
}
