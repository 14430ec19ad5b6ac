//! What the deploy refuses in a file: the findings of the rules whose error
//! means that nais deploy or the API server rejects the resource
//! ([`RuleDoc::rejects`](crate::diagnostic::RuleDoc::rejects)), per manifest,
//! and whether the file is refused as a whole. A refused resource changes
//! nothing in the cluster, which keeps the version it had.
//!
//! Suppression comments and configured severities do not count here: they
//! change what maskscope reports, not what the API server accepts.

use super::runner::{self, Active};
use super::{Settings, Severity, rules};
use crate::load::LoadedFile;
use crate::source::{InputError, InputErrorKind};
use crate::template::{EXEC_FAILS, PARSE_FAILS};

/// One reason the deploy refuses a resource, or a whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The rule whose finding this is; `None` for a template nais deploy
    /// cannot render, which no rule reports (the file is not checked).
    pub rule: Option<&'static str>,
    /// 1-based, in the file as written (a template's own lines).
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// What the deploy refuses in one file.
///
/// nais deploy sends every file of a deploy step in one request and applies
/// its resources in order; the first one refused fails the deploy, and the
/// resources after it are not applied either (nais/deploy
/// `pkg/deployd/deployd/deployd.go`). What that means for a deployment is
/// the caller's to decide; this says only what is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejections {
    /// Why the whole file is refused: nais deploy cannot render it or decode
    /// its YAML, so nothing of the request that holds it is applied.
    pub whole: Option<Rejection>,
    /// For each manifest of the file (the same index as in
    /// [`LoadedFile::manifests`]), the first finding, in file order, that
    /// makes the API server reject it.
    pub manifests: Vec<Option<Rejection>>,
    /// Documents the API server rejects that are no manifest maskscope reads
    /// (an Application under another `nais.io/` apiVersion, see
    /// [`LoadedFile::misversioned`]): the same index as there.
    pub misversioned: Vec<Option<Rejection>>,
}

impl Rejections {
    /// Whether the deploy refuses anything in the file.
    pub fn any(&self) -> bool {
        self.whole.is_some()
            || self.manifests.iter().any(Option::is_some)
            || self.misversioned.iter().any(Option::is_some)
    }
}

/// The first finding (in file order) of a rule with `rejects: true` and
/// severity error, per manifest of `file`, found while its manifests hold
/// their raw YAML (see [`runner::check_file`]).
pub fn rejections(file: &LoadedFile, settings: &Settings) -> Rejections {
    // Without its tree, a block's keys and types could not be checked, and
    // a manifest would look accepted.
    debug_assert!(
        file.manifests
            .iter()
            .filter_map(|m| m.maskinporten.as_ref())
            .all(|mp| mp.node.is_some()),
        "rejections of {} after its trees were dropped",
        file.source.name
    );
    let active = rejecting();
    // The findings of a run over one manifest are that manifest's: a
    // template's `{{#each}}` can make several documents of one text, whose
    // findings have the same positions.
    let alone = |manifests, error, misversioned| LoadedFile {
        source: std::sync::Arc::clone(&file.source),
        manifests,
        error,
        missing: file.missing.clone(),
        misversioned,
        direct_clients: Vec::new(),
    };
    let manifests = file
        .manifests
        .iter()
        .map(|m| {
            let one = alone(vec![m.clone()], None, Vec::new());
            first(runner::check_file(&one, &active, settings).diagnostics)
        })
        .collect();
    let misversioned = file
        .misversioned
        .iter()
        .map(|m| {
            let one = alone(Vec::new(), None, vec![m.clone()]);
            first(runner::check_file(&one, &active, settings).diagnostics)
        })
        .collect();
    Rejections {
        whole: file.error.as_ref().and_then(refused_whole),
        manifests,
        misversioned,
    }
}

/// The rules whose error the deploy refuses, each at severity error.
fn rejecting() -> Vec<Active> {
    rules::all()
        .into_iter()
        .filter(|r| r.doc().rejects && r.doc().severity == Severity::Error)
        .map(|rule| Active {
            rule,
            severity: Severity::Error,
        })
        .collect()
}

/// The first of a run's findings in file order.
fn first(diagnostics: Vec<crate::diagnostic::Diagnostic>) -> Option<Rejection> {
    let d = diagnostics.into_iter().min_by(|a, b| {
        (a.finding.span.start.offset, a.rule).cmp(&(b.finding.span.start.offset, b.rule))
    })?;
    Some(Rejection {
        rule: Some(d.rule),
        line: d.finding.span.start.line,
        column: d.finding.span.start.column,
        message: d.finding.message,
    })
}

/// A file error the deploy meets too: YAML its decoder cannot read (not
/// one of maskscope's budgets, nor its parser's own failure), or a template
/// raymond cannot parse or execute. A file that cannot be read or decoded
/// as text, or a template over a budget, is not known to be refused.
fn refused_whole(e: &InputError) -> Option<Rejection> {
    let rule = match e.kind {
        InputErrorKind::Syntax
            if !crate::yaml::over_budget(&e.message)
                && e.message != crate::yaml::INTERNAL_ERROR =>
        {
            Some("yaml-syntax")
        }
        InputErrorKind::Template
            if e.message.starts_with(PARSE_FAILS) || e.message.starts_with(EXEC_FAILS) =>
        {
            None
        }
        _ => return None,
    };
    let (line, column) = e.pos.map_or((1, 1), |p| (p.line, p.column));
    Some(Rejection {
        rule,
        line,
        column,
        message: e.message.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Renderer, Vars};

    fn load(text: &str) -> LoadedFile {
        let renderer = Renderer::new(&Vars::default());
        crate::load::load_bytes("t.yaml", Ok(text.as_bytes().to_vec()), &renderer)
    }

    fn app(name: &str, exposes: &str) -> String {
        format!(
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n{exposes}"
        )
    }

    fn shown(r: &Option<Rejection>) -> Option<String> {
        r.as_ref()
            .map(|r| format!("{} {}:{}", r.rule.unwrap_or("-"), r.line, r.column))
    }

    #[test]
    fn the_first_rejecting_finding_of_each_manifest() {
        // a: an orgno the deploy accepts (a wrong check digit, a warning),
        // then an unquoted one; b: a name, then an orgno; c: a duplicate key,
        // which the deploy accepts.
        let a = app(
            "a",
            "        - name: \"aa.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"889640783\"\n            - orgno: 889640782\n",
        );
        let b = app(
            "b",
            "        - name: \"Bb.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n            - orgno: \"12345678\"\n",
        );
        let c = app(
            "c",
            "        - name: \"cc.read\"\n          enabled: true\n          enabled: true\n          product: \"arbeid\"\n",
        );
        let file = load(&format!("{a}---\n{b}---\n{c}"));
        let r = rejections(&file, &Settings::default());
        let got: Vec<Option<String>> = r.manifests.iter().map(shown).collect();
        assert_eq!(
            got,
            [
                Some("wrong-type 16:22".to_owned()),
                Some("invalid-name 28:17".to_owned()),
                None
            ]
        );
        assert_eq!(r.whole, None);
        assert!(r.any());
    }

    #[test]
    fn a_syntax_error_refuses_the_file_a_budget_does_not() {
        let r = rejections(&load("a: [1\n"), &Settings::default());
        assert_eq!(shown(&r.whole), Some("yaml-syntax 1:4".to_owned()));
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let r = rejections(&load(&deep), &Settings::default());
        assert_eq!(r.whole, None);
    }

    #[test]
    fn a_template_raymond_cannot_parse_refuses_the_file() {
        let r = rejections(&load("a: {{#if x}}\n"), &Settings::default());
        let whole = r.whole.unwrap();
        assert_eq!(whole.rule, None);
        assert!(whole.message.starts_with(PARSE_FAILS), "{}", whole.message);
    }

    #[test]
    fn a_misversioned_document_is_refused() {
        let text = app("a", "").replace("Application", "Naisjob");
        let r = rejections(&load(&text), &Settings::default());
        assert!(r.manifests.is_empty());
        assert_eq!(
            r.misversioned.iter().map(shown).collect::<Vec<_>>(),
            [Some("wrong-api-version 1:13".to_owned())]
        );
    }
}
