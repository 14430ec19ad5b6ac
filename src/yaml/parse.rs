//! Builds [`Document`]s from the event stream of `libyaml-safer`, enforcing the
//! input budgets on the way.
//!
//! libyaml-safer is libyaml ported line by line to safe Rust. The cluster reads
//! manifests with go-yaml, itself a port of libyaml, so the two agree on what is
//! valid YAML and what each character means (YAML 1.1 syntax), and syntax errors
//! read like the ones `kubectl` prints.
//!
//! Budgets keep hostile input bounded: the builder limits nesting and counts
//! nodes, documents and alias expansions, so that deep nesting, an alias bomb or
//! a huge stream stops with a clear error instead of eating memory. The parser
//! produces events one at a time and keeps no tree of its own, so stopping early
//! stops all work.

use super::{Document, DuplicateKey, Entry, Keep, Node, Pos, Scalar, Span, Style, Value};
use libyaml_safer::{self as ly, Event, EventData, Mark, ScalarStyle};
use std::collections::HashMap;
use std::fmt;

/// Limits on what one file may contain.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Nodes (scalars, lists, mappings) in one file, counting alias expansions.
    pub max_nodes: usize,
    /// Alias uses (`*name`) in one file.
    pub max_aliases: usize,
    /// Documents in one file.
    pub max_documents: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_depth: 64,
            max_nodes: 1_000_000,
            max_aliases: 10_000,
            max_documents: 50_000,
        }
    }
}

/// The message of a stream the parser itself failed on (see [`super::contain`]):
/// not known to be invalid YAML.
pub const INTERNAL_ERROR: &str = "the YAML parser failed with an internal error on this file, in or after the list or mapping that starts here; please report it with the file";

/// Whether `message`, a [`ParseError`]'s, says that the text is over one of
/// the [`Budget`]s rather than invalid: told by the fixed wording of those
/// messages, which quote no input (an alias named `*budget` is no budget).
pub fn over_budget(message: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = message
        .strip_prefix("nesting deeper than the budget of ")
        .and_then(|m| m.strip_suffix(" levels"))
    {
        return number(n);
    }
    let Some(what) = message
        .strip_prefix("more than ")
        .and_then(|m| m.strip_suffix(" in one file (budget)"))
    else {
        return false;
    };
    ["YAML nodes", "documents", "aliases"].iter().any(|unit| {
        what.strip_suffix(unit)
            .and_then(|n| n.strip_suffix(' '))
            .is_some_and(number)
    })
}

/// Why a YAML stream could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every complete document of `text`, and the error that stopped the stream, if any.
/// Documents before a syntax error are kept; the one it occurred in is not.
pub fn parse_stream(text: &str, budget: Budget) -> (Vec<Document>, Option<ParseError>) {
    parse_stream_keeping(text, budget, Keep::All)
}

/// [`parse_stream`], building only the parts of each document that `keep`
/// names. Reading a folder of manifests needs a few fields of each document;
/// the rest is still parsed and checked, but not built only to be dropped.
pub fn parse_stream_keeping(
    text: &str,
    budget: Budget,
    keep: Keep,
) -> (Vec<Document>, Option<ParseError>) {
    let mut builder = Builder::new(text, budget, keep, None);
    let result = builder.run();
    (builder.documents, result.err())
}

/// Where a position of a rendered text stands in the text it was rendered
/// from: its byte offset there, and that text.
pub struct Origin<'t> {
    pub text: &'t str,
    pub pos: &'t (dyn Fn(usize) -> Pos + Sync),
}

/// [`parse_stream_keeping`] on a text rendered from a template: every
/// position in the documents and the error is the template's (see `origin`).
pub fn parse_rendered(
    text: &str,
    origin: &Origin<'_>,
    budget: Budget,
    keep: Keep,
) -> (Vec<Document>, Option<ParseError>) {
    let mut builder = Builder::new(text, budget, keep, Some(origin));
    let result = builder.run();
    (builder.documents, result.err())
}

/// An open list or mapping. Its children so far sit at the end of the
/// builder's `items` or `entries`, from `first` on: nesting is last in, first
/// out, so the innermost open node always owns the tail. Each finished node
/// then takes its children in a vector of exactly the right size, which keeps
/// large trees compact and spares the reallocations of growing many vectors.
///
/// `keep` is what to build of the node; `None` skips it: a skipped list
/// collects no items, a skipped mapping collects its keys (for duplicate keys)
/// with [`Value::Skipped`] values, and either ends as a [`Value::Skipped`] node.
enum Frame {
    Seq {
        start: Pos,
        anchor: Option<String>,
        first: usize,
        keep: Option<Keep>,
    },
    Map {
        start: Pos,
        anchor: Option<String>,
        first: usize,
        key: Option<Node>,
        keep: Option<Keep>,
    },
}

/// The key of a merge (`<<`): its value is always built, so that merges are
/// checked and applied wherever they are.
const MERGE_KEY: &str = "<<";

struct Builder<'t> {
    /// The text parsed.
    text: &'t str,
    /// The text positions refer to: `text` itself, or the template it was
    /// rendered from.
    src: &'t str,
    origin: Option<&'t Origin<'t>>,
    budget: Budget,
    /// What to build of each document's root.
    keep: Keep,
    documents: Vec<Document>,
    /// Duplicate keys of the current document.
    duplicates: Vec<DuplicateKey>,
    stack: Vec<Frame>,
    /// Children of the open lists (see [`Frame`]).
    items: Vec<Node>,
    /// Entries of the open mappings (see [`Frame`]).
    entries: Vec<Entry>,
    root: Option<Node>,
    /// Anchored nodes of the current document, with their node counts.
    anchors: HashMap<String, (Node, usize)>,
    nodes: usize,
    aliases: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, budget: Budget, keep: Keep, origin: Option<&'t Origin<'t>>) -> Self {
        Builder {
            text,
            src: origin.map_or(text, |o| o.text),
            origin,
            budget,
            keep,
            documents: Vec::new(),
            duplicates: Vec::new(),
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            nodes: 0,
            aliases: 0,
        }
    }

    /// libyaml counts lines and columns from 0 (columns in characters) and
    /// offsets in bytes.
    fn pos(&self, m: Mark) -> Pos {
        let offset = self.offset(m);
        if let Some(origin) = self.origin {
            return (origin.pos)(offset);
        }
        let narrow = |v: u64| usize::try_from(v).unwrap_or(usize::MAX).saturating_add(1);
        Pos::new(offset, narrow(m.line), narrow(m.column))
    }

    /// The byte offset of a mark in the text parsed.
    fn offset(&self, m: Mark) -> usize {
        usize::try_from(m.index).map_or(self.text.len(), |o| o.min(self.text.len()))
    }

    /// The position of a byte offset of the text parsed.
    fn pos_of(&self, offset: usize) -> Pos {
        match self.origin {
            Some(origin) => (origin.pos)(offset),
            None => crate::source::pos_of_offset(self.text.as_bytes(), offset),
        }
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            pos,
        }
    }

    /// Read the whole stream. A panic inside the parser (see [`super::contain`])
    /// ends the stream with an error at the innermost list or mapping open.
    fn run(&mut self) -> Result<(), ParseError> {
        match super::contain::contain(|| self.events()) {
            Some(result) => result,
            None => {
                let at = self.stack.last().map_or(Pos::new(0, 1, 1), |f| match f {
                    Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
                });
                Err(self.error(at, INTERNAL_ERROR))
            }
        }
    }

    fn events(&mut self) -> Result<(), ParseError> {
        let mut input = self.text.as_bytes();
        let mut parser = ly::Parser::new();
        parser.set_input_string(&mut input);
        loop {
            let event = parser.parse().map_err(|e| self.syntax_error(&e))?;
            if matches!(event.data, EventData::StreamEnd) {
                return Ok(());
            }
            self.event(event)?;
        }
    }

    /// The parser's problem, where it found it, and what it was reading then:
    /// `did not find expected key (while parsing a block mapping at line 2, column 3)`.
    /// A problem found only at the end of the file (an unclosed `[`) is
    /// reported where the unfinished construct starts, which is what needs fixing.
    fn syntax_error(&self, e: &ly::Error) -> ParseError {
        let Some(mark) = e.problem_mark() else {
            return self.character_error(e.problem());
        };
        let pos = self.pos(mark);
        let offset = self.offset(mark);
        let problem = e.problem();
        if self.text[offset..].starts_with('\t') {
            return self.error(
                pos,
                "a tab cannot indent YAML or start a value here; use spaces",
            );
        }
        let context = e
            .context()
            .zip(e.context_mark().map(|m| self.pos(m)))
            .filter(|&(_, at)| at != pos);
        if offset >= self.text.trim_end().len() {
            let unfinished = match context {
                Some((context, at)) => Some((context.to_owned(), at)),
                None => self.stack.last().map(|frame| match frame {
                    Frame::Seq { start, .. } => ("in the list".to_owned(), *start),
                    Frame::Map { start, .. } => ("in the mapping".to_owned(), *start),
                }),
            };
            if let Some((context, at)) = unfinished {
                return self.error(
                    at,
                    format!("{problem} before the end of the file ({context} that starts here)"),
                );
            }
        }
        match context {
            Some((context, at)) => self.error(
                pos,
                format!(
                    "{problem} ({context} at line {}, column {})",
                    at.line, at.column
                ),
            ),
            None => self.error(pos, problem),
        }
    }

    /// The reader's only complaint about valid UTF-8 is a character YAML does
    /// not allow; it does not say where, so find it.
    fn character_error(&self, problem: &str) -> ParseError {
        let found = self.text.char_indices().find(|&(_, c)| !allowed_in_yaml(c));
        match found {
            Some((at, c)) => self.error(
                self.pos_of(at),
                format!(
                    "the control character U+{:04X} is not allowed in YAML; remove it or write it escaped in a double-quoted string",
                    u32::from(c)
                ),
            ),
            None => self.error(Pos::new(0, 1, 1), problem),
        }
    }

    /// What to build of the node that starts now: a node with an anchor is
    /// built whole, any other as its place in the document says.
    fn child_keep(&self, anchored: bool) -> Option<Keep> {
        if anchored {
            return Some(Keep::All);
        }
        match self.stack.last() {
            None => Some(self.keep),
            Some(Frame::Seq { keep, .. }) => keep.filter(|k| matches!(k, Keep::All)),
            // A key: scalars are built regardless, for duplicate keys.
            Some(Frame::Map {
                key: None, keep, ..
            }) => keep.filter(|k| matches!(k, Keep::All)),
            Some(Frame::Map {
                key: Some(key),
                keep,
                ..
            }) => {
                let name = key.key_text();
                if name == Some(MERGE_KEY) {
                    return Some(Keep::All);
                }
                match keep {
                    Some(Keep::All) => Some(Keep::All),
                    Some(Keep::Keys(fields)) => fields
                        .iter()
                        .find(|(field, _)| Some(*field) == name)
                        .map(|(_, k)| *k),
                    None => None,
                }
            }
        }
    }

    /// Whether the next node is a mapping key.
    fn at_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn open(&mut self, frame: Frame, at: Pos) -> Result<(), ParseError> {
        if self.stack.len() >= self.budget.max_depth {
            return Err(self.error(
                at,
                format!(
                    "nesting deeper than the budget of {} levels",
                    self.budget.max_depth
                ),
            ));
        }
        self.count_nodes(1, at)?;
        self.stack.push(frame);
        Ok(())
    }

    fn count_nodes(&mut self, n: usize, at: Pos) -> Result<(), ParseError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.budget.max_nodes {
            return Err(self.error(
                at,
                format!(
                    "more than {} YAML nodes in one file (budget)",
                    self.budget.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn event(&mut self, event: Event) -> Result<(), ParseError> {
        let span = Span {
            start: self.pos(event.start_mark),
            end: self.pos(event.end_mark),
        };
        match event.data {
            EventData::DocumentStart { .. } => {
                if self.documents.len() >= self.budget.max_documents {
                    return Err(self.error(
                        span.start,
                        format!(
                            "more than {} documents in one file (budget)",
                            self.budget.max_documents
                        ),
                    ));
                }
                self.anchors.clear();
            }
            EventData::DocumentEnd { .. } => {
                let root = self.root.take().unwrap_or(Node {
                    span,
                    value: Value::Scalar(Scalar {
                        text: String::new(),
                        style: Style::Plain,
                        tag: None,
                    }),
                });
                let index = self.documents.len();
                let mut duplicates = std::mem::take(&mut self.duplicates);
                // Inner mappings end first; report in source order.
                duplicates.sort_by_key(|d| d.again.start.offset);
                self.documents.push(Document {
                    index,
                    root,
                    duplicates,
                });
            }
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                self.count_nodes(1, span.start)?;
                let style = match style {
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                    _ => Style::Plain,
                };
                // What go-yaml v2 refuses while it decodes: the deploy fails.
                if let Some(t) = &tag {
                    let scalar = Scalar {
                        text: value.clone(),
                        style,
                        tag: Some(t.clone()),
                    };
                    if let Some(why) = super::scalar::tag_mismatch(&scalar) {
                        return Err(
                            self.error(span.start, format!("{why} (nais deploy cannot decode it)"))
                        );
                    }
                }
                let at_key = self.at_key();
                if at_key
                    && style == Style::Plain
                    && tag.is_none()
                    && super::scalar::resolve_k8s(&Scalar {
                        text: value.clone(),
                        style,
                        tag: None,
                    }) == super::scalar::Resolved::Null
                {
                    return Err(self.error(
                        span.start,
                        "a mapping key that is null (nais deploy cannot turn it into JSON: Unsupported map key)",
                    ));
                }
                let built = at_key || self.child_keep(anchor.is_some()).is_some();
                let value = if built {
                    Value::Scalar(Scalar {
                        text: value,
                        style,
                        tag,
                    })
                } else {
                    Value::Skipped
                };
                self.finish(Node { span, value }, anchor, 1);
            }
            EventData::SequenceStart { anchor, .. } => {
                self.refuse_complex_key(span.start)?;
                let first = self.items.len();
                let keep = self.child_keep(anchor.is_some());
                self.open(
                    Frame::Seq {
                        start: span.start,
                        anchor,
                        first,
                        keep,
                    },
                    span.start,
                )?;
            }
            EventData::MappingStart { anchor, .. } => {
                self.refuse_complex_key(span.start)?;
                let first = self.entries.len();
                let keep = self.child_keep(anchor.is_some());
                self.open(
                    Frame::Map {
                        start: span.start,
                        anchor,
                        first,
                        key: None,
                        keep,
                    },
                    span.start,
                )?;
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (start, anchor, value) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        keep: None,
                        ..
                    } => (start, anchor, Value::Skipped),
                    Frame::Seq {
                        start,
                        anchor,
                        first,
                        ..
                    } => (
                        start,
                        anchor,
                        Value::Seq(self.items.drain(first..).collect()),
                    ),
                    Frame::Map {
                        start,
                        anchor,
                        first,
                        keep,
                        ..
                    } => {
                        find_duplicates(&self.entries[first..], &mut self.duplicates);
                        let merges = self.entries[first..]
                            .iter()
                            .any(|e| super::merge::is_merge_key(&e.key, self.src));
                        // A skipped mapping is checked, not kept: unless a
                        // merge needs checking, it needs no vector of its own.
                        if keep.is_none() && !merges {
                            self.entries.truncate(first);
                            (start, anchor, Value::Skipped)
                        } else {
                            let entries: Vec<Entry> = self.entries.drain(first..).collect();
                            let entries = super::merge::expand(entries, self.src)
                                .map_err(|e| self.error(e.span.start, e.message))?;
                            let value = match keep {
                                Some(_) => Value::Map(entries),
                                None => Value::Skipped,
                            };
                            (start, anchor, value)
                        }
                    }
                };
                let node = Node {
                    span: Span {
                        start,
                        end: span.end,
                    },
                    value,
                };
                let size = if anchor.is_some() { count(&node) } else { 0 };
                self.finish(node, anchor, size);
            }
            EventData::Alias { anchor } => {
                self.aliases += 1;
                if self.aliases > self.budget.max_aliases {
                    return Err(self.error(
                        span.start,
                        format!(
                            "more than {} aliases in one file (budget)",
                            self.budget.max_aliases
                        ),
                    ));
                }
                let Some(&(_, size)) = self.anchors.get(&anchor) else {
                    return Err(self.error(
                        span.start,
                        format!("alias `*{anchor}` to an anchor not defined before it"),
                    ));
                };
                // Counted before the copy is made, so a bomb stops before it costs memory.
                self.count_nodes(size, span.start)?;
                let node = if self.at_key() || self.child_keep(false).is_some() {
                    let mut node = self.anchors[&anchor].0.clone();
                    // Point at the alias, where the reader sees the value.
                    node.span = span;
                    node
                } else {
                    Node {
                        span,
                        value: Value::Skipped,
                    }
                };
                self.finish(node, None, 0);
            }
            EventData::StreamStart { .. } | EventData::StreamEnd => {}
        }
        Ok(())
    }

    /// go-yaml v2 refuses a list or mapping as a mapping key while it
    /// decodes (`invalid map key`): the deploy fails.
    fn refuse_complex_key(&self, at: Pos) -> Result<(), ParseError> {
        if self.at_key() {
            return Err(self.error(
                at,
                "a mapping key that is a list or mapping (nais deploy cannot decode it: invalid map key)",
            ));
        }
        Ok(())
    }

    fn finish(&mut self, node: Node, anchor: Option<String>, size: usize) {
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, (node.clone(), size.max(1)));
        }
        match self.stack.last_mut() {
            Some(Frame::Seq { keep: None, .. }) => {}
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                Some(k) => self.entries.push(Entry {
                    key: k,
                    value: node,
                }),
                None => *key = Some(node),
            },
            None => self.root = Some(node),
        }
    }
}

/// The characters YAML 1.1 allows in a stream (its `c-printable`).
fn allowed_in_yaml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\x20'..='\x7E' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Record keys of `entries` that an earlier entry already has. Small mappings
/// (nearly all of them) are scanned pairwise; larger ones use a hash map.
fn find_duplicates(entries: &[Entry], out: &mut Vec<DuplicateKey>) {
    let mut record = |first: &Node, again: &Node, key: &str| {
        out.push(DuplicateKey {
            key: key.to_owned(),
            first: first.span,
            again: again.span,
        })
    };
    if entries.len() <= 16 {
        for (i, e) in entries.iter().enumerate() {
            let Some(k) = e.key.key_text() else { continue };
            if let Some(first) = entries[..i].iter().find(|p| p.key.key_text() == Some(k)) {
                record(&first.key, &e.key, k);
            }
        }
        return;
    }
    let mut seen: HashMap<&str, &Node> = HashMap::with_capacity(entries.len());
    for e in entries {
        let Some(k) = e.key.key_text() else { continue };
        match seen.get(k) {
            Some(first) => record(first, &e.key, k),
            None => {
                seen.insert(k, &e.key);
            }
        }
    }
}

fn count(node: &Node) -> usize {
    match &node.value {
        Value::Scalar(_) | Value::Skipped => 1,
        Value::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|e| count(&e.key) + count(&e.value))
                .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> (Vec<Document>, Option<ParseError>) {
        parse_stream(t, Budget::default())
    }

    #[test]
    fn budget_messages_are_told_from_syntax_errors() {
        let small = Budget {
            max_depth: 2,
            max_nodes: 4,
            max_aliases: 1,
            max_documents: 2,
        };
        for text in [
            "[[[1]]]\n",
            "[1, 2, 3, 4, 5]\n",
            "a: &x 1\nb: *x\nc: *x\n",
            "1\n---\n2\n---\n3\n",
        ] {
            let err = parse_stream(text, small).1.unwrap();
            assert!(over_budget(&err.message), "{text:?}: {}", err.message);
        }
        for text in ["a: *budget\n", "a: [1\n", "budget: [\n"] {
            let err = parse(text).1.unwrap();
            assert!(!over_budget(&err.message), "{text:?}: {}", err.message);
        }
    }

    #[test]
    fn positions_are_one_based_with_byte_offsets() {
        let (docs, err) = parse("a: 1\nbø: \"x\"\n");
        assert!(err.is_none());
        let map = docs[0].root.as_map().unwrap();
        let v = &map[1].value;
        assert_eq!((v.span.start.line, v.span.start.column), (2, 5));
        assert_eq!(v.span.start.index(), "a: 1\nbø: ".len());
        assert_eq!(v.as_scalar().unwrap().style, Style::DoubleQuoted);
    }

    #[test]
    fn duplicates_are_kept_and_recorded() {
        let (docs, _) = parse("a: 1\na: 2\nb: {c: 1, c: 2}\n");
        assert_eq!(docs[0].root.as_map().unwrap().len(), 3);
        assert_eq!(
            docs[0].root.get("a").unwrap().as_scalar().unwrap().text,
            "2"
        );
        let dups: Vec<(&str, u32, u32)> = docs[0]
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.first.start.line, d.again.start.column))
            .collect();
        assert_eq!(dups, [("a", 1, 1), ("c", 3, 11)]);
    }

    #[test]
    fn what_go_yaml_v2_refuses_while_it_decodes_is_an_error() {
        for (text, why) in [
            ("a: 1\nb: !!int x\n", "cannot decode !!str `x` as a !!int"),
            ("a: 1\n~: x\n", "a mapping key that is null"),
            (
                "a: 1\n? [a]\n: b\n",
                "a mapping key that is a list or mapping",
            ),
            (
                "a: 1\n{b: c}: d\n",
                "a mapping key that is a list or mapping",
            ),
        ] {
            let (_, err) = parse(text);
            let err = err.unwrap_or_else(|| panic!("{text}"));
            assert!(err.message.contains(why), "{text}: {}", err.message);
            assert_eq!(err.pos.line, 2, "{text}");
        }
        assert!(
            parse("a: !!float 1\nb: !!str 1\nc: !!int \"2\"\n")
                .1
                .is_none()
        );
    }

    #[test]
    fn multiple_documents_and_errors() {
        let (docs, err) = parse("a: 1\n---\nb: [\n");
        assert_eq!(docs.len(), 1);
        let err = err.unwrap();
        assert!(err.pos.line >= 3, "{err:?}");
    }

    #[test]
    fn alias_bomb_hits_the_budget() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let (_, err) = parse(&s);
        assert!(err.unwrap().message.contains("budget"));
    }

    const SPEC_A: Keep = Keep::Keys(&[("spec", Keep::Keys(&[("a", Keep::All)]))]);

    fn keeping(t: &str) -> (Vec<Document>, Option<ParseError>) {
        parse_stream_keeping(t, Budget::default(), SPEC_A)
    }

    #[test]
    fn only_the_kept_parts_are_built() {
        let (docs, err) = keeping("x: [1, 2]\nspec:\n  a: {b: [1]}\n  c: {d: 1}\n  e: 1\n");
        assert!(err.is_none());
        let root = &docs[0].root;
        assert_eq!(root.get("x").unwrap().value, Value::Skipped);
        let spec = root.get("spec").unwrap();
        assert_eq!(
            spec.get("a")
                .unwrap()
                .get("b")
                .unwrap()
                .as_seq()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(spec.get("c").unwrap().value, Value::Skipped);
        assert_eq!(spec.get("e").unwrap().value, Value::Skipped);
        // Spans stay: a skipped value still says where it is.
        assert_eq!(spec.get("c").unwrap().span.start.line, 4);
    }

    #[test]
    fn skipped_parts_still_report_duplicate_keys() {
        let (docs, _) = keeping("x: {k: 1, k: 2}\nspec:\n  c: [{k: 1, k: 2}]\n");
        let lines: Vec<u32> = docs[0]
            .duplicates
            .iter()
            .map(|d| d.again.start.line)
            .collect();
        assert_eq!(lines, [1, 3]);
    }

    #[test]
    fn anchors_in_skipped_parts_serve_aliases_and_merges_in_kept_ones() {
        let (docs, err) =
            keeping("x: &d {p: 1}\ny: &s [1, 2]\nspec:\n  a:\n    m: {<<: *d, q: 2}\n    l: *s\n");
        assert!(err.is_none(), "{err:?}");
        let a = docs[0].root.get("spec").unwrap().get("a").unwrap();
        let m = a.get("m").unwrap();
        assert_eq!(m.get("p").unwrap().as_scalar().unwrap().text, "1");
        assert_eq!(a.get("l").unwrap().as_seq().unwrap().len(), 2);
    }

    #[test]
    fn skipped_parts_are_held_to_the_budgets_and_merge_rules() {
        let (_, err) = keeping(&format!("x: {}\n", "[".repeat(100)));
        assert!(err.unwrap().message.contains("nesting"));
        let (_, err) = keeping("x: &a [1]\ny: [*b]\n");
        assert!(err.unwrap().message.contains("anchor"));
        let (_, err) = keeping("x: {<<: 1}\n");
        assert!(err.unwrap().message.contains("merge key"));
        let mut bomb = String::from("x:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "  a{i}: &a{i} [{}]\n",
                vec![format!("*a{p}"); 10].join(", ")
            ));
        }
        let (_, err) = keeping(&bomb);
        assert!(err.unwrap().message.contains("budget"));
    }

    #[test]
    fn a_block_scalar_may_end_the_file_without_a_line_break() {
        for (text, value) in [("a: |\n  x\n  y", "x\ny"), ("a: >-\n  x\n  y", "x y")] {
            let (docs, err) = parse(text);
            assert!(err.is_none(), "{text:?}: {err:?}");
            let a = docs[0].root.get("a").unwrap().as_scalar().unwrap();
            assert_eq!(a.text, value, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_hits_the_budget() {
        let s = "[".repeat(100_000);
        let (_, err) = parse(&s);
        assert!(err.is_some());
    }
}
