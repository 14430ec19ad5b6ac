//! `--format json`: `{"diagnostics": [...], "summary": {...}}`.

use super::Region;
use crate::lint::Severity;
use crate::lint::runner::{Outcome, Summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Json<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

/// The whole outcome as one pretty-printed JSON object, written as it is
/// serialized.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let diagnostics = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let r = Region::of(d);
            JsonDiagnostic {
                rule: d.rule,
                severity: d.severity,
                message: &d.finding.message,
                help: d.finding.help.as_deref(),
                file: &d.finding.source.name,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
            }
        })
        .collect();
    let json = Json {
        diagnostics,
        summary: outcome.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

/// [`write`] into a string.
pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}
