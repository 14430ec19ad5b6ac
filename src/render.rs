//! The render stage: a file as nais deploy renders it for one deployment,
//! and the documents it then sends to the cluster.
//!
//! nais deploy renders a file only when the deployment has variables (a
//! vars file with content, a `VAR`, an `IMAGE`); without any, `{{...}}`
//! reaches the cluster as written. A variable without a value prints
//! nothing, as in raymond. The rendered text is decoded as the deploy
//! decodes it (yaml.v2: YAML 1.1 types, the last of two equal keys).

use crate::cli::{InputArgs, RenderArgs};
use crate::config;
use crate::confine::Confine;
use crate::deploy::Deployment;
use crate::inputs;
use crate::source::{InputError, InputErrorKind};
use crate::template::{Renderer, Vars};
use serde_json::Value;
use std::path::Path;

/// What nais deploy makes of one file for one deployment.
#[derive(Debug)]
pub struct Sent {
    /// The text after rendering (the file itself when it is not rendered).
    pub text: String,
    /// Whether the file was rendered at all.
    pub rendered: bool,
    /// The documents sent, or why the deploy cannot decode the text.
    pub documents: Result<Vec<Value>, InputError>,
}

/// `text` of file `name` as nais deploy renders and decodes it with `vars`.
/// An `Err` is a template the deploy cannot render (raymond's reason, at
/// the template's position) or one over a budget.
pub fn as_deployed(name: &str, text: &str, vars: &Vars) -> Result<Sent, InputError> {
    let (rendered_text, map) = if vars.0.is_empty() {
        (None, None)
    } else {
        match Renderer::exact(vars).render(name, text)? {
            Some(r) => (Some(r.text), Some(r.map)),
            None => (Some(text.to_owned()), None),
        }
    };
    let rendered = rendered_text.is_some();
    let out = rendered_text.unwrap_or_else(|| text.to_owned());
    let documents = crate::yaml::documents(&out).map_err(|e| {
        // The template's position; the rendered text's in the message.
        let (pos, at) = match &map {
            Some(m) => (
                m.pos(e.pos.index()),
                format!(" (at its line {}, column {})", e.pos.line, e.pos.column),
            ),
            None => (e.pos, String::new()),
        };
        InputError {
            file: name.to_owned(),
            pos: Some(pos),
            kind: InputErrorKind::Syntax,
            message: format!(
                "nais deploy cannot decode the rendered text{at}: {}",
                e.message
            ),
        }
    });
    Ok(Sent {
        text: out,
        rendered,
        documents,
    })
}

/// One rendering of the file: for a deployment (`None`: with the command
/// line's variables, or with none when no deployment is known).
#[derive(Debug)]
pub struct Rendering {
    pub deployment: Option<Deployment>,
    /// Variables the deployment sets to values maskscope cannot know (a
    /// secret, a job's output): left out, so rendered as nothing.
    pub unknown: Vec<String>,
    /// What the deploy makes of the file, or why it fails before decoding.
    pub outcome: Result<Sent, InputError>,
}

/// What `maskscope render` shows: `args.file` as nais deploy renders it for
/// each of its deployments (those to `--cluster` only), or once with
/// `--vars`/`--var`. Also the notes for stderr. An `Err` is a usage error.
pub fn renderings(
    args: &RenderArgs,
    cwd: &Path,
    config: &config::Loaded,
) -> Result<(Vec<Rendering>, Vec<String>), String> {
    let path = cwd.join(&args.file);
    let len = std::fs::metadata(&path)
        .map_err(|e| format!("{}: {}", args.file, crate::discover::io_reason(&e)))?
        .len();
    if len > crate::load::MAX_FILE_BYTES {
        return Err(format!(
            "{}: larger than the budget for a manifest",
            args.file
        ));
    }
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{}: {}", args.file, crate::discover::io_reason(&e)))?;
    let text = crate::decode::decode(&bytes)
        .map_err(|e| format!("{}: {}", args.file, e.message))?
        .into_owned();
    let input = InputArgs {
        paths: vec![args.file.clone()],
        prefix: None,
        vars: args.vars.clone(),
        var: args.var.clone(),
        cluster: None,
        config: args.config.clone(),
        skip_non_manifests: false,
        shown_from: None,
    };
    let mut notes = Vec::new();
    if args.vars.is_some() || !args.var.is_empty() {
        let vars = inputs::vars(&input, cwd)?;
        let outcome = as_deployed(&args.file, &text, &vars);
        return Ok((
            vec![Rendering {
                deployment: None,
                unknown: Vec::new(),
                outcome,
            }],
            notes,
        ));
    }
    let (found, skipped) = inputs::deployments(&input, cwd, config)?;
    notes.extend(skipped);
    notes.extend(found.warnings.iter().map(ToString::to_string));
    let name = crate::deploy::normalize(&args.file);
    let mut of: Vec<&Deployment> = found
        .deployments
        .iter()
        .filter(|d| d.manifest == name)
        .collect();
    if let Some(cluster) = &args.cluster {
        of.retain(|d| d.cluster.as_ref() == Some(cluster));
        if of.is_empty() {
            return Err(format!(
                "no deployment of {} to {cluster} found; `maskscope deployments` lists those found",
                args.file
            ));
        }
    }
    if of.is_empty() {
        notes.push(format!("no deployment of {} found", args.file));
        let outcome = as_deployed(&args.file, &text, &Vars::default());
        return Ok((
            vec![Rendering {
                deployment: None,
                unknown: Vec::new(),
                outcome,
            }],
            notes,
        ));
    }
    let confine = Confine::new(cwd);
    let renderings = of
        .into_iter()
        .map(|d| {
            let (outcome, unknown) = match inputs::deployment_vars(d, cwd, &confine) {
                Ok((vars, unknown)) => (as_deployed(&args.file, &text, &vars), unknown),
                Err(why) => (
                    Err(InputError {
                        file: args.file.clone(),
                        pos: None,
                        kind: InputErrorKind::Io,
                        message: format!("nais deploy cannot read the vars file: {why}"),
                    }),
                    Vec::new(),
                ),
            };
            Rendering {
                deployment: Some(d.clone()),
                unknown,
                outcome,
            }
        })
        .collect();
    Ok((renderings, notes))
}
