//! The render stage: a file as nais deploy renders it for one deployment,
//! and the documents it then sends to the cluster.
//!
//! nais deploy renders a file only when the deployment has variables (a
//! vars file with content, a `VAR`, an `IMAGE`); without any, `{{...}}`
//! reaches the cluster as written. A variable without a value prints
//! nothing, as in raymond. The rendered text is decoded as the deploy
//! decodes it (yaml.v2: YAML 1.1 types, the last of two equal keys).

use crate::source::{InputError, InputErrorKind};
use crate::template::{Renderer, Vars};
use serde_json::Value;

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
    let (text, rendered) = if vars.0.is_empty() {
        (text.to_owned(), false)
    } else {
        match Renderer::exact(vars).render(name, text)? {
            Some(r) => (r.text, true),
            None => (text.to_owned(), true),
        }
    };
    let documents = crate::yaml::documents(&text).map_err(|e| InputError {
        file: name.to_owned(),
        pos: Some(e.pos),
        kind: InputErrorKind::Syntax,
        message: format!("nais deploy cannot decode the rendered text: {}", e.message),
    });
    Ok(Sent {
        text,
        rendered,
        documents,
    })
}
