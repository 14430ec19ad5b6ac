//! Handlebars rendering of templated manifests, as `nais validate --vars` and
//! nais deploy do, in strict mode: a variable without a value is an error that
//! names it, never an empty string.

use crate::source::{InputError, InputErrorKind};
use crate::yaml::Pos;
use handlebars::{Handlebars, RenderErrorReason};
use serde_json::{Map, Value};

/// Variables for rendering, from `--vars FILE` and `--var KEY=VALUE`.
#[derive(Debug, Clone, Default)]
pub struct Vars(pub Map<String, Value>);

impl Vars {
    /// Read a vars file (YAML or JSON). Its top level must be a mapping.
    pub fn from_file_text(name: &str, text: &str) -> Result<Vars, String> {
        let value: Value = serde_saphyr::from_str(text)
            .map_err(|e| format!("{name}: cannot read vars file: {e}"))?;
        match value {
            Value::Object(map) => Ok(Vars(map)),
            Value::Null => Ok(Vars::default()),
            other => Err(format!(
                "{name}: a vars file must be a mapping of names to values, not {}",
                json_type(&other)
            )),
        }
    }

    /// Apply `KEY=VALUE` pairs; they win over the vars file.
    pub fn set_pairs(&mut self, pairs: &[String]) -> Result<(), String> {
        for pair in pairs {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(format!("--var {pair:?} is not of the form KEY=VALUE"));
            };
            if k.is_empty() {
                return Err(format!("--var {pair:?} has an empty KEY"));
            }
            self.0.insert(k.to_owned(), Value::String(v.to_owned()));
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

/// Renders templates; one instance serves every file (it is `Sync`).
pub struct Renderer {
    registry: Handlebars<'static>,
    data: Value,
}

impl Renderer {
    pub fn new(vars: &Vars) -> Self {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // Manifests are YAML, not HTML: `&` in a value must stay `&`.
        registry.register_escape_fn(handlebars::no_escape);
        Renderer {
            registry,
            data: Value::Object(vars.0.clone()),
        }
    }

    /// Render `text` if it holds a Handlebars expression (`None`: nothing to render).
    pub fn render(&self, file: &str, text: &str) -> Result<Option<String>, InputError> {
        if !text.contains("{{") {
            return Ok(None);
        }
        self.registry
            .render_template(text, &self.data)
            .map(Some)
            .map_err(|e| {
                let (message, pos) = match e.reason() {
                    RenderErrorReason::MissingVariable(Some(var)) => (
                        format!(
                            "template variable `{var}` has no value; give it with --vars FILE or --var {var}=VALUE"
                        ),
                        position(text, e.line_no, e.column_no),
                    ),
                    RenderErrorReason::TemplateError(t) => {
                        let (l, c) = t.pos().map_or((None, None), |(l, c)| (Some(l), Some(c)));
                        (format!("invalid template: {}", t.reason()), position(text, l, c))
                    }
                    other => (format!("cannot render template: {other}"), position(text, e.line_no, e.column_no)),
                };
                InputError { file: file.to_owned(), pos, kind: InputErrorKind::Template, message }
            })
    }
}

fn position(text: &str, line: Option<usize>, column: Option<usize>) -> Option<Pos> {
    let line = line?.max(1);
    let column = column.unwrap_or(1).max(1);
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = text.get(line_start..).unwrap_or("");
    let offset = line_start
        + rest
            .char_indices()
            .nth(column - 1)
            .map_or(rest.len(), |(i, _)| i);
    Some(Pos::new(offset.min(text.len()), line, column))
}
