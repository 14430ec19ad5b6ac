//! The formats of `maskscope render`: the rendered text (a header line per
//! deployment when there are several) and JSON with the documents as sent.

use super::escape::{line, text};
use crate::deploy::{Deployment, SourceKind};
use crate::render::Rendering;
use serde::Serialize;
use serde_json::Value;

/// The rendered texts; each line escaped ([`line`]), so that a template
/// cannot write control characters or workflow commands to the terminal.
pub fn plain(renderings: &[Rendering]) -> String {
    let mut out = String::new();
    let several = renderings.len() > 1;
    for r in renderings {
        if several {
            out.push_str(&format!("# {}\n", header(r.deployment.as_ref())));
        }
        if let Ok(sent) = &r.outcome {
            for l in sent.text.split_inclusive('\n') {
                let (body, end) = match l.strip_suffix('\n') {
                    Some(b) => (b, "\n"),
                    None => (l, ""),
                };
                out.push_str(&line(body));
                out.push_str(end);
            }
            if several && !sent.text.is_empty() && !sent.text.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

/// What a header line says of a deployment: where it goes, with what, and
/// where that was found.
fn header(d: Option<&Deployment>) -> String {
    let Some(d) = d else {
        return "with the command line's variables".to_owned();
    };
    let mut with: Vec<String> = d.vars.iter().map(|v| text(v).into_owned()).collect();
    with.extend(d.var.iter().map(|(k, v)| match v {
        Some(v) => format!("{}={}", text(k), text(v)),
        None => format!("{}=?", text(k)),
    }));
    let with = if with.is_empty() {
        "no variables (not rendered)".to_owned()
    } else {
        with.join(", ")
    };
    let at = match (&d.source.file, d.source.line) {
        (Some(f), Some(l)) => format!(" ({}:{l})", text(f)),
        (Some(f), None) => format!(" ({})", text(f)),
        _ if d.source.kind == SourceKind::Convention => " (file name)".to_owned(),
        _ => String::new(),
    };
    format!("{}: {with}{at}", text(&d.label()))
}

/// Why nais deploy fails on each rendering that fails (`true`: an error),
/// and the variables whose values are not known, as one-line messages for
/// stderr.
pub fn problems(renderings: &[Rendering]) -> Vec<(bool, String)> {
    let several = renderings.len() > 1;
    let mut out = Vec::new();
    for r in renderings {
        let of = match (&r.deployment, several) {
            (Some(d), true) => format!(" (in {})", d.label()),
            _ => String::new(),
        };
        if !r.unknown.is_empty() {
            out.push((
                false,
                format!(
                    "variables maskscope cannot know{of}, rendered as nothing: {}",
                    r.unknown.join(", ")
                ),
            ));
        }
        match &r.outcome {
            Err(e) => out.push((true, format!("{e}{of}"))),
            Ok(sent) => {
                if !sent.rendered && sent.text.contains("{{") {
                    out.push((
                        false,
                        format!(
                            "not rendered{of}: nais deploy renders a file only when its deployment has variables (VARS, VAR or IMAGE); give --vars or --var to render it"
                        ),
                    ));
                }
                if let Err(e) = &sent.documents {
                    out.push((true, format!("{e}{of}")));
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonRendering<'a> {
    deployment: Option<JsonDeployment<'a>>,
    rendered: bool,
    text: Option<&'a str>,
    documents: Option<&'a [Value]>,
    error: Option<String>,
    unknown: &'a [String],
}

#[derive(Serialize)]
struct JsonDeployment<'a> {
    cluster: Option<&'a str>,
    environment: Option<crate::deploy::Environment>,
    vars: &'a [String],
    var: &'a std::collections::BTreeMap<String, Option<String>>,
    source: &'a crate::deploy::Source,
}

/// A JSON array, one object per rendering: `deployment`, `rendered`,
/// `text`, `documents` (as sent), `error` and `unknown`.
pub fn json(renderings: &[Rendering]) -> String {
    let rows: Vec<JsonRendering> = renderings
        .iter()
        .map(|r| {
            let (sent, error) = match &r.outcome {
                Ok(s) => (Some(s), s.documents.as_ref().err().map(ToString::to_string)),
                Err(e) => (None, Some(e.to_string())),
            };
            JsonRendering {
                deployment: r.deployment.as_ref().map(|d| JsonDeployment {
                    cluster: d.cluster.as_deref(),
                    environment: d.environment,
                    vars: &d.vars,
                    var: &d.var,
                    source: &d.source,
                }),
                rendered: sent.is_some_and(|s| s.rendered),
                text: sent.map(|s| s.text.as_str()),
                documents: sent.and_then(|s| s.documents.as_deref().ok()),
                error,
                unknown: &r.unknown,
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
