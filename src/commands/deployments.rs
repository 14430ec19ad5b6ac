//! `maskscope deployments`: which manifest goes to which cluster with which
//! variables, and where that was found, so that a user can check it.

use super::{Context, Exit};
use crate::cli::{DeploymentsArgs, DeploymentsFormat};
use crate::config;
use crate::inputs;
use crate::output;

pub fn run(args: &DeploymentsArgs, cx: &mut Context<'_>) -> Exit {
    let loaded = match config::load_any(args.input.config.as_deref(), &cx.cwd) {
        Ok(l) => l,
        Err(e) => return super::config_error(cx, &e),
    };
    let (found, skipped) = match inputs::deployments(&args.input, &cx.cwd, &loaded) {
        Ok(f) => f,
        Err(e) => return cx.usage_error(&e),
    };
    for note in &skipped {
        cx.warn(note);
    }
    for w in &found.warnings {
        cx.warn(&w.to_string());
    }
    let kinds = inputs::kinds(&found.deployments, &cx.cwd);
    let text = match args.format {
        DeploymentsFormat::Table => output::deployments::table(
            &found.deployments,
            &kinds,
            output::terminal_width(std::io::IsTerminal::is_terminal(&std::io::stdout())),
        ),
        DeploymentsFormat::Json => output::deployments::json(&found.deployments, &kinds),
    };
    cx.print(&text);
    Exit::Success
}
