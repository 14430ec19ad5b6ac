//! Files a repository names stay inside it.
//!
//! A pull request decides what maskscope reads: manifests found by a
//! search, the files a workflow's deploy step names (RESOURCE, VARS), the
//! workflows themselves, a `maskscope.toml`. Any of them may be a symbolic
//! link, and a link may point anywhere: at a credentials file, at
//! `/proc/self/environ`, whose text a template would then print into a
//! scope name, an error message or a pull-request comment. So a file the
//! repository names is read only when, after every link is followed, it
//! lies inside one of the [`Confine`]'s roots (the repository's folder,
//! and folders the user named on the command line), and never in
//! [`SYSTEM_FOLDERS`]. A file the user names on the command line is theirs
//! to choose and is not checked.
//!
//! The check resolves the path once ([`std::fs::canonicalize`]) and the
//! caller opens what it resolved to, so a link swapped in between is not
//! followed either.

use std::path::{Path, PathBuf};

/// Folders whose entries are no files a repository keeps: never opened.
pub const SYSTEM_FOLDERS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// The folders a repository's files must resolve inside.
#[derive(Debug, Clone, Default)]
pub struct Confine {
    roots: Vec<PathBuf>,
}

impl Confine {
    /// Inside `root` (as it is after following links).
    pub fn new(root: &Path) -> Confine {
        Confine::default().and(root)
    }

    /// Inside `root` too. `maskscope diff` reads a revision from a folder
    /// of its own whose unchanged files are links into the working tree:
    /// both are the repository.
    pub fn and(mut self, root: &Path) -> Confine {
        let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        if !self.roots.contains(&real) {
            self.roots.push(real);
        }
        self
    }

    /// Inside the folders the user named as well (relative to `cwd`): a
    /// folder named on the command line is theirs to choose.
    pub fn and_named(self, paths: &[String], cwd: &Path) -> Confine {
        paths
            .iter()
            .map(|p| cwd.join(p))
            .filter(|p| p.is_dir())
            .fold(self, |c, p| c.and(&p))
    }

    /// `path` with every link followed, when that lies inside a root and
    /// outside the system folders; else why it is not read. A path that
    /// does not exist is given back as it is: opening it says so.
    pub fn check(&self, path: &Path) -> Result<PathBuf, String> {
        let real = match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => return Ok(path.to_owned()),
        };
        let in_system = |p: &Path| SYSTEM_FOLDERS.iter().any(|s| p.starts_with(s));
        // A root in a system folder (a revision's folder in /dev/shm) holds
        // what it holds; a root above one (`/`) does not vouch for it.
        let inside = self
            .roots
            .iter()
            .any(|r| real.starts_with(r) && (!in_system(&real) || in_system(r)));
        if inside {
            Ok(real)
        } else if in_system(&real) {
            Err(format!(
                "a symbolic link into {}, which is not read",
                real.display()
            ))
        } else {
            Err("a symbolic link to outside the repository, which is not read".to_owned())
        }
    }

    /// `path` with every link followed, unless that is in a system folder:
    /// for a file the user names, which may be anywhere else.
    pub fn not_system(path: &Path) -> Result<PathBuf, String> {
        match std::fs::canonicalize(path) {
            Ok(real) if SYSTEM_FOLDERS.iter().any(|s| real.starts_with(s)) => Err(format!(
                "a symbolic link into {}, which is not read",
                real.display()
            )),
            Ok(real) => Ok(real),
            Err(_) => Ok(path.to_owned()),
        }
    }

    /// Whether `path`, with every link followed, lies inside (see [`check`](Confine::check)).
    pub fn admits(&self, path: &Path) -> bool {
        self.check(path).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_and_into_system_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("sub")).unwrap();
        std::fs::write(dir.path().join("secret"), "x").unwrap();
        std::fs::write(repo.join("sub/in.yaml"), "x").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, repo.join(name)).unwrap();
            repo.join(name)
        };
        let confine = Confine::new(&repo);
        let out = link(&dir.path().join("secret"), "out.yaml");
        let environ = link(Path::new("/proc/self/environ"), "env.yaml");
        let inside = link(&repo.join("sub/in.yaml"), "in.yaml");
        let chain = link(&out, "chain.yaml");
        assert!(confine.check(&out).unwrap_err().contains("outside"));
        assert!(confine.check(&environ).unwrap_err().contains("/proc"));
        assert!(confine.check(&chain).is_err());
        assert_eq!(
            confine.check(&inside).unwrap(),
            std::fs::canonicalize(repo.join("sub/in.yaml")).unwrap()
        );
        assert!(confine.clone().and(dir.path()).admits(&out));
        assert!(!confine.and(Path::new("/")).admits(&environ));
        assert!(Confine::new(Path::new("/proc/self")).admits(Path::new("/proc/self/environ")));
    }
}
