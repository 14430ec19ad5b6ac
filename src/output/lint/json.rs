//! `--format json`: `{"diagnostics": [...], "summary": {...}}`, with
//! `"unchecked": [{"file", "reason", "line", "column"}]`
//! and `"without_manifests": [file, ...]` between them when there is
//! something to say.

use super::Region;
use crate::lint::Severity;
use crate::lint::runner::{Outcome, Summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Json<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Only when there are some: the files that could not be checked, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unchecked: Vec<JsonUnchecked<'a>>,
    /// Only when there are some: the files checked that hold no manifest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    without_manifests: Vec<&'a str>,
    summary: Summary,
}

/// A file that could not be checked: `line` and `column` (1-based) are where
/// the problem is, `null` when it concerns the whole file.
#[derive(Serialize)]
struct JsonUnchecked<'a> {
    file: &'a str,
    reason: &'a str,
    line: Option<u32>,
    column: Option<u32>,
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
    /// Only when there are some: the other places the finding involves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
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
                related: d
                    .finding
                    .related
                    .iter()
                    .map(|rel| JsonRelated {
                        file: &rel.source.name,
                        line: rel.span.start.line.max(1),
                        column: rel.span.start.column.max(1),
                        message: &rel.message,
                    })
                    .collect(),
            }
        })
        .collect();
    let unchecked = outcome
        .unchecked
        .iter()
        .map(|e| JsonUnchecked {
            file: &e.file,
            reason: &e.message,
            line: e.pos.map(|p| p.line),
            column: e.pos.map(|p| p.column),
        })
        .collect();
    let json = Json {
        diagnostics,
        unchecked,
        without_manifests: outcome
            .without_manifests
            .iter()
            .map(String::as_str)
            .collect(),
        summary: outcome.summary,
    };
    crate::output::escape::to_json_writer(&mut *out, &json)?;
    out.write_all(b"\n")
}

/// [`write`] into a string.
pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}
