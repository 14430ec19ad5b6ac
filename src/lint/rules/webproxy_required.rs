//! `webproxy-required`: Maskinporten on an on-premises cluster needs `spec.webproxy: true`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct WebproxyRequired;

static DOC: RuleDoc = RuleDoc {
    id: "webproxy-required",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    on_by_default: false,
    rejects: false,
    summary: "on-premises cluster (`--cluster`) and `spec.webproxy` is not true (older platforms only)",
    explanation: "\
Off by default: today's platform does not need it. Applications on the on-premises \
clusters (the `-fss` clusters, or those in `on_prem_clusters` in maskscope.toml) once \
reached Maskinporten only through the web proxy, and the nais docs said `webproxy: \
true` was \"required for on-premises only\". The docs dropped that on 2024-05-22, \
and naiserator stopped using the web proxy for the token sidecar on 2026-04-16. Select \
the rule (`--select webproxy-required`, or in maskscope.toml) only for a cluster that \
still runs an older platform, where an application without `webproxy: true` cannot \
fetch tokens and fails at runtime although the deploy succeeds. It runs only with \
`--cluster`, for manifests whose `spec.maskinporten.enabled` is true, and points at \
the `maskinporten` key. \
Source: nais/doc `docs/auth/maskinporten/` (bbe6bcdf, 2024-05-22, no webproxy); \
nais/naiserator (6be55b7b, 2026-04-16, \"remove webproxy usage\").",
    bad: "\
# maskscope lint --cluster prod-fss
spec:
  maskinporten:
    enabled: true
    scopes:
      consumes:
        - name: \"skatt:scope.read\"",
    good: "\
# maskscope lint --cluster prod-fss
spec:
  webproxy: true
  maskinporten:
    enabled: true
    scopes:
      consumes:
        - name: \"skatt:scope.read\"",
};

impl Rule for WebproxyRequired {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, m: &Manifest, s: &Settings, out: &mut Vec<Finding>) {
        if !s.on_prem {
            return;
        }
        let Some(mp) = m.maskinporten.as_ref().filter(|mp| mp.enabled()) else {
            return;
        };
        let state = match &m.webproxy {
            Some(w) if w.value => return,
            Some(_) => "false".to_owned(),
            None => match m.webproxy_raw.as_ref().and_then(|n| n.as_scalar()) {
                Some(raw) if !raw.text.is_empty() && raw.text != "~" && raw.text != "null" => {
                    format!("{:?}, not the boolean true", raw.text)
                }
                _ => "not set".to_owned(),
            },
        };
        let cluster = s
            .cluster
            .as_deref()
            .map_or("the on-premises cluster".to_owned(), |c| {
                format!("the on-premises cluster {c:?}")
            });
        out.push(
            Finding::new(
                &m.source,
                mp.key_span(),
                format!("maskinporten on {cluster} needs `spec.webproxy: true` to reach Maskinporten on an older platform, but webproxy is {state}"),
            )
            .help("add `webproxy: true` under `spec` if the cluster still needs the web proxy; today's platform does not, and the rule is then best left off"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::Settings;
    use crate::lint::rules::test_support::{app, findings_with};

    fn fss() -> Settings {
        Settings {
            cluster: Some("prod-fss".into()),
            on_prem: true,
            ..Settings::default()
        }
    }

    fn lint(block: &str, settings: &Settings) -> Vec<String> {
        findings_with("webproxy-required", &app(block), settings)
    }

    const MP: &str = "  maskinporten:\n    enabled: true\n    scopes:\n      consumes:\n        - name: \"skatt:scope.read\"\n";

    #[test]
    fn missing_webproxy_on_prem() {
        assert_eq!(
            lint(MP, &fss()),
            [
                "7:3 maskinporten on the on-premises cluster \"prod-fss\" needs `spec.webproxy: true` to reach Maskinporten on an older platform, but webproxy is not set | add `webproxy: true` under `spec` if the cluster still needs the web proxy; today's platform does not, and the rule is then best left off"
            ]
        );
        assert!(
            lint(&format!("  webproxy: false\n{MP}"), &fss())[0]
                .contains("but webproxy is false | add `webproxy: true` under `spec`")
        );
        assert!(
            lint(&format!("  webproxy: \"true\"\n{MP}"), &fss())[0]
                .contains("but webproxy is \"true\", not the boolean true")
        );
    }

    #[test]
    fn webproxy_true_passes() {
        assert!(lint(&format!("  webproxy: true\n{MP}"), &fss()).is_empty());
    }

    #[test]
    fn quiet_in_the_cloud_and_when_maskinporten_is_off() {
        let gcp = Settings {
            cluster: Some("prod-gcp".into()),
            on_prem: false,
            ..Settings::default()
        };
        assert!(lint(MP, &gcp).is_empty());
        assert!(lint(MP, &Settings::default()).is_empty());
        assert!(lint("  maskinporten:\n    enabled: false\n", &fss()).is_empty());
    }
}
