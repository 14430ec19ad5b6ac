//! `yaml11-ambiguity`: a plain value in the maskinporten block that Kubernetes
//! (YAML 1.1) reads differently from YAML 1.2 tools. The cluster accepts it,
//! so this is a warning, not `wrong-type`.

use crate::lint::schema::Event;
use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::yaml::Node;
use crate::yaml::scalar::{Resolved, is_yaml11_ambiguous, resolve_core, resolve_k8s};

pub struct Yaml11Ambiguity;

static DOC: RuleDoc = RuleDoc {
    id: "yaml11-ambiguity",
    severity: Severity::Warning,
    kind: Kind::Schema,
    on_by_default: true,
    rejects: false,
    summary: "a value Kubernetes reads with YAML 1.1 rules differently from YAML 1.2 (`yes`, `on`, `off`, `no`, leading zeros)",
    explanation: "\
Kubernetes reads manifests with YAML 1.1 rules (go-yaml v2 behind sigs.k8s.io/yaml): \
`yes`, `no`, `on`, `off`, `y` and `n` are booleans, a number with a leading zero is \
octal (`0100` is 64) and `_` in numbers is ignored. YAML 1.2 tools, among them many \
editors, formatters and linters, read the same text as a string or as another number. \
The cluster accepts the value, but what a reviewer or another tool sees is not what is \
deployed. Write the value so both agree: `true`/`false`, numbers without leading zeros, \
quotes around strings. Source: YAML 1.1 type repository (yaml.org/type/bool.html, \
int.html); YAML 1.2.2 specification, section 10.3 (core schema).",
    bad: "\
maskinporten:
  enabled: yes",
    good: "\
maskinporten:
  enabled: true",
};

impl Rule for Yaml11Ambiguity {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_schema(
        &self,
        m: &Manifest,
        events: &[Event<'_>],
        _: &Settings,
        out: &mut Vec<Finding>,
    ) {
        for &event in events {
            let Event::Scalar { node, key, .. } = event else {
                continue;
            };
            let Some(s) = node.as_scalar().filter(|s| is_yaml11_ambiguous(s)) else {
                continue;
            };
            let (k8s, core) = (resolve_k8s(s), resolve_core(s));
            let message = format!(
                "Kubernetes reads `{}` as {} (YAML 1.1), YAML 1.2 tools as {}",
                s.text,
                describe(k8s, &s.text),
                describe(core, &s.text)
            );
            let fixed = match k8s {
                Resolved::Bool(b) => b.to_string(),
                Resolved::Int(i) => i.to_string(),
                _ => format!("{:?}", s.text),
            };
            let shown = match key.and_then(Node::key_text) {
                Some(k) => format!("`{k}: {fixed}`"),
                None => format!("`- {fixed}`"),
            };
            let mut help = format!("write what the cluster reads: {shown}");
            if let (Resolved::Int(_), Resolved::Int(other)) = (k8s, core) {
                let meant = match key.and_then(Node::key_text) {
                    Some(k) => format!("`{k}: {other}`"),
                    None => format!("`- {other}`"),
                };
                help.push_str(&format!(", or {meant} if that is what you mean"));
            }
            out.push(Finding::new(&m.source, node.span, message).help(help));
        }
    }
}

fn describe(r: Resolved, text: &str) -> String {
    match r {
        Resolved::Null => "null".to_owned(),
        Resolved::Bool(b) => format!("the boolean {b}"),
        Resolved::Int(i) => format!("the integer {i}"),
        Resolved::Float(f) => format!("the number {f}"),
        Resolved::Str => format!("the string {text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{Settings, check_text};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: VALUE\n";

    fn findings(value: &str) -> Vec<String> {
        check_text("t.yaml", &APP.replace("VALUE", value), &Settings::default())
            .into_iter()
            .filter(|d| d.rule == "yaml11-ambiguity" || d.rule == "wrong-type")
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d.rule,
                    d.finding.span.start.line,
                    d.finding.span.start.column,
                    d.finding.message
                )
            })
            .collect()
    }

    #[test]
    fn yes_is_a_warning_not_a_type_error() {
        assert_eq!(
            findings("yes"),
            [
                "yaml11-ambiguity 7:14 Kubernetes reads `yes` as the boolean true (YAML 1.1), YAML 1.2 tools as the string \"yes\""
            ]
        );
    }

    #[test]
    fn true_passes() {
        assert!(findings("true").is_empty());
        assert!(findings("false").is_empty());
    }
}
