//! `invalid-consumed-scope`: a consumes `name` must be a fully qualified `prefix:subscope`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::naming;

pub struct InvalidConsumedScope;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-consumed-scope",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: false,
    summary: "a consumes `name` that is not a fully qualified `prefix:subscope`",
    explanation: "\
`scopes.consumes[].name` is the scope the application asks Maskinporten for a token \
with, and it must be the full scope as the owner registered it: `<prefix>:<subscope>`, \
e.g. `skatt:scope.read` or `nav:arbeid/vedtak.read` (nais docs, Maskinporten client). \
digdirator registers the client with exactly these names; without the prefix, or with \
whitespace in it, DigDir knows no such scope and the client cannot get a token. \
Source: nais/doc `docs/auth/maskinporten/how-to/consume.md` (2026); nais/digdirator `pkg/digdir/scopes/scope.go` (`<prefix>:<subscope>`, 2026-03-03).",
    bad: "\
maskinporten:
  enabled: true
  scopes:
    consumes:
      - name: \"scope.read\"",
    good: "\
maskinporten:
  enabled: true
  scopes:
    consumes:
      - name: \"skatt:scope.read\"",
};

impl Rule for InvalidConsumedScope {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for name in mp.consumes.iter().filter_map(|c| c.name.as_ref()) {
            let v = name.value.as_str();
            let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            let (what, help) = if v.chars().any(char::is_whitespace) {
                let help = if naming::split(&compact).is_some() {
                    format!("remove the whitespace: `name: \"{compact}\"`")
                } else {
                    "remove the whitespace and write the full scope, `<prefix>:<subscope>`"
                        .to_owned()
                };
                ("contains whitespace", help)
            } else {
                match v.split_once(':') {
                    _ if naming::split(v).is_some() => continue,
                    None if v.is_empty() => (
                        "is empty",
                        "write the full scope, `<prefix>:<subscope>`, e.g. `skatt:scope.read`"
                            .to_owned(),
                    ),
                    None => (
                        "has no prefix",
                        format!(
                            "write the full scope with the owner's prefix, e.g. `name: \"{}:{v}\"` if it is a scope {} exposes",
                            s.prefix, s.prefix
                        ),
                    ),
                    Some(("", _)) => (
                        "has an empty prefix",
                        "put the owner's prefix before the `:`, e.g. `skatt:scope.read`".to_owned(),
                    ),
                    Some(_) => (
                        "has an empty subscope",
                        "put the subscope after the `:`, e.g. `skatt:scope.read`".to_owned(),
                    ),
                }
            };
            out.push(
                Finding::new(&m.source, name.span, format!("consumed scope {v:?} {what}; it must be a fully qualified `prefix:subscope`"))
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, findings};

    fn lint(name: &str) -> Vec<String> {
        let block = format!(
            "  maskinporten:\n    enabled: true\n    scopes:\n      consumes:\n        - name: {name}\n"
        );
        findings("invalid-consumed-scope", &app(&block))
    }

    #[test]
    fn qualified_scopes_pass() {
        for ok in [
            "\"skatt:scope.read\"",
            "\"nav:arbeid/vedtak.read\"",
            "\"nav:arbeid:vedtak.read\"",
        ] {
            assert!(lint(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn missing_prefix_suggests_the_configured_one() {
        assert_eq!(
            lint("\"arbeid/vedtak.read\""),
            [
                "11:17 consumed scope \"arbeid/vedtak.read\" has no prefix; it must be a fully qualified `prefix:subscope` | write the full scope with the owner's prefix, e.g. `name: \"nav:arbeid/vedtak.read\"` if it is a scope nav exposes"
            ]
        );
    }

    #[test]
    fn empty_parts_and_whitespace() {
        assert!(lint("\":scope.read\"")[0].contains("has an empty prefix"));
        assert!(lint("\"skatt:\"")[0].contains("has an empty subscope"));
        assert!(lint("\"\"")[0].contains("is empty"));
        let f = lint("\"skatt: scope.read\"");
        assert!(f[0].contains("contains whitespace"), "{}", f[0]);
        assert!(f[0].ends_with("`name: \"skatt:scope.read\"`"), "{}", f[0]);
    }
}
