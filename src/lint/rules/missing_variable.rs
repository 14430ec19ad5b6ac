//! `missing-variable`: a template variable without a value that
//! `spec.maskinporten` does not use, named once per file.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::load::LoadedFile;
use crate::template::MissingVar;

pub struct MissingVariable;

static DOC: RuleDoc = RuleDoc {
    id: "missing-variable",
    severity: Severity::Warning,
    kind: Kind::Yaml,
    on_by_default: true,
    rejects: false,
    summary: "a template variable has no value (`--vars`/`--var`); nothing in `spec.maskinporten` uses it",
    explanation: "\
maskscope renders templated manifests as nais deploy does. A variable without a \
value is printed as the placeholder `test_<name>` (as `nais validate` does) and the \
file is checked as rendered; nais deploy would print the empty string, or the value \
of the environment's vars file. When the variable is used only outside \
`spec.maskinporten` (an ingress, a resource limit), no scope depends on it, so this \
is a warning: one per file, at the first use, naming every such variable with the \
line of its first use. `image` is never reported: nais deploy always supplies it, and \
neither is a flag tested with `{{#if x}}` or `{{#unless x}}`, which vars files \
leave out when it is false, nor a field an item of an `{{#each}}` list leaves \
out: nais deploy makes both false or empty, as intended. Where \
`spec.maskinporten` uses the variable, `unrendered-template` reports an error \
instead. Source: nais/deploy `pkg/deployclient/template.go` (2026-05); nais/cli \
`internal/validate/template.go` (one warning per variable, 2026-07).",
    bad: "\
# maskscope lint nais.yaml   (no --vars)
spec:
  ingresses:
    - {{ ingress }}",
    good: "\
# maskscope lint --var ingress=https://a.nav.no nais.yaml
spec:
  ingresses:
    - https://a.nav.no",
};

impl Rule for MissingVariable {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_file(&self, file: &LoadedFile, _: &Settings, out: &mut Vec<Finding>) {
        if file.manifests.is_empty() {
            return;
        }
        let in_maskinporten = |v: &MissingVar| {
            file.manifests.iter().any(|m| {
                m.maskinporten
                    .as_ref()
                    .is_some_and(|mp| mp.unresolved.iter().any(|u| u.name == v.name))
            })
        };
        // A flag left out (`{{#if devOnly}}`) is false in nais deploy, as vars
        // files mean it to be.
        let mut first: Vec<&MissingVar> = Vec::new();
        for var in file.missing.iter().filter(|v| !v.flag) {
            if !first.iter().any(|f| f.name == var.name) && !in_maskinporten(var) {
                first.push(var);
            }
        }
        let Some(at) = first.first() else { return };
        // One report per file, at the first use, naming every variable: a
        // template run without its vars file would otherwise give one per line.
        let (message, help) = match first.as_slice() {
            [one] => (
                format!(
                    "template variable `{}` has no value; it is rendered as the placeholder `test_{}`",
                    one.name, one.name
                ),
                super::unrendered_template::hint(one),
            ),
            many => {
                let listed: Vec<String> = many
                    .iter()
                    .map(|v| format!("`{}` (line {})", v.name, v.tag.start.line))
                    .collect();
                let paths: Vec<&&MissingVar> = many.iter().filter(|v| v.is_path()).collect();
                let mut help = "give them the values the deploy gives: `--vars FILE` with the environment's vars file, or `--var NAME=VALUE` for each".to_owned();
                if let Some(p) = paths.first() {
                    help.push_str("; ");
                    help.push_str(&super::unrendered_template::hint(p));
                }
                (
                    format!(
                        "{} template variables have no value and are rendered as placeholders (`test_<name>`): {}",
                        many.len(),
                        listed.join(", ")
                    ),
                    help,
                )
            }
        };
        out.push(Finding::new(&file.source, at.tag, message).help(help));
    }
}
