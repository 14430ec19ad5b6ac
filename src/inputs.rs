//! What every command does first: find the inputs and their deployments,
//! build a template renderer per deployment, read the files and pick out the
//! manifests.
//!
//! A file with deployments is read once for each (one file deployed to two
//! clusters with a vars file each is read twice, rendered with each); a file
//! without one is read once, with the command line's variables. `--vars`,
//! `--var` and `--cluster` win over what the deployments say, and a note says so.

use crate::cli::InputArgs;
use crate::config;
use crate::confine::Confine;
use crate::deploy::{self, Deployment};
use crate::discover::{self, Input, io_reason};
use crate::load::{self, Job, LoadedFile};
use crate::model::Manifest;
use crate::template::{Renderer, Vars};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every input read, and the manifests found in them, in input and document order.
pub struct Workspace {
    pub files: Vec<LoadedFile>,
    pub manifests: Vec<Manifest>,
    /// Notes for stderr about inputs that were skipped, and about a
    /// `--cluster` that names no known cluster.
    pub skipped: Vec<String>,
    /// The deployments found, and what could not be worked out about them.
    pub deployments: deploy::Found,
}

/// The template variables from `--vars` and `--var`.
pub fn vars(args: &InputArgs, cwd: &Path) -> Result<Vars, String> {
    let mut vars = match &args.vars {
        Some(path) => read_vars(&path.display().to_string(), cwd, None)?,
        None => Vars::default(),
    };
    vars.set_pairs(&args.var)?;
    Ok(vars)
}

/// The variables nais deploy gives one deployment: its vars files (read
/// inside `confine`) in order, then its `VAR` pairs (with `IMAGE` among
/// them). Also the names whose value maskscope cannot know (a secret, a
/// job's output): they are left out. An `Err` is a vars file the deploy
/// could not read either.
pub fn deployment_vars(
    d: &Deployment,
    cwd: &Path,
    confine: &Confine,
) -> Result<(Vars, Vec<String>), String> {
    let mut vars = Vars::default();
    for name in &d.vars {
        vars.0.extend(read_vars(name, cwd, Some(confine))?.0);
    }
    let unknown = set_var_pairs(d, &mut vars);
    Ok((vars, unknown))
}

/// Set `d`'s `VAR` pairs (with `IMAGE` among them) in `vars`, after its
/// vars files, as nais deploy does. The names whose value maskscope cannot
/// know (a secret, a job's output) are left out, and returned.
pub fn set_var_pairs(d: &Deployment, vars: &mut Vars) -> Vec<String> {
    let mut unknown = Vec::new();
    for (k, v) in &d.var {
        match v {
            Some(v) => {
                vars.0
                    .insert(k.clone(), serde_json::Value::String(v.clone()));
            }
            None => unknown.push(k.clone()),
        }
    }
    unknown
}

/// A vars file: `name` relative to `cwd`. One the repository names (not
/// `--vars`) is read only inside `confine`.
fn read_vars(name: &str, cwd: &Path, confine: Option<&Confine>) -> Result<Vars, String> {
    let mut path = cwd.join(name);
    if let Some(confine) = confine {
        path = confine
            .check(&path)
            .map_err(|why| format!("{name}: vars file not read: {why}"))?;
    }
    let len = std::fs::metadata(&path).map_or(0, |m| m.len());
    // Not read at all when its size already says it is over the budget.
    if len > crate::template::MAX_VARS_BYTES as u64 {
        return Err(Vars::too_large(name));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{name}: cannot read vars file: {}", io_reason(&e)))?;
    Vars::from_file_text(name, &text)
}

/// Find, read and parse the inputs. An `Err` is a usage error (exit 2).
pub fn load(args: &InputArgs, cwd: &Path, config: &config::Loaded) -> Result<Workspace, String> {
    load_with(args, cwd, config, |_| ()).map(|(ws, _)| ws)
}

/// The deployments of the manifests a command would read, for
/// `maskscope deployments`: as [`load()`] finds them, without reading the files.
pub fn deployments(
    args: &InputArgs,
    cwd: &Path,
    config: &config::Loaded,
) -> Result<(deploy::Found, Vec<String>), String> {
    let confine = Confine::new(cwd).and_named(&args.paths, cwd);
    let found = discover::discover(&args.paths, cwd, &confine)?;
    // What a search found counts if it holds a manifest, as when it is read.
    let holds_manifest = |input: &Input| match input {
        Input::Found(p) => confine.check(&cwd.join(p)).is_ok_and(|p| {
            std::fs::read(p).is_ok_and(|bytes| {
                crate::decode::decode(&bytes).is_ok_and(|text| {
                    load::names_a_nais_api_version(&text)
                        || (text.contains("{{") && text.contains("nais.io/"))
                })
            })
        }),
        _ => true,
    };
    let names: Vec<String> = found
        .inputs
        .iter()
        .filter(|i| holds_manifest(i))
        .filter_map(input_name)
        .collect();
    let mut deployments = find_deployments(&names, cwd, config, &confine);
    let named: std::collections::HashSet<&String> = names.iter().collect();
    if !args.paths.is_empty() {
        deployments
            .deployments
            .retain(|d| named.contains(&d.manifest));
    }
    deployments.index();
    for d in &deployments.deployments {
        if !cwd.join(&d.manifest).exists() {
            deployments.warnings.push(deploy::Warning {
                file: d.source.file.clone().unwrap_or_else(|| d.manifest.clone()),
                line: d.source.line,
                message: format!("deploys {}, which does not exist", d.manifest),
            });
        }
    }
    Ok((deployments, found.skipped))
}

/// The kinds of the documents in each deployment's file (`Application`,
/// `Topic`), in order and each once, for `maskscope deployments`: a deploy
/// step sends other resources too. Empty for a file that cannot be read.
pub fn kinds(deployments: &[Deployment], cwd: &Path) -> Vec<Vec<String>> {
    let confine = Confine::new(cwd);
    deployments
        .iter()
        .map(|d| {
            let Ok(path) = confine.check(&cwd.join(&d.manifest)) else {
                return Vec::new();
            };
            let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= load::MAX_FILE_BYTES);
            match std::fs::read(&path) {
                Ok(bytes) if small => crate::decode::decode(&bytes)
                    .map(|t| load::kinds_of(&t))
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        })
        .collect()
}

/// [`load()`], running `per_file` on each file as it is read, while its
/// manifests still hold their raw YAML (which the workspace does not keep).
/// `per_file` may take the manifests out of a file that the rest of the run
/// does not need. The results come back in input order.
pub fn load_with<T: Send>(
    args: &InputArgs,
    cwd: &Path,
    config: &config::Loaded,
    per_file: impl Fn(&mut LoadedFile) -> T + Sync,
) -> Result<(Workspace, Vec<T>), String> {
    let mut plan = plan(args, cwd, config)?;
    let (ws, results) = read(&mut plan, cwd, per_file, |_| None)?;
    Ok((ws, results.into_iter().flatten().collect()))
}

/// What a command will read, before any manifest is read: each input with
/// its deployment and the variables it is rendered with (one file deployed
/// to two clusters is two jobs).
pub struct Plan {
    pub jobs: Vec<Planned>,
    cli: Renderer,
    searched: bool,
    /// Manifests `--cluster` left out: with any, finding none to read is
    /// no error.
    left_out: usize,
    skipped: Vec<String>,
    deployments: deploy::Found,
    confine: Confine,
    /// [`InputArgs::shown_from`].
    shown_from: Option<PathBuf>,
}

/// One job of a [`Plan`].
pub struct Planned {
    pub input: Input,
    pub deployment: Option<Arc<Deployment>>,
    /// `None`: the command line's variables.
    pub renderer: Option<Renderer>,
}

impl Plan {
    /// The deployments found, and what could not be worked out.
    pub fn deployments_mut(&mut self) -> &mut deploy::Found {
        &mut self.deployments
    }

    /// Whether job `i` reads as `other`'s job `j` does, if the file's
    /// content is the same: the same input, deployment and variables.
    pub fn reads_as(&self, i: usize, other: &Plan, j: usize) -> bool {
        let (a, b) = (&self.jobs[i], &other.jobs[j]);
        a.input == b.input
            && a.deployment == b.deployment
            && a.renderer.as_ref().unwrap_or(&self.cli) == b.renderer.as_ref().unwrap_or(&other.cli)
    }
}

/// Find the inputs and their deployments, and read the vars files: the
/// first half of [`load_with`].
pub fn plan(args: &InputArgs, cwd: &Path, config: &config::Loaded) -> Result<Plan, String> {
    plan_within(args, cwd, config, Confine::new(cwd))
}

/// [`plan`], reading what the repository names only inside `confine`
/// (see [`crate::confine`]).
pub fn plan_within(
    args: &InputArgs,
    cwd: &Path,
    config: &config::Loaded,
    confine: Confine,
) -> Result<Plan, String> {
    let cli_vars = vars(args, cwd)?;
    let confine = confine.and_named(&args.paths, cwd);
    let mut found = discover::discover(&args.paths, cwd, &confine)?;
    if args.skip_non_manifests {
        // Read as a search reads what it finds: only if it holds a manifest.
        for input in &mut found.inputs {
            if let Input::File(path) = input {
                *input = Input::Found(std::mem::take(path));
            }
        }
    }
    let names: Vec<String> = found.inputs.iter().filter_map(input_name).collect();
    let mut deployments = find_deployments(&names, cwd, config, &confine);
    if args.paths.is_empty() {
        // Manifests a workflow deploys are read even where no search looks.
        let mut known: std::collections::HashSet<String> = names.iter().cloned().collect();
        let mut outside = Vec::new();
        for d in &deployments.deployments {
            if known.contains(&d.manifest) || !cwd.join(&d.manifest).is_file() {
                continue;
            }
            known.insert(d.manifest.clone());
            match confine.check(&cwd.join(&d.manifest)) {
                Ok(_) => found.inputs.push(Input::Found(PathBuf::from(&d.manifest))),
                Err(why) => outside.push(deploy::Warning {
                    file: d.source.file.clone().unwrap_or_else(|| d.manifest.clone()),
                    line: d.source.line,
                    message: format!("deploys {}, {why}", d.manifest),
                }),
            }
        }
        deployments.warnings.extend(outside);
    }
    let overrides = args.vars.is_some() || !args.var.is_empty();
    let mut plans: Vec<(Input, Option<Arc<Deployment>>)> = Vec::new();
    let clusters = config.config.clusters();
    // Manifests `--cluster` leaves out: deployed elsewhere only, or not at all.
    let mut elsewhere = 0usize;
    for input in &found.inputs {
        let of = input_name(input)
            .map(|n| deployments.of(&n))
            .unwrap_or_default();
        // `--cluster`: the deployments to that cluster, else one whose
        // cluster is not known (nor its environment another's), as if it
        // went there; a manifest deployed elsewhere only, or not at all, is
        // left out.
        let of = match &args.cluster {
            Some(cluster) => {
                let to: Vec<&Deployment> = of
                    .iter()
                    .copied()
                    .filter(|d| d.cluster.as_ref() == Some(cluster))
                    .collect();
                if to.is_empty() {
                    let there = deploy::Environment::of_cluster(cluster, &clusters);
                    let may: Vec<&Deployment> = of
                        .iter()
                        .copied()
                        .filter(|d| {
                            d.deployed()
                                && d.cluster.is_none()
                                && (d.environment.is_none()
                                    || there.is_none()
                                    || d.environment == there)
                        })
                        .take(1)
                        .collect();
                    if may.is_empty() && !of.is_empty() {
                        elsewhere += 1;
                        continue;
                    }
                    may
                } else {
                    to
                }
            }
            None => of,
        };
        let mut seen: Vec<Deployment> = Vec::new();
        for d in of {
            let mut d = d.clone();
            // A manifest no deploy step names goes to no cluster, given or not.
            if let Some(cluster) = args.cluster.as_ref().filter(|_| d.deployed()) {
                d.environment = deploy::Environment::of_cluster(cluster, &config.config.clusters());
                d.cluster = Some(cluster.clone());
            }
            if overrides {
                d.vars.clear();
                d.var.clear();
            }
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
        if seen.is_empty() {
            plans.push((input.clone(), None));
        }
        plans.extend(seen.into_iter().map(|d| (input.clone(), Some(Arc::new(d)))));
    }
    let mut skipped = found.skipped;
    if let Some(cluster) = &args.cluster {
        skipped.extend(crate::cluster::unknown(cluster, &clusters));
        if elsewhere > 0 {
            skipped.push(format!(
                "--cluster {cluster}: {elsewhere} manifest{} not deployed to {cluster} left out",
                if elsewhere == 1 { "" } else { "s" }
            ));
        }
    }
    let renderers = renderers(&plans, &cli_vars, overrides, cwd, &confine, &mut skipped)?;
    let jobs = plans
        .into_iter()
        .zip(renderers)
        .map(|((input, deployment), renderer)| Planned {
            input,
            deployment,
            renderer,
        })
        .collect();
    Ok(Plan {
        jobs,
        cli: Renderer::new(&cli_vars),
        searched: args.paths.is_empty(),
        left_out: elsewhere,
        skipped,
        deployments,
        confine,
        shown_from: args.shown_from.clone(),
    })
}

/// Read what `plan` says: the second half of [`load_with`]. The results
/// are the plan's jobs', in order; `None` for a file a search found that
/// holds no manifest. `known` gives the result of a job without reading
/// it (`Some(result)`), when the caller already has it. The plan keeps its
/// jobs, to be compared with another's ([`Plan::reads_as`]); its notes
/// move into the workspace.
pub fn read<T: Send>(
    plan: &mut Plan,
    cwd: &Path,
    per_file: impl Fn(&mut LoadedFile) -> T + Sync,
    known: impl Fn(usize) -> Option<Option<T>>,
) -> Result<(Workspace, Vec<Option<T>>), String> {
    let mut results: Vec<Option<Option<T>>> = (0..plan.jobs.len()).map(&known).collect();
    let todo: Vec<usize> = (0..plan.jobs.len())
        .filter(|&i| results[i].is_none())
        .collect();
    let jobs: Vec<Job> = todo
        .iter()
        .map(|&i| {
            let p = &plan.jobs[i];
            Job {
                input: p.input.clone(),
                renderer: p.renderer.as_ref().unwrap_or(&plan.cli),
                deployment: p.deployment.clone(),
            }
        })
        .collect();
    let mut files = Vec::new();
    for (i, read) in todo.into_iter().zip(load::load_all(
        &jobs,
        cwd,
        &plan.confine,
        plan.shown_from.as_deref(),
        per_file,
    )) {
        results[i] = Some(read.map(|(file, result)| {
            files.push(file);
            result
        }));
    }
    let results: Vec<Option<T>> = results.into_iter().map(Option::flatten).collect();
    if plan.searched && plan.left_out == 0 && results.iter().all(Option::is_none) {
        return Err(discover::none_found(cwd));
    }
    let manifests = files
        .iter_mut()
        .flat_map(|f| std::mem::take(&mut f.manifests))
        .collect();
    let ws = Workspace {
        files,
        manifests,
        skipped: std::mem::take(&mut plan.skipped),
        deployments: std::mem::take(&mut plan.deployments),
    };
    Ok((ws, results))
}

/// The path of an input as the repository names it, for matching deployments.
pub fn input_name(input: &Input) -> Option<String> {
    match input {
        Input::File(p) | Input::Found(p) => Some(deploy::normalize(&p.to_string_lossy())),
        Input::Stdin => None,
    }
}

fn find_deployments(
    names: &[String],
    cwd: &Path,
    config: &config::Loaded,
    confine: &Confine,
) -> deploy::Found {
    deploy::find(
        cwd,
        confine,
        names,
        config.name.as_deref(),
        &config.deployments(),
        &config.config.clusters(),
        &config.workflow_sources(cwd),
    )
}

/// A renderer for each plan whose deployment has variables of its own
/// (`None`: the command line's). Vars files are read once each; one that
/// cannot be read is a note, and the deployment is rendered without it.
fn renderers(
    plans: &[(Input, Option<Arc<Deployment>>)],
    cli: &Vars,
    overrides: bool,
    cwd: &Path,
    confine: &Confine,
    notes: &mut Vec<String>,
) -> Result<Vec<Option<Renderer>>, String> {
    let mut files: HashMap<String, Option<Vars>> = HashMap::new();
    let mut out = Vec::new();
    for (_, d) in plans {
        if !overrides && d.as_ref().is_some_and(|d| d.without_variables()) {
            out.push(Some(Renderer::unrendered()));
            continue;
        }
        let Some(d) = d
            .as_ref()
            .filter(|d| !d.vars.is_empty() || !d.var.is_empty())
        else {
            out.push(None);
            continue;
        };
        let mut vars = Vars::default();
        for name in &d.vars {
            let read = files.entry(name.clone()).or_insert_with(|| {
                match read_vars(name, cwd, Some(confine)) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        let at = match (&d.source.file, d.source.line) {
                            (Some(f), Some(l)) => format!("{f}:{l}: "),
                            (Some(f), None) => format!("{f}: "),
                            _ => String::new(),
                        };
                        notes.push(format!(
                            "{at}{e}; the deployments that name it are rendered without it"
                        ));
                        None
                    }
                }
            });
            if let Some(v) = read {
                vars.0.extend(v.0.clone());
            }
        }
        let mut unknown = set_var_pairs(d, &mut vars);
        if overrides {
            vars.0.extend(cli.0.clone());
            unknown.retain(|k| !cli.0.contains_key(k));
        }
        out.push(Some(Renderer::with_unknown(&vars, unknown)));
    }
    Ok(out)
}

/// What the command line's `--vars`/`--var` and `--cluster` override of the
/// deployments found, in words (for notes on stderr).
pub fn override_notes(
    vars: bool,
    cluster: Option<&str>,
    found: &crate::deploy::Found,
) -> Vec<String> {
    use crate::deploy::SourceKind;
    let by = |kind| found.deployments.iter().any(|d| d.source.kind == kind);
    let named = by(SourceKind::Workflow) || by(SourceKind::Config);
    let mut notes = Vec::new();
    if named && vars {
        notes.push("--vars/--var given: they are used for every manifest instead of the variables its deployments name".to_owned());
    }
    if let Some(cluster) = &cluster {
        let by_name = found.deployments.iter().any(|d| {
            // Read before the override: what the file names said.
            d.source.kind == SourceKind::Convention
                && (d.cluster.is_some() || d.environment.is_some())
        });
        if named || by_name {
            notes.push(format!(
                "--cluster {cluster} given: only the manifests deployed to {cluster} are read, and those whose cluster is not known as if deployed there"
            ));
        }
    }
    notes
}
