//! `maskscope diff BASE [HEAD] [PATH]...`: what a change does to Maskinporten
//! access. Parses the words after BASE into revisions and paths, runs the
//! stage ([`crate::diff::sides`]) and writes its records and notes.

use super::{Context, Exit};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{Kind, sides};
use crate::git::{self, Repo};
use crate::output::escape::text;
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
    let request = sides::Request {
        repo: &repo,
        base: &base,
        head: head.as_ref(),
        paths: &paths,
        config: config_file.as_deref(),
        prefix: args.prefix.as_deref(),
        cluster: args.cluster.as_deref(),
    };
    let mut notes = Vec::new();
    let result = sides::diff(&request, &mut notes);
    let color = output::stderr_color();
    for note in &notes {
        cx.eprint_once(&say(note, color));
    }
    let outcome = match result {
        Ok(o) => o,
        Err(sides::Error::Usage(e)) => return cx.usage_error(&e),
        Err(sides::Error::Config { label, error }) => {
            cx.eprint(&format!("error: in {}:\n", text(&label)));
            return super::config_error(cx, &error);
        }
        Err(sides::Error::NoSuchPath(p)) => {
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
    };
    let changes = outcome.changes;

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
    if outcome.failed {
        Exit::Usage
    } else if changes.iter().any(|c| fail_on.contains(&c.kind)) {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// A note of the stage, as stderr shows it.
fn say(note: &sides::Note, color: bool) -> String {
    let at = |label: &str| {
        if label.is_empty() {
            String::new()
        } else {
            format!("in {}: ", text(label))
        }
    };
    match note {
        sides::Note::Warning { label, message } => {
            format!("warning: {}{}\n", at(label), text(message))
        }
        sides::Note::Info(message) => format!("note: {}\n", text(message)),
        sides::Note::Unread {
            label,
            error,
            source,
            matters,
        } => {
            let report = report::input_error(error, source, color);
            if *matters {
                format!("error: {}\n{report}", at(label).trim_end())
            } else {
                format!(
                    "note: {}not deployed (no deploy step names it), so not compared:\n{report}",
                    at(label)
                )
            }
        }
    }
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
