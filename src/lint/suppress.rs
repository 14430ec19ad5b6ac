//! Suppression comments: `# maskscope: ignore[RULE]` or
//! `# maskscope: ignore[RULE1,RULE2]`, on the line of a finding or on the line
//! directly above it, silence those rules there.

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

/// Whether a comment on the diagnostic's line, or the line above, silences it.
pub fn is_suppressed(d: &Diagnostic) -> bool {
    if !d.finding.source.has_directives {
        return false;
    }
    let text = d.finding.source.text.as_str();
    let (this, above) = lines_at(text, d.finding.span.start.index());
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
    fn finds_the_lines_around_an_offset() {
        let text = "a\nbb # x\nccc";
        assert_eq!(lines_at(text, 0), ("a", ""));
        assert_eq!(lines_at(text, 4), ("bb # x", "a"));
        assert_eq!(lines_at(text, 100), ("ccc", "bb # x"));
    }
}
