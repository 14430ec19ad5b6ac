//! The linter's core: what a rule is, and the list of rules. What a rule
//! reports and how it is documented ([`RuleDoc`], [`Severity`], [`Kind`],
//! [`Finding`], [`Diagnostic`]) is [`crate::diagnostic`], shared with the
//! migration checks.
//!
//! A rule is a type implementing [`Rule`] in a file of its own under
//! `lint/rules/`, next to its documentation ([`RuleDoc`]), which is what
//! `maskscope rules RULE` prints. Rules report [`Finding`]s; the [`runner`]
//! turns them into [`Diagnostic`]s with the rule's id and configured severity,
//! drops those silenced by [`suppress`]ion comments and sorts them. [`schema`]
//! describes the maskinporten block for the structural rules.

pub mod exposure;
pub mod rejection;
pub mod rules;
pub mod runner;
pub mod schema;
pub mod suppress;

pub use crate::diagnostic::{Diagnostic, Finding, Kind, Related, RuleDoc, Severity};
use crate::load::LoadedFile;
use crate::model::Manifest;
use crate::source::SourceFile;
use crate::yaml::Span;
use exposure::{Consumption, Exposure};

/// What rules may depend on besides the manifests.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Scope prefix, `nav` unless configured.
    pub prefix: String,
    /// `--cluster`, if given.
    pub cluster: Option<String>,
    /// Whether `cluster` is on-premises (needs `webproxy`).
    pub on_prem: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            prefix: crate::naming::DEFAULT_PREFIX.to_owned(),
            cluster: None,
            on_prem: false,
        }
    }
}

/// A lint rule. Implement the hook that fits: most rules look at one manifest
/// at a time (`check`); structural rules (unknown keys, wrong types) at what the
/// schema walk of a manifest found (`check_schema`); rules across manifests
/// (collisions) at the exposed scopes of every manifest (`check_all`, see
/// [`Exposure`]); rules about a file as a whole (it could not be parsed or
/// rendered) at the file (`check_file`).
pub trait Rule: Sync {
    fn doc(&self) -> &'static RuleDoc;

    /// Check one input file as read, before its documents are looked at.
    fn check_file(&self, _file: &LoadedFile, _settings: &Settings, _out: &mut Vec<Finding>) {}

    /// Check one Application or Naisjob document.
    fn check(&self, _manifest: &Manifest, _settings: &Settings, _out: &mut Vec<Finding>) {}

    /// Check what the walk of a manifest's maskinporten block against the
    /// schema found ([`schema::walk`]), in walk order. The walk is made once
    /// per manifest for all the structural rules.
    fn check_schema(
        &self,
        _manifest: &Manifest,
        _events: &[schema::Event<'_>],
        _settings: &Settings,
        _out: &mut Vec<Finding>,
    ) {
    }

    /// Check the exposed scopes of every manifest linted together, in input order.
    fn check_all(&self, _exposures: &[Exposure], _settings: &Settings, _out: &mut Vec<Finding>) {}

    /// Check the consumed scopes of every manifest linted together against
    /// the scopes they expose, both in input order.
    fn check_consumed(
        &self,
        _exposures: &[Exposure],
        _consumed: &[Consumption],
        _settings: &Settings,
        _out: &mut Vec<Finding>,
    ) {
    }
}

/// Lint YAML text with every rule (those off by default too) at its default
/// severity, suppression
/// comments honoured, sorted by position: for tests of single rules.
pub fn check_text(name: &str, text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let renderer = crate::template::Renderer::new(&crate::template::Vars::default());
    let file = crate::load::load_bytes(name, Ok(text.as_bytes().to_vec()), &renderer);
    runner::run_file(file, &runner::every(), settings, Vec::new()).diagnostics
}

/// From `start` to the end of its line (trailing spaces left out), within
/// `limit`: for findings about a whole mapping, shown at the line it begins.
pub fn line_span(source: &SourceFile, start: crate::yaml::Pos, limit: Span) -> Span {
    let text = &source.text;
    let mut from = start.index().min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    let end_offset = from + text[from..line_end].trim_end().len();
    let end_offset = if limit.end.index() > from {
        end_offset.min(limit.end.index())
    } else {
        end_offset
    };
    let width = text[from..end_offset].chars().count();
    let end = crate::yaml::Pos::new(
        end_offset,
        start.line as usize,
        start.column as usize + width,
    );
    Span { start, end }
}
