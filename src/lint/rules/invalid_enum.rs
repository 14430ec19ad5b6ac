//! `invalid-enum`: `visibility` must be `private` or `public`, `delegationSource` `altinn`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::{Field, Manifest};

pub struct InvalidEnum;

static DOC: RuleDoc = RuleDoc {
    id: "invalid-enum",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`visibility` not `private`/`public`, or `delegationSource` not `altinn`",
    explanation: "\
The MaskinportenClient CRD in nais/liberator declares both fields as enums: \
`visibility` is `private` or `public` (default public; a private scope is hidden from \
DigDir's scope listing), and `delegationSource` is `altinn` (the only delegation source \
digdirator supports). The values are case-sensitive: DigDir's API writes `PUBLIC`, the \
manifest must say `public`. The API server rejects any other value and the deploy fails. \
Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) (`+kubebuilder:validation:Enum`) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"
    visibility: PUBLIC
    delegationSource: Altinn",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"
    visibility: public
    delegationSource: altinn",
};

const FIELDS: [(&str, &[&str]); 2] = [
    ("visibility", &["private", "public"]),
    ("delegationSource", &["altinn"]),
];

fn check_field(
    m: &Manifest,
    key: &str,
    allowed: &[&str],
    field: &Field<String>,
    out: &mut Vec<Finding>,
) {
    let v = field.value.as_str();
    if allowed.contains(&v) {
        return;
    }
    let list = allowed
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let f = Finding::new(
        &m.source,
        field.span,
        format!("{key} {v:?} is not one of {list}"),
    );
    let lowered = v.trim().to_lowercase();
    let nearest = allowed
        .iter()
        .map(|a| (strsim::levenshtein(a, &lowered), a))
        .min()
        .filter(|(d, a)| *d <= a.len() / 3 || lowered == **a);
    out.push(match nearest {
        Some((_, a)) => f.help(format!(
            "did you mean `{key}: {a}`? The values are lowercase"
        )),
        None => f.help(format!("use {list}, or remove the line")),
    });
}

impl Rule for InvalidEnum {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, _: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            for (key, allowed) in FIELDS {
                let field = if key == "visibility" {
                    &e.visibility
                } else {
                    &e.delegation_source
                };
                if let Some(field) = field {
                    check_field(m, key, allowed, field, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(extra: &str) -> Vec<String> {
        findings(
            "invalid-enum",
            &exposing(
                "\"vedtak.read\"",
                &format!("          separator: \"/\"\n{extra}"),
            ),
        )
    }

    #[test]
    fn allowed_values_pass() {
        assert!(
            lint("          visibility: private\n          delegationSource: altinn\n").is_empty()
        );
        assert!(lint("          visibility: public\n").is_empty());
    }

    #[test]
    fn uppercase_values_get_the_lowercase_one() {
        assert_eq!(
            lint("          visibility: PUBLIC\n          delegationSource: Altinn\n"),
            [
                "15:23 visibility \"PUBLIC\" is not one of \"private\" or \"public\" | did you mean `visibility: public`? The values are lowercase",
                "16:29 delegationSource \"Altinn\" is not one of \"altinn\" | did you mean `delegationSource: altinn`? The values are lowercase",
            ]
        );
    }

    #[test]
    fn typos_and_unknown_values() {
        assert!(
            lint("          visibility: privat\n")[0]
                .contains("did you mean `visibility: private`?")
        );
        let f = lint("          visibility: internal\n          delegationSource: \"\"\n");
        assert_eq!(f.len(), 2);
        assert!(
            f[0].ends_with("use \"private\" or \"public\", or remove the line"),
            "{}",
            f[0]
        );
        assert!(
            f[1].contains("delegationSource \"\" is not one of \"altinn\""),
            "{}",
            f[1]
        );
    }
}
