//! Handlebars rendering of templated manifests, as nais deploy renders them
//! (aymerick/raymond), with a map from the rendered text back to the template.
//!
//! A variable without a value does not stop a file: like `nais validate`, it is
//! printed as the placeholder `test_<name>` and recorded, with where it was
//! used ([`MissingUse`]), so that what depends on it can be told apart from
//! what does not. `image`, which the deploy always supplies, gets its
//! placeholder silently. The template is parsed by handlebars-rust and
//! evaluated by [`eval`], which follows raymond and records where each piece
//! of output came from ([`SourceMap`]).

mod eval;
mod locate;
mod map;

pub use eval::{ALWAYS_SUPPLIED, escape_html};
pub use map::SourceMap;

use crate::source::{InputError, InputErrorKind};
use crate::yaml::{Pos, Span};
use handlebars::template::Template;
use serde_json::{Map, Value};
use serde_saphyr::MessageFormatter;

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
/// Most YAML nodes in a vars file.
pub const MAX_VARS_NODES: usize = 100_000;

/// Variables for rendering, from `--vars FILE` and `--var KEY=VALUE`.
#[derive(Debug, Clone, Default)]
pub struct Vars(pub Map<String, Value>);

impl Vars {
    /// Read a vars file (YAML or JSON). Its top level must be a mapping.
    pub fn from_file_text(name: &str, text: &str) -> Result<Vars, String> {
        if text.len() > MAX_VARS_BYTES {
            return Err(Vars::too_large(name));
        }
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let mut budget = serde_saphyr::Budget::default();
        budget.max_nodes = MAX_VARS_NODES;
        budget.max_events = 4 * MAX_VARS_NODES;
        budget.max_depth = crate::yaml::Budget::default().max_depth;
        budget.max_aliases = 1_000;
        budget.max_anchors = 1_000;
        options.budget = Some(budget);
        let value: Value = match serde_saphyr::from_str_with_options(text, options) {
            Ok(v) => v,
            Err(serde_saphyr::Error::Budget { .. }) => {
                return Err(format!(
                    "{name}: the vars file is over the budget for vars files (at most {MAX_VARS_NODES} \
                     values, nesting depth {}, 1,000 aliases); check that this is the right file",
                    crate::yaml::Budget::default().max_depth
                ));
            }
            Err(e) => {
                let e = e.without_snippet();
                let at = e
                    .location()
                    .map(|l| format!(":{}:{}", l.line(), l.column()))
                    .unwrap_or_default();
                let message: String = serde_saphyr::DefaultMessageFormatter
                    .format_message(e)
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect();
                return Err(format!("{name}{at}: cannot read vars file: {message}"));
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
}

impl Renderer {
    pub fn new(vars: &Vars) -> Self {
        Renderer {
            data: Value::Object(vars.0.clone()),
            unknown: Vec::new(),
        }
    }

    /// [`Renderer::new`], with `unknown` variables whose value is not known.
    pub fn with_unknown(vars: &Vars, unknown: Vec<String>) -> Self {
        Renderer {
            unknown,
            ..Renderer::new(vars)
        }
    }

    /// Render `text` if it holds a Handlebars expression (`None`: nothing to
    /// render). An `Err` is a template that nais deploy could not render
    /// either (bad syntax, an unknown helper) or one over a budget.
    pub fn render(&self, file: &str, text: &str) -> Result<Option<Rendered>, InputError> {
        if !text.contains("{{") {
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
        let template = Template::compile(text).map_err(|e| {
            let pos = e
                .pos()
                .map(|(l, c)| Pos::new(line_col_offset(text, l, c), l, c));
            fail(pos, format!("invalid template: {}", e.reason()))
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
        let rendered = eval::render(&template, text, &self.data, limits);
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
            Err(eval::Failure::Unsupported(message, at)) => Err(fail(
                Some(positions.pos_of_template_offset(at.start)),
                format!("cannot render template: {message}"),
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

/// The byte offset of a 1-based line and column (in characters).
fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    let offset = line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
    offset.min(text.len())
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
}

/// handlebars-rust (which follows handlebars.js) and this renderer (which
/// follows raymond) agree on every template of the real corpus rendered with
/// its vars files: the constructs NAV manifests use mean the same in both.
#[cfg(test)]
mod against_handlebars_rust {
    use super::*;

    fn raymond_escape(s: &str) -> String {
        escape_html(s)
    }

    #[test]
    fn the_corpus_renders_the_same() {
        let corpus = std::path::Path::new("../shared/corpus/navikt");
        let tsv = std::fs::read_to_string(corpus.join("SOURCES.tsv")).expect("the corpus");
        let mut compared = 0;
        for line in tsv.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let Some(manifest) = f.get(5).filter(|v| !v.is_empty()) else {
                continue;
            };
            let folder = corpus.join(f[0].replace('/', "__"));
            let template = std::fs::read_to_string(folder.join(manifest)).unwrap();
            let vars_text = std::fs::read_to_string(folder.join(f[1])).unwrap();
            let mut vars = Vars::from_file_text(f[1], &vars_text).unwrap();
            vars.set_pairs(&["image=ghcr.io/navikt/app:1".into()])
                .unwrap();
            let ours = Renderer::new(&vars)
                .render(manifest, &template)
                .unwrap()
                .expect("a template");
            let mut hb = handlebars::Handlebars::new();
            hb.register_escape_fn(raymond_escape);
            let theirs = hb
                .render_template(&template, &Value::Object(vars.0.clone()))
                .unwrap();
            assert_eq!(ours.text, theirs, "{manifest} with {}", f[1]);
            // Flags a vars file leaves out (`{{#if devOnly}}`) are false.
            assert!(
                ours.missing.iter().all(|m| m.flag),
                "{manifest}: {:?}",
                ours.missing
            );
            compared += 1;
        }
        assert!(compared >= 10, "{compared}");
    }

    #[test]
    fn standalone_lines_whitespace_control_and_else_render_the_same() {
        let data = serde_json::json!({
            "xs": [{"n": "a", "ok": true}, {"n": "b", "ok": false}],
            "m": {"k": "v"},
            "t": "&<x>"
        });
        let template = "l:\n  {{#each xs as |x|}}\n  - {{x.n}}\n    {{#if x.ok}}\n    ok: yes\n    {{else}}\n    ok: no\n    {{/if}}\n  {{/each}}\n  {{~#each m}} {{@key}}={{this}} {{~/each}}\nq: {{t}} {{{t}}}\n{{#unless nothing}}u{{/unless}}\n";
        let vars = Vars(data.as_object().unwrap().clone());
        let ours = Renderer::new(&vars).render("t", template).unwrap().unwrap();
        let mut hb = handlebars::Handlebars::new();
        hb.register_escape_fn(raymond_escape);
        assert_eq!(ours.text, hb.render_template(template, &data).unwrap());
    }
}
