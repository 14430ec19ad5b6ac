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
    let line = d.finding.span.start.line;
    let source = &d.finding.source;
    if !source.text.contains("maskscope:") {
        return false;
    }
    let mut lines = vec![line];
    if line > 1 {
        lines.push(line - 1);
    }
    lines
        .into_iter()
        .any(|l| ignored_on(source.line_text(l)).contains(&d.rule))
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
}
