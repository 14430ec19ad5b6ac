//! Where called workflows of other repositories come from, in this order: a
//! local clone named in `maskscope.toml` (`[workflows]`), the cache, then
//! the GitHub API (docs/deployments.md, "Workflows of other repositories").
//!
//! A fetched workflow is the input of whoever controls that repository:
//! fetched under a timeout, a size cap and a number of fetches a run, and
//! read by [`super::workflow`] with the same budgets as the repository's
//! own. Each failure is a reason the reader turns into a warning.

use super::remote::{Address, Origin, Supplied, Supply};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

/// Largest workflow fetched or read, in bytes.
const MAX_BYTES: u64 = 1024 * 1024;
/// Most fetches in one run.
pub const MAX_FETCHES: usize = 20;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Whether maskscope may fetch: `--online`, `--offline`, else only when a
/// token is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Network {
    #[default]
    WithToken,
    Online,
    Offline,
}

static MODE: OnceLock<Network> = OnceLock::new();

/// Set once, from the command line.
pub fn set_network(mode: Network) {
    let _ = MODE.set(mode);
}

/// The fetching side, shared by every reading in the run: what was fetched
/// (a branch's workflow is fetched once a run) and how many fetches.
struct Fetcher {
    fetch: bool,
    api: String,
    token: Option<String>,
    cache: Option<PathBuf>,
    fetches: AtomicUsize,
    seen: Mutex<HashMap<String, Result<Supplied, String>>>,
}

fn fetcher() -> &'static Fetcher {
    static FETCHER: OnceLock<Fetcher> = OnceLock::new();
    FETCHER.get_or_init(|| {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let token = var("GITHUB_TOKEN").or_else(|| var("GH_TOKEN"));
        let fetch = match MODE.get().copied().unwrap_or_default() {
            Network::Online => true,
            Network::Offline => false,
            Network::WithToken => token.is_some(),
        };
        let cache = var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| Path::new(&h).join(".cache")))
            .map(|c| c.join("maskscope/workflows"));
        Fetcher {
            fetch,
            api: var("GITHUB_API_URL")
                .unwrap_or_else(|| "https://api.github.com".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            token,
            cache,
            fetches: AtomicUsize::new(0),
            seen: Mutex::new(HashMap::new()),
        }
    })
}

static REVISIONS: OnceLock<(PathBuf, Vec<PathBuf>)> = OnceLock::new();

/// The folders `maskscope diff` writes revisions of the repository at
/// `root` into: `[workflows]` paths of their configurations are relative to
/// `root`.
pub fn set_revisions(root: &Path, dirs: Vec<PathBuf>) {
    let _ = REVISIONS.set((root.to_owned(), dirs));
}

/// Local clones (`[workflows]`: `owner/repo` to a folder), then the
/// cache and the API.
pub struct Sources {
    copies: Vec<(String, PathBuf)>,
    /// The folder the clones are named relative to, and whether the
    /// configuration is the operator's (`--config`): one the repository
    /// holds may name a clone only inside the repository, as it names
    /// every other file it has read (see [`crate::confine`]).
    base: PathBuf,
    trusted: bool,
}

impl Sources {
    /// `copies` as `maskscope.toml` names them, relative to `base` (the
    /// folder of the file).
    pub fn new(copies: &[(String, String)], base: &Path, trusted: bool) -> Sources {
        // A revision's maskscope.toml is read in the folder the revision is
        // written to: its clones are beside the repository, not the folder.
        let base = match REVISIONS.get() {
            Some((root, dirs)) if dirs.iter().any(|d| d == base) => root.as_path(),
            _ => base,
        };
        Sources {
            copies: copies
                .iter()
                .map(|(repo, dir)| (repo.to_ascii_lowercase(), base.join(dir)))
                .collect(),
            base: base.to_owned(),
            trusted,
        }
    }
}

impl Supply for Sources {
    fn supply(&self, address: &Address) -> Result<Supplied, String> {
        let repo = address.repo.to_ascii_lowercase();
        if let Some((_, dir)) = self.copies.iter().find(|(r, _)| *r == repo) {
            if !self.trusted && !crate::confine::Confine::new(&self.base).admits(dir) {
                return Err(format!(
                    "not read from the local copy {}: the repository's maskscope.toml names a folder outside the repository, which maskscope reads only from a configuration given with --config",
                    dir.display()
                ));
            }
            return local(dir, address);
        }
        let f = fetcher();
        let key = address.to_string().to_ascii_lowercase();
        if let Some(done) = f.seen.lock().unwrap().get(&key) {
            return done.clone();
        }
        let got = remote(f, address);
        f.seen.lock().unwrap().insert(key, got.clone());
        got
    }
}

/// The file at the ref in a clone, else the working tree's with a note.
fn local(dir: &Path, address: &Address) -> Result<Supplied, String> {
    let shown = dir.display();
    // The folder is named by maskscope.toml, which may be the pull
    // request's: never one of the system's.
    let dir = &crate::confine::Confine::not_system(dir)
        .map_err(|why| format!("not read from the local copy {shown}: {why}"))?;
    for reference in [
        address.reference.clone(),
        format!("origin/{}", address.reference),
    ] {
        if let Some(bytes) = crate::git::blob_at(dir, &reference, &address.path) {
            return text(bytes).map(|text| Supplied {
                text,
                origin: Origin::Local,
                note: None,
            });
        }
    }
    let file = dir.join(&address.path);
    let meta = std::fs::symlink_metadata(&file)
        .map_err(|_| format!("not in the local copy {shown}, at its ref or in its files"))?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(format!(
            "not a plain file of at most 1 MiB in the local copy {shown}"
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("unreadable in {shown}: {e}"))?;
    Ok(Supplied {
        text: text(bytes)?,
        origin: Origin::Local,
        note: Some(format!(
            "the local copy {shown} has no {}: its working tree's file is read",
            address.reference
        )),
    })
}

fn text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

/// The cache's file for a workflow: every part of the address is plain
/// (see [`Address::parse`]); a `/` in the ref is `%2F`, which no ref holds.
fn cache_file(cache: &Path, address: &Address) -> PathBuf {
    cache
        .join(address.repo.to_ascii_lowercase())
        .join(address.reference.replace('/', "%2F"))
        .join(&address.path)
}

fn read_cache(file: &Path) -> Option<(String, Duration)> {
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let age = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .unwrap_or_default();
    Some((String::from_utf8(std::fs::read(file).ok()?).ok()?, age))
}

fn write_cache(file: &Path, text: &str) {
    let Some(parent) = file.parent() else { return };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    // Written whole, then renamed: a reader never sees half a file.
    let tmp = parent.join(format!(".{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// How long ago, in words.
fn age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..120 => format!("{s} seconds"),
        120..7200 => format!("{} minutes", s / 60),
        7200..172_800 => format!("{} hours", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}

/// The cache, then the API.
fn remote(f: &Fetcher, address: &Address) -> Result<Supplied, String> {
    let file = f.cache.as_ref().map(|c| cache_file(c, address));
    let cached = file.as_deref().and_then(read_cache);
    // A commit's file never changes.
    if address.pinned()
        && let Some((text, _)) = &cached
    {
        return Ok(Supplied {
            text: text.clone(),
            origin: Origin::Cached,
            note: None,
        });
    }
    let failed = if f.fetch {
        match fetch(f, address) {
            Ok(text) => {
                if let Some(file) = &file {
                    write_cache(file, &text);
                }
                return Ok(Supplied {
                    text,
                    origin: Origin::Fetched,
                    note: None,
                });
            }
            Err(why) => why,
        }
    } else {
        "not fetched (offline: no GITHUB_TOKEN or GH_TOKEN, or --offline)".to_owned()
    };
    match cached {
        Some((text, old)) => Ok(Supplied {
            text,
            origin: Origin::Cached,
            note: Some(format!(
                "{failed}; the copy cached {} ago is read, which may be out of date",
                age(old)
            )),
        }),
        None => Err(failed),
    }
}

/// `GET {GITHUB_API_URL}/repos/OWNER/REPO/contents/PATH?ref=REF`, raw.
fn fetch(f: &Fetcher, address: &Address) -> Result<String, String> {
    if f.fetches.fetch_add(1, Ordering::SeqCst) >= MAX_FETCHES {
        return Err(format!(
            "not fetched: maskscope fetches at most {MAX_FETCHES} workflows a run"
        ));
    }
    let url = format!(
        "{}/repos/{}/contents/{}?ref={}",
        f.api, address.repo, address.path, address.reference
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(REQUEST_TIMEOUT))
        // The API answers the file itself; a redirect is refused rather
        // than followed with the token to wherever it points.
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("maskscope/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent
        .get(&url)
        .header("Accept", "application/vnd.github.raw+json")
        .header("X-GitHub-Api-Version", "2022-11-28");
    if let Some(token) = &f.token
        && sends_token(&f.api)
    {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let failed = |why: String| format!("not fetched from {} ({why})", f.api);
    let mut response = request.call().map_err(|e| failed(e.to_string()))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(failed(format!("the API answered {status}")));
    }
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(failed("the answer is over 1 MiB".to_owned()));
    }
    text(bytes).map_err(failed)
}

/// A token goes over HTTPS only, or to this machine.
fn sends_token(api: &str) -> bool {
    if api.starts_with("https://") {
        return true;
    }
    let Some(rest) = api.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix("[::1]") {
        Some(_) => "[::1]",
        None => authority.split(':').next().unwrap_or(""),
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}
