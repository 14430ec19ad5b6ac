//! Builds [`Document`]s from the event stream of `granit-parser` (the parser
//! behind `serde-saphyr`), enforcing the input budgets on the way.
//!
//! Budgets keep hostile input bounded: the parser itself limits nesting, and the
//! builder counts nodes, documents and alias expansions so that an alias bomb or
//! a huge stream stops with a clear error instead of eating memory.

use super::{Document, DuplicateKey, Entry, Node, Pos, Scalar, Span, Style, Value};
use serde_saphyr::granit_parser::{self as gp, Event, Parser, ScalarStyle};
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
    let mut builder = Builder::new(text, budget);
    let result = builder.run();
    (builder.documents, result.err())
}

/// An open list or mapping. Its children so far sit at the end of the
/// builder's `items` or `entries`, from `first` on: nesting is last in, first
/// out, so the innermost open node always owns the tail. Each finished node
/// then takes its children in a vector of exactly the right size, which keeps
/// large trees compact and spares the reallocations of growing many vectors.
enum Frame {
    Seq {
        start: Pos,
        anchor: usize,
        first: usize,
    },
    Map {
        start: Pos,
        anchor: usize,
        first: usize,
        key: Option<Node>,
    },
}

struct Builder<'t> {
    text: &'t str,
    budget: Budget,
    /// Line starts (byte offsets), to turn the parser's character columns into
    /// byte offsets when it gives no byte offset itself. It always does for text
    /// in memory, so this is computed only if ever needed.
    line_starts: std::cell::OnceCell<Vec<usize>>,
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
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    aliases: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, budget: Budget) -> Self {
        Builder {
            text,
            budget,
            line_starts: std::cell::OnceCell::new(),
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

    fn pos(&self, m: &gp::Marker) -> Pos {
        let line = m.line().max(1);
        let column = m.col() + 1;
        let offset = match m.byte_offset() {
            Some(o) => o.min(self.text.len()),
            None => self.offset_of(line, m.col()),
        };
        Pos::new(offset, line, column)
    }

    fn offset_of(&self, line: usize, col: usize) -> usize {
        let line_starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let Some(&start) = line_starts.get(line - 1) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(col)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            pos,
        }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        let mut options = gp::Options::default();
        options.set_emit_comments(false);
        options.flow_nesting_limit = self.budget.max_depth;
        options.block_nesting_limit = self.budget.max_depth;
        let parser = Parser::new_from_str_with_options(self.text, options);
        for item in parser {
            let (event, span) = match item {
                Ok(ok) => ok,
                Err(e) => {
                    let pos = self.pos(e.marker());
                    let mut msg = e.to_string();
                    // The parser appends its own position; we report ours.
                    if let Some(i) = msg.find(" at char ").or_else(|| msg.find(" at line ")) {
                        msg.truncate(i);
                    }
                    if msg.contains("nesting limit") || msg.contains("recursion limit") {
                        msg = format!(
                            "nesting deeper than the budget of {} levels",
                            self.budget.max_depth
                        );
                    }
                    return Err(self.error(pos, msg));
                }
            };
            let span = Span {
                start: self.pos(&span.start),
                end: self.pos(&span.end),
            };
            self.event(event, span)?;
        }
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

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(..) => {
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
            Event::DocumentEnd => {
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
            Event::Scalar(text, style, anchor, tag) => {
                self.count_nodes(1, span.start)?;
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    _ => Style::Folded,
                };
                let tag = tag.map(|t| format!("{}{}", t.handle(), t.suffix()));
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style,
                        tag,
                    }),
                };
                self.finish(node, anchor, 1);
            }
            Event::SequenceStart(_, anchor, _) => {
                self.count_nodes(1, span.start)?;
                self.stack.push(Frame::Seq {
                    start: span.start,
                    anchor,
                    first: self.items.len(),
                });
            }
            Event::MappingStart(_, anchor, _) => {
                self.count_nodes(1, span.start)?;
                self.stack.push(Frame::Map {
                    start: span.start,
                    anchor,
                    first: self.entries.len(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (start, anchor, value) = match frame {
                    // Trees outlive parsing (manifests keep their maskinporten
                    // block), so drop the spare capacity growth left behind.
                    Frame::Seq {
                        start,
                        anchor,
                        first,
                    } => (
                        start,
                        anchor,
                        Value::Seq(self.items.drain(first..).collect()),
                    ),
                    Frame::Map {
                        start,
                        anchor,
                        first,
                        ..
                    } => {
                        let entries: Vec<Entry> = self.entries.drain(first..).collect();
                        find_duplicates(&entries, &mut self.duplicates);
                        let entries = super::merge::expand(entries, self.text)
                            .map_err(|e| self.error(e.span.start, e.message))?;
                        (start, anchor, Value::Map(entries))
                    }
                };
                let node = Node {
                    span: Span {
                        start,
                        end: span.end,
                    },
                    value,
                };
                let size = if anchor != 0 { count(&node) } else { 0 };
                self.finish(node, anchor, size);
            }
            Event::Alias(id) => {
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
                let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
                    return Err(self.error(span.start, "alias to an unknown anchor"));
                };
                self.count_nodes(size, span.start)?;
                let mut node = self.anchors[&id].0.clone();
                // Point at the alias, where the reader sees the value.
                node.span = span;
                self.finish(node, 0, 0);
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, node: Node, anchor: usize, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size.max(1)));
        }
        match self.stack.last_mut() {
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
        Value::Scalar(_) => 1,
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

    #[test]
    fn deep_nesting_hits_the_budget() {
        let s = "[".repeat(100_000);
        let (_, err) = parse(&s);
        assert!(err.is_some());
    }
}
