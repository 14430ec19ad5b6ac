//! Which files to read: the paths on the command line, folders searched for
//! manifests, standard input, or the default locations of a nais project.

use std::path::{Path, PathBuf};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// What discovery found: the inputs, plus notes for stderr about what it skipped.
#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub skipped: Vec<String>,
}

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

fn is_manifest_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Turn command-line paths into inputs. With no paths, look in `cwd` for
/// `.nais/`, then `nais.yaml`, then `nais.yml`.
///
/// Errors (a usage problem: exit 2) name the path and what was wrong with it.
pub fn discover(paths: &[String], cwd: &Path) -> Result<Discovered, String> {
    let mut found = Discovered::default();
    if paths.is_empty() {
        let dot_nais = cwd.join(".nais");
        if dot_nais.is_dir() {
            walk(Path::new(".nais"), &dot_nais, &mut found)?;
            return Ok(found);
        }
        for name in ["nais.yaml", "nais.yml"] {
            if cwd.join(name).is_file() {
                found.inputs.push(Input::File(PathBuf::from(name)));
                return Ok(found);
            }
        }
        return Err(format!(
            "no manifests given, and none found in {}: looked for .nais/, nais.yaml and nais.yml\n  \
             give files or folders as arguments, or `-` to read standard input",
            cwd.display()
        ));
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
            Ok(m) if m.is_dir() => walk(&path, &full, &mut found)?,
            Ok(_) => found.inputs.push(Input::File(path)),
            Err(e) => return Err(format!("{p}: {}", io_reason(&e))),
        }
    }
    Ok(found)
}

/// Collect manifests under a folder, sorted, following symlinks but never into a
/// loop, and never through the same folder twice (two links to one folder would
/// otherwise report every manifest in it twice).
fn walk(shown: &Path, full: &Path, found: &mut Discovered) -> Result<(), String> {
    let mut seen_dirs = std::collections::HashSet::new();
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
                        "{at}: skipped: symbolic link loops back to a parent folder"
                    ));
                    continue;
                }
                let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                return Err(format!("{at}: {reason}"));
            }
        };
        if entry.file_type().is_dir() {
            if entry.depth() > 0 && entry.file_name() == ".git" {
                walker.skip_current_dir();
                continue;
            }
            let real =
                std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_owned());
            if !seen_dirs.insert(real) {
                found.skipped.push(format!(
                    "{}: skipped: links to a folder already searched (a symbolic link loop or a second link)",
                    display(shown, full, entry.path())
                ));
                walker.skip_current_dir();
            }
        } else if entry.file_type().is_file() && is_manifest_name(entry.path()) {
            found.inputs.push(Input::File(PathBuf::from(display(
                shown,
                full,
                entry.path(),
            ))));
        }
    }
    Ok(())
}

/// The path as the user would write it: under the folder they named, not under `cwd`.
fn display(shown: &Path, full: &Path, p: &Path) -> String {
    match p.strip_prefix(full) {
        Ok(rest) if rest.as_os_str().is_empty() => shown.display().to_string(),
        Ok(rest) => shown.join(rest).display().to_string(),
        Err(_) => p.display().to_string(),
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
