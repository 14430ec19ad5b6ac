//! `yaml-syntax`: the file is not valid YAML (or over an
//! input budget). Documents before the error are still checked.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::load::LoadedFile;
use crate::source::InputErrorKind;
use crate::yaml::{Budget, Span};

pub struct YamlSyntax;

static DOC: RuleDoc = RuleDoc {
    id: "yaml-syntax",
    severity: Severity::Error,
    kind: Kind::Yaml,
    on_by_default: true,
    rejects: true,
    summary: "the file is not valid YAML",
    explanation: "\
The file cannot be read as YAML: a syntax error, or more \
nesting, nodes or aliases than maskscope reads. `kubectl apply` and nais deploy \
reject such a file, so nothing in it is deployed. The documents before the error \
are still checked; the one with the error and everything after it are not. \
Source: YAML 1.2 specification (yaml.org/spec/1.2.2); nais/deploy \
`pkg/deployclient/` reads manifests with gopkg.in/yaml.v2 (2026-05).",
    bad: "\
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
         enabled: true",
    good: "\
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true",
};

impl Rule for YamlSyntax {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_file(&self, file: &LoadedFile, _: &Settings, out: &mut Vec<Finding>) {
        let Some(err) = file.error_of(InputErrorKind::Syntax) else {
            return;
        };
        let pos = err.pos.unwrap_or_default();
        let span = Span {
            start: pos,
            end: pos,
        };
        let finding = match budget_help(&err.message) {
            Some(help) => Finding::new(
                &file.source,
                span,
                format!("not read to the end: {}", err.message),
            )
            .help(format!(
                "{help}; the documents before this point are checked, this one and those after it are not"
            )),
            None if file.source.text.contains("{{")
                && file
                    .source
                    .deployment
                    .as_ref()
                    .is_some_and(|d| d.without_variables()) =>
            {
                Finding::new(
                    &file.source,
                    span,
                    format!("invalid YAML, so the deploy fails: {}", err.message),
                )
                .help(format!(
                    "{}: its `{{{{...}}}}` are read as YAML; give the deploy step the variables it needs (`VARS` or `VAR`)",
                    crate::deploy::Deployment::WITHOUT_VARIABLES
                ))
            }
            None => Finding::new(
                &file.source,
                span,
                format!("invalid YAML, so the deploy fails: {}", err.message),
            )
                .help("fix the syntax here; the documents after this point are not checked until then"),
        };
        out.push(finding);
    }
}

/// For a parse that stopped at one of the input budgets ([`Budget`]), which
/// budget, its value and what to do; `None` for a syntax error.
fn budget_help(message: &str) -> Option<String> {
    if !crate::yaml::over_budget(message) {
        return None;
    }
    let b = Budget::default();
    let n = crate::output::thousands;
    Some(if message.contains("nesting") {
        format!(
            "maskscope reads lists and mappings nested at most {} levels deep (its nesting budget); no manifest nests this deep: flatten the structure",
            b.max_depth
        )
    } else if message.contains("nodes") {
        format!(
            "maskscope reads at most {} YAML nodes per file, the values of aliases counted each time they are used (its node budget, which stops alias bombs); use fewer aliases to large anchors, or split the file",
            n(b.max_nodes)
        )
    } else if message.contains("aliases") {
        format!(
            "maskscope reads at most {} aliases (`*name`) per file (its alias budget); write the values out, or split the file",
            n(b.max_aliases)
        )
    } else if message.contains("documents") {
        format!(
            "maskscope reads at most {} documents (`---`) per file (its document budget); split the file into several",
            n(b.max_documents)
        )
    } else {
        "the file is over one of maskscope's input budgets (see docs/budgets.md); split it into several".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    fn findings(text: &str) -> Vec<String> {
        check_text("t.yaml", text, &Settings::default())
            .into_iter()
            .filter(|d| d.rule == "yaml-syntax")
            .map(|d| {
                format!(
                    "{}:{}",
                    d.finding.span.start.line, d.finding.span.start.column
                )
            })
            .collect()
    }

    #[test]
    fn reports_where_the_parser_stopped() {
        assert_eq!(findings("a: 1\nb: [1, 2\n"), ["2:4"]);
    }

    #[test]
    fn an_alias_named_budget_is_a_syntax_error_not_a_budget() {
        let found = check_text("t.yaml", "a: *budget\n", &Settings::default());
        let messages: Vec<&str> = found
            .iter()
            .filter(|d| d.rule == "yaml-syntax")
            .map(|d| d.finding.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "invalid YAML, so the deploy fails: alias `*budget` to an anchor not defined before it"
            ]
        );
    }

    #[test]
    fn valid_yaml_passes() {
        assert!(findings("a: 1\n---\nb: [1, 2]\n").is_empty());
    }
}
