//! `--format github`: GitHub Actions workflow commands, one per diagnostic,
//! which GitHub shows as annotations on the pull request diff.
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use super::Region;
use crate::lint::Severity;
use crate::lint::runner::Outcome;
use crate::output::escape::{data, property};
use std::io::{self, Write};

/// `::error file=...,line=...::message` lines, then a notice on each template
/// whose line numbers are those of its rendered text, an error on each file
/// that could not be checked and a notice on each that holds no manifest.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
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
        // GitHub takes columns only for a span within one line. Its documentation
        // does not say whether `endColumn` is inclusive; it is sent one past the
        // span's last character, as SARIF defines it and as ruff's GitHub
        // output sends it, so that both formats point at the same characters.
        let (col, end_col) = if r.end_line == r.line {
            (
                format!(",col={}", r.column),
                format!(",endColumn={}", r.end_column),
            )
        } else {
            (String::new(), String::new())
        };
        writeln!(
            out,
            "::{command} file={},line={}{col},endLine={}{end_col},title={}::{}",
            property(&d.finding.source.name),
            r.line,
            r.end_line,
            property(d.rule),
            data(&message)
        )?;
    }
    for err in &outcome.unchecked {
        let at = err.pos.map_or(String::new(), |p| {
            format!(",line={},col={}", p.line, p.column)
        });
        writeln!(
            out,
            "::error file={}{at},title=maskscope::{}",
            property(&err.file),
            data(&format!("not checked: {}", err.message))
        )?;
    }
    for name in &outcome.without_manifests {
        writeln!(
            out,
            "::notice file={},title=maskscope::{}",
            property(name),
            data(super::NO_MANIFESTS)
        )?;
    }
    Ok(())
}

/// [`write`] into a string.
pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_only_within_one_line() {
        use crate::lint::{Diagnostic, Finding};
        use crate::source::SourceFile;
        use crate::yaml::{Pos, Span};
        let src = SourceFile::new("a.yaml", "a:\n  b: 1\n");
        let at = |offset, line, column| Pos {
            offset,
            line,
            column,
        };
        let diag = |end| Diagnostic {
            rule: "r",
            severity: Severity::Info,
            finding: Finding::new(
                &src,
                Span {
                    start: at(0, 1, 1),
                    end,
                },
                "m",
            ),
        };
        let outcome = Outcome {
            diagnostics: vec![diag(at(1, 1, 2)), diag(at(11, 3, 1))],
            ..Outcome::default()
        };
        assert_eq!(
            render(&outcome),
            "::notice file=a.yaml,line=1,col=1,endLine=1,endColumn=2,title=r::m\n\
             ::notice file=a.yaml,line=1,endLine=3,title=r::m\n"
        );
    }
}
