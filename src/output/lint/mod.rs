//! The formats of `maskscope lint`: `human` (rustc-style reports), `json`,
//! `sarif` (GitHub code scanning) and `github` (workflow commands).

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::lint::Diagnostic;
use crate::output::escape::text;

use crate::source::InputError;

/// What every format says of a file checked that holds no manifest.
pub const NO_MANIFESTS: &str =
    "holds no Application or Naisjob; nothing in it was checked against the rules";

/// `file[:line:column]: not checked: reason`, for a file that could not be
/// checked, with the values read from input escaped ([`text`]).
pub fn unchecked_line(err: &InputError) -> String {
    let (file, message) = (text(&err.file), text(&err.message));
    match err.pos {
        Some(p) => format!("{file}:{}:{}: not checked: {message}", p.line, p.column),
        None => format!("{file}: not checked: {message}"),
    }
}

/// 1-based start and end (just past the span) of a diagnostic.
pub struct Region {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Region {
    pub fn of(d: &Diagnostic) -> Region {
        let (s, e) = (d.finding.span.start, d.finding.span.end);
        // Empty spans (a point) still cover one column, so tools can show them.
        let (end_line, end_column) = if e.offset > s.offset {
            (e.line, e.column)
        } else {
            (s.line, s.column + 1)
        };
        Region {
            line: s.line.max(1),
            column: s.column.max(1),
            end_line: end_line.max(1),
            end_column: end_column.max(1),
        }
    }
}

/// What a format's `write` writes, as a string: for tests, and for callers
/// that need the text itself. Formats write valid UTF-8 to a vector, which
/// cannot fail.
pub fn to_string(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    let _ = write(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
