//! Where each element of a compiled template stands in the template's text.
//!
//! handlebars-rust's parser keeps a line and column for expressions but not a
//! reliable one for literal text, and none for closing tags; and it has already
//! trimmed the whitespace of standalone lines (`  {{#each x}}\n`) off the text
//! around them. Walking the elements in source order with a cursor finds each
//! one: literal text is found verbatim at the cursor (after the whitespace the
//! parser trimmed), tags are the next `{{ ... }}`.

use handlebars::template::{Template, TemplateElement};
use std::collections::HashMap;
use std::ops::Range;

/// Byte ranges in the template of every element, keyed by the element's address.
#[derive(Default)]
pub(super) struct Spans {
    /// Literal text, expressions and comments: the element itself. Blocks: the
    /// opening tag.
    tag: HashMap<usize, Range<usize>>,
    /// Blocks only: from the opening tag to the end of the closing tag.
    whole: HashMap<usize, Range<usize>>,
}

fn key(e: &TemplateElement) -> usize {
    e as *const TemplateElement as usize
}

impl Spans {
    pub(super) fn of(template: &Template, src: &str) -> Spans {
        let mut spans = Spans::default();
        let mut cursor = 0;
        spans.walk(template, src, &mut cursor, false);
        spans
    }

    pub(super) fn tag(&self, e: &TemplateElement) -> Range<usize> {
        self.tag.get(&key(e)).cloned().unwrap_or(0..0)
    }

    pub(super) fn whole(&self, e: &TemplateElement) -> Range<usize> {
        self.whole
            .get(&key(e))
            .cloned()
            .unwrap_or_else(|| self.tag(e))
    }

    /// `chained`: this block is the `{{else if ...}}` of an outer block, whose
    /// closing tag it shares.
    fn walk(&mut self, t: &Template, src: &str, cursor: &mut usize, chained: bool) {
        for e in &t.elements {
            match e {
                TemplateElement::RawString(s) => {
                    let start = find_text(src, *cursor, s);
                    let end = (start + s.len()).min(src.len());
                    self.tag.insert(key(e), start..end);
                    *cursor = end;
                }
                TemplateElement::HelperBlock(h) => {
                    let open = next_tag(src, *cursor);
                    *cursor = open.end;
                    if let Some(body) = &h.template {
                        self.walk(body, src, cursor, false);
                    }
                    if let Some(inverse) = &h.inverse {
                        // `{{else}}` (or `{{^}}`) stands between the two, unless
                        // the block is inverse-only (`{{^x}}`) or the inverse is
                        // an `{{else if}}`, which is its own opening tag.
                        if h.template.is_some() && !h.chain {
                            *cursor = next_tag(src, *cursor).end;
                        }
                        self.walk(inverse, src, cursor, h.chain);
                    }
                    let end = if chained {
                        *cursor
                    } else {
                        let close = next_tag(src, *cursor);
                        *cursor = close.end;
                        close.end
                    };
                    self.whole.insert(key(e), open.start..end);
                    self.tag.insert(key(e), open);
                }
                TemplateElement::DecoratorBlock(_) | TemplateElement::PartialBlock(_) => {
                    // Not rendered (see `eval`): only the opening tag matters.
                    let open = next_tag(src, *cursor);
                    *cursor = open.end;
                    self.tag.insert(key(e), open);
                }
                _ => {
                    let tag = next_tag(src, *cursor);
                    *cursor = tag.end;
                    self.tag.insert(key(e), tag);
                }
            }
        }
    }
}

/// Where literal text `s` starts, at or after `cursor`. The parser may have
/// trimmed whitespace before it: the rest of a standalone tag's line, or all
/// of it after `~}}`. Tried in that order, then anywhere after the cursor.
fn find_text(src: &str, cursor: usize, s: &str) -> usize {
    let rest = src.get(cursor..).unwrap_or("");
    if s.is_empty() {
        return cursor.min(src.len());
    }
    let line_rest = rest.trim_start_matches([' ', '\t']);
    let after_line = line_rest
        .strip_prefix("\r\n")
        .or_else(|| line_rest.strip_prefix('\n'));
    let all_ws = rest.trim_start();
    let candidates = [after_line, Some(rest), Some(all_ws)];
    for c in candidates.into_iter().flatten() {
        if c.starts_with(s) {
            return cursor + (rest.len() - c.len());
        }
    }
    rest.find(s).map_or(cursor.min(src.len()), |i| cursor + i)
}

/// The next `{{ ... }}` at or after `cursor`, through its closing braces.
fn next_tag(src: &str, cursor: usize) -> Range<usize> {
    let rest = src.get(cursor..).unwrap_or("");
    let Some(i) = rest.find("{{") else {
        return src.len()..src.len();
    };
    let start = cursor + i;
    let body = &src[start..];
    let close = if body.starts_with("{{!--") || body.starts_with("{{~!--") {
        "--}}"
    } else if body.starts_with("{{{") {
        "}}}"
    } else {
        "}}"
    };
    let end = body[2..]
        .find(close)
        .map_or(src.len(), |j| start + 2 + j + close.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(src: &str) -> Vec<(String, String)> {
        let t = Template::compile(src).unwrap();
        let spans = Spans::of(&t, src);
        let mut out = Vec::new();
        fn collect(t: &Template, spans: &Spans, src: &str, out: &mut Vec<(String, String)>) {
            for e in &t.elements {
                let kind = match e {
                    TemplateElement::RawString(_) => "raw",
                    TemplateElement::HelperBlock(_) => "block",
                    _ => "tag",
                };
                out.push((kind.into(), src[spans.tag(e)].to_owned()));
                if let TemplateElement::HelperBlock(h) = e {
                    out.push(("whole".into(), src[spans.whole(e)].to_owned()));
                    for inner in [&h.template, &h.inverse].into_iter().flatten() {
                        collect(inner, spans, src, out);
                    }
                }
            }
        }
        collect(&t, &spans, src, &mut out);
        out.retain(|(k, s)| !(k == "raw" && s.is_empty()));
        out
    }

    #[test]
    fn standalone_lines_and_values() {
        let src = "a: {{ x }}\nl:\n  {{#each xs as |u|}}\n  - {{u}}\n  {{/each}}\nb: {{{y}}}\n";
        let got = spans_of(src);
        let want: Vec<(String, String)> = [
            ("raw", "a: "),
            ("tag", "{{ x }}"),
            ("raw", "\nl:\n"),
            ("block", "{{#each xs as |u|}}"),
            ("whole", "{{#each xs as |u|}}\n  - {{u}}\n  {{/each}}"),
            ("raw", "  - "),
            ("tag", "{{u}}"),
            ("raw", "\n"),
            ("raw", "b: "),
            ("tag", "{{{y}}}"),
            ("raw", "\n"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn else_and_comments() {
        let src = "{{!-- a }} b --}}{{#if a}}x{{else}}y{{/if}}z";
        let got = spans_of(src);
        assert_eq!(got[0], ("tag".into(), "{{!-- a }} b --}}".into()));
        assert!(got.contains(&("whole".into(), "{{#if a}}x{{else}}y{{/if}}".into())));
        assert!(got.contains(&("raw".into(), "y".into())));
        assert_eq!(got.last().unwrap(), &("raw".into(), "z".into()));
    }

    #[test]
    fn else_if_chains_share_the_closing_tag() {
        let src = "{{#if a}}1{{else if b}}2{{else}}3{{/if}}!";
        let got = spans_of(src);
        assert!(
            got.contains(&("whole".into(), src[..src.len() - 1].into())),
            "{got:?}"
        );
        assert_eq!(got.last().unwrap(), &("raw".into(), "!".into()));
    }
}
