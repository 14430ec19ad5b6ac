//! What a deploy applies of the manifests it sends.
//!
//! nais deploy renders and decodes every file of a deploy step first, and
//! sends them in one request: a file it cannot render or decode fails the
//! whole request, and nothing of it is applied. The server then applies the
//! resources in order (`RESOURCE`'s order, then each file's documents) and
//! stops at the first one the API server rejects: that one and every one
//! after it are not applied, those before it are (nais/deploy
//! `pkg/deployd/deployd/deployd.go`, the loop over `resources` that breaks
//! at the first error, at e90640a, 2026-05-29). A resource not applied
//! leaves the cluster with the version it had.

use super::{Client, Rejection};
use crate::deploy::{Deployment, SourceKind};
use crate::lint::rejection::{self, Rejections};
use crate::load::LoadedFile;
use std::collections::HashMap;
use std::sync::Arc;

/// One file as read for one deployment: its clients (each with the
/// rejection of its own document, if any), and what fails the deploy.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub file: String,
    pub deployment: Option<Arc<Deployment>>,
    pub clients: Vec<Client>,
    /// Why nais deploy cannot send the file at all (it cannot render it or
    /// decode its YAML): nothing of the request is applied.
    pub whole: Option<Rejection>,
    /// The first document of the file (in file order) that the API server
    /// rejects: the documents after it are not applied either.
    pub first: Option<Rejection>,
    /// Rejected documents that make no client (an Application under another
    /// `apiVersion`): which app they are is not read.
    pub unnamed: Vec<Rejection>,
    /// The lines of `kind: MaskinportenClient` documents the deploy sends
    /// (see [`LoadedFile::direct_clients`]).
    pub direct: Vec<u32>,
}

impl Read {
    /// The clients of `file`'s manifests under `prefix`, with what the
    /// deploy refuses of them. Run while the manifests hold their raw YAML.
    pub fn of(file: &LoadedFile, prefix: &str) -> Read {
        let name = file.source.name.clone();
        let mut clients = super::clients(&file.manifests, prefix);
        let deployment = file.source.deployment.clone();
        if clients.is_empty() && !deployed(file) {
            return Read {
                file: name,
                deployment,
                clients,
                ..Read::default()
            };
        }
        let settings = crate::lint::Settings {
            prefix: prefix.to_owned(),
            cluster: deployment.as_ref().and_then(|d| d.cluster.clone()),
            ..crate::lint::Settings::default()
        };
        let found = rejection::rejections(file, &settings);
        let convert = |r: &rejection::Rejection| Rejection {
            rule: r.rule.map(str::to_owned),
            message: r.message.clone(),
            file: name.clone(),
            line: r.line,
        };
        // `clients` has one client per manifest, in order (all of a file's
        // manifests share its deployment).
        for (c, r) in clients.iter_mut().zip(&found.manifests) {
            c.rejected = r.as_ref().map(convert);
        }
        let Rejections {
            whole,
            manifests,
            misversioned,
        } = &found;
        let first = manifests
            .iter()
            .chain(misversioned)
            .flatten()
            .min_by_key(|r| (r.line, r.column))
            .map(convert);
        let unnamed = misversioned.iter().flatten().map(convert).collect();
        Read {
            whole: whole.as_ref().map(convert),
            file: name,
            deployment,
            clients,
            first,
            unnamed,
            direct: file.direct_clients.clone(),
        }
    }
}

fn deployed(file: &LoadedFile) -> bool {
    file.source.deployment.as_ref().is_none_or(|d| d.deployed())
}

/// Which deploy request a deployment is part of: one run of one deploy step
/// (its cluster and variables), or a deployment of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RequestKey {
    step: Option<(String, u32, Option<String>)>,
    cluster: Option<String>,
    vars: Vec<String>,
    var: Vec<(String, Option<String>)>,
    /// For a deployment of no step (a file-name convention): its manifest.
    own: Option<String>,
}

fn request_of(d: &Deployment) -> RequestKey {
    let step = match (&d.source.file, d.source.line) {
        (Some(f), Some(l)) if d.source.kind == SourceKind::Workflow => Some((
            f.clone(),
            l,
            d.source.via.as_ref().map(|v| v.workflow.clone()),
        )),
        _ => None,
    };
    RequestKey {
        own: step.is_none().then(|| d.manifest.clone()),
        step,
        cluster: d.cluster.clone(),
        vars: d.vars.clone(),
        var: d.var.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    }
}

/// Mark every client the deploy does not apply (see the module's doc):
/// those of a request that holds a file it cannot send, and those at or
/// after the first document the API server rejects. `order` is the
/// deployments as found, in `RESOURCE` order within each step.
pub fn settle(reads: &mut [Read], order: &[Deployment]) {
    for jobs in requests(reads, order) {
        let failing = jobs.iter().find_map(|&i| reads[i].whole.clone());
        if let Some(f) = failing {
            for &i in &jobs {
                for c in &mut reads[i].clients {
                    c.rejected.get_or_insert_with(|| f.clone());
                }
            }
            continue;
        }
        let mut blocked: Option<Rejection> = None;
        for &i in &jobs {
            let read = &mut reads[i];
            for c in &mut read.clients {
                if c.rejected.is_some() {
                    continue;
                }
                let by = blocked
                    .as_ref()
                    .or(read.first.as_ref().filter(|f| f.line < c.line));
                c.rejected = by.cloned();
            }
            if blocked.is_none() {
                blocked = read.first.clone();
            }
        }
    }
}

/// The deployed reads grouped by deploy request, each in the order the
/// deploy sends them, the requests in the order of their first read.
pub fn requests(reads: &[Read], order: &[Deployment]) -> Vec<Vec<usize>> {
    let position = |d: &Deployment| order.iter().position(|o| o == d).unwrap_or(usize::MAX);
    let mut at: HashMap<RequestKey, usize> = HashMap::new();
    let mut out: Vec<Vec<(usize, usize)>> = Vec::new();
    for (i, r) in reads.iter().enumerate() {
        let Some(d) = r.deployment.as_deref().filter(|d| d.deployed()) else {
            continue;
        };
        let k = *at.entry(request_of(d)).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push((position(d), i));
    }
    out.into_iter()
        .map(|mut jobs| {
            jobs.sort_unstable();
            jobs.into_iter().map(|(_, i)| i).collect()
        })
        .collect()
}
