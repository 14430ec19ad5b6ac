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
use std::collections::BTreeSet;
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
    /// What digdirator writes to the registration from the entry.
    pub entry: Entry,
}

/// The parts of an exposes entry that digdirator writes to the scope's
/// registration, defaults applied: two entries equal here provision the same
/// registration. Consumer names are descriptive only; the order of consumers
/// and integrations does not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub enabled: bool,
    pub consumers: BTreeSet<String>,
    pub at_max_age: i64,
    pub allowed_integrations: BTreeSet<String>,
    pub accessible_for_all: bool,
    pub delegation_source: Option<String>,
    pub visibility: String,
}

impl Entry {
    fn of(e: &crate::model::ExposedScope) -> Entry {
        Entry {
            enabled: e.enabled(),
            consumers: e.orgnos().into_iter().collect(),
            at_max_age: e.at_max_age(),
            allowed_integrations: e.allowed_integrations().into_iter().collect(),
            accessible_for_all: e.accessible_for_all(),
            delegation_source: e.delegation_source().map(str::to_owned),
            visibility: e.visibility(),
        }
    }

    /// The manifest keys whose values differ between the two entries.
    pub fn differences(&self, other: &Entry) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.enabled != other.enabled {
            out.push("enabled");
        }
        if self.consumers != other.consumers {
            out.push("consumers");
        }
        if self.at_max_age != other.at_max_age {
            out.push("atMaxAge");
        }
        if self.allowed_integrations != other.allowed_integrations {
            out.push("allowedIntegrations");
        }
        if self.accessible_for_all != other.accessible_for_all {
            out.push("accessibleForAll");
        }
        if self.delegation_source != other.delegation_source {
            out.push("delegationSource");
        }
        if self.visibility != other.visibility {
            out.push("visibility");
        }
        out
    }
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
/// without a value, are other rules' findings. A manifest no deploy step
/// names provisions nothing.
pub fn exposures(manifests: &[Manifest], prefix: &str) -> Vec<Exposure> {
    let mut out = Vec::new();
    for m in manifests
        .iter()
        .filter(|m| m.maskinporten_enabled() && m.deployed())
    {
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
                entry: Entry::of(entry),
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

/// Whether two exposers are certainly different applications: their names
/// differ, or both have a namespace and those differ. A manifest without a
/// namespace may be either of the namespaced ones of its name, so it is
/// different from neither.
pub fn different(a: &Exposure, b: &Exposure) -> bool {
    a.name != b.name || matches!((&a.namespace, &b.namespace), (Some(x), Some(y)) if x != y)
}

/// The exposures of each scope within one Maskinporten environment that
/// certainly different applications expose, in input order (of the groups by
/// their first member, and within each group). Nearly every scope has one
/// exposer and is left out.
pub fn shared(exposures: &[Exposure]) -> Vec<Vec<&Exposure>> {
    let mut index: std::collections::HashMap<(Option<Environment>, &str), usize> =
        std::collections::HashMap::with_capacity(exposures.len());
    let mut groups: Vec<Vec<&Exposure>> = Vec::new();
    for e in exposures {
        let i = *index.entry((e.environment, &e.scope)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(e);
    }
    // Some two are `different` when the names differ, or, all names being
    // equal, two namespaces given differ: linear in the group, which input
    // can make large.
    groups.retain(|g| {
        g.iter().any(|e| e.name != g[0].name) || {
            let mut given = g.iter().filter_map(|e| e.namespace.as_ref());
            given
                .next()
                .is_some_and(|first| given.any(|ns| ns != first))
        }
    });
    groups
}

/// One exposure per application (its first) of a group, to name them by.
pub fn apps<'a>(group: &[&'a Exposure]) -> Vec<&'a Exposure> {
    let mut apps: Vec<&Exposure> = Vec::new();
    for e in group {
        if !apps
            .iter()
            .any(|a| a.name == e.name && a.namespace == e.namespace)
        {
            apps.push(e);
        }
    }
    apps
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
