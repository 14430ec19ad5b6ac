//! `wrong-api-version`: an Application or Naisjob under another `nais.io/`
//! apiVersion than its kind has, which the API server rejects.

use crate::lint::{Finding, Kind, Rule, RuleDoc, Settings, Severity};
use crate::load::LoadedFile;

pub struct WrongApiVersion;

static DOC: RuleDoc = RuleDoc {
    id: "wrong-api-version",
    severity: Severity::Error,
    kind: Kind::Schema,
    on_by_default: true,
    rejects: true,
    summary: "`kind: Application` not under `nais.io/v1alpha1`, or `kind: Naisjob` not under `nais.io/v1`",
    explanation: "\
The cluster serves `Application` only as `nais.io/v1alpha1` and `Naisjob` only as \
`nais.io/v1`. A document with one of these kinds under another `nais.io/` version \
(a Naisjob copied from an Application and declared `nais.io/v1alpha1`, an \
Application declared `nais.io/v1`) is rejected by the API server with \"no matches \
for kind\", and the deploy fails. Nothing else in such a document is checked or \
resolved until the apiVersion is right. The finding points at the `apiVersion` \
value. Kinds of the same name from other groups (Argo CD's `argoproj.io` \
Application) are not nais manifests and are left alone. \
Source: nais/liberator `pkg/apis/nais.io/v1alpha1/application_types.go` and \
`pkg/apis/nais.io/v1/naisjob_types.go`, `config/crd/bases/nais.io_applications.yaml` \
and `nais.io_naisjobs.yaml` (2026-08-21).",
    bad: "\
# maskscope lint
apiVersion: nais.io/v1alpha1
kind: Naisjob
spec:
  maskinporten:
    enabled: true",
    good: "\
# maskscope lint
apiVersion: nais.io/v1
kind: Naisjob
spec:
  maskinporten:
    enabled: true",
};

impl Rule for WrongApiVersion {
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check_file(&self, file: &LoadedFile, _: &Settings, out: &mut Vec<Finding>) {
        for m in &file.misversioned {
            let kind = m.kind.as_str();
            let right = m.kind.api_version();
            out.push(
                Finding::new(
                    &file.source,
                    m.api_version.span,
                    format!(
                        "`kind: {kind}` is served only as `{right}`, not {:?}: the API server rejects this document (\"no matches for kind\") and nothing in it is deployed",
                        m.api_version.value
                    ),
                )
                .help(format!("write `apiVersion: {right}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::findings;

    fn doc(api_version: &str, kind: &str) -> String {
        format!(
            "apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: job\n  namespace: team\nspec:\n  maskinporten:\n    enabled: true\n"
        )
    }

    #[test]
    fn a_naisjob_under_the_application_version() {
        assert_eq!(
            findings("wrong-api-version", &doc("nais.io/v1alpha1", "Naisjob")),
            [
                "1:13 `kind: Naisjob` is served only as `nais.io/v1`, not \"nais.io/v1alpha1\": the API server rejects this document (\"no matches for kind\") and nothing in it is deployed | write `apiVersion: nais.io/v1`"
            ]
        );
        assert_eq!(
            findings("wrong-api-version", &doc("\"nais.io/v1\"", "Application")).len(),
            1
        );
    }

    #[test]
    fn right_versions_and_other_groups_pass() {
        for (v, k) in [
            ("nais.io/v1alpha1", "Application"),
            ("nais.io/v1", "Naisjob"),
            ("argoproj.io/v1alpha1", "Application"),
            ("kafka.nais.io/v1", "Topic"),
            ("nais.io/v1", "Topic"),
        ] {
            assert!(
                findings("wrong-api-version", &doc(v, k)).is_empty(),
                "{v} {k}"
            );
        }
    }

    #[test]
    fn the_misversioned_document_is_not_checked_otherwise() {
        let text = doc("nais.io/v1alpha1", "Naisjob").replace("enabled: true", "enabled: \"yes\"");
        let all = crate::lint::check_text("t.yaml", &text, &crate::lint::Settings::default());
        let rules: Vec<&str> = all.iter().map(|d| d.rule).collect();
        assert_eq!(rules, ["wrong-api-version"]);
    }
}
