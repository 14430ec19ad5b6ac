//! A YAML tree that remembers where everything came from.
//!
//! Manifests are read into this tree rather than straight into typed structs,
//! because a linter must see what a typed reader throws away: the source span of
//! every node, the style of every scalar (quoted `"123"` versus plain `123`),
//! explicit tags, keys that appear twice in one mapping, and keys nobody asked for.
//! Mappings therefore keep their entries in source order, duplicates included.
//! Merge keys (`<<: *defaults`) are expanded as the cluster expands them, with
//! the merged entries keeping the spans of the text they were written in
//! (see `merge`).

mod contain;
mod json;
mod merge;
mod parse;
pub mod scalar;

pub use json::{documents, first_document};
pub use parse::{
    Budget, INTERNAL_ERROR, Origin, ParseError, over_budget, parse_rendered, parse_stream,
    parse_stream_keeping,
};

/// Which parts of a document to build. The parts left out are read all the
/// same: they must be valid YAML, they count against the budgets, and their
/// duplicate keys are recorded; only their content is not kept. Nodes with an
/// anchor, and the values of merge keys, are always built, since an alias or a
/// merge elsewhere may use them.
#[derive(Debug, Clone, Copy)]
pub enum Keep {
    /// The whole node.
    All,
    /// For a mapping: the values under these keys, each as its [`Keep`] says.
    /// Every key is kept; other values become [`Value::Skipped`]. Any other
    /// node is skipped as a whole.
    Keys(&'static [(&'static str, Keep)]),
}

/// A position in a source text: byte offset, 1-based line, 1-based column (in characters).
///
/// Stored as `u32` (files are far below 4 GiB by the size budget): every node and
/// every field of the model carries two of these, so their size is most of the
/// memory a large run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub offset: u32,
    pub line: u32,
    pub column: u32,
}

impl Pos {
    /// A position from `usize` values, saturating at `u32::MAX`.
    pub fn new(offset: usize, line: usize, column: usize) -> Pos {
        let narrow = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Pos {
            offset: narrow(offset),
            line: narrow(line),
            column: narrow(column),
        }
    }

    /// The byte offset, for indexing the source text.
    pub fn index(self) -> usize {
        self.offset as usize
    }
}

/// A half-open range of source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end.offset.saturating_sub(self.start.offset) as usize
    }

    /// The byte range, for indexing the source text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start.index()..self.end.index().max(self.start.index())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Style {
    /// Plain scalars are the only ones whose type is guessed from their text.
    pub fn is_plain(self) -> bool {
        self == Style::Plain
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value after escape processing (`"a\tb"` holds a tab).
    pub text: String,
    pub style: Style,
    /// An explicit tag such as `!!str`, as `tag:yaml.org,2002:str`.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in source order; a key written twice appears twice. Entries a merge
    /// key brings in stand where the `<<` was (see `merge`).
    Map(Vec<Entry>),
    /// A value the reader was asked not to build (see [`Keep`]): where it is,
    /// but not what it holds.
    Skipped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// One YAML document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based index of the document in its file.
    pub index: usize,
    pub root: Node,
    /// Keys written twice in one mapping, anywhere in the document, in source order.
    pub duplicates: Vec<DuplicateKey>,
}

/// A scalar key that appears again in the mapping that already has it.
/// Found while the mapping is built, so that checking for duplicates needs no
/// second walk over the tree, and no tree at all once the document is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The earlier key.
    pub first: Span,
    /// The later key.
    pub again: Span,
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar text of a key, if the key is a scalar.
    pub fn key_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// The last entry under `key` (what most YAML readers, and the cluster after
    /// a duplicate, would use).
    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.key_text() == Some(key))
    }

    /// Remove and return the last entry under `key` (the one [`Node::get_entry`] finds).
    pub fn take_entry(&mut self, key: &str) -> Option<Entry> {
        let Value::Map(entries) = &mut self.value else {
            return None;
        };
        let i = entries
            .iter()
            .rposition(|e| e.key.key_text() == Some(key))?;
        Some(entries.remove(i))
    }

    /// The last entry under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let Value::Map(entries) = &mut self.value else {
            return None;
        };
        entries
            .iter_mut()
            .rev()
            .find(|e| e.key.key_text() == Some(key))
            .map(|e| &mut e.value)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|e| &e.value)
    }

    /// A plain, human-readable name of what kind of node this is.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => scalar::resolve_k8s(s).type_name(),
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
            Value::Skipped => "value",
        }
    }

    /// Whether this is a null scalar (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        matches!(
            self.as_scalar().map(scalar::resolve_k8s),
            Some(scalar::Resolved::Null)
        )
    }
}
