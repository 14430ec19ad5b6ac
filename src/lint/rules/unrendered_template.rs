//! `unrendered-template`: a Handlebars template that cannot be rendered, most
//! often a variable without a value. Its raw values are not linted on top.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::load::LoadedFile;
use crate::source::InputErrorKind;
use crate::yaml::Span;

pub struct UnrenderedTemplate;

static DOC: RuleDoc = RuleDoc {
    id: "unrendered-template",
    severity: Severity::Error,
    kind: Kind::Yaml,
    summary: "a Handlebars variable is used but no value was given (`--vars`/`--var`)",
    explanation: "\
nais manifests are often Handlebars templates rendered with a vars file per \
environment before the deploy (nais deploy with `VARS`, `nais validate --vars FILE \
--var KEY=VALUE`). maskscope renders them the same way, in strict mode: a variable \
without a value is an error, not an empty string, because an empty `name` or \
`product` would be checked as if it were real. Give the same vars file as the \
deploy does. The raw template is not checked further, so one missing variable \
does not hide behind findings about `{{ ... }}` text. Source: nais/doc, \
\"Templating\" in the nais deploy documentation; handlebars strict mode.",
    bad: "\
# maskscope lint nais.yaml   (no --vars)
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"{{ product }}\"",
    good: "\
# maskscope lint --vars .nais/dev.yaml nais.yaml
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"{{ product }}\"",
};

impl Rule for UnrenderedTemplate {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_file(&self, file: &LoadedFile, _: &Settings, out: &mut Vec<Finding>) {
        let Some(err) = file.error_of(InputErrorKind::Template) else {
            return;
        };
        let pos = err.pos.unwrap_or_default();
        // The renderer's message ends in how to fix it, after "; ".
        let (message, help) = match err.message.split_once("; ") {
            Some((m, h)) => (m.to_owned(), h.to_owned()),
            None if err.message.starts_with("invalid template") => (
                err.message.clone(),
                "fix the Handlebars expression; nothing in this file is checked until it renders"
                    .to_owned(),
            ),
            None => (
                err.message.clone(),
                "render with --vars FILE or --var KEY=VALUE".to_owned(),
            ),
        };
        let span = crate::lint::line_span(&file.source, pos, Span::default());
        let span = if span.is_empty() {
            Span {
                start: pos,
                end: pos,
            }
        } else {
            span
        };
        out.push(Finding::new(&file.source, span, message).help(help));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x\"\n          product: {{ product }}\n";

    #[test]
    fn names_the_missing_variable_and_skips_the_raw_values() {
        let diags = check_text("t.yaml", APP, &Settings::default());
        let rules: Vec<_> = diags
            .iter()
            .map(|d| (d.rule, d.finding.span.start.line))
            .collect();
        assert_eq!(rules, [("unrendered-template", 11)]);
        assert!(
            diags[0].finding.message.contains("`product`"),
            "{}",
            diags[0].finding.message
        );
    }

    #[test]
    fn broken_handlebars_is_reported_too() {
        let text =
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{#if x}}\n";
        let diags = check_text("t.yaml", text, &Settings::default());
        let d = diags
            .iter()
            .find(|d| d.rule == "unrendered-template")
            .expect("a finding");
        assert!(
            d.finding.message.starts_with("invalid template"),
            "{}",
            d.finding.message
        );
        assert!(
            d.finding
                .help
                .as_deref()
                .unwrap_or("")
                .starts_with("fix the Handlebars")
        );
    }

    #[test]
    fn plain_yaml_passes() {
        let diags = check_text("t.yaml", "a: 1\n", &Settings::default());
        assert!(diags.iter().all(|d| d.rule != "unrendered-template"));
    }
}
