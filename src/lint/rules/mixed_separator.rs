//! `mixed-separator`: an explicit `:` or `.` separator with a name containing `/`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;
use crate::naming;

pub struct MixedSeparator;

static DOC: RuleDoc = RuleDoc {
    id: "mixed-separator",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    on_by_default: true,
    rejects: false,
    summary: "explicit `separator` of `:` or `.` while the name contains `/`",
    explanation: "\
Without a separator, digdirator (nais/digdirator) joins product and name with `/` when \
the name contains `/`, so `arbeid` + `some/scope` gives `nav:arbeid/some/scope`. An \
explicit `separator: \":\"` (or `\".\"`) overrides that and gives `nav:arbeid:some/scope`, \
a scope that mixes separators. It is valid, but people read and type it as the `/` \
form, and consumers ask for a scope that does not exist. The nais docs recommend \
`separator: \"/\"`. If the scope is already registered in Maskinporten, changing the \
separator creates a new scope instead: keep it and silence the finding with \
`# maskscope: ignore[mixed-separator]`. \
Source: nais/digdirator `pkg/digdir/scopes/scope.go` (how the separator is chosen, 2026-03-03); nais/doc `docs/auth/maskinporten/reference/README.md` (2026-01).",
    bad: "\
exposes:
  - name: \"vedtak/historikk.read\"
    enabled: true
    product: \"arbeid\"
    separator: \":\"",
    good: "\
exposes:
  - name: \"vedtak/historikk.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"",
};

impl Rule for MixedSeparator {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        let Some(mp) = &m.maskinporten else { return };
        for e in &mp.exposes {
            let (Some(sep), Some(name)) = (&e.separator, &e.name) else {
                continue;
            };
            if !matches!(sep.value.as_str(), ":" | ".") || !name.value.contains('/') {
                continue;
            }
            let product = e.product.as_ref().map_or("<product>", |p| p.value.as_str());
            let now = naming::resolve(&s.prefix, product, &name.value, Some(&sep.value)).scope;
            let slash = naming::resolve(&s.prefix, product, &name.value, Some("/")).scope;
            out.push(
                Finding::new(
                    &m.source,
                    sep.span,
                    format!(
                        "separator {:?} with a name containing \"/\" ({:?}) gives the scope {now:?}, which mixes separators and is easily misread as {slash:?}",
                        sep.value, name.value
                    ),
                )
                .help(format!(
                    "use `separator: \"/\"` for {slash:?}; if {now:?} is already registered in Maskinporten, keep it and add `# maskscope: ignore[mixed-separator]`, since a new separator creates a new scope"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{exposing, findings};

    fn lint(name: &str, sep: &str) -> Vec<String> {
        findings(
            "mixed-separator",
            &exposing(
                &format!("\"{name}\""),
                &format!("          separator: \"{sep}\"\n"),
            ),
        )
    }

    #[test]
    fn consistent_separators_pass() {
        assert!(lint("vedtak/historikk.read", "/").is_empty());
        assert!(lint("vedtak.read", ":").is_empty());
        assert!(lint("vedtak.read", ".").is_empty());
    }

    #[test]
    fn colon_with_slash_name() {
        assert_eq!(
            lint("some/scope", ":"),
            [
                "14:22 separator \":\" with a name containing \"/\" (\"some/scope\") gives the scope \"nav:arbeid:some/scope\", which mixes separators and is easily misread as \"nav:arbeid/some/scope\" | use `separator: \"/\"` for \"nav:arbeid/some/scope\"; if \"nav:arbeid:some/scope\" is already registered in Maskinporten, keep it and add `# maskscope: ignore[mixed-separator]`, since a new separator creates a new scope"
            ]
        );
        assert!(
            lint("eiendom/matrikkel", ".")[0]
                .contains("gives the scope \"nav:arbeid.eiendom/matrikkel\"")
        );
    }
}
