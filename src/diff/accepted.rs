//! The version the cluster has of a deploy whose manifests BASE has
//! rejected: the last one that was applied.
//!
//! A deploy the API server or nais deploy refuses changes nothing, so the
//! cluster keeps what an older commit deployed. For each client BASE's
//! deploy does not apply, the first-parent history of BASE is walked back
//! over the commits that change the deploy's files (its manifests and vars
//! files), at most [`LOOK_BACK`] of them, and each version is read as the
//! deploy reads it, with BASE's deployments. The newest version in which the
//! client is applied is what the cluster has. When the history holds no
//! older version (the files came into being rejected), the cluster never
//! had the client; when the bound is reached first, or the clone is
//! shallow, what it has is not known.

use super::applied::{self, Read};
use super::{Client, Commit};
use crate::deploy::Deployment;
use crate::git::Repo;
use crate::load;
use crate::template::{Renderer, Vars};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most commits that change a deploy's files looked at.
pub const LOOK_BACK: usize = 50;

/// The most files read from older versions in one run: a repository whose
/// every deploy is rejected at BASE costs at most this many reads.
pub const MAX_FILES_READ: usize = 10_000;

static READ: AtomicUsize = AtomicUsize::new(0);

/// What the cluster has of one client, or of one file whose apps are not
/// known at BASE: found by looking back here, or by [`super::redeployed`].
#[derive(Debug)]
pub enum Had<T> {
    /// This version, from this commit.
    Version(T),
    /// Nothing: no older version was ever applied there.
    Nothing,
    /// Not known, and why.
    Unknown(String),
}

/// A client BASE does not apply: its environment, cluster and app.
pub type Key = (Option<crate::deploy::Environment>, Option<String>, String);

/// What the cluster has of each of `clients` (clients of the deploy
/// `deployments`, in `RESOURCE` order, that BASE does not apply) and of each
/// of `files` (manifests of it that BASE cannot send, whose apps are not
/// known: in the version found, the clients of the file that are applied).
pub fn look_back(
    repo: &Repo,
    base: &str,
    prefix: &str,
    deployments: &[Arc<Deployment>],
    clients: &[Key],
    files: &[String],
) -> (Vec<Had<Client>>, Vec<Had<Vec<Client>>>) {
    let paths = files_of(deployments);
    let mut of_clients: Vec<Option<Had<Client>>> = clients.iter().map(|_| None).collect();
    let mut of_files: Vec<Option<Had<Vec<Client>>>> = files.iter().map(|_| None).collect();
    let history = match repo.history(base, &paths, LOOK_BACK + 1) {
        Ok(h) => h,
        Err(e) => {
            let why = format!("BASE's version is rejected, and its history cannot be read: {e}");
            return (
                clients.iter().map(|_| Had::Unknown(why.clone())).collect(),
                files.iter().map(|_| Had::Unknown(why.clone())).collect(),
            );
        }
    };
    let mut cut = None;
    // The newest commit holds BASE's own version of the files.
    for (commit, subject) in history.commits.iter().skip(1) {
        let reads = match at_commit(repo, commit, prefix, deployments) {
            Ok(r) => r,
            Err(why) => {
                cut = Some(format!(
                    "BASE's version is rejected, and the version at {} cannot be read: {why}",
                    &commit[..commit.len().min(7)]
                ));
                break;
            }
        };
        let relative_to = Commit {
            commit: commit.clone(),
            subject: subject.clone(),
            since: super::Since::BaseRejected,
        };
        let applied = |c: &&Client| c.rejected.is_none();
        for read in &reads {
            for c in read.clients.iter().filter(applied) {
                let key = (c.environment, c.cluster.clone(), c.app.clone());
                if let Some(i) = clients.iter().position(|k| *k == key)
                    && of_clients[i].is_none()
                {
                    let mut c = c.clone();
                    c.relative_to = Some(relative_to.clone());
                    of_clients[i] = Some(Had::Version(c));
                }
            }
            if let Some(i) = files.iter().position(|f| *f == read.file)
                && of_files[i].is_none()
                && read.whole.is_none()
            {
                let version: Vec<Client> = read
                    .clients
                    .iter()
                    .filter(applied)
                    .map(|c| Client {
                        relative_to: Some(relative_to.clone()),
                        ..c.clone()
                    })
                    .collect();
                if !version.is_empty() {
                    of_files[i] = Some(Had::Version(version));
                }
            }
        }
        if of_clients.iter().all(Option::is_some) && of_files.iter().all(Option::is_some) {
            break;
        }
    }
    let exhausted = cut.is_none() && history.commits.len() <= LOOK_BACK && !history.shallow;
    let why = cut.unwrap_or_else(|| {
        if history.shallow {
            "BASE's version is rejected, and the clone is shallow: no older version of its files may be at hand (fetch more history, e.g. `fetch-depth: 0`)".to_owned()
        } else {
            format!(
                "BASE's version is rejected, and so is every version of the last {LOOK_BACK} commits that changed its files"
            )
        }
    });
    fn settle<T>(f: Option<Had<T>>, exhausted: bool, why: &str) -> Had<T> {
        f.unwrap_or_else(|| {
            if exhausted {
                Had::Nothing
            } else {
                Had::Unknown(why.to_owned())
            }
        })
    }
    (
        of_clients
            .into_iter()
            .map(|f| settle(f, exhausted, &why))
            .collect(),
        of_files
            .into_iter()
            .map(|f| settle(f, exhausted, &why))
            .collect(),
    )
}

/// The deploy `deployments` as it was at `commit`: each file read and
/// settled as [`applied::settle`] does. An `Err` is a version maskscope
/// cannot read (a file over its size budget, a template over its budget).
fn at_commit(
    repo: &Repo,
    commit: &str,
    prefix: &str,
    deployments: &[Arc<Deployment>],
) -> Result<Vec<Read>, String> {
    let paths = files_of(deployments);
    let spent = READ.fetch_add(paths.len(), Ordering::Relaxed) + paths.len();
    if spent > MAX_FILES_READ {
        return Err(format!(
            "the older versions read in this run are over the budget of {MAX_FILES_READ} files"
        ));
    }
    let read = repo.files_at(commit, &paths, load::MAX_FILE_BYTES)?;
    let at = |p: &str| {
        paths
            .iter()
            .position(|x| *x == p)
            .and_then(|i| read[i].as_deref())
    };
    let mut reads = Vec::new();
    for d in deployments {
        let mut vars = Vars::default();
        let mut missing = None;
        for name in &d.vars {
            match at(name) {
                Some(v) if v.len() > crate::template::MAX_VARS_BYTES => {
                    return Err(Vars::too_large(name));
                }
                Some(v) => match Vars::from_file_text(name, &String::from_utf8_lossy(v)) {
                    Ok(v) => vars.0.extend(v.0),
                    Err(e) => missing = Some(e),
                },
                None => missing = Some(format!("{name}: no such vars file")),
            }
        }
        let Some(bytes) = at(&d.manifest) else {
            reads.push(refused(d, format!("{}: no such file", d.manifest)));
            continue;
        };
        if let Some(why) = missing {
            reads.push(refused(d, why));
            continue;
        }
        let unknown = crate::inputs::set_var_pairs(d, &mut vars);
        let renderer = if d.without_variables() {
            Renderer::unrendered()
        } else {
            Renderer::with_unknown(&vars, unknown)
        };
        let file = load::load_deployed(
            &d.manifest,
            Ok(bytes.to_vec()),
            &renderer,
            Some(Arc::clone(d)),
        );
        let read = Read::of(&file, prefix);
        if let (Some(e), None) = (&file.error, &read.whole)
            && file.unchecked().is_some()
        {
            return Err(e.message.clone());
        }
        reads.push(read);
    }
    let order: Vec<Deployment> = deployments.iter().map(|d| (**d).clone()).collect();
    applied::settle(&mut reads, &order);
    Ok(reads)
}

/// The manifests and vars files of `deployments`, each once, in order.
fn files_of(deployments: &[Arc<Deployment>]) -> Vec<&str> {
    let mut paths: Vec<&str> = Vec::new();
    for d in deployments {
        for p in std::iter::once(&d.manifest).chain(&d.vars) {
            if !paths.contains(&p.as_str()) {
                paths.push(p);
            }
        }
    }
    paths
}

/// A file the deploy cannot send (it or a vars file is missing): the
/// whole request fails.
fn refused(d: &Arc<Deployment>, why: String) -> Read {
    Read {
        file: d.manifest.clone(),
        deployment: Some(Arc::clone(d)),
        whole: Some(super::Rejection {
            rule: None,
            message: why,
            file: d.manifest.clone(),
            line: 1,
        }),
        ..Read::default()
    }
}
