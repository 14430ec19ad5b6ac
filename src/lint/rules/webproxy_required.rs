//! `webproxy-required`: Maskinporten on an on-premises cluster needs `spec.webproxy: true`.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::model::Manifest;

pub struct WebproxyRequired;

static DOC: RuleDoc = RuleDoc {
    id: "webproxy-required",
    severity: Severity::Warning,
    kind: Kind::Semantic,
    summary: "on-premises cluster (`--cluster`) and `spec.webproxy` is not true",
    explanation: "\
Applications on NAV's on-premises clusters (the `-fss` clusters, or those listed in \
`on_prem_clusters` in maskscope.toml) reach the internet only through the web proxy. \
The nais docs' Maskinporten configuration says `webproxy: true` is \"required for \
on-premises only\": without it the application cannot fetch tokens from Maskinporten \
or its keys to validate tokens, and fails at runtime although the deploy succeeds. The \
rule runs only with `--cluster`, and only for manifests whose \
`spec.maskinporten.enabled` is true: that is when a Maskinporten client is provisioned \
and the application has to talk to Maskinporten, whether it consumes or exposes scopes. \
The finding points at the `maskinporten` key. \
Source: the nais docs, Maskinporten configuration (`webproxy: true`, \"required for on-premises only\").",
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
                format!("maskinporten on {cluster} needs `spec.webproxy: true` to reach Maskinporten, but webproxy is {state}"),
            )
            .help("add `webproxy: true` under `spec`"),
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
                "7:3 maskinporten on the on-premises cluster \"prod-fss\" needs `spec.webproxy: true` to reach Maskinporten, but webproxy is not set | add `webproxy: true` under `spec`"
            ]
        );
        assert!(
            lint(&format!("  webproxy: false\n{MP}"), &fss())[0]
                .ends_with("but webproxy is false | add `webproxy: true` under `spec`")
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
