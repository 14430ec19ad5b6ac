//! The formats of `maskscope migrate-check`: a table for people, JSON for tools.

use super::escape::text;
use crate::migrate::check::{Report, Status};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::Serialize;

/// Width of the table when not on a terminal, so that piped output and logs
/// wrap the same way everywhere.
const PIPE_WIDTH: u16 = 120;

/// One row per registration with its findings, the new scopes, a summary
/// line; values read from input escaped ([`text`]).
pub fn table(report: &Report<'_>, on_terminal: bool, color: bool) -> String {
    let mut out = String::new();
    if report.outcomes.is_empty() {
        out.push_str("no registrations\n");
    } else {
        let mut t = new_table(on_terminal, ["scope", "app", "status", "findings"]);
        for o in &report.outcomes {
            let app = o
                .app
                .map_or("-".to_owned(), |m| text(&m.app()).into_owned());
            let mut status = Cell::new(o.status.as_str());
            if color {
                status = status.fg(match o.status {
                    Status::Ready => Color::Green,
                    Status::Warning => Color::Yellow,
                    Status::Blocked => Color::Red,
                    Status::Unchecked => Color::Grey,
                });
            }
            let mut findings: Vec<String> = o
                .findings
                .iter()
                .map(|f| {
                    format!(
                        "{} {}: {}",
                        f.severity().as_str(),
                        f.check.id(),
                        text(&f.finding.message)
                    )
                })
                .collect();
            findings.extend(o.reason.as_deref().map(|r| text(r).into_owned()));
            t.add_row(vec![
                Cell::new(text(&o.registration.scope())),
                Cell::new(app),
                status,
                Cell::new(findings.join("\n")),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if report.new_scopes.is_empty() {
        out.push_str("no new scopes\n");
    } else {
        out.push_str("new scopes (the deploy creates them):\n");
        let mut t = new_table(on_terminal, ["scope", "app", "location"]);
        for s in &report.new_scopes {
            t.add_row(vec![
                text(&s.scope).into_owned(),
                text(&s.manifest.app()).into_owned(),
                format!(
                    "{}:{}",
                    text(&s.manifest.source.name),
                    s.entry.span.start.line
                ),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out.push_str(&summary(report));
    out
}

fn new_table<const N: usize>(on_terminal: bool, header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    if !on_terminal {
        t.force_no_tty().set_width(PIPE_WIDTH);
    }
    t
}

fn summary(report: &Report<'_>) -> String {
    let n = report.outcomes.len();
    let new = report.new_scopes.len();
    let unchecked = match report.count(Status::Unchecked) {
        0 => String::new(),
        u => format!(", {u} unchecked (a manifest could not be read)"),
    };
    format!(
        "{n} registration{}: {} ready, {} warning, {} blocked{unchecked}; {new} new scope{}\n",
        if n == 1 { "" } else { "s" },
        report.count(Status::Ready),
        report.count(Status::Warning),
        report.count(Status::Blocked),
        if new == 1 { "" } else { "s" },
    )
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonReport<'a> {
    registrations: Vec<JsonRegistration<'a>>,
    new_scopes: Vec<JsonNewScope<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonRegistration<'a> {
    scope: String,
    description: &'a str,
    status: Status,
    app: Option<String>,
    file: Option<&'a str>,
    line: Option<u32>,
    findings: Vec<JsonFinding<'a>>,
    /// Why it is unchecked.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    check: &'static str,
    severity: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonNewScope<'a> {
    scope: &'a str,
    app: String,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct JsonSummary {
    ready: usize,
    warning: usize,
    blocked: usize,
    /// Registrations that a manifest that could not be read may take over.
    #[serde(skip_serializing_if = "is_zero")]
    unchecked: usize,
}

/// `{"registrations": [...], "new_scopes": [...], "summary": {...}}`.
pub fn json(report: &Report<'_>) -> String {
    let doc = JsonReport {
        registrations: report
            .outcomes
            .iter()
            .map(|o| JsonRegistration {
                scope: o.registration.scope(),
                description: &o.registration.description.value,
                status: o.status,
                app: o.app.map(|m| m.app()),
                file: o.app.map(|m| m.source.name.as_str()),
                line: o.entry.map(|e| e.span.start.line),
                findings: o
                    .findings
                    .iter()
                    .map(|f| JsonFinding {
                        check: f.check.id(),
                        severity: f.severity().as_str(),
                        message: &f.finding.message,
                    })
                    .collect(),
                reason: o.reason.as_deref(),
            })
            .collect(),
        new_scopes: report
            .new_scopes
            .iter()
            .map(|s| JsonNewScope {
                scope: &s.scope,
                app: s.manifest.app(),
                file: &s.manifest.source.name,
                line: s.entry.span.start.line,
            })
            .collect(),
        summary: JsonSummary {
            ready: report.count(Status::Ready),
            warning: report.count(Status::Warning),
            blocked: report.count(Status::Blocked),
            unchecked: report.count(Status::Unchecked),
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
