//! A client HEAD deploys and BASE does not may have been deployed before:
//! nais deploy deletes nothing, so a deploy step commented out and later
//! put back finds the Application, its MaskinportenClient and its scopes as
//! they were last deployed.
//!
//! For such a client, whose manifest BASE has, BASE's first-parent history
//! is walked back over the commits that change how deploys are wired
//! (`.github/workflows`, `maskscope.toml`), at most [`LOOK_BACK`] of them.
//! Before each, the revision is read as `diff` reads a side, for that
//! manifest alone: when its deploys there apply the client, that version
//! is what the cluster has, and HEAD is compared with it. When the history
//! holds no older wiring, or the manifest was not there before it, the
//! client was never deployed and HEAD creates it; when the bound is reached first (or the clone is shallow), what the
//! cluster has is not known.

use super::accepted::Had;
use super::sides::{self, Request};
use super::{Client, Commit, Since};
use crate::git::{self, Like, Revision};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most commits that change the deploy wiring looked at.
pub const LOOK_BACK: usize = 50;

/// The most older revisions put into a folder and read in one run: each
/// is the whole revision, and HEAD chooses how many manifests are looked
/// back for (a deploy step to one more cluster makes every client new).
pub const MAX_REVISIONS_READ: usize = 250;

static READ: AtomicUsize = AtomicUsize::new(0);

/// What the cluster has of each of `clients` (HEAD's, of one manifest that
/// BASE has too).
pub fn before(req: &Request<'_>, file: &str, clients: &[Client]) -> Vec<Had<Client>> {
    let all = |why: String| clients.iter().map(|_| Had::Unknown(why.clone())).collect();
    if READ.load(Ordering::Relaxed) >= MAX_REVISIONS_READ {
        return all(format!(
            "BASE does not deploy it, and the older revisions read in this run are over the budget of {MAX_REVISIONS_READ}"
        ));
    }
    let repo = req.repo;
    let wiring = [".github/workflows", "maskscope.toml"];
    let history = match repo.history(&req.base.commit, &wiring, LOOK_BACK + 1) {
        Ok(h) => h,
        Err(e) => return all(format!("the history of its deploys cannot be read: {e}")),
    };
    let mut warnings = Vec::new();
    let dir = match git::TempDir::for_repo(repo, "older", &mut warnings) {
        Ok(d) => d,
        Err(e) => return all(e),
    };
    let mut found: Vec<Option<Had<Client>>> = clients.iter().map(|_| None).collect();
    let mut cut = None;
    let mut history_ends = false;
    for (i, (commit, _)) in history.commits.iter().take(LOOK_BACK).enumerate() {
        // The wiring before this commit changed it.
        let parent = match repo.commit_of(&format!("{commit}^1")) {
            Ok(Some(p)) => p,
            Ok(None) => {
                history_ends = true;
                break;
            }
            Err(e) => {
                cut = Some(e);
                break;
            }
        };
        // Before the manifest was there, nothing was deployed from it.
        match repo.files_there(&parent.commit, &[file]) {
            Ok(there) if there == [false] => {
                history_ends = true;
                break;
            }
            Ok(_) => {}
            Err(e) => {
                cut = Some(e);
                break;
            }
        }
        if READ.fetch_add(1, Ordering::Relaxed) >= MAX_REVISIONS_READ {
            cut = Some(format!(
                "the older revisions read in this run are over the budget of {MAX_REVISIONS_READ}"
            ));
            break;
        }
        // A folder of its own for each (inside the private one).
        let at = dir.path().join(i.to_string());
        let read = std::fs::create_dir(&at)
            .map_err(|e| format!("cannot make a folder: {e}"))
            .and_then(|()| repo.materialise(&parent, &at, Like::WorkTree))
            .and_then(|written| {
                let paths = [file.to_owned()];
                let older = Request {
                    base: &parent,
                    head: None,
                    paths: &paths,
                    ..*req
                };
                sides::clients_at(&older, &at, Some(&written))
            });
        let _ = std::fs::remove_dir_all(&at);
        let older = match read {
            Ok(c) => c,
            Err(e) => {
                cut = Some(e);
                break;
            }
        };
        let subject = history_subject(repo, &parent).unwrap_or_default();
        for (k, client) in clients.iter().enumerate() {
            if found[k].is_some() {
                continue;
            }
            let Some(c) = older.iter().find(|c| c.key() == client.key()) else {
                continue;
            };
            found[k] = Some(if c.rejected.is_some() || c.unknown.is_some() {
                Had::Unknown(format!(
                    "BASE does not deploy it, and its last deploy before, at {}, is not known to have been applied",
                    &parent.commit[..7]
                ))
            } else {
                let mut c = c.clone();
                c.relative_to = Some(Commit {
                    commit: parent.commit.clone(),
                    subject: subject.clone(),
                    since: Since::NotDeployedAtBase,
                });
                Had::Version(c)
            });
        }
        if found.iter().all(Option::is_some) {
            break;
        }
    }
    let exhausted =
        cut.is_none() && (history_ends || (history.commits.len() <= LOOK_BACK && !history.shallow));
    let why = cut.map_or_else(
        || {
            if history.shallow {
                "BASE does not deploy it, and the clone is shallow: whether an older commit did is not known (fetch more history, e.g. `fetch-depth: 0`)".to_owned()
            } else {
                format!(
                    "BASE does not deploy it, nor do the last {LOOK_BACK} commits that changed how deploys are wired: whether an older one did is not known"
                )
            }
        },
        |e| format!("BASE does not deploy it, and an older revision cannot be read: {e}"),
    );
    found
        .into_iter()
        .map(|f| {
            f.unwrap_or_else(|| {
                if exhausted {
                    Had::Nothing
                } else {
                    Had::Unknown(why.clone())
                }
            })
        })
        .collect()
}

fn history_subject(repo: &git::Repo, rev: &Revision) -> Option<String> {
    let h = repo.history(&rev.commit, &[], 1).ok()?;
    h.commits.into_iter().next().map(|(_, s)| s)
}
