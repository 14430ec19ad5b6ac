//! What a change to the manifests does in Maskinporten: two revisions in,
//! one record per change out.
//!
//! - [`sides`]: the stage. Each revision is put into a folder of its own and
//!   read as a working tree is; `cluster` works out what the cluster has
//!   from both, then they are compared.
//! - `applied`: what a deploy request applies (a file it cannot send fails
//!   it all; the first resource rejected stops the rest).
//! - `accepted`: where BASE's version is rejected, the last one applied,
//!   from BASE's history.
//! - `redeployed`: for a client HEAD deploys and BASE does not, what an
//!   older commit last deployed of it.
//! - [`compare`]: the records, by digdirator's rules; `contested`: scopes
//!   that clients of one environment expose with entries that differ.
//!
//! A side is every client (a manifest read for one deployment) with its
//! exposes entries, resolved to scopes. Scopes are compared per Maskinporten
//! environment and fully qualified scope, as digdirator finds a registration
//! by its subscope alone. Reading revisions runs git; the comparison is pure.

mod accepted;
mod applied;
mod cluster;
mod compare;
mod contested;
mod redeployed;
pub mod sides;

pub use compare::compare;
pub use contested::Contender;

use crate::deploy::{Environment, Unresolved};
use crate::model::{ExposedScope, Field, Manifest};
use serde::Serialize;

/// The kinds of change, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    DeployRejected,
    MaskinportenEnabled,
    MaskinportenDisabled,
    NoLongerDeployed,
    ScopeCreated,
    ScopeRenamed,
    ScopeMoved,
    ScopeContested,
    ScopeReactivated,
    ScopeDeactivated,
    ScopeRemovedStillActive,
    OpenedToAll,
    ClosedToAll,
    ConsumerGranted,
    ConsumerRevoked,
    AttributeChanged,
    Unknown,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::DeployRejected,
        Kind::ScopeCreated,
        Kind::ScopeDeactivated,
        Kind::ScopeReactivated,
        Kind::ScopeRemovedStillActive,
        Kind::ScopeRenamed,
        Kind::ScopeMoved,
        Kind::ScopeContested,
        Kind::ConsumerGranted,
        Kind::ConsumerRevoked,
        Kind::OpenedToAll,
        Kind::ClosedToAll,
        Kind::AttributeChanged,
        Kind::MaskinportenDisabled,
        Kind::MaskinportenEnabled,
        Kind::NoLongerDeployed,
        Kind::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DeployRejected => "deploy-rejected",
            Kind::ScopeCreated => "scope-created",
            Kind::ScopeDeactivated => "scope-deactivated",
            Kind::ScopeReactivated => "scope-reactivated",
            Kind::ScopeRemovedStillActive => "scope-removed-still-active",
            Kind::ScopeRenamed => "scope-renamed",
            Kind::ScopeMoved => "scope-moved",
            Kind::ScopeContested => "scope-contested",
            Kind::ConsumerGranted => "consumer-granted",
            Kind::ConsumerRevoked => "consumer-revoked",
            Kind::OpenedToAll => "opened-to-all",
            Kind::ClosedToAll => "closed-to-all",
            Kind::AttributeChanged => "attribute-changed",
            Kind::MaskinportenDisabled => "maskinporten-disabled",
            Kind::MaskinportenEnabled => "maskinporten-enabled",
            Kind::NoLongerDeployed => "no-longer-deployed",
            Kind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the change takes access away, leaves a scope active that
    /// the manifests no longer show, or leaves it to whichever client
    /// reconciles last: reports warn about these.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Kind::DeployRejected
                | Kind::ConsumerRevoked
                | Kind::ScopeRemovedStillActive
                | Kind::ScopeRenamed
                | Kind::ScopeMoved
                | Kind::ScopeContested
                | Kind::MaskinportenDisabled
                | Kind::OpenedToAll
                | Kind::ScopeDeactivated
        )
    }
}

/// Which revision a record's file and line belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Base,
    Head,
}

/// A consumer as a record lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumerOut {
    pub orgno: String,
    pub name: Option<String>,
}

/// One change. Fields that a kind does not have are left out of JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// `null`: a deployment whose cluster is not known.
    pub environment: Option<Environment>,
    pub cluster: Option<String>,
    /// The scope; for `scope-renamed` the new one. `null` for the
    /// `maskinporten-*` kinds, which are about a whole client.
    pub scope: Option<String>,
    /// `namespace/name`; `null` for an `unknown` record of a deploy step
    /// whose deployments cannot be known.
    pub app: Option<String>,
    /// Relative to the repository's root.
    pub file: String,
    pub line: u32,
    /// Whether `file` and `line` are HEAD's (most records) or BASE's (what
    /// is gone at HEAD).
    pub side: Side,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumers: Option<Vec<ConsumerOut>>,
    /// For `scope-renamed`: the consumers the old scope keeps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_consumers: Option<Vec<ConsumerOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orgno: Option<String>,
    /// The consumer's name, for `consumer-*` (`null` when the manifest gives none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<serde_json::Value>,
    /// For `scope-created` and `scope-renamed`: whether the new scope is active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// For `maskinporten-*`: the scopes that stay active (disabled) or
    /// that the client exposes active (enabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// For `unknown`: the template variables without a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Vec<String>>,
    /// For `deploy-rejected`: the rule whose error makes the deploy fail,
    /// and its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The version BASE's records are relative to, when BASE's manifest was
    /// rejected: the cluster has the last accepted one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_to: Option<Commit>,
    /// For `scope-contested`: every client that exposes the scope, with
    /// its entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clients: Option<Vec<Contender>>,
    /// For `scope-contested`: what the entries do not agree on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<Vec<&'static str>>,
    /// `true` on a change to a contested scope that another client's next
    /// reconcile undoes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contested: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether the record is about a deploy step (whose deployments are not
    /// known), not a client: `app` is then `None`.
    #[serde(skip)]
    pub about_step: bool,
}

/// A commit, as records name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub commit: String,
    pub subject: String,
    /// Why the cluster has this version and not BASE's.
    pub since: Since,
}

/// Why a client's records are relative to an older version than BASE's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Since {
    /// BASE's own version is rejected: the cluster has the last accepted.
    BaseRejected,
    /// BASE does not deploy it: the cluster has what was last deployed.
    NotDeployedAtBase,
}

/// Why the deploy of a manifest fails: the first error of a rule that
/// rejects it (`lint`'s, see [`crate::lint::rejection`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// `None`: a template nais deploy cannot render, which no rule reports.
    pub rule: Option<String>,
    pub message: String,
    /// Where the error is; the file may be another one of the same deploy
    /// step, which fails it all or stops it before this manifest.
    pub file: String,
    pub line: u32,
}

impl Change {
    fn new(kind: Kind, client: &Client, side: Side, line: u32) -> Change {
        let mut c = Change::at(kind, client.file.clone(), line, side);
        c.environment = client.environment;
        c.cluster = client.cluster.clone();
        c.app = Some(client.app.clone());
        c
    }

    /// A record of `kind` at `file`'s `line`, about no client, with every
    /// other field unset.
    pub fn at(kind: Kind, file: String, line: u32, side: Side) -> Change {
        Change {
            kind,
            environment: None,
            cluster: None,
            scope: None,
            app: None,
            file,
            line,
            side,
            consumers: None,
            old_consumers: None,
            orgno: None,
            name: None,
            field: None,
            old: None,
            new: None,
            enabled: None,
            scopes: None,
            variables: None,
            rule: None,
            message: None,
            relative_to: None,
            clients: None,
            differs: None,
            contested: None,
            help: None,
            about_step: false,
        }
    }
}

/// One revision, evaluated: every client read, and the deploy steps whose
/// deployments cannot be known.
#[derive(Debug, Default, Clone)]
pub struct Evaluated {
    pub clients: Vec<Client>,
    pub unresolved: Vec<Unresolved>,
    /// Manifests whose apps are not known (they cannot be read, or their
    /// deploy fails before they are read), with no client of the other
    /// side to stand for them.
    pub unread: Vec<Unread>,
}

/// A manifest, for one deployment, whose apps are not known.
#[derive(Debug, Clone)]
pub struct Unread {
    pub environment: Option<Environment>,
    pub cluster: Option<String>,
    pub file: String,
    pub line: u32,
    /// Its deploy fails (at HEAD: a `deploy-rejected` record); else it
    /// cannot be read (an `unknown` record, with the reason).
    pub rejection: Option<Rejection>,
    pub reason: String,
}

/// A manifest as read for one deployment: a MaskinportenClient when enabled.
#[derive(Debug, Clone)]
pub struct Client {
    pub environment: Option<Environment>,
    pub cluster: Option<String>,
    pub app: String,
    pub file: String,
    /// The `maskinporten` key's line, else the document's first.
    pub line: u32,
    /// Whether `spec.maskinporten.enabled` is true.
    pub enabled: bool,
    /// Whether `enabled` depends on a template variable without a value.
    pub enabled_unknown: bool,
    pub entries: Vec<Entry>,
    /// Its deploy fails: the cluster keeps what it had.
    pub rejected: Option<Rejection>,
    /// Why what the cluster has of this client cannot be known (its file
    /// cannot be read, or no version of it was accepted within the bound):
    /// it is compared with nothing, and gives one `unknown` record.
    pub unknown: Option<String>,
    /// At BASE: the commit of the version the cluster has, when BASE's own
    /// was rejected.
    pub relative_to: Option<Commit>,
}

impl Client {
    /// Clients are the same across revisions when they are the same app in
    /// the same cluster and environment (a renamed file is the same client).
    pub(crate) fn key(&self) -> (Option<Environment>, Option<&str>, &str) {
        (self.environment, self.cluster.as_deref(), &self.app)
    }

    /// Whether `other` sets what this client sets in Maskinporten: the same
    /// client with the same entries, wherever they are in its file.
    pub(crate) fn sets_the_same(&self, other: &Client) -> bool {
        #[allow(clippy::type_complexity)]
        fn entry(
            e: &Entry,
        ) -> (
            usize,
            &String,
            &String,
            bool,
            i64,
            &Vec<String>,
            &String,
            &Option<String>,
            bool,
            Vec<(&String, &Option<String>)>,
            &Vec<String>,
        ) {
            (
                e.index,
                &e.name,
                &e.scope,
                e.enabled,
                e.at_max_age.0,
                &e.allowed_integrations.0,
                &e.visibility.0,
                &e.delegation_source.0,
                e.accessible_for_all.0,
                e.consumers
                    .iter()
                    .map(|c| (&c.orgno, &c.name))
                    .collect::<Vec<_>>(),
                &e.unresolved,
            )
        }
        self.key() == other.key()
            && self.enabled == other.enabled
            && self.enabled_unknown == other.enabled_unknown
            && self
                .entries
                .iter()
                .map(entry)
                .eq(other.entries.iter().map(entry))
    }
}

/// An exposes entry that resolves to a scope.
#[derive(Debug, Clone)]
pub struct Entry {
    pub index: usize,
    pub name: String,
    pub scope: String,
    pub enabled: bool,
    pub line: u32,
    pub at_max_age: (i64, u32),
    pub allowed_integrations: (Vec<String>, u32),
    pub visibility: (String, u32),
    pub delegation_source: (Option<String>, u32),
    pub accessible_for_all: (bool, u32),
    pub consumers: Vec<Consumer>,
    /// Template variables without a value the entry depends on.
    pub unresolved: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Consumer {
    pub orgno: String,
    pub name: Option<String>,
    pub line: u32,
}

impl Evaluated {
    /// The clients of the manifests read (each once per deployment), with
    /// scopes under `prefix`. Entries without a usable name or product are
    /// left out: `lint` reports them.
    pub fn of(manifests: &[Manifest], prefix: &str) -> Evaluated {
        Evaluated::from_clients(clients(manifests, prefix))
    }

    /// A revision's clients, in the order its files were read. The same app
    /// read twice for one cluster: the last read wins, as the last deploy
    /// would.
    pub fn from_clients(all: impl IntoIterator<Item = Client>) -> Evaluated {
        let mut clients: Vec<Client> = Vec::new();
        type Key = (Option<Environment>, Option<String>, String);
        let mut at: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
        for client in all {
            let key = (
                client.environment,
                client.cluster.clone(),
                client.app.clone(),
            );
            match at.get(&key) {
                Some(&i) => clients[i] = client,
                None => {
                    at.insert(key, clients.len());
                    clients.push(client);
                }
            }
        }
        Evaluated {
            clients,
            unresolved: Vec::new(),
            unread: Vec::new(),
        }
    }
}

/// The client each manifest makes, in order (see [`Evaluated::of`]).
/// A manifest no deploy step names makes none: it changes nothing.
pub fn clients(manifests: &[Manifest], prefix: &str) -> Vec<Client> {
    manifests
        .iter()
        .filter(|m| m.deployed())
        .map(|m| {
            let deployment = m.source.deployment.as_deref();
            let mp = m.maskinporten.as_ref();
            let line = mp.map_or(1, |mp| mp.key_span().start.line);
            let mut entries = Vec::new();
            for e in mp.map(|mp| mp.exposes.as_slice()).unwrap_or_default() {
                if let Ok((_, name, resolved)) = crate::resolve::resolve_entry(prefix, e) {
                    entries.push(entry(e, name, resolved.scope));
                }
            }
            Client {
                environment: deployment.and_then(|d| d.environment),
                cluster: deployment.and_then(|d| d.cluster.clone()),
                app: m.app(),
                file: m.source.name.clone(),
                line,
                enabled: m.maskinporten_enabled(),
                enabled_unknown: mp.is_some_and(|mp| mp.enabled_unresolved())
                    || m.maskinporten_unknown,
                entries,
                rejected: None,
                unknown: None,
                relative_to: None,
            }
        })
        .collect()
}

fn line_of<T>(field: &Option<Field<T>>, or: u32) -> u32 {
    field.as_ref().map_or(or, |f| f.key_span.start.line)
}

fn entry(e: &ExposedScope, name: &str, scope: String) -> Entry {
    let line = e.anchor().start.line;
    let mut consumers: Vec<Consumer> = Vec::new();
    for c in &e.consumers {
        let Some(orgno) = &c.orgno else { continue };
        let consumer = Consumer {
            orgno: orgno.value.clone(),
            name: c.name.as_ref().map(|n| n.value.clone()),
            line: c.span.start.line,
        };
        // One orgno listed twice is one entry in the access list.
        match consumers.iter_mut().find(|x| x.orgno == consumer.orgno) {
            Some(x) => *x = consumer,
            None => consumers.push(consumer),
        }
    }
    Entry {
        index: e.index,
        name: name.to_owned(),
        scope,
        enabled: e.enabled(),
        line,
        at_max_age: (e.at_max_age(), line_of(&e.at_max_age, line)),
        allowed_integrations: (
            e.allowed_integrations(),
            line_of(&e.allowed_integrations, line),
        ),
        visibility: (e.visibility(), line_of(&e.visibility, line)),
        delegation_source: (
            e.delegation_source().map(str::to_owned),
            line_of(&e.delegation_source, line),
        ),
        accessible_for_all: (e.accessible_for_all(), line_of(&e.accessible_for_all, line)),
        consumers,
        unresolved: e.unresolved_vars.clone(),
    }
}

/// Counts for a summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub changes: usize,
    /// Each kind present, with its count, in report order.
    pub kinds: std::collections::BTreeMap<&'static str, usize>,
    /// Each environment with changes (`unknown` for deployments whose
    /// cluster is not known), with its count.
    pub environments: std::collections::BTreeMap<&'static str, usize>,
}

pub fn environment_name(e: Option<Environment>) -> &'static str {
    e.map_or("unknown", Environment::as_str)
}

pub fn summary(changes: &[Change]) -> Summary {
    let mut s = Summary {
        changes: changes.len(),
        ..Summary::default()
    };
    for c in changes {
        *s.kinds.entry(c.kind.as_str()).or_default() += 1;
        *s.environments
            .entry(environment_name(c.environment))
            .or_default() += 1;
    }
    s
}
