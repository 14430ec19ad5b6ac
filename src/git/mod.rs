//! The repository, with the `git` executable: finding it, resolving
//! revisions, and reading what a revision holds.
//!
//! `maskscope diff` evaluates the repository as it was at a revision: what
//! the pipeline reads of it is put into a temporary folder of its own
//! (`materialise`, in a [`TempDir`]) and read there as a working
//! tree is read.
//!
//! The repository's settings are its author's: no git process started here
//! runs a command they name (see [`NEUTRAL`]); the temporary folders are the
//! user's alone (mode 0700), and removed on SIGINT and SIGTERM.

mod materialise;
mod temp;

pub use materialise::{Like, Written, read_by_maskscope};
pub use temp::{Removal, TempDir, remove_in_background};

use std::path::{Path, PathBuf};
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

/// Settings given to every git process, over the repository's own: the
/// repository's configuration is the pull request's author's, and these are
/// the ones that would make git run a command of theirs (an fsmonitor hook,
/// hooks, a pager). Filters, external diffs and textconv drivers are never
/// run because no command maskscope runs uses them: `ls-tree`,
/// `cat-file --batch` and `hash-object --no-filters` read and hash bytes as
/// they are, and no `git diff` is run (see [`Repo::changed_in_work_tree`]).
/// Nothing is fetched: in a partial clone, `cat-file` would fetch a missing
/// blob from the remote, through the repository's remote settings (an
/// `uploadpack` or `ext::` URL runs a command of theirs). So every transport
/// is refused (`protocol.allow=never`, and `GIT_NO_LAZY_FETCH` where git
/// knows it), and a blob the clone does not hold is an error that says to
/// fetch it.
const NEUTRAL: [&str; 11] = [
    "--no-pager",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
    "-c",
    "protocol.allow=never",
    "-c",
    "protocol.ext.allow=never",
];

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(NEUTRAL)
        // The system's settings (`/etc/gitconfig`, or the file
        // `GIT_CONFIG_SYSTEM` names) are no part of what a revision holds.
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        // No git command here is to write `.git/index` (under a lock another
        // git command may be waiting for).
        .env("GIT_OPTIONAL_LOCKS", "0")
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

/// One `git cat-file MODE` (`--batch`, `--batch-check`) in `dir`, fed `input` by a thread of its own
/// (so that a long answer cannot block the question): the process, the
/// feeding thread, and its answers.
fn batch(
    dir: &Path,
    mode: &str,
    input: String,
) -> Result<
    (
        std::process::Child,
        std::thread::JoinHandle<()>,
        std::io::BufReader<std::process::ChildStdout>,
    ),
    String,
> {
    use std::io::Write;
    let mut child = git(dir)
        .args(["cat-file", mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git cat-file: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let reader = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    Ok((child, writer, reader))
}

fn stdout_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

/// The bytes of `path` at `reference` in the clone `dir`, when it holds
/// them and they are at most 1 MiB. Only `dir`'s own repository is looked
/// in, never one of a folder above it.
pub fn blob_at(dir: &Path, reference: &str, path: &str) -> Option<Vec<u8>> {
    if reference.starts_with('-') || !dir.join(".git").exists() {
        return None;
    }
    let spec = format!("{reference}:{path}");
    let run = |args: &[&str]| {
        let mut cmd = git(dir);
        if let Some(parent) = dir.parent() {
            cmd.env("GIT_CEILING_DIRECTORIES", parent);
        }
        cmd.args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let size: u64 = stdout_line(&run(&["cat-file", "-s", &spec])?)
        .parse()
        .ok()?;
    if size > 1024 * 1024 {
        return None;
    }
    Some(run(&["cat-file", "blob", &spec])?.stdout)
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
        if let Some(rev) = self.commit_of(name)? {
            return Ok(rev);
        }
        let mut message = format!("revision `{name}` does not exist in this repository");
        if self.is_shallow() {
            // A name relative to another (`HEAD~1`, `main^`) is no name a
            // remote knows: only the history brings it.
            let fetch = if name.contains(['~', '^', '@', ':']) {
                "fetch the history (`git fetch --unshallow`)".to_owned()
            } else {
                // `origin/sandbox` names a remote-tracking branch: the remote
                // knows it as `sandbox` (`git fetch origin origin/sandbox` fails).
                let (remote, branch) = self.remote_branch(name);
                format!("fetch it (`git fetch {remote} {branch}`, or `git fetch --unshallow`)")
            };
            message.push_str(&format!(
                "; this is a shallow clone, which may not hold it: {fetch}, or in GitHub Actions check out with `fetch-depth: 0`"
            ));
        }
        Err(message)
    }

    /// The commit `name` names, if it names one; `Err` only when git
    /// cannot be run.
    pub fn commit_of(&self, name: &str) -> Result<Option<Revision>, String> {
        if name.starts_with('-') {
            return Ok(None);
        }
        let spec = format!("{name}^{{commit}}");
        let out = run(&self.root, &["rev-parse", "--verify", "--quiet", &spec])?;
        Ok(out.status.success().then(|| Revision {
            name: name.to_owned(),
            commit: stdout_line(&out),
        }))
    }

    /// The remote and the name it knows `name` by: `origin/sandbox` and
    /// `refs/remotes/origin/sandbox` are `sandbox` on the remote `origin`
    /// when the repository has that remote; any other name is taken to be
    /// `origin`'s, as written.
    fn remote_branch<'n>(&self, name: &'n str) -> (String, &'n str) {
        let remotes = run(&self.root, &["remote"])
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let short = name.strip_prefix("refs/remotes/").unwrap_or(name);
        // The longest remote that prefixes the name, as git resolves it.
        let found = remotes
            .lines()
            .filter(|r| !r.is_empty())
            .filter_map(|r| Some((r, short.strip_prefix(r)?.strip_prefix('/')?)))
            .filter(|(_, branch)| !branch.is_empty())
            .max_by_key(|(r, _)| r.len());
        match found {
            Some((remote, branch)) => (remote.to_owned(), branch),
            None => ("origin".to_owned(), name),
        }
    }

    fn is_shallow(&self) -> bool {
        run(&self.root, &["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|o| stdout_line(&o) == "true")
    }

    /// The newest `n` commits on the first-parent line of `rev` that
    /// change any of `paths` (names as the repository has them, never
    /// patterns), newest first, each with its subject. Fewer than `n` when
    /// the history holds no more; `shallow` says whether it is cut.
    pub fn history(&self, rev: &str, paths: &[&str], n: usize) -> Result<History, String> {
        let count = format!("-n{n}");
        let mut args = vec![
            "log",
            "--first-parent",
            "--no-show-signature",
            "--format=%H%x09%s",
            count.as_str(),
            rev,
            "--",
        ];
        args.extend(paths.iter().copied());
        let out = git(&self.root)
            .env("GIT_LITERAL_PATHSPECS", "1")
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git log: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let commits = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let (commit, subject) = l.split_once('\t')?;
                Some((commit.to_owned(), subject.to_owned()))
            })
            .collect();
        Ok(History {
            commits,
            shallow: self.is_shallow(),
        })
    }

    /// Whether each of `paths` is a file at `commit`, asked of one `git
    /// cat-file --batch-check`: nothing is read.
    pub fn files_there(&self, commit: &str, paths: &[&str]) -> Result<Vec<bool>, String> {
        use std::io::BufRead;
        if let Some(p) = paths.iter().find(|p| p.contains(['\n', '\r'])) {
            return Err(format!("{p:?}: a name with a line break"));
        }
        let specs: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
        let (mut child, writer, reader) = batch(&self.root, "--batch-check", specs)?;
        let mut out = Vec::with_capacity(paths.len());
        for line in reader.lines().take(paths.len()) {
            let line = line.map_err(|e| format!("git cat-file: {e}"))?;
            // `<oid> <type> <size>`, or `<spec> missing`.
            out.push(line.rsplit(' ').nth(1) == Some("blob"));
        }
        let _ = writer.join();
        let _ = child.wait();
        if out.len() != paths.len() {
            return Err("git cat-file stopped early".to_owned());
        }
        Ok(out)
    }

    /// The bytes of each of `paths` at `commit`, read by one `git cat-file
    /// --batch` (no filter runs): `None` for one that is not there or is not
    /// a file. An error when one is over `limit` bytes, or cannot be read.
    pub fn files_at(
        &self,
        commit: &str,
        paths: &[&str],
        limit: u64,
    ) -> Result<Vec<Option<Vec<u8>>>, String> {
        use std::io::{BufRead, Read};
        if let Some(p) = paths.iter().find(|p| p.contains(['\n', '\r'])) {
            return Err(format!("{p:?}: a name with a line break"));
        }
        let specs: String = paths.iter().map(|p| format!("{commit}:{p}\n")).collect();
        let (mut child, writer, mut reader) = batch(&self.root, "--batch", specs)?;
        let mut out = Vec::with_capacity(paths.len());
        let mut result = Ok(());
        let mut header = String::new();
        for p in paths {
            header.clear();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                result = Err("git cat-file stopped early".to_owned());
                break;
            }
            let fields: Vec<&str> = header.trim_end().rsplitn(3, ' ').collect();
            let (size, kind) = match fields.as_slice() {
                [size, kind, _] => match size.parse::<u64>() {
                    Ok(n) => (n, *kind),
                    Err(_) => {
                        out.push(None);
                        continue;
                    }
                },
                // `missing` or `ambiguous`: not there.
                _ => {
                    out.push(None);
                    continue;
                }
            };
            let mut bytes = Vec::new();
            let wanted = kind == "blob" && size <= limit;
            let copied = if wanted {
                (&mut reader)
                    .take(size)
                    .read_to_end(&mut bytes)
                    .map(|n| n as u64)
            } else {
                std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink())
            };
            let mut end = [0u8; 1];
            if copied.ok() != Some(size) || reader.read_exact(&mut end).is_err() {
                result = Err(format!("git cat-file stopped early, in {p}"));
                break;
            }
            if kind == "blob" && size > limit {
                result = Err(format!("{p} at {commit}: over {limit} bytes"));
                break;
            }
            out.push(wanted.then_some(bytes));
        }
        drop(reader);
        let _ = writer.join();
        let _ = child.wait();
        result.map(|()| out)
    }
}

/// Commits that changed some files (see [`Repo::history`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Each commit's hash and subject, newest first.
    pub commits: Vec<(String, String)>,
    /// Whether the clone is shallow, so that the history may be cut.
    pub shallow: bool,
}
