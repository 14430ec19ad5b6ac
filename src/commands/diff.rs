//! `maskscope diff BASE [HEAD] [PATH]...`: what a change does to Maskinporten
//! access. Each revision is written out of the repository's objects into a
//! temporary folder ([`crate::git`]), read there as a working tree is read
//! (deployments as found at that revision), and the two are compared
//! ([`crate::diff`]).

use super::{Context, Exit};
use crate::cli::{DiffArgs, DiffFormat, InputArgs};
use crate::config;
use crate::diff::{self, Evaluated, Kind};
use crate::discover;
use crate::git::{self, Repo};
use crate::output::{self, diff::Revision, report};
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
    let mut rest = args.rest.as_slice();
    let mut head = None;
    if let Some(first) = rest.first()
        && !cx.cwd.join(first).exists()
        && repo.is_revision(first)
    {
        match repo.revision(first) {
            Ok(r) => head = Some(r),
            Err(e) => return cx.usage_error(&format!("HEAD: {e}")),
        }
        rest = &rest[1..];
    }
    let mut paths = Vec::new();
    for p in rest {
        match in_repo(&repo, p) {
            Ok(p) => paths.push(p),
            Err(e) => return cx.usage_error(&e),
        }
    }
    let config_file = args.config.as_ref().map(|c| cx.cwd.join(c));

    // BASE, then HEAD, each in a folder of its own (HEAD's is the working
    // tree when no HEAD is given).
    let base_dir = match git::TempDir::for_repo(&repo, "base") {
        Ok(d) => d,
        Err(e) => return cx.usage_error(&e),
    };
    let head_dir = match &head {
        Some(_) => match git::TempDir::for_repo(&repo, "head") {
            Ok(d) => Some(d),
            Err(e) => return cx.usage_error(&e),
        },
        None => None,
    };
    // Both revisions are written at once: each is a git process and files.
    let (base_written, head_written) = std::thread::scope(|s| {
        let b = s.spawn(|| repo.materialise(&base, base_dir.path()));
        let h = match (&head, &head_dir) {
            (Some(rev), Some(dir)) => repo.materialise(rev, dir.path()).map(Some),
            _ => Ok(None),
        };
        (b.join().expect("writing BASE"), h)
    });
    if let Err(e) = base_written {
        return cx.usage_error(&format!("BASE: {e}"));
    }
    if let Err(e) = head_written {
        return cx.usage_error(&format!("HEAD: {e}"));
    }
    let head_root = head_dir.as_ref().map_or(repo.root.as_path(), |d| d.path());
    let dirs = [base_dir.path(), head_root];
    if let Some(p) = paths
        .iter()
        .find(|p| dirs.iter().all(|d| !d.join(p.as_str()).exists()))
    {
        return cx.usage_error(&format!(
            "{p}: no such file or folder at BASE or at HEAD (paths are relative to the current folder)"
        ));
    }
    let base_label = format!("BASE `{}`", base.name);
    let head_label = match &head {
        Some(h) => format!("HEAD `{}`", h.name),
        None => "the working tree".to_owned(),
    };
    let mut failed = false;
    let mut sides = Vec::new();
    for (dir, label) in [(dirs[0], &base_label), (dirs[1], &head_label)] {
        match side(args, config_file.as_deref(), &paths, dir, label, cx) {
            Ok((evaluated, bad)) => {
                failed |= bad;
                sides.push(evaluated);
            }
            Err(exit) => return exit,
        }
    }
    if sides.iter().all(|s| s.is_none()) {
        let why = discover::none_found(&repo.root);
        let why = why.lines().next().unwrap_or_default().replace(
            "no manifests given, and none found in",
            "no manifests at BASE or at HEAD, none found in",
        );
        return cx.usage_error(&format!("{why}; give files or folders as arguments"));
    }
    let [b, h]: [Option<Evaluated>; 2] = sides.try_into().expect("two sides");
    let changes = diff::compare(&b.unwrap_or_default(), &h.unwrap_or_default());

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
    if failed {
        Exit::Usage
    } else if changes.iter().any(|c| fail_on.contains(&c.kind)) {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// Read one revision, in `dir`. `Ok(None)`: it holds no manifests. The
/// `bool` says that a file could not be read (named on stderr).
fn side(
    args: &DiffArgs,
    config_file: Option<&Path>,
    paths: &[String],
    dir: &Path,
    label: &str,
    cx: &mut Context<'_>,
) -> Result<(Option<Evaluated>, bool), Exit> {
    // The revision's own maskscope.toml, at its root: never one from a
    // folder above (the temporary folder's parents are no part of it).
    let at_root = dir.join("maskscope.toml");
    let loaded = match config_file.or(at_root.is_file().then_some(at_root.as_path())) {
        Some(file) => config::load_any(Some(file), dir),
        None => Ok(config::Loaded::default()),
    };
    let loaded = match loaded {
        Ok(l) => l,
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
        return Ok((None, false));
    }
    let input = InputArgs {
        paths: here,
        prefix: args.prefix.clone(),
        vars: None,
        var: Vec::new(),
        cluster: args.cluster.clone(),
        config: config_file.map(Path::to_path_buf),
    };
    let ws = match crate::inputs::load(&input, dir, &loaded) {
        Ok(ws) => ws,
        Err(e) if paths.is_empty() && e == discover::none_found(dir) => return Ok((None, false)),
        Err(e) => return Err(cx.usage_error(&format!("in {label}: {e}"))),
    };
    for note in &ws.skipped {
        cx.eprint_once(&format!("warning: in {label}: {note}\n"));
    }
    for w in &ws.deployments.warnings {
        cx.eprint_once(&format!("warning: in {label}: {w}\n"));
    }
    let mut failed = false;
    let color = output::stderr_color();
    for file in &ws.files {
        if let Some(err) = &file.error {
            failed = true;
            cx.eprint_once(&format!("error: in {label}:\n"));
            cx.eprint_once(&report::input_error(err, &file.source, color));
        }
    }
    let evaluated = Evaluated::of(&ws.manifests, &prefix);
    super::leave_to_exit(ws);
    Ok((Some(evaluated), failed))
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
        full.strip_prefix(&repo.root)
            .map(Path::to_path_buf)
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
