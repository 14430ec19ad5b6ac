//! `--format human`: one rustc-style report per diagnostic, then a summary line.

use crate::lint::runner::Outcome;
use crate::lint::{Diagnostic, Severity};
use crate::output::report::{Snippet, render};
use rayon::prelude::*;
use std::io::{self, Write};

/// Every diagnostic as a report with its source lines, then the summary.
/// Drawing a report costs far more than finding it (miette's layout),
/// so with thousands of findings the reports are drawn in parallel; they are
/// written in the diagnostics' order, each as it is, not joined into one text.
pub fn write(outcome: &Outcome, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let reports: Vec<String> = outcome
        .diagnostics
        .par_iter()
        .map(|d| one(d, color))
        .collect();
    for report in reports {
        out.write_all(report.as_bytes())?;
        out.write_all(b"\n")?;
    }
    for err in &outcome.unchecked {
        writeln!(out, "error: {}", super::unchecked_line(err))?;
    }
    for name in &outcome.without_manifests {
        writeln!(
            out,
            "note: {}: {}",
            crate::output::escape::text(name),
            super::NO_MANIFESTS
        )?;
    }
    out.write_all(summary(outcome).as_bytes())
}

/// [`write`] into a string.
pub fn render_all(outcome: &Outcome, color: bool) -> String {
    super::to_string(|out| write(outcome, color, out))
}

fn one(d: &Diagnostic, color: bool) -> String {
    let f = &d.finding;
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    // Like rustc's `error[E0308]: ...`; the frame below adds `file:line:column`.
    let message = format!("{}[{}]: {}", d.severity.as_str(), d.rule, f.message);
    let snippet = Snippet {
        source: &f.source,
        span: f.span,
        severity,
        code: None,
        message: &message,
        label: None,
        help: f.help.as_deref(),
    };
    render(&snippet, color)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `checked 2 files: 1 error, 0 warnings, 3 infos`; with files that hold no
/// manifest `checked 1 file (no manifests): ...` or `checked 3 files (1
/// without manifests): ...`; with files that could not be checked `checked 2
/// files, 1 could not be checked: ...`.
pub fn summary(outcome: &Outcome) -> String {
    let s = outcome.summary;
    let mut files = plural(s.files, "file");
    if s.files_without_manifests > 0 && s.files_without_manifests == s.files {
        files.push_str(" (no manifests)");
    } else if s.files_without_manifests > 0 {
        files.push_str(&format!(
            " ({} without manifests)",
            s.files_without_manifests
        ));
    }
    if s.unchecked > 0 {
        files.push_str(&format!(", {} could not be checked", s.unchecked));
    }
    format!(
        "checked {files}: {}, {}, {}\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    )
}
