//! `maskscope render`: a file as nais deploy renders it, per deployment, so
//! that a user can see why a template misbehaves.

use super::{Context, Exit};
use crate::cli::{RenderArgs, RenderFormat};
use crate::config;
use crate::output;

pub fn run(args: &RenderArgs, cx: &mut Context<'_>) -> Exit {
    let loaded = match config::load_any(args.config.as_deref(), &cx.cwd) {
        Ok(l) => l,
        Err(e) => return super::config_error(cx, &e),
    };
    let (renderings, notes) = match crate::render::renderings(args, &cx.cwd, &loaded) {
        Ok(r) => r,
        Err(e) => return cx.usage_error(&e),
    };
    for note in &notes {
        cx.warn(note);
    }
    let text = match args.format {
        RenderFormat::Text => output::render::plain(&renderings),
        RenderFormat::Json => output::render::json(&renderings),
    };
    cx.print(&text);
    for (error, p) in output::render::problems(&renderings) {
        if error {
            cx.eprint(&format!("error: {}\n", output::escape::text(&p)));
        } else {
            cx.warn(&p);
        }
    }
    let fails = renderings
        .iter()
        .any(|r| r.outcome.as_ref().map_or(true, |s| s.documents.is_err()));
    if fails { Exit::Findings } else { Exit::Success }
}
