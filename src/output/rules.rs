//! The output of `maskscope rules`: the table of every rule, and one rule's
//! full documentation (also the help text of rules in SARIF).

use crate::lint::{RuleDoc, rules};
use comfy_table::{ContentArrangement, Table, presets};

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
        t.add_row([
            d.id,
            d.kind.as_str(),
            d.severity.as_str(),
            default,
            d.summary,
        ]);
    }
    format!(
        "{t}\nRules marked off run only when chosen: `--select RULE`, or `select` or a \
         severity in maskscope.toml.\n`maskscope rules RULE` explains a rule.\n"
    )
}

/// One rule's full documentation.
pub fn explain(d: &RuleDoc) -> String {
    format!(
        "{} ({} rule, {} by default{})\n{}\n\n{}\n\nFails:\n\n{}\n\nFixed:\n\n{}\n",
        d.id,
        d.kind.as_str(),
        d.severity.as_str(),
        if d.on_by_default {
            ""
        } else {
            "; off unless selected"
        },
        d.summary,
        wrap(d.explanation, 80),
        indent(d.bad),
        indent(d.good)
    )
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
