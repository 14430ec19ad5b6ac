//! What the cross-file rules see of the manifests: each exposed scope, fully
//! qualified, with the application that exposes it and where, and each
//! consumed scope with the application that asks for it.
//!
//! It is gathered in the task that reads each file, while its manifests are at
//! hand, so that a run over thousands of files need not keep every typed
//! manifest until the end only to compare a few strings of each.

use crate::deploy::Environment;
use crate::model::Manifest;
use crate::resolve::resolve_entry;
use crate::source::SourceFile;
use crate::yaml::Span;
use std::sync::Arc;

/// One exposes entry that digdirator would provision.
#[derive(Debug, Clone)]
pub struct Exposure {
    /// The fully qualified scope, `nav:arbeid:vedtak.read`.
    pub scope: String,
    /// `metadata.name` of the application.
    pub name: String,
    /// `metadata.namespace`, when the manifest gives one.
    pub namespace: Option<String>,
    pub source: Arc<SourceFile>,
    /// Where a report about the entry points: its `name` key, else the entry.
    pub at: Span,
    /// The Maskinporten environment of the deployment the manifest was read
    /// for; `None` (unknown) is an environment of its own.
    pub environment: Option<Environment>,
}

impl Exposure {
    /// `namespace/name`, or `name` alone.
    pub fn app(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The scopes that `manifests` expose and would be provisioned: of enabled
/// Maskinporten blocks in named manifests, the entries that resolve to a
/// scope. Entries that do not resolve, or depend on template variables
/// without a value, are other rules' findings.
pub fn exposures(manifests: &[Manifest], prefix: &str) -> Vec<Exposure> {
    let mut out = Vec::new();
    for m in manifests.iter().filter(|m| m.maskinporten_enabled()) {
        let (Some(name), Some(mp)) = (&m.name, &m.maskinporten) else {
            continue;
        };
        // An entry that depends on a variable without a value is not known.
        for entry in mp.exposes.iter().filter(|e| e.unresolved_vars.is_empty()) {
            let Ok((_, _, resolved)) = resolve_entry(prefix, entry) else {
                continue;
            };
            out.push(Exposure {
                scope: resolved.scope,
                name: name.value.clone(),
                namespace: m.namespace.as_ref().map(|f| f.value.clone()),
                source: Arc::clone(&m.source),
                at: entry.anchor(),
                environment: m.source.deployment.as_ref().and_then(|d| d.environment),
            });
        }
    }
    out
}

/// One consumes entry: a scope an application asks Maskinporten tokens for.
#[derive(Debug, Clone)]
pub struct Consumption {
    /// The scope as written, `nav:arbeid:vedtak.read`.
    pub scope: String,
    /// `namespace/name` of the application.
    pub app: String,
    pub source: Arc<SourceFile>,
    /// The entry's `name` value.
    pub at: Span,
}

/// The consumes entries of `manifests` that name a scope.
pub fn consumptions(manifests: &[Manifest]) -> Vec<Consumption> {
    let mut out = Vec::new();
    for m in manifests {
        let Some(mp) = &m.maskinporten else { continue };
        for c in &mp.consumes {
            let Some(name) = &c.name else { continue };
            out.push(Consumption {
                scope: name.value.clone(),
                app: m.app(),
                source: Arc::clone(&m.source),
                at: name.span,
            });
        }
    }
    out
}
