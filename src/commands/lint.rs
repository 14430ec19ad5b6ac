//! `maskscope lint`: check the maskinporten section of manifests.

use super::{Context, Exit};
use crate::cli::{LintArgs, LintFormat};
use crate::config::{self, ConfigError};
use crate::inputs::{self, Workspace};
use crate::lint::runner::{self, Outcome};
use crate::lint::{Diagnostic, Settings, rules};
use crate::output::{self, lint as fmt, report};
use crate::source::InputErrorKind;

pub fn run(args: &LintArgs, cx: &mut Context<'_>) -> Exit {
    let known: Vec<&str> = rules::all().iter().map(|r| r.doc().id).collect();
    let loaded = match config::load(args.config.as_deref(), &cx.cwd, &known) {
        Ok(l) => l,
        Err(e) => return config_error(cx, &e),
    };
    let lint_config = &loaded.config.lint;
    let active = match runner::choose(lint_config, &args.select, &args.ignore) {
        Ok(a) => a,
        Err(e) => return cx.usage_error(&e),
    };
    let ws = match inputs::load(&args.input, &cx.cwd) {
        Ok(ws) => ws,
        Err(e) => return cx.usage_error(&e),
    };
    for note in &ws.skipped {
        cx.eprint(&format!("warning: {note}\n"));
    }
    // Unreadable files stop nothing else, but the run cannot pass: exit 2.
    let mut unreadable = false;
    for err in ws
        .files
        .iter()
        .filter_map(|f| f.error.as_ref())
        .filter(|e| e.kind == InputErrorKind::Io)
    {
        unreadable = true;
        cx.eprint(&format!("error: {err}\n"));
    }
    let settings = Settings {
        prefix: config::prefix(args.input.prefix.as_deref(), &loaded.config),
        cluster: args.cluster.clone(),
        on_prem: args
            .cluster
            .as_deref()
            .is_some_and(|c| lint_config.is_on_prem(c)),
    };
    let extra = match legacy_registration_diagnostics(args, &ws, &settings) {
        Ok(d) => d,
        Err(e) => return cx.usage_error(&e),
    };
    let outcome = runner::run(&ws.files, &ws.manifests, &active, &settings, extra);
    cx.print(&render(args.format, &outcome, cx));
    if unreadable {
        Exit::Usage
    } else if outcome.fails(args.deny_warnings) {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// Diagnostics about legacy IaC registrations (`--iac FILE`), linted together
/// with the manifests: the place where the migrate-check comparison plugs in.
/// Until it does, `--iac` on lint is a usage error that points to the command
/// that has it.
pub fn legacy_registration_diagnostics(
    args: &LintArgs,
    _ws: &Workspace,
    _settings: &Settings,
) -> Result<Vec<Diagnostic>, String> {
    if args.iac.is_empty() {
        return Ok(Vec::new());
    }
    Err("--iac is not supported by `maskscope lint` yet; run `maskscope migrate-check --iac FILE` instead".into())
}

fn render(format: LintFormat, outcome: &Outcome, cx: &Context<'_>) -> String {
    match format {
        LintFormat::Human => fmt::human::render_all(outcome, output::stdout_color()),
        LintFormat::Json => fmt::json::render(outcome),
        LintFormat::Sarif => fmt::sarif::render(outcome, &cx.cwd),
        LintFormat::Github => fmt::github::render(outcome),
    }
}

/// A bad config file: where, and the source line, on stderr; exit 2.
pub fn config_error(cx: &mut Context<'_>, e: &ConfigError) -> Exit {
    cx.eprint(&report::input_error(
        &e.error,
        &e.source,
        output::stderr_color(),
    ));
    Exit::Usage
}
