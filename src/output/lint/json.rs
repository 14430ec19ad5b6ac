//! `--format json`: `{"diagnostics": [...], "summary": {...}}`, with
//! `"notes": [...]` between them when there is something to say.

use super::Region;
use crate::lint::Severity;
use crate::lint::runner::{Outcome, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Only when there is something to say: templates whose line numbers are
    /// those of their rendered text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
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

/// The whole outcome as one pretty-printed JSON object.
pub fn render(outcome: &Outcome) -> String {
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
    let notes = super::moved_files(outcome)
        .into_iter()
        .map(crate::output::moved_lines_message)
        .collect();
    let mut out = serde_json::to_string_pretty(&Json {
        diagnostics,
        notes,
        summary: outcome.summary,
    })
    .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    out.push('\n');
    out
}
