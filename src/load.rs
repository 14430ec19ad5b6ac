//! Reading inputs into manifests: size budget, decoding (UTF-8, or UTF-16
//! with a byte order mark: [`crate::decode`]), which files found by a search
//! hold manifests ([`names_a_nais_api_version`]), template rendering,
//! parsing. Files are read in parallel and come back in input order, so
//! output stays deterministic.

use crate::deploy::Deployment;
use crate::discover::{Input, io_reason};
use crate::model::{self, Manifest};
use crate::source::{InputError, InputErrorKind, STDIN_NAME, SourceFile};
use crate::template::{MissingVar, Renderer};
use crate::yaml::{self, Budget};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// One input after reading: the manifests it holds, or why it could not be read.
/// Manifests in documents before a syntax error are kept; other documents
/// (Topic, ConfigMap, ...) are dropped as soon as they are parsed.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: Arc<SourceFile>,
    pub manifests: Vec<Manifest>,
    pub error: Option<InputError>,
    /// For a template: the uses of variables that had no value (see
    /// [`crate::template`]). Positions are the template's, as everywhere.
    pub missing: Vec<MissingVar>,
    /// Applications and Naisjobs under another `nais.io/` apiVersion than
    /// their kind's, which the API server rejects: not read as manifests.
    pub misversioned: Vec<model::Misversioned>,
    /// The lines of `kind: MaskinportenClient` documents: a client written
    /// directly, not made by naiserator from an Application. maskscope does
    /// not read them (whether the deploy may apply one depends on the
    /// cluster's access rules), so what they do is not known.
    pub direct_clients: Vec<u32>,
}

impl LoadedFile {
    /// The file's error, if it is of `kind`.
    pub fn error_of(&self, kind: InputErrorKind) -> Option<&InputError> {
        self.error.as_ref().filter(|e| e.kind == kind)
    }

    /// Why nothing in the file could be checked, if so: it could not be read
    /// (or is over [`MAX_FILE_BYTES`]), it is not text, or it is a template
    /// that cannot be rendered (bad syntax, a helper nais deploy does not
    /// have, a budget); a variable without a value does not stop a file. A syntax
    /// error is not in this list: the documents before it are checked, and
    /// `yaml-syntax` reports it.
    pub fn unchecked(&self) -> Option<&InputError> {
        self.error.as_ref().filter(|e| match e.kind {
            InputErrorKind::Io | InputErrorKind::Encoding | InputErrorKind::Template => true,
            InputErrorKind::Syntax => false,
        })
    }
}

/// Read every input. `cwd` anchors relative paths; `stdin` is read at most once.
/// The results are the jobs', in order: `None` for a file a search found
/// that holds no manifest.
///
/// `per_file` runs on each file as soon as it is read, in the same parallel
/// task, while its manifests still hold their raw YAML; the trees are dropped
/// right after (see [`Manifest::drop_tree`]), so memory holds the typed
/// manifests and the texts, not a tree per file. `per_file` may also take the
/// manifests out, when the caller needs nothing more of them.
///
/// A file a search found (or a deployment named) is read only inside
/// `confine` (see [`crate::confine`]); a file the user named is theirs.
/// `shown_from` is the way from the folder the command was run in to
/// `cwd`, when they differ: the files' names are shown under it.
pub fn load_all<T: Send>(
    jobs: &[Job<'_>],
    cwd: &Path,
    confine: &crate::confine::Confine,
    shown_from: Option<&Path>,
    per_file: impl Fn(&mut LoadedFile) -> T + Sync,
) -> Vec<Option<(LoadedFile, T)>> {
    let stdin = jobs
        .iter()
        .any(|j| j.input == Input::Stdin)
        .then(|| read_limited(std::io::stdin().lock()));
    jobs.par_iter()
        .map(|job| {
            let (renderer, deployment) = (job.renderer, job.deployment.clone());
            match &job.input {
                Input::Stdin => {
                    let bytes = match &stdin {
                        Some(Ok(b)) => Ok(b.clone()),
                        Some(Err(e)) => Err(e.clone()),
                        None => Ok(Vec::new()),
                    };
                    Some(load_deployed(STDIN_NAME, bytes, renderer, deployment))
                }
                Input::File(path) | Input::Found(path) => {
                    let name = match shown_from {
                        Some(from) => from.join(path).display().to_string(),
                        None => path.display().to_string(),
                    };
                    let full = match &job.input {
                        Input::Found(_) => confine.check(&cwd.join(path)),
                        // Named by the user: anywhere but a system folder
                        // (a revision's own folder may be in /dev/shm).
                        _ => confine
                            .check(&cwd.join(path))
                            .or_else(|_| crate::confine::Confine::not_system(&cwd.join(path))),
                    };
                    let bytes = full
                        .and_then(|full| std::fs::File::open(full).map_err(|e| io_reason(&e)))
                        .and_then(|f| {
                            let len = f.metadata().map_or(0, |m| m.len());
                            read_limited_sized(f, len)
                        });
                    if job.input.is_explicit() {
                        return Some(load_deployed(&name, bytes, renderer, deployment));
                    }
                    load_found(&name, bytes, renderer, deployment)
                }
            }
        })
        .map(|file| {
            let mut file = file?;
            let found = per_file(&mut file);
            file.manifests.iter_mut().for_each(Manifest::drop_tree);
            Some((file, found))
        })
        .collect()
}

/// One file to read, with the renderer of its deployment (one file deployed
/// to two clusters is two jobs).
pub struct Job<'r> {
    pub input: Input,
    pub renderer: &'r Renderer,
    pub deployment: Option<Arc<Deployment>>,
}

/// A file found by a search: read only if it holds an Application or a
/// Naisjob (it names a nais apiVersion, see [`names_a_nais_api_version`],
/// before or after rendering, and a document is one); `None` passes it
/// over. A file that cannot be read, or is too large to look at, may hold
/// one: it is returned with its error, to be reported as not checked.
fn load_found(
    name: &str,
    bytes: Result<Vec<u8>, String>,
    renderer: &Renderer,
    deployment: Option<Arc<Deployment>>,
) -> Option<LoadedFile> {
    let Ok(raw) = &bytes else {
        return Some(load_deployed(name, bytes, renderer, deployment));
    };
    // A file a deploy step or `maskscope.toml` names is sent by the deploy,
    // whatever it looks like: one that cannot be read is not passed over.
    let named = deployment.as_ref().is_some_and(|d| d.named());
    let (names_nais, template, text) = match crate::decode::decode(raw) {
        Ok(text) => (names_a_nais_api_version(&text), text.contains("{{"), true),
        // Not text: reported as such only if it looks like a manifest at all.
        Err(e) => (names_a_nais_api_version(&e.lossy), false, false),
    };
    let unreadable_named = named && !text;
    if !(names_nais || template || unreadable_named) {
        return None;
    }
    // A template's rendering holds a manifest if a document of it is one.
    // Other nais kinds (an AzureAdApplication, an Image) are passed over like
    // any other file; one that cannot be read in full may hold a manifest.
    let file = load_deployed(name, bytes, renderer, deployment);
    // A MaskinportenClient a deploy step sends is kept, to be said unknown.
    let holds = !file.manifests.is_empty()
        || !file.misversioned.is_empty()
        || ((names_nais || named) && file.error.is_some())
        || (named && !file.direct_clients.is_empty());
    holds.then_some(file)
}

/// Read at most [`MAX_FILE_BYTES`]; more is an error, not a cut-off text.
pub(crate) fn read_limited(r: impl Read) -> Result<Vec<u8>, String> {
    read_limited_sized(r, 0)
}

/// Read at most the budget. `size_hint` (the file's length, when known) sizes
/// the buffer up front: the text of every file is kept for reports, and a
/// buffer grown by doubling would keep up to twice the memory.
fn read_limited_sized(r: impl Read, size_hint: u64) -> Result<Vec<u8>, String> {
    let capacity = usize::try_from(size_hint.min(MAX_FILE_BYTES) + 1).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    r.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "larger than the budget of {} MiB per file",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    Ok(buf)
}

/// Whether a text names a nais apiVersion: some line holds an `apiVersion`
/// key (in YAML or JSON, quoted or not, in block or flow style) whose value
/// starts with `nais.io/`, as a line matching
/// `^[\s\-{\[,]*["']?apiVersion["']?\s*:\s*["']?nais\.io/` would (the
/// key may also follow `{` or `,` later on a line, as in minified JSON).
/// Both kinds read, Application (`nais.io/v1alpha1`) and Naisjob
/// (`nais.io/v1`), have one; `kafka.nais.io/v1` (a Topic) does not count.
///
/// A file found by a search is read only if this holds of its text, or of
/// its rendering when it is a template: so `package.json`, `tsconfig.json`,
/// Helm templates, GitHub workflows and vars files next to the manifests are
/// passed over without a word.
pub fn names_a_nais_api_version(text: &str) -> bool {
    const KEY: &str = "apiVersion";
    text.match_indices(KEY).any(|(at, _)| {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = text[line_start..at].trim_end_matches(['"', '\'']);
        let key_starts_an_entry = before
            .chars()
            .all(|c| c.is_whitespace() || "-{[,".contains(c))
            || before.trim_end().ends_with(['{', ','].as_slice());
        let after = text[at + KEY.len()..].trim_start_matches(['"', '\'']);
        let Some(value) = after.trim_start_matches([' ', '\t']).strip_prefix(':') else {
            return false;
        };
        let value = value
            .trim_start_matches([' ', '\t'])
            .trim_start_matches(['"', '\'']);
        key_starts_an_entry && value.starts_with("nais.io/")
    })
}

/// The `kind` of each document of a manifest's text, each once, in order:
/// read from the text as written (a template need not be YAML before it is
/// rendered), from top-level `kind:` lines, or `"kind": "..."` in JSON.
pub fn kinds_of(text: &str) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    let json = text.trim_start().starts_with(['{', '[']);
    let mut add = |k: &str| {
        let k = k.trim().trim_matches(['"', '\'']).trim();
        if !k.is_empty() && !kinds.iter().any(|x| x == k) {
            kinds.push(k.to_owned());
        }
    };
    if json {
        for (at, _) in text.match_indices("\"kind\"") {
            let rest = text[at + 6..].trim_start();
            if let Some(v) = rest.strip_prefix(':').map(str::trim_start)
                && let Some(v) = v.strip_prefix('"')
                && let Some(end) = v.find('"')
            {
                add(&v[..end]);
            }
        }
    } else {
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("kind:") {
                add(v.split(" #").next().unwrap_or(""));
            }
        }
    }
    kinds
}

/// Turn raw bytes into manifests. Never panics, whatever the bytes.
pub fn load_bytes(name: &str, bytes: Result<Vec<u8>, String>, renderer: &Renderer) -> LoadedFile {
    load_deployed(name, bytes, renderer, None)
}

/// [`load_bytes`] for one deployment of the file: its text is rendered with
/// that deployment's renderer, and the source names the deployment.
pub fn load_deployed(
    name: &str,
    bytes: Result<Vec<u8>, String>,
    renderer: &Renderer,
    deployment: Option<Arc<Deployment>>,
) -> LoadedFile {
    let fail = |text: String, kind, pos, message: String| LoadedFile {
        source: SourceFile::deployed(name, text, deployment.clone()),
        manifests: Vec::new(),
        error: Some(InputError {
            file: name.to_owned(),
            pos,
            kind,
            message,
        }),
        missing: Vec::new(),
        misversioned: Vec::new(),
        direct_clients: Vec::new(),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(message) => return fail(String::new(), InputErrorKind::Io, None, message),
    };
    let text = match crate::decode::decode(&bytes) {
        Ok(text) => text.into_owned(),
        Err(e) => return fail(e.lossy, InputErrorKind::Encoding, Some(e.pos), e.message),
    };
    let rendered = match renderer.render(name, &text) {
        Ok(r) => r,
        Err(e) => {
            // `{{` is common in YAML that is no nais manifest at all: GitHub
            // workflows (`${{ secrets.X }}`), Helm charts. Such files found by
            // a search are passed over before this (see `load_all`); a file
            // named on the command line is reported in full.
            return LoadedFile {
                source: SourceFile::deployed(name, text, deployment),
                manifests: Vec::new(),
                error: Some(e),
                missing: Vec::new(),
                misversioned: Vec::new(),
                direct_clients: Vec::new(),
            };
        }
    };
    let (documents, error, missing) = match &rendered {
        Some(r) => {
            let pos = |offset: usize| r.map.pos(offset);
            let origin = yaml::Origin {
                text: &text,
                pos: &pos,
            };
            let (d, e) = yaml::parse_rendered(&r.text, &origin, Budget::default(), model::READ);
            (d, e, r.missing.clone())
        }
        None => {
            let (d, e) = yaml::parse_stream_keeping(&text, Budget::default(), model::READ);
            (d, e, Vec::new())
        }
    };
    drop(rendered);
    let error = error.map(|e| InputError {
        file: name.to_owned(),
        pos: Some(e.pos),
        kind: InputErrorKind::Syntax,
        message: e.message,
    });
    let source = SourceFile::deployed(name, text, deployment);
    let misversioned = documents
        .iter()
        .filter_map(model::Misversioned::of)
        .collect();
    let direct_clients = documents
        .iter()
        .filter(|d| {
            d.root
                .get("kind")
                .and_then(|k| k.as_scalar())
                .is_some_and(|k| k.text == "MaskinportenClient")
        })
        .map(|d| d.root.span.start.line)
        .collect();
    let manifests = documents
        .into_iter()
        .filter_map(|d| model::manifest(&source, d))
        .map(|mut m| {
            m.attach_missing(&missing);
            m
        })
        .collect();
    LoadedFile {
        source,
        manifests,
        error,
        missing,
        misversioned,
        direct_clients,
    }
}

#[cfg(test)]
mod tests {
    use super::names_a_nais_api_version as nais;

    #[test]
    fn a_nais_api_version_in_any_style() {
        assert!(nais("apiVersion: nais.io/v1alpha1\nkind: Application\n"));
        assert!(nais("kind: Naisjob\napiVersion: \"nais.io/v1\"\n"));
        assert!(nais("---\n  apiVersion :  'nais.io/v1'\n"));
        assert!(nais("- apiVersion: nais.io/v1alpha1\n"));
        assert!(nais("{\n  \"apiVersion\": \"nais.io/v1alpha1\",\n"));
        assert!(nais(
            "{\"kind\":\"Application\",\"apiVersion\":\"nais.io/v1alpha1\"}"
        ));
        assert!(nais("{apiVersion: nais.io/v1alpha1, kind: Application}"));
    }

    #[test]
    fn not_a_nais_api_version() {
        assert!(!nais("apiVersion: kafka.nais.io/v1\nkind: Topic\n"));
        assert!(!nais("apiVersion: apps/v1\n# see nais.io/v1alpha1\n"));
        assert!(!nais("# apiVersion: nais.io/v1alpha1\n"));
        assert!(!nais("description: the apiVersion: nais.io/ is set\n"));
        assert!(!nais("apiVersion: {{ .Values.apiVersion }}\n"));
        assert!(!nais("{\"compilerOptions\": {} // nais.io/\n}"));
        assert!(!nais(""));
    }
}
