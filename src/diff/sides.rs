//! The two sides of a `diff`: each revision put into a temporary folder
//! ([`crate::git`]) and read there as a working tree is read (deployments as
//! found at that revision), then compared ([`super::compare`]).
//!
//! HEAD is put into its folder first: a file of BASE's that HEAD has
//! unchanged is a link to HEAD's, and a file the same at both sides, read
//! for the same deployment with the same variables, is read once. BASE is
//! written while HEAD is read: a git process and files on one side, parsing
//! on the other.
//!
//! The stage returns its records and what to say on stderr ([`Note`]); the
//! command writes them.

use super::applied::{self, Read};
use super::cluster;
use super::{Change, Client};
use crate::cli::InputArgs;
use crate::config::{self, ConfigError};
use crate::confine::Confine;
use crate::deploy::Unresolved;
use crate::discover::{self, Input};
use crate::git::{self, Like, Repo, Revision};
use crate::inputs;
use crate::source::{InputError, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to compare.
pub struct Request<'a> {
    pub repo: &'a Repo,
    pub base: &'a Revision,
    /// `None`: the working tree.
    pub head: Option<&'a Revision>,
    /// Files and folders to read, relative to the repository's root; empty
    /// for the whole repository.
    pub paths: &'a [String],
    /// `--config`, as the user named it (absolute).
    pub config: Option<&'a Path>,
    pub prefix: Option<&'a str>,
    pub cluster: Option<&'a str>,
}

/// The records, and whether a file that matters could not be read.
pub struct Outcome {
    pub changes: Vec<Change>,
    /// A deployed file, or one the command line names, could not be read
    /// (a [`Note::Unread`] says which).
    pub failed: bool,
}

/// Something to say on stderr, about one revision (`label`: "BASE `main`",
/// "HEAD `x`" or "the working tree").
#[derive(Debug)]
pub enum Note {
    /// A warning, about a revision when `label` is not empty.
    Warning { label: String, message: String },
    /// A note about what the command line overrides.
    Info(String),
    /// A file that could not be read.
    Unread {
        label: String,
        error: InputError,
        source: Arc<SourceFile>,
        /// Whether it matters: a deploy step names it, or the command line
        /// does. One that does not changes nothing, and is only a note.
        matters: bool,
    },
}

/// Why the stage stopped.
#[derive(Debug)]
pub enum Error {
    /// A usage error, in words.
    Usage(String),
    /// A path given that is at neither revision.
    NoSuchPath(String),
    /// A revision's `maskscope.toml` (or `--config`) cannot be read.
    Config { label: String, error: ConfigError },
}

impl From<String> for Error {
    fn from(e: String) -> Error {
        Error::Usage(e)
    }
}

/// Compare BASE with HEAD. `notes` gets what to say on stderr, in order,
/// also when the stage stops with an error.
pub fn diff(req: &Request<'_>, notes: &mut Vec<Note>) -> Result<Outcome, Error> {
    let repo = req.repo;
    let mut warnings = Vec::new();
    let base_dir = git::TempDir::for_repo(repo, "base", &mut warnings);
    let head_dir = req
        .head
        .map(|_| git::TempDir::for_repo(repo, "head", &mut warnings));
    notes.extend(warnings.into_iter().map(|message| Note::Warning {
        label: String::new(),
        message,
    }));
    let base_dir = base_dir?;
    let head_dir = head_dir.transpose()?;
    let head_written = match (req.head, &head_dir) {
        (Some(rev), Some(dir)) => Some(
            repo.materialise(rev, dir.path(), Like::WorkTree)
                .map_err(|e| format!("HEAD: {e}"))?,
        ),
        _ => None,
    };
    let head_root = head_dir.as_ref().map_or(repo.root.as_path(), |d| d.path());
    crate::deploy::sources::set_revisions(
        &repo.root,
        vec![base_dir.path().to_owned(), head_root.to_owned()],
    );
    let base_label = format!("BASE `{}`", req.base.name);
    let head_label = match req.head {
        Some(h) => format!("HEAD `{}`", h.name),
        None => "the working tree".to_owned(),
    };
    let like = head_written.as_ref().map_or(Like::WorkTree, Like::Written);
    let mut head_notes = Vec::new();
    let (base_written, head_read) = std::thread::scope(|s| {
        let writing = s.spawn(|| repo.materialise(req.base, base_dir.path(), like));
        let head_read = plan(
            req,
            head_root,
            Confine::new(head_root).and(&repo.root),
            head_written.as_ref(),
            &head_label,
            &mut head_notes,
        )
        .and_then(|planned| match planned {
            Some(mut p) => {
                Ok(evaluate(&mut p, req, head_root, &head_label, |_| None)?.map(|side| (p, side)))
            }
            None => Ok(None),
        });
        (writing.join().expect("writing BASE"), head_read)
    });
    notes.append(&mut head_notes);
    let base_written = base_written.map_err(|e| format!("BASE: {e}"))?;
    let (head_plan, head_side) = match head_read? {
        Some((p, side)) => (Some(p), Some(side)),
        None => (None, None),
    };
    let dirs = [base_dir.path(), head_root];
    if let Some(p) = req
        .paths
        .iter()
        .find(|p| dirs.iter().all(|d| !d.join(p.as_str()).exists()))
    {
        return Err(Error::NoSuchPath(p.clone()));
    }
    let base_plan = plan(
        req,
        dirs[0],
        // BASE's unchanged files are links to HEAD's.
        Confine::new(dirs[0]).and(&repo.root).and(head_root),
        Some(&base_written),
        &base_label,
        notes,
    )?;
    // Which of BASE's jobs read what one of HEAD's reads: the same file,
    // unchanged, for the same deployment with the same variables.
    let same_as_head: Vec<Option<usize>> = match (&base_plan, &head_plan) {
        (Some(b), Some(h)) if b.prefix == h.prefix => {
            let mut by_input: HashMap<&Input, Vec<usize>> = HashMap::new();
            for (i, job) in h.plan.jobs.iter().enumerate() {
                by_input.entry(&job.input).or_default().push(i);
            }
            b.plan
                .jobs
                .iter()
                .enumerate()
                .map(|(k, job)| {
                    let (Input::File(path) | Input::Found(path)) = &job.input else {
                        return None;
                    };
                    if !base_written.is_same(path) {
                        return None;
                    }
                    by_input
                        .get(&job.input)?
                        .iter()
                        .copied()
                        .find(|&i| b.plan.reads_as(k, &h.plan, i))
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let base_side = match base_plan {
        Some(mut p) => {
            let known = |i: usize| {
                let h = (*same_as_head.get(i)?)?;
                Some(head_side.as_ref()?.files[h].clone())
            };
            evaluate(&mut p, req, dirs[0], &base_label, known)?
        }
        None => None,
    };
    // A revision without manifests may still deploy what maskscope
    // cannot read: its steps are unknown all the same.
    let steps_of = |side: &Option<Side>, dir: &Path| match side {
        Some(s) => s.unresolved.clone(),
        None => steps_only(req.config, dir),
    };
    let steps = [
        steps_of(&base_side, dirs[0]),
        steps_of(&head_side, head_root),
    ];
    // Nothing reads the folders any more: they are removed while the
    // sides are compared and the report is written.
    let removing = git::remove_in_background([Some(base_dir), head_dir]);
    let mut failed = false;
    let (mut base_side, mut head_side) = (base_side, head_side);
    for side in [base_side.as_mut(), head_side.as_mut()]
        .into_iter()
        .flatten()
    {
        failed |= side.failed;
        notes.append(&mut side.notes);
    }
    if base_side.is_none() && head_side.is_none() {
        let why = discover::looked_for(&repo.root).replace(
            "no manifests given, and none found in",
            "no manifests at BASE or at HEAD, none found in",
        );
        return Err(Error::Usage(format!(
            "{why}; give files or folders as arguments"
        )));
    }
    let [base_steps, head_steps] = steps;
    let mut base_read = base_side.map(settled).unwrap_or_default();
    let mut head_read = head_side.map(settled).unwrap_or_default();
    cluster::unguessed([&mut base_read, &mut head_read]);
    let mut base_ev = cluster::as_the_cluster_has(req, base_read, &head_read, base_steps);
    cluster::deployed_before(req, &mut base_ev, &head_read);
    let head_ev = cluster::as_sent(head_read, &base_ev, head_steps);
    let sides = [base_ev, head_ev];
    let changes = super::compare(&sides[0], &sides[1]);
    // Left for the end of the process: freeing many small values one by
    // one costs more than the comparison.
    std::mem::forget(sides);
    drop(removing);
    Ok(Outcome { changes, failed })
}

/// One revision's plan: what will be read, with the prefix of its scopes.
struct SidePlan {
    plan: inputs::Plan,
    prefix: String,
}

/// One revision, read: each job's clients, and what to say on stderr.
struct Side {
    files: Vec<Option<SideFile>>,
    notes: Vec<Note>,
    /// Whether a file that matters could not be read (named in `notes`).
    failed: bool,
    /// Deploy steps whose deployments cannot be known.
    unresolved: Vec<Unresolved>,
    /// The deployments as found, in `RESOURCE` order within each step.
    order: Vec<crate::deploy::Deployment>,
    prefix: String,
    /// Why deployments by file-name conventions are a guess, when they are:
    /// the revision has deploy steps, one of which maskscope cannot read.
    guessing: Option<String>,
}

/// What one job gave: its clients and what the deploy refuses of them,
/// and its error if it had one.
#[derive(Clone)]
struct SideFile {
    read: Read,
    error: Option<(InputError, Arc<SourceFile>)>,
    /// Whether a deploy step names the file (or the repository has none).
    deployed: bool,
}

/// Plan one revision, in `dir`, reading what it names inside `confine`.
/// `Ok(None)`: it holds no manifests.
fn plan(
    req: &Request<'_>,
    dir: &Path,
    confine: Confine,
    written: Option<&git::Written>,
    label: &str,
    notes: &mut Vec<Note>,
) -> Result<Option<SidePlan>, Error> {
    // The revision's own maskscope.toml, at its root: never one from a
    // folder above (the temporary folder's parents are no part of it).
    let at_root = own_config(dir, &confine, notes);
    let loaded = match req.config.or(at_root.as_deref()) {
        Some(file) => config::load_any(Some(file), dir),
        None => Ok(config::Loaded::default()),
    };
    let loaded = match loaded {
        // The revision's own maskscope.toml is the pull request's, not the
        // operator's, even though it is read as a named file.
        Ok(l) => config::Loaded {
            explicit: req.config.is_some(),
            ..l
        },
        Err(error) => {
            return Err(Error::Config {
                label: label.to_owned(),
                error,
            });
        }
    };
    let prefix = config::prefix(req.prefix, &loaded.config);
    // A path that exists at one revision only is nothing at the other.
    let here: Vec<String> = req
        .paths
        .iter()
        .filter(|p| dir.join(p.as_str()).exists())
        .cloned()
        .collect();
    if !req.paths.is_empty() && here.is_empty() {
        return Ok(None);
    }
    let input = InputArgs {
        paths: here,
        prefix: req.prefix.map(str::to_owned),
        vars: None,
        var: Vec::new(),
        cluster: req.cluster.map(str::to_owned),
        config: req.config.map(Path::to_path_buf),
        skip_non_manifests: false,
        shown_from: None,
    };
    match inputs::plan_within(&input, dir, &loaded, confine) {
        Ok(mut plan) => {
            // A revision's folder holds the files maskscope reads (see
            // `git::read_by_maskscope`); one a deploy step names by another
            // name is not there, so what it deploys is not known.
            let linked = |p: &str| written.is_some_and(|w| w.through_link(p));
            let absent = |p: &str| !dir.join(p).is_file();
            let found = plan.deployments_mut();
            let mut unread = Vec::new();
            for d in &found.deployments {
                // A file-name convention names a file that is there (by
                // the name the file system has, which need not be UTF-8).
                let absent = |p: &str| d.named() && absent(p);
                let Some(p) = std::iter::once(&d.manifest)
                    .chain(&d.vars)
                    .find(|p| !git::read_by_maskscope(p) || linked(p) || absent(p))
                else {
                    continue;
                };
                // The deploy reads what a link points to; the folder
                // holds no links (see `git::materialise`).
                let missing = absent(p) && git::read_by_maskscope(p) && !linked(p);
                let why = if missing {
                    format!(
                        "the deploy step names {p}, which is not in the repository at this revision: the deploy fails, or sends what a step before it put there (a download, a file made by a command)"
                    )
                } else if linked(p) {
                    format!(
                        "the deploy step names {p}, which is a symbolic link (or under one) at this revision: the deploy reads what it points to, which `maskscope diff` does not follow in a revision"
                    )
                } else {
                    format!(
                        "the deploy step names {p}, which `maskscope diff` does not read from a revision (only `*.yaml`, `*.yml` and `*.json` files)"
                    )
                };
                unread.push(Unresolved {
                    when_new: missing,
                    file: d.source.file.clone().unwrap_or_default(),
                    line: d.source.line.unwrap_or(1),
                    cluster: d.cluster.clone(),
                    environment: d.environment,
                    reason: why,
                });
            }
            found.unresolved.extend(unread);
            Ok(Some(SidePlan { plan, prefix }))
        }
        Err(e) if req.paths.is_empty() && e == discover::none_found(dir) => Ok(None),
        Err(e) => Err(Error::Usage(format!("in {label}: {e}"))),
    }
}

/// A revision's own `maskscope.toml`, when it has one inside `confine`.
fn own_config(dir: &Path, confine: &Confine, notes: &mut Vec<Note>) -> Option<PathBuf> {
    let at_root = dir.join("maskscope.toml");
    if !at_root.is_file() {
        return None;
    }
    match confine.check(&at_root) {
        Ok(_) => Some(at_root),
        Err(why) => {
            notes.push(Note::Warning {
                label: String::new(),
                message: format!("maskscope.toml: not read: {why}"),
            });
            None
        }
    }
}

/// The deploy steps of a revision that holds no manifests whose
/// deployments cannot be known.
fn steps_only(config_file: Option<&Path>, dir: &Path) -> Vec<Unresolved> {
    let confine = Confine::new(dir);
    let at_root = dir.join("maskscope.toml");
    let own = at_root.is_file() && confine.admits(&at_root);
    let loaded = match config_file.or(own.then_some(at_root.as_path())) {
        Some(file) => config::load_any(Some(file), dir).unwrap_or_default(),
        None => config::Loaded::default(),
    };
    crate::deploy::find(
        dir,
        &confine,
        &[],
        loaded.name.as_deref(),
        &loaded.deployments(),
        &loaded.config.clusters(),
        &loaded.workflow_sources(dir),
    )
    .unresolved
}

/// Read what one revision's plan says, except the jobs `known` has.
/// `Ok(None)`: it holds no manifests.
fn evaluate(
    planned: &mut SidePlan,
    req: &Request<'_>,
    dir: &Path,
    label: &str,
    known: impl Fn(usize) -> Option<Option<SideFile>>,
) -> Result<Option<Side>, Error> {
    let prefix = &planned.prefix;
    let per_file = |file: &mut crate::load::LoadedFile| SideFile {
        read: Read::of(file, prefix),
        error: file
            .error
            .as_ref()
            .map(|e| (e.clone(), Arc::clone(&file.source))),
        deployed: file.source.deployment.as_ref().is_none_or(|d| d.deployed()),
    };
    let (mut ws, files) = match inputs::read(&mut planned.plan, dir, per_file, known) {
        Ok(read) => read,
        Err(e) if e == discover::none_found(dir) => return Ok(None),
        Err(e) => return Err(Error::Usage(format!("in {label}: {e}"))),
    };
    let mut notes = Vec::new();
    for note in &ws.skipped {
        notes.push(Note::Warning {
            label: label.to_owned(),
            message: note.clone(),
        });
    }
    for w in &ws.deployments.warnings {
        notes.push(Note::Warning {
            label: label.to_owned(),
            message: w.to_string(),
        });
    }
    notes.extend(
        inputs::override_notes(false, req.cluster, &ws.deployments)
            .into_iter()
            .map(Note::Info),
    );
    let mut failed = false;
    for (job, file) in planned.plan.jobs.iter().zip(&files) {
        let Some(file) = file else { continue };
        let Some((error, source)) = &file.error else {
            continue;
        };
        // A file the deploy cannot send is a deploy that fails, which the
        // records say.
        if file.deployed && file.read.whole.is_some() {
            continue;
        }
        // A file no deploy step names changes nothing: what it holds does
        // not matter, unless the command line names it.
        let matters = file.deployed || job.input.is_explicit();
        failed |= matters;
        notes.push(Note::Unread {
            label: label.to_owned(),
            error: error.clone(),
            source: Arc::clone(source),
            matters,
        });
    }
    // A deploy step is one, read or not: file-name conventions place a
    // manifest for sure only where the revision has none at all.
    let found = &ws.deployments;
    let has_steps = found.steps || !found.unresolved.is_empty() || found.foreign_calls;
    let guessing = has_steps.then(|| {
        if ws.deployments.unresolved.is_empty() {
            "no deploy step names this file, and another repository's workflow that maskscope cannot read may deploy it".to_owned()
        } else {
            "no deploy step maskscope can read names this file, and one it cannot read may deploy it".to_owned()
        }
    });
    let unresolved = std::mem::take(&mut ws.deployments.unresolved);
    let order = std::mem::take(&mut ws.deployments.deployments);
    // Left for the end of the process (see `diff`).
    std::mem::forget(ws);
    Ok(Some(Side {
        files,
        notes,
        failed,
        unresolved,
        order,
        prefix: prefix.clone(),
        guessing,
    }))
}

/// One side's reads, settled: what its deploys apply ([`applied::settle`]),
/// and the files maskscope cannot read (with why).
#[derive(Default)]
pub(super) struct Settled {
    pub(super) reads: Vec<Read>,
    pub(super) unreadable: Vec<(Read, String)>,
    pub(super) order: Vec<crate::deploy::Deployment>,
    pub(super) prefix: String,
    pub(super) guessing: Option<String>,
}

fn settled(side: Side) -> Settled {
    let mut reads = Vec::new();
    let mut unreadable = Vec::new();
    for f in side.files.into_iter().flatten() {
        match &f.error {
            // What maskscope cannot read, the deploy may send: nothing of
            // the file is known.
            Some((e, _)) if f.deployed && f.read.whole.is_none() => {
                let why = format!("{} cannot be read: {}", e.file, e.message);
                unreadable.push((f.read, why));
            }
            _ => reads.push(f.read),
        }
    }
    applied::settle(&mut reads, &side.order);
    Settled {
        reads,
        unreadable,
        order: side.order,
        prefix: side.prefix,
        guessing: side.guessing,
    }
}

/// The clients of `req`'s revision, put into `dir`, as its deploys apply
/// them (for [`super::redeployed`]): read as a side is, for `req.paths`.
pub(super) fn clients_at(
    req: &Request<'_>,
    dir: &Path,
    written: Option<&git::Written>,
) -> Result<Vec<Client>, String> {
    let mut notes = Vec::new();
    let label = format!("`{}`", req.base.commit);
    // Files the same as the working tree's are links to them.
    let confine = Confine::new(dir).and(&req.repo.root);
    let planned = plan(req, dir, confine, written, &label, &mut notes).map_err(|e| match e {
        Error::Usage(e) | Error::NoSuchPath(e) => e,
        Error::Config { error, .. } => error.to_string(),
    })?;
    let Some(mut p) = planned else {
        return Ok(Vec::new());
    };
    let side = evaluate(&mut p, req, dir, &label, |_| None).map_err(|e| match e {
        Error::Usage(e) | Error::NoSuchPath(e) => e,
        Error::Config { error, .. } => error.to_string(),
    })?;
    let Some(side) = side else {
        return Ok(Vec::new());
    };
    let settled = settled(side);
    if let Some((_, why)) = settled.unreadable.first() {
        return Err(why.clone());
    }
    Ok(settled.reads.into_iter().flat_map(|r| r.clients).collect())
}
