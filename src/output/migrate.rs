//! The formats of `maskscope migrate-check`: a table for people, JSON for tools.

use super::escape::text;
use super::fit::{Column, Cut, Grid};
use crate::migrate::check::{Report, Status};
use comfy_table::Color;
use serde::Serialize;

/// Width of the table when not on a terminal, so that piped output and logs
/// wrap the same way everywhere.
const PIPE_WIDTH: usize = 120;

/// How the registrations' columns fit: findings wrap at spaces (a scope in a
/// message stays whole), apps lose their start, then one block per
/// registration ([`fit`](super::fit)). Scopes stay whole.
const REGISTRATIONS: [Column; 4] = [
    Column::new("scope", Cut::Never),
    Column::new("app", Cut::Start(12)),
    Column::new("status", Cut::Never),
    Column::new("findings", Cut::Wrap(24)),
];

const NEW_SCOPES: [Column; 3] = [
    Column::new("scope", Cut::Never),
    Column::new("app", Cut::Start(12)),
    Column::new("location", Cut::Start(16)),
];

/// One row per registration with its findings, the new scopes, a summary
/// line; values read from input escaped ([`text`]). `width`: the
/// terminal's; when unknown or not a terminal, [`PIPE_WIDTH`].
pub fn table(report: &Report<'_>, width: Option<usize>, color: bool) -> String {
    let width = Some(width.unwrap_or(PIPE_WIDTH));
    let mut out = String::new();
    if report.outcomes.is_empty() {
        out.push_str("no registrations\n");
    } else {
        let mut rows = Vec::new();
        let mut colour = Vec::new();
        for o in &report.outcomes {
            let app = o
                .app
                .map_or("-".to_owned(), |m| text(&m.app()).into_owned());
            colour.push(Some((
                2,
                match o.status {
                    Status::Ready => Color::Green,
                    Status::Warning => Color::Yellow,
                    Status::Blocked => Color::Red,
                    Status::Unchecked => Color::Grey,
                },
            )));
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
            rows.push(vec![
                text(&o.registration.scope()).into_owned(),
                app,
                o.status.as_str().to_owned(),
                findings.join("\n"),
            ]);
        }
        let grid = Grid {
            columns: &REGISTRATIONS,
            rows,
            colour,
            title: 0,
        };
        out.push_str(&format!("{}\n", grid.render(width, color)));
    }
    if report.new_scopes.is_empty() {
        out.push_str("no new scopes\n");
    } else {
        out.push_str("new scopes (the deploy creates them):\n");
        let rows: Vec<Vec<String>> = report
            .new_scopes
            .iter()
            .map(|s| {
                vec![
                    text(&s.scope).into_owned(),
                    text(&s.manifest.app()).into_owned(),
                    format!(
                        "{}:{}",
                        text(&s.manifest.source.name),
                        s.entry.span.start.line
                    ),
                ]
            })
            .collect();
        let grid = Grid {
            columns: &NEW_SCOPES,
            colour: vec![None; rows.len()],
            rows,
            title: 0,
        };
        out.push_str(&format!("{}\n", grid.render(width, false)));
    }
    out.push_str(&summary(report));
    out
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
    let mut out = crate::output::escape::to_json_string(&doc).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
