//! The comparison, by digdirator's rules (`controllers/common/scopes.go`):
//!
//! - A scope is managed by a client whose `maskinporten.enabled` is true. It
//!   is found by environment and scope; the last entry read wins, as the
//!   last reconcile would.
//! - A scope exposed at HEAD by another client than at BASE (another app,
//!   or the same app in another cluster of the environment), whose client
//!   at BASE exposes it no more and which the new one did not expose at
//!   BASE, is adopted by the new one: `scope-moved`,
//!   then compared as any existing scope.
//! - An existing scope that HEAD enables gets HEAD's attributes and access
//!   list: each orgno added is a grant, each removed a revocation, compared
//!   with BASE's list (for a scope disabled at BASE, the list it kept).
//! - An existing scope that HEAD disables is deactivated, and its access list
//!   and attributes are left alone: consumers or attributes changed on a
//!   disabled scope are no change in Maskinporten (yet).
//! - A new scope is registered, active or not as `enabled` says, with its
//!   consumers granted even when disabled (`scope-created` lists them).
//! - An entry removed from an enabled client leaves the scope as it was:
//!   active with its consumers if it was enabled. A scope whose entry is the
//!   same (same name, else same position, in the same client) but resolves to
//!   another scope is a rename: a new scope, the old one left as it was.
//! - A client that stops being enabled (`enabled: false`, or the block
//!   removed, in a manifest still deployed) is deleted; its enabled scopes
//!   stay active.
//! - nais deploy never deletes: a client BASE deploys and HEAD does not
//!   (its step removed, its file deleted or renamed away, the deploy moved
//!   elsewhere) stays in the cluster as BASE left it. It is one
//!   `no-longer-deployed` record, and HEAD is compared as still having it.
//! - A manifest whose deploy fails (the API server or nais deploy rejects
//!   it, or another of its deploy step's files) changes nothing: the cluster
//!   keeps what BASE had. It is one `deploy-rejected` record per client, and
//!   HEAD is compared as having BASE's client. Where BASE's own was
//!   rejected, the stage gives BASE the last version accepted, and each
//!   record of that client says which (`relative_to`).
//! - A client whose state cannot be known at one side (its file cannot be
//!   read) is one `unknown` record, and nothing of it is compared.
//! - An entry that depends on template variables without a value is not
//!   compared: it is one `unknown` record, as are the entries of its client
//!   at the other revision that would otherwise look created or removed.
//! - Two or more clients of one environment that expose one scope with
//!   entries that differ take turns setting it: `scope-contested`, and each
//!   client's own change ([`super::contested`]).

use super::{Change, Client, ConsumerOut, Entry, Evaluated, Kind, Side};
use crate::deploy::{Environment, Unresolved};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// A scope in an environment. A deployment whose cluster is not known is an
/// environment of its own: its client is part of the key.
type ScopeKey<'a> = (Option<Environment>, Option<ClientKey<'a>>, &'a str);

fn scope_key<'a>(c: &'a Client, e: &'a Entry) -> ScopeKey<'a> {
    (
        c.environment,
        c.environment.is_none().then(|| c.key()),
        e.scope.as_str(),
    )
}
type ClientKey<'a> = (Option<Environment>, Option<&'a str>, &'a str);

/// The entries a side manages, by environment and scope, and what it
/// cannot know.
struct Managed<'a> {
    scopes: HashMap<ScopeKey<'a>, (&'a Client, &'a Entry)>,
    /// Clients with an entry that depends on a variable without a value.
    uncertain: HashSet<ClientKey<'a>>,
    clients: HashMap<ClientKey<'a>, &'a Client>,
}

fn managed(side: &Evaluated) -> Managed<'_> {
    let entries = side.clients.iter().map(|c| c.entries.len()).sum();
    let mut m = Managed {
        scopes: HashMap::with_capacity(entries),
        uncertain: HashSet::new(),
        clients: HashMap::with_capacity(side.clients.len()),
    };
    for c in &side.clients {
        m.clients.insert(c.key(), c);
        if c.enabled_unknown || c.unknown.is_some() {
            m.uncertain.insert(c.key());
            continue;
        }
        if !c.enabled {
            continue;
        }
        for e in &c.entries {
            if e.unresolved.is_empty() {
                m.scopes.insert(scope_key(c, e), (c, e));
            } else {
                m.uncertain.insert(c.key());
            }
        }
    }
    m
}

/// Every change from `base` to `head`, in report order: by environment,
/// scope (client records first) and kind.
pub fn compare(base: &Evaluated, head: &Evaluated) -> Vec<Change> {
    let mut out = Vec::new();
    let applied = as_applied(base, head, &mut out);
    let deployed = &applied;
    let kept = left_in_place(base, deployed, &mut out);
    let head = &kept;
    let b = managed(base);
    let h = managed(head);

    clients(&b, &h, &mut out);
    unknowns(base, head, &b, &h, &mut out);
    steps(base, head, &mut out);
    unread(base, head, &mut out);

    // Renames: a BASE scope gone at HEAD, whose entry in the same client is
    // still there (same name, else same position) with a scope new at HEAD.
    // In scope order, so that which entry a rename pairs is the same every run.
    let mut gone: Vec<&ScopeKey<'_>> = b
        .scopes
        .keys()
        .filter(|k| !h.scopes.contains_key(*k))
        .collect();
    gone.sort();
    let mut new: Vec<&ScopeKey<'_>> = h
        .scopes
        .keys()
        .filter(|k| !b.scopes.contains_key(*k))
        .collect();
    new.sort();
    let mut new_of: HashMap<ClientKey<'_>, Vec<&ScopeKey<'_>>> = HashMap::new();
    for k in &new {
        new_of.entry(h.scopes[*k].0.key()).or_default().push(k);
    }
    let mut renamed_old: HashSet<&ScopeKey<'_>> = HashSet::new();
    let mut renamed_new: HashSet<&ScopeKey<'_>> = HashSet::new();
    for by_name in [true, false] {
        for old in &gone {
            if renamed_old.contains(old) {
                continue;
            }
            let (bc, be) = b.scopes[*old];
            let candidates = new_of.get(&bc.key()).map(Vec::as_slice).unwrap_or_default();
            let found = candidates.iter().find(|k| {
                let (_, he) = h.scopes[**k];
                !renamed_new.contains(**k)
                    && if by_name {
                        he.name == be.name
                    } else {
                        he.index == be.index
                    }
            });
            if let Some(k) = found {
                renamed_old.insert(old);
                renamed_new.insert(k);
                let (hc, he) = h.scopes[*k];
                let mut c = scope_change(Kind::ScopeRenamed, hc, he, Side::Head, he.line);
                c.old = Some(json!(be.scope));
                c.new = Some(json!(he.scope));
                c.enabled = Some(he.enabled);
                c.consumers = Some(consumers(he));
                c.old_consumers = Some(consumers(be));
                c.help = Some(if be.enabled {
                    format!(
                        "{} is a new scope; the old {} stays active with its consumers (`old_consumers`). To retire it, keep the old entry with `enabled: false`, deploy, then remove it",
                        he.scope, be.scope
                    )
                } else {
                    format!(
                        "{} is a new scope; the old {} stays inactive",
                        he.scope, be.scope
                    )
                });
                out.push(c);
                if he.enabled && he.accessible_for_all.0 {
                    out.push(opened(hc, he));
                }
            }
        }
    }

    // Every scope once; the records are sorted below.
    let keys = b
        .scopes
        .keys()
        .chain(h.scopes.keys().filter(|k| !b.scopes.contains_key(*k)));
    for key in keys {
        match (b.scopes.get(key), h.scopes.get(key)) {
            (Some(&(bc, be)), Some(&(hc, he))) => {
                // Moved only if its client at BASE exposes it no more and
                // the one at HEAD did not: two clients exposing one scope
                // (one app in two clusters of an environment) are no move,
                // whichever is read last.
                let exposes = |m: &Managed<'_>, c: &Client| {
                    m.clients
                        .get(&c.key())
                        .is_some_and(|c| c.enabled && c.entries.iter().any(|e| e.scope == be.scope))
                };
                // Nor when either side cannot know what the other client
                // exposes.
                let moved = bc.key() != hc.key()
                    && !exposes(&h, bc)
                    && !exposes(&b, hc)
                    && !h.uncertain.contains(&bc.key())
                    && !b.uncertain.contains(&hc.key());
                existing(moved.then_some(bc), be, hc, he, &mut out)
            }
            (None, Some(&(hc, he))) => {
                if renamed_new.contains(key) || b.uncertain.contains(&hc.key()) {
                    continue;
                }
                let mut c = scope_change(Kind::ScopeCreated, hc, he, Side::Head, he.line);
                c.consumers = Some(consumers(he));
                c.enabled = Some(he.enabled);
                // A client with Maskinporten off at BASE that listed the
                // entry: the scope may be left from a time it was on.
                let listed_while_off = b.clients.get(&hc.key()).is_some_and(|bc| {
                    !bc.enabled && bc.entries.iter().any(|e| e.scope == he.scope)
                });
                if listed_while_off {
                    c.help = Some("this client has Maskinporten switched on again: if the scope was registered while it was on before, it still exists and takes this entry's access list and attributes; otherwise it is registered new".to_owned());
                }
                out.push(c);
                if he.enabled && he.accessible_for_all.0 {
                    out.push(opened(hc, he));
                }
            }
            (Some(&(bc, be)), None) => {
                if renamed_old.contains(key) || !be.enabled {
                    continue;
                }
                // A client that is gone or disabled at HEAD is one
                // `maskinporten-disabled`; one HEAD cannot know is `unknown`.
                let at_head = h.clients.get(&bc.key());
                if h.uncertain.contains(&bc.key()) || !at_head.is_some_and(|c| c.enabled) {
                    continue;
                }
                let mut c =
                    scope_change(Kind::ScopeRemovedStillActive, bc, be, Side::Base, be.line);
                c.consumers = Some(consumers(be));
                c.help = Some("digdirator does not touch a scope whose entry is removed: it stays active with its consumers. To retire it, put the entry back with `enabled: false`, deploy, then remove it".to_owned());
                out.push(c);
            }
            (None, None) => {}
        }
    }
    super::contested::contests(base, deployed, head, existing, &mut out);
    relative_to(base, &mut out);
    // The cluster, file and line last: two clients of one app in clusters
    // whose environment is not known have records alike but for those.
    out.sort_by(|x, y| {
        (
            x.environment,
            &x.scope,
            x.kind,
            &x.app,
            &x.orgno,
            x.field,
            &x.cluster,
            &x.file,
            x.line,
        )
            .cmp(&(
                y.environment,
                &y.scope,
                y.kind,
                &y.app,
                &y.orgno,
                y.field,
                &y.cluster,
                &y.file,
                y.line,
            ))
    });
    out
}

fn scope_change(kind: Kind, client: &Client, entry: &Entry, side: Side, line: u32) -> Change {
    let mut c = Change::new(kind, client, side, line);
    c.scope = Some(entry.scope.clone());
    c
}

fn consumers(e: &Entry) -> Vec<ConsumerOut> {
    e.consumers
        .iter()
        .map(|c| ConsumerOut {
            orgno: c.orgno.clone(),
            name: c.name.clone(),
        })
        .collect()
}

fn opened(client: &Client, e: &Entry) -> Change {
    let mut c = scope_change(
        Kind::OpenedToAll,
        client,
        e,
        Side::Head,
        e.accessible_for_all.1,
    );
    c.help = Some("accessibleForAll: every organisation in Norway can get a token for this scope, whatever its consumers".to_owned());
    c
}

/// A scope at both revisions.
/// `moved_from`: the client that exposed it at BASE, if another does now.
fn existing(
    moved_from: Option<&Client>,
    be: &Entry,
    hc: &Client,
    he: &Entry,
    out: &mut Vec<Change>,
) {
    // Another client exposes it now: digdirator finds the registration by
    // its subscope and the new client's entry rules it from here on.
    if let Some(bc) = moved_from {
        let mut c = scope_change(Kind::ScopeMoved, hc, he, Side::Head, he.line);
        let owner = |c: &Client| json!({"app": c.app, "cluster": c.cluster, "file": c.file});
        c.old = Some(owner(bc));
        c.new = Some(owner(hc));
        c.help = Some(format!(
            "{} now manages this scope (digdirator adopts a registration by its subscope, whichever app exposes it); its access list and attributes are {}'s entry's from the next deploy",
            hc.app, hc.app
        ));
        out.push(c);
    }
    if be.enabled && !he.enabled {
        out.push(scope_change(
            Kind::ScopeDeactivated,
            hc,
            he,
            Side::Head,
            he.line,
        ));
        return;
    }
    if !he.enabled {
        return;
    }
    if !be.enabled {
        out.push(scope_change(
            Kind::ScopeReactivated,
            hc,
            he,
            Side::Head,
            he.line,
        ));
    }
    let was_open = be.enabled && be.accessible_for_all.0;
    if he.accessible_for_all.0 && !was_open {
        out.push(opened(hc, he));
    } else if !he.accessible_for_all.0 && be.accessible_for_all.0 {
        out.push(scope_change(
            Kind::ClosedToAll,
            hc,
            he,
            Side::Head,
            he.accessible_for_all.1,
        ));
    }
    if !be
        .consumers
        .iter()
        .map(|c| &c.orgno)
        .eq(he.consumers.iter().map(|c| &c.orgno))
    {
        let before: HashSet<&str> = be.consumers.iter().map(|c| c.orgno.as_str()).collect();
        let after: HashSet<&str> = he.consumers.iter().map(|c| c.orgno.as_str()).collect();
        for c in he
            .consumers
            .iter()
            .filter(|c| !before.contains(c.orgno.as_str()))
        {
            let mut r = scope_change(Kind::ConsumerGranted, hc, he, Side::Head, c.line);
            r.orgno = Some(c.orgno.clone());
            r.name = Some(c.name.clone());
            out.push(r);
        }
        for c in be
            .consumers
            .iter()
            .filter(|c| !after.contains(c.orgno.as_str()))
        {
            let mut r = scope_change(Kind::ConsumerRevoked, hc, he, Side::Head, he.line);
            r.orgno = Some(c.orgno.clone());
            r.name = Some(c.name.clone());
            out.push(r);
        }
    }
    // Values are turned into JSON only when they differ: most scopes of a
    // change are unchanged.
    fn attr<T: PartialEq + serde::Serialize>(
        field: &'static str,
        (old, _): &(T, u32),
        (new, line): &(T, u32),
        hc: &Client,
        he: &Entry,
        out: &mut Vec<Change>,
    ) {
        if old != new {
            let mut r = scope_change(Kind::AttributeChanged, hc, he, Side::Head, *line);
            r.field = Some(field);
            r.old = Some(json!(old));
            r.new = Some(json!(new));
            // digdirator sends no delegation source when the entry has none
            // (domain: unverified what DigDir then keeps).
            if field == "delegationSource" && r.new == Some(serde_json::Value::Null) {
                r.help = Some("digdirator sends no delegation source when the entry has none, so DigDir may keep the one the scope had: check the scope in DigDir after the deploy".to_owned());
            }
            out.push(r);
        }
    }
    attr("atMaxAge", &be.at_max_age, &he.at_max_age, hc, he, out);
    attr(
        "allowedIntegrations",
        &be.allowed_integrations,
        &he.allowed_integrations,
        hc,
        he,
        out,
    );
    attr("visibility", &be.visibility, &he.visibility, hc, he, out);
    attr(
        "delegationSource",
        &be.delegation_source,
        &he.delegation_source,
        hc,
        he,
        out,
    );
}

/// One `unknown` record per deploy step whose deployments cannot be known
/// (per cluster, when a matrix gives it): what it deploys may be among what
/// changed, and so may any record here that its manifests' file names led
/// to. At HEAD; at BASE for a step HEAD does not have.
fn steps(base: &Evaluated, head: &Evaluated, out: &mut Vec<Change>) {
    let key = |u: &Unresolved| (u.file.clone(), u.cluster.clone(), u.reason.clone());
    let at_head: HashSet<_> = head.unresolved.iter().map(key).collect();
    let at_base: HashSet<_> = base.unresolved.iter().map(key).collect();
    let mut said = HashSet::new();
    let sides = head
        .unresolved
        .iter()
        .filter(|u| !(u.when_new && at_base.contains(&key(u))))
        .map(|u| (Side::Head, u))
        .chain(
            base.unresolved
                .iter()
                // A missing file that only BASE's step names: whatever that
                // deployed, if anything, stays as it is.
                .filter(|u| !at_head.contains(&key(u)) && !u.when_new)
                .map(|u| (Side::Base, u)),
        );
    for (side, u) in sides {
        if !said.insert((side, u.file.clone(), u.line, u.cluster.clone())) {
            continue;
        }
        let mut c = Change::at(Kind::Unknown, u.file.clone(), u.line, side);
        c.environment = u.environment;
        c.cluster = u.cluster.clone();
        c.help = Some(format!(
            "{}{}. What the step deploys, and so what this change does there, is not known: write its RESOURCE and CLUSTER as text or as `matrix`, `env` or `inputs` values, or name the deployment in maskscope.toml",
            if side == Side::Base { "at BASE, " } else { "" },
            u.reason
        ));
        c.about_step = true;
        out.push(c);
    }
}

/// `maskinporten-enabled` and `maskinporten-disabled`, per client.
fn clients(b: &Managed<'_>, h: &Managed<'_>, out: &mut Vec<Change>) {
    let mut keys: Vec<&ClientKey<'_>> = b.clients.keys().chain(h.clients.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let bc = b.clients.get(key).copied();
        let hc = h.clients.get(key).copied();
        let on = |c: Option<&Client>| c.is_some_and(|c| c.enabled && !c.enabled_unknown);
        let unknown =
            |c: Option<&Client>| c.is_some_and(|c| c.enabled_unknown || c.unknown.is_some());
        if unknown(bc) || unknown(hc) {
            continue;
        }
        if on(bc) && !on(hc) {
            let bc = bc.expect("enabled at BASE");
            let mut c = match hc {
                Some(hc) => Change::new(Kind::MaskinportenDisabled, hc, Side::Head, hc.line),
                None => Change::new(Kind::MaskinportenDisabled, bc, Side::Base, bc.line),
            };
            let active: Vec<String> = bc
                .entries
                .iter()
                .filter(|e| e.enabled && e.unresolved.is_empty())
                .map(|e| e.scope.clone())
                .collect();
            c.help = Some(if active.is_empty() {
                "the MaskinportenClient is deleted".to_owned()
            } else {
                "the MaskinportenClient is deleted; its enabled scopes (listed) stay active with their consumers. To retire them, set each entry's `enabled: false` and deploy first".to_owned()
            });
            c.scopes = Some(active);
            out.push(c);
        } else if !on(bc) && on(hc) {
            let hc = hc.expect("enabled at HEAD");
            let mut c = Change::new(Kind::MaskinportenEnabled, hc, Side::Head, hc.line);
            // An entry built from a placeholder names no scope: its own
            // `unknown` record says so.
            c.scopes = Some(
                hc.entries
                    .iter()
                    .filter(|e| e.enabled && e.unresolved.is_empty())
                    .map(|e| e.scope.clone())
                    .collect(),
            );
            out.push(c);
        }
    }
}

/// HEAD as the cluster will have it: with every client of BASE that HEAD
/// no longer deploys, as BASE left it (nais deploy deletes nothing). One
/// `no-longer-deployed` record for each that has Maskinporten.
fn left_in_place(base: &Evaluated, head: &Evaluated, out: &mut Vec<Change>) -> Evaluated {
    let at_head: HashSet<ClientKey<'_>> = head.clients.iter().map(Client::key).collect();
    let mut kept = head.clone();
    let mut said: HashSet<ClientKey<'_>> = HashSet::new();
    for bc in &base.clients {
        // What the cluster has of a client not known at BASE is not known
        // at HEAD either: its own `unknown` record says so.
        if at_head.contains(&bc.key()) || bc.unknown.is_some() {
            continue;
        }
        kept.clients.push(bc.clone());
        if !(bc.enabled || bc.enabled_unknown) || !said.insert(bc.key()) {
            continue;
        }
        let mut c = Change::new(Kind::NoLongerDeployed, bc, Side::Base, bc.line);
        c.scopes = Some(
            bc.entries
                .iter()
                .filter(|e| e.enabled && e.unresolved.is_empty())
                .map(|e| e.scope.clone())
                .collect(),
        );
        c.help = Some("nais deploy deletes nothing: the Application and its MaskinportenClient stay as last deployed, and its scopes as they are. To remove it, delete the Application in the cluster; to retire its scopes, deploy them with `enabled: false` first".to_owned());
        out.push(c);
    }
    kept
}

/// One `unknown` record per entry that depends on a variable without a
/// value, and per entry that would look created or removed only because its
/// client at the other revision has such an entry.
fn unknowns(
    base: &Evaluated,
    head: &Evaluated,
    b: &Managed<'_>,
    h: &Managed<'_>,
    out: &mut Vec<Change>,
) {
    let mut said: HashSet<(Side, String, ClientKey<'_>)> = HashSet::new();
    let record = |side: Side, c: &Client, e: &Entry, vars: Vec<String>| {
        let mut r = scope_change(Kind::Unknown, c, e, side, e.line);
        let at = match side {
            Side::Head => "HEAD",
            Side::Base => "BASE",
        };
        if e.unresolved.is_empty() {
            let other = match side {
                Side::Head => "BASE",
                Side::Base => "HEAD",
            };
            r.help = Some(format!(
                "at {other}, this client's exposes entries depend on template variables without a value: whether this scope is {} cannot be known",
                if side == Side::Head {
                    "new"
                } else {
                    "still exposed"
                }
            ));
        } else {
            // What a placeholder resolves to is no scope: none is named.
            r.scope = None;
            r.help = Some(format!(
                "exposes entry {} depends at {at} on template variables without a value: what it exposes cannot be known; give them in the deployment's vars file",
                e.index + 1
            ));
        }
        r.variables = Some(vars);
        r
    };
    for (side, eval, other) in [(Side::Head, head, b), (Side::Base, base, h)] {
        for c in &eval.clients {
            if let Some(why) = &c.unknown {
                let mut r = Change::new(Kind::Unknown, c, side, c.line);
                r.help = Some(format!(
                    "at {}, {why}: what the cluster has of this client, and so what this change does to it, cannot be known",
                    if side == Side::Head { "HEAD" } else { "BASE" }
                ));
                out.push(r);
                continue;
            }
            if !c.enabled && !c.enabled_unknown {
                continue;
            }
            // The client-level record of the other side says it all.
            if other
                .clients
                .get(&c.key())
                .is_some_and(|o| o.unknown.is_some())
            {
                continue;
            }
            if c.enabled_unknown && c.entries.is_empty() {
                // Whether the client has Maskinporten at all, and what it
                // exposes, depends on a value that is not known.
                let mut r = Change::new(Kind::Unknown, c, side, c.line);
                r.help = Some(format!(
                    "whether this client has Maskinporten, and what it exposes, depends at {} on template variables whose value is not known (a `VAR` from a secret or a job's output); what it does cannot be known",
                    if side == Side::Head { "HEAD" } else { "BASE" }
                ));
                out.push(r);
                continue;
            }
            for e in &c.entries {
                let key = scope_key(c, e);
                let vars = if !e.unresolved.is_empty() {
                    // BASE's own placeholders are shown only when HEAD has
                    // the entry resolved: HEAD's record says the rest.
                    if side == Side::Base
                        && h.clients.get(&c.key()).is_some_and(|hc| {
                            hc.entries
                                .iter()
                                .any(|x| x.index == e.index && !x.unresolved.is_empty())
                        })
                    {
                        continue;
                    }
                    e.unresolved.clone()
                } else if other.uncertain.contains(&c.key()) && !other.scopes.contains_key(&key) {
                    let mut v = other
                        .clients
                        .get(&c.key())
                        .map(|oc| {
                            oc.entries
                                .iter()
                                .flat_map(|x| x.unresolved.iter().cloned())
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default();
                    v.dedup();
                    v
                } else {
                    continue;
                };
                if said.insert((side, e.scope.clone(), c.key())) {
                    let mut vars = vars;
                    vars.sort();
                    vars.dedup();
                    out.push(record(side, c, e, vars));
                }
            }
        }
    }
}

/// HEAD as the cluster will apply it: a client whose deploy fails is one
/// `deploy-rejected` record, and the cluster keeps BASE's client (if BASE
/// had one). So is a manifest whose deploy fails before its apps are known.
fn as_applied(base: &Evaluated, head: &Evaluated, out: &mut Vec<Change>) -> Evaluated {
    let at_base: HashMap<ClientKey<'_>, &Client> =
        base.clients.iter().map(|c| (c.key(), c)).collect();
    let mut applied = Evaluated {
        clients: Vec::with_capacity(head.clients.len()),
        unresolved: head.unresolved.clone(),
        unread: Vec::new(),
    };
    for c in &head.clients {
        let Some(r) = &c.rejected else {
            applied.clients.push(c.clone());
            continue;
        };
        let mut record = rejected(r, &c.file);
        record.environment = c.environment;
        record.cluster = c.cluster.clone();
        record.app = Some(c.app.clone());
        out.push(record);
        if let Some(bc) = at_base.get(&c.key()) {
            applied.clients.push((*bc).clone());
        }
    }
    for u in &head.unread {
        let Some(r) = &u.rejection else {
            applied.unread.push(u.clone());
            continue;
        };
        let mut record = rejected(r, &u.file);
        record.environment = u.environment;
        record.cluster = u.cluster.clone();
        out.push(record);
    }
    applied
}

/// A `deploy-rejected` record for `r`, about a manifest of `file`.
fn rejected(r: &super::Rejection, file: &str) -> Change {
    let mut c = Change::at(Kind::DeployRejected, r.file.clone(), r.line, Side::Head);
    c.rule = r.rule.clone();
    c.message = Some(r.message.clone());
    c.help = Some(if r.file == file {
        "the deploy fails, so nothing of this change reaches Maskinporten: the cluster keeps the version it has. Fix the error; `maskscope lint` shows it".to_owned()
    } else {
        format!(
            "{file} is not applied: {} in the same deploy step fails the deploy first, so the cluster keeps the version it has",
            r.file
        )
    });
    c
}

/// One `unknown` record per manifest whose apps are not known, and that
/// no client stands for.
fn unread(base: &Evaluated, head: &Evaluated, out: &mut Vec<Change>) {
    for (side, eval) in [(Side::Base, base), (Side::Head, head)] {
        for u in eval.unread.iter().filter(|u| u.rejection.is_none()) {
            let mut c = Change::at(Kind::Unknown, u.file.clone(), u.line, side);
            c.environment = u.environment;
            c.cluster = u.cluster.clone();
            c.help = Some(format!(
                "at {}, {}: what it deploys, and so what this change does there, cannot be known",
                if side == Side::Head { "HEAD" } else { "BASE" },
                u.reason
            ));
            out.push(c);
        }
    }
}

/// Each record of a client whose BASE is the last version accepted names
/// that version.
fn relative_to(base: &Evaluated, out: &mut [Change]) {
    let older: HashMap<ClientKey<'_>, &super::Commit> = base
        .clients
        .iter()
        .filter_map(|c| Some((c.key(), c.relative_to.as_ref()?)))
        .collect();
    if older.is_empty() {
        return;
    }
    for c in out.iter_mut() {
        let Some(app) = &c.app else { continue };
        if c.kind == Kind::DeployRejected {
            continue;
        }
        let key = (c.environment, c.cluster.as_deref(), app.as_str());
        if let Some(commit) = older.get(&key) {
            c.relative_to = Some((*commit).clone());
        }
    }
}
