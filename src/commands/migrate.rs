//! `maskscope migrate-check`: check legacy scope registrations against the
//! manifests that will take them over.

use super::{Context, Exit, STDIN_TWICE, render_iac_errors};
use crate::cli::{MigrateArgs, MigrateFormat};
use crate::config;
use crate::inputs;
use crate::migrate::{check, iac};
use crate::output::{self, report};
use crate::resolve::resolve_entry;
use std::io::IsTerminal;

pub fn run(args: &MigrateArgs, cx: &mut Context<'_>) -> Exit {
    let stdin_twice =
        args.iac.iter().any(|a| a == "-") && args.input.paths.iter().any(|p| p == "-");
    if stdin_twice {
        return cx.usage_error(STDIN_TWICE);
    }
    let loaded = match config::load_any(args.input.config.as_deref(), &cx.cwd) {
        Ok(l) => l,
        Err(e) => return super::config_error(cx, &e),
    };
    let prefix = config::prefix(args.input.prefix.as_deref(), &loaded.config);
    let prefix = prefix.as_str();
    let color = output::stderr_color();
    let registrations = match iac::load(&args.iac, &cx.cwd, prefix) {
        Ok(r) => r,
        Err(errors) => {
            cx.eprint(&render_iac_errors(&errors, color));
            return Exit::Usage;
        }
    };
    let ws = match inputs::load(&args.input, &cx.cwd, &loaded) {
        Ok(ws) => ws,
        Err(e) => return cx.usage_error(&e),
    };
    super::note_inputs(&args.input, &ws, cx);
    let mut failed = false;
    for file in &ws.files {
        if let Some(err) = &file.error {
            failed = true;
            cx.eprint_once(&report::input_error(err, &file.source, color));
        }
    }
    for m in &ws.manifests {
        for entry in m.maskinporten.iter().flat_map(|mp| &mp.exposes) {
            if let Err(missing) = resolve_entry(prefix, entry) {
                let at = entry.span.start;
                cx.warn_once(&format!(
                    "{}:{}:{}: exposes entry {} of {} has no usable `{}`; left out (`maskscope lint` says why)",
                    m.source.name,
                    at.line,
                    at.column,
                    entry.index + 1,
                    m.app(),
                    missing.join("` or `"),
                ));
            }
        }
    }
    // Table and JSON give the line of each manifest's entry.
    let opts = check::Options {
        prefix: prefix.to_owned(),
        cluster: args.input.cluster.clone(),
        unreadable: check::unreadable(&ws.files),
    };
    let result = check::check(&registrations, &ws.manifests, &opts);
    let text = match args.format {
        MigrateFormat::Json => output::migrate::json(&result),
        MigrateFormat::Table => output::migrate::table(
            &result,
            output::terminal_width(std::io::stdout().is_terminal()),
            output::stdout_color(),
        ),
    };
    cx.print(&text);
    if failed {
        Exit::Usage
    } else if result.count(check::Status::Blocked) > 0 {
        Exit::Findings
    } else {
        Exit::Success
    }
}
