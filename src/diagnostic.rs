//! What every check reports and how it is documented, for the lint rules and
//! the migration checks alike: a rule's documentation ([`RuleDoc`]), its
//! [`Severity`] and [`Kind`], a [`Finding`] and the [`Diagnostic`] it becomes.
//! Both `lint` and `migrate` build on this module; it depends on neither.

use crate::source::SourceFile;
use crate::yaml::Span;
use serde::Serialize;
use std::sync::Arc;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a rule looks at; `maskscope rules` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The file as YAML: syntax, templates, duplicate keys.
    Yaml,
    /// Keys and types of the maskinporten block, as the CRD defines them.
    Schema,
    /// One field's value on its own: names, orgnos, separators, ranges.
    Value,
    /// What entries and applications mean together: the scopes digdirator
    /// would make, consumers, collisions.
    Semantic,
    /// A legacy registration against the manifest that takes it over.
    Migration,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Yaml => "yaml",
            Kind::Schema => "schema",
            Kind::Value => "value",
            Kind::Semantic => "semantic",
            Kind::Migration => "migration",
        }
    }
}

/// A rule's documentation: what `maskscope rules RULE` prints.
#[derive(Debug)]
pub struct RuleDoc {
    /// Stable id, kebab-case, e.g. `invalid-name`.
    pub id: &'static str,
    pub severity: Severity,
    pub kind: Kind,
    /// Whether the rule runs when neither `--select` nor the configuration's
    /// `select` names the rules to run. A rule off by default runs only when
    /// selected by its id.
    pub on_by_default: bool,
    /// Whether an error of this rule means that nais deploy or the API server
    /// refuses the resource: the deploy fails and the cluster keeps the
    /// version it had. Decided by what the platform does, not by the
    /// severity: a duplicate key is an error the deploy accepts (the last
    /// value wins). Such a rule reports only what is refused.
    pub rejects: bool,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// What it checks and why it matters, with the source of the rule.
    pub explanation: &'static str,
    /// A manifest excerpt that fails the rule.
    pub bad: &'static str,
    /// The same excerpt, fixed.
    pub good: &'static str,
}

/// One problem a rule found, before the runner adds rule id and severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub source: Arc<SourceFile>,
    /// The most specific place: a value's problem at the value, a key's at the key.
    pub span: Span,
    /// What is wrong, quoting the actual value.
    pub message: String,
    /// How to fix it: the corrected value where one can be derived.
    pub help: Option<String>,
    /// Other places the finding involves (the other exposers of a scope),
    /// each with what it is.
    pub related: Vec<Related>,
}

/// A place a finding names besides its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: String,
}

impl Finding {
    pub fn new(source: &Arc<SourceFile>, span: Span, message: impl Into<String>) -> Self {
        Finding {
            source: Arc::clone(source),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, related: Vec<Related>) -> Self {
        self.related = related;
        self
    }
}

/// A finding as reported: with its rule and effective severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub finding: Finding,
}
