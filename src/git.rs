//! Reading a repository at a revision, with the `git` executable.
//!
//! `maskscope diff` evaluates the repository as it was at a revision. What
//! the pipeline reads of it (manifests, vars files, workflows,
//! `maskscope.toml`) is written into a temporary folder from the
//! repository's objects: one `git ls-tree` lists the files, one
//! `git cat-file --batch` streams their contents. The rest of maskscope then
//! reads that folder as it reads a working tree.
//!
//! Submodules (tree entries of mode 160000) and symbolic links are not
//! followed; a file kept in Git LFS is its pointer text, which holds no
//! manifest.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// A repository: its top-level folder, and where the current folder is in it.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
    /// The repository's git folder (`.git`, or a worktree's).
    pub git_dir: PathBuf,
    /// The current folder relative to the root, with a trailing `/`, or empty.
    pub prefix: String,
}

/// A revision resolved to a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// As the user wrote it.
    pub name: String,
    /// The commit's full hash.
    pub commit: String,
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        // A repository's pager or colour settings have no place here.
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    git(dir).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "`git` was not found on PATH; maskscope diff reads revisions with it".to_owned()
        } else {
            format!("cannot run git: {e}")
        }
    })
}

fn stdout_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

impl Repo {
    /// The repository `cwd` is in.
    pub fn discover(cwd: &Path) -> Result<Repo, String> {
        let out = run(
            cwd,
            &[
                "rev-parse",
                "--show-toplevel",
                "--show-prefix",
                "--absolute-git-dir",
            ],
        )?;
        if !out.status.success() {
            return Err(format!(
                "{} is not inside a git repository (maskscope diff compares git revisions)",
                cwd.display()
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let root = lines.next().unwrap_or_default();
        if root.is_empty() {
            return Err(format!(
                "{} is inside a git folder but not in a working tree; run maskscope diff in the repository's working tree",
                cwd.display()
            ));
        }
        let prefix = lines.next().unwrap_or_default().to_owned();
        Ok(Repo {
            root: PathBuf::from(root),
            git_dir: PathBuf::from(lines.next().unwrap_or_default()),
            prefix,
        })
    }

    /// Resolve `name` to a commit. The error names the revision, and in a
    /// shallow clone says how to get the history.
    pub fn revision(&self, name: &str) -> Result<Revision, String> {
        if name.starts_with('-') {
            return Err(format!("`{name}` is not a revision"));
        }
        let spec = format!("{name}^{{commit}}");
        let out = run(&self.root, &["rev-parse", "--verify", "--quiet", &spec])?;
        if out.status.success() {
            return Ok(Revision {
                name: name.to_owned(),
                commit: stdout_line(&out),
            });
        }
        let mut message = format!("revision `{name}` does not exist in this repository");
        if self.is_shallow() {
            message.push_str(&format!(
                "; this is a shallow clone, which may not hold it: fetch it (`git fetch origin {name}`, or `git fetch --unshallow`), or in GitHub Actions check out with `fetch-depth: 0`"
            ));
        }
        Err(message)
    }

    /// Whether the name is a revision, without a message.
    pub fn is_revision(&self, name: &str) -> bool {
        !name.starts_with('-')
            && run(
                &self.root,
                &[
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    &format!("{name}^{{commit}}"),
                ],
            )
            .is_ok_and(|o| o.status.success())
    }

    fn is_shallow(&self) -> bool {
        run(&self.root, &["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|o| stdout_line(&o) == "true")
    }

    /// Write the files of `rev` that maskscope reads into `into`.
    pub fn materialise(&self, rev: &Revision, into: &Path) -> Result<usize, String> {
        let out = run(
            &self.root,
            &["ls-tree", "-r", "-z", "--full-tree", &rev.commit],
        )?;
        if !out.status.success() {
            return Err(format!(
                "cannot list the files of `{}`: {}",
                rev.name,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let mut wanted: Vec<(String, PathBuf)> = Vec::new();
        for record in out.stdout.split(|&b| b == 0) {
            let Some((meta, path)) = std::str::from_utf8(record)
                .ok()
                .and_then(|r| r.split_once('\t'))
            else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind), Some(oid)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            if kind != "blob" || !(mode == "100644" || mode == "100755") || !read_by_maskscope(path)
            {
                continue;
            }
            let Some(target) = safe_join(into, path) else {
                continue;
            };
            wanted.push((oid.to_owned(), target));
        }
        write_blobs(&self.root, &wanted)?;
        Ok(wanted.len())
    }
}

/// The files maskscope reads: YAML and JSON (manifests, vars files,
/// workflows) and `maskscope.toml`.
fn read_by_maskscope(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower == "maskscope.toml"
        || lower.ends_with("/maskscope.toml")
}

/// `root/path`, if every part of `path` is a plain name.
fn safe_join(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(rel))
}

/// Stream the blobs through one `git cat-file --batch` and write each.
fn write_blobs(root: &Path, wanted: &[(String, PathBuf)]) -> Result<(), String> {
    if wanted.is_empty() {
        return Ok(());
    }
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git cat-file: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let ids: String = wanted.iter().map(|(oid, _)| format!("{oid}\n")).collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(ids.as_bytes());
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut result = Ok(());
    let mut header = String::new();
    for (oid, target) in wanted {
        header.clear();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            result = Err("git cat-file stopped early".to_owned());
            break;
        }
        let size: Option<usize> = header
            .trim_end()
            .strip_prefix(oid.as_str())
            .and_then(|rest| rest.strip_prefix(" blob "))
            .and_then(|n| n.parse().ok());
        let Some(size) = size else {
            result = Err(format!(
                "git cat-file cannot read object {oid}: {}",
                header.trim()
            ));
            break;
        };
        let mut content = vec![0; size + 1];
        if let Err(e) = reader.read_exact(&mut content) {
            result = Err(format!("git cat-file: {e}"));
            break;
        }
        content.pop();
        if let Some(dir) = target.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            result = Err(format!("cannot write {}: {e}", dir.display()));
            break;
        }
        if let Err(e) = std::fs::write(target, &content) {
            result = Err(format!("cannot write {}: {e}", target.display()));
            break;
        }
    }
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    result
}

/// A folder of its own, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Where writing thousands of small files costs least: `TMPDIR` when
    /// set, else a file system in memory (`/dev/shm`) when there is one,
    /// else the repository's git folder (its own file system, outside its
    /// working tree), else the system's temporary folder.
    pub fn for_repo(repo: &Repo, label: &str) -> Result<TempDir, String> {
        if let Some(dir) = std::env::var_os("TMPDIR").filter(|d| !d.is_empty()) {
            return TempDir::new_in(Path::new(&dir), label);
        }
        let shm = Path::new("/dev/shm");
        if shm.is_dir()
            && let Ok(d) = TempDir::new_in(shm, label)
        {
            return Ok(d);
        }
        if !repo.git_dir.as_os_str().is_empty()
            && let Ok(d) = TempDir::new_in(&repo.git_dir, label)
        {
            return Ok(d);
        }
        TempDir::new_in(&std::env::temp_dir(), label)
    }

    pub fn new_in(base: &Path, label: &str) -> Result<TempDir, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        for _ in 0..100 {
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!(
                "maskscope-{label}-{}-{n}-{nanos}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(format!(
                        "cannot create a temporary folder in {}: {e}",
                        base.display()
                    ));
                }
            }
        }
        Err(format!(
            "cannot create a temporary folder in {}",
            base.display()
        ))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_maskscope_reads() {
        assert!(read_by_maskscope(".nais/app.yaml"));
        assert!(read_by_maskscope(".github/workflows/deploy.YML"));
        assert!(read_by_maskscope("maskscope.toml"));
        assert!(read_by_maskscope("sub/maskscope.toml"));
        assert!(!read_by_maskscope("src/main.rs"));
        assert!(!read_by_maskscope("Cargo.toml"));
    }

    #[test]
    fn paths_stay_inside() {
        let root = Path::new("/r");
        assert_eq!(
            safe_join(root, "a/b.yaml"),
            Some(PathBuf::from("/r/a/b.yaml"))
        );
        assert_eq!(safe_join(root, "../x.yaml"), None);
        assert_eq!(safe_join(root, "/etc/x.yaml"), None);
    }
}
