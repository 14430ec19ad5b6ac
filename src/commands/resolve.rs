//! `maskscope resolve`: print the fully qualified scopes that manifests expose.

use super::{Context, Exit};
use crate::cli::{ResolveArgs, ResolveFormat};
use crate::config;
use crate::inputs::{self, Workspace};
use crate::output::{self, report};
use crate::resolve::resolve_all;
use crate::source::SourceFile;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::Arc;

pub fn run(args: &ResolveArgs, cx: &mut Context<'_>) -> Exit {
    let loaded = match config::load_any(args.input.config.as_deref(), &cx.cwd) {
        Ok(l) => l,
        Err(e) => return super::config_error(cx, &e),
    };
    let prefix = config::prefix(args.input.prefix.as_deref(), &loaded.config);
    let ws = match inputs::load(&args.input, &cx.cwd, &loaded) {
        Ok(ws) => ws,
        Err(e) => return cx.usage_error(&e),
    };
    let exit = report(args, &ws, &prefix, cx);
    super::leave_to_exit(ws);
    exit
}

/// On stderr: each template variable without a value, once per file, and
/// what it leaves unknown. Entries that depend on one are marked in the table
/// and JSON, and left out of the plain list.
fn note_unresolved(
    args: &ResolveArgs,
    ws: &Workspace,
    scopes: &[crate::resolve::ResolvedScope<'_>],
    cx: &mut Context<'_>,
) {
    // Once per file and variable, though a file deployed twice is read twice.
    let mut named: HashSet<(&str, &str)> = HashSet::new();
    // The variables `spec.maskinporten` depends on, per file read.
    let decided: HashSet<(*const SourceFile, &str)> = ws
        .manifests
        .iter()
        .flat_map(|m| {
            let unresolved = m.maskinporten.iter().flat_map(|mp| &mp.unresolved);
            unresolved.map(|u| (Arc::as_ptr(&m.source), u.name.as_str()))
        })
        .collect();
    for file in &ws.files {
        let mut elsewhere: Vec<&str> = Vec::new();
        for var in &file.missing {
            let key = (file.source.name.as_str(), var.name.as_str());
            if named.contains(&key) {
                continue;
            }
            let in_maskinporten = decided.contains(&(Arc::as_ptr(&file.source), var.name.as_str()));
            // A flag left out (`{{#if devOnly}}`) is false, as the deploy has it.
            if var.flag && !in_maskinporten {
                continue;
            }
            named.insert(key);
            if in_maskinporten {
                cx.warn(&format!(
                    "{}:{}:{}: template variable `{}` has no value, and spec.maskinporten depends on it: some scopes are not known; give it with --vars or --var",
                    file.source.name, var.tag.start.line, var.tag.start.column, var.name
                ));
            } else {
                elsewhere.push(&var.name);
            }
        }
        if !elsewhere.is_empty() {
            cx.warn(&format!(
                "{}: template variables without a value, which no scope depends on: {} (`maskscope lint` shows where)",
                file.source.name,
                elsewhere.join(", ")
            ));
        }
    }
    if args.format == ResolveFormat::Plain {
        for s in scopes
            .iter()
            .filter(|s| !s.entry.unresolved_vars.is_empty())
        {
            let at = s.entry.span.start;
            cx.warn_once(&format!(
                "{}:{}:{}: left out a scope that depends on template variables without a value ({})",
                s.manifest.source.name,
                at.line,
                at.column,
                s.entry.unresolved_vars.join(", ")
            ));
        }
    }
}

/// Everything `resolve` prints about the manifests read.
fn report(args: &ResolveArgs, ws: &Workspace, prefix: &str, cx: &mut Context<'_>) -> Exit {
    super::note_inputs(&args.input, ws, cx);
    let color = output::stderr_color();
    let mut failed = false;
    for file in &ws.files {
        if let Some(err) = &file.error {
            failed = true;
            cx.eprint_once(&report::input_error(err, &file.source, color));
        }
    }
    let (scopes, unresolvable) = resolve_all(&ws.manifests, prefix);
    for u in &unresolvable {
        let at = u.entry.span.start;
        cx.warn_once(&format!(
            "{}:{}:{}: exposes entry {} of {} has no usable `{}`; left out (`maskscope lint` says why)",
            u.manifest.source.name,
            at.line,
            at.column,
            u.entry.index + 1,
            u.manifest.app(),
            u.missing.join("` or `"),
        ));
    }
    note_unresolved(args, ws, &scopes, cx);
    if failed && scopes.is_empty() && args.format == ResolveFormat::Table {
        return Exit::Usage;
    }
    let text = match args.format {
        ResolveFormat::Plain => output::resolve::plain(&scopes, args.all),
        ResolveFormat::Json => {
            // A closed pipe (`| head`) is not an error.
            let _ = output::resolve::write_json(&scopes, cx.out);
            return if failed { Exit::Usage } else { Exit::Success };
        }
        ResolveFormat::Table => output::resolve::table(
            &scopes,
            output::terminal_width(std::io::stdout().is_terminal()),
            output::stdout_color(),
        ),
    };
    cx.print(&text);
    if failed { Exit::Usage } else { Exit::Success }
}
