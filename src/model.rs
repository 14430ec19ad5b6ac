//! The typed model of what maskscope reads from a manifest: the document's kind,
//! name and namespace, `spec.webproxy`, and `spec.maskinporten`.
//!
//! Values are typed the way the Kubernetes API server types them (YAML 1.1): a
//! field whose value has the wrong type is absent here, exactly as the cluster
//! would not accept it; the linter reports it from the raw tree. Every field keeps
//! the span of its key and of its value.

use crate::source::SourceFile;
use crate::template::MissingVar;
use crate::yaml::scalar::{Resolved, resolve_k8s};
use crate::yaml::{Document, DuplicateKey, Entry, Keep, Node, Pos, Span};
use std::sync::Arc;

/// A value with the span of its key and of the value itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub key_span: Span,
    pub span: Span,
}

/// The kinds of document that carry `spec.maskinporten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Application,
    Naisjob,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Application => "Application",
            Kind::Naisjob => "Naisjob",
        }
    }

    /// The kind of a document, if it is one maskscope reads.
    pub fn of(root: &Node) -> Option<Kind> {
        let text = |k| {
            root.get(k)
                .and_then(|n| n.as_scalar())
                .map(|s| s.text.as_str())
        };
        let kind = match text("kind")? {
            "Application" => Kind::Application,
            "Naisjob" => Kind::Naisjob,
            _ => return None,
        };
        (text("apiVersion")? == kind.api_version()).then_some(kind)
    }
}

/// A document of kind `Application` or `Naisjob` whose apiVersion is another
/// `nais.io/` version than the kind has (`kind: Naisjob` with
/// `nais.io/v1alpha1`). The API server rejects it ("no matches for kind"), so
/// it is no [`Manifest`]: nothing in it is resolved or checked but this.
#[derive(Debug, Clone)]
pub struct Misversioned {
    /// 0-based index of the document in its file.
    pub document: usize,
    pub kind: Kind,
    pub api_version: Field<String>,
}

impl Misversioned {
    /// The document as read, if it is one.
    pub fn of(doc: &Document) -> Option<Misversioned> {
        let root = &doc.root;
        let kind = match root.get("kind").and_then(|n| n.as_scalar())?.text.as_str() {
            "Application" => Kind::Application,
            "Naisjob" => Kind::Naisjob,
            _ => return None,
        };
        let api_version = string(root, "apiVersion")?;
        let wrong = api_version.value.starts_with("nais.io/") && Kind::of(root).is_none();
        wrong.then_some(Misversioned {
            document: doc.index,
            kind,
            api_version,
        })
    }
}

impl Kind {
    /// The apiVersion the API server serves this kind under.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Application => "nais.io/v1alpha1",
            Kind::Naisjob => "nais.io/v1",
        }
    }
}

/// An Application or Naisjob document.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub source: Arc<SourceFile>,
    /// 0-based index of the document in its file.
    pub document: usize,
    pub kind: Kind,
    pub name: Option<Field<String>>,
    pub namespace: Option<Field<String>>,
    pub webproxy: Option<Field<bool>>,
    /// `spec.webproxy` as written, whatever its type.
    pub webproxy_raw: Option<Node>,
    pub maskinporten: Option<Maskinporten>,
    /// Whether a `maskinporten` block may have been left out by a template
    /// block over a variable whose value is not known.
    pub maskinporten_unknown: bool,
    /// Keys written twice in one mapping anywhere in the document. The document
    /// tree itself is not kept: a manifest holds what the checks need, so that
    /// thousands of files can be read without holding thousands of trees.
    pub duplicates: Vec<DuplicateKey>,
}

impl Manifest {
    /// Whether a deploy sends it anywhere: not when the repository has deploy
    /// steps and none names its file (see [`crate::deploy::Deployment::deployed`]).
    pub fn deployed(&self) -> bool {
        self.source.deployment.as_ref().is_none_or(|d| d.deployed())
    }

    /// `namespace/name`, or just `name` without a namespace.
    pub fn app(&self) -> String {
        let name = self.name.as_ref().map_or("<unnamed>", |f| f.value.as_str());
        match &self.namespace {
            Some(ns) => format!("{}/{}", ns.value, name),
            None => name.to_owned(),
        }
    }

    /// Free the raw YAML of the maskinporten block and keep the typed fields.
    /// The checks that read raw YAML run per file, before this; the rest of a
    /// run needs only the fields, and over thousands of files the trees would
    /// be most of the memory.
    pub fn drop_tree(&mut self) {
        if let Some(mp) = &mut self.maskinporten {
            mp.node = None;
        }
    }

    /// Note which parts of the maskinporten block depend on template variables
    /// without a value (`missing`, the file's): the block's
    /// [`Maskinporten::unresolved`] and each entry's
    /// [`ExposedScope::unresolved_vars`].
    pub fn attach_missing(&mut self, missing: &[MissingVar]) {
        let Some(mp) = &mut self.maskinporten else {
            // No block, but one may have been left out by a block over a
            // variable whose value is not known (`{{#if x}}` around the
            // whole of `maskinporten:`): whether there is one is unknown.
            let text = &self.source.text;
            self.maskinporten_unknown = missing.iter().filter(|m| m.block && m.unknown).any(|m| {
                let (a, b) = (m.extent.start.offset as usize, m.extent.end.offset as usize);
                text.get(a..b.max(a))
                    .is_some_and(|t| t.contains("maskinporten"))
            });
            return;
        };
        mp.unresolved = missing
            .iter()
            .filter(|m| overlaps(m, mp.region))
            .cloned()
            .collect();
        if mp.unresolved.is_empty() {
            return;
        }
        let enabled = mp.enabled.as_ref().map(|f| f.span);
        let everywhere: Vec<&MissingVar> = mp
            .unresolved
            .iter()
            .filter(|m| enabled.is_some_and(|s| overlaps(m, s)))
            .collect();
        let starts: Vec<Pos> = mp.exposes.iter().map(|e| e.span.start).collect();
        for (i, entry) in mp.exposes.iter_mut().enumerate() {
            let next = starts.get(i + 1).copied().unwrap_or(mp.region.end);
            let mut names: Vec<String> = Vec::new();
            for m in mp.unresolved.iter() {
                let depends = everywhere.contains(&m)
                    || overlaps(m, entry.span)
                    || trails_inside(m, entry.span, next);
                if depends && !names.contains(&m.name) {
                    names.push(m.name.clone());
                }
            }
            entry.unresolved_vars = names;
        }
    }

    pub fn maskinporten_enabled(&self) -> bool {
        self.maskinporten.as_ref().is_some_and(|m| m.enabled())
    }
}

/// `spec.maskinporten`.
#[derive(Debug, Clone)]
pub struct Maskinporten {
    /// The `maskinporten` key.
    pub key: Node,
    /// The block as written (a mapping when well formed), for the checks that
    /// read raw YAML. `None` once [`Manifest::drop_tree`] has run.
    pub node: Option<Node>,
    pub enabled: Option<Field<bool>>,
    pub consumes: Vec<ConsumedScope>,
    pub exposes: Vec<ExposedScope>,
    /// From the `maskinporten` key to the next key of `spec` (or the end of the
    /// document): what a template block there produces or drops belongs to it.
    pub region: Span,
    /// Uses of template variables without a value in [`Maskinporten::region`]:
    /// what the block says cannot be known without them.
    pub unresolved: Vec<MissingVar>,
}

impl Maskinporten {
    pub fn enabled(&self) -> bool {
        self.enabled.as_ref().is_some_and(|f| f.value)
    }

    pub fn key_span(&self) -> Span {
        self.key.span
    }

    /// Whether `enabled` depends on a template variable without a value:
    /// whether the client exists cannot be known.
    pub fn enabled_unresolved(&self) -> bool {
        self.enabled
            .as_ref()
            .map_or(!self.unresolved.is_empty(), |f| {
                self.unresolved.iter().any(|m| overlaps(m, f.span))
            })
    }
}

/// `spec.maskinporten.scopes.consumes[]`.
#[derive(Debug, Clone)]
pub struct ConsumedScope {
    pub span: Span,
    pub name: Option<Field<String>>,
}

/// `spec.maskinporten.scopes.exposes[]`.
#[derive(Debug, Clone)]
pub struct ExposedScope {
    /// 0-based position in the exposes list.
    pub index: usize,
    /// The whole entry.
    pub span: Span,
    pub name: Option<Field<String>>,
    pub enabled: Option<Field<bool>>,
    pub product: Option<Field<String>>,
    pub separator: Option<Field<String>>,
    pub at_max_age: Option<Field<i64>>,
    pub allowed_integrations: Option<Field<Vec<Field<String>>>>,
    pub accessible_for_all: Option<Field<bool>>,
    pub delegation_source: Option<Field<String>>,
    pub visibility: Option<Field<String>>,
    pub consumers: Vec<Consumer>,
    /// Names of the template variables without a value that the entry
    /// depends on: used inside it, in a block around it, or in
    /// `maskinporten.enabled`. Empty for a file that is no template.
    pub unresolved_vars: Vec<String>,
}

/// Defaults digdirator applies to an unset field.
pub mod defaults {
    pub const AT_MAX_AGE: i64 = 30;
    pub const ALLOWED_INTEGRATIONS: [&str; 1] = ["maskinporten"];
    pub const VISIBILITY: &str = "public";
}

impl ExposedScope {
    pub fn enabled(&self) -> bool {
        self.enabled.as_ref().is_some_and(|f| f.value)
    }

    pub fn at_max_age(&self) -> i64 {
        self.at_max_age
            .as_ref()
            .map_or(defaults::AT_MAX_AGE, |f| f.value)
    }

    pub fn allowed_integrations(&self) -> Vec<String> {
        match &self.allowed_integrations {
            Some(f) => f.value.iter().map(|v| v.value.clone()).collect(),
            None => defaults::ALLOWED_INTEGRATIONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    pub fn accessible_for_all(&self) -> bool {
        self.accessible_for_all.as_ref().is_some_and(|f| f.value)
    }

    pub fn visibility(&self) -> String {
        self.visibility
            .as_ref()
            .map_or(defaults::VISIBILITY.to_owned(), |f| f.value.clone())
    }

    pub fn delegation_source(&self) -> Option<&str> {
        self.delegation_source.as_ref().map(|f| f.value.as_str())
    }

    /// Orgnos of the consumers that have one.
    pub fn orgnos(&self) -> Vec<String> {
        self.consumers
            .iter()
            .filter_map(|c| c.orgno.as_ref().map(|o| o.value.clone()))
            .collect()
    }

    /// The line to point at for the scope as a whole: its `name` key, else the entry.
    pub fn anchor(&self) -> Span {
        self.name.as_ref().map_or(self.span, |n| n.key_span)
    }
}

/// `consumers[]` of an exposed scope.
#[derive(Debug, Clone)]
pub struct Consumer {
    pub span: Span,
    pub orgno: Option<Field<String>>,
    pub name: Option<Field<String>>,
}

/// The parts of a document that [`manifest`] reads: the only ones built when
/// manifests are loaded (see [`Keep`]).
pub const READ: Keep = Keep::Keys(&[
    ("apiVersion", Keep::All),
    ("kind", Keep::All),
    (
        "metadata",
        Keep::Keys(&[("name", Keep::All), ("namespace", Keep::All)]),
    ),
    (
        "spec",
        Keep::Keys(&[("maskinporten", Keep::All), ("webproxy", Keep::All)]),
    ),
]);

/// Read a document as a manifest; `None` unless it is an Application or Naisjob.
/// Takes the document, so its tree is freed once the manifest is read.
pub fn manifest(source: &Arc<SourceFile>, mut doc: Document) -> Option<Manifest> {
    let kind = Kind::of(&doc.root)?;
    let region_end = doc
        .root
        .get("spec")
        .and_then(|spec| next_key_after(spec, "maskinporten"))
        .or_else(|| next_key_after(&doc.root, "spec"))
        .unwrap_or(Pos::new(source.text.len(), usize::MAX, usize::MAX));
    let maskinporten = doc
        .root
        .get_mut("spec")
        .and_then(|s| s.take_entry("maskinporten"))
        .filter(|e| !e.value.is_null())
        .map(|e| maskinporten(e, region_end));
    let root = &doc.root;
    let metadata = root.get("metadata");
    let spec = root.get("spec");
    Some(Manifest {
        source: Arc::clone(source),
        document: doc.index,
        kind,
        name: metadata.and_then(|m| string(m, "name")),
        namespace: metadata.and_then(|m| string(m, "namespace")),
        webproxy: spec.and_then(|s| boolean(s, "webproxy")),
        webproxy_raw: spec.and_then(|s| s.get("webproxy")).cloned(),
        maskinporten,
        maskinporten_unknown: false,
        duplicates: doc.duplicates,
    })
}

/// Whether what a missing variable decides (its value, or its whole block)
/// overlaps `span`. An empty block (one that produced nothing) counts where it stands.
fn overlaps(m: &MissingVar, span: Span) -> bool {
    let r = if m.block { m.extent } else { m.tag };
    let (start, end) = (r.start.offset, r.end.offset.max(r.start.offset));
    if start == end {
        return span.start.offset <= start && start < span.end.offset.max(span.start.offset + 1);
    }
    start < span.end.offset && span.start.offset < end
}

/// A block that starts after an entry ends, before the next one, and is
/// indented deeper than the entry's keys: it is in the entry's last field
/// (`consumers:` followed by an `{{#each}}` that produced nothing).
fn trails_inside(m: &MissingVar, entry: Span, next: Pos) -> bool {
    m.block
        && m.extent.start.offset >= entry.end.offset
        && m.extent.start.offset < next.offset
        && m.extent.start.column > entry.start.column
}

/// Where the key after the last `key` of a mapping starts.
fn next_key_after(map: &Node, key: &str) -> Option<Pos> {
    let entries = map.as_map()?;
    let i = entries
        .iter()
        .rposition(|e| e.key.key_text() == Some(key))?;
    entries.get(i + 1).map(|e| e.key.span.start)
}

fn maskinporten(entry: Entry, region_end: Pos) -> Maskinporten {
    let node = &entry.value;
    let scopes = node.get("scopes");
    let list = |key| {
        scopes
            .and_then(|s| s.get(key))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
    };
    let enabled = boolean(node, "enabled");
    let consumes = list("consumes")
        .iter()
        .map(|c| ConsumedScope {
            span: c.span,
            name: string(c, "name"),
        })
        .collect();
    let exposes = list("exposes")
        .iter()
        .enumerate()
        .map(|(i, e)| exposed(i, e))
        .collect();
    let region = Span {
        start: entry.key.span.start,
        end: region_end.max(entry.value.span.end),
    };
    // The tree is moved, not copied: the rest of the document is dropped.
    Maskinporten {
        key: entry.key,
        node: Some(entry.value),
        enabled,
        consumes,
        exposes,
        region,
        unresolved: Vec::new(),
    }
}

fn exposed(index: usize, e: &Node) -> ExposedScope {
    ExposedScope {
        index,
        span: e.span,
        name: string(e, "name"),
        enabled: boolean(e, "enabled"),
        product: string(e, "product"),
        separator: string(e, "separator"),
        at_max_age: integer(e, "atMaxAge"),
        allowed_integrations: field(e, "allowedIntegrations", |n| {
            n.as_seq().map(|items| {
                items
                    .iter()
                    .filter_map(|i| {
                        as_string(i).map(|v| Field {
                            value: v,
                            key_span: i.span,
                            span: i.span,
                        })
                    })
                    .collect()
            })
        }),
        accessible_for_all: boolean(e, "accessibleForAll"),
        delegation_source: string(e, "delegationSource"),
        visibility: string(e, "visibility"),
        consumers: e
            .get("consumers")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .map(|c| Consumer {
                span: c.span,
                orgno: string(c, "orgno"),
                name: string(c, "name"),
            })
            .collect(),
        unresolved_vars: Vec::new(),
    }
}

fn field<T>(map: &Node, key: &str, convert: impl Fn(&Node) -> Option<T>) -> Option<Field<T>> {
    let entry = map.get_entry(key)?;
    let value = convert(&entry.value)?;
    Some(Field {
        value,
        key_span: entry.key.span,
        span: entry.value.span,
    })
}

fn as_string(n: &Node) -> Option<String> {
    let s = n.as_scalar()?;
    (resolve_k8s(s) == Resolved::Str).then(|| s.text.clone())
}

fn string(map: &Node, key: &str) -> Option<Field<String>> {
    field(map, key, as_string)
}

fn boolean(map: &Node, key: &str) -> Option<Field<bool>> {
    field(map, key, |n| match resolve_k8s(n.as_scalar()?) {
        Resolved::Bool(b) => Some(b),
        _ => None,
    })
}

fn integer(map: &Node, key: &str) -> Option<Field<i64>> {
    field(map, key, |n| match resolve_k8s(n.as_scalar()?) {
        Resolved::Int(i) => Some(i),
        _ => None,
    })
}
