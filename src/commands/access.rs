//! `maskscope access`: who can get a token for what, per Maskinporten
//! environment, from the manifests evaluated per deployment.

use super::{Context, Exit};
use crate::access::{Access, Filter};
use crate::cli::{AccessArgs, AccessFormat};
use crate::config;
use crate::diff::Evaluated;
use crate::inputs;
use crate::output::{self, report};

pub fn run(args: &AccessArgs, cx: &mut Context<'_>) -> Exit {
    if let Some(orgno) = &args.orgno
        && !(orgno.len() == 9 && orgno.bytes().all(|b| b.is_ascii_digit()))
    {
        return cx.usage_error(&format!(
            "--orgno: `{orgno}` is not an organisation number (nine digits, as in `974761076`)"
        ));
    }
    let loaded = match config::load_any(args.input.config.as_deref(), &cx.cwd) {
        Ok(l) => l,
        Err(e) => return super::config_error(cx, &e),
    };
    let prefix = config::prefix(args.input.prefix.as_deref(), &loaded.config);
    let ws = match inputs::load(&args.input, &cx.cwd, &loaded) {
        Ok(ws) => ws,
        Err(e) => return cx.usage_error(&e),
    };
    super::note_inputs(&args.input, &ws, cx);
    let color = output::stderr_color();
    let mut failed = false;
    for file in &ws.files {
        if let Some(err) = &file.error {
            failed = true;
            cx.eprint_once(&report::input_error(err, &file.source, color));
        }
    }
    let filter = Filter {
        orgno: args.orgno.clone(),
        scope: args.scope.clone(),
    };
    let evaluated = Evaluated::of(&ws.manifests, &prefix);
    if let Some(scope) = &args.scope {
        let exposed: std::collections::BTreeSet<&str> = evaluated
            .clients
            .iter()
            .flat_map(|c| c.entries.iter().map(|e| e.scope.as_str()))
            .collect();
        if !exposed.contains(scope.as_str()) {
            let hint = match crate::suggest::closest(scope, exposed.iter().copied()) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => String::new(),
            };
            cx.warn(&format!("--scope: no manifest exposes `{scope}`{hint}"));
        }
    }
    let access = Access::of(&evaluated, &filter);
    for (file, line, vars) in &access.unknown {
        let what = if vars.is_empty() {
            "maskinporten.enabled".to_owned()
        } else {
            vars.join(", ")
        };
        cx.warn_once(&format!(
            "{file}:{line}: left out: depends on template variables without a value ({what})"
        ));
    }
    let text = match args.format {
        AccessFormat::Table => output::access::table(
            &access,
            output::terminal_width(std::io::IsTerminal::is_terminal(&std::io::stdout())),
        ),
        AccessFormat::Json => output::access::json(&access),
        AccessFormat::Markdown => output::access::markdown(&access),
        AccessFormat::Mermaid => output::access::mermaid(&access),
    };
    cx.print(&text);
    super::leave_to_exit(ws);
    if failed { Exit::Usage } else { Exit::Success }
}
