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
    summary: "a template variable has no value (`--vars`/`--var`); nothing in `spec.maskinporten` uses it",
    explanation: "\
maskscope renders templated manifests as nais deploy does. A variable without a \
value is printed as the placeholder `test_<name>` (as `nais validate` does) and the \
file is checked as rendered; nais deploy would print the empty string, or the value \
of the environment's vars file. When the variable is used only outside \
`spec.maskinporten` (an ingress, a resource limit), no scope depends on it, so this \
is a warning, given once per file at the first use, naming every variable that \
lacks a value. `image` is never reported: nais deploy always supplies it, and \
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
        let mut named: Vec<&str> = Vec::new();
        // A flag left out (`{{#if devOnly}}`) is false in nais deploy, as vars
        // files mean it to be.
        for var in file.missing.iter().filter(|v| !v.flag) {
            if named.contains(&var.name.as_str()) || in_maskinporten(var) {
                continue;
            }
            named.push(&var.name);
            let message = format!(
                "template variable `{}` has no value; it is rendered as the placeholder `test_{}`",
                var.name, var.name
            );
            out.push(
                Finding::new(&file.source, var.tag, message)
                    .help(super::unrendered_template::hint(var)),
            );
        }
    }
}
