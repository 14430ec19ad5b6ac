//! The tree of a parsed template, shaped as raymond's (`ast/node.go`), with
//! the byte ranges of the template each node was written at.

use std::ops::Range;

/// A sequence of statements: a whole template, or a block's body or `else`.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub body: Vec<Node>,
    pub block_params: Vec<String>,
    /// An `{{else if ...}}` chain: the body is one block.
    pub chained: bool,
    /// The `~` of the `{{else}}` that opened it.
    pub strip: Option<Strip>,
}

/// `~` on either side of a tag, and (for whitespace control) whether the
/// tag stands alone on its line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Strip {
    pub open: bool,
    pub close: bool,
    pub open_standalone: bool,
    pub close_standalone: bool,
    pub inline_standalone: bool,
}

impl Strip {
    /// raymond's `NewStrip`: `~` right after the opening `{{`, right before
    /// the closing `}}`.
    pub fn new(open: &str, close: &str) -> Strip {
        Strip {
            open: open.len() > 2 && open.as_bytes()[2] == b'~',
            close: close.len() > 2 && close.as_bytes()[close.len() - 3] == b'~',
            ..Strip::default()
        }
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    Content(Content),
    Comment(Comment),
    Mustache(Mustache),
    Block(Block),
    Partial(Partial),
}

/// Literal text; whitespace control narrows its range.
#[derive(Debug, Clone)]
pub struct Content {
    /// What is left of it, as a byte range of the template.
    pub range: Range<usize>,
    pub left_stripped: bool,
    pub right_stripped: bool,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub strip: Strip,
}

#[derive(Debug, Clone)]
pub struct Mustache {
    pub expr: Expr,
    pub unescaped: bool,
    pub strip: Strip,
    /// The tag, `{{` through `}}`.
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub expr: Expr,
    pub program: Option<Program>,
    pub inverse: Option<Program>,
    pub open_strip: Option<Strip>,
    pub inverse_strip: Option<Strip>,
    pub close_strip: Option<Strip>,
    /// The opening tag.
    pub tag: Range<usize>,
    /// The whole block through its closing tag.
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Partial {
    pub strip: Strip,
    pub range: Range<usize>,
}

/// A helper or a value, with its parameters.
#[derive(Debug, Clone)]
pub struct Expr {
    pub path: Param,
    pub params: Vec<Param>,
    pub hash: Vec<(String, Param)>,
}

#[derive(Debug, Clone)]
pub enum Param {
    Path(PathExpr),
    String(String),
    Boolean(bool),
    /// The value, and whether Go's `Atoi` read it (an int).
    Number(f64, bool),
    Sub(Box<Expr>),
}

/// A path as raymond keeps it: `../` levels, `this`/`.` (scoped), the parts,
/// and the text as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathExpr {
    pub data: bool,
    pub original: String,
    pub parts: Vec<String>,
    pub depth: usize,
    pub scoped: bool,
}

impl PathExpr {
    pub fn part(&mut self, part: &str) {
        self.original.push_str(part);
        match part {
            ".." => {
                self.depth += 1;
                self.scoped = true;
            }
            "." | "this" => self.scoped = true,
            _ => self.parts.push(part.to_owned()),
        }
    }

    /// `@root...`.
    pub fn is_data_root(&self) -> bool {
        self.data && self.parts.first().is_some_and(|p| p == "root")
    }
}

impl Expr {
    /// raymond's `HelperName`: a plain one-part name.
    pub fn helper_name(&self) -> Option<&str> {
        match &self.path {
            Param::Path(p) if !p.data && p.parts.len() == 1 && p.depth == 0 && !p.scoped => {
                Some(&p.parts[0])
            }
            _ => None,
        }
    }

    /// raymond's `Canonical`: the name a closing tag must repeat.
    pub fn canonical(&self) -> String {
        helper_name_str(&self.path).unwrap_or_default()
    }
}

/// raymond's `HelperNameStr`.
pub fn helper_name_str(p: &Param) -> Option<String> {
    match p {
        Param::Path(p) => {
            let o = &p.original;
            Some(if o.len() >= 2 && o.starts_with('[') && o.ends_with(']') {
                o[1..o.len() - 1].to_owned()
            } else {
                o.clone()
            })
        }
        _ => literal_str(p),
    }
}

/// raymond's `LiteralStr`: a literal as text.
pub fn literal_str(p: &Param) -> Option<String> {
    match p {
        Param::String(s) => Some(s.clone()),
        Param::Boolean(b) => Some(b.to_string()),
        Param::Number(v, true) => Some(format!("{v:.0}")),
        Param::Number(v, false) => Some(format!("{v}")),
        _ => None,
    }
}
