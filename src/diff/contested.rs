//! Contested scopes: two or more clients in one Maskinporten environment
//! that expose one scope with entries that differ.
//!
//! digdirator finds a registration by its subscope alone, so such clients
//! manage one registration, and each reconcile of one of them (its deploy,
//! or the 7-day resync) sets it to that client's entry: the registration
//! flips between them. Identical entries agree and are no contest (`lint`'s
//! `shared-scope`). Only entries that are known count: an entry that
//! depends on a variable without a value is `unknown`, and a deployment
//! whose cluster is not known is an environment of its own.
//!
//! What the clients disagree on: `enabled`, and among the enabled entries
//! their consumers (as sets of orgnos) and attributes. A disabled entry's
//! reconcile deactivates the scope and leaves its access list and
//! attributes alone, so two disabled entries that differ set nothing
//! against each other.
//!
//! [`compare`](super::compare) pairs one entry per scope at each revision,
//! the one read last, which may be two clients (a file renamed puts
//! another last) and leaves out the other clients' changes. For a scope
//! contested at HEAD or at BASE, here:
//!
//! - each client's own change replaces what `compare` found between the
//!   entries it paired: counted against the client's entry at BASE, else
//!   (it did not expose the scope) the one read last at BASE;
//! - one `scope-contested` record per contested scope that the change
//!   touches (a client of it whose Maskinporten section changed, or that
//!   starts or stops exposing it): a contest no client of which changed is
//!   the state before as well, and `lint`'s `scope-collision` reports it;
//! - on each change of a contested scope that some other client's entry
//!   does not agree with, `contested: true` and a `help` that says its next
//!   reconcile undoes it.

use super::{Change, Client, ConsumerOut, Entry, Evaluated, Kind, Side};
use crate::deploy::Environment;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A client's entry in a contest, as `scope-contested` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contender {
    pub app: String,
    pub cluster: Option<String>,
    pub file: String,
    pub line: u32,
    /// `base` for a client HEAD no longer deploys, which stays as BASE left it.
    pub side: Side,
    pub enabled: bool,
    pub consumers: Vec<ConsumerOut>,
    /// The attributes the enabled entries do not agree on, as this one
    /// sets them (manifest names: `atMaxAge`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<&'static str, Value>,
}

/// How [`compare`](super::compare) records a scope's change from one entry
/// to another in one client.
pub(super) type Existing = fn(Option<&Client>, &Entry, &Client, &Entry, &mut Vec<Change>);

/// The attributes compared, in report order, after `enabled` and `consumers`.
const ATTRIBUTES: [&str; 5] = [
    "atMaxAge",
    "allowedIntegrations",
    "visibility",
    "delegationSource",
    "accessibleForAll",
];

type ScopeOf<'a> = (Environment, &'a str);
type ClientKey<'a> = (Option<Environment>, Option<&'a str>, &'a str);

/// Per environment and scope, the clients that expose it, each with its
/// entry (a client's last entry of the scope, as digdirator keys entries
/// by subscope), in the order read: the last is the one [`compare`]
/// (super::compare) pairs.
fn exposing(side: &Evaluated) -> BTreeMap<ScopeOf<'_>, Vec<(&Client, &Entry)>> {
    let mut by: BTreeMap<ScopeOf<'_>, Vec<(&Client, &Entry)>> = BTreeMap::new();
    for c in &side.clients {
        let Some(env) = c.environment else { continue };
        if !c.enabled || c.enabled_unknown {
            continue;
        }
        for e in c.entries.iter().filter(|e| e.unresolved.is_empty()) {
            let group = by.entry((env, e.scope.as_str())).or_default();
            match group.iter_mut().find(|(x, _)| x.key() == c.key()) {
                Some(slot) => slot.1 = e,
                None => group.push((c, e)),
            }
        }
    }
    by
}

fn orgnos(e: &Entry) -> BTreeSet<&str> {
    e.consumers.iter().map(|c| c.orgno.as_str()).collect()
}

/// An attribute's value as records show it.
fn attribute(e: &Entry, field: &str) -> Value {
    match field {
        "enabled" => json!(e.enabled),
        "atMaxAge" => json!(e.at_max_age.0),
        "allowedIntegrations" => json!(e.allowed_integrations.0),
        "visibility" => json!(e.visibility.0),
        "delegationSource" => json!(e.delegation_source.0),
        "accessibleForAll" => json!(e.accessible_for_all.0),
        _ => Value::Null,
    }
}

/// What the entries do not agree on: `enabled`, then among the enabled
/// entries `consumers` and the attributes. Empty: no contest.
fn differences(group: &[(&Client, &Entry)]) -> Vec<&'static str> {
    let mut out = Vec::new();
    if group.iter().any(|(_, e)| e.enabled != group[0].1.enabled) {
        out.push("enabled");
    }
    let on: Vec<&Entry> = group
        .iter()
        .map(|(_, e)| *e)
        .filter(|e| e.enabled)
        .collect();
    let Some(first) = on.first() else {
        return out;
    };
    if on.iter().any(|e| orgnos(e) != orgnos(first)) {
        out.push("consumers");
    }
    for field in ATTRIBUTES {
        if on
            .iter()
            .any(|e| attribute(e, field) != attribute(first, field))
        {
            out.push(field);
        }
    }
    out
}

/// Whether two readings of one client set the same in Maskinporten (lines
/// and consumer names aside).
fn same_client(a: &Client, b: &Client) -> bool {
    a.enabled == b.enabled
        && a.enabled_unknown == b.enabled_unknown
        && a.entries.len() == b.entries.len()
        && a.entries.iter().zip(&b.entries).all(|(x, y)| {
            x.scope == y.scope
                && x.enabled == y.enabled
                && x.unresolved == y.unresolved
                && orgnos(x) == orgnos(y)
                && ATTRIBUTES
                    .iter()
                    .all(|f| attribute(x, f) == attribute(y, f))
        })
}

/// `team/app in dev-gcp`, as `help` names a client.
fn named(c: &Client) -> String {
    match &c.cluster {
        Some(cluster) => format!("{} in {cluster}", c.app),
        None => c.app.clone(),
    }
}

/// The records for contested scopes at HEAD (`head`: as the cluster will
/// have it, with the clients `deployed` no longer deploys kept), added to
/// `out`, which holds [`compare`](super::compare)'s records; `existing` is
/// how it records a change of one scope.
pub(super) fn contests(
    base: &Evaluated,
    deployed: &Evaluated,
    head: &Evaluated,
    existing: Existing,
    out: &mut Vec<Change>,
) {
    let at_base = exposing(base);
    let at_head = exposing(head);
    let still: HashSet<ClientKey<'_>> = deployed.clients.iter().map(Client::key).collect();
    let base_client = |c: &Client| base.clients.iter().find(|b| b.key() == c.key());
    for (&(env, scope), group) in &at_head {
        if group.len() < 2 {
            continue;
        }
        let differs = differences(group);
        let before = at_base.get(&(env, scope));
        // Contested at BASE and agreeing at HEAD: what a client changed to
        // agree is still its change, whichever entry is read last.
        let was = before.is_some_and(|g| !differences(g).is_empty());
        if differs.is_empty() && !was {
            continue;
        }
        let of_scope = |c: &Change| c.environment == Some(env) && c.scope.as_deref() == Some(scope);

        // Each client's own change: what its next deploy sets that it did
        // not set before. `compare` paired the entries read last at each
        // revision, which may be two clients (a file renamed puts another
        // last) and leaves out the others' changes. The one read last
        // first: its records stand for the same change in another.
        let (winner, winner_entry) = group[group.len() - 1];
        let mut own_changes: Vec<Change> = Vec::new();
        for &(c, e) in group.iter().rev() {
            let own = before.and_then(|g| g.iter().find(|(x, _)| x.key() == c.key()));
            let uncertain = base_client(c).is_some_and(|bc| {
                bc.enabled_unknown || bc.entries.iter().any(|x| !x.unresolved.is_empty())
            });
            // Not exposed at BASE: counted against the registration, as
            // `compare` counts a scope that moves; unless BASE cannot tell
            // (its `unknown` records say so).
            let baseline = match own {
                Some(own) => Some(own),
                None if uncertain => None,
                None => before.and_then(|g| g.last()),
            };
            let Some(&(_, be)) = baseline else { continue };
            let mut mine = Vec::new();
            existing(None, be, c, e, &mut mine);
            for r in mine {
                let said = own_changes.iter().any(|x| {
                    x.kind == r.kind && x.orgno == r.orgno && x.field == r.field && x.new == r.new
                });
                if !said {
                    own_changes.push(r);
                }
            }
        }
        // A scope new at HEAD is `scope-created` from the entry read last.
        if before.is_some() {
            out.retain(|r| !(of_scope(r) && undone(r.kind)));
            out.extend(own_changes);
        }
        if differs.is_empty() {
            continue;
        }

        // Reported when the change touches it: a client that exposes it
        // at either revision reads otherwise at the other.
        let touched = group
            .iter()
            .map(|(c, _)| *c)
            .chain(before.into_iter().flatten().map(|(c, _)| *c))
            .any(|c| {
                let b = base_client(c);
                let h = head.clients.iter().find(|h| h.key() == c.key());
                !matches!((b, h), (Some(b), Some(h)) if same_client(b, h))
            });
        if !touched {
            continue;
        }
        for r in out.iter_mut().filter(|r| of_scope(r)) {
            mark(r, group);
        }
        let side = |c: &Client| {
            if still.contains(&c.key()) {
                Side::Head
            } else {
                Side::Base
            }
        };
        let mut r = Change::new(
            Kind::ScopeContested,
            winner,
            side(winner),
            winner_entry.line,
        );
        r.scope = Some(scope.to_owned());
        r.clients = Some(
            group
                .iter()
                .map(|&(c, e)| Contender {
                    app: c.app.clone(),
                    cluster: c.cluster.clone(),
                    file: c.file.clone(),
                    line: e.line,
                    side: side(c),
                    enabled: e.enabled,
                    consumers: e
                        .consumers
                        .iter()
                        .map(|x| ConsumerOut {
                            orgno: x.orgno.clone(),
                            name: x.name.clone(),
                        })
                        .collect(),
                    attributes: differs
                        .iter()
                        .filter(|f| ATTRIBUTES.contains(f))
                        .map(|&f| (f, attribute(e, f)))
                        .collect(),
                })
                .collect(),
        );
        r.help = Some(format!(
            "{} expose this scope in one Maskinporten environment with entries that differ in {}; each deploy of one of them, and digdirator's 7-day resync, sets the registration to that client's entry. This record is at the entry read last ({}), which the other records of this scope are compared with. Make the entries the same, or expose the scope from one app only",
            group
                .iter()
                .map(|(c, _)| named(c))
                .collect::<Vec<_>>()
                .join(", "),
            differs.join(", "),
            named(winner),
        ));
        r.differs = Some(differs);
        out.push(r);
    }
}

/// The kinds of change that a contested scope's next reconcile by another
/// client may undo.
fn undone(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ConsumerGranted
            | Kind::ConsumerRevoked
            | Kind::AttributeChanged
            | Kind::OpenedToAll
            | Kind::ClosedToAll
            | Kind::ScopeReactivated
            | Kind::ScopeDeactivated
    )
}

/// `contested` and its `help` on a change of the scope that another client
/// of `group` does not agree with (a grant it does not list, ...).
fn mark(r: &mut Change, group: &[(&Client, &Entry)]) {
    let others = group.iter().filter(|(c, _)| {
        c.cluster.as_deref() != r.cluster.as_deref() || r.app.as_deref() != Some(c.app.as_str())
    });
    let lists = |e: &Entry| {
        r.orgno
            .as_deref()
            .is_some_and(|o| e.consumers.iter().any(|c| c.orgno == o))
    };
    if !undone(r.kind) {
        return;
    }
    let undo: Vec<String> = others
        .filter(|(_, e)| match r.kind {
            Kind::ConsumerGranted => e.enabled && !lists(e),
            Kind::ConsumerRevoked => e.enabled && lists(e),
            Kind::AttributeChanged => {
                e.enabled && r.field.is_some_and(|f| Some(attribute(e, f)) != r.new)
            }
            Kind::OpenedToAll => e.enabled && !e.accessible_for_all.0,
            Kind::ClosedToAll => e.enabled && e.accessible_for_all.0,
            Kind::ScopeReactivated => !e.enabled,
            Kind::ScopeDeactivated => e.enabled,
            _ => false,
        })
        .map(|(c, _)| named(c))
        .collect();
    if undo.is_empty() {
        return;
    }
    let (whose, agree, which) = if undo.len() == 1 {
        ("entry", "does", "it")
    } else {
        ("entries", "do", "any of them")
    };
    let note = format!(
        "contested: the {whose} of {} for this scope {agree} not agree; each deploy of one of them, and digdirator's 7-day resync, sets the registration to that client's entry, so the next reconcile of {which} undoes this",
        undo.join(", "),
    );
    r.contested = Some(true);
    r.help = Some(match r.help.take() {
        Some(h) => format!("{h}; {note}"),
        None => note,
    });
}
