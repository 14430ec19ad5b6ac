//! Handlebars rendering of templated manifests, as nais deploy renders them
//! (aymerick/raymond), with a map from the rendered text back to the template.
//!
//! A variable without a value does not stop a file: like `nais validate`, it is
//! printed as the placeholder `test_<name>` and recorded, with where it was
//! used ([`MissingUse`]), so that what depends on it can be told apart from
//! what does not. `image`, which the deploy always supplies, gets its
//! placeholder silently. [`Renderer::exact`] renders as the deploy does,
//! a variable without a value printing nothing. The template is split by
//! [`lex`], parsed by [`parse`] with raymond's whitespace control
//! ([`whitespace`]) and evaluated by [`eval`], each following raymond step by
//! step; evaluation records where each piece of output came from
//! ([`SourceMap`]).

mod ast;
mod eval;
mod lex;
mod map;
mod parse;
mod whitespace;

pub use eval::{ALWAYS_SUPPLIED, escape_html};
pub use map::SourceMap;

use crate::source::{InputError, InputErrorKind};
use crate::yaml::{Pos, Span};
use serde_json::{Map, Value};

/// Largest rendered text, in bytes: the budget of a manifest file.
pub const MAX_OUTPUT_BYTES: usize = crate::load::MAX_FILE_BYTES as usize;
/// Elements evaluated per file; a `{{#each}}` body counts once per item.
pub const MAX_STEPS: usize = 2_000_000;
/// Elements evaluated by all renderings of one run together: a file may be
/// rendered once per deployment, and a matrix of 256 clusters with a vars
/// file each would otherwise take 256 times [`MAX_STEPS`].
pub const MAX_TOTAL_STEPS: usize = 10_000_000;

/// Elements evaluated so far by this process's renderings; a run is one
/// command, one process.
static TOTAL_STEPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Deepest nesting of blocks (`{{#each}}` in `{{#if}}` in ...).
pub const MAX_BLOCK_DEPTH: usize = 64;
/// Largest vars file, in bytes.
pub const MAX_VARS_BYTES: usize = 1024 * 1024;

/// How a message on a template raymond cannot parse starts.
pub const PARSE_FAILS: &str = "nais deploy cannot parse this template";
/// How a message on a template raymond cannot execute starts.
pub const EXEC_FAILS: &str = "nais deploy cannot render this template";

/// Most YAML nodes in a vars file.
pub const MAX_VARS_NODES: usize = 100_000;

/// Variables for rendering, from `--vars FILE` and `--var KEY=VALUE`.
#[derive(Debug, Clone, Default)]
pub struct Vars(pub Map<String, Value>);

impl Vars {
    /// Read a vars file (YAML or JSON) as nais deploy reads it (ghodss/yaml:
    /// the first document, YAML 1.1 types). Its top level must be a mapping.
    pub fn from_file_text(name: &str, text: &str) -> Result<Vars, String> {
        if text.len() > MAX_VARS_BYTES {
            return Err(Vars::too_large(name));
        }
        let budget = crate::yaml::Budget {
            max_nodes: MAX_VARS_NODES,
            max_aliases: 1_000,
            ..crate::yaml::Budget::default()
        };
        let value = match crate::yaml::first_document(text, budget) {
            Ok(v) => v.unwrap_or(Value::Null),
            Err(e) if e.message.contains("budget") => {
                return Err(format!(
                    "{name}: the vars file is over the budget for vars files (at most {MAX_VARS_NODES} \
                     values, nesting depth {}, 1,000 aliases); check that this is the right file",
                    budget.max_depth
                ));
            }
            Err(e) => {
                let message: String = e.message.chars().filter(|c| !c.is_control()).collect();
                return Err(format!(
                    "{name}:{}:{}: cannot read vars file: {message}",
                    e.pos.line, e.pos.column
                ));
            }
        };
        match value {
            Value::Object(map) => Ok(Vars(map)),
            Value::Null => Ok(Vars::default()),
            other => Err(format!(
                "{name}: a vars file must be a mapping of names to values, not {}",
                json_type(&other)
            )),
        }
    }

    /// What is said of a vars file over [`MAX_VARS_BYTES`].
    pub fn too_large(name: &str) -> String {
        format!(
            "{name}: the vars file is larger than the budget of {} MiB for vars files; \
             a vars file holds a few values per environment, so check that this is the right file",
            MAX_VARS_BYTES / 1024 / 1024
        )
    }

    /// Apply `KEY=VALUE` pairs as nais deploy does: split at the first `=`; a
    /// `KEY` without `=` is `true`. They win over the vars file.
    pub fn set_pairs(&mut self, pairs: &[String]) -> Result<(), String> {
        for pair in pairs {
            let (k, v) = match pair.split_once('=') {
                Some((k, v)) => (k, Value::String(v.to_owned())),
                None => (pair.as_str(), Value::Bool(true)),
            };
            if k.is_empty() {
                return Err(format!("--var {pair:?} has an empty KEY"));
            }
            self.0.insert(k.to_owned(), v);
        }
        Ok(())
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A rendered template: its text, where that text came from, and the uses of
/// variables that had no value.
#[derive(Debug)]
pub struct Rendered {
    pub text: String,
    pub map: SourceMap,
    pub missing: Vec<MissingVar>,
}

/// One use of a template variable that had no value, in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVar {
    /// The path as written (`app.name`, `this.x`).
    pub name: String,
    /// The expression, or the opening tag of a block over the variable.
    pub tag: Span,
    /// The expression, or the whole block through its closing tag: what
    /// depends on the variable.
    pub extent: Span,
    /// A block's condition or list (`{{#if x}}`, `{{#each x}}`) rather than a
    /// printed value.
    pub block: bool,
    /// Whether the block only tests the variable (`{{#if x}}`, `{{#unless x}}`):
    /// an optional flag that vars files leave out when it is false.
    pub flag: bool,
    /// Whether the deployment sets the variable to a value maskscope cannot
    /// know (a secret), rather than leaving it out: then even a flag's
    /// block is not known to be false.
    pub unknown: bool,
}

impl MissingVar {
    /// Whether the name is a path (`app.name`): nais deploy's `--var app.name=x`
    /// sets a key with a dot in it, which the path does not find.
    pub fn is_path(&self) -> bool {
        self.name.contains(['.', '/']) && !self.name.starts_with("this")
    }
}

/// Renders templates; one instance serves every file (it is `Sync`).
#[derive(PartialEq)]
pub struct Renderer {
    data: Value,
    /// Variables the deployment sets to a value maskscope cannot know (a
    /// `VAR` from a secret or a job's output): each is rendered as missing,
    /// and what depends on it is unknown, not false.
    unknown: Vec<String>,
    placeholders: bool,
    /// Whether templates are rendered at all: nais deploy leaves a file as
    /// it is when it has no variables.
    renders: bool,
}

impl Renderer {
    /// A renderer for checking: a variable without a value gets a placeholder.
    pub fn new(vars: &Vars) -> Self {
        Renderer {
            data: Value::Object(vars.0.clone()),
            unknown: Vec::new(),
            placeholders: true,
            renders: true,
        }
    }

    /// [`Renderer::new`], with `unknown` variables whose value is not known.
    pub fn with_unknown(vars: &Vars, unknown: Vec<String>) -> Self {
        Renderer {
            unknown,
            ..Renderer::new(vars)
        }
    }

    /// A renderer that leaves files as they are, as nais deploy does for a
    /// deployment without variables (no `VARS`, `VAR` or `IMAGE`).
    pub fn unrendered() -> Self {
        Renderer {
            data: Value::Null,
            unknown: Vec::new(),
            placeholders: false,
            renders: false,
        }
    }

    /// A renderer that renders as nais deploy does, byte for byte.
    pub fn exact(vars: &Vars) -> Self {
        Renderer::exact_over(Value::Object(vars.0.clone()))
    }

    /// [`Renderer::exact`] over any data, as raymond renders it (its own
    /// tests render over lists and scalars; a vars file is a mapping).
    pub fn exact_over(data: Value) -> Self {
        Renderer {
            data,
            unknown: Vec::new(),
            placeholders: false,
            renders: true,
        }
    }

    /// Render `text` if it holds a Handlebars expression (`None`: nothing to
    /// render, or a renderer that does not render). An `Err` is a template
    /// that nais deploy could not render either (raymond cannot parse or
    /// execute it: the message starts with [`PARSE_FAILS`] or
    /// [`EXEC_FAILS`]) or one over a budget.
    pub fn render(&self, file: &str, text: &str) -> Result<Option<Rendered>, InputError> {
        if !self.renders || !text.contains("{{") {
            return Ok(None);
        }
        let fail = |pos: Option<Pos>, message: String| InputError {
            file: file.to_owned(),
            pos,
            kind: InputErrorKind::Template,
            message,
        };
        let positions = SourceMap::new(text);
        if let Some(at) = too_deep(text) {
            return Err(fail(
                Some(positions.pos_of_template_offset(at)),
                format!(
                    "template blocks nested deeper than the budget of {MAX_BLOCK_DEPTH} levels; \
                     nothing in this file is checked"
                ),
            ));
        }
        let template = parse::parse(text).map_err(|e| {
            fail(
                Some(positions.pos_of_template_offset(e.at)),
                format!("{PARSE_FAILS} (raymond: {})", e.message),
            )
        })?;
        let limits = eval::Limits {
            max_output: MAX_OUTPUT_BYTES,
            max_steps: MAX_STEPS,
        };
        use std::sync::atomic::Ordering::Relaxed;
        if TOTAL_STEPS.load(Relaxed) > MAX_TOTAL_STEPS {
            return Err(fail(
                None,
                format!(
                    "not rendered: the renderings of this run took more than the budget of {} steps in all (many deployments of templates with long `{{{{#each}}}}` loops?)",
                    crate::output::thousands(MAX_TOTAL_STEPS)
                ),
            ));
        }
        let rendered = eval::render(&template, text, &self.data, limits, self.placeholders);
        let spent = match &rendered {
            Ok(out) => out.steps,
            Err(eval::Failure::Budget(_)) => MAX_STEPS,
            Err(_) => 0,
        };
        TOTAL_STEPS.fetch_add(spent, Relaxed);
        match rendered {
            Ok(out) => {
                let span = |r: &std::ops::Range<usize>| Span {
                    start: out.map.pos_of_template_offset(r.start),
                    end: out.map.pos_of_template_offset(r.end),
                };
                let missing = out
                    .missing
                    .iter()
                    .map(|m| MissingVar {
                        unknown: self
                            .unknown
                            .iter()
                            .any(|u| m.name.split(['.', '/']).next() == Some(u.as_str())),
                        name: m.name.clone(),
                        tag: span(&m.tag),
                        extent: span(&m.extent),
                        block: m.block,
                        flag: m.flag,
                    })
                    .collect();
                Ok(Some(Rendered {
                    text: out.text,
                    map: out.map,
                    missing,
                }))
            }
            Err(eval::Failure::Exec(message, at)) => Err(fail(
                Some(positions.pos_of_template_offset(at.start)),
                format!("{EXEC_FAILS} (raymond: {message})"),
            )),
            Err(eval::Failure::Budget(message)) => Err(fail(None, message)),
        }
    }
}

/// The offset of the first block opened deeper than [`MAX_BLOCK_DEPTH`], found
/// before parsing: the parser and its tree are recursive.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, _) in text.match_indices("{{") {
        let tag = text[i + 2..].trim_start_matches('~');
        if tag.starts_with('#') || (tag.starts_with('^') && !tag[1..].trim_start().starts_with('}'))
        {
            depth += 1;
            if depth > MAX_BLOCK_DEPTH {
                return Some(i);
            }
        } else if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_pairs_split_at_the_first_equals_and_bare_keys_are_true() {
        let mut v = Vars::default();
        v.set_pairs(&["a=b=c".into(), "flag".into(), "e=".into()])
            .unwrap();
        assert_eq!(v.0["a"], "b=c");
        assert_eq!(v.0["flag"], true);
        assert_eq!(v.0["e"], "");
        assert!(v.set_pairs(&["=x".into()]).is_err());
    }

    #[test]
    fn nesting_beyond_the_budget_is_refused_before_parsing() {
        let deep = "{{#if a}}".repeat(MAX_BLOCK_DEPTH + 1) + &"{{/if}}".repeat(MAX_BLOCK_DEPTH + 1);
        let err = Renderer::new(&Vars::default())
            .render("t", &deep)
            .unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
        let ok = "{{#if a}}".repeat(MAX_BLOCK_DEPTH) + &"{{/if}}".repeat(MAX_BLOCK_DEPTH);
        assert!(Renderer::new(&Vars::default()).render("t", &ok).is_ok());
    }

    /// raymond's quirk that broke a real deploy: the inner `{{/each}}`
    /// takes its line break, so what stands before the outer one no longer
    /// ends a line, and the outer one is not standalone: its indentation
    /// is printed before each next item and at the end.
    #[test]
    fn nested_blocks_closed_on_consecutive_lines_render_as_raymond_does() {
        let template = "a:\n  {{#each xs}}\n  - {{this}}\n    {{#each ys}}\n    - y\n    {{/each}}\n  {{/each}}\nb: 1\n";
        let mut vars = Vars::default();
        vars.0.insert("xs".into(), serde_json::json!([1, 2]));
        vars.0.insert("ys".into(), serde_json::json!([1]));
        let out = Renderer::exact(&vars)
            .render("t", template)
            .unwrap()
            .unwrap();
        assert_eq!(out.text, "a:\n  - 1\n    - y\n    - 2\n    - y\n  \nb: 1\n");
    }
}
