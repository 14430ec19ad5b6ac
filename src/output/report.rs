//! rustc-style reports through miette: `file:line:column`, the message, the
//! source lines with the offending span underlined, then a help line.

use crate::output::escape;
use crate::source::{InputError, SourceFile};
use crate::yaml::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceCode, SourceSpan, SpanContents,
};

/// What to draw: a message about a span of a source file.
pub struct Snippet<'a> {
    pub source: &'a SourceFile,
    pub span: Span,
    pub severity: Severity,
    /// Shown before the message, e.g. a rule id.
    pub code: Option<&'a str>,
    pub message: &'a str,
    /// The text under the underline.
    pub label: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// Lines longer than this (in bytes) are not drawn: a minified JSON manifest or
/// a hostile file can hold one line of megabytes, which would flood the terminal
/// (and columns past 65,535 are more than the drawing code can pad to).
const MAX_DRAWN_LINE: usize = 1000;

/// Render a snippet as text, coloured or not. The file name, message, help
/// and label, and the source lines shown, come from input: they are written
/// with special characters escaped ([`escape::text`]).
pub fn render(snippet: &Snippet<'_>, color: bool) -> String {
    let name = escape::text(&snippet.source.name).into_owned();
    let message = escape::text(snippet.message);
    let help = snippet.help.map(escape::text);
    let label = snippet.label.map(escape::text);
    let snippet = &Snippet {
        message: &message,
        help: help.as_deref(),
        label: label.as_deref(),
        ..*snippet
    };
    let src = snippet.source;
    let start = floor_char_boundary(&src.text, snippet.span.start.index());
    let end = floor_char_boundary(&src.text, snippet.span.end.index().max(start));
    let (from, to) = window(&src.text, start, end);
    if longest_line(&src.text, from, to) > MAX_DRAWN_LINE {
        return undrawn(snippet);
    }
    // The line of `from`: the snippet's line, or the one before it.
    let first_line = (snippet.span.start.line as usize).saturating_sub(1);
    let line = if from < start && src.text[from..start].contains('\n') {
        first_line.saturating_sub(1)
    } else {
        first_line
    };
    // Offsets in the lines as drawn, where an escaped character takes more
    // bytes than in the file.
    let (text, at) = escaped_lines(&src.text[from..to]);
    let (start, end) = (from + at(start - from), from + at(end - from));
    let len = end - start;
    let shown = Window {
        text,
        offset: from,
        line,
    };
    let mut diag = MietteDiagnostic::new(snippet.message.to_owned())
        .with_severity(snippet.severity)
        .with_labels([LabeledSpan::new(
            snippet.label.map(str::to_owned),
            start,
            len,
        )]);
    if let Some(code) = snippet.code {
        diag = diag.with_code(code.to_owned());
    }
    if let Some(help) = snippet.help {
        diag = diag.with_help(help.to_owned());
    }
    let report = Drawn {
        diag,
        source: NamedSource::new(name.clone(), shown).with_language("yaml"),
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    // Messages and help stay on one line each, as rustc and ruff print them:
    // the terminal wraps them at its own width, and a scope, an app or a path
    // (`team-a/vedtak-api`) is never broken where a reader would copy it.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_links(false);
    if handler.render_report(&mut out, &report).is_err() {
        out = format!("{name}: {}\n", snippet.message);
    }
    out
}

/// A diagnostic with the source lines it points into. Drawn with the handler
/// directly: a `miette::Report` would also set up the process-wide default
/// handler for each report (terminal and environment checks), unused here.
#[derive(Debug)]
struct Drawn {
    diag: MietteDiagnostic,
    source: NamedSource<Window>,
}

impl std::fmt::Display for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diag.fmt(f)
    }
}

impl std::error::Error for Drawn {}

impl miette::Diagnostic for Drawn {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.diag.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

/// The report without source lines, in the same layout: the code, the message,
/// `file:line:column`, the help.
fn undrawn(snippet: &Snippet<'_>) -> String {
    let p = snippet.span.start;
    let mut out = snippet.code.map(|c| format!("{c}\n\n")).unwrap_or_default();
    let mark = match snippet.severity {
        Severity::Error => "×",
        Severity::Warning => "⚠",
        Severity::Advice => "☞",
    };
    out.push_str(&format!(
        "  {mark} {}\n   ╭─[{}:{}:{}]\n   │ (the line is too long to show)\n   ╰────\n",
        snippet.message,
        escape::text(&snippet.source.name),
        p.line,
        p.column
    ));
    if let Some(help) = snippet.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

/// Source lines as drawn: special characters (and `##[`) escaped as
/// [`escape::text`] writes them, but for the tabs and line breaks (`\n`, `\r\n`) that lay
/// the lines out; with a function from a byte offset in `lines` to the
/// offset of the same place in the text returned.
fn escaped_lines(lines: &str) -> (String, impl Fn(usize) -> usize) {
    let mut text = String::with_capacity(lines.len());
    let mut at = Vec::with_capacity(lines.len() + 1);
    let mut chars = lines.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        at.extend(std::iter::repeat_n(text.len(), c.len_utf8()));
        let layout = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        // `##[`, the runner's older command form, as `escape::text` writes it.
        let old_command = c == '#' && previous == Some('#') && chars.peek() == Some(&'[');
        previous = Some(c);
        if (escape::is_special(c) && !layout) || old_command {
            text.push_str(&escape::visible(c));
        } else {
            text.push(c);
        }
    }
    at.push(text.len());
    (text, move |offset: usize| at[offset.min(at.len() - 1)])
}

/// The largest char boundary at or before `offset`, within `text`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The text a snippet of `start..end` shows: its lines, with the line before
/// and the line after (the context drawn around it), as a byte range.
fn window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let from = match line_start {
        0 => 0,
        _ => text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1),
    };
    let mut to = end;
    for _ in 0..2 {
        to = text[to..].find('\n').map_or(text.len(), |i| to + i + 1);
    }
    (from, to)
}

/// The length of the longest line in `text[from..to]`.
fn longest_line(text: &str, from: usize, to: usize) -> usize {
    text[from..to].split('\n').map(str::len).max().unwrap_or(0)
}

/// The part of a file a snippet shows, standing in for the whole file: miette
/// is given these few lines instead of a copy of the file for every report
/// (which made many reports on one big file quadratic), and sees offsets and
/// line numbers as in the whole file.
struct Window {
    text: String,
    /// Byte offset of `text` in the file.
    offset: usize,
    /// 0-based line number of the first line of `text` in the file.
    line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.offset).into(), span.len());
        let inner = self.text.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.offset).into(),
                inner.span().len(),
            ),
            inner.line() + self.line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A file that could not be read, as a report for stderr: the source lines
/// around the problem under a `file:line:column` header, or one line when there
/// is no source to show.
pub fn input_error(err: &InputError, source: &SourceFile, color: bool) -> String {
    match err.pos.filter(|_| !source.text.is_empty()) {
        None => format!("error: {}\n", escape::text(&err.to_string())),
        Some(pos) => render(
            &Snippet {
                source,
                span: Span {
                    start: pos,
                    end: pos,
                },
                severity: Severity::Error,
                code: None,
                message: &err.message,
                label: Some("here"),
                help: None,
            },
            color,
        ),
    }
}
