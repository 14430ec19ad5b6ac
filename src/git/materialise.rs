//! Putting a revision into a folder: what the pipeline reads of it
//! (manifests, vars files, workflows, `maskscope.toml`).
//!
//! One `git ls-tree`
//! lists the files; a file whose content is the other side's (the working
//! tree's copy, when `git hash-object --no-filters` finds it byte for byte
//! the blob, or the other revision's blob) is a symbolic link to it (a
//! folder of the working tree that holds exactly the revision's files,
//! unchanged, is one link), and the rest are written from the repository's
//! objects, streamed by one `git cat-file --batch`. The rest of maskscope
//! then reads that folder as it reads a working tree, and a file that is a
//! link is known to read as the other side's ([`Written::is_same`]).
//!
//! A workflow is never a link of its own: GitHub reads them as plain files
//! only, and so does [`crate::deploy`] (a whole `.github/workflows` folder
//! may be one, through which they are plain files). Submodules (tree entries of mode 160000) and
//! symbolic links in the revision are not followed, nor, in the working
//! tree, a symbolic link to a folder; a file kept in Git LFS is its pointer
//! text, which holds no manifest. A working-tree copy that is not the
//! blob's bytes (changed, or made other by assume-unchanged, skip-worktree,
//! a `filter`, `ident` or `working-tree-encoding` attribute, or line-end
//! conversion) is never taken: the file is written from its blob.

use super::temp::PATH_MAX;
use super::{Repo, Revision, git, run};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::Stdio;

impl Repo {
    /// The files of `rev` that maskscope reads, with their blobs, and the
    /// paths that are symbolic links in it.
    fn listing(&self, rev: &Revision) -> Result<(Vec<Listed>, HashSet<String>), String> {
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
        let mut files = Vec::new();
        let mut links = HashSet::new();
        for record in out.stdout.split(|&b| b == 0) {
            // `<mode> <kind> <oid>\t<path>`: the path as bytes, which need
            // not be UTF-8.
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let (Ok(meta), raw) = (std::str::from_utf8(&record[..tab]), &record[tab + 1..]) else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind), Some(oid)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            let path = String::from_utf8_lossy(raw).into_owned();
            if kind == "blob" && mode == "120000" {
                links.insert(path);
                continue;
            }
            if kind == "blob" && (mode == "100644" || mode == "100755") && read_by_maskscope(&path)
            {
                files.push(Listed {
                    utf8: std::str::from_utf8(raw).is_ok(),
                    raw: path_of_bytes(raw),
                    path,
                    oid: oid.to_owned(),
                });
            }
        }
        Ok((files, links))
    }

    /// The files of `listing` whose working-tree copy is not byte for byte
    /// the revision's blob (changed, missing, not a plain file, or under a
    /// folder that is a link), by hashing each copy with
    /// `git hash-object --no-filters`.
    ///
    /// Not `git diff`: to compare a copy whose stat information is not the
    /// index's, it runs the `clean` filter (or `process`) of the file's
    /// `filter` attribute, a command the repository's settings name, under
    /// a name its `.gitattributes` choose, which no `-c filter.NAME.clean=`
    /// could know beforehand; and it compares what the filters make of the
    /// copy, not what maskscope would read. Bytes hashed as they are run
    /// nothing and need no exceptions: a copy that assume-unchanged,
    /// skip-worktree, a checkout filter (Git LFS, git-crypt), `ident`,
    /// `working-tree-encoding` or line-end conversion made other than its
    /// blob is simply changed, and written from the blob.
    fn changed_in_work_tree(&self, listing: &[Listed]) -> Result<HashSet<PathBuf>, String> {
        let mut plain = PlainFiles::new(&self.root);
        let (present, absent): (Vec<&Listed>, Vec<&Listed>) =
            listing.iter().partition(|l| plain.is_plain(&l.raw));
        let mut changed: HashSet<PathBuf> = absent.iter().map(|l| l.raw.clone()).collect();
        if present.is_empty() {
            return Ok(changed);
        }
        let mut child = git(&self.root)
            .args(["hash-object", "--no-filters", "--stdin-paths"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git hash-object: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let mut input: Vec<u8> = Vec::new();
        for l in &present {
            quote_path(&bytes_of_path(&l.raw), &mut input);
            input.push(b'\n');
        }
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut out = String::new();
        let read = child
            .stdout
            .take()
            .expect("piped stdout")
            .read_to_string(&mut out);
        let _ = writer.join();
        let status = child.wait();
        let hashes: Vec<&str> = out.lines().collect();
        if read.is_err() || !status.is_ok_and(|s| s.success()) || hashes.len() != present.len() {
            // A file removed or replaced meanwhile: none is taken from the
            // working tree, all are written from their blobs.
            changed.extend(present.iter().map(|l| l.raw.clone()));
            return Ok(changed);
        }
        changed.extend(
            present
                .iter()
                .zip(hashes)
                .filter(|(l, hash)| l.oid != *hash)
                .map(|(l, _)| l.raw.clone()),
        );
        Ok(changed)
    }

    /// Put the files of `rev` that maskscope reads into `into`. A file whose
    /// content is `like`'s is a symbolic link to `like`'s file; the others
    /// are written from the repository's objects.
    pub fn materialise(
        &self,
        rev: &Revision,
        into: &Path,
        like: Like<'_>,
    ) -> Result<Written, String> {
        let (listing, links) = self.listing(rev)?;
        let changed = match like {
            Like::WorkTree => self.changed_in_work_tree(&listing)?,
            Like::Written(_) => HashSet::new(),
        };
        let mut written = Written {
            dir: into.to_owned(),
            same_in: match like {
                Like::WorkTree => Some(self.root.clone()),
                Like::Written(_) => None,
            },
            blobs: HashMap::new(),
            same: HashSet::new(),
            linked: HashSet::new(),
            links,
        };
        let linkable = match like {
            Like::WorkTree => self.linkable_folders(&listing, &changed),
            Like::Written(other) if other.same_in.as_deref() == Some(self.root.as_path()) => {
                folders_like(&listing, other)
            }
            Like::Written(_) => HashSet::new(),
        };
        let mut folders: HashSet<PathBuf> = HashSet::new();
        let mut linked_folders: HashSet<&str> = HashSet::new();
        let mut unlinkable: HashSet<&str> = HashSet::new();
        let mut wanted: Vec<(String, PathBuf)> = Vec::new();
        for Listed { path, raw, oid, .. } in &listing {
            let full = into.join(raw);
            if full.as_os_str().len() >= PATH_MAX {
                return Err(format!(
                    "cannot write {}: its path is {} bytes long, and this system opens none of {PATH_MAX} or more",
                    full.display(),
                    full.as_os_str().len()
                ));
            }
            // In a folder that is a link as a whole: nothing to do but make
            // that link, once.
            if let Some(folder) = folders_of(path).find(|f| linkable.contains(*f))
                && !unlinkable.contains(folder)
            {
                let made = linked_folders.contains(folder) || {
                    // Where a link cannot be made (no symbolic links
                    // here), the folder's files are taken one by one.
                    let made = self.link_folder(folder, into).is_ok();
                    if made {
                        linked_folders.insert(folder);
                        written.linked.insert(folder.to_owned());
                    } else {
                        unlinkable.insert(folder);
                    }
                    made
                };
                if made {
                    written.same.insert(raw.clone());
                    written.blobs.insert(raw.clone(), oid.clone());
                    continue;
                }
            }
            let Some(target) = safe_join(into, raw) else {
                continue;
            };
            if let Some(dir) = target.parent()
                && !folders.contains(dir)
            {
                create_below(into, dir)
                    .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
                folders.insert(dir.to_owned());
            }
            let same_as = match like {
                // Workflows are read only as plain files, as GitHub reads
                // them: never a link of their own.
                _ if path.starts_with(".github/") => None,
                Like::WorkTree => (!changed.contains(raw)).then(|| self.root.join(raw)),
                // Straight to the file the other's link points to, if it
                // is one: one link to follow, not two. By the name as the
                // file system has it: two names that are not UTF-8 may read
                // alike.
                Like::Written(other) => {
                    (other.blobs.get(raw) == Some(oid)).then(|| match &other.same_in {
                        Some(root) if other.same.contains(raw) => root.join(raw),
                        _ => other.dir.join(raw),
                    })
                }
            };
            if same_as.is_some_and(|from| link(&from, &target).is_ok()) {
                written.same.insert(raw.clone());
            } else {
                wanted.push((oid.clone(), target));
            }
            written.blobs.insert(raw.clone(), oid.clone());
        }
        write_blobs(&self.root, &wanted)?;
        Ok(written)
    }
}

impl Repo {
    /// The folders of the working tree that can stand for the revision's
    /// whole: every entry in one is a file the revision lists, unchanged
    /// (not in `changed`), or a folder that can; there is nothing else in it
    /// (no file the revision does not list, whatever its name, no link), and
    /// nothing the revision lists is missing. Through a link to such a
    /// folder, maskscope sees what it would see in the revision's.
    fn linkable_folders<'a>(
        &self,
        listing: &'a [Listed],
        changed: &HashSet<PathBuf>,
    ) -> HashSet<&'a str> {
        // A link into a system folder is not followed by discovery.
        if crate::discover::SYSTEM_FOLDERS
            .iter()
            .any(|s| self.root.starts_with(s))
        {
            return HashSet::new();
        }
        let mut files: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut subfolders: HashMap<&str, HashSet<&str>> = HashMap::new();
        // A folder holding a name that is not UTF-8 is never linked: its
        // name here is not the file system's.
        let mut not_utf8: HashSet<&str> = HashSet::new();
        for Listed { path, utf8, .. } in listing {
            if !utf8 {
                not_utf8.extend(folders_of(path));
            }
            let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
            files.entry(folder).or_default().insert(name);
            let mut child = folder;
            while let Some((parent, name)) = child.rsplit_once('/') {
                subfolders.entry(parent).or_default().insert(name);
                child = parent;
            }
            if !child.is_empty() {
                subfolders.entry("").or_default().insert(child);
            }
        }
        let mut all: Vec<&str> = files
            .keys()
            .chain(subfolders.keys())
            .copied()
            .filter(|f| !f.is_empty())
            .collect();
        // Innermost first: a folder is decided after those in it.
        let depth = |f: &str| f.matches('/').count();
        all.sort_by(|a, b| depth(b).cmp(&depth(a)).then(a.cmp(b)));
        all.dedup();
        let mut linkable: HashSet<&str> = HashSet::new();
        for folder in all {
            if not_utf8.contains(folder) {
                continue;
            }
            let listed = files.get(folder);
            let under = subfolders.get(folder);
            let Ok(entries) = std::fs::read_dir(self.root.join(folder)) else {
                continue;
            };
            let (mut seen_files, mut seen_folders) = (0, 0);
            let mut whole = true;
            for entry in entries {
                let Ok(entry) = entry else {
                    whole = false;
                    break;
                };
                let name = entry.file_name();
                let (Some(name), Ok(kind)) = (name.to_str(), entry.file_type()) else {
                    whole = false;
                    break;
                };
                let ok = if kind.is_file() {
                    seen_files += 1;
                    listed.is_some_and(|l| l.contains(name))
                        && !changed.contains(Path::new(&format!("{folder}/{name}")))
                } else if kind.is_dir() {
                    seen_folders += 1;
                    under.is_some_and(|u| u.contains(name))
                        && linkable.contains(format!("{folder}/{name}").as_str())
                } else {
                    false
                };
                if !ok {
                    whole = false;
                    break;
                }
            }
            if whole
                && seen_files == listed.map_or(0, HashSet::len)
                && seen_folders == under.map_or(0, HashSet::len)
            {
                linkable.insert(folder);
            }
        }
        linkable
    }
}

impl Repo {
    /// `into/folder` as a link to the working tree's `folder`.
    fn link_folder(&self, folder: &str, into: &Path) -> std::io::Result<()> {
        let target = safe_join(into, Path::new(folder)).ok_or(std::io::ErrorKind::InvalidInput)?;
        if let Some(dir) = target.parent() {
            create_below(into, dir)?;
        }
        link(&self.root.join(folder), &target)
    }
}

/// The folders of `listing` that can be links to the working tree's because
/// `other` has them as such, with the same files: inside a folder `other`
/// linked as a whole (which holds nothing but its files), and holding the
/// same files with the same blobs as `other` there.
fn folders_like<'a>(listing: &'a [Listed], other: &Written) -> HashSet<&'a str> {
    if other.linked.is_empty() {
        return HashSet::new();
    }
    // A name that is not UTF-8 is in no folder `other` linked as a whole.
    let mut theirs: HashMap<&str, usize> = HashMap::new();
    for path in other.blobs.keys().filter_map(|p| p.to_str()) {
        for f in folders_of(path) {
            *theirs.entry(f).or_default() += 1;
        }
    }
    // Per folder: files here, and whether each has `other`'s blob.
    let mut ours: HashMap<&'a str, (usize, bool)> = HashMap::new();
    for l in listing {
        let same = l.utf8 && other.blobs.get(&l.raw) == Some(&l.oid);
        for f in folders_of(&l.path) {
            let e = ours.entry(f).or_insert((0, true));
            e.0 += 1;
            e.1 &= same;
        }
    }
    ours.into_iter()
        .filter(|&(f, (count, same))| {
            same && theirs.get(f) == Some(&count)
                && (other.linked.contains(f) || folders_of(f).any(|up| other.linked.contains(up)))
        })
        .map(|(f, _)| f)
        .collect()
}

/// The folders a path is in, outermost first (`a`, `a/b` for `a/b/c.yaml`).
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// A file of a revision that maskscope reads.
struct Listed {
    /// As maskscope names it (a name that is not UTF-8 made readable).
    path: String,
    /// As the file system names it.
    raw: PathBuf,
    utf8: bool,
    oid: String,
}

#[cfg(unix)]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(unix)]
fn bytes_of_path(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn bytes_of_path(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

/// What [`Repo::materialise`] can take a file from instead of writing it.
#[derive(Clone, Copy)]
pub enum Like<'a> {
    /// The working tree: the files whose copy there is byte for byte the blob.
    WorkTree,
    /// Another revision already put into a folder: the files with the same blob.
    Written(&'a Written),
}

/// A revision put into a folder.
#[derive(Debug)]
pub struct Written {
    dir: PathBuf,
    /// Where the links of [`Written::same`] point (the working tree), when
    /// they are links to it.
    same_in: Option<PathBuf>,
    /// Each file's blob, by its name as the file system has it.
    blobs: HashMap<PathBuf, String>,
    /// The files whose content is what the [`Like`] given had.
    same: HashSet<PathBuf>,
    /// The folders that are one link to the working tree's, as a whole.
    linked: HashSet<String>,
    /// The revision's symbolic links (not written: see the module's doc).
    links: HashSet<String>,
}

impl Written {
    /// Whether `path` (relative to the revision's root, `/`-separated) is,
    /// or is under, a symbolic link of the revision: the deploy reads what
    /// it points to, which is not in the folder.
    pub fn through_link(&self, path: &str) -> bool {
        let mut at = String::new();
        path.split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .any(|part| {
                if !at.is_empty() {
                    at.push('/');
                }
                at.push_str(part);
                self.links.contains(&at)
            })
    }

    /// Whether the file at `path` (relative to the folder, as the file
    /// system names it) has the content the [`Like`] given had.
    pub fn is_same(&self, path: &Path) -> bool {
        let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
        for c in path.components() {
            match c {
                Component::Normal(p) => parts.push(p),
                Component::CurDir => {}
                Component::ParentDir if parts.pop().is_some() => {}
                _ => return false,
            }
        }
        self.same.contains(&parts.iter().collect::<PathBuf>())
    }
}

/// Which paths of the working tree are plain files reached through real
/// folders: as git, a file beyond a symbolic link to a folder is none of
/// the working tree's. Each folder is asked once.
struct PlainFiles<'a> {
    root: &'a Path,
    folders: HashMap<PathBuf, bool>,
}

impl<'a> PlainFiles<'a> {
    fn new(root: &'a Path) -> Self {
        PlainFiles {
            root,
            folders: HashMap::new(),
        }
    }

    fn is_plain(&mut self, raw: &Path) -> bool {
        let mut folder = PathBuf::new();
        if let Some(parent) = raw.parent() {
            for c in parent.components() {
                folder.push(c);
                let root = self.root;
                let real = *self.folders.entry(folder.clone()).or_insert_with(|| {
                    std::fs::symlink_metadata(root.join(&folder)).is_ok_and(|m| m.is_dir())
                });
                if !real {
                    return false;
                }
            }
        }
        std::fs::symlink_metadata(self.root.join(raw)).is_ok_and(|m| m.is_file())
    }
}

/// `path` as `git hash-object --stdin-paths` reads a line: in C quotes,
/// with every byte that is not printable ASCII, `"` or `\\` escaped (a line
/// break, or a carriage return git would take for one, stays in the name).
fn quote_path(path: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in path {
        match b {
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out.push(b'"');
}

/// Create `dir` and the folders up to it, inside `into`, but never `into`
/// itself: once it is removed (on a signal, see [`TempDir`]), nothing is to
/// make it again.
fn create_below(into: &Path, dir: &Path) -> std::io::Result<()> {
    let Ok(rel) = dir.strip_prefix(into) else {
        return Err(std::io::ErrorKind::InvalidInput.into());
    };
    let mut at = into.to_path_buf();
    for c in rel.components() {
        at.push(c);
        match std::fs::create_dir(&at) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() => {}
            other => other?,
        }
    }
    Ok(())
}

/// A symbolic link costs one call where a copy costs three and the content,
/// and maskscope reads through it as through the file (see
/// [`crate::discover`]). Where there are none, the file is written.
#[cfg(unix)]
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(from, to)
}

#[cfg(not(unix))]
fn link(_from: &Path, _to: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The files maskscope reads: YAML and JSON (manifests, vars files,
/// workflows) and `maskscope.toml`.
pub fn read_by_maskscope(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".json")
        || lower == "maskscope.toml"
        || lower.ends_with("/maskscope.toml")
}

/// `root/path`, if every part of `path` is a plain name.
fn safe_join(root: &Path, path: &Path) -> Option<PathBuf> {
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(path))
}

/// Stream the blobs through one `git cat-file --batch` and write each (its
/// folder exists).
fn write_blobs(root: &Path, wanted: &[(String, PathBuf)]) -> Result<(), String> {
    if wanted.is_empty() {
        return Ok(());
    }
    let ids: String = wanted.iter().map(|(oid, _)| format!("{oid}\n")).collect();
    let (mut child, writer, mut reader) = super::batch(root, "--batch", ids)?;
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
            result = Err(if header.trim_end().ends_with(" missing") {
                // A partial clone: maskscope fetches nothing (see NEUTRAL).
                format!(
                    "object {oid} is not in this clone (a partial clone?), and maskscope does not fetch: fetch the revisions' files first (`git fetch --refetch`, or check out without a `filter`)"
                )
            } else {
                format!("git cat-file cannot read object {oid}: {}", header.trim())
            });
            break;
        };
        // Streamed, not held: a revision's large JSON file costs no memory.
        let copied = std::fs::File::create(target)
            .and_then(|mut file| std::io::copy(&mut (&mut reader).take(size as u64), &mut file));
        match copied {
            Ok(n) if n == size as u64 => {}
            Ok(_) => {
                result = Err(format!("git cat-file stopped early, in object {oid}"));
                break;
            }
            Err(e) => {
                result = Err(format!("cannot write {}: {e}", target.display()));
                break;
            }
        }
        // The line break after each object.
        let mut end = [0u8; 1];
        if reader.read_exact(&mut end).is_err() {
            result = Err(format!("git cat-file stopped early, after object {oid}"));
            break;
        }
    }
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    result
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
    fn paths_are_quoted_as_git_unquotes_them() {
        let mut out = Vec::new();
        quote_path(b"a \"b\"\\c\n\r\xff.yaml", &mut out);
        assert_eq!(out, br#""a \"b\"\\c\012\015\377.yaml""#);
    }

    #[test]
    fn paths_stay_inside() {
        let root = Path::new("/r");
        assert_eq!(
            safe_join(root, Path::new("a/b.yaml")),
            Some(PathBuf::from("/r/a/b.yaml"))
        );
        assert_eq!(safe_join(root, Path::new("../x.yaml")), None);
        assert_eq!(safe_join(root, Path::new("/etc/x.yaml")), None);
    }
}
