//! `--format github`: GitHub Actions workflow commands, one per diagnostic,
//! which GitHub shows as annotations on the pull request diff.
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use super::Region;
use crate::lint::Severity;
use crate::lint::runner::Outcome;

/// `::error file=...,line=...::message` lines.
pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let r = Region::of(d);
        let mut message = d.finding.message.clone();
        if let Some(help) = &d.finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&d.finding.source.name),
            r.line,
            r.column,
            r.end_line,
            r.end_column,
            property(d.rule),
            data(&message)
        ));
    }
    out
}

/// Escaping of a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value: the message's, plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_does() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
