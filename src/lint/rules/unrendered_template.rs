//! `unrendered-template`: `spec.maskinporten` depends on a template variable
//! that has no value, so the scopes it declares cannot be known.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::template::MissingVar;

pub struct UnrenderedTemplate;

static DOC: RuleDoc = RuleDoc {
    id: "unrendered-template",
    severity: Severity::Error,
    kind: Kind::Yaml,
    on_by_default: true,
    rejects: false,
    summary: "`spec.maskinporten` uses a template variable that has no value (`--vars`/`--var`)",
    explanation: "\
nais manifests are often Handlebars templates that nais deploy renders with the \
environment's vars file (`VARS`) and variables (`VAR`, `IMAGE`) before it applies \
them. maskscope renders them the same way. A variable without a value is printed \
as the placeholder `test_<name>`, as `nais validate` does, and the rest of the file \
is checked; but when the placeholder lands in `spec.maskinporten` (a name, product, \
separator, orgno, `enabled`, `atMaxAge`, ...), or a `{{#each}}`/`{{#if}}` over the \
variable produces or drops entries or consumers there, the scopes and who may use \
them cannot be known: the deploy would render something else. Give the same vars \
as the deploy. A variable used only outside `spec.maskinporten` is \
`missing-variable`, a warning. Findings of other rules on what the variable \
decides are left out, since they would be about the placeholder. A dotted name \
(`{{app.name}}`) is a path into a mapping: give it in a vars file as \
`app: {name: ...}`; `--var app.name=x` sets a variable whose name has a dot, which \
the path does not find, in nais deploy as here. A deploy step with no variables \
at all (no `VARS`, `VAR` or `IMAGE`, as with `WORKLOAD_IMAGE`) is not rendered: a \
`{{...}}` in `spec.maskinporten` then reaches the cluster as written, and is an \
error too. Source: nais/deploy \
`pkg/deployclient/template.go` (raymond, 2026-05); nais/cli \
`internal/validate/template.go` (placeholders, 2026-07).",
    bad: "\
# maskscope lint nais.yaml   (no --vars)
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"{{ product }}\"",
    good: "\
# maskscope lint nais.yaml   (no --vars needed)
spec:
  image: {{ image }}
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"",
};

impl Rule for UnrenderedTemplate {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        if m.source
            .deployment
            .as_ref()
            .is_some_and(|d| d.without_variables())
        {
            let region = mp.region.range();
            let text = m.source.text.get(region.clone()).unwrap_or("");
            if let Some(at) = text.find("{{") {
                let pos = crate::source::pos_of_offset(m.source.text.as_bytes(), region.start + at);
                let end = crate::source::pos_of_offset(
                    m.source.text.as_bytes(),
                    region.start + text[at..].find("}}").map_or(at + 2, |e| at + e + 2),
                );
                out.push(
                    Finding::new(
                        &m.source,
                        crate::yaml::Span { start: pos, end },
                        format!(
                            "`spec.maskinporten` holds a template expression that reaches the cluster as written: {}",
                            crate::deploy::Deployment::WITHOUT_VARIABLES
                        ),
                    )
                    .help("give the deploy step the variables it needs (`VARS` or `VAR`), or write the values out"),
                );
            }
            return;
        }
        for var in &mp.unresolved {
            let message = if var.block {
                format!(
                    "`spec.maskinporten` depends on a block over template variable `{}`, which has no value: the entries or consumers it produces cannot be known",
                    var.name
                )
            } else {
                format!(
                    "`spec.maskinporten` uses template variable `{}`, which has no value: it is rendered as the placeholder `test_{}`, so the scope cannot be known",
                    var.name, var.name
                )
            };
            out.push(Finding::new(&m.source, var.tag, message).help(hint(var)));
        }
    }
}

/// How to give a variable a value, for this rule and `missing-variable`.
pub(super) fn hint(var: &MissingVar) -> String {
    let name = &var.name;
    if var.is_path() {
        let (head, rest) = name.split_once(['.', '/']).unwrap_or((name, ""));
        format!(
            "`{name}` is a path: give it in a vars file as a mapping (`{head}:` with `{rest}: VALUE` under it) with `--vars FILE`; `--var {name}=VALUE` would set a variable named `{name}`, which the path does not find, in nais deploy as here"
        )
    } else {
        format!(
            "give it the value the deploy gives: `--vars FILE` with the environment's vars file, or `--var {name}=VALUE`"
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  image: {{ image }}\n  ingresses:\n    - {{ ingress }}\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"x.read\"\n          enabled: true\n          product: {{ product }}\n";

    fn rules(text: &str) -> Vec<(&'static str, u32, u32)> {
        check_text("t.yaml", text, &Settings::default())
            .iter()
            .map(|d| {
                (
                    d.rule,
                    d.finding.span.start.line,
                    d.finding.span.start.column,
                )
            })
            .collect()
    }

    #[test]
    fn a_variable_in_maskinporten_is_an_error_at_the_expression() {
        let mut found = rules(APP);
        found.retain(|(r, _, _)| r.contains("template") || r.contains("variable"));
        // Outside maskinporten: a warning; `image`: nothing.
        assert_eq!(
            found,
            [("missing-variable", 8, 7), ("unrendered-template", 15, 20)]
        );
    }

    #[test]
    fn a_block_over_a_missing_list_is_an_error_at_its_tag() {
        let text = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        {{#each scopes}}\n        - name: \"{{this.name}}\"\n          enabled: true\n          product: arbeid\n        {{/each}}\n";
        let found = rules(text);
        assert_eq!(found, [("unrendered-template", 10, 9)], "{found:?}");
    }

    #[test]
    fn plain_yaml_passes() {
        let diags = check_text("t.yaml", "a: 1\n", &Settings::default());
        assert!(diags.iter().all(|d| d.rule != "unrendered-template"));
    }
}
