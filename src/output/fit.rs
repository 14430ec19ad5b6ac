//! Tables that fit a terminal. Every command's table is drawn the same way:
//! each cell on whole lines (a scope is never broken), and when the table is
//! wider than the terminal, first the cells that may be shortened are (a path
//! loses its start, prose is wrapped at spaces), then columns that can be
//! spared are dropped, and when even that does not fit, each row becomes a
//! block: its title cell (the scope) alone on a line, the others as aligned
//! `key: value` lines.

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

/// How a column's cells may be made narrower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Never: a scope, an orgno, a status.
    Never,
    /// By dropping the start of each line, marked `…`, down to the given
    /// width: a path, whose end (file name, line) tells rows apart.
    Start(usize),
    /// By wrapping at spaces, down to the given width: prose. A word longer
    /// than the width (a scope in a message) stays whole on its line.
    Wrap(usize),
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub cut: Cut,
    /// When the table does not fit even shortened: dropped, lowest first.
    /// `None`: always shown.
    pub drop: Option<u8>,
}

impl Column {
    pub const fn new(name: &'static str, cut: Cut) -> Column {
        Column {
            name,
            cut,
            drop: None,
        }
    }

    pub const fn spared(self, order: u8) -> Column {
        Column {
            drop: Some(order),
            ..self
        }
    }
}

/// A table's columns, rows (cells already escaped, lines split by `\n`) and
/// how to draw it.
pub struct Grid<'a> {
    pub columns: &'a [Column],
    pub rows: Vec<Vec<String>>,
    /// A cell to colour in each row, when colour is on.
    pub colour: Vec<Option<(usize, Color)>>,
    /// The column a block begins with, alone on its line.
    pub title: usize,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The width of the widest line of `s`.
fn widest(s: &str) -> usize {
    s.lines().map(chars).max().unwrap_or(0)
}

/// Each line of `text` cut to `width` characters by dropping its start,
/// marked with `…`.
pub fn shorten_start(text: &str, width: usize) -> String {
    text.lines()
        .map(|line| {
            let len = chars(line);
            if len <= width {
                return line.to_owned();
            }
            let keep = width.saturating_sub(1);
            let tail: String = line.chars().skip(len - keep).collect();
            format!("…{tail}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each line of `text` wrapped at spaces to `width` characters; a word
/// longer than that is a line of its own, whole.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        for word in line.split(' ') {
            if current.is_empty() {
                current = word.to_owned();
            } else if chars(&current) + 1 + chars(word) <= width {
                current.push(' ');
                current.push_str(word);
            } else {
                out.push(std::mem::take(&mut current));
                current = word.to_owned();
            }
        }
        out.push(current);
    }
    out.join("\n")
}

fn cut(text: &str, how: Cut, width: usize) -> String {
    match how {
        Cut::Never => text.to_owned(),
        Cut::Start(_) => shorten_start(text, width),
        Cut::Wrap(_) => wrap(text, width),
    }
}

impl Grid<'_> {
    /// The table with the columns `shown`, each cut to its `limit`.
    fn draw(&self, shown: &[usize], limit: &[usize], color: bool) -> String {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty()
            .set_header(shown.iter().map(|&c| self.columns[c].name));
        if color {
            // Not a terminal as far as comfy-table knows (it must not wrap),
            // so colour is asked for explicitly.
            t.enforce_styling();
        }
        for (r, row) in self.rows.iter().enumerate() {
            t.add_row(shown.iter().map(|&c| {
                let cell = Cell::new(cut(&row[c], self.columns[c].cut, limit[c]));
                match self.colour[r] {
                    Some((at, colour)) if at == c && color => cell.fg(colour),
                    _ => cell,
                }
            }));
        }
        t.to_string()
    }

    /// The natural width of each column: its widest line, header included.
    fn natural(&self) -> Vec<usize> {
        (0..self.columns.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| widest(&r[c]))
                    .chain([chars(self.columns[c].name)])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The table for a terminal `width` columns wide (`None`: as wide as it
    /// takes), without a line break after its last line; blocks end in one,
    /// so that a line written after them is set apart.
    pub fn render(&self, width: Option<usize>, color: bool) -> String {
        let all: Vec<usize> = (0..self.columns.len()).collect();
        let natural = self.natural();
        let full = self.draw(&all, &natural, color);
        let Some(width) = width.filter(|&w| w > 0) else {
            return full;
        };
        if drawn_width(&full) <= width {
            return full;
        }
        let mut spared: Vec<(u8, usize)> = all
            .iter()
            .filter_map(|&c| self.columns[c].drop.map(|o| (o, c)))
            .collect();
        spared.sort_unstable();
        let mut shown = all.clone();
        for dropped in 0..=spared.len() {
            if dropped > 0 {
                let gone = spared[dropped - 1].1;
                shown.retain(|&c| c != gone);
            }
            if let Some(t) = self.shortened(&shown, &natural, width, color) {
                return t;
            }
        }
        self.blocks(width)
    }

    /// The table with `shown` columns, its cells cut just enough to fit
    /// `width`, if they can be: prose first, then paths.
    fn shortened(
        &self,
        shown: &[usize],
        natural: &[usize],
        width: usize,
        color: bool,
    ) -> Option<String> {
        let at_natural = drawn_width(&self.draw(shown, natural, false));
        let mut excess = at_natural.saturating_sub(width);
        let mut limit = natural.to_vec();
        let wraps = shown
            .iter()
            .filter(|&&c| matches!(self.columns[c].cut, Cut::Wrap(_)));
        let starts = shown
            .iter()
            .filter(|&&c| matches!(self.columns[c].cut, Cut::Start(_)));
        for &c in wraps.chain(starts) {
            let (Cut::Start(min) | Cut::Wrap(min)) = self.columns[c].cut else {
                continue;
            };
            // A wrapped cell is no narrower than its longest word; a
            // shortened one keeps what tells the cells apart.
            let least = match self.columns[c].cut {
                Cut::Wrap(_) => self
                    .rows
                    .iter()
                    .flat_map(|r| r[c].split([' ', '\n']))
                    .map(chars)
                    .max()
                    .unwrap_or(0),
                _ => self.distinct_from(c, min, natural[c]),
            };
            let floor = min
                .max(least)
                .max(chars(self.columns[c].name))
                .min(natural[c]);
            let less = excess.min(natural[c] - floor);
            limit[c] -= less;
            excess -= less;
        }
        if excess > 0 {
            return None;
        }
        // A wrapped cell may come out narrower than asked: draw and measure.
        let t = self.draw(shown, &limit, color);
        (drawn_width(&t) <= width).then_some(t)
    }

    /// The narrowest width from `min` to `natural` at which the cells of
    /// column `c`, shortened by their start, are as many different texts
    /// as they are whole: two files must not both read `…/.nais/dev.yaml`.
    fn distinct_from(&self, c: usize, min: usize, natural: usize) -> usize {
        let count = |w: Option<usize>| {
            self.rows
                .iter()
                .map(|r| match w {
                    Some(w) => shorten_start(&r[c], w),
                    None => r[c].clone(),
                })
                .collect::<std::collections::HashSet<String>>()
                .len()
        };
        let whole = count(None);
        // More width never merges two texts: search for the least.
        let (mut lo, mut hi) = (min.min(natural), natural);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if count(Some(mid)) == whole {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// One block per row: the title cell, whole, on a line of its own, then
    /// the other non-empty cells as `key: value` lines, the values aligned.
    fn blocks(&self, width: usize) -> String {
        let key = self
            .columns
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != self.title)
            .map(|(_, col)| chars(col.name) + 1)
            .max()
            .unwrap_or(0);
        let lead = 2 + key + 1;
        let room = width.saturating_sub(lead);
        let mut out = String::new();
        for (r, row) in self.rows.iter().enumerate() {
            if r > 0 {
                out.push('\n');
            }
            out.push_str(&row[self.title]);
            out.push('\n');
            for (c, col) in self.columns.iter().enumerate() {
                if c == self.title || row[c].is_empty() {
                    continue;
                }
                let value = match col.cut {
                    Cut::Never => row[c].clone(),
                    Cut::Start(min) | Cut::Wrap(min) => cut(&row[c], col.cut, room.max(min)),
                };
                let name = format!("{}:", col.name);
                for (i, line) in value.lines().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("  {name:<key$} {line}\n"));
                    } else {
                        out.push_str(&format!("{:lead$}{line}\n", ""));
                    }
                }
            }
        }
        out
    }
}

/// The width of a drawn table: its top border, which holds box characters only.
fn drawn_width(table: &str) -> usize {
    table.lines().next().map_or(0, chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_long_words_whole() {
        assert_eq!(wrap("a bb ccc dddd", 6), "a bb\nccc\ndddd");
        assert_eq!(
            wrap("see nav:arbeid/vedtak.read now", 10),
            "see\nnav:arbeid/vedtak.read\nnow"
        );
    }

    #[test]
    fn shortening_keeps_the_end() {
        assert_eq!(shorten_start("a/b/c/app.yaml:12", 10), "…p.yaml:12");
        assert_eq!(shorten_start("short", 10), "short");
    }
}
