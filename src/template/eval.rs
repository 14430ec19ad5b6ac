//! Evaluates a parsed template as nais deploy's renderer (aymerick/raymond
//! v2.0.2, `eval.go`, `helper.go`, `string.go`, `data_frame.go`) does,
//! recording where every piece of output came from and every variable that
//! had no value.
//!
//! raymond's rules, kept here because templates depend on them:
//! - a path not found in the current context is looked up in the enclosing
//!   ones (`evalDepthPath`), unless its first part was found; a path over a
//!   list maps over its items;
//! - `@index`, `@key`, `@first`, `@last` come from the innermost iteration;
//!   a data name not found there is looked up as a plain name;
//! - `{{x}}` escapes `& ' < > "` as `&amp; &apos; &lt; &gt; &quot;`;
//! - truthiness: null, false, 0, "" and empty lists and mappings are false;
//! - a list prints as its items run together, null as nothing, a number as
//!   Go's `FormatFloat(f, 'f', -1, 64)`, a mapping as Go's `%s` prints it;
//! - helpers `if`, `unless`, `each`, `with`, `lookup`, `equal`, `log`, each
//!   with a fixed number of parameters (a wrong number fails the deploy);
//!   any other name is a value (`{{json x}}` prints the value `json`);
//! - a block over a value (`{{#x}}`) iterates a list, and otherwise renders
//!   its body in the value's context when it is true.
//!
//! With placeholders on, a variable without a value is printed as
//! `test_<name>`, the placeholder `nais validate` uses, and recorded; a block
//! over one renders as if it were false, and is recorded too. Inside a block
//! over a list or mapping, a field an item leaves out is empty or false, as
//! raymond makes it, and not recorded.

use super::ast::{Block, Expr, Node, Param, PathExpr, Program, literal_str};
use super::map::SourceMap;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// The variable nais deploy always supplies: without a value it gets its
/// placeholder silently.
pub const ALWAYS_SUPPLIED: &str = "image";

/// Deepest nesting of evaluated bodies: a block helper written as a value
/// (`{{if x}}` inside a block) makes raymond evaluate the enclosing block
/// again and again until the deploy crashes.
const MAX_EVAL_DEPTH: usize = 256;

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
    /// raymond fails to execute the template (the deploy fails), at this
    /// template byte range.
    Exec(String, Range<usize>),
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

/// A value as raymond holds it; `None` is Go's nil (JSON null included).
type Val<'v> = Option<Cow<'v, Value>>;

fn non_null(v: Cow<'_, Value>) -> Val<'_> {
    (!v.is_null()).then_some(v)
}

pub fn render<'a>(
    program: &'a Program,
    src: &'a str,
    root: &Value,
    limits: Limits,
    placeholders: bool,
) -> Result<Output, Failure> {
    let mut e = Eval {
        src,
        root,
        limits,
        placeholders,
        steps: 0,
        depth: 0,
        out: String::new(),
        map: SourceMap::new(src),
        missing: Vec::new(),
        ctx: vec![Cow::Borrowed(root)],
        frames: vec![BTreeMap::new()],
        block_params: Vec::new(),
        blocks: Vec::new(),
    };
    e.program(program)?;
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
    src: &'a str,
    root: &'v Value,
    limits: Limits,
    placeholders: bool,
    steps: usize,
    depth: usize,
    out: String,
    map: SourceMap,
    missing: Vec<MissingUse>,
    /// Context values (never nil: raymond pushes only valid ones).
    ctx: Vec<Cow<'v, Value>>,
    /// Private data frames (`@index`, ...), innermost last.
    frames: Vec<BTreeMap<&'static str, Value>>,
    block_params: Vec<Vec<(String, Val<'v>)>>,
    /// Blocks being evaluated, innermost last: helpers render these.
    blocks: Vec<&'a Block>,
}

impl<'a, 'v> Eval<'a, 'v> {
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

    /// raymond's `VisitProgram`.
    fn program(&mut self, p: &'a Program) -> Result<(), Failure> {
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            return Err(Failure::Exec(
                "a block helper used as a value (`{{if x}}` inside a block) makes raymond evaluate \
                 the enclosing block without end; the deploy crashes"
                    .into(),
                0..0,
            ));
        }
        for node in &p.body {
            self.step()?;
            match node {
                Node::Content(c) => {
                    let src = self.src;
                    self.write(&src[c.range.clone()], c.range.clone(), true)?;
                }
                Node::Comment(_) => {}
                Node::Partial(p) => {
                    return Err(Failure::Exec(
                        "partials (`{{> name}}`) are not found: nais deploy renders each file on its own, with no partials registered".into(),
                        p.range.clone(),
                    ));
                }
                Node::Mustache(m) => {
                    let start = (self.out.len(), self.map.len());
                    let value = self.expression(&m.expr, &m.range)?;
                    let helper_text = self.take_since(start);
                    let text = match (&value, &helper_text) {
                        (_, Some(t)) => t.clone(),
                        (Some(v), None) => go_str(v),
                        (None, None) => {
                            let helper = m.expr.helper_name().is_some_and(is_helper);
                            if let Some(name) =
                                self.missing_variable(&m.expr.path).filter(|_| !helper)
                            {
                                if name != ALWAYS_SUPPLIED {
                                    self.record(
                                        name.clone(),
                                        m.range.clone(),
                                        m.range.clone(),
                                        false,
                                        false,
                                    );
                                }
                                format!("test_{name}")
                            } else {
                                String::new()
                            }
                        }
                    };
                    let text = if m.unescaped {
                        text
                    } else {
                        escape_html(&text)
                    };
                    self.write(&text, m.range.clone(), false)?;
                }
                Node::Block(b) => self.block(b)?,
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Output written since `start` by a helper called as a value: raymond
    /// returns it as a string, to be escaped and printed at the tag.
    fn take_since(&mut self, start: (usize, usize)) -> Option<String> {
        if self.out.len() == start.0 && self.map.len() == start.1 {
            return None;
        }
        let text = self.out.split_off(start.0);
        self.map.truncate(start.1);
        Some(text)
    }

    /// raymond's `evalProgram`.
    fn eval_program(
        &mut self,
        p: &'a Program,
        ctx: Val<'v>,
        frame: Option<BTreeMap<&'static str, Value>>,
        key: Val<'v>,
    ) -> Result<(), Failure> {
        let mut params = Vec::new();
        if let Some(name) = p.block_params.first() {
            params.push((name.clone(), ctx.clone()));
        }
        if let (Some(name), Some(k)) = (p.block_params.get(1), &key) {
            params.push((name.clone(), Some(k.clone())));
        }
        let pushed_params = !params.is_empty();
        if pushed_params {
            self.block_params.push(params);
        }
        let pushed_ctx = ctx.is_some();
        if let Some(c) = ctx {
            self.ctx.push(c);
        }
        let pushed_frame = frame.is_some();
        if let Some(f) = frame {
            self.frames.push(f);
        }
        let result = self.program(p);
        if pushed_frame {
            self.frames.pop();
        }
        if pushed_ctx {
            self.ctx.pop();
        }
        if pushed_params {
            self.block_params.pop();
        }
        result
    }

    /// raymond's `VisitBlock`.
    fn block(&mut self, b: &'a Block) -> Result<(), Failure> {
        self.blocks.push(b);
        let result = self.block_inner(b);
        self.blocks.pop();
        result
    }

    fn block_inner(&mut self, b: &'a Block) -> Result<(), Failure> {
        if let Some(name) = b.expr.helper_name()
            && is_helper(name)
        {
            // The values a block helper tests or goes through.
            let tested = match name {
                "equal" => 2,
                "if" | "unless" | "each" | "with" => 1,
                _ => 0,
            };
            for p in b.expr.params.iter().take(tested) {
                let value = self.param(p, &b.tag)?;
                if value.is_none()
                    && let Some(missing) = self.missing_variable(p)
                {
                    let flag = matches!(name, "if" | "unless" | "equal");
                    self.record(missing, b.tag.clone(), b.range.clone(), true, flag);
                }
            }
            if let Some(v) = self.expression(&b.expr, &b.tag)? {
                // A helper's string result (`lookup`) is printed as it is.
                let text = go_str(&v);
                self.write(&text, b.tag.clone(), false)?;
            }
            return Ok(());
        }
        let value = self.expression(&b.expr, &b.tag)?;
        if value.is_none()
            && let Some(missing) = self.missing_variable(&b.expr.path)
        {
            self.record(missing, b.tag.clone(), b.range.clone(), true, false);
        }
        if let Some(value) = value.filter(|v| truthy(v)) {
            let Some(program) = &b.program else {
                return Ok(());
            };
            match value {
                Cow::Borrowed(Value::Array(items)) => {
                    let n = items.len();
                    for (i, item) in items.iter().enumerate() {
                        let frame = self.iteration(n, i, Value::Null);
                        self.eval_program(
                            program,
                            non_null(Cow::Borrowed(item)),
                            Some(frame),
                            Some(Cow::Owned(Value::from(i))),
                        )?;
                    }
                }
                Cow::Owned(Value::Array(items)) => {
                    let n = items.len();
                    for (i, item) in items.into_iter().enumerate() {
                        let frame = self.iteration(n, i, Value::Null);
                        self.eval_program(
                            program,
                            non_null(Cow::Owned(item)),
                            Some(frame),
                            Some(Cow::Owned(Value::from(i))),
                        )?;
                    }
                }
                v => self.eval_program(program, Some(v), None, None)?,
            }
        } else if let Some(inverse) = &b.inverse {
            self.program(inverse)?;
        }
        Ok(())
    }

    /// raymond's `newIterDataFrame`: a copy of the current frame with the
    /// iteration's data.
    fn iteration(&self, n: usize, i: usize, key: Value) -> BTreeMap<&'static str, Value> {
        let mut f = self.frames.last().cloned().unwrap_or_default();
        f.insert("index", Value::from(i));
        f.insert("key", key);
        f.insert("first", Value::Bool(i == 0));
        f.insert("last", Value::Bool(i + 1 == n));
        f
    }

    /// raymond's `VisitExpression`: a helper's result, or a value.
    fn expression(&mut self, e: &Expr, tag: &Range<usize>) -> Result<Val<'v>, Failure> {
        if let Some(name) = e.helper_name()
            && is_helper(name)
        {
            return self.helper(name, e, tag);
        }
        if let Some(literal) = literal_str(&e.path) {
            let Some(cur) = self.ctx.last() else {
                return Ok(None);
            };
            let (v, ()) = within(cur, |c| {
                Ok((field(c, &literal, tag)?.map(Cow::Borrowed), ()))
            })?;
            return Ok(v.and_then(non_null));
        }
        match &e.path {
            Param::Path(p) => self.path(p, tag),
            _ => Ok(None),
        }
    }

    fn helper(&mut self, name: &str, e: &Expr, tag: &Range<usize>) -> Result<Val<'v>, Failure> {
        let wanted = match name {
            "lookup" | "equal" => 2,
            _ => 1,
        };
        if e.params.len() != wanted {
            let needed = if name == "log" { 1 } else { wanted + 1 };
            return Err(Failure::Exec(
                format!(
                    "Helper '{name}' called with wrong number of arguments, needed {needed} but got {}",
                    e.params.len()
                ),
                tag.clone(),
            ));
        }
        let mut params = Vec::new();
        for p in &e.params {
            params.push(self.param(p, tag)?);
        }
        for (_, p) in &e.hash {
            self.param(p, tag)?;
        }
        let include_zero = e
            .hash
            .iter()
            .any(|(k, v)| k == "includeZero" && matches!(v, Param::Boolean(true)))
            && match &e.params[0] {
                Param::Number(v, true) => *v == 0.0,
                Param::Path(p) => {
                    p.data && p.parts == ["index"] && params[0].as_deref() == Some(&Value::from(0))
                }
                _ => false,
            };
        // A helper called as a value inside a block renders that block
        // (raymond's `Options.Fn` takes the innermost block being evaluated).
        let block = self.blocks.last().copied();
        let fn_ = |s: &mut Self, ctx: Val<'v>| -> Result<(), Failure> {
            match block.and_then(|b| b.program.as_ref()) {
                Some(p) => s.eval_program(p, ctx, None, None),
                None => Ok(()),
            }
        };
        let inverse = |s: &mut Self| -> Result<(), Failure> {
            match block.and_then(|b| b.inverse.as_ref()) {
                Some(p) => s.program(p),
                None => Ok(()),
            }
        };
        let first = params.swap_remove(0);
        match name {
            "if" | "unless" => {
                let yes = include_zero || first.as_deref().is_some_and(truthy);
                if yes == (name == "if") {
                    fn_(self, None)?;
                } else {
                    inverse(self)?;
                }
                Ok(None)
            }
            "with" => {
                if first.as_deref().is_some_and(truthy) {
                    fn_(self, first)?;
                } else {
                    inverse(self)?;
                }
                Ok(None)
            }
            "each" => {
                let Some(v) = first.filter(|v| truthy(v)) else {
                    inverse(self)?;
                    return Ok(None);
                };
                let Some(program) = block.and_then(|b| b.program.as_ref()) else {
                    return Ok(None);
                };
                // Over a mapping, `@key` is the key; over a list it is nil.
                let keyed = matches!(v.as_ref(), Value::Object(_));
                let items: Vec<(Value, Val<'v>)> = match v {
                    Cow::Borrowed(Value::Array(a)) => a
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (Value::from(i), non_null(Cow::Borrowed(v))))
                        .collect(),
                    Cow::Borrowed(Value::Object(m)) => m
                        .iter()
                        .map(|(k, v)| (Value::from(k.as_str()), non_null(Cow::Borrowed(v))))
                        .collect(),
                    Cow::Owned(Value::Array(a)) => a
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (Value::from(i), non_null(Cow::Owned(v))))
                        .collect(),
                    Cow::Owned(Value::Object(m)) => m
                        .into_iter()
                        .map(|(k, v)| (Value::from(k), non_null(Cow::Owned(v))))
                        .collect(),
                    _ => Vec::new(),
                };
                let n = items.len();
                for (i, (key, item)) in items.into_iter().enumerate() {
                    let frame = self.iteration(n, i, if keyed { key.clone() } else { Value::Null });
                    self.eval_program(program, item, Some(frame), Some(Cow::Owned(key)))?;
                }
                Ok(None)
            }
            "equal" => {
                let a = first.as_deref().map(go_str).unwrap_or_default();
                let b = params[0].as_deref().map(go_str).unwrap_or_default();
                if a == b {
                    fn_(self, None)?;
                }
                Ok(None)
            }
            "lookup" => {
                let key = params[0].as_deref().map(go_str).unwrap_or_default();
                let found = match first {
                    Some(obj) if !key.is_empty() => {
                        within(&obj, |o| Ok((field(o, &key, tag)?.map(Cow::Borrowed), ())))?
                            .0
                            .and_then(non_null)
                    }
                    _ => None,
                };
                Ok(Some(Cow::Owned(Value::String(
                    found.as_deref().map(go_str).unwrap_or_default(),
                ))))
            }
            // `log` writes to the deploy's log and prints nothing.
            _ => Ok(None),
        }
    }

    /// A parameter's value (raymond's `Accept` on a parameter node).
    fn param(&mut self, p: &Param, tag: &Range<usize>) -> Result<Val<'v>, Failure> {
        match p {
            Param::Path(path) => self.path(path, tag),
            Param::String(s) => Ok(Some(Cow::Owned(Value::String(s.clone())))),
            Param::Boolean(b) => Ok(Some(Cow::Owned(Value::Bool(*b)))),
            Param::Number(v, true) => Ok(Some(Cow::Owned(Value::from(*v as i64)))),
            Param::Number(v, false) => Ok(Some(Cow::Owned(
                serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
            ))),
            Param::Sub(e) => {
                let start = (self.out.len(), self.map.len());
                let v = self.expression(e, tag)?;
                Ok(match self.take_since(start) {
                    Some(text) => Some(Cow::Owned(Value::String(text))),
                    None => v,
                })
            }
        }
    }

    /// raymond's `evalPathExpression`.
    fn path(&mut self, p: &PathExpr, tag: &Range<usize>) -> Result<Val<'v>, Failure> {
        if let Some(first) = p.parts.first()
            && let Some(value) = self.block_param(first)
        {
            // raymond looks the path up in a context `{name: value}` pushed
            // on top: `name.rest` is `rest` in the value, `../x` starts one
            // context up from there, that is at the current one.
            if p.is_data_root() {
                return self.ctx_path(p, tag);
            }
            if p.depth == 0 {
                let (r, ()) = within(&value, |v| {
                    Ok((
                        eval_path(v, &p.parts[1..], tag)?
                            .0
                            .filter(|v| !v.is_null())
                            .map(Cow::Borrowed),
                        (),
                    ))
                })?;
                return Ok(r);
            }
            let up = PathExpr {
                depth: p.depth - 1,
                ..p.clone()
            };
            return self.ctx_path(&up, tag);
        }
        let mut result = None;
        let mut ctx_tried = false;
        if p.is_data_root() {
            result = self.ctx_path(p, tag)?;
            ctx_tried = true;
        }
        if result.is_none() && p.data {
            result = self.data_path(p);
        }
        if result.is_none() && !ctx_tried {
            result = self.ctx_path(p, tag)?;
        }
        Ok(result)
    }

    fn block_param(&self, name: &str) -> Option<Cow<'v, Value>> {
        for params in self.block_params.iter().rev() {
            for (n, v) in params {
                if n == name
                    && let Some(v) = v
                {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// raymond's `evalDataPathExpression`.
    fn data_path(&self, p: &PathExpr) -> Val<'v> {
        let i = self.frames.len().checked_sub(1 + p.depth)?;
        let frame = &self.frames[i];
        let (first, rest) = p.parts.split_first()?;
        let mut cur = frame.get(first.as_str())?.clone();
        for part in rest {
            cur = match cur {
                Value::Object(m) => m.get(part)?.clone(),
                _ => return None,
            };
        }
        non_null(Cow::Owned(cur))
    }

    /// raymond's `evalCtxPathExpression`.
    fn ctx_path(&mut self, p: &PathExpr, tag: &Range<usize>) -> Result<Val<'v>, Failure> {
        self.ctx_path_from(p, tag, 0)
    }

    /// [`Eval::ctx_path`] with the innermost `skip` contexts left out.
    fn ctx_path_from(
        &mut self,
        p: &PathExpr,
        tag: &Range<usize>,
        skip: usize,
    ) -> Result<Val<'v>, Failure> {
        let mut steps = 0;
        let result = self.ctx_path_counted(p, tag, skip, &mut steps);
        self.steps += steps;
        self.step()?;
        result
    }

    fn ctx_path_counted(
        &self,
        p: &PathExpr,
        tag: &Range<usize>,
        skip: usize,
        steps: &mut usize,
    ) -> Result<Val<'v>, Failure> {
        if p.is_data_root() {
            let root: &'v Value = self.root;
            return Ok(ctx_path(root, &p.parts[1..], tag, steps)?.0);
        }
        // raymond's `evalDepthPath`.
        let len = self.ctx.len().saturating_sub(skip);
        let mut depth = p.depth;
        while depth < len {
            let ctx = &self.ctx[len - 1 - depth];
            let (result, resolved) = within(ctx, |c| ctx_path(c, &p.parts, tag, steps))?;
            if result.is_some() || resolved {
                return Ok(result);
            }
            depth += 1;
        }
        Ok(None)
    }

    /// The name of a variable that has no value, if `p` is one: a path
    /// looked up at the top level (or through `@root`) whose first part the
    /// vars do not have. Inside an `{{#each}}` or `{{#with}}`, a field an
    /// item leaves out is not a variable.
    fn missing_variable(&self, p: &Param) -> Option<String> {
        if !self.placeholders {
            return None;
        }
        let Param::Path(p) = p else { return None };
        let top = if p.is_data_root() {
            true
        } else {
            !p.data && p.depth + 1 >= self.ctx.len()
        };
        if !top {
            return None;
        }
        let parts = if p.is_data_root() {
            &p.parts[1..]
        } else {
            &p.parts[..]
        };
        if let Some(first) = parts.first()
            && let Value::Object(m) = self.root
            && m.contains_key(first.as_str())
        {
            return None;
        }
        if parts.first().is_some_and(|f| self.block_param(f).is_some()) {
            return None;
        }
        Some(if p.data {
            format!("@{}", p.original)
        } else {
            p.original.clone()
        })
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
}

fn is_helper(name: &str) -> bool {
    matches!(
        name,
        "if" | "unless" | "each" | "with" | "lookup" | "equal" | "log"
    )
}

/// raymond's `evalCtxPath`: the value of `parts` in `ctx`, and whether its
/// first part was found. Over a list, the values found in its items (a new
/// list, whose items count as steps).
fn ctx_path<'a>(
    ctx: &'a Value,
    parts: &[String],
    tag: &Range<usize>,
    steps: &mut usize,
) -> Result<(Val<'a>, bool), Failure> {
    if let Value::Array(items) = ctx {
        *steps += items.len();
        let mut results = Vec::new();
        for item in items {
            if let (Some(v), _) = eval_path(item, parts, tag)? {
                results.push(v.clone());
            }
        }
        return Ok((Some(Cow::Owned(Value::Array(results))), false));
    }
    let (v, resolved) = eval_path(ctx, parts, tag)?;
    Ok((v.filter(|v| !v.is_null()).map(Cow::Borrowed), resolved))
}

/// raymond's `evalPath`: the value (JSON null included) and whether a part
/// was found.
fn eval_path<'a>(
    mut ctx: &'a Value,
    parts: &[String],
    tag: &Range<usize>,
) -> Result<(Option<&'a Value>, bool), Failure> {
    let mut resolved = false;
    for part in parts {
        let part = if part.len() >= 2 && part.starts_with('[') && part.ends_with(']') {
            &part[1..part.len() - 1]
        } else {
            part.as_str()
        };
        match field(ctx, part, tag)? {
            Some(v) => ctx = v,
            None => return Ok((None, resolved)),
        }
        resolved = true;
    }
    Ok((Some(ctx), resolved))
}

/// raymond's `evalField`: a mapping's key, a list's index (Go's `Atoi`).
fn field<'a>(ctx: &'a Value, name: &str, tag: &Range<usize>) -> Result<Option<&'a Value>, Failure> {
    Ok(match ctx {
        Value::Object(m) => m.get(name),
        Value::Array(a) => {
            let digits = name.strip_prefix(['+', '-']).unwrap_or(name);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(None);
            }
            match name.parse::<i64>() {
                Ok(i) if i < 0 => {
                    return Err(Failure::Exec(
                        format!(
                            "index out of range [{i}]: raymond crashes on a negative list index"
                        ),
                        tag.clone(),
                    ));
                }
                Ok(i) => usize::try_from(i).ok().and_then(|i| a.get(i)),
                Err(_) => None,
            }
        }
        _ => None,
    })
}

/// `f` over the value in `v`, borrowed for as long as `v` lends it: a
/// borrowed value's parts are borrowed too, an owned one's are copied (only
/// what `f` returns).
fn within<'v, T>(
    v: &Cow<'v, Value>,
    f: impl for<'a> FnOnce(&'a Value) -> Result<(Val<'a>, T), Failure>,
) -> Result<(Val<'v>, T), Failure> {
    match v {
        Cow::Borrowed(b) => f(b),
        Cow::Owned(o) => {
            let (r, t) = f(o)?;
            Ok((r.map(|c| Cow::Owned(c.into_owned())), t))
        }
    }
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
pub fn go_str(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_float_f(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(go_str).collect(),
        Value::Object(_) => go_fmt(v),
    }
}

/// Go's `FormatFloat(f, 'f', -1, 64)`: the shortest digits that read back,
/// never with an exponent (what Rust prints too).
fn go_float_f(f: f64) -> String {
    format!("{f}")
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): an
/// exponent when it is below -4 or from 6 on (shortest digits decide).
fn go_float_g(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..21).contains(&exp) && exp < 6 {
        return format!("{f}");
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// Go's `fmt.Sprintf("%s", v)` of what raymond cannot print otherwise (a
/// mapping): `map[k:v ...]`, keys sorted, other types as `%!s(type=value)`.
fn go_fmt(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => format!("%!s(bool={b})"),
        Value::Number(n) => format!("%!s(float64={})", go_float_g(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_fmt).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_fmt(&m[k.as_str()])))
                .collect();
            format!("map[{}]", items.join(" "))
        }
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

    fn run_with(src: &str, data: Value, placeholders: bool) -> Result<Output, Failure> {
        let p = super::super::parse::parse(src).unwrap();
        render(&p, src, &data, LIMITS, placeholders)
    }

    fn run(src: &str, data: Value) -> Output {
        run_with(src, data, true).unwrap()
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
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": [1, "x", [2]], "f": {"k": 1, "a": "s", "n": 889640782}}),
        );
        assert_eq!(
            o.text,
            "1|1.5|true||1x2|map[a:s k:%!s(float64=1) n:%!s(float64=8.89640782e+08)]"
        );
        assert!(o.missing.is_empty());
    }

    #[test]
    fn missing_variables_get_placeholders_and_are_recorded() {
        let o = run("a: {{x}}\nb: {{image}}\nc: {{app.name}}\n", json!({}));
        assert_eq!(o.text, "a: test_x\nb: test_image\nc: test_app.name\n");
        let names: Vec<_> = o.missing.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["x", "app.name"]);
        assert_eq!(&"a: {{x}}\n"[o.missing[0].tag.clone()], "{{x}}");
        let exact = run_with("a: {{x}}\n", json!({}), false).unwrap();
        assert_eq!(exact.text, "a: \n");
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
    fn unless_with_lookup_and_unknown_names() {
        let o = run(
            "{{#unless a}}U{{/unless}}{{#with w}}{{v}}{{/with}}{{lookup m \"k\"}}[{{json m}}]",
            json!({"a": false, "w": {"v": "V"}, "m": {"k": "K"}, "json": "j"}),
        );
        assert_eq!(o.text, "UVK[j]");
    }

    #[test]
    fn helpers_with_the_wrong_number_of_parameters_fail() {
        let err = run_with("{{#if}}x{{/if}}", json!({}), false).err().unwrap();
        assert!(
            matches!(err, Failure::Exec(ref m, _) if m.contains("wrong number")),
            "{err:?}"
        );
    }

    #[test]
    fn budgets_stop_runaway_templates() {
        let items: Vec<u32> = (0..1000).collect();
        let src = "{{#each a}}{{#each ../a}}{{#each ../../a}}x{{/each}}{{/each}}{{/each}}";
        let err = run_with(src, json!({"a": items}), true).err().unwrap();
        assert!(matches!(err, Failure::Budget(_)), "{err:?}");
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(go_float_g(1.0), "1");
        assert_eq!(go_float_g(100000.0), "100000");
        assert_eq!(go_float_g(1e6), "1e+06");
        assert_eq!(go_float_g(0.0001), "0.0001");
        assert_eq!(go_float_g(0.00001), "1e-05");
        assert_eq!(go_float_f(1e21), "1000000000000000000000");
    }
}
