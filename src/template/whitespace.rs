//! raymond's whitespace control (`parser/whitespace.go`): `~` strips the
//! whitespace beside a tag, and a block tag, comment or partial alone on its
//! line takes the line with it. The order in which raymond visits and trims
//! content decides the result (a trimmed text is not trimmed again as a
//! standalone line), so this follows it step by step: two nested
//! `{{/each}}` on consecutive lines do not both lose their lines.

use super::ast::{Block, Node, Program, Strip};

/// Apply whitespace control to a parsed template.
pub fn process(program: &mut Program, src: &str) {
    let mut v = Visitor {
        src,
        root_seen: false,
    };
    v.program(program);
}

struct Visitor<'a> {
    src: &'a str,
    root_seen: bool,
}

/// Go's `\s`.
fn space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

impl Visitor<'_> {
    fn text(&self, node: &Node) -> Option<(&[u8], bool, bool)> {
        match node {
            Node::Content(c) => Some((
                &self.src.as_bytes()[c.range.clone()],
                c.left_stripped,
                c.right_stripped,
            )),
            _ => None,
        }
    }

    /// raymond's `omitRight` on `body[j]`: trim the start of that content.
    fn trim_start(&self, body: &mut [Node], j: usize, multiple: bool) {
        let Some(Node::Content(c)) = body.get_mut(j) else {
            return;
        };
        if !multiple && c.right_stripped {
            return;
        }
        let t = &self.src.as_bytes()[c.range.clone()];
        let n = if multiple {
            t.iter().take_while(|&&b| space(b)).count()
        } else {
            let mut n = t.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            if t.get(n) == Some(&b'\r') {
                n += 1;
            }
            if t.get(n) == Some(&b'\n') {
                n += 1;
            }
            n
        };
        c.range.start += n;
        c.right_stripped = n > 0;
    }

    /// raymond's `omitLeft` on `body[j]`: trim the end of that content.
    fn trim_end(&self, body: &mut [Node], j: usize, multiple: bool) -> bool {
        let Some(Node::Content(c)) = body.get_mut(j) else {
            return false;
        };
        if !multiple && c.left_stripped {
            return false;
        }
        let t = &self.src.as_bytes()[c.range.clone()];
        let n = if multiple {
            t.iter().rev().take_while(|&&b| space(b)).count()
        } else {
            t.iter()
                .rev()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count()
        };
        c.range.end -= n;
        c.left_stripped = n > 0;
        c.left_stripped
    }

    fn trim_start_first(&self, body: &mut [Node], multiple: bool) {
        self.trim_start(body, 0, multiple);
    }

    fn trim_end_last(&self, body: &mut [Node], multiple: bool) {
        if let Some(j) = body.len().checked_sub(1) {
            self.trim_end(body, j, multiple);
        }
    }

    /// raymond's `isPrevWhitespaceProgram`: whether what precedes `body[i]`
    /// ends its line with nothing but whitespace.
    fn prev_whitespace(&self, body: &[Node], i: usize, root: bool) -> bool {
        if i < 1 {
            return root;
        }
        let Some((t, _, right_stripped)) = self.text(&body[i - 1]) else {
            return false;
        };
        if t.is_empty() && right_stripped {
            return true;
        }
        let trailing = t.iter().rev().take_while(|&&b| space(b)).count();
        let has_break = t[t.len() - trailing..].contains(&b'\n');
        if i > 1 || !root {
            has_break
        } else {
            has_break || trailing == t.len()
        }
    }

    /// raymond's `isNextWhitespaceProgram`, with `i` one past the index (so
    /// that "before the first" is 0).
    fn next_whitespace(&self, body: &[Node], i1: usize, root: bool) -> bool {
        if i1 >= body.len() {
            return root;
        }
        let Some((t, left_stripped, _)) = self.text(&body[i1]) else {
            return false;
        };
        if t.is_empty() && left_stripped {
            return true;
        }
        let leading = t.iter().take_while(|&&b| space(b)).count();
        let has_break = t[..leading].contains(&b'\n');
        if !root {
            has_break
        } else {
            has_break || leading == t.len()
        }
    }

    fn program(&mut self, program: &mut Program) {
        let root = !self.root_seen;
        self.root_seen = true;
        let body = &mut program.body;
        for i in 0..body.len() {
            let strip = match &mut body[i] {
                Node::Content(_) => continue,
                Node::Mustache(m) => m.strip,
                Node::Comment(c) => inline_standalone(c.strip),
                Node::Partial(p) => inline_standalone(p.strip),
                Node::Block(b) => self.block(b),
            };
            let prev = self.prev_whitespace(body, i, root);
            let next = self.next_whitespace(body, i + 1, root);
            let open_standalone = strip.open_standalone && prev;
            let close_standalone = strip.close_standalone && next;
            let inline = strip.inline_standalone && prev && next;
            if strip.close {
                self.trim_start(body, i + 1, true);
            }
            if strip.open && i > 0 {
                self.trim_end(body, i - 1, true);
            }
            if inline {
                self.trim_start(body, i + 1, false);
                if i > 0 {
                    self.trim_end(body, i - 1, false);
                }
            }
            if !matches!(body[i], Node::Block(_)) {
                continue;
            }
            if open_standalone {
                if let Node::Block(b) = &mut body[i]
                    && let Some(p) = b.program.as_mut().or(b.inverse.as_mut())
                {
                    self.trim_start_first(&mut p.body, false);
                }
                if i > 0 {
                    self.trim_end(body, i - 1, false);
                }
            }
            if close_standalone {
                self.trim_start(body, i + 1, false);
                if let Node::Block(b) = &mut body[i]
                    && let Some(p) = b.inverse.as_mut().or(b.program.as_mut())
                {
                    self.trim_end_last(&mut p.body, false);
                }
            }
        }
    }

    fn block(&mut self, block: &mut Block) -> Strip {
        if let Some(p) = &mut block.program {
            self.program(p);
        }
        if let Some(p) = &mut block.inverse {
            self.program(p);
        }
        let open_strip = block.open_strip.unwrap_or_default();
        let close_strip = block.close_strip.unwrap_or_default();
        let inverse_strip = block.inverse_strip;
        let (program, inverse) = match (&mut block.program, &mut block.inverse) {
            (Some(p), i) => (p, i.as_mut()),
            (None, Some(i)) => (i, None),
            (None, None) => return Strip::default(),
        };
        // The first (and, as raymond walks the chain, the last) program of
        // the `else` part.
        let mut inverse = inverse.map(first_inverse);
        let close_prog: &Program = match &inverse {
            Some(inv) => inv,
            None => program,
        };
        let strip = Strip {
            open: open_strip.open,
            close: close_strip.close,
            open_standalone: self.next_whitespace(&program.body, 0, false),
            close_standalone: self.prev_whitespace(&close_prog.body, close_prog.body.len(), false),
            inline_standalone: false,
        };
        if open_strip.close {
            self.trim_start_first(&mut program.body, true);
        }
        if let Some(inv) = &mut inverse {
            if let Some(s) = inverse_strip {
                if s.open {
                    self.trim_end_last(&mut program.body, true);
                }
                if s.close {
                    self.trim_start_first(&mut inv.body, true);
                }
            }
            if close_strip.open {
                self.trim_end_last(&mut inv.body, true);
            }
            if self.prev_whitespace(&program.body, program.body.len(), false)
                && self.next_whitespace(&inv.body, 0, false)
            {
                self.trim_end_last(&mut program.body, false);
                self.trim_start_first(&mut inv.body, false);
            }
        } else if close_strip.open {
            self.trim_end_last(&mut program.body, true);
        }
        strip
    }
}

/// The program of an `{{else if ...}}` chain's block, or the `else` itself.
fn first_inverse(inv: &mut Program) -> &mut Program {
    let chained =
        inv.chained && matches!(inv.body.first(), Some(Node::Block(b)) if b.program.is_some());
    if !chained {
        return inv;
    }
    match inv.body.first_mut() {
        Some(Node::Block(Block {
            program: Some(p), ..
        })) => p,
        _ => unreachable!("checked above"),
    }
}

fn inline_standalone(s: Strip) -> Strip {
    Strip {
        open: s.open,
        close: s.close,
        inline_standalone: true,
        ..Strip::default()
    }
}
