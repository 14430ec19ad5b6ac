//! `maskscope lint`: check the maskinporten section of manifests.

use super::{Context, Exit, STDIN_TWICE, config_error, render_iac_errors};
use crate::cli::{LintArgs, LintFormat};
use crate::config;
use crate::inputs::{self, Workspace};
use crate::lint::runner::{self, Outcome};
use crate::lint::{Diagnostic, Settings, Severity, rules};
use crate::migrate::{check, iac};
use crate::output::{self, lint as fmt};
use std::collections::HashMap;
use std::path::Path;

pub fn run(args: &LintArgs, cx: &mut Context<'_>) -> Exit {
    let known: Vec<&str> = rules::all().iter().map(|r| r.doc().id).collect();
    let loaded = match config::load(args.input.config.as_deref(), &cx.cwd, &known) {
        Ok(l) => l,
        Err(e) => return config_error(cx, &e),
    };
    let lint_config = &loaded.config.lint;
    let active = match runner::choose(lint_config, &args.select, &args.ignore) {
        Ok(a) => a,
        Err(e) => return cx.usage_error(&e),
    };
    let settings = Settings {
        prefix: config::prefix(args.input.prefix.as_deref(), &loaded.config),
        cluster: args.input.cluster.clone(),
        on_prem: args
            .input
            .cluster
            .as_deref()
            .is_some_and(|c| lint_config.is_on_prem(c)),
    };
    // The rules that depend on the cluster take it from each file's
    // deployment (`--cluster` has already replaced it there when given).
    let settings_for = |file: &crate::load::LoadedFile| -> Option<Settings> {
        let cluster = file.source.deployment.as_ref()?.cluster.clone()?;
        Some(Settings {
            on_prem: lint_config.is_on_prem(&cluster),
            cluster: Some(cluster),
            prefix: settings.prefix.clone(),
        })
    };
    // The legacy checks compare whole manifests; without them, the cross-file
    // rules need only what `check_file` gathers, and the manifests go as soon
    // as each file is checked. Only the human format shows source lines, and
    // only of a file with findings or with scopes (which a cross-file
    // finding may name); other files let their text go too.
    let keep_manifests = !args.iac.is_empty();
    let (ws, found) = match inputs::load_with(&args.input, &cx.cwd, &loaded, |file| {
        let own = settings_for(file);
        let mut found = runner::check_file(file, &active, own.as_ref().unwrap_or(&settings));
        let shown = args.format == LintFormat::Human
            && (!found.diagnostics.is_empty() || found.in_cross_file_rules());
        if !keep_manifests {
            file.manifests = Vec::new();
            if !shown {
                found.release_text(file);
            }
        }
        found
    }) {
        Ok(loaded) => loaded,
        Err(e) => return cx.usage_error(&e),
    };
    super::note_inputs(&args.input, &ws, cx);
    // Files that could not be checked stop nothing else, but the run cannot
    // pass: exit 2. Every format names them; the machine formats also say so
    // on stderr, for whoever reads the log of the job.
    let unchecked: Vec<_> = ws.files.iter().filter_map(|f| f.unchecked()).collect();
    if args.format != LintFormat::Human {
        for err in &unchecked {
            cx.eprint(&format!("error: {}\n", fmt::unchecked_line(err)));
        }
    }
    let unchecked = !unchecked.is_empty();
    let extra = match legacy_registration_diagnostics(args, &ws, &settings, &active, &cx.cwd) {
        Ok(d) => d,
        Err(report) => {
            cx.eprint(&report);
            return Exit::Usage;
        }
    };
    let outcome = runner::finish(&ws.files, &active, &settings, found, extra);
    write(args.format, &outcome, cx);
    let fails = outcome.fails(args.deny_warnings);
    super::leave_to_exit((ws, outcome));
    if unchecked {
        Exit::Usage
    } else if fails {
        Exit::Findings
    } else {
        Exit::Success
    }
}

/// Diagnostics about legacy IaC registrations (`--iac FILE`), linted together
/// with the manifests: the checks of `maskscope migrate-check`, each reported
/// under its check id at the severity the configuration gives that rule. An
/// `Err` is the text for stderr (registrations that cannot be read): exit 2.
pub fn legacy_registration_diagnostics(
    args: &LintArgs,
    ws: &Workspace,
    settings: &Settings,
    active: &[runner::Active],
    cwd: &Path,
) -> Result<Vec<Diagnostic>, String> {
    if args.iac.is_empty() {
        return Ok(Vec::new());
    }
    if args.iac.iter().any(|a| a == "-") && args.input.paths.iter().any(|p| p == "-") {
        return Err(format!("error: {}\n", STDIN_TWICE));
    }
    let registrations = iac::load(&args.iac, cwd, &settings.prefix)
        .map_err(|errors| render_iac_errors(&errors, output::stderr_color()))?;
    let opts = check::Options {
        prefix: settings.prefix.clone(),
        cluster: settings.cluster.clone(),
        unreadable: check::unreadable(&ws.files),
    };
    // A check keeps its own severity unless the configuration changed the
    // rule's: `maskinporten-disabled` is a warning as a manifest rule, but an
    // error for a legacy scope that the app is to take over.
    let configured: HashMap<&str, Option<Severity>> = active
        .iter()
        .map(|a| {
            let changed = a.severity != a.rule.doc().severity;
            (a.rule.doc().id, changed.then_some(a.severity))
        })
        .collect();
    Ok(check::check(&registrations, &ws.manifests, &opts)
        .diagnostics()
        .into_iter()
        .filter_map(|mut d| {
            if let Some(severity) = configured.get(d.rule)? {
                d.severity = *severity;
            }
            Some(d)
        })
        .collect())
}

/// Write the outcome to stdout as it is formatted, through one buffer: the
/// output of thousands of findings is never held as one text. A closed pipe
/// (`| head`) is not an error.
fn write(format: LintFormat, outcome: &Outcome, cx: &mut Context<'_>) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut *cx.out);
    let _ = match format {
        LintFormat::Human => fmt::human::write(outcome, output::stdout_color(), &mut out),
        LintFormat::Json => fmt::json::write(outcome, &mut out),
        LintFormat::Sarif => fmt::sarif::write(outcome, &cx.cwd, &mut out),
        LintFormat::Github => fmt::github::write(outcome, &mut out),
    }
    .and_then(|()| out.flush());
}
