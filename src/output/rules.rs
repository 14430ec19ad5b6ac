//! The output of `maskscope rules`: the table of every rule, and one rule's
//! full documentation (also the help text of rules in SARIF), for people or
//! as JSON.

use crate::lint::{Kind, RuleDoc, rules};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

/// What the deploy does with a resource that has an error of the rule
/// (see [`RuleDoc::rejects`]).
pub fn deploy_line(d: &RuleDoc) -> &'static str {
    match (d.rejects, d.kind) {
        (true, Kind::Yaml) => {
            "The deploy fails: nais deploy cannot read the file, and the cluster keeps the version it had."
        }
        (true, _) => {
            "The deploy fails: the API server rejects the resource, and the cluster keeps the version it had."
        }
        (false, _) => "The deploy accepts it.",
    }
}

/// Every rule with its kind, default severity and summary, as a table.
pub fn list(on_terminal: bool) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["rule", "kind", "severity", "default", "finds"]);
    if !on_terminal {
        t.force_no_tty();
    }
    for rule in rules::all() {
        let d = rule.doc();
        let default = if d.on_by_default { "on" } else { "off" };
        // A mark, not a column: the table fits 80 columns as it is.
        let severity = format!(
            "{}{}",
            d.severity.as_str(),
            if d.rejects { "*" } else { "" }
        );
        t.add_row([d.id, d.kind.as_str(), &severity, default, d.summary]);
    }
    format!(
        "{t}\n* The deploy fails on such an error: nais deploy or the API server rejects\n  \
         the resource, and the cluster keeps the version it had.\nRules marked off run only when \
         chosen: `--select RULE`, or `select` or a severity in maskscope.toml.\n\
         `maskscope rules RULE` explains a rule.\n"
    )
}

/// One rule's full documentation.
pub fn explain(d: &RuleDoc) -> String {
    format!(
        "{} ({} rule, {} by default{})\n{}\n{}\n\n{}\n\nFails:\n\n{}\n\nFixed:\n\n{}\n",
        d.id,
        d.kind.as_str(),
        d.severity.as_str(),
        if d.on_by_default {
            ""
        } else {
            "; off unless selected"
        },
        d.summary,
        deploy_line(d),
        wrap(d.explanation, 80),
        indent(d.bad),
        indent(d.good)
    )
}

/// A rule as `maskscope rules --format json` gives it.
#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    kind: &'a str,
    severity: &'a str,
    on_by_default: bool,
    rejects: bool,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bad: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    good: Option<&'a str>,
}

impl<'a> JsonRule<'a> {
    fn of(d: &'a RuleDoc, full: bool) -> Self {
        JsonRule {
            id: d.id,
            kind: d.kind.as_str(),
            severity: d.severity.as_str(),
            on_by_default: d.on_by_default,
            rejects: d.rejects,
            summary: d.summary,
            explanation: full.then_some(d.explanation),
            bad: full.then_some(d.bad),
            good: full.then_some(d.good),
        }
    }
}

/// Every rule as a JSON array, without the long texts.
pub fn list_json() -> String {
    let all = rules::all();
    let rows: Vec<JsonRule> = all.iter().map(|r| JsonRule::of(r.doc(), false)).collect();
    json(&rows, "[]")
}

/// One rule's full documentation as a JSON object.
pub fn explain_json(d: &RuleDoc) -> String {
    json(&JsonRule::of(d, true), "{}")
}

fn json(value: &impl Serialize, empty: &str) -> String {
    let mut text =
        crate::output::escape::to_json_string(value).unwrap_or_else(|_| empty.to_owned());
    text.push('\n');
    text
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Break text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc");
        assert_eq!(wrap("a  b\nc", 80), "a b c");
    }
}
