//! What the cluster has, from the two revisions read ([`super::sides`]):
//! BASE as its deploys left it (a rejected client is the last version
//! applied, see [`super::accepted`]; a client HEAD deploys and BASE does not
//! is what an older commit deployed, see [`super::redeployed`]), HEAD as its
//! deploys will send it, and what neither can know (a file that cannot be
//! read, a deployment only file-name conventions guess, an app deployed
//! twice with sections that differ) marked so, with the reason.

use super::accepted::{self, Had};
use super::applied::{self, Read};
use super::sides::{Request, Settled};
use super::{Client, Evaluated, Unread};
use crate::deploy::{Deployment, Unresolved};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Where a revision's deployments by file-name conventions are a guess (it
/// has a deploy step maskscope cannot read), a client they give is not
/// known, unless it is the same at the other revision: then nothing of it
/// changes, whatever deploys it.
pub(super) fn unguessed(sides: [&mut Settled; 2]) {
    let guessed = |r: &Read| {
        r.deployment
            .as_deref()
            .is_some_and(|d| d.source.kind == crate::deploy::SourceKind::Convention)
    };
    let [a, b] = sides;
    let clients_of = |s: &Settled| -> Vec<Client> {
        s.reads
            .iter()
            .flat_map(|r| r.clients.iter().cloned())
            .collect()
    };
    let (in_a, in_b) = (clients_of(a), clients_of(b));
    // A client a step deploys at one revision, of a file that only
    // conventions placed at the other: whether that revision's steps
    // deployed it, and so whether it exists, is not known there.
    let stand_for = |side: &Settled, other: &[Client], other_reads: &[Read]| -> Vec<Client> {
        let Some(why) = &side.guessing else {
            return Vec::new();
        };
        let guessed_apps: HashSet<(&str, &str)> = side
            .reads
            .iter()
            .filter(|r| guessed(r))
            .flat_map(|r| r.clients.iter().map(|c| (c.file.as_str(), c.app.as_str())))
            .collect();
        let here: HashSet<_> = side
            .reads
            .iter()
            .flat_map(|r| r.clients.iter().map(Client::key))
            .collect();
        let deployed_there: HashSet<_> = other_reads
            .iter()
            .filter(|r| !guessed(r))
            .flat_map(|r| r.clients.iter().map(Client::key))
            .collect();
        other
            .iter()
            .filter(|c| deployed_there.contains(&c.key()) && !here.contains(&c.key()))
            .filter(|c| guessed_apps.contains(&(c.file.as_str(), c.app.as_str())))
            .map(|c| {
                let mut c = c.clone();
                c.rejected = None;
                c.relative_to = None;
                unknown_as(why)(&mut c);
                c
            })
            .collect()
    };
    let for_a = stand_for(a, &in_b, &b.reads);
    let for_b = stand_for(b, &in_a, &a.reads);
    for (side, stand) in [(&mut *a, for_a), (&mut *b, for_b)] {
        if !stand.is_empty() {
            side.reads.push(Read {
                clients: stand,
                ..Read::default()
            });
        }
    }
    for (side, other) in [(a, &in_b), (b, &in_a)] {
        let Some(why) = side.guessing.clone() else {
            continue;
        };
        // What such a deploy would refuse is no more known than what it
        // would apply.
        let (refused, kept): (Vec<Read>, Vec<Read>) = std::mem::take(&mut side.reads)
            .into_iter()
            .partition(|r| guessed(r) && r.whole.is_some());
        side.reads = kept;
        side.unreadable.extend(
            refused
                .into_iter()
                .map(|r| (Read { whole: None, ..r }, why.clone())),
        );
        for r in side.reads.iter_mut().filter(|r| guessed(r)) {
            for c in &mut r.clients {
                let same = other.iter().any(|o| o.sets_the_same(c));
                if !same {
                    unknown_as(&why)(c);
                    c.rejected = None;
                }
            }
        }
    }
}

/// The environment and cluster of a read's deployment.
fn place(r: &Read) -> (Option<crate::deploy::Environment>, Option<String>) {
    r.deployment
        .as_deref()
        .map_or((None, None), |d| (d.environment, d.cluster.clone()))
}

/// Clients that stand for a file whose own are not known at one side: the
/// other side's clients of the same file and deployment, with `mark` set.
fn stand_ins(r: &Read, other: &[Client], mark: impl Fn(&mut Client)) -> Vec<Client> {
    let (environment, cluster) = place(r);
    other
        .iter()
        .filter(|c| c.file == r.file && c.environment == environment && c.cluster == cluster)
        .map(|c| {
            let mut c = c.clone();
            c.rejected = None;
            c.relative_to = None;
            mark(&mut c);
            c
        })
        .collect()
}

fn unknown_as(why: &str) -> impl Fn(&mut Client) + '_ {
    move |c: &mut Client| {
        c.entries.clear();
        c.enabled_unknown = true;
        c.unknown = Some(why.to_owned());
    }
}

fn unread(r: &Read, rejection: Option<super::Rejection>, reason: String) -> Unread {
    let (environment, cluster) = place(r);
    Unread {
        environment,
        cluster,
        file: r.file.clone(),
        line: rejection.as_ref().map_or(1, |x| x.line),
        rejection,
        reason,
    }
}

/// BASE as the cluster has it: a client BASE's deploy does not apply is
/// the last version that was applied ([`accepted`]), and a file that
/// cannot be read stands for clients that are not known.
pub(super) fn as_the_cluster_has(
    req: &Request<'_>,
    mut base: Settled,
    head: &Settled,
    unresolved: Vec<Unresolved>,
) -> Evaluated {
    let head_clients: Vec<Client> = head
        .reads
        .iter()
        .chain(head.unreadable.iter().map(|(r, _)| r))
        .flat_map(|r| r.clients.iter().cloned())
        .collect();
    let mut clients = Vec::new();
    let mut out_unread = Vec::new();
    let mut unknown_files: Vec<(Read, String)> = std::mem::take(&mut base.unreadable);
    for jobs in applied::requests(&base.reads, &base.order) {
        let refused_files: Vec<String> = jobs
            .iter()
            .map(|&i| &base.reads[i])
            .filter(|r| r.whole.is_some() && r.clients.is_empty())
            .map(|r| r.file.clone())
            .collect();
        let keys: Vec<accepted::Key> = jobs
            .iter()
            .flat_map(|&i| &base.reads[i].clients)
            .filter(|c| c.rejected.is_some())
            .map(|c| (c.environment, c.cluster.clone(), c.app.clone()))
            .collect();
        if keys.is_empty() && refused_files.is_empty() {
            continue;
        }
        let deployments: Vec<Arc<Deployment>> = jobs
            .iter()
            .filter_map(|&i| base.reads[i].deployment.clone())
            .collect();
        let (had, files_had) = accepted::look_back(
            req.repo,
            &req.base.commit,
            &base.prefix,
            &deployments,
            &keys,
            &refused_files,
        );
        let mut had = keys.into_iter().zip(had).collect::<Vec<_>>();
        for &i in &jobs {
            let read = &mut base.reads[i];
            let mut kept = Vec::new();
            for c in std::mem::take(&mut read.clients) {
                if c.rejected.is_none() {
                    kept.push(c);
                    continue;
                }
                let key = (c.environment, c.cluster.clone(), c.app.clone());
                let Some(at) = had.iter().position(|(k, _)| *k == key) else {
                    continue;
                };
                match std::mem::replace(&mut had[at].1, Had::Nothing) {
                    Had::Version(v) => kept.push(v),
                    Had::Nothing => {}
                    Had::Unknown(why) => {
                        let mut c = c;
                        c.rejected = None;
                        unknown_as(&why)(&mut c);
                        kept.push(c);
                    }
                }
            }
            read.clients = kept;
        }
        for (file, found) in refused_files.into_iter().zip(files_had) {
            let Some(read) = jobs
                .iter()
                .map(|&i| &base.reads[i])
                .find(|r| r.file == file)
            else {
                continue;
            };
            match found {
                Had::Version(v) => clients.extend(v),
                Had::Nothing => {}
                Had::Unknown(why) => unknown_files.push((read.clone(), why)),
            }
        }
    }
    for r in &base.reads {
        clients.extend(r.clients.iter().cloned());
    }
    for (r, why) in &unknown_files {
        let mark = unknown_as(why);
        stand_or_unread(
            r,
            &head_clients,
            mark,
            (None, why),
            &mut clients,
            &mut out_unread,
        );
    }
    Evaluated {
        unresolved,
        unread: out_unread,
        ..Evaluated::from_clients(clients)
    }
}

/// The other side's clients of `r`, marked, to stand for its own; a file
/// no client stands for is one [`Unread`], with `why`.
fn stand_or_unread(
    r: &Read,
    other: &[Client],
    mark: impl Fn(&mut Client),
    (rejection, reason): (Option<super::Rejection>, &String),
    clients: &mut Vec<Client>,
    out: &mut Vec<Unread>,
) {
    let stand = stand_ins(r, other, mark);
    if stand.is_empty() {
        out.push(unread(r, rejection, reason.clone()));
    }
    clients.extend(stand);
}

/// HEAD as its deploys send it: a file the deploy cannot send, or that
/// maskscope cannot read, stands for BASE's clients of it, marked.
pub(super) fn as_sent(head: Settled, base: &Evaluated, unresolved: Vec<Unresolved>) -> Evaluated {
    let mut clients = Vec::new();
    let mut out_unread = Vec::new();
    for r in &head.reads {
        clients.extend(r.clients.iter().cloned());
        // A document rejected for its `apiVersion` is no client maskscope
        // reads: BASE's clients of the file that HEAD's does not have are
        // the ones it may be.
        if let Some(w) = r.unnamed.first() {
            let named: Vec<_> = r.clients.iter().map(Client::key).collect();
            let stand: Vec<Client> = stand_ins(r, &base.clients, |c| c.rejected = Some(w.clone()))
                .into_iter()
                .filter(|c| !named.contains(&c.key()))
                .collect();
            clients.extend(stand);
        }
        if let (Some(w), true) = (&r.whole, r.clients.is_empty()) {
            let mark = |c: &mut Client| c.rejected = Some(w.clone());
            let why = (Some(w.clone()), &w.message);
            stand_or_unread(r, &base.clients, mark, why, &mut clients, &mut out_unread);
        }
    }
    // A MaskinportenClient written directly: what it does, if the deploy
    // may apply it, is not read.
    for r in head.reads.iter().filter(|r| !r.direct.is_empty()) {
        let (environment, cluster) = place(r);
        out_unread.push(Unread {
            environment,
            cluster,
            file: r.file.clone(),
            line: r.direct[0],
            rejection: None,
            reason: "it holds a `kind: MaskinportenClient` resource, written directly instead of made by naiserator from an Application; maskscope does not read it, and whether the deploy may apply it depends on the cluster's access rules (if it does, digdirator acts on it)".to_owned(),
        });
    }
    for (r, why) in &head.unreadable {
        let mark = unknown_as(why);
        stand_or_unread(
            r,
            &base.clients,
            mark,
            (None, why),
            &mut clients,
            &mut out_unread,
        );
    }
    Evaluated {
        unresolved,
        unread: out_unread,
        ..Evaluated::from_clients(applied_twice(clients))
    }
}

/// An app HEAD deploys more than once to one cluster (two files, two
/// documents, two steps or jobs) with Maskinporten sections that differ:
/// each deploy applies its own in turn, and digdirator may reconcile each,
/// so each one's grants reach Maskinporten, and which one the cluster
/// keeps depends on the order of jobs, steps and files. It is not known
/// (one `unknown` record), unless one of them is rejected: then that one's
/// `deploy-rejected` record is what is said of it.
fn applied_twice(clients: Vec<Client>) -> Vec<Client> {
    let mut by_key: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, c) in clients.iter().enumerate() {
        let key = (c.environment, c.cluster.clone(), c.app.clone());
        by_key.entry(key).or_default().push(i);
    }
    let mut out = clients.clone();
    for group in by_key.into_values().filter(|g| g.len() > 1) {
        let first = &clients[group[0]];
        if group.iter().all(|&i| clients[i].sets_the_same(first)) {
            continue;
        }
        let last = *group.last().expect("two or more");
        // `from_clients` keeps the last of a key.
        out[last] = match group.iter().find(|&&i| clients[i].rejected.is_some()) {
            Some(&r) => clients[r].clone(),
            None => {
                let mut c = clients[last].clone();
                c.relative_to = None;
                unknown_as(
                    "it is deployed to this cluster more than once (by two files, documents or deploy steps) with Maskinporten sections that differ: each deploy applies its own in turn, so the grants of each reach Maskinporten, and which one the cluster keeps depends on the order the deploys run in",
                )(&mut c);
                c
            }
        };
    }
    out
}

/// BASE as the cluster has it also holds what an older commit deployed of
/// a client HEAD deploys and BASE does not (see [`super::redeployed`]).
pub(super) fn deployed_before(req: &Request<'_>, base: &mut Evaluated, head: &Settled) {
    let at_base: HashSet<_> = base.clients.iter().map(Client::key).collect();
    let mut by_file: Vec<(String, Vec<Client>)> = Vec::new();
    for r in &head.reads {
        if !r.deployment.as_deref().is_some_and(Deployment::named) {
            continue;
        }
        // A client whose deploy fails is compared as BASE's: nothing of it
        // is applied, whatever the cluster has.
        for c in r
            .clients
            .iter()
            .filter(|c| c.unknown.is_none() && c.rejected.is_none())
        {
            if at_base.contains(&c.key()) {
                continue;
            }
            match by_file.iter_mut().find(|(f, _)| *f == c.file) {
                Some((_, cs)) => cs.push(c.clone()),
                None => by_file.push((c.file.clone(), vec![c.clone()])),
            }
        }
    }
    if by_file.is_empty() {
        return;
    }
    let files: Vec<&str> = by_file.iter().map(|(f, _)| f.as_str()).collect();
    // Only a manifest BASE has can have been deployed from it before.
    let Ok(at) = req.repo.files_there(&req.base.commit, &files) else {
        return;
    };
    let mut found = Vec::new();
    for ((file, clients), there) in by_file.iter().zip(at) {
        if !there {
            continue;
        }
        for (c, before) in clients
            .iter()
            .zip(super::redeployed::before(req, file, clients))
        {
            match before {
                Had::Version(v) => found.push(v),
                Had::Nothing => {}
                Had::Unknown(why) => {
                    let mut c = c.clone();
                    c.rejected = None;
                    unknown_as(&why)(&mut c);
                    found.push(c);
                }
            }
        }
    }
    base.clients.extend(found);
}
