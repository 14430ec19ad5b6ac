//! From positions in a template's rendered text back to the template as written.
//!
//! Rendering records, for every piece of output, where it came from: literal
//! text copied from the template (positions inside it keep their offset from
//! the piece's start, so a line copied unchanged keeps its line and column, and
//! a line an `{{#each}}` repeats points at the template line it came from), or
//! the value of an expression (any position inside it points at the `{{...}}`).

use crate::yaml::Pos;

/// One piece of rendered output.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Where the piece starts in the rendered text.
    out: usize,
    /// Where its source starts in the template.
    src: usize,
    /// Where its source ends in the template.
    src_end: usize,
    /// Literal text (offsets inside map one to one) or an expression's value.
    literal: bool,
}

/// Maps byte offsets of the rendered text to positions in the template.
#[derive(Debug, Default)]
pub struct SourceMap {
    pieces: Vec<Piece>,
    /// Byte offset of the start of each template line.
    line_starts: Vec<usize>,
    template: String,
    /// Length of the rendered text.
    total: usize,
}

impl SourceMap {
    pub(super) fn new(template: &str) -> SourceMap {
        SourceMap {
            pieces: Vec::new(),
            line_starts: line_starts(template),
            template: template.to_owned(),
            total: 0,
        }
    }

    /// Record the length of the whole rendered text, once it is done.
    pub(super) fn finish(&mut self, total: usize) {
        self.total = total;
    }

    /// Record that rendered bytes from `out` on came from template bytes `src`.
    pub(super) fn push(&mut self, out: usize, src: std::ops::Range<usize>, literal: bool) {
        if let Some(last) = self.pieces.last()
            && last.out == out
        {
            self.pieces.pop();
        }
        self.pieces.push(Piece {
            out,
            src: src.start,
            src_end: src.end,
            literal,
        });
    }

    /// How many pieces are recorded.
    pub(super) fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Forget the pieces from the `n`th on (output taken back).
    pub(super) fn truncate(&mut self, n: usize) {
        self.pieces.truncate(n);
    }

    /// The template position of rendered byte `offset`.
    pub fn pos(&self, offset: usize) -> Pos {
        let i = self.pieces.partition_point(|p| p.out <= offset);
        let end_of = |i: usize| self.pieces.get(i + 1).map_or(self.total, |p| p.out);
        let at = match i.checked_sub(1) {
            None => 0,
            Some(j) => {
                let p = self.pieces[j];
                if p.literal {
                    (p.src + (offset - p.out)).min(p.src_end)
                } else if offset >= end_of(j) {
                    p.src_end
                } else {
                    p.src
                }
            }
        };
        self.pos_of_template_offset(at)
    }

    /// Line and column (in characters) of a byte offset in the template.
    pub fn pos_of_template_offset(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.template.len());
        while !self.template.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.template[start..offset].chars().count() + 1;
        Pos::new(offset, line, column)
    }
}

/// Where each line starts; a line ends at `\n`, `\r\n` or a lone `\r`, as YAML
/// reads line breaks.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            starts.push(i + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_pieces_keep_offsets_and_values_point_at_their_expression() {
        // template: "a: {{x}}\nb: 1\n", rendered: "a: hello\nb: 1\n"
        let t = "a: {{x}}\nb: 1\n";
        let mut m = SourceMap::new(t);
        m.push(0, 0..3, true);
        m.push(3, 3..8, false);
        m.push(8, 8..14, true);
        m.finish(14);
        assert_eq!(m.pos(0), Pos::new(0, 1, 1));
        assert_eq!(m.pos(3), Pos::new(3, 1, 4));
        assert_eq!(m.pos(5), Pos::new(3, 1, 4));
        // The end of the value is the start of what follows it.
        assert_eq!(m.pos(8), Pos::new(8, 1, 9));
        assert_eq!(m.pos(9), Pos::new(9, 2, 1));
    }

    #[test]
    fn a_value_at_the_very_end_ends_at_its_expression_end() {
        let t = "a: {{x}}";
        let mut m = SourceMap::new(t);
        m.push(0, 0..3, true);
        m.push(3, 3..8, false);
        m.finish(8);
        assert_eq!(m.pos(8), Pos::new(8, 1, 9));
        assert_eq!(m.pos(5), Pos::new(3, 1, 4));
    }

    #[test]
    fn lone_carriage_returns_break_lines() {
        let m = SourceMap::new("a\rb\r\nc\nd");
        assert_eq!(m.pos_of_template_offset(2).line, 2);
        assert_eq!(m.pos_of_template_offset(5).line, 3);
        assert_eq!(m.pos_of_template_offset(7), Pos::new(7, 4, 1));
    }
}
