//! Reading legacy scope registrations (`--iac FILE`): YAML or JSON, either a list
//! of registrations or an object with a `scopes` list, with the field names of
//! DigDir's scope API so that an export of that API reads as it is.
//!
//! Files are read with `serde-saphyr` into typed structs (its budgets bound what
//! a hostile file can cost), keeping the line of every registration and
//! description so that errors and findings point into the file.

use crate::discover::io_reason;
use crate::load::read_limited;
use crate::source::{InputError, InputErrorKind, STDIN_NAME, SourceFile, pos_of_offset};
use crate::yaml::{Pos, Span};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, MessageFormatter, Spanned};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A value read from the IaC file with where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// One consumer in a registration's ACL.
#[derive(Debug, Clone, PartialEq)]
pub struct IacConsumer {
    pub orgno: String,
    /// `APPROVED`, `REQUESTED`, `DENIED`, ... as given (upper case); `None` when a bare orgno.
    pub state: Option<String>,
    pub span: Span,
}

impl IacConsumer {
    /// Whether the consumer has access today: every state but `DENIED`.
    pub fn has_access(&self) -> bool {
        self.state.as_deref() != Some("DENIED")
    }
}

/// One legacy scope registration.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    /// The IaC file, for locating findings in it.
    pub source: Arc<SourceFile>,
    /// Where the registration starts.
    pub span: Span,
    pub prefix: String,
    pub subscope: String,
    pub description: Located<String>,
    pub active: bool,
    pub at_max_age: Option<i64>,
    pub allowed_integration_types: Option<Vec<String>>,
    pub accessible_for_all: Option<bool>,
    /// Lower case: `public` or `private`.
    pub visibility: Option<String>,
    pub delegation_source: Option<String>,
    /// Upper case, e.g. `SELF_CONTAINED`.
    pub token_type: Option<String>,
    pub requires_user_consent: Option<bool>,
    pub requires_pseudonymous_tokens: Option<bool>,
    pub requires_user_authentication: Option<bool>,
    pub consumers: Vec<IacConsumer>,
}

impl Registration {
    /// `prefix:subscope`.
    pub fn scope(&self) -> String {
        crate::naming::scope(&self.prefix, &self.subscope)
    }
}

/// Read every `--iac` argument, in order; `-` is standard input (read once).
/// A file given twice (the same file after resolving `.`, `..` and links)
/// is read once, so that its registrations are not counted twice. Every
/// file's problems are collected before failing.
pub fn load(
    args: &[String],
    cwd: &Path,
    default_prefix: &str,
) -> Result<Vec<Registration>, Vec<(InputError, Arc<SourceFile>)>> {
    let mut stdin: Option<Result<Vec<u8>, String>> = None;
    let mut all = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for arg in args {
        let path = cwd.join(arg);
        let key = if arg == "-" {
            std::path::PathBuf::from("-")
        } else {
            std::fs::canonicalize(&path).unwrap_or(path)
        };
        if !seen.insert(key) {
            continue;
        }
        let (name, bytes) = if arg == "-" {
            let bytes = stdin
                .get_or_insert_with(|| read_limited(std::io::stdin().lock()))
                .clone();
            (STDIN_NAME.to_owned(), bytes)
        } else {
            let bytes = std::fs::File::open(cwd.join(arg))
                .map_err(|e| io_reason(&e))
                .and_then(read_limited);
            (arg.clone(), bytes)
        };
        match bytes {
            Err(message) => errors.push((
                InputError {
                    file: name.clone(),
                    pos: None,
                    kind: InputErrorKind::Io,
                    message,
                },
                SourceFile::new(name, ""),
            )),
            Ok(bytes) => match read_bytes(&name, bytes, default_prefix) {
                Ok(regs) => all.extend(regs),
                Err(e) => errors.push(e),
            },
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(errors)
    }
}

/// Read registrations from raw bytes (UTF-8, an optional byte order mark).
pub fn read_bytes(
    name: &str,
    bytes: Vec<u8>,
    default_prefix: &str,
) -> Result<Vec<Registration>, (InputError, Arc<SourceFile>)> {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_owned)
                .unwrap_or(text);
            read_str(name, text, default_prefix)
        }
        Err(e) => {
            let pos = pos_of_offset(e.as_bytes(), e.utf8_error().valid_up_to());
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err((
                InputError {
                    file: name.to_owned(),
                    pos: Some(pos),
                    kind: InputErrorKind::Syntax,
                    message: "not valid UTF-8 text; registration files must be UTF-8".into(),
                },
                SourceFile::new(name, lossy),
            ))
        }
    }
}

/// Read registrations from a file's text.
pub fn read_str(
    name: &str,
    text: String,
    default_prefix: &str,
) -> Result<Vec<Registration>, (InputError, Arc<SourceFile>)> {
    let source = SourceFile::new(name, text);
    let fail = |pos: Option<Pos>, message: String| {
        (
            InputError {
                file: name.to_owned(),
                pos,
                kind: InputErrorKind::Syntax,
                message,
            },
            Arc::clone(&source),
        )
    };
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options.budget = Some(budget());
    let file: RawFile = match serde_saphyr::from_str_with_options(&source.text, options) {
        Ok(f) => f,
        Err(e) => {
            let e = e.without_snippet();
            let message: String = serde_saphyr::DefaultMessageFormatter
                .format_message(e)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            let pos = e
                .location()
                .and_then(|l| pos_of(&source.text, &l))
                .or(Some(Pos::new(0, 1, 1)));
            let message = match breach_of(e) {
                Some(breach) => breach_message(breach),
                None => match pos.and_then(|p| field_at(&source, p)) {
                    Some((key, expected)) => format!("`{key}` must be {expected} ({message})"),
                    None => message,
                },
            };
            return Err(fail(pos, message));
        }
    };
    file.0
        .into_iter()
        .map(|raw| {
            registration(&source, raw, default_prefix).map_err(|(pos, message)| fail(pos, message))
        })
        .collect()
}

/// The budget breach behind a reader error, if one is: the reader wraps it
/// when it happens while an alias is replayed.
fn breach_of(e: &serde_saphyr::Error) -> Option<&serde_saphyr::budget::BudgetBreach> {
    match e {
        serde_saphyr::Error::Budget { breach, .. } => Some(breach),
        serde_saphyr::Error::AliasError { error, .. }
        | serde_saphyr::Error::WithSnippet { error, .. } => breach_of(error),
        _ => None,
    }
}

/// A budget breach in words: which budget, its value, and what to do.
fn breach_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let b = budget();
    let n = crate::output::thousands;
    let what = match breach {
        B::Nodes { .. } => format!(
            "more than {} YAML nodes, the values of aliases counted each time they are used (the node budget)",
            n(b.max_nodes)
        ),
        B::Events { .. } => format!(
            "more than {} YAML events, aliases replayed (the event budget)",
            n(b.max_events)
        ),
        B::Depth { .. } => format!(
            "lists and mappings nested more than {} levels deep (the nesting budget)",
            b.max_depth
        ),
        B::Aliases { .. } => format!("more than {} aliases (the alias budget)", n(b.max_aliases)),
        B::Anchors { .. } => format!("more than {} anchors (the anchor budget)", n(b.max_anchors)),
        B::Documents { .. } => format!(
            "more than {} documents (the document budget)",
            n(b.max_documents)
        ),
        B::AliasAnchorRatio { .. } => format!(
            "more than {} aliases per anchor (the alias ratio budget)",
            b.alias_anchor_ratio_multiplier
        ),
        B::RecordedAnchorEvents { .. } => format!(
            "anchors whose values are copied more than {} times in all (the anchor copy budget)",
            n(b.max_recorded_anchor_events)
        ),
        B::RecordedAnchorBytes { .. } => format!(
            "anchors whose values copy more than {} bytes in all (the anchor size budget)",
            n(b.max_recorded_anchor_bytes)
        ),
        B::ScalarBytes { .. } => format!(
            "more than {} bytes of values (the value size budget)",
            n(b.max_total_scalar_bytes)
        ),
        B::MergeKeys { .. } => format!(
            "more than {} merge keys `<<` (the merge key budget)",
            n(b.max_merge_keys)
        ),
        other => format!("more than the registration reader reads ({other:?})"),
    };
    format!(
        "over the input budget for registration files: {what}; split the export into several files and give each with its own `--iac`, or write out what the aliases repeat"
    )
}

/// The reader's budget: the limits manifests are read with (see [`crate::yaml::Budget`]).
fn budget() -> serde_saphyr::Budget {
    let ours = crate::yaml::Budget::default();
    let mut b = serde_saphyr::Budget::default();
    b.max_depth = ours.max_depth;
    b.max_nodes = ours.max_nodes;
    b.max_events = 4 * ours.max_nodes;
    b.max_aliases = ours.max_aliases;
    b.max_anchors = ours.max_aliases;
    b
}

/// The registration field whose value starts at `pos`, and what it must be,
/// read from the source line: the reader's own type errors name no field.
fn field_at(source: &SourceFile, pos: Pos) -> Option<(&'static str, &'static str)> {
    let line = source.line_text(pos.line as usize);
    let before: String = line
        .chars()
        .take((pos.column as usize).saturating_sub(1))
        .collect();
    let before = before.trim_end().strip_suffix(':')?.trim_end();
    let key = before.trim_end_matches(['"', '\'']);
    let tail: usize = key
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    let key = &key[key.len() - tail..];
    FIELDS.iter().find(|(k, _)| *k == key).copied()
}

const FIELDS: [(&str, &str); 19] = [
    ("name", "a string `prefix:subscope`"),
    ("prefix", "a string"),
    ("subscope", "a string"),
    ("description", "a string"),
    ("active", "true or false"),
    ("at_max_age", "an integer"),
    ("allowed_integration_types", "a list of strings"),
    ("accessible_for_all", "true or false"),
    ("visibility", "PUBLIC or PRIVATE"),
    ("delegation_source", "a string"),
    ("token_type", "a string such as SELF_CONTAINED"),
    ("requires_user_consent", "true or false"),
    ("requires_pseudonymous_tokens", "true or false"),
    ("requires_user_authentication", "true or false"),
    (
        "consumers",
        "a list of orgnos or of mappings with `consumer_orgno` and `state`",
    ),
    ("consumer_orgno", "an orgno string"),
    ("orgno", "an orgno string"),
    ("state", "a string such as APPROVED or DENIED"),
    ("scopes", "a list of registrations"),
];

/// Position of a saphyr location in `text`; `None` when unknown.
fn pos_of(text: &str, loc: &Location) -> Option<Pos> {
    if loc.line() == 0 {
        return None;
    }
    let mut offset = match loc.span().byte_offset() {
        Some(o) => usize::try_from(o).ok()?.min(text.len()),
        None => offset_of_line_col(text, loc.line(), loc.column())?,
    };
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let narrow = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    Some(Pos::new(offset, narrow(loc.line()), narrow(loc.column())))
}

fn offset_of_line_col(text: &str, line: u64, column: u64) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(usize::try_from(line).ok()?.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let col = rest
        .char_indices()
        .nth(usize::try_from(column).ok()?.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + col)
}

/// Longest span given to a located value, in bytes: a whole JSON export may
/// sit on one line, and scanning to its end for every value would be quadratic.
const MAX_SPAN: usize = 256;

/// The span of a located value: from its start to the end of its line, at
/// most [`MAX_SPAN`] bytes (the reader gives starts only; a line is what a
/// reader of the file looks at).
fn span_of(source: &SourceFile, loc: &Location) -> Span {
    let Some(start) = pos_of(&source.text, loc) else {
        return Span::default();
    };
    let rest = &source.text[start.index()..];
    let cap = (0..=rest.len().min(MAX_SPAN))
        .rev()
        .find(|&i| rest.is_char_boundary(i))
        .unwrap_or(0);
    let window = &rest[..cap];
    let len = window.find(['\n', '\r']).unwrap_or(window.len());
    Span {
        start,
        end: Pos::new(
            start.index() + len,
            start.line as usize,
            start.column as usize + window[..len].chars().count(),
        ),
    }
}

fn registration(
    source: &Arc<SourceFile>,
    raw: Spanned<RawRegistration>,
    default_prefix: &str,
) -> Result<Registration, (Option<Pos>, String)> {
    let at = pos_of(&source.text, &raw.referenced);
    let span = span_of(source, &raw.referenced);
    let r = raw.value;
    let nonempty = |f: &Option<Spanned<String>>| {
        f.as_ref()
            .filter(|s| !s.value.is_empty())
            .map(|s| s.value.clone())
    };
    let (prefix, subscope) = match (nonempty(&r.name), nonempty(&r.subscope)) {
        (Some(name), subscope) => {
            let Some((p, s)) = crate::naming::split(&name) else {
                let pos = r
                    .name
                    .as_ref()
                    .and_then(|n| pos_of(&source.text, &n.referenced));
                return Err((
                    pos,
                    format!("registration `name` {name:?} is not of the form `prefix:subscope`"),
                ));
            };
            if let Some(sub) = subscope.filter(|sub| sub != s) {
                let pos = r
                    .subscope
                    .as_ref()
                    .and_then(|n| pos_of(&source.text, &n.referenced));
                return Err((
                    pos,
                    format!(
                        "registration `subscope` {sub:?} differs from the subscope of `name` {name:?}"
                    ),
                ));
            }
            if let Some(pre) = nonempty(&r.prefix).filter(|pre| pre != p) {
                let pos = r
                    .prefix
                    .as_ref()
                    .and_then(|n| pos_of(&source.text, &n.referenced));
                return Err((
                    pos,
                    format!(
                        "registration `prefix` {pre:?} differs from the prefix of `name` {name:?}"
                    ),
                ));
            }
            (p.to_owned(), s.to_owned())
        }
        (None, Some(subscope)) => (
            nonempty(&r.prefix).unwrap_or_else(|| default_prefix.to_owned()),
            subscope,
        ),
        (None, None) => {
            return Err((
                at,
                "registration has no scope: give `name` (`prefix:subscope`) or `subscope`".into(),
            ));
        }
    };
    let Some(description) = r.description.filter(|d| !d.value.is_empty()) else {
        return Err((
            at,
            format!("registration `{prefix}:{subscope}` has no `description`"),
        ));
    };
    let visibility = match r.visibility {
        None => None,
        Some(v) => match v.value.to_ascii_lowercase().as_str() {
            vis @ ("public" | "private") => Some(vis.to_owned()),
            _ => {
                return Err((
                    pos_of(&source.text, &v.referenced),
                    format!(
                        "registration `visibility` {:?} is neither PUBLIC nor PRIVATE",
                        v.value
                    ),
                ));
            }
        },
    };
    let mut consumers = Vec::new();
    for c in r.consumers.unwrap_or_default() {
        let cspan = span_of(source, &c.referenced);
        let (orgno, state) = match c.value {
            RawConsumer::Orgno(o) => (o, None),
            RawConsumer::Entry {
                consumer_orgno,
                orgno,
                state,
            } => match consumer_orgno.or(orgno) {
                Some(o) => (o, state.map(|s| s.to_ascii_uppercase())),
                None => {
                    return Err((
                        Some(cspan.start),
                        "consumer has no `consumer_orgno` or `orgno`".into(),
                    ));
                }
            },
        };
        consumers.push(IacConsumer {
            orgno,
            state,
            span: cspan,
        });
    }
    Ok(Registration {
        source: Arc::clone(source),
        span,
        prefix,
        subscope,
        description: Located {
            span: span_of(source, &description.referenced),
            value: description.value,
        },
        active: r.active.unwrap_or(true),
        at_max_age: r.at_max_age,
        allowed_integration_types: r.allowed_integration_types,
        accessible_for_all: r.accessible_for_all,
        visibility,
        delegation_source: r.delegation_source.filter(|d| !d.is_empty()),
        token_type: r
            .token_type
            .filter(|t| !t.is_empty())
            .map(|t| t.to_ascii_uppercase()),
        requires_user_consent: r.requires_user_consent,
        requires_pseudonymous_tokens: r.requires_pseudonymous_tokens,
        requires_user_authentication: r.requires_user_authentication,
        consumers,
    })
}

/// A registration as written; unknown fields of the API export are ignored.
#[derive(Deserialize)]
struct RawRegistration {
    name: Option<Spanned<String>>,
    prefix: Option<Spanned<String>>,
    subscope: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    active: Option<bool>,
    at_max_age: Option<i64>,
    allowed_integration_types: Option<Vec<String>>,
    accessible_for_all: Option<bool>,
    visibility: Option<Spanned<String>>,
    delegation_source: Option<String>,
    token_type: Option<String>,
    requires_user_consent: Option<bool>,
    requires_pseudonymous_tokens: Option<bool>,
    requires_user_authentication: Option<bool>,
    consumers: Option<Vec<Spanned<RawConsumer>>>,
}

/// A consumer: a bare orgno, or an ACL entry. Hand-written rather than
/// `#[serde(untagged)]`, which would buffer the value and lose its location.
enum RawConsumer {
    Orgno(String),
    Entry {
        consumer_orgno: Option<String>,
        orgno: Option<String>,
        state: Option<String>,
    },
}

impl<'de> Deserialize<'de> for RawConsumer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawConsumer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an orgno string or a mapping with `consumer_orgno` (or `orgno`) and `state`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawConsumer, E> {
                Ok(RawConsumer::Orgno(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawConsumer, E> {
                Ok(RawConsumer::Orgno(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawConsumer, A::Error> {
                let (mut consumer_orgno, mut orgno, mut state) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "consumer_orgno" => {
                            consumer_orgno = map.next_value::<Option<Orgno>>()?.map(|o| o.0)
                        }
                        "orgno" => orgno = map.next_value::<Option<Orgno>>()?.map(|o| o.0),
                        "state" => state = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RawConsumer::Entry {
                    consumer_orgno,
                    orgno,
                    state,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// An orgno written as a string or, in hand-written YAML, as a plain number.
struct Orgno(String);

impl<'de> Deserialize<'de> for Orgno {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Orgno;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an orgno")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Orgno, E> {
                Ok(Orgno(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Orgno, E> {
                Ok(Orgno(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole file: a list of registrations, or an object with a `scopes` list.
struct RawFile(Vec<Spanned<RawRegistration>>);

impl<'de> Deserialize<'de> for RawFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of scope registrations, or a mapping with a `scopes` list")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawFile, E> {
                Ok(RawFile(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<RawFile, E> {
                Ok(RawFile(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawFile, A::Error> {
                let mut out = Vec::new();
                while let Some(r) = seq.next_element()? {
                    out.push(r);
                }
                Ok(RawFile(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFile, A::Error> {
                let mut scopes = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "scopes" {
                        scopes = Some(map.next_value::<Vec<Spanned<RawRegistration>>>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                scopes.map(RawFile).ok_or_else(|| {
                    de::Error::custom("a mapping of registrations must have a `scopes` list")
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Registration>, String> {
        read_str("scopes.yaml", text.to_owned(), "nav").map_err(|(e, _)| e.to_string())
    }

    #[test]
    fn list_with_name() {
        let r = read(
            "- name: nav:arbeid:vedtak.read\n  description: devgcp:teama:app.arbeid:vedtak.read\n",
        )
        .unwrap();
        assert_eq!(
            (r[0].prefix.as_str(), r[0].subscope.as_str()),
            ("nav", "arbeid:vedtak.read")
        );
        assert_eq!(r[0].span.start.line, 1);
        assert_eq!(r[0].description.span.start.line, 2);
        assert!(r[0].active);
    }

    #[test]
    fn scopes_object_json_with_prefix_subscope_and_acl() {
        let text = r#"{"scopes": [
  {"prefix": "nav", "subscope": "helse/afp.write", "description": "x:y:z.helse/afp.write",
   "visibility": "PRIVATE", "active": false,
   "consumers": ["889640782", {"consumer_orgno": "974761076", "state": "DENIED"}, {"orgno": "123456785", "state": "approved"}]}
]}"#;
        let r = read(text).unwrap();
        assert_eq!(r[0].scope(), "nav:helse/afp.write");
        assert_eq!(r[0].span.start.line, 2);
        assert_eq!(r[0].visibility.as_deref(), Some("private"));
        assert!(!r[0].active);
        let access: Vec<_> = r[0]
            .consumers
            .iter()
            .filter(|c| c.has_access())
            .map(|c| c.orgno.as_str())
            .collect();
        assert_eq!(access, ["889640782", "123456785"]);
    }

    #[test]
    fn default_prefix_applies_to_subscope() {
        let r = read_str(
            "f",
            "- subscope: a:b\n  description: c:d:e.a:b\n".into(),
            "skatt",
        )
        .unwrap();
        assert_eq!(r[0].scope(), "skatt:a:b");
    }

    #[test]
    fn errors_name_file_and_line() {
        assert_eq!(
            read("- name: nav:a:b\n  description: x\n- name: nav:c:d\n").unwrap_err(),
            "scopes.yaml:3:3: registration `nav:c:d` has no `description`"
        );
        assert_eq!(
            read("- description: x\n").unwrap_err(),
            "scopes.yaml:1:3: registration has no scope: give `name` (`prefix:subscope`) or `subscope`"
        );
        assert!(
            read("{scopes: [")
                .unwrap_err()
                .starts_with("scopes.yaml:1:")
        );
        assert!(read("hello").is_err());
        assert!(read("other: []").unwrap_err().contains("`scopes` list"));
    }

    #[test]
    fn empty_file_has_no_registrations() {
        assert!(read("").unwrap().is_empty());
    }
}
