//! Reading inputs into manifests: size budget, UTF-8, byte order mark,
//! template rendering, parsing. Files are read in parallel and come back in
//! input order, so output stays deterministic.

use crate::discover::{Input, io_reason};
use crate::model::{self, Manifest};
use crate::source::{InputError, InputErrorKind, STDIN_NAME, SourceFile, pos_of_offset};
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
}

impl LoadedFile {
    /// The file's error, if it is of `kind`.
    pub fn error_of(&self, kind: InputErrorKind) -> Option<&InputError> {
        self.error.as_ref().filter(|e| e.kind == kind)
    }
}

/// Read every input. `cwd` anchors relative paths; `stdin` is read at most once.
///
/// `per_file` runs on each file as soon as it is read, in the same parallel
/// task, while its manifests still hold their raw YAML; the trees are dropped
/// right after (see [`Manifest::drop_tree`]), so memory holds the typed
/// manifests and the texts, not a tree per file. `per_file` may also take the
/// manifests out, when the caller needs nothing more of them.
pub fn load_all<T: Send>(
    inputs: &[Input],
    cwd: &Path,
    renderer: &Renderer,
    per_file: impl Fn(&mut LoadedFile) -> T + Sync,
) -> Vec<(LoadedFile, T)> {
    let stdin = inputs
        .contains(&Input::Stdin)
        .then(|| read_limited(std::io::stdin().lock()));
    inputs
        .par_iter()
        .map(|input| match input {
            Input::Stdin => {
                let bytes = match &stdin {
                    Some(Ok(b)) => Ok(b.clone()),
                    Some(Err(e)) => Err(e.clone()),
                    None => Ok(Vec::new()),
                };
                load_bytes(STDIN_NAME, bytes, renderer)
            }
            Input::File(path) => {
                let name = path.display().to_string();
                let bytes = std::fs::File::open(cwd.join(path))
                    .map_err(|e| io_reason(&e))
                    .and_then(|f| {
                        let len = f.metadata().map_or(0, |m| m.len());
                        read_limited_sized(f, len)
                    });
                load_bytes(&name, bytes, renderer)
            }
        })
        .map(|mut file| {
            let found = per_file(&mut file);
            file.manifests.iter_mut().for_each(Manifest::drop_tree);
            (file, found)
        })
        .collect()
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

/// Whether a text could hold an Application or Naisjob: both kinds have an
/// apiVersion in the `nais.io` group.
fn might_hold_manifests(text: &str) -> bool {
    text.contains("nais.io/")
}

/// Turn raw bytes into manifests. Never panics, whatever the bytes.
pub fn load_bytes(name: &str, bytes: Result<Vec<u8>, String>, renderer: &Renderer) -> LoadedFile {
    let fail = |text: String, kind, pos, message: String| LoadedFile {
        source: SourceFile::new(name, text),
        manifests: Vec::new(),
        error: Some(InputError {
            file: name.to_owned(),
            pos,
            kind,
            message,
        }),
        missing: Vec::new(),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(message) => return fail(String::new(), InputErrorKind::Io, None, message),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let pos = pos_of_offset(e.as_bytes(), at);
            return fail(
                lossy,
                InputErrorKind::Syntax,
                Some(pos),
                "not valid UTF-8 text; YAML manifests must be UTF-8".into(),
            );
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let rendered = match renderer.render(name, &text) {
        Ok(r) => r,
        Err(e) => {
            // `{{` is common in YAML that is no nais manifest at all: GitHub
            // workflows (`${{ secrets.X }}`), Helm charts. A file that never
            // mentions a nais apiVersion holds no Application or Naisjob, so
            // like any other kind it is skipped, not reported.
            let error = might_hold_manifests(&text).then_some(e);
            return LoadedFile {
                source: SourceFile::new(name, text),
                manifests: Vec::new(),
                error,
                missing: Vec::new(),
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
    let source = SourceFile::new(name, text);
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
    }
}
