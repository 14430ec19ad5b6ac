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
    /// The deployment this text was rendered for, when one is known: a file
    /// deployed to two clusters is read once for each.
    pub deployment: Option<Arc<crate::deploy::Deployment>>,
}

impl SourceFile {
    /// A file with this text. Every line break YAML knows (CR, LF, CRLF, NEL,
    /// LS, PS) is made to end in `\n`, at the same byte offsets, so that
    /// every line of the text is a line as the parser counts it.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = normalise_breaks(text.into());
        Arc::new(SourceFile {
            name: name.into(),
            has_directives: text.contains("maskscope:"),
            text,
            deployment: None,
        })
    }

    /// [`SourceFile::new`] for the text of one deployment of the file.
    pub fn deployed(
        name: impl Into<String>,
        text: impl Into<String>,
        deployment: Option<Arc<crate::deploy::Deployment>>,
    ) -> Arc<Self> {
        let mut source = SourceFile::new(name, text);
        if let Some(s) = Arc::get_mut(&mut source) {
            s.deployment = deployment;
        }
        source
    }

    /// How reports name the deployment of this text, if it has one.
    pub fn deployment_label(&self) -> Option<String> {
        self.deployment.as_ref().map(|d| d.label())
    }

    /// The same file without its text, for what needs only its name and
    /// flags once it has been checked (see `PerFile::release_text`).
    pub fn without_text(&self) -> Arc<Self> {
        Arc::new(SourceFile {
            name: self.name.clone(),
            text: String::new(),
            has_directives: self.has_directives,
            deployment: self.deployment.clone(),
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

/// The length in bytes of the line break YAML sees at the start of `bytes`:
/// LF, CR, CRLF, NEL (U+0085), LS (U+2028) or PS (U+2029), as libyaml and
/// go-yaml count lines.
fn break_at(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'\r', b'\n', ..] => Some(2),
        [b'\n' | b'\r', ..] => Some(1),
        [0xC2, 0x85, ..] => Some(2),
        [0xE2, 0x80, 0xA8 | 0xA9, ..] => Some(3),
        _ => None,
    }
}

/// `text` with each line break ending in `\n` and of the same length: a lone
/// CR becomes LF, NEL becomes CRLF, LS and PS become a space and CRLF.
/// Offsets, lines and columns stay those of the original text, and code that
/// splits lines at `\n` (the report drawing, suppression comments) sees the
/// lines the parser saw.
fn normalise_breaks(text: String) -> String {
    // Every file is read through here: the search for the bytes that can
    // start a break to rewrite is memchr's, many bytes at a time.
    if memchr::memchr3(b'\r', 0xC2, 0xE2, text.as_bytes()).is_none() {
        return text;
    }
    let mut bytes = text.into_bytes();
    let mut i = 0;
    // Only a CR or the first byte of NEL, LS or PS can start a break to
    // rewrite: skip to the next one instead of trying every byte.
    while let Some(skip) = memchr::memchr3(b'\r', 0xC2, 0xE2, &bytes[i..]) {
        i += skip;
        match break_at(&bytes[i..]) {
            Some(1) => {
                bytes[i] = b'\n';
                i += 1;
            }
            Some(2) => {
                bytes[i] = b'\r';
                bytes[i + 1] = b'\n';
                i += 2;
            }
            Some(3) => {
                bytes[i..i + 3].copy_from_slice(b" \r\n");
                i += 3;
            }
            _ => i += 1,
        }
    }
    // Whole UTF-8 sequences were replaced by ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The position of byte `offset` in `bytes`, counting columns in characters
/// and lines as YAML does (see [`break_at`]).
pub fn pos_of_offset(bytes: &[u8], offset: usize) -> Pos {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < offset {
        match break_at(&bytes[i..]) {
            // `offset` inside a break (between the CR and LF of a CRLF): still
            // on the line the break ends.
            Some(n) if i + n > offset => break,
            Some(n) => {
                i += n;
                line += 1;
                line_start = i;
            }
            None => i += 1,
        }
    }
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos::new(offset, line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_line_break_ends_in_lf_at_the_same_offsets() {
        let text = "a\rb\r\nc\u{85}d\u{2028}e\nf";
        let s = SourceFile::new("t.yaml", text);
        assert_eq!(s.text.len(), text.len());
        assert_eq!(s.text, "a\nb\r\nc\r\nd \r\ne\nf");
        assert_eq!(s.line_text(4), "d ");
        assert_eq!(s.line_text(6), "f");
    }

    #[test]
    fn positions_count_lines_as_yaml_does() {
        let text = "a\rb\r\nc\u{85}d\u{2029}e";
        let at = |needle: char| {
            let p = pos_of_offset(text.as_bytes(), text.find(needle).unwrap());
            (p.line, p.column)
        };
        assert_eq!(
            [at('a'), at('b'), at('c'), at('d'), at('e')],
            [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1)]
        );
        let p = pos_of_offset(b"ab\r\nc", 3);
        assert_eq!(p.line, 1);
    }
}
