//! Temporary folders for revisions: private to the user (mode 0700), removed
//! when dropped, on SIGINT and SIGTERM (see `live`), and, when a run was
//! killed outright, by the next run (`remove_abandoned`).

use super::Repo;
use std::path::{Path, PathBuf};

/// The system's temporary folder, whatever `TMPDIR` says (which
/// [`std::env::temp_dir`] would return).
fn system_temp() -> PathBuf {
    if cfg!(unix) {
        PathBuf::from("/tmp")
    } else {
        std::env::temp_dir()
    }
}

/// The longest path the system opens, in bytes with the final NUL: a
/// revision's file beyond it could be neither written nor read in its
/// folder (and the search would pass over it without a word).
#[cfg(target_os = "linux")]
pub(super) const PATH_MAX: usize = 4096;
#[cfg(target_os = "macos")]
pub(super) const PATH_MAX: usize = 1024;
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub(super) const PATH_MAX: usize = usize::MAX;

/// A folder of its own, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Where writing thousands of small files costs least: `TMPDIR` when
    /// set (and not in the working tree), else a file system in memory
    /// (`/dev/shm`) when there is one,
    /// else the repository's git folder (usually `.git` inside the working
    /// tree, which every search passes over), else the system's temporary
    /// folder. A `TMPDIR` that is no folder is passed over for the system's
    /// temporary folder, with a word in `warnings`.
    pub fn for_repo(
        repo: &Repo,
        label: &str,
        warnings: &mut Vec<String>,
    ) -> Result<TempDir, String> {
        if let Some(dir) = std::env::var_os("TMPDIR").filter(|d| !d.is_empty()) {
            // Absolute: links from one folder to the other must not depend
            // on where they are.
            let dir = std::path::absolute(&dir).unwrap_or_else(|_| PathBuf::from(&dir));
            // Not in the working tree, whose reading would find the other
            // revision's files there; its git folder is passed over, as below.
            let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
            let at = real(&dir);
            let inside = at.starts_with(real(&repo.root))
                && (repo.git_dir.as_os_str().is_empty() || !at.starts_with(real(&repo.git_dir)));
            if !inside && dir.is_dir() {
                return TempDir::new_in(&dir, label);
            }
            if !inside {
                let system = system_temp();
                warnings.push(format!(
                    "TMPDIR {} is not a folder (it does not exist); using {}",
                    dir.display(),
                    system.display()
                ));
                return TempDir::new_in(&system, label);
            }
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
        TempDir::new_in(&system_temp(), label)
    }

    pub fn new_in(base: &Path, label: &str) -> Result<TempDir, String> {
        remove_abandoned(base);
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
            match live::create(&path) {
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

/// Remove folders on a thread of their own; the removal is waited for when
/// the value returned is dropped (so that it is done before the process
/// ends, on every way out).
pub fn remove_in_background(dirs: impl IntoIterator<Item = Option<TempDir>>) -> Removal {
    let dirs: Vec<TempDir> = dirs.into_iter().flatten().collect();
    Removal(Some(std::thread::spawn(move || drop(dirs))))
}

/// A removal under way: see [`remove_in_background`].
pub struct Removal(Option<std::thread::JoinHandle<()>>);

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// Remove the folders that an earlier run, killed before it could, left in
/// `base`. A folder counts only if its name is exactly what
/// [`TempDir::new_in`] makes (`maskscope-base-PID-N-NANOS`, or `head`), it
/// is the user's own, it was last changed over an hour ago (no diff runs
/// that long; a process of that number in another PID namespace, such as a
/// container sharing `/dev/shm`, is not visible here), and no process of
/// that number exists. Where there is no `/proc` to ask, nothing is removed.
#[cfg(unix)]
fn remove_abandoned(base: &Path) {
    use std::os::unix::fs::MetadataExt;
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let uid = std::fs::metadata("/proc/self").map_or(u32::MAX, |m| m.uid());
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(abandoned_pid) else {
            continue;
        };
        let ours = std::fs::symlink_metadata(entry.path()).is_ok_and(|m| {
            m.is_dir() && m.uid() == uid && m.modified().is_ok_and(|t| t < hour_ago)
        });
        if ours && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process number in a name [`TempDir::new_in`] makes, if it is one.
fn abandoned_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix("maskscope-base-")
        .or_else(|| name.strip_prefix("maskscope-head-"))?;
    let parts: Vec<&str> = rest.split('-').collect();
    let digits = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(digits) {
        return None;
    }
    parts[0].parse().ok()
}

#[cfg(not(unix))]
fn remove_abandoned(_base: &Path) {}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Removed, then forgotten: a signal meanwhile removes it too.
        let _ = std::fs::remove_dir_all(&self.0);
        live::forget(&self.0);
    }
}

/// The temporary folders that exist, so that SIGINT (Ctrl-C) and SIGTERM
/// remove them before the process ends (the sweep of [`remove_abandoned`]
/// stays for SIGKILL, which nothing can catch).
///
/// The signals are caught with `signal-hook`, only once a folder is made
/// (no other command changes how it ends on a signal): its iterator hands
/// them to an ordinary thread, where taking a lock and removing files is
/// safe, as it is not in a signal handler. That thread holds the lock from
/// then on, so no folder is made after, and ends the process with 128 + the
/// signal's number (130, 143), as a shell reports a process a signal ended.
mod live {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static WATCH: Once = Once::new();

    /// Make the folder `path`, readable by the user alone, and list it.
    pub(super) fn create(path: &Path) -> std::io::Result<()> {
        WATCH.call_once(watch);
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        make_private(path)?;
        live.push(path.to_owned());
        Ok(())
    }

    pub(super) fn forget(path: &Path) {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|p| p != path);
    }

    /// Mode 0700 from the start (the files in it, whatever their mode, are
    /// then out of other users' reach), whatever the umask.
    #[cfg(unix)]
    fn make_private(path: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().mode(0o700).create(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
    }

    #[cfg(not(unix))]
    fn make_private(path: &Path) -> std::io::Result<()> {
        std::fs::create_dir(path)
    }

    #[cfg(unix)]
    fn watch() {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
                for dir in live.iter() {
                    remove(dir);
                }
                std::process::exit(128 + signal);
            }
        });
    }

    #[cfg(not(unix))]
    fn watch() {}

    /// Remove `dir`, again while another thread of this process may still
    /// be writing into it (it makes no folder `dir` again: see
    /// `create_below`).
    #[cfg(unix)]
    fn remove(dir: &Path) {
        for _ in 0..100 {
            if std::fs::remove_dir_all(dir).is_ok() || std::fs::symlink_metadata(dir).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_its_own_folders_are_abandoned() {
        assert_eq!(abandoned_pid("maskscope-base-123-0-456"), Some(123));
        assert_eq!(abandoned_pid("maskscope-head-7-12-9"), Some(7));
        assert_eq!(abandoned_pid("maskscope-pr-4242"), None);
        assert_eq!(abandoned_pid("maskscope-base-123-x"), None);
        assert_eq!(abandoned_pid("maskscope-base-123-0-4-5"), None);
        assert_eq!(abandoned_pid("maskscope-base--0-4"), None);
    }
}
