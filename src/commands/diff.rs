//! `maskscope diff BASE [HEAD] [PATH]...`: what a change does to Maskinporten
//! access. Each revision is put into a temporary folder ([`crate::git`]) and
//! read there as a working tree is read (deployments as found at that
//! revision); a file the same at both sides, read for the same deployment
//! with the same variables, is read once. The two are compared
//! ([`crate::diff`]).

use super::{Context, Exit};
use crate::cli::{DiffArgs, DiffFormat, InputArgs};
use crate::config;
use crate::confine::Confine;
use crate::diff::{self, Evaluated, Kind};
use crate::discover;
use crate::discover::Input;
use crate::git::{self, Like, Repo};
use crate::inputs;
use crate::output::escape::text;
use crate::output::{self, diff::Revision, report};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

pub fn run(args: &DiffArgs, cx: &mut Context<'_>) -> Exit {
    let mut fail_on = Vec::new();
    for word in &args.fail_on {
        match Kind::parse(word.trim()) {
            Some(k) => fail_on.push(k),
            None => {
                let known = Kind::ALL.map(Kind::as_str);
                return cx.usage_error(&format!(
                    "--fail-on: unknown kind `{word}`; {}",
                    crate::suggest::did_you_mean(word, known)
                ));
            }
        }
    }
    let repo = match Repo::discover(&cx.cwd) {
        Ok(r) => r,
        Err(e) => return cx.usage_error(&e),
    };
    let base = match repo.revision(&args.base) {
        Ok(r) => r,
        Err(e) => return cx.usage_error(&format!("BASE: {e}")),
    };
    let (head, rest) = match head_and_paths(&repo, args, &cx.cwd) {
        Ok(found) => found,
        Err(e) => return cx.usage_error(&e),
    };
    let mut paths = Vec::new();
    for p in rest {
        match in_repo(&repo, p) {
            Ok(p) => paths.push(p),
            Err(e) => return cx.usage_error(&e),
        }
    }
    let config_file = args.config.as_ref().map(|c| cx.cwd.join(c));

    // BASE and HEAD, each in a folder of its own (HEAD's is the working
    // tree when no HEAD is given). HEAD is put there first: a file of
    // BASE's that HEAD has unchanged is a link to HEAD's, and HEAD's
    // reading of it serves for both.
    let mut warnings = Vec::new();
    let base_dir = git::TempDir::for_repo(&repo, "base", &mut warnings);
    let head_dir = head
        .as_ref()
        .map(|_| git::TempDir::for_repo(&repo, "head", &mut warnings));
    for w in &warnings {
        cx.eprint_once(w);
    }
    let base_dir = match base_dir {
        Ok(d) => d,
        Err(e) => return cx.usage_error(&e),
    };
    let head_dir = match head_dir.transpose() {
        Ok(d) => d,
        Err(e) => return cx.usage_error(&e),
    };
    let head_written = match (&head, &head_dir) {
        (Some(rev), Some(dir)) => match repo.materialise(rev, dir.path(), Like::WorkTree) {
            Ok(w) => Some(w),
            Err(e) => return cx.usage_error(&format!("HEAD: {e}")),
        },
        _ => None,
    };
    let head_root = head_dir.as_ref().map_or(repo.root.as_path(), |d| d.path());
    crate::deploy::sources::set_revisions(
        &repo.root,
        vec![base_dir.path().to_owned(), head_root.to_owned()],
    );
    let base_label = format!("BASE `{}`", text(&base.name));
    let head_label = match &head {
        Some(h) => format!("HEAD `{}`", text(&h.name)),
        None => "the working tree".to_owned(),
    };
    let color = output::stderr_color();
    // BASE is written while HEAD is read: a git process and files on one
    // side, parsing on the other.
    let like = head_written.as_ref().map_or(Like::WorkTree, Like::Written);
    let (base_written, head_read) = std::thread::scope(|s| {
        let writing = s.spawn(|| repo.materialise(&base, base_dir.path(), like));
        let head_read = match plan(
            args,
            config_file.as_deref(),
            &paths,
            head_root,
            Confine::new(head_root).and(&repo.root),
            &head_label,
            cx,
        ) {
            Ok(Some(mut p)) => evaluate(
                &mut p,
                args.cluster.as_deref(),
                head_root,
                &head_label,
                color,
                |_| None,
                cx,
            )
            .map(|side| Some((p, side))),
            Ok(None) => Ok(None),
            Err(exit) => Err(exit),
        };
        (writing.join().expect("writing BASE"), head_read)
    });
    let base_written = match base_written {
        Ok(w) => w,
        Err(e) => return cx.usage_error(&format!("BASE: {e}")),
    };
    let (head_plan, head_side) = match head_read {
        Ok(Some((p, side))) => (Some(p), side),
        Ok(None) => (None, None),
        Err(exit) => return exit,
    };
    let dirs = [base_dir.path(), head_root];
    if let Some(p) = paths
        .iter()
        .find(|p| dirs.iter().all(|d| !d.join(p.as_str()).exists()))
    {
        // The first word after BASE was taken for HEAD if it named a
        // revision; it may be a misspelt one.
        let first_word = head.is_none()
            && !args.separator
            && args
                .rest
                .first()
                .is_some_and(|f| in_repo(&repo, f).as_deref() == Ok(p.as_str()));
        return cx.usage_error(&if first_word {
            format!(
                "`{}` is neither a revision nor a file or folder at BASE or at HEAD (paths are relative to the current folder)",
                args.rest[0]
            )
        } else {
            format!(
                "{p}: no such file or folder at BASE or at HEAD (paths are relative to the current folder)"
            )
        });
    }
    let base_plan = match plan(
        args,
        config_file.as_deref(),
        &paths,
        dirs[0],
        // BASE's unchanged files are links to HEAD's.
        Confine::new(dirs[0]).and(&repo.root).and(head_root),
        &base_label,
        cx,
    ) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
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
            match evaluate(
                &mut p,
                args.cluster.as_deref(),
                dirs[0],
                &base_label,
                color,
                known,
                cx,
            ) {
                Ok(side) => side,
                Err(exit) => return exit,
            }
        }
        None => None,
    };
    // A revision without manifests may still deploy what maskscope
    // cannot read: its steps are unknown all the same.
    let steps_of = |side: &Option<Side>, dir: &Path| match side {
        Some(s) => s.unresolved.clone(),
        None => steps_only(config_file.as_deref(), dir),
    };
    let steps = [
        steps_of(&base_side, dirs[0]),
        steps_of(&head_side, head_root),
    ];
    // Nothing reads the folders any more: they are removed while the
    // sides are compared and the report is written.
    let removing = git::remove_in_background([Some(base_dir), head_dir]);
    let mut failed = false;
    for side in [&base_side, &head_side].into_iter().flatten() {
        for note in &side.notes {
            cx.eprint_once(note);
        }
        failed |= side.failed;
    }
    if base_side.is_none() && head_side.is_none() {
        let why = discover::looked_for(&repo.root).replace(
            "no manifests given, and none found in",
            "no manifests at BASE or at HEAD, none found in",
        );
        return cx.usage_error(&format!("{why}; give files or folders as arguments"));
    }
    let evaluated = |side: Option<Side>, unresolved| Evaluated {
        unresolved,
        ..side.map_or_else(Evaluated::default, |s| {
            Evaluated::from_clients(s.files.into_iter().flatten().flat_map(|f| f.clients))
        })
    };
    let [base_steps, head_steps] = steps;
    let sides = [
        evaluated(base_side, base_steps),
        evaluated(head_side, head_steps),
    ];
    let changes = diff::compare(&sides[0], &sides[1]);
    super::leave_to_exit(sides);

    let base_out = Revision {
        revision: Some(base.name.clone()),
        commit: Some(base.commit.clone()),
    };
    let head_out = Revision {
        revision: head.as_ref().map(|h| h.name.clone()),
        commit: head.as_ref().map(|h| h.commit.clone()),
    };
    let text = match args.format {
        DiffFormat::Human => {
            output::diff::human(&base_out, &head_out, &changes, output::stdout_color())
        }
        DiffFormat::Json => output::diff::json(&base_out, &head_out, &changes),
        DiffFormat::Markdown => output::diff::markdown(&base_out, &head_out, &changes),
        DiffFormat::Github => output::diff::github(&changes),
    };
    cx.print(&text);
    drop(removing);
    if failed {
        Exit::Usage
    } else if changes.iter().any(|c| fail_on.contains(&c.kind)) {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// One revision's plan: what will be read, with the prefix of its scopes.
struct SidePlan {
    plan: inputs::Plan,
    prefix: String,
}

/// One revision, read: each job's clients, and what to say on stderr.
struct Side {
    files: Vec<Option<SideFile>>,
    notes: Vec<String>,
    /// Whether a file could not be read (named in `notes`).
    failed: bool,
    /// Deploy steps whose deployments cannot be known.
    unresolved: Vec<crate::deploy::Unresolved>,
}

/// What one job gave: its clients, and the report of its error if it had one.
#[derive(Clone)]
struct SideFile {
    clients: Vec<diff::Client>,
    error: Option<String>,
    /// Whether a deploy step names the file (or the repository has none).
    deployed: bool,
}

/// Plan one revision, in `dir`, reading what it names inside `confine`.
/// `Ok(None)`: it holds no manifests.
fn plan(
    args: &DiffArgs,
    config_file: Option<&Path>,
    paths: &[String],
    dir: &Path,
    confine: Confine,
    label: &str,
    cx: &mut Context<'_>,
) -> Result<Option<SidePlan>, Exit> {
    // The revision's own maskscope.toml, at its root: never one from a
    // folder above (the temporary folder's parents are no part of it).
    let at_root = own_config(dir, &confine, cx);
    let loaded = match config_file.or(at_root.as_deref()) {
        Some(file) => config::load_any(Some(file), dir),
        None => Ok(config::Loaded::default()),
    };
    let loaded = match loaded {
        // The revision's own maskscope.toml is the pull request's, not the
        // operator's, even though it is read as a named file.
        Ok(l) => config::Loaded {
            explicit: config_file.is_some(),
            ..l
        },
        Err(e) => {
            cx.eprint(&format!("error: in {label}:\n"));
            return Err(super::config_error(cx, &e));
        }
    };
    let prefix = config::prefix(args.prefix.as_deref(), &loaded.config);
    // A path that exists at one revision only is nothing at the other.
    let here: Vec<String> = paths
        .iter()
        .filter(|p| dir.join(p.as_str()).exists())
        .cloned()
        .collect();
    if !paths.is_empty() && here.is_empty() {
        return Ok(None);
    }
    let input = InputArgs {
        paths: here,
        prefix: args.prefix.clone(),
        vars: None,
        var: Vec::new(),
        cluster: args.cluster.clone(),
        config: config_file.map(Path::to_path_buf),
        skip_non_manifests: false,
        shown_from: None,
    };
    match inputs::plan_within(&input, dir, &loaded, confine) {
        Ok(mut plan) => {
            // A revision's folder holds the files maskscope reads (see
            // `git::read_by_maskscope`); one a deploy step names by another
            // name is not there, so what it deploys is not known.
            let found = plan.deployments_mut();
            let mut unread = Vec::new();
            for d in &found.deployments {
                let Some(p) = std::iter::once(&d.manifest)
                    .chain(&d.vars)
                    .find(|p| !git::read_by_maskscope(p))
                else {
                    continue;
                };
                unread.push(crate::deploy::Unresolved {
                    file: d.source.file.clone().unwrap_or_default(),
                    line: d.source.line.unwrap_or(1),
                    cluster: d.cluster.clone(),
                    environment: d.environment,
                    reason: format!(
                        "the deploy step names {p}, which `maskscope diff` does not read from a revision (only `*.yaml`, `*.yml` and `*.json` files)"
                    ),
                });
            }
            found.unresolved.extend(unread);
            Ok(Some(SidePlan { plan, prefix }))
        }
        Err(e) if paths.is_empty() && e == discover::none_found(dir) => Ok(None),
        Err(e) => Err(cx.usage_error(&format!("in {label}: {e}"))),
    }
}

/// A revision's own `maskscope.toml`, when it has one inside `confine`.
fn own_config(dir: &Path, confine: &Confine, cx: &mut Context<'_>) -> Option<PathBuf> {
    let at_root = dir.join("maskscope.toml");
    if !at_root.is_file() {
        return None;
    }
    match confine.check(&at_root) {
        Ok(_) => Some(at_root),
        Err(why) => {
            cx.warn_once(&format!("maskscope.toml: not read: {why}"));
            None
        }
    }
}

/// The deploy steps of a revision that holds no manifests whose
/// deployments cannot be known.
fn steps_only(config_file: Option<&Path>, dir: &Path) -> Vec<crate::deploy::Unresolved> {
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
    cluster: Option<&str>,
    dir: &Path,
    label: &str,
    color: bool,
    known: impl Fn(usize) -> Option<Option<SideFile>>,
    cx: &mut Context<'_>,
) -> Result<Option<Side>, Exit> {
    let prefix = &planned.prefix;
    let per_file = |file: &mut crate::load::LoadedFile| SideFile {
        clients: diff::clients(&file.manifests, prefix),
        error: file
            .error
            .as_ref()
            .map(|e| report::input_error(e, &file.source, color)),
        deployed: file.source.deployment.as_ref().is_none_or(|d| d.deployed()),
    };
    let (mut ws, files) = match inputs::read(&mut planned.plan, dir, per_file, known) {
        Ok(read) => read,
        Err(e) if e == discover::none_found(dir) => return Ok(None),
        Err(e) => return Err(cx.usage_error(&format!("in {label}: {e}"))),
    };
    let mut notes = Vec::new();
    for note in &ws.skipped {
        notes.push(format!("warning: in {label}: {}\n", text(note)));
    }
    for w in &ws.deployments.warnings {
        notes.push(format!("warning: in {label}: {}\n", text(&w.to_string())));
    }
    notes.extend(super::override_notes(false, cluster, &ws.deployments));
    let mut failed = false;
    for (job, file) in planned.plan.jobs.iter().zip(&files) {
        let Some(file) = file else { continue };
        let Some(error) = &file.error else { continue };
        // A file no deploy step names changes nothing: what it holds does
        // not matter, unless the command line names it.
        if !file.deployed && !job.input.is_explicit() {
            notes.push(format!(
                "note: in {label}: not deployed (no deploy step names it), so not compared:\n{error}"
            ));
            continue;
        }
        failed = true;
        // One note, so that the same error at both sides is said for each.
        notes.push(format!("error: in {label}:\n{error}"));
    }
    let unresolved = std::mem::take(&mut ws.deployments.unresolved);
    super::leave_to_exit(ws);
    Ok(Some(Side {
        files,
        notes,
        failed,
        unresolved,
    }))
}

/// HEAD, if the words after BASE name it, and the paths. After `--` there
/// are only paths, and before it only revisions. Without it, the first word
/// is HEAD if it names a commit and no file or folder, a path if it names
/// no commit, and an error if it names both: as in git, for the pull
/// request that adds a file named `HEAD` must not turn the comparison with
/// HEAD into one with that file.
fn head_and_paths<'a>(
    repo: &Repo,
    args: &'a DiffArgs,
    cwd: &Path,
) -> Result<(Option<git::Revision>, &'a [String]), String> {
    if args.separator {
        return match args.rest.as_slice() {
            [] => Ok((None, &args.paths)),
            [head] => match repo.revision(head) {
                Ok(rev) => Ok((Some(rev), &args.paths)),
                Err(e) => Err(format!("HEAD: {e} (before `--` come only revisions)")),
            },
            [_, extra, ..] => Err(format!(
                "`{extra}`: only BASE and HEAD come before `--`; files and folders come after it"
            )),
        };
    }
    let Some(first) = args.rest.first() else {
        return Ok((None, &[]));
    };
    // As git does: the name itself, not what a link of that name points to.
    let is_path = std::fs::symlink_metadata(cwd.join(first)).is_ok();
    match repo.commit_of(first).map_err(|e| format!("HEAD: {e}"))? {
        Some(_) if is_path => Err(format!(
            "`{first}` names both a revision and a file or folder: put `--` between the revisions and the paths (`maskscope diff {base} {first} -- [PATH]...` compares with the revision, `maskscope diff {base} -- {first}` reads the path)",
            base = args.base
        )),
        Some(rev) => Ok((Some(rev), &args.rest[1..])),
        None => Ok((None, &args.rest)),
    }
}

/// A path the user gave, relative to the repository's root.
fn in_repo(repo: &Repo, path: &str) -> Result<String, String> {
    if path == "-" {
        return Err("maskscope diff reads revisions, not standard input (`-`)".to_owned());
    }
    let given = Path::new(path);
    let full = if given.is_absolute() {
        given.to_path_buf()
    } else {
        PathBuf::from(&repo.prefix).join(given)
    };
    let rel = if given.is_absolute() {
        // Reached through a symbolic link, the same folder has another name:
        // the real ones are compared.
        full.strip_prefix(&repo.root)
            .map(Path::to_path_buf)
            .or_else(|_| {
                canonical(&full)
                    .strip_prefix(canonical(&repo.root))
                    .map(Path::to_path_buf)
            })
            .map_err(|_| format!("{path}: outside the repository {}", repo.root.display()))?
    } else {
        full
    };
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir if parts.pop().is_none() => {
                return Err(format!(
                    "{path}: outside the repository {}",
                    repo.root.display()
                ));
            }
            _ => {}
        }
    }
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// `path` with the longest part of it that exists made canonical (what
/// follows may exist at a revision only).
fn canonical(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return path.to_owned(),
        }
    }
}
