//! Which files to read: the paths on the command line, folders searched for
//! manifests, standard input, or the default locations of a nais project.
//!
//! Without paths, the current folder is searched where NAV repositories keep
//! their manifests ([`DEFAULT_FOLDERS`], [`is_default_root_file`]); every one
//! of them that exists is read, not only the first. When none exists (a
//! monorepo with `apps/x/nais/`, manifests under names of their own), the
//! whole folder is searched, less `.git` and the [`PRUNED`] folders of build
//! output and dependencies.
//!
//! A file found by a search (not named on the command line) is read only if
//! it holds a nais manifest, decided by its content: see
//! [`crate::load::names_a_nais_api_version`]. So `package.json`, a
//! `tsconfig.json` with comments, Helm templates and GitHub workflows next to
//! the manifests are passed over without a word. A file named on the command
//! line is always checked and reported in full.
//!
//! A search never stops at one bad entry: a dangling symbolic link is passed
//! over (with one warning if its name ends in `.yaml`, `.yml` or `.json`), a
//! link that loops back to a folder holding it is one warning, a folder that
//! cannot be read is one warning, a link into /proc, /sys or /dev is not
//! followed, and devices, FIFOs and sockets are never read (one warning for
//! each reached through a link and named like a manifest).

use crate::confine::Confine;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// A file named on the command line: always checked and reported.
    File(PathBuf),
    /// A file found by searching a folder (or a default location): read only
    /// if its content shows it holds a nais manifest.
    Found(PathBuf),
    Stdin,
}

impl Input {
    /// Whether the user named this input, rather than a search finding it.
    pub fn is_explicit(&self) -> bool {
        !matches!(self, Input::Found(_))
    }
}

/// The folder a command without paths starts from: the nearest of `cwd` and
/// its parents that holds `.git` (a folder, or the file of a worktree) or
/// `maskscope.toml`. `None` outside any repository.
pub fn root(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists() || dir.join("maskscope.toml").is_file())
        .map(Path::to_path_buf)
}

/// What discovery found: the inputs, plus notes for stderr about what it skipped.
#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub skipped: Vec<String>,
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// The folders searched, in this order, when no path is given.
pub const DEFAULT_FOLDERS: [&str; 4] = [".nais", "nais", ".deploy", "deploy"];

/// What the default search looks for, as the README and the error say it.
pub const DEFAULT_LOCATIONS: &str = "the folders .nais/, nais/, .deploy/ and deploy/, \
     and the files nais*.yaml, nais*.yml, nais*.json, naiserator*.yaml and naiserator*.yml";

fn is_manifest_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// `nais*.yaml|yml|json` and `naiserator*.yaml|yml`, the names of manifests
/// kept at the root of a repository.
fn is_default_root_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    if stem.starts_with("naiserator") {
        matches!(ext.as_str(), "yaml" | "yml")
    } else {
        stem.starts_with("nais") && matches!(ext.as_str(), "yaml" | "yml" | "json")
    }
}

/// Turn command-line paths into inputs. With no paths, search `cwd`'s default
/// locations (see the module documentation).
///
/// Errors (a usage problem: exit 2) name the path and what was wrong with it.
///
/// What a search finds must lie inside `confine` after following links (see
/// [`crate::confine`]); a folder named on the command line is added to it.
pub fn discover(paths: &[String], cwd: &Path, confine: &Confine) -> Result<Discovered, String> {
    let mut found = Discovered::default();
    let mut seen_dirs = HashSet::new();
    if paths.is_empty() {
        for folder in DEFAULT_FOLDERS {
            if cwd.join(folder).is_dir() {
                walk(
                    Path::new(folder),
                    &cwd.join(folder),
                    &mut seen_dirs,
                    &mut found,
                    confine,
                );
            }
        }
        let mut roots: Vec<String> = std::fs::read_dir(cwd)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|name| is_default_root_file(name))
                    .filter(|name| cwd.join(name).is_file())
                    .filter(|name| match confine.check(&cwd.join(name)) {
                        Ok(_) => true,
                        Err(why) => {
                            found.skipped.push(format!("{name}: skipped: {why}"));
                            false
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        roots.sort();
        found
            .inputs
            .extend(roots.into_iter().map(|n| Input::Found(PathBuf::from(n))));
        if found.inputs.is_empty() {
            // None of the usual places: a monorepo (`apps/x/nais/`), or
            // manifests under a name of their own. Search the whole folder;
            // what is read is still decided by content.
            walk_pruned(
                Path::new("."),
                cwd,
                &mut seen_dirs,
                &mut found,
                confine,
                true,
            );
            for input in &mut found.inputs {
                if let Input::Found(p) = input
                    && let Ok(rest) = p.strip_prefix(".")
                {
                    *p = rest.to_owned();
                }
            }
        }
        if found.inputs.is_empty() {
            return Err(none_found(cwd));
        }
        return Ok(found);
    }
    for p in paths {
        if p == "-" {
            if !found.inputs.contains(&Input::Stdin) {
                found.inputs.push(Input::Stdin);
            }
            continue;
        }
        let path = PathBuf::from(p);
        let full = cwd.join(&path);
        match std::fs::metadata(&full) {
            Ok(m) if m.is_dir() => {
                // A folder the user names is theirs to choose, wherever
                // its links lead.
                let confine = confine.clone().and(&full);
                walk(&path, &full, &mut seen_dirs, &mut found, &confine)
            }
            Ok(_) => found.inputs.push(Input::File(path)),
            Err(e) => return Err(format!("{p}: {}", io_reason(&e))),
        }
    }
    Ok(found)
}

/// The usage error when no path is given and no manifest is found. One line,
/// as every message on stderr is (see [`crate::output::escape`]).
pub fn none_found(cwd: &Path) -> String {
    format!(
        "{}; give files or folders as arguments, or `-` to read standard input",
        looked_for(cwd)
    )
}

/// What [`none_found`] says was looked for, and where.
pub fn looked_for(cwd: &Path) -> String {
    format!(
        "no manifests given, and none found in {}: looked for {DEFAULT_LOCATIONS}, \
         then for any file naming a nais apiVersion",
        cwd.display()
    )
}

/// Folders whose entries are no files a repository keeps: a link into them
/// is not followed.
pub use crate::confine::SYSTEM_FOLDERS;

/// Collect manifests under a folder, sorted, following symlinks but never into a
/// loop, never into a system folder, and never through the same folder twice
/// (two links to one folder would otherwise report every manifest in it
/// twice). Nothing stops the search: what cannot be searched is a note.
fn walk(
    shown: &Path,
    full: &Path,
    seen_dirs: &mut HashSet<PathBuf>,
    found: &mut Discovered,
    confine: &Confine,
) {
    walk_pruned(shown, full, seen_dirs, found, confine, false);
}

/// Folders of build output and dependencies, which the search of a whole
/// repository (no usual place found) does not enter.
const PRUNED: [&str; 8] = [
    "node_modules",
    "target",
    "build",
    "dist",
    "vendor",
    ".gradle",
    ".idea",
    ".venv",
];

/// [`walk`], passing over [`PRUNED`] folders when `prune` is set.
fn walk_pruned(
    shown: &Path,
    full: &Path,
    seen_dirs: &mut HashSet<PathBuf>,
    found: &mut Discovered,
    confine: &Confine,
    prune: bool,
) {
    let root = std::fs::canonicalize(full).unwrap_or_else(|_| full.to_owned());
    let mut walker = walkdir::WalkDir::new(full)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| display(shown, full, p))
                    .unwrap_or_else(|| shown.display().to_string());
                if e.loop_ancestor().is_some() {
                    found.skipped.push(format!(
                        "{at}: skipped: symbolic link loops back to a folder that holds it"
                    ));
                    continue;
                }
                let dangling = e.path().is_some_and(|p| {
                    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink())
                        && std::fs::metadata(p).is_err()
                });
                if dangling {
                    // A dangling link named like a manifest may be one that
                    // went missing; any other is none of our business.
                    if e.path().is_some_and(is_manifest_name) {
                        found.skipped.push(format!(
                            "{at}: skipped: symbolic link to a file that does not exist"
                        ));
                    }
                    continue;
                }
                let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                if e.path().is_some_and(|p| p.is_dir()) || e.depth() == 0 {
                    found.skipped.push(format!(
                        "{at}: skipped: cannot search this folder: {reason}"
                    ));
                } else if e.path().is_some_and(is_manifest_name) {
                    found.skipped.push(format!("{at}: skipped: {reason}"));
                }
                continue;
            }
        };
        let at = || display(shown, full, entry.path());
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let pruned = prune && PRUNED.iter().any(|p| entry.file_name() == *p);
            if entry.depth() > 0 && (entry.file_name() == ".git" || pruned) {
                walker.skip_current_dir();
                continue;
            }
            let real =
                std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_owned());
            // The folder the search starts from may itself be a link (one
            // named on the command line, or a `.nais` that is one): that
            // is no loop.
            let skip = if entry.depth() > 0 && entry.path_is_symlink() && root.starts_with(&real) {
                Some("symbolic link loops back to a folder that holds it")
            } else if entry.path_is_symlink() && SYSTEM_FOLDERS.iter().any(|s| real.starts_with(s))
            {
                Some("symbolic link to a system folder, which holds no manifests")
            } else if !confine.admits(&real) {
                Some("symbolic link to a folder outside the repository, which is not searched")
            } else if !seen_dirs.insert(real) {
                Some("links to a folder already searched (a symbolic link loop or a second link)")
            } else {
                None
            };
            if let Some(why) = skip {
                found.skipped.push(format!("{}: skipped: {why}", at()));
                walker.skip_current_dir();
            }
        } else if is_manifest_name(entry.path()) {
            if file_type.is_file()
                && entry.path_is_symlink()
                && let Err(why) = confine.check(entry.path())
            {
                found.skipped.push(format!("{}: skipped: {why}", at()));
            } else if file_type.is_file() {
                // The path itself, not its display: a name that is not
                // UTF-8 must still open.
                found
                    .inputs
                    .push(Input::Found(shown_path(shown, full, entry.path())));
            } else if entry.path_is_symlink() {
                // A FIFO, device or socket is never read (a FIFO would wait
                // for a writer forever); reached through a link, which may
                // have been meant for a file, it is worth a word.
                found.skipped.push(format!(
                    "{}: skipped: symbolic link to a special file (a device, FIFO or socket), which is never read",
                    at()
                ));
            }
        }
    }
}

/// The path as the user would write it: under the folder they named, not under `cwd`.
fn display(shown: &Path, full: &Path, p: &Path) -> String {
    shown_path(shown, full, p).display().to_string()
}

/// [`display`], as a path.
fn shown_path(shown: &Path, full: &Path, p: &Path) -> PathBuf {
    match p.strip_prefix(full) {
        Ok(rest) if rest.as_os_str().is_empty() => shown.to_owned(),
        Ok(rest) => shown.join(rest),
        Err(_) => p.to_owned(),
    }
}

/// A short reason for an I/O error, without Rust's `(os error N)` noise.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_root_files() {
        for yes in [
            "nais.yaml",
            "nais-dev.yaml",
            "nais.yml",
            "nais.json",
            "naiserator.yaml",
            "naiserator-prod.yml",
            "nais-q1.YAML",
        ] {
            assert!(is_default_root_file(yes), "{yes}");
        }
        for no in [
            "naiserator.json",
            "app.yaml",
            "nais",
            "nais.txt",
            "my-nais.yaml",
        ] {
            assert!(!is_default_root_file(no), "{no}");
        }
    }
}
