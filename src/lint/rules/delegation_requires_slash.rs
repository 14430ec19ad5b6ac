//! `delegation-requires-slash`: `delegationSource` needs `separator: "/"` (the CRD's CEL rule).

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::naming;

pub struct DelegationRequiresSlash;

static DOC: RuleDoc = RuleDoc {
    id: "delegation-requires-slash",
    severity: Severity::Error,
    kind: Kind::Value,
    on_by_default: true,
    rejects: true,
    summary: "`delegationSource` set without `separator: \"/\"`",
    explanation: "\
A scope that delegates access through Altinn must use `/` between product and name. \
The MaskinportenClient CRD in nais/liberator enforces it with a CEL validation rule on \
the exposes item: `!has(self.delegationSource) || (has(self.separator) && self.separator \
== \"/\")`. The separator has to be written out: digdirator's default of `/` for a name \
containing `/` does not count. The API server rejects the manifest otherwise and the \
deploy fails. \
Source: nais/liberator `pkg/apis/nais.io/v1/digdirator_types.go` (2026-07-24) (`+kubebuilder:validation:XValidation` on the exposes item) and nais/liberator `config/crd/bases/nais.io_maskinportenclients.yaml` (2026-07-17).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    delegationSource: altinn",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"
    delegationSource: altinn",
};

impl Rule for DelegationRequiresSlash {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let Some(source) = &e.delegation_source else {
                continue;
            };
            let finding = match &e.separator {
                Some(sep) if sep.value == "/" => continue,
                Some(sep) => Finding::new(
                    &m.source,
                    sep.span,
                    format!(
                        "delegationSource {:?} requires separator \"/\", but separator is {:?}",
                        source.value, sep.value
                    ),
                ),
                None => Finding::new(
                    &m.source,
                    source.span,
                    format!(
                        "delegationSource {:?} requires separator \"/\", but no separator is set",
                        source.value
                    ),
                ),
            };
            let scope = match (&e.product, &e.name) {
                (Some(p), Some(n)) => format!(
                    " (the scope becomes {:?})",
                    naming::resolve(&s.prefix, &p.value, &n.value, Some("/")).scope
                ),
                _ => String::new(),
            };
            out.push(finding.help(format!("set `separator: \"/\"` in this entry{scope}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{app, exposing, findings};

    fn lint(extra: &str) -> Vec<String> {
        findings(
            "delegation-requires-slash",
            &exposing("\"vedtak.read\"", extra),
        )
    }

    #[test]
    fn slash_passes_and_no_delegation_passes() {
        assert!(
            lint("          separator: \"/\"\n          delegationSource: altinn\n").is_empty()
        );
        assert!(lint("          separator: \":\"\n").is_empty());
    }

    #[test]
    fn missing_separator_is_reported_at_the_delegation_source() {
        assert_eq!(
            lint("          delegationSource: altinn\n"),
            [
                "14:29 delegationSource \"altinn\" requires separator \"/\", but no separator is set | set `separator: \"/\"` in this entry (the scope becomes \"nav:arbeid/vedtak.read\")"
            ]
        );
    }

    #[test]
    fn other_separator_is_reported_at_the_separator() {
        let f = lint("          separator: \":\"\n          delegationSource: altinn\n");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].starts_with(
                "14:22 delegationSource \"altinn\" requires separator \"/\", but separator is \":\""
            ),
            "{}",
            f[0]
        );
    }

    #[test]
    fn default_slash_does_not_count() {
        let block = "  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak/historikk.read\"\n          enabled: true\n          product: \"arbeid\"\n          delegationSource: altinn\n";
        assert_eq!(findings("delegation-requires-slash", &app(block)).len(), 1);
    }
}
