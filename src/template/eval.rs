//! Evaluates a compiled template as nais deploy's renderer (aymerick/raymond)
//! does, recording where every piece of output came from and every variable
//! that had no value.
//!
//! handlebars-rust parses the template; it renders too, but tells neither
//! where output came from nor which lookups failed, and it follows
//! handlebars.js where raymond differs. The evaluation here follows raymond
//! (`eval.go`, `helper.go`, `string.go`, `utils.go`, read at 7c01a03,
//! 2025-06-19) for what manifests use:
//! - a path not found in the current context is looked up in the enclosing
//!   ones (raymond's `evalDepthPath`), unless its first part was found;
//! - `{{x}}` escapes `& ' < > "` as `&amp; &apos; &lt; &gt; &quot;`, `{{{x}}}`
//!   does not;
//! - truthiness: null, false, 0, "" and empty lists and mappings are false;
//! - a list prints as its items run together, null as nothing, a number as Go
//!   prints it;
//! - helpers `if`, `unless`, `each` (lists and mappings; `@index`, `@key`,
//!   `@first`, `@last`, `as |item index|`), `with`, `lookup`, `equal`, `log`;
//!   `@root`, `this`, `../`.
//!
//! A variable without a value is printed as `test_<name>`, the placeholder
//! `nais validate` uses, and recorded; a block over one renders as if it were
//! false, and is recorded too. Inside a block over a list or mapping, a field
//! an item leaves out is empty or false, as raymond makes it, and not recorded.

use super::locate::Spans;
use super::map::SourceMap;
use handlebars::template::{BlockParam, HelperTemplate, Parameter, Template, TemplateElement};
use serde_json::Value;
use std::borrow::Cow;
use std::ops::Range;

/// The variable nais deploy always supplies: without a value it gets its
/// placeholder silently.
pub const ALWAYS_SUPPLIED: &str = "image";

/// Bounds on one rendering, so that no template exhausts memory or time.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest rendered text, in bytes.
    pub max_output: usize,
    /// Elements evaluated in all (a `{{#each}}` body counts once per item).
    pub max_steps: usize,
}

/// One use of a variable that had no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingUse {
    /// The path as written (`app.name`, `this.x`).
    pub name: String,
    /// The expression, or a block's opening tag (template bytes).
    pub tag: Range<usize>,
    /// The expression, or the whole block up to its closing tag.
    pub extent: Range<usize>,
    /// Whether this is a block's condition or list rather than a printed value.
    pub block: bool,
    /// Whether the block tests the variable (`if`, `unless`, `equal`) rather
    /// than going through it (`each`, `with`).
    pub flag: bool,
}

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Something raymond would not render, at this template byte range.
    Unsupported(String, Range<usize>),
    /// Output or step budget; the message says which.
    Budget(String),
}

pub struct Output {
    pub text: String,
    pub map: SourceMap,
    pub missing: Vec<MissingUse>,
    /// Elements evaluated, against [`Limits::max_steps`].
    pub steps: usize,
}

/// One context level: `this`, the iteration data of an `{{#each}}`, and the
/// block parameters of the block that opened it.
struct Scope<'v> {
    this: Cow<'v, Value>,
    data: Option<Iteration<'v>>,
    params: Vec<(String, Cow<'v, Value>)>,
}

#[derive(Clone)]
struct Iteration<'v> {
    index: usize,
    key: Cow<'v, Value>,
    first: bool,
    last: bool,
}

pub fn render(
    template: &Template,
    src: &str,
    root: &Value,
    limits: Limits,
) -> Result<Output, Failure> {
    let spans = Spans::of(template, src);
    let mut e = Eval {
        spans: &spans,
        root,
        limits,
        steps: 0,
        out: String::new(),
        map: SourceMap::new(src),
        missing: Vec::new(),
        stack: vec![Scope {
            this: Cow::Borrowed(root),
            data: None,
            params: Vec::new(),
        }],
    };
    e.template(template)?;
    let total = e.out.len();
    e.map.finish(total);
    Ok(Output {
        text: e.out,
        map: e.map,
        missing: e.missing,
        steps: e.steps,
    })
}

struct Eval<'a, 'v> {
    spans: &'a Spans,
    root: &'v Value,
    limits: Limits,
    steps: usize,
    out: String,
    map: SourceMap,
    missing: Vec<MissingUse>,
    stack: Vec<Scope<'v>>,
}

/// A value looked up: found, or not there at all.
type Found<'v> = Option<Cow<'v, Value>>;

impl<'a, 'v> Eval<'a, 'v> {
    fn template(&mut self, t: &Template) -> Result<(), Failure> {
        for e in &t.elements {
            self.element(e)?;
        }
        Ok(())
    }

    fn step(&mut self) -> Result<(), Failure> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(Failure::Budget(format!(
                "rendering took more than the budget of {} steps (nested `{{{{#each}}}}` over long lists?)",
                self.limits.max_steps
            )));
        }
        Ok(())
    }

    fn write(&mut self, text: &str, src: Range<usize>, literal: bool) -> Result<(), Failure> {
        if self.out.len() + text.len() > self.limits.max_output {
            return Err(Failure::Budget(format!(
                "the rendered text would be larger than the budget of {} MiB",
                self.limits.max_output / 1024 / 1024
            )));
        }
        if !text.is_empty() {
            self.map.push(self.out.len(), src, literal);
            self.out.push_str(text);
        }
        Ok(())
    }

    fn element(&mut self, e: &TemplateElement) -> Result<(), Failure> {
        self.step()?;
        match e {
            TemplateElement::RawString(s) => self.write(s, self.spans.tag(e), true),
            TemplateElement::Comment(_) => Ok(()),
            TemplateElement::Expression(h) => self.expression(e, h, true),
            TemplateElement::HtmlExpression(h) => self.expression(e, h, false),
            TemplateElement::HelperBlock(h) => self.block(e, h),
            TemplateElement::PartialExpression(_) | TemplateElement::PartialBlock(_) => Err(
                Failure::Unsupported(
                    "partials (`{{> name}}`) are not supported: nais deploy renders each file on its own, with no partials registered".into(),
                    self.spans.tag(e),
                ),
            ),
            _ => Err(Failure::Unsupported(
                "decorators (`{{* name}}`) are not supported by nais deploy's renderer".into(),
                self.spans.tag(e),
            )),
        }
    }

    fn expression(
        &mut self,
        e: &TemplateElement,
        h: &HelperTemplate,
        escape: bool,
    ) -> Result<(), Failure> {
        let tag = self.spans.tag(e);
        let value = match (&h.name, h.params.is_empty()) {
            (Parameter::Path(_), true) => self.param(&h.name, &tag)?,
            (Parameter::Name(n), true) if n != "lookup" => self.param(&h.name, &tag)?,
            (Parameter::Name(n), false) if n == "lookup" => self.lookup_helper(h, &tag)?,
            // raymond's `log` writes to the deploy's log and prints nothing.
            (Parameter::Name(n), false) if n == "log" => return Ok(()),
            _ => return Err(self.unsupported_helper(&h.name, tag)),
        };
        match value {
            Some(v) => {
                let text = print(&v);
                let text = if escape { escape_html(&text) } else { text };
                self.write(&text, tag, false)
            }
            None if !self.is_variable(&h.name) => Ok(()),
            None => {
                let name = param_name(&h.name);
                if name != ALWAYS_SUPPLIED {
                    self.record(name.clone(), tag.clone(), tag.clone(), false, false);
                }
                self.write(&format!("test_{name}"), tag, false)
            }
        }
    }

    fn block(&mut self, e: &TemplateElement, h: &HelperTemplate) -> Result<(), Failure> {
        let tag = self.spans.tag(e);
        let helper = match &h.name {
            Parameter::Name(n) => n.as_str(),
            // `{{#x}}...{{/x}}`, a section over a value (mustache style).
            Parameter::Path(_) => "with",
            other => return Err(self.unsupported_helper(other, tag)),
        };
        if helper == "equal" {
            return self.equal(e, h);
        }
        if !matches!(helper, "if" | "unless" | "each" | "with") {
            return Err(self.unsupported_helper(&h.name, tag));
        }
        // A mustache-style section names its value as the block's name.
        let param = match (&h.name, h.params.first()) {
            (Parameter::Path(_), _) => &h.name,
            (_, Some(p)) => p,
            (_, None) => {
                return Err(Failure::Unsupported(
                    format!("`{{{{#{helper}}}}}` needs a value to test"),
                    tag,
                ));
            }
        };
        let value = self.param(param, &tag)?;
        if value.is_none() && self.is_variable(param) {
            let name = param_name(param);
            let extent = self.spans.whole(e);
            let flag = matches!(helper, "if" | "unless");
            self.record(name, tag.clone(), extent, true, flag);
        }
        let truthy = value.as_deref().is_some_and(truthy);
        match helper {
            "if" => self.branch(h, truthy),
            "unless" => self.branch(h, !truthy),
            "with" => match value {
                Some(v) if truthy => {
                    let params = block_params(h, [v.clone(), Cow::Owned(Value::Null)]);
                    self.nested(h.template.as_ref(), v, None, params)
                }
                _ => self.branch(h, false),
            },
            _ => self.each(h, value, truthy),
        }
    }

    /// `{{#equal a b}}`: the body when both print the same; raymond has no
    /// `{{else}}` for it.
    fn equal(&mut self, e: &TemplateElement, h: &HelperTemplate) -> Result<(), Failure> {
        let tag = self.spans.tag(e);
        let (Some(a), Some(b)) = (h.params.first(), h.params.get(1)) else {
            return Err(Failure::Unsupported("`equal` takes two values".into(), tag));
        };
        let mut printed = Vec::new();
        for p in [a, b] {
            match self.param(p, &tag)? {
                Some(v) => printed.push(print(&v)),
                None => {
                    if self.is_variable(p) {
                        self.record(param_name(p), tag.clone(), self.spans.whole(e), true, true);
                    }
                    printed.push(String::new());
                }
            }
        }
        if printed[0] == printed[1] {
            self.branch(h, true)?;
        }
        Ok(())
    }

    fn branch(&mut self, h: &HelperTemplate, first: bool) -> Result<(), Failure> {
        match if first { &h.template } else { &h.inverse } {
            Some(t) => self.template(t),
            None => Ok(()),
        }
    }

    fn each(&mut self, h: &HelperTemplate, value: Found<'v>, truthy: bool) -> Result<(), Failure> {
        let Some(value) = value.filter(|_| truthy) else {
            return self.branch(h, false);
        };
        let items: Vec<(Cow<'v, Value>, Cow<'v, Value>)> = match value {
            Cow::Borrowed(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (Cow::Owned(Value::from(i)), Cow::Borrowed(v)))
                .collect(),
            Cow::Borrowed(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (Cow::Owned(Value::from(k.as_str())), Cow::Borrowed(v)))
                .collect(),
            Cow::Owned(Value::Array(a)) => a
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Cow::Owned(Value::from(i)), Cow::Owned(v)))
                .collect(),
            Cow::Owned(Value::Object(m)) => m
                .into_iter()
                .map(|(k, v)| (Cow::Owned(Value::from(k)), Cow::Owned(v)))
                .collect(),
            // raymond iterates nothing else, and prints nothing for it.
            _ => Vec::new(),
        };
        let n = items.len();
        for (i, (key, item)) in items.into_iter().enumerate() {
            let data = Iteration {
                index: i,
                key: key.clone(),
                first: i == 0,
                last: i + 1 == n,
            };
            let params = block_params(h, [item.clone(), key]);
            self.nested(h.template.as_ref(), item, Some(data), params)?;
        }
        Ok(())
    }

    fn nested(
        &mut self,
        body: Option<&Template>,
        this: Cow<'v, Value>,
        data: Option<Iteration<'v>>,
        params: Vec<(String, Cow<'v, Value>)>,
    ) -> Result<(), Failure> {
        let Some(body) = body else { return Ok(()) };
        self.stack.push(Scope { this, data, params });
        let result = self.template(body);
        self.stack.pop();
        result
    }

    fn lookup_helper(
        &mut self,
        h: &HelperTemplate,
        tag: &Range<usize>,
    ) -> Result<Found<'v>, Failure> {
        let (Some(obj), Some(key)) = (h.params.first(), h.params.get(1)) else {
            return Err(Failure::Unsupported(
                "`lookup` takes a value and a key".into(),
                tag.clone(),
            ));
        };
        let obj = self.param(obj, tag)?;
        let key = self.param(key, tag)?;
        let (Some(obj), Some(key)) = (obj, key) else {
            return Ok(None);
        };
        let key = print(&key);
        Ok(match obj {
            Cow::Borrowed(v) => child(v, &key).map(Cow::Borrowed),
            Cow::Owned(v) => child(&v, &key).cloned().map(Cow::Owned),
        })
    }

    /// The value of a helper parameter or expression name.
    fn param(&mut self, p: &Parameter, tag: &Range<usize>) -> Result<Found<'v>, Failure> {
        match p {
            Parameter::Literal(v) => Ok(Some(Cow::Owned(v.clone()))),
            Parameter::Name(n) => Ok(self.path(n)),
            Parameter::Path(path) => Ok(self.path(raw_path(path))),
            _ => Err(Failure::Unsupported(
                "subexpressions (`(helper ...)`) are not supported".into(),
                tag.clone(),
            )),
        }
    }

    fn path(&self, raw: &str) -> Found<'v> {
        let parsed = PathExpr::parse(raw);
        if let Some(name) = &parsed.data {
            let scope = self
                .stack
                .iter()
                .rev()
                .filter(|s| s.data.is_some())
                .nth(parsed.up)?;
            let data = scope.data.as_ref()?;
            let v = match name.as_str() {
                "index" => Cow::Owned(Value::from(data.index)),
                "key" => data.key.clone(),
                "first" => Cow::Owned(Value::Bool(data.first)),
                "last" => Cow::Owned(Value::Bool(data.last)),
                _ => return None,
            };
            return walk(v, &parsed.parts);
        }
        if parsed.root {
            return walk(Cow::Borrowed(self.root), &parsed.parts);
        }
        let depth = self.stack.len().checked_sub(1 + parsed.up)?;
        // Block parameters first, from the innermost block out.
        if let Some(first) = parsed.parts.first()
            && !parsed.scoped
        {
            for scope in self.stack[..=depth].iter().rev() {
                if let Some((_, v)) = scope.params.iter().find(|(n, _)| n == first) {
                    return walk(v.clone(), &parsed.parts[1..]);
                }
            }
        }
        if parsed.parts.is_empty() {
            return Some(self.stack[depth].this.clone());
        }
        // raymond looks in the enclosing contexts until one has the first part.
        for scope in self.stack[..=depth].iter().rev() {
            if child(&scope.this, &parsed.parts[0]).is_some() {
                return walk(scope.this.clone(), &parsed.parts);
            }
        }
        None
    }

    /// Whether a lookup that found nothing is a template variable without a
    /// value: one looked up at the top level (or through `@root` or `../` up
    /// to it). Inside an `{{#each}}` or `{{#with}}`, a field an item leaves out
    /// is empty or false, as in nais deploy, and is not reported: list items
    /// commonly leave optional fields out (`{{#if permissions}}`).
    fn is_variable(&self, p: &Parameter) -> bool {
        let raw = match p {
            Parameter::Name(n) => n.as_str(),
            Parameter::Path(path) => raw_path(path),
            _ => return false,
        };
        let parsed = PathExpr::parse(raw);
        parsed.data.is_none() && (parsed.root || parsed.up + 1 >= self.stack.len())
    }

    fn record(
        &mut self,
        name: String,
        tag: Range<usize>,
        extent: Range<usize>,
        block: bool,
        flag: bool,
    ) {
        let use_ = MissingUse {
            name,
            tag,
            extent,
            block,
            flag,
        };
        if !self.missing.contains(&use_) {
            self.missing.push(use_);
        }
    }

    fn unsupported_helper(&self, name: &Parameter, tag: Range<usize>) -> Failure {
        Failure::Unsupported(
            format!(
                "helper `{}` is not one nais deploy's renderer has (if, unless, each, with, lookup, equal, log)",
                param_name(name)
            ),
            tag,
        )
    }
}

/// `as |item key|`: the names a block binds, with their values.
fn block_params<'v>(
    h: &HelperTemplate,
    values: [Cow<'v, Value>; 2],
) -> Vec<(String, Cow<'v, Value>)> {
    let name = |p: &Parameter| match p {
        Parameter::Name(n) => Some(n.clone()),
        Parameter::Path(p) => Some(raw_path(p).to_owned()),
        _ => None,
    };
    let [item, key] = values;
    match &h.block_param {
        Some(BlockParam::Single(p)) => name(p).map(|n| vec![(n, item)]).unwrap_or_default(),
        Some(BlockParam::Pair((a, b))) => [name(a).map(|n| (n, item)), name(b).map(|n| (n, key))]
            .into_iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

fn raw_path(p: &handlebars::Path) -> &str {
    match p {
        handlebars::Path::Relative((_, raw)) => raw,
        handlebars::Path::Local((_, _, raw)) => raw,
    }
}

fn param_name(p: &Parameter) -> String {
    match p {
        Parameter::Name(n) => n.clone(),
        Parameter::Path(p) => raw_path(p).to_owned(),
        Parameter::Literal(v) => v.to_string(),
        _ => "(...)".into(),
    }
}

/// A path as written, taken apart: `../../@index`, `@root.a.b`, `this.x`, `[a b].c`.
#[derive(Debug, Default, PartialEq)]
struct PathExpr {
    /// `../` levels.
    up: usize,
    /// `@root`.
    root: bool,
    /// `this.` or `./`: no block parameter lookup.
    scoped: bool,
    /// A private variable (`@index`), by name.
    data: Option<String>,
    parts: Vec<String>,
}

impl PathExpr {
    fn parse(raw: &str) -> PathExpr {
        let mut p = PathExpr::default();
        let mut rest = raw;
        while let Some(r) = rest.strip_prefix("../") {
            p.up += 1;
            rest = r;
        }
        if let Some(r) = rest.strip_prefix('@') {
            if r == "root" || r.starts_with("root.") || r.starts_with("root/") {
                p.root = true;
                rest = r.get(5..).unwrap_or("");
            } else {
                let (name, tail) = split_first(r);
                p.data = Some(name);
                rest = tail;
            }
        }
        let mut first = true;
        while !rest.is_empty() {
            let (seg, tail) = split_first(rest);
            rest = tail;
            if first && (seg == "this" || seg == ".") {
                p.scoped = true;
            } else if !seg.is_empty() {
                p.parts.push(seg);
            }
            first = false;
        }
        p
    }
}

/// The first segment of a path and the rest after its separator; `[...]`
/// quotes a segment.
fn split_first(s: &str) -> (String, &str) {
    if let Some(r) = s.strip_prefix('[')
        && let Some(end) = r.find(']')
    {
        let rest = &r[end + 1..];
        let rest = rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix('/'))
            .unwrap_or(rest);
        return (r[..end].to_owned(), rest);
    }
    match s.find(['.', '/']) {
        // `./x` and `this/x`: the separator after `.` or `this`.
        Some(0) if s.starts_with("./") => (".".into(), &s[2..]),
        Some(i) => (s[..i].to_owned(), &s[i + 1..]),
        None => (s.to_owned(), ""),
    }
}

fn child<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Object(m) => m.get(key),
        Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

fn walk<'v>(start: Cow<'v, Value>, parts: &[String]) -> Found<'v> {
    let mut cur = start;
    for part in parts {
        cur = match cur {
            Cow::Borrowed(v) => Cow::Borrowed(child(v, part)?),
            Cow::Owned(v) => Cow::Owned(child(&v, part)?.clone()),
        };
    }
    Some(cur)
}

/// raymond's `IsTrue`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// raymond's `Str`: how a value prints.
fn print(v: &Value) -> String {
    match v {
        Value::Null | Value::Object(_) => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            // Rust prints the shortest digits that read back, never with an
            // exponent: Go's `FormatFloat(f, 'f', -1, 64)`.
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(print).collect(),
    }
}

/// raymond's `escape`.
pub fn escape_html(s: &str) -> String {
    if !s.contains(['&', '\'', '<', '>', '"']) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&apos;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: Limits = Limits {
        max_output: 1 << 20,
        max_steps: 100_000,
    };

    fn run(src: &str, data: Value) -> Output {
        let t = Template::compile(src).unwrap();
        render(&t, src, &data, LIMITS).unwrap()
    }

    #[test]
    fn escapes_as_raymond_does() {
        let o = run("a: {{x}} {{{x}}} {{&x}}", json!({"x": "&'<>\"`="}));
        assert_eq!(o.text, "a: &amp;&apos;&lt;&gt;&quot;`= &'<>\"`= &'<>\"`=");
    }

    #[test]
    fn prints_values_as_raymond_does() {
        let o = run(
            "{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}",
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": [1, "x", [2]], "f": {"k": 1}}),
        );
        assert_eq!(o.text, "1|1.5|true||1x2|");
        assert!(o.missing.is_empty());
    }

    #[test]
    fn missing_variables_get_placeholders_and_are_recorded() {
        let o = run("a: {{x}}\nb: {{image}}\nc: {{app.name}}\n", json!({}));
        assert_eq!(o.text, "a: test_x\nb: test_image\nc: test_app.name\n");
        let names: Vec<_> = o.missing.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["x", "app.name"]);
        assert_eq!(&"a: {{x}}\n"[o.missing[0].tag.clone()], "{{x}}");
    }

    #[test]
    fn blocks_over_missing_variables_are_false_and_recorded() {
        let src = "{{#each xs}}- {{this}}\n{{/each}}{{#if f}}yes{{else}}no{{/if}}";
        let o = run(src, json!({}));
        assert_eq!(o.text, "no");
        assert_eq!(o.missing.len(), 2);
        assert!(o.missing.iter().all(|m| m.block));
        assert_eq!(
            &src[o.missing[0].extent.clone()],
            "{{#each xs}}- {{this}}\n{{/each}}"
        );
    }

    #[test]
    fn each_over_lists_and_mappings_with_data_and_block_params() {
        let o = run(
            "{{#each xs as |x i|}}{{i}}={{x.n}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/each}}|{{#each m}}{{@key}}:{{this}}@{{@index}},{{/each}}",
            json!({"xs": [{"n": "a"}, {"n": "b"}], "m": {"k1": "v1", "k2": "v2"}}),
        );
        assert_eq!(o.text, "0=aF;1=bL;|k1:v1@0,k2:v2@1,");
    }

    #[test]
    fn paths_fall_back_to_enclosing_contexts_as_raymond_does() {
        let o = run(
            "{{#each xs}}{{name}}-{{team}}-{{../team}}-{{@root.team}} {{/each}}",
            json!({"team": "t", "xs": [{"name": "a"}, {"name": "b", "team": "u"}]}),
        );
        assert_eq!(o.text, "a-t-t-t b-u-t-t ");
    }

    #[test]
    fn unless_with_and_lookup() {
        let o = run(
            "{{#unless a}}U{{/unless}}{{#with w}}{{v}}{{/with}}{{lookup m \"k\"}}",
            json!({"a": false, "w": {"v": "V"}, "m": {"k": "K"}}),
        );
        assert_eq!(o.text, "UVK");
    }

    #[test]
    fn fields_items_leave_out_are_empty_not_missing() {
        let o = run(
            "{{#each xs}}[{{name}}{{#if opt}}!{{/if}}{{this.x}}]{{/each}}{{@root.top}}",
            json!({"xs": [{"name": "a", "opt": true}, {"name": "b"}]}),
        );
        assert_eq!(o.text, "[a!][b]test_@root.top");
        let names: Vec<_> = o.missing.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["@root.top"]);
    }

    #[test]
    fn equal_and_log() {
        let o = run(
            "{{#equal a \"x\"}}same{{/equal}}{{#equal a b}}no{{/equal}}{{log a}}.",
            json!({"a": "x", "b": "y"}),
        );
        assert_eq!(o.text, "same.");
    }

    #[test]
    fn budgets_stop_runaway_templates() {
        let items: Vec<u32> = (0..1000).collect();
        let src = "{{#each a}}{{#each ../a}}{{#each ../../a}}x{{/each}}{{/each}}{{/each}}";
        let t = Template::compile(src).unwrap();
        let err = render(&t, src, &json!({"a": items}), LIMITS).err().unwrap();
        assert!(matches!(err, Failure::Budget(_)), "{err:?}");
    }

    #[test]
    fn unknown_helpers_are_unsupported() {
        let t = Template::compile("{{json x}}").unwrap();
        let err = render(&t, "{{json x}}", &json!({}), LIMITS).err().unwrap();
        assert!(
            matches!(err, Failure::Unsupported(ref m, _) if m.contains("`json`")),
            "{err:?}"
        );
    }

    #[test]
    fn path_expressions_parse() {
        let p = PathExpr::parse("../../@index");
        assert_eq!((p.up, p.data.as_deref()), (2, Some("index")));
        let p = PathExpr::parse("@root.a.b");
        assert!(p.root);
        assert_eq!(p.parts, ["a", "b"]);
        let p = PathExpr::parse("this.x");
        assert!(p.scoped);
        assert_eq!(p.parts, ["x"]);
        assert_eq!(PathExpr::parse("[a b].c").parts, ["a b", "c"]);
        assert_eq!(PathExpr::parse("max-token-age").parts, ["max-token-age"]);
    }
}
