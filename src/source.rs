//! Source files as read, and the errors that stop a file from
//! being read at all. Every later position refers to [`SourceFile::text`].

use crate::yaml::Pos;
use std::fmt;
use std::sync::Arc;

/// The name standard input goes by in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// One input file: its display name and its text as written (a template's
/// text before rendering: positions always refer to the file as written).
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it (or found under a folder they gave), or `<stdin>`.
    pub name: String,
    pub text: String,
    /// Whether the text holds a `maskscope:` comment at all. Found once per file,
    /// so that checking each finding for a suppression costs nothing in the
    /// common case, however large the file and however many the findings.
    pub has_directives: bool,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        Arc::new(SourceFile {
            name: name.into(),
            has_directives: text.contains("maskscope:"),
            text,
        })
    }

    /// The same file without its text, for what needs only its name and
    /// flags once it has been checked (see `PerFile::release_text`).
    pub fn without_text(&self) -> Arc<Self> {
        Arc::new(SourceFile {
            name: self.name.clone(),
            text: String::new(),
            has_directives: self.has_directives,
        })
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let l = self
            .text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("");
        l.strip_suffix('\r').unwrap_or(l)
    }
}

/// What kind of problem kept a file from being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputErrorKind {
    /// The file could not be opened or read.
    Io,
    /// Not YAML: invalid syntax, invalid UTF-8, or over a budget.
    Syntax,
    /// The Handlebars template could not be rendered (a variable without a value, or bad syntax).
    Template,
    /// Not text: neither UTF-8 nor UTF-16 with a byte order mark.
    Encoding,
}

/// A file that could not be read, with the position of the problem where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub pos: Option<Pos>,
    pub kind: InputErrorKind,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for InputError {}

/// The position of byte `offset` in `bytes`, counting columns in characters.
pub fn pos_of_offset(bytes: &[u8], offset: usize) -> Pos {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos::new(offset, line, column)
}
