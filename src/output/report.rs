//! rustc-style reports through miette: `file:line:column`, the message, the
//! source lines with the offending span underlined, then a help line.

use crate::source::{InputError, SourceFile};
use crate::yaml::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
    Severity,
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

/// Render a snippet as text, coloured or not.
pub fn render(snippet: &Snippet<'_>, color: bool) -> String {
    let src = snippet.source;
    let start = snippet.span.start.index().min(src.text.len());
    let len = snippet.span.len().min(src.text.len() - start);
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
    let report = Report::new(diag).with_source_code(
        NamedSource::new(src.name.clone(), src.text.clone()).with_language("yaml"),
    );
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{}: {}\n", src.name, snippet.message);
    }
    out
}

/// A file that could not be read, as a report for stderr: the source lines
/// around the problem under a `file:line:column` header, or one line when there
/// is no source to show.
pub fn input_error(err: &InputError, source: &SourceFile, color: bool) -> String {
    match err.pos.filter(|_| !source.text.is_empty()) {
        None => format!("error: {err}\n"),
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
