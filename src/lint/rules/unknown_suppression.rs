//! `unknown-suppression`: a suppression comment names a rule that does not
//! exist (`ignore[orgno-chekcsum]`), so it silences nothing.

use crate::lint::suppress::named_ids;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::load::LoadedFile;
use crate::source::pos_of_offset;
use crate::suggest;
use crate::yaml::Span;

pub struct UnknownSuppression;

static DOC: RuleDoc = RuleDoc {
    id: "unknown-suppression",
    severity: Severity::Warning,
    kind: Kind::Yaml,
    on_by_default: true,
    rejects: false,
    summary: "a `# maskscope: ignore[...]` comment names a rule that does not exist",
    explanation: "\
A suppression comment silences the rules it names by their ids. An id that is \
no rule's (a typo such as `orgno-chekcsum`, or a rule that was renamed) silences \
nothing: the finding it was written for is still reported, or, worse, the \
comment looks as if it covered a line it does not. The finding names the \
nearest rule id. `maskscope rules` lists every rule; turn this check off with \
`--ignore unknown-suppression` or in `maskscope.toml`. \
Source: ruff reports unknown codes in `# noqa` comments (RUF102) the same way.",
    bad: "\
consumers:
  - orgno: \"123456789\"  # maskscope: ignore[orgno-chekcsum]",
    good: "\
consumers:
  - orgno: \"123456789\"  # maskscope: ignore[orgno-checksum]",
};

impl Rule for UnknownSuppression {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_file(&self, file: &LoadedFile, _: &Settings, out: &mut Vec<Finding>) {
        let source = &file.source;
        if !source.has_directives {
            return;
        }
        let rules = super::all();
        let known: Vec<&str> = rules.iter().map(|r| r.doc().id).collect();
        for (id, range) in named_ids(&source.text) {
            if known.contains(&id) {
                continue;
            }
            let bytes = source.text.as_bytes();
            let span = Span {
                start: pos_of_offset(bytes, range.start),
                end: pos_of_offset(bytes, range.end),
            };
            let hint = suggest::did_you_mean(id, known.iter().copied());
            let help = match suggest::closest(id, known.iter().copied()) {
                Some(_) => format!("{hint} `maskscope rules` lists every rule"),
                None => "no rule has this id; `maskscope rules` lists every rule".to_owned(),
            };
            out.push(
                Finding::new(
                    source,
                    span,
                    format!("unknown rule `{id}` in a suppression comment: it silences nothing"),
                )
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    fn findings(text: &str) -> Vec<String> {
        check_text("t.yaml", text, &Settings::default())
            .into_iter()
            .filter(|d| d.rule == "unknown-suppression")
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.finding.span.start.line,
                    d.finding.span.start.column,
                    d.finding.help.unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn names_the_nearest_rule() {
        assert_eq!(
            findings("a: 1\nb: 2 # maskscope: ignore[wrong-type, orgno-chekcsum]\n"),
            ["2:38 did you mean `orgno-checksum`? `maskscope rules` lists every rule"]
        );
    }

    #[test]
    fn known_rules_and_other_comments_pass() {
        assert!(
            findings("a: 1 # maskscope: ignore[wrong-type]\n# maskscope ignore zz\n").is_empty()
        );
    }
}
