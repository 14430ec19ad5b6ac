//! Running the linter: which rules run at which severity (configuration,
//! `--select`, `--ignore`), running them over the files (the per-file rules in
//! the parallel task that reads each file, the cross-file rules after), dropping
//! suppressed findings, sorting, and counting.

use super::exposure::{self, Consumption, Exposure};
use super::{Diagnostic, Finding, Rule, Settings, Severity, rules, schema, suppress};
use crate::config::{Level, LintConfig};
use crate::load::LoadedFile;
use crate::source::{InputError, SourceFile};
use crate::suggest;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A rule that runs, with its effective severity.
#[derive(Clone, Copy)]
pub struct Active {
    pub rule: &'static dyn Rule,
    pub severity: Severity,
}

/// Every rule at its default severity, those off by default too: for tests
/// of single rules.
pub fn every() -> Vec<Active> {
    rules::all()
        .into_iter()
        .map(|rule| Active {
            rule,
            severity: rule.doc().severity,
        })
        .collect()
}

/// The rules to run. `select` and `ignore` come from the command line: a
/// non-empty `select` replaces the configured one, `ignore` adds to it, and an
/// ignored rule stays off even when selected. A rule set to `off` never runs.
/// With nothing selected, the rules on by default run, and a rule off by
/// default runs when the configuration gives it a severity.
/// An unknown rule id is an error naming the nearest known one.
pub fn choose(
    config: &LintConfig,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<Active>, String> {
    let ids: Vec<&str> = rules::all().iter().map(|r| r.doc().id).collect();
    for (option, list) in [("--select", select), ("--ignore", ignore)] {
        for id in list.iter().map(|s| s.trim()) {
            if !ids.contains(&id) {
                let hint = suggest::did_you_mean(id, ids.iter().copied());
                return Err(format!(
                    "{option}: unknown rule `{id}`: {hint} (`maskscope rules` lists every rule)"
                ));
            }
        }
    }
    let configured: Vec<&str> = config.select_ids();
    let leveled = |id: &str| {
        config
            .severity
            .iter()
            .any(|(k, v)| k.get_ref() == id && *v != Level::Off)
    };
    let selected = |rule: &dyn Rule| {
        let id = rule.doc().id;
        if !select.is_empty() {
            select.iter().any(|s| s.trim() == id)
        } else if !configured.is_empty() {
            configured.contains(&id)
        } else {
            rule.doc().on_by_default || leveled(id)
        }
    };
    let ignored = |id: &str| {
        ignore.iter().any(|s| s.trim() == id) || config.ignore.iter().any(|s| s.get_ref() == id)
    };
    let mut active = Vec::new();
    for rule in rules::all() {
        let id = rule.doc().id;
        if !selected(rule) || ignored(id) {
            continue;
        }
        let severity = match config
            .severity
            .iter()
            .find(|(k, _)| k.get_ref() == id)
            .map(|(_, v)| *v)
        {
            Some(Level::Off) => continue,
            Some(Level::Error) => Severity::Error,
            Some(Level::Warning) => Severity::Warning,
            Some(Level::Info) => Severity::Info,
            None => rule.doc().severity,
        };
        active.push(Active { rule, severity });
    }
    Ok(active)
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files checked: every file read, less those that could not be checked.
    pub files: usize,
    /// Files that could not be checked (see [`LoadedFile::unchecked`]).
    pub unchecked: usize,
    /// Files checked that hold no Application or Naisjob.
    pub files_without_manifests: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by file (input order), line, column, then rule.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// Why each file that could not be checked was not, in input order.
    pub unchecked: Vec<InputError>,
    /// The names of the files checked that hold no Application or Naisjob.
    pub without_manifests: Vec<String>,
}

impl Outcome {
    /// Whether the run fails: an error, or a warning with `deny_warnings`.
    /// (A file that could not be checked fails it too, with exit 2.)
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0)
    }
}

/// What the per-file pass found in one file.
#[derive(Debug, Default)]
pub struct PerFile {
    pub diagnostics: Vec<Diagnostic>,
    /// What the cross-file rules need of the file's manifests.
    pub exposures: Vec<Exposure>,
    pub consumed: Vec<Consumption>,
    /// How many Applications and Naisjobs the file holds.
    pub manifests: usize,
}

impl PerFile {
    /// Whether a cross-file finding may name the file: it exposes or consumes
    /// a scope.
    pub fn in_cross_file_rules(&self) -> bool {
        !(self.exposures.is_empty() && self.consumed.is_empty())
    }

    /// Let the text of `file`, whose findings these are, go: the findings and
    /// the file keep its name and flags, not its text. For output formats that
    /// print positions, not source lines: over thousands of files, the texts
    /// are most of what a run would keep to its end. A file with suppression
    /// comments keeps its text, against which the cross-file findings are
    /// checked at the end.
    pub fn release_text(&mut self, file: &mut LoadedFile) {
        if file.source.has_directives {
            return;
        }
        let light = file.source.without_text();
        let sources = self
            .diagnostics
            .iter_mut()
            .map(|d| &mut d.finding.source)
            .chain(self.exposures.iter_mut().map(|e| &mut e.source))
            .chain(self.consumed.iter_mut().map(|c| &mut c.source));
        for source in sources.filter(|s| Arc::ptr_eq(s, &file.source)) {
            *source = Arc::clone(&light);
        }
        file.source = light;
    }
}

/// The findings of the per-file rules ([`Rule::check_file`] and
/// [`Rule::check`]) on one file and the manifests read from it, and what the
/// cross-file rules need of them. Run while the manifests still hold their raw
/// YAML, in the task that read the file (see [`crate::inputs::load_with`]);
/// the manifests are not needed after it.
pub fn check_file(file: &LoadedFile, active: &[Active], settings: &Settings) -> PerFile {
    let mut diagnostics = Vec::new();
    let mut out = Vec::new();
    let walks: Vec<Vec<schema::Event>> = file.manifests.iter().map(schema::events).collect();
    for a in active {
        a.rule.check_file(file, settings, &mut out);
        for (m, events) in file.manifests.iter().zip(&walks) {
            a.rule.check(m, settings, &mut out);
            a.rule.check_schema(m, events, settings, &mut out);
        }
        diagnostics.extend(out.drain(..).map(|f| diagnostic(a, f)));
    }
    drop_placeholder_findings(file, &mut diagnostics);
    PerFile {
        diagnostics,
        exposures: exposure::exposures(&file.manifests, &settings.prefix),
        consumed: exposure::consumptions(&file.manifests),
        manifests: file.manifests.len() + file.misversioned.len(),
    }
}

/// Findings about what a template variable without a value decides in
/// `spec.maskinporten`, and about an exposes entry as a whole when it depends
/// on one, would be about its placeholder (`test_x` is no valid orgno) or about what
/// a block left out: `unrendered-template` reports the variable instead.
fn drop_placeholder_findings(file: &LoadedFile, diagnostics: &mut Vec<Diagnostic>) {
    let blocks = file
        .manifests
        .iter()
        .filter_map(|m| m.maskinporten.as_ref());
    let uses = blocks.clone().flat_map(|mp| &mp.unresolved).map(|v| {
        let r = if v.block { v.extent } else { v.tag };
        r.start.offset..r.end.offset
    });
    // The scope of an entry that depends on one is not known: what is said
    // of the entry as a whole (at its start or its `name`) does not hold.
    let entries = blocks
        .flat_map(|mp| &mp.exposes)
        .filter(|e| !e.unresolved_vars.is_empty())
        .flat_map(|e| [e.span.start.offset, e.anchor().start.offset])
        .map(|at| at..at);
    let decided: Vec<std::ops::Range<u32>> = uses.chain(entries).collect();
    if decided.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let s = d.finding.span;
        let hit = |r: &std::ops::Range<u32>| {
            if r.is_empty() {
                s.start.offset == r.start
            } else {
                s.start.offset < r.end && r.start < s.end.offset.max(s.start.offset + 1)
            }
        };
        matches!(d.rule, "unrendered-template" | "missing-variable") || !decided.iter().any(hit)
    });
}

/// Lint one file on its own: [`check_file`], then [`finish`].
pub fn run_file(
    file: LoadedFile,
    active: &[Active],
    settings: &Settings,
    extra: Vec<Diagnostic>,
) -> Outcome {
    let found = check_file(&file, active, settings);
    finish(&[file], active, settings, vec![found], extra)
}

/// Finish a run over `files` (in input order) with what [`check_file`] found
/// in each: the cross-file rules, then suppression, sorting and counting of
/// everything found.
///
/// `extra` takes diagnostics produced elsewhere for the same run, such as
/// legacy-registration checks.
pub fn finish(
    files: &[LoadedFile],
    active: &[Active],
    settings: &Settings,
    per_file: Vec<PerFile>,
    extra: Vec<Diagnostic>,
) -> Outcome {
    let mut diagnostics = Vec::new();
    let mut exposures = Vec::new();
    let mut consumed = Vec::new();
    let unchecked: Vec<InputError> = files
        .iter()
        .filter_map(|f| f.unchecked().cloned())
        .collect();
    // A file read once per deployment is one file: without manifests when no
    // reading of it gave one, named once.
    let mut without_manifests: Vec<String> = Vec::new();
    let mut with_manifests: HashSet<&str> = HashSet::new();
    for (f, found) in files.iter().zip(&per_file) {
        if f.error.is_some() || found.manifests > 0 {
            with_manifests.insert(f.source.name.as_str());
        }
    }
    let mut named: HashSet<&str> = HashSet::new();
    for f in files {
        let name = f.source.name.as_str();
        if !with_manifests.contains(name) && named.insert(name) {
            without_manifests.push(name.to_owned());
        }
    }
    for found in per_file {
        diagnostics.extend(found.diagnostics);
        exposures.extend(found.exposures);
        consumed.extend(found.consumed);
    }
    // A file read once per deployment sorts at its first reading, so that the
    // findings of its readings come together and can be merged.
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut readings: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        first.entry(f.source.name.as_str()).or_insert(i);
        if let Some(label) = f.source.deployment_label() {
            readings
                .entry(f.source.name.as_str())
                .or_default()
                .push(label);
        }
    }
    let order: HashMap<*const SourceFile, usize> = files
        .iter()
        .map(|f| (Arc::as_ptr(&f.source), first[f.source.name.as_str()]))
        .collect();
    let mut out = Vec::new();
    for a in active {
        a.rule.check_all(&exposures, settings, &mut out);
        a.rule
            .check_consumed(&exposures, &consumed, settings, &mut out);
        diagnostics.extend(out.drain(..).map(|f| diagnostic(a, f)));
    }
    diagnostics.extend(extra);
    diagnostics.retain(|d| !suppress::is_suppressed(d));
    let file_index = |d: &Diagnostic| {
        order
            .get(&Arc::as_ptr(&d.finding.source))
            .copied()
            .unwrap_or(usize::MAX)
    };
    // Each diagnostic's file is looked up once, not at every comparison.
    let mut keyed: Vec<(usize, Diagnostic)> = diagnostics
        .into_iter()
        .map(|d| (file_index(&d), d))
        .collect();
    keyed.sort_by(|(file_a, a), (file_b, b)| {
        (
            file_a,
            &a.finding.source.name,
            a.finding.span.start.offset,
            a.rule,
            a.finding.span.end.offset,
        )
            .cmp(&(
                file_b,
                &b.finding.source.name,
                b.finding.span.start.offset,
                b.rule,
                b.finding.span.end.offset,
            ))
            .then_with(|| a.finding.message.cmp(&b.finding.message))
    });
    let diagnostics: Vec<Diagnostic> = keyed.into_iter().map(|(_, d)| d).collect();
    let mut diagnostics = merge_deployments(diagnostics, &readings);
    // A finding inside an anchored node is found once per alias or merge that
    // uses it, at the same text with the same message: one mistake, one report.
    diagnostics.dedup_by(|a, b| {
        a.rule == b.rule
            && Arc::ptr_eq(&a.finding.source, &b.finding.source)
            && a.finding.span == b.finding.span
            && a.finding.message == b.finding.message
    });
    let checked: std::collections::HashSet<&str> = files
        .iter()
        .filter(|f| f.unchecked().is_none())
        .map(|f| f.source.name.as_str())
        .collect();
    let mut summary = Summary {
        files: checked.len(),
        unchecked: unchecked.len(),
        files_without_manifests: without_manifests.len(),
        ..Summary::default()
    };
    for d in &diagnostics {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    Outcome {
        diagnostics,
        summary,
        unchecked,
        without_manifests,
    }
}

/// One report per finding of a file read for several deployments: the same
/// rule, place and message in each reading is one diagnostic, whose message
/// names the deployments it holds for ("in dev-gcp and prod-gcp", or "only in
/// dev-gcp"). `diagnostics` are sorted, so a finding's readings stand together.
fn merge_deployments(
    diagnostics: Vec<Diagnostic>,
    readings: &HashMap<&str, Vec<String>>,
) -> Vec<Diagnostic> {
    if readings.values().all(|r| r.len() < 2) {
        return diagnostics;
    }
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.rule == b.rule
            && a.finding.source.name == b.finding.source.name
            && a.finding.span == b.finding.span
            && a.finding.message == b.finding.message
    };
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut labels: Vec<String> = Vec::new();
    let finish = |d: &mut Diagnostic, labels: &[String]| {
        let all = readings.get(d.finding.source.name.as_str());
        let Some(all) = all.filter(|a| a.len() > 1) else {
            return;
        };
        let mut held: Vec<&String> = all.iter().filter(|l| labels.contains(l)).collect();
        held.dedup();
        let names: Vec<String> = held.iter().map(|l| l.to_string()).collect();
        let list = match names.as_slice() {
            [] => return,
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let distinct = {
            let mut a = all.clone();
            a.dedup();
            a.len()
        };
        if held.len() < distinct {
            d.finding.message = format!("{} (only in {list})", d.finding.message);
        } else {
            d.finding.message = format!("{} (in {list})", d.finding.message);
        }
    };
    for d in diagnostics {
        if let Some(last) = out.last_mut()
            && same(last, &d)
        {
            labels.extend(d.finding.source.deployment_label());
            continue;
        }
        if let Some(last) = out.last_mut() {
            finish(last, &labels);
        }
        labels = d.finding.source.deployment_label().into_iter().collect();
        out.push(d);
    }
    if let Some(last) = out.last_mut() {
        finish(last, &labels);
    }
    out
}

fn diagnostic(a: &Active, finding: Finding) -> Diagnostic {
    Diagnostic {
        rule: a.rule.doc().id,
        severity: a.severity,
        finding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::template::{Renderer, Vars};
    use crate::yaml::{Pos, Span};

    const APP: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  maskinporten:\n    enabled: \"true\"\n";

    fn ids(active: &[Active]) -> Vec<(&'static str, Severity)> {
        active
            .iter()
            .map(|a| (a.rule.doc().id, a.severity))
            .collect()
    }

    fn config(text: &str) -> LintConfig {
        let known: Vec<&str> = rules::all().iter().map(|r| r.doc().id).collect();
        parse("m.toml", text, &known).unwrap().lint
    }

    #[test]
    fn command_line_select_replaces_config_select_and_ignore_wins() {
        let c = config(
            "[lint]\nselect = [\"wrong-type\"]\nignore = [\"duplicate-key\"]\n[lint.severity]\nunknown-field = \"info\"\nmissing-field = \"off\"\n",
        );
        assert_eq!(
            ids(&choose(&c, &[], &[]).unwrap()),
            [("wrong-type", Severity::Error)]
        );
        let cli = [
            "unknown-field".to_owned(),
            "missing-field".to_owned(),
            "duplicate-key".to_owned(),
        ];
        assert_eq!(
            ids(&choose(&c, &cli, &[]).unwrap()),
            [("unknown-field", Severity::Info)]
        );
        let err = choose(&c, &["unknown-feld".to_owned()], &[]).err().unwrap();
        assert!(
            err.starts_with("--select: unknown rule `unknown-feld`: did you mean `unknown-field`?"),
            "{err}"
        );
    }

    #[test]
    fn rules_off_by_default_run_only_when_chosen() {
        const OFF: [&str; 3] = [
            "implicit-separator",
            "missing-access-suffix",
            "webproxy-required",
        ];
        let running = |c: &LintConfig, select: &[String]| -> Vec<&'static str> {
            ids(&choose(c, select, &[]).unwrap())
                .into_iter()
                .map(|(id, _)| id)
                .filter(|id| OFF.contains(id))
                .collect()
        };
        assert!(running(&config(""), &[]).is_empty());
        assert_eq!(
            running(&config(""), &["implicit-separator".to_owned()]),
            ["implicit-separator"]
        );
        assert_eq!(
            running(
                &config("[lint]\nselect = [\"missing-access-suffix\"]\n"),
                &[]
            ),
            ["missing-access-suffix"]
        );
        assert_eq!(
            running(
                &config(
                    "[lint.severity]\nwebproxy-required = \"error\"\nimplicit-separator = \"off\"\n"
                ),
                &[]
            ),
            ["webproxy-required"]
        );
    }

    #[test]
    fn extra_diagnostics_are_sorted_suppressed_and_counted() {
        let file = crate::load::load_bytes(
            "t.yaml",
            Ok(APP.as_bytes().to_vec()),
            &Renderer::new(&Vars::default()),
        );
        let at = |line: usize| {
            let offset = APP.split_inclusive('\n').take(line - 1).map(str::len).sum();
            Pos::new(offset, line, 1)
        };
        let extra = |line| Diagnostic {
            rule: "legacy-mismatch",
            severity: Severity::Warning,
            finding: Finding::new(
                &file.source,
                Span {
                    start: at(line),
                    end: at(line),
                },
                "x",
            ),
        };
        let extra = vec![extra(3), extra(1)];
        let outcome = run_file(file, &every(), &Settings::default(), extra);
        let got: Vec<(&str, u32)> = outcome
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.finding.span.start.line))
            .collect();
        assert_eq!(
            got,
            [
                ("legacy-mismatch", 1),
                ("legacy-mismatch", 3),
                ("wrong-type", 7)
            ]
        );
        assert_eq!(
            outcome.summary,
            Summary {
                files: 1,
                errors: 1,
                warnings: 2,
                infos: 0,
                ..Summary::default()
            }
        );
        assert!(outcome.fails(false));
    }
}
