//! Suppression comments: `# maskscope: ignore[RULE]` or
//! `# maskscope: ignore[RULE1,RULE2]` silence those rules. A comment after
//! YAML on a line covers that line only; a comment on a line of its own
//! covers the line below it (as ruff's `noqa` and eslint's
//! `eslint-disable-next-line`).

use super::Diagnostic;
use regex::Regex;
use std::sync::LazyLock;

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#\s*maskscope:\s*ignore\[([^\]]*)\]").expect("valid regex"));

/// The rule ids a line's suppression comments name.
pub fn ignored_on(line: &str) -> Vec<&str> {
    if !line.contains('#') {
        return Vec::new();
    }
    COMMENT
        .captures_iter(line)
        .filter_map(|c| c.get(1))
        .flat_map(|m| m.as_str().split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect()
}

/// Every rule id a suppression comment in `text` names, with its byte range.
pub fn named_ids(text: &str) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> {
    COMMENT
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .flat_map(|m| {
            let base = m.start();
            m.as_str().split(',').scan(0, move |at, part| {
                let start = *at;
                *at += part.len() + 1;
                let lead = part.len() - part.trim_start().len();
                let id = part.trim();
                let from = base + start + lead;
                Some((id, from..from + id.len()))
            })
        })
        .filter(|(id, _)| !id.is_empty())
}

/// Whether a comment on the diagnostic's line, or a comment on a line of its
/// own directly above it, silences it.
pub fn is_suppressed(d: &Diagnostic) -> bool {
    if !d.finding.source.has_directives {
        return false;
    }
    let text = d.finding.source.text.as_str();
    let (this, above) = lines_at(text, d.finding.span.start.index());
    let above = if above.trim_start().starts_with('#') {
        above
    } else {
        ""
    };
    [this, above]
        .into_iter()
        .any(|l| ignored_on(l).contains(&d.rule))
}

/// The line holding byte `offset`, and the line before it (empty on line 1).
/// Found by looking around the offset, so the cost does not grow with the file.
fn lines_at(text: &str, offset: usize) -> (&str, &str) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let above = match start.checked_sub(1) {
        Some(prev_end) => {
            let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
            &text[prev_start..prev_end]
        }
        None => "",
    };
    (&text[start..end], above)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_or_several_rules() {
        assert_eq!(
            ignored_on("  orgno: 1 # maskscope: ignore[wrong-type]"),
            ["wrong-type"]
        );
        assert_eq!(ignored_on("# maskscope: ignore[a, b]"), ["a", "b"]);
        assert!(ignored_on("name: x # maskscope ignore a").is_empty());
    }

    #[test]
    fn names_each_id_with_its_range() {
        let text = "a: 1 # maskscope: ignore[ x , yy,]";
        let got: Vec<(&str, &str)> = named_ids(text).map(|(id, r)| (id, &text[r])).collect();
        assert_eq!(got, [("x", "x"), ("yy", "yy")]);
    }

    #[test]
    fn finds_the_lines_around_an_offset() {
        let text = "a\nbb # x\nccc";
        assert_eq!(lines_at(text, 0), ("a", ""));
        assert_eq!(lines_at(text, 4), ("bb # x", "a"));
        assert_eq!(lines_at(text, 100), ("ccc", "bb # x"));
    }
}
