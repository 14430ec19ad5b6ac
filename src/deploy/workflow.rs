//! Deployments from GitHub Actions workflows: the steps that use the nais
//! deploy action, with the expressions real workflows put in their settings.
//!
//! Two forms of the action are read (nais/deploy, `actions/deploy`):
//! `nais/deploy/actions/deploy@*`, set up in the step's `env:` (`CLUSTER`,
//! `RESOURCE` comma-separated, `VARS`, `VAR` comma-separated `key=value`,
//! `IMAGE`), and `nais/deploy/actions/deploy-v3@*`, set up in `with:`
//! (`cluster`, `resource`, `vars`, `var`, `image`).
//!
//! Of GitHub's expressions, only the forms deploy settings use are resolved:
//! `${{ matrix.x }}` over a literal `strategy.matrix` (lists, `include`,
//! `exclude`; one deployment per combination), `${{ github.workflow }}` (the
//! calling workflow's `name`, else its path), `${{ env.X }}` from the
//! workflow's, job's and step's `env`, `${{ inputs.x }}` of a reusable workflow
//! of the same repository called with `with:` (`uses: ./.github/workflows/x.yml`),
//! and literal text around them. Anything else (`${{ needs.build.outputs.image }}`,
//! a secret) is a value maskscope cannot know: fine for `IMAGE` and `VAR`, but
//! in `CLUSTER`, `RESOURCE` or `VARS` it leaves the deployment incomplete, which
//! a warning names with the workflow file and line.
//!
//! Workflows are read with serde-saphyr (YAML 1.2, as GitHub reads them: `on`
//! is a key, not `true`), with the same budgets as other typed files.

use super::remote::{Address, HOW_TO_READ, Origin, Supply};
use super::{
    Deployment, Environment, Found, Source, SourceKind, Unresolved, Via, Warning, normalize,
};
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

/// Largest workflow file read, in bytes.
const MAX_BYTES: u64 = 1024 * 1024;

// Budgets. A workflow is the pull request author's to write, and a few
// hundred bytes of it can ask for billions of deployments (a workflow that
// calls itself over a matrix, `env` values that each double the one
// before). When one is reached, the top-level workflow being read is left
// out: a warning names where, and its deployments are unknown
// (`Found::unresolved`), never guessed.

/// Most combinations one matrix expands to, after `exclude` and `include`:
/// GitHub's own cap ("a matrix can generate a maximum of 256 jobs per
/// workflow run", docs.github.com, "Running variations of jobs in a workflow").
const MAX_COMBINATIONS: usize = 256;
/// Most combinations of a matrix's lists looked at before `exclude`.
const MAX_PRODUCT: usize = 65_536;
/// Deepest chain of reusable workflows followed: GitHub connects at most
/// ten levels of workflows (docs.github.com, "Reusing workflows", "Nesting
/// reusable workflows").
const MAX_CALL_DEPTH: usize = 10;
/// Most value comparisons expanding one matrix (`exclude` against its
/// lists, then against each combination).
const MAX_MATRIX_WORK: usize = 10_000_000;
/// Most job runs (one job for one matrix combination, in a called workflow
/// too) in one reading of the workflows.
const MAX_JOB_RUNS: usize = 10_000;
/// Most deployments read from the workflows.
const MAX_DEPLOYMENTS: usize = 20_000;
/// Longest text an expression resolves to, in bytes.
const MAX_TEXT: usize = 64 * 1024;
/// Most text all expressions resolve to in one reading, in bytes.
const MAX_RESOLVED: usize = 64 * 1024 * 1024;

/// A budget reached while reading a workflow: where, and which.
#[derive(Debug)]
struct Exceeded {
    file: String,
    line: u32,
    what: String,
}

#[derive(Debug, Default, Deserialize)]
struct Workflow {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    on: Value,
    #[serde(default)]
    env: Option<Spanned<Value>>,
    #[serde(default)]
    jobs: BTreeMap<String, Spanned<Job>>,
    #[serde(default)]
    permissions: Value,
}

#[derive(Debug, Default, Deserialize)]
struct Job {
    #[serde(default)]
    env: Value,
    /// A mapping, or an expression (`${{ fromJSON(...) }}`).
    #[serde(default)]
    strategy: Value,
    #[serde(default)]
    steps: Vec<Spanned<Step>>,
    /// A reusable workflow this job calls.
    #[serde(default)]
    uses: Option<String>,
    #[serde(default)]
    with: Value,
    #[serde(default)]
    permissions: Value,
}

#[derive(Debug, Default, Deserialize)]
struct Step {
    #[serde(default)]
    uses: Option<String>,
    /// A shell script, which may write `GITHUB_ENV`.
    #[serde(default)]
    run: Value,
    #[serde(default)]
    with: Value,
    #[serde(default)]
    env: Value,
}

/// The `*.yml` and `*.yaml` files of a folder, sorted by name: `(name,
/// text)`, or why the text cannot be had (over [`MAX_BYTES`], not UTF-8,
/// unreadable). A folder that cannot be read is no workflows; a link is
/// passed over (GitHub reads plain files only).
pub fn read_dir(dir: &Path) -> Vec<(String, Result<String, String>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Result<String, String>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
                return None;
            }
            if e.metadata().is_ok_and(|m| m.len() > MAX_BYTES) {
                return Some((
                    name,
                    Err(format!(
                        "larger than maskscope's budget of {} MiB for a workflow",
                        MAX_BYTES / (1024 * 1024)
                    )),
                ));
            }
            let text = std::fs::read(e.path())
                .map_err(|e| crate::discover::io_reason(&e))
                .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8".to_owned()));
            Some((name, text))
        })
        .collect();
    out.sort();
    out
}

/// A value as far as maskscope can know it. Texts are shared, not copied,
/// when a scope is taken into a job, a step or a called workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    Text(Rc<str>),
    /// An expression that cannot be resolved, as written.
    Unknown(Rc<str>),
    /// Text longer than [`MAX_TEXT`].
    TooLong,
    /// The reading has resolved more than [`MAX_RESOLVED`] bytes in all.
    Spent,
}

/// One `env:` level (the workflow's, a job's, a step's), resolved.
#[derive(Debug)]
enum Env {
    Known(BTreeMap<String, Known>),
    /// `env: ${{ ... }}`: an expression, so any variable may be set.
    Opaque(Rc<str>),
}

/// Which `env:` an `env:` mapping's values may refer to: GitHub makes the
/// `env` context available in a step's `env` (the workflow's and job's
/// variables), not in a job's or the workflow's, and never a mapping's own
/// keys (docs.github.com, "Contexts reference", "Context availability").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Workflow,
    Job,
    Step,
}

/// What an expression may refer to. Cheap to clone: each `env:` mapping is
/// a layer of its own (the workflow's, the job's, the step's), shared.
#[derive(Debug, Clone)]
struct Scope {
    matrix: Rc<Map<String, Value>>,
    /// The job's matrix is an expression: `matrix.*` cannot be known.
    matrix_unknown: bool,
    /// Innermost last.
    env: Vec<Rc<Env>>,
    inputs: Rc<BTreeMap<String, Known>>,
    /// `github.workflow`.
    github_workflow: Rc<str>,
    /// Bytes resolved so far in the whole reading, against [`MAX_RESOLVED`].
    spent: Rc<Cell<usize>>,
}

impl Scope {
    fn new(
        inputs: BTreeMap<String, Known>,
        github_workflow: Rc<str>,
        spent: Rc<Cell<usize>>,
    ) -> Scope {
        Scope {
            matrix: Rc::default(),
            matrix_unknown: false,
            env: Vec::new(),
            inputs: Rc::new(inputs),
            github_workflow,
            spent,
        }
    }

    /// This scope without its `env` (for values where GitHub has no `env`
    /// context: a job's or the workflow's `env`, a called workflow's `with`).
    fn without_env(&self) -> Scope {
        Scope {
            env: Vec::new(),
            ..self.clone()
        }
    }

    /// `text` with every `${{ ... }}` replaced by what it names.
    fn resolve(&self, text: &str) -> Known {
        if text.len() > MAX_TEXT {
            return Known::TooLong;
        }
        let spend = |n: usize| {
            let total = self.spent.get().saturating_add(n);
            self.spent.set(total);
            total <= MAX_RESOLVED
        };
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("${{") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 3..];
            let Some(j) = after.find("}}") else {
                return if spend(text.len()) {
                    Known::Unknown(text.into())
                } else {
                    Known::Spent
                };
            };
            match self.lookup(after[..j].trim()) {
                Known::Text(v) if out.len() + v.len() <= MAX_TEXT => out.push_str(&v),
                Known::Text(_) | Known::TooLong => return Known::TooLong,
                Known::Spent => return Known::Spent,
                Known::Unknown(_) => {
                    return if spend(text.len()) {
                        Known::Unknown(text.into())
                    } else {
                        Known::Spent
                    };
                }
            }
            rest = &after[j + 2..];
        }
        if out.len() + rest.len() > MAX_TEXT {
            return Known::TooLong;
        }
        out.push_str(rest);
        if spend(out.len()) {
            Known::Text(out.into())
        } else {
            Known::Spent
        }
    }

    fn lookup(&self, expr: &str) -> Known {
        let Some((context, name)) = expr.split_once('.') else {
            return Known::Unknown(expr.into());
        };
        let known = match context {
            "matrix" if self.matrix_unknown => None,
            "matrix" => self.matrix.get(name).map(|v| {
                let text = scalar_text(v);
                if text.len() > MAX_TEXT {
                    Known::TooLong
                } else {
                    Known::Text(text.into())
                }
            }),
            "env" => self.env_value(name),
            "inputs" => self.inputs.get(name).cloned(),
            "github" if name == "workflow" => Some(Known::Text(Rc::clone(&self.github_workflow))),
            _ => None,
        };
        known.unwrap_or_else(|| Known::Unknown(expr.into()))
    }

    /// `env.NAME`: from the innermost level that sets it; unknown past a
    /// level that is an expression.
    fn env_value(&self, name: &str) -> Option<Known> {
        for layer in self.env.iter().rev() {
            match &**layer {
                Env::Known(map) => {
                    if let Some(v) = map.get(name) {
                        return Some(v.clone());
                    }
                }
                Env::Opaque(expr) => return Some(Known::Unknown(Rc::clone(expr))),
            }
        }
        None
    }

    /// An `env:` at `level`, resolved as GitHub resolves it and added to
    /// this scope as a layer. A value over a text budget is an error at
    /// `line`.
    fn with_env(
        &self,
        env: &Value,
        level: Level,
        file: &str,
        line: u32,
    ) -> Result<Scope, Exceeded> {
        let layer = match env {
            Value::Object(map) if map.is_empty() => return Ok(self.clone()),
            Value::Object(map) => {
                let within = match level {
                    Level::Step => self.clone(),
                    Level::Workflow | Level::Job => self.without_env(),
                };
                let mut layer = BTreeMap::new();
                for (k, v) in map {
                    let value = within.resolve(&scalar_text(v));
                    let value = over_budget(value, file, line, &format!("`env.{k}`"))?;
                    layer.insert(k.clone(), value);
                }
                Env::Known(layer)
            }
            Value::Null => return Ok(self.clone()),
            other => Env::Opaque(scalar_text(other).into()),
        };
        let mut scope = self.clone();
        scope.env.push(Rc::new(layer));
        Ok(scope)
    }
}

/// `known`, unless it is over a budget: then the error, at `line`.
fn over_budget(known: Known, file: &str, line: u32, what: &str) -> Result<Known, Exceeded> {
    let what = match known {
        Known::TooLong => format!(
            "{what} resolves to more than {} KiB of text, maskscope's budget",
            MAX_TEXT / 1024
        ),
        Known::Spent => format!(
            "the workflows' expressions resolve to more than {} MiB of text in all, maskscope's budget",
            MAX_RESOLVED / (1024 * 1024)
        ),
        known => return Ok(known),
    };
    Err(Exceeded {
        file: file.to_owned(),
        line,
        what,
    })
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The deployments every workflow's deploy steps make. Workflows only called
/// by others (`on: workflow_call` alone) are read through their callers.
pub fn deployments(
    workflows: &[(String, String)],
    clusters: &BTreeMap<String, Environment>,
) -> Found {
    deployments_in(workflows, clusters, None, &super::remote::Nothing)
}

/// [`deployments`] in the repository `this_repo` (`owner/name`, as
/// `GITHUB_REPOSITORY` gives it): a job that calls a workflow by this
/// repository's address calls the one in this checkout.
pub fn deployments_in(
    workflows: &[(String, String)],
    clusters: &BTreeMap<String, Environment>,
    this_repo: Option<&str>,
    supply: &dyn Supply,
) -> Found {
    let mut found = Found::default();
    let parsed: Vec<(String, Option<Workflow>)> = workflows
        .iter()
        .map(|(name, text)| {
            let wf = parse(name, text, &mut found.warnings);
            if wf.is_none() && may_deploy(text) {
                let line = found.warnings.last().and_then(|w| w.line);
                unreadable(
                    name,
                    line,
                    "not a workflow GitHub Actions' YAML reader reads as maskscope does",
                    &mut found,
                );
            }
            (name.clone(), wf)
        })
        .collect();
    let reader = Reader {
        workflows: &parsed,
        clusters,
        job_runs: Cell::new(0),
        deployments: Cell::new(0),
        spent: Rc::new(Cell::new(0)),
        this_repo,
        supply,
        remote: RefCell::new(BTreeMap::new()),
    };
    for (name, wf) in &parsed {
        let Some(wf) = wf else { continue };
        if only_called(wf) {
            continue;
        }
        // Each top-level workflow on its own: one over a budget is left
        // out whole, and says so.
        let mut own = Found::default();
        // `github.workflow`: the workflow's `name`, else its path; in a
        // called workflow still the caller's (docs.github.com, "Contexts
        // reference": the github context of a reusable workflow is the
        // caller's).
        let github_workflow: Rc<str> = wf.name.as_deref().unwrap_or(name).into();
        match reader.workflow(
            name,
            wf,
            &BTreeMap::new(),
            &github_workflow,
            0,
            None,
            &mut own,
        ) {
            Ok(()) => {
                found.deployments.append(&mut own.deployments);
                found.warnings.append(&mut own.warnings);
                found.unresolved.append(&mut own.unresolved);
                found.local_actions.append(&mut own.local_actions);
                found.foreign_calls |= own.foreign_calls;
            }
            Err(e) => {
                let message = format!(
                    "{}: the deployments of {name} are not known; its manifests are read by file-name conventions",
                    e.what
                );
                found.warnings.push(Warning {
                    file: e.file.clone(),
                    line: Some(e.line),
                    message: message.clone(),
                });
                found.unresolved.push(Unresolved {
                    when_new: false,
                    file: e.file,
                    line: e.line,
                    cluster: None,
                    environment: None,
                    reason: message,
                });
            }
        }
    }
    found
}

fn parse(name: &str, text: &str, warnings: &mut Vec<Warning>) -> Option<Workflow> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    // YAML 1.2, as GitHub reads workflows: `y`, `on` and `yes` are text.
    options.strict_booleans = true;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 100_000;
    budget.max_events = 400_000;
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    options.budget = Some(budget);
    match serde_saphyr::from_str_with_options::<Workflow>(text, options) {
        Ok(w) => Some(w),
        Err(e) => {
            let line = e.location().map(|l| l.line() as u32);
            warnings.push(Warning {
                file: name.to_owned(),
                line,
                message: "cannot read this workflow, so the deployments it makes are not known; \
                          its manifests are read by file-name conventions"
                    .to_owned(),
            });
            None
        }
    }
}

/// Whether a workflow maskscope cannot read may deploy: whether its text
/// names anything that deploys or runs another workflow or action.
pub fn may_deploy(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    ["deploy", "uses:", "docker://"]
        .iter()
        .any(|w| text.contains(w))
}

/// What cannot be read of a workflow that may deploy: an `unknown`.
fn unreadable(name: &str, line: Option<u32>, why: &str, found: &mut Found) {
    found.unresolved.push(Unresolved {
        when_new: false,
        file: name.to_owned(),
        line: line.unwrap_or(1),
        cluster: None,
        environment: None,
        reason: format!("the workflow cannot be read ({why}), so what it deploys is not known"),
    });
}

/// Whether a workflow runs only when another calls it.
fn only_called(wf: &Workflow) -> bool {
    match &wf.on {
        Value::String(s) => s == "workflow_call",
        Value::Array(a) => a.len() == 1 && a[0] == "workflow_call",
        Value::Object(m) => m.len() == 1 && m.contains_key("workflow_call"),
        _ => false,
    }
}

struct Reader<'a> {
    workflows: &'a [(String, Option<Workflow>)],
    clusters: &'a BTreeMap<String, Environment>,
    /// Job runs and deployments so far, against [`MAX_JOB_RUNS`] and
    /// [`MAX_DEPLOYMENTS`]: over the whole reading, so that many
    /// workflows each under a budget cannot add up to what it guards.
    job_runs: Cell<usize>,
    deployments: Cell<usize>,
    /// Bytes resolved so far, shared by every scope of the reading.
    spent: Rc<Cell<usize>>,
    /// `owner/name` of this repository, when known.
    this_repo: Option<&'a str>,
    /// What supplies other repositories' workflows.
    supply: &'a dyn Supply,
    /// Other repositories' workflows asked for so far, by address: each is
    /// asked for once however many jobs call it.
    remote: RefCell<Remote>,
}

type Remote = BTreeMap<String, Result<(Origin, Rc<Workflow>), String>>;

/// A job's call of a reusable workflow.
struct Call<'a> {
    uses: &'a str,
    with: &'a Value,
    /// Whether the job may request an OIDC token (`id-token: write`).
    id_token: bool,
}

/// Whether `permissions` grant `id-token: write` (`write-all` does).
fn grants_id_token(permissions: &Value) -> bool {
    match permissions {
        Value::String(s) => s == "write-all",
        Value::Object(m) => m.get("id-token").is_some_and(|v| v == "write"),
        _ => false,
    }
}

/// What a job calls.
enum Target {
    /// A workflow of this checkout.
    Here(String),
    There(Address),
}

impl Reader<'_> {
    /// `n` more deployments, against [`MAX_DEPLOYMENTS`] for the whole
    /// reading; over it, an error at `name`'s `line`.
    fn count_deployments(&self, n: usize, name: &str, line: u32) -> Result<(), Exceeded> {
        let total = self.deployments.get() + n;
        self.deployments.set(total);
        if total > MAX_DEPLOYMENTS {
            return Err(Exceeded {
                file: name.to_owned(),
                line,
                what: format!(
                    "the workflows make more than {} deployments, maskscope's budget",
                    crate::output::thousands(MAX_DEPLOYMENTS)
                ),
            });
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn workflow(
        &self,
        name: &str,
        wf: &Workflow,
        inputs: &BTreeMap<String, Known>,
        github_workflow: &Rc<str>,
        depth: usize,
        home: Option<&Address>,
        found: &mut Found,
    ) -> Result<(), Exceeded> {
        let mut inputs = inputs.clone();
        for (k, default) in input_defaults(wf) {
            inputs.entry(k).or_insert(Known::Text(default.into()));
        }
        let env_line = wf.env.as_ref().map_or(1, |e| e.referenced.line() as u32);
        let top = Scope::new(inputs, Rc::clone(github_workflow), Rc::clone(&self.spent)).with_env(
            wf.env.as_ref().map_or(&Value::Null, |e| &e.value),
            Level::Workflow,
            name,
            env_line,
        )?;
        for job in wf.jobs.values() {
            let line = job.referenced.line() as u32;
            let job = &job.value;
            let (combinations, matrix_unknown) = match matrix(&job.strategy) {
                Ok(c) => (c, false),
                Err(Matrix::Expression) => {
                    // Settings that name `matrix.*` are unknown; the rest
                    // of the job is read as it is written.
                    found.warnings.push(Warning {
                        file: name.to_owned(),
                        line: Some(line),
                        message: "the job's `strategy.matrix` is not written out (an expression): what its steps take from the matrix is not known".to_owned(),
                    });
                    (vec![Map::new()], true)
                }
                Err(Matrix::Over(what)) => {
                    return Err(Exceeded {
                        file: name.to_owned(),
                        line,
                        what,
                    });
                }
            };
            for combination in combinations {
                let runs = self.job_runs.get() + 1;
                self.job_runs.set(runs);
                if runs > MAX_JOB_RUNS {
                    return Err(Exceeded {
                        file: name.to_owned(),
                        line,
                        what: format!(
                            "the workflows run more than {} jobs (each matrix combination, in called workflows too), maskscope's budget",
                            crate::output::thousands(MAX_JOB_RUNS)
                        ),
                    });
                }
                let scope = Scope {
                    matrix: Rc::new(combination),
                    matrix_unknown,
                    ..top.clone()
                }
                .with_env(&job.env, Level::Job, name, line)?;
                if let Some(called) = &job.uses {
                    let call = Call {
                        uses: called,
                        with: &job.with,
                        // The job's permissions, else the workflow's.
                        id_token: grants_id_token(if job.permissions.is_null() {
                            &wf.permissions
                        } else {
                            &job.permissions
                        }),
                    };
                    self.call(name, line, &call, &scope, depth, home, found)?;
                }
                // Whether a step before may have written `GITHUB_ENV`.
                let mut env_written = false;
                for step in &job.steps {
                    let line = step.referenced.line() as u32;
                    self.step(name, line, &step.value, &scope, env_written, found)?;
                    // A script of the pull request's own may write any
                    // variable; a published action is taken to write none of
                    // the deploy settings (SECURITY.md, "Limits").
                    env_written |= !step.value.run.is_null();
                }
            }
        }
        Ok(())
    }

    /// A job that calls a reusable workflow: of this repository (`./...`,
    /// or this repository's address), or of another ([`Address`]). In a
    /// workflow of another repository (`home`), `./...` is that repository's.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        name: &str,
        line: u32,
        call: &Call,
        scope: &Scope,
        depth: usize,
        home: Option<&Address>,
        found: &mut Found,
    ) -> Result<(), Exceeded> {
        let (called, with) = (call.uses, call.with);
        let ours = |called: &str| -> Option<String> {
            let r = self.this_repo?;
            let lower = called.to_ascii_lowercase();
            let rest = lower.strip_prefix(&format!("{}/", r.to_ascii_lowercase()))?;
            let at = rest.rfind('@').unwrap_or(rest.len());
            Some(called[called.len() - rest.len()..called.len() - rest.len() + at].to_owned())
        };
        let target = match (called.strip_prefix("./"), home) {
            (Some(path), None) => Target::Here(normalize(path)),
            (Some(path), Some(h)) => {
                match Address::parse(&format!("{}/{}@{}", h.repo, normalize(path), h.reference)) {
                    Some(a) => Target::There(a),
                    None => return Ok(()),
                }
            }
            (None, _) => match ours(called) {
                Some(path) => Target::Here(normalize(&path)),
                None => match Address::parse(called) {
                    Some(a) => Target::There(a),
                    None => {
                        // Another repository's workflow, which cannot be
                        // read, may deploy any manifest: conventions stay
                        // on beside it.
                        found.foreign_calls = true;
                        return Ok(());
                    }
                },
            },
        };
        if let Target::Here(path) = &target
            && !self
                .workflows
                .iter()
                .any(|(n, wf)| n == path && wf.is_some())
        {
            return Ok(());
        }
        if depth + 1 >= MAX_CALL_DEPTH {
            return Err(Exceeded {
                file: name.to_owned(),
                line,
                what: format!(
                    "reusable workflows call each other more than {MAX_CALL_DEPTH} levels deep, which GitHub does not run"
                ),
            });
        }
        let mut inputs = BTreeMap::new();
        // A called workflow's `with:` has no `env` context.
        let within = scope.without_env();
        if let Value::Object(map) = with {
            for (k, v) in map {
                let value = within.resolve(&scalar_text(v));
                let value = over_budget(value, name, line, &format!("`with.{k}`"))?;
                inputs.insert(k.clone(), value);
            }
        }
        match target {
            Target::Here(path) => {
                let Some((callee, Some(wf))) = self.workflows.iter().find(|(n, _)| *n == path)
                else {
                    return Ok(());
                };
                self.workflow(
                    callee,
                    wf,
                    &inputs,
                    &scope.github_workflow,
                    depth + 1,
                    None,
                    found,
                )
            }
            Target::There(address) => self.elsewhere(
                name,
                line,
                &address,
                (&inputs, call.id_token),
                scope,
                depth,
                found,
            ),
        }
    }

    /// A called workflow of another repository: read as one of this
    /// repository's when its text can be had, else inferred from the
    /// caller's `with:`.
    #[allow(clippy::too_many_arguments)]
    fn elsewhere(
        &self,
        name: &str,
        line: u32,
        address: &Address,
        (inputs, id_token): (&BTreeMap<String, Known>, bool),
        scope: &Scope,
        depth: usize,
        found: &mut Found,
    ) -> Result<(), Exceeded> {
        let key = address.to_string();
        let got = {
            let mut read = self.remote.borrow_mut();
            let entry =
                read.entry(key.clone())
                    .or_insert_with(|| match self.supply.supply(address) {
                        Ok(supplied) => {
                            if let Some(note) = &supplied.note {
                                found.warnings.push(Warning {
                                    file: name.to_owned(),
                                    line: Some(line),
                                    message: format!("the called workflow {key}: {note}"),
                                });
                            }
                            match parse(&key, &supplied.text, &mut found.warnings) {
                                Some(wf) => Ok((supplied.origin, Rc::new(wf))),
                                None => Err("not a workflow maskscope can read".to_owned()),
                            }
                        }
                        Err(why) => Err(why),
                    });
            entry.clone()
        };
        let (origin, wf) = match got {
            Ok(got) => got,
            Err(why) => {
                // Not read: what it deploys is inferred or unknown, and the
                // manifests no step names may be its: conventions stay on.
                found.foreign_calls = true;
                return self.infer(name, line, address, &why, (inputs, id_token), found);
            }
        };
        let mut own = Found::default();
        self.workflow(
            &key,
            &wf,
            inputs,
            &scope.github_workflow,
            depth + 1,
            Some(address),
            &mut own,
        )?;
        // The workflow with the deploy step (the innermost), called from
        // the outermost caller: this repository's workflow.
        for d in &mut own.deployments {
            let via = d.source.via.get_or_insert_with(|| Via {
                workflow: key.clone(),
                file: String::new(),
                line,
                origin,
            });
            via.file = name.to_owned();
            via.line = line;
        }
        found.deployments.append(&mut own.deployments);
        found.warnings.append(&mut own.warnings);
        found.foreign_calls |= own.foreign_calls;
        found.unresolved.append(&mut own.unresolved);
        found.local_actions.append(&mut own.local_actions);
        Ok(())
    }

    /// What a called workflow that cannot be read deploys, from the
    /// caller's `with:` alone: a cluster and a manifest named there are
    /// that deployment (inferred, and said so); neither, in a workflow whose
    /// name says nothing of deploying, is no deployment; anything else is
    /// unknown, never a guess.
    fn infer(
        &self,
        name: &str,
        line: u32,
        address: &Address,
        why: &str,
        (inputs, id_token): (&BTreeMap<String, Known>, bool),
        found: &mut Found,
    ) -> Result<(), Exceeded> {
        let input = |pred: &dyn Fn(&str) -> bool| {
            inputs
                .iter()
                .find(|(k, _)| pred(&k.to_ascii_lowercase()))
                .map(|(_, v)| v)
        };
        let cluster = input(&|k| k.contains("cluster"));
        let manifest = input(&|k| k.contains("resource") || k.contains("manifest"));
        let vars = input(&|k| k.contains("vars"));
        let text = |k: Option<&Known>| match k {
            Some(Known::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            _ => None,
        };
        let file = address.file_name().to_ascii_lowercase();
        let lines = format!("the called workflow {address} is {why}");
        // nais deploy signs in with the job's OIDC token: a job that may
        // not request one cannot deploy through it.
        if cluster.is_none()
            && manifest.is_none()
            && !file.contains("deploy")
            && !file.contains("nais")
            && !id_token
        {
            found.warnings.push(Warning {
                file: name.to_owned(),
                line: Some(line),
                message: format!(
                    "{lines}; its name, the job's `with:` and its permissions (no `id-token: write`) say nothing of a deploy, so it is taken not to deploy ({HOW_TO_READ})"
                ),
            });
            return Ok(());
        }
        let vars_known = match vars {
            None => Some(Vec::new()),
            Some(v) => text(Some(v)).map(|t| vec![in_workspace(&t)]),
        };
        if let (Some(c), Some(m), Some(vars)) = (text(cluster), text(manifest), vars_known) {
            let manifests: Vec<String> = m
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(in_workspace)
                .collect();
            self.count_deployments(manifests.len(), name, line)?;
            found.warnings.push(Warning {
                file: name.to_owned(),
                line: Some(line),
                message: format!(
                    "{lines}; its deployment is inferred from the job's `with:` ({HOW_TO_READ})"
                ),
            });
            let environment = Environment::of_cluster(&c, self.clusters);
            for manifest in manifests {
                found.deployments.push(Deployment {
                    manifest,
                    vars: vars.clone(),
                    var: BTreeMap::new(),
                    cluster: Some(c.clone()),
                    environment,
                    source: Source {
                        kind: SourceKind::Workflow,
                        file: Some(name.to_owned()),
                        line: Some(line),
                        via: Some(Via {
                            workflow: address.to_string(),
                            file: name.to_owned(),
                            line,
                            origin: Origin::Inferred,
                        }),
                    },
                });
            }
            return Ok(());
        }
        let cluster = text(cluster);
        let message = format!(
            "{lines}, and the job's `with:` does not name both a cluster and a manifest: what it deploys is not known ({HOW_TO_READ})"
        );
        let environment = cluster
            .as_deref()
            .and_then(|c| Environment::of_cluster(c, self.clusters));
        found.unknown(name, line, (cluster, environment), message);
        Ok(())
    }

    fn step(
        &self,
        name: &str,
        line: u32,
        step: &Step,
        scope: &Scope,
        env_written: bool,
        found: &mut Found,
    ) -> Result<(), Exceeded> {
        let Some(uses) = step.uses.as_deref() else {
            return Ok(());
        };
        // GitHub finds an action's owner and repository whatever their case.
        let lower = uses.to_ascii_lowercase();
        let v3 = lower.starts_with("nais/deploy/actions/deploy-v3@");
        let v2 = lower.starts_with("nais/deploy/actions/deploy@");
        if !(v2 || v3) {
            let other = if lower.starts_with("nais/deploy/") {
                Some("a nais/deploy action maskscope does not read")
            } else if lower.starts_with("docker://") && lower.contains("deploy") {
                Some("a container image run as an action, which may be nais deploy's")
            } else {
                None
            };
            if let Some(what) = other {
                let message =
                    format!("the step uses `{uses}`, {what}: what it deploys is not known");
                found.unknown(name, line, (None, None), message);
            } else if let Some(path) = uses.strip_prefix("./") {
                found
                    .local_actions
                    .push((name.to_owned(), line, normalize(path)));
            }
            return Ok(());
        }
        let scope = scope.with_env(&step.env, Level::Step, name, line)?;
        let setting = |env_key: &str, with_key: &str| -> Result<Option<Known>, Exceeded> {
            let known = if v3 {
                match &step.with {
                    // Inputs are matched whatever their case.
                    Value::Object(with) => with
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(with_key))
                        .map(|(_, v)| scope.resolve(&scalar_text(v))),
                    Value::Null => None,
                    other => Some(Known::Unknown(scalar_text(other).into())),
                }
            } else {
                match scope.env_value(env_key) {
                    // Not set in the workflow: a step before may have set it
                    // through `GITHUB_ENV`.
                    None if env_written && matches!(env_key, "RESOURCE" | "CLUSTER" | "VARS") => {
                        Some(Known::Unknown(SET_BEFORE.into()))
                    }
                    known => known,
                }
            };
            known
                .map(|k| over_budget(k, name, line, &format!("`{env_key}`")))
                .transpose()
        };
        let cluster = setting("CLUSTER", "cluster")?;
        let resource = setting("RESOURCE", "resource")?;
        let vars = setting("VARS", "vars")?;
        let var = setting("VAR", "var")?;
        let image = setting("IMAGE", "image")?;
        let mut incomplete = Vec::new();
        let resources: Vec<String> = match &resource {
            Some(Known::Text(t)) => t
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(in_workspace)
                .collect(),
            Some(Known::Unknown(e)) => {
                incomplete.push(unresolvable("RESOURCE", e));
                Vec::new()
            }
            _ => Vec::new(),
        };
        let cluster = match cluster {
            Some(Known::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            Some(Known::Unknown(e)) => {
                incomplete.push(unresolvable("CLUSTER", &e));
                None
            }
            _ => None,
        };
        let vars = match vars {
            Some(Known::Text(t)) if !t.trim().is_empty() => vec![in_workspace(t.trim())],
            Some(Known::Unknown(e)) => {
                incomplete.push(unresolvable("VARS", &e));
                Vec::new()
            }
            _ => Vec::new(),
        };
        if !incomplete.is_empty() {
            let what = match (&resource, resources.as_slice()) {
                (Some(Known::Unknown(_)), _) => {
                    "so it cannot tell which manifests this step deploys".to_owned()
                }
                (_, []) => "its manifests are read by file-name conventions instead".to_owned(),
                (_, [one]) => format!("{one} is read by file-name conventions instead"),
                (_, many) => format!(
                    "{} are read by file-name conventions instead",
                    many.join(", ")
                ),
            };
            let message = format!(
                "the deploy step's {}, which maskscope cannot resolve{}{what}",
                incomplete.join(" and "),
                if what.starts_with("so ") { ", " } else { "; " }
            );
            let environment = cluster
                .as_deref()
                .and_then(|c| Environment::of_cluster(c, self.clusters));
            found.unknown(name, line, (cluster.clone(), environment), message);
            return Ok(());
        }
        self.count_deployments(resources.len(), name, line)?;
        let mut pairs = BTreeMap::new();
        // Each pair on its own: one unknown value leaves the others known.
        let raw = match var {
            Some(Known::Text(t) | Known::Unknown(t)) => t,
            _ => Rc::from(""),
        };
        for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = super::split_pair(pair);
            let value = match scope.resolve(v) {
                Known::Text(t) => Some(t.to_string()),
                Known::Unknown(_) | Known::TooLong | Known::Spent => None,
            };
            pairs.insert(k.trim().to_owned(), value);
        }
        // `IMAGE` is written into the vars file; `VAR` pairs apply after it.
        if let Some(image) = image
            && !pairs.contains_key("image")
        {
            pairs.insert(
                "image".to_owned(),
                match image {
                    Known::Text(t) => Some(t.to_string()),
                    _ => None,
                },
            );
        }
        let environment = cluster
            .as_deref()
            .and_then(|c| Environment::of_cluster(c, self.clusters));
        for manifest in resources {
            found.deployments.push(Deployment {
                manifest,
                vars: vars.clone(),
                var: pairs.clone(),
                cluster: cluster.clone(),
                environment,
                source: Source {
                    kind: SourceKind::Workflow,
                    file: Some(name.to_owned()),
                    line: Some(line),
                    via: None,
                },
            });
        }
        Ok(())
    }
}

/// What a setting is that the workflow does not set, in a job where a step
/// before the deploy step may set it through `GITHUB_ENV`.
const SET_BEFORE: &str =
    "not set in the workflow, and a step before it may set it through GITHUB_ENV";

/// `KEY is `expression``, or what [`SET_BEFORE`] says.
fn unresolvable(key: &str, e: &str) -> String {
    if e == SET_BEFORE {
        format!("{key} is {e}")
    } else {
        format!("{key} is `{e}`")
    }
}

/// A path a deploy step names, relative to the repository: the action runs
/// in a container where the checkout is `/github/workspace`.
fn in_workspace(path: &str) -> String {
    normalize(path.strip_prefix("/github/workspace/").unwrap_or(path))
}

/// `on.workflow_call.inputs.<name>.default` of a reusable workflow.
fn input_defaults(wf: &Workflow) -> Vec<(String, String)> {
    let Some(Value::Object(inputs)) = wf.on.get("workflow_call").and_then(|c| c.get("inputs"))
    else {
        return Vec::new();
    };
    inputs
        .iter()
        .filter_map(|(k, v)| v.get("default").map(|d| (k.clone(), scalar_text(d))))
        .collect()
}

/// Why a matrix's combinations are not known.
#[derive(Debug, PartialEq, Eq)]
enum Matrix {
    /// The matrix, or one of its lists, is an expression.
    Expression,
    /// It has more combinations than GitHub runs, or than maskscope
    /// looks at: what, in words.
    Over(String),
}

/// The combinations of a job's matrix as GitHub expands it: the product of
/// its lists less `exclude`, then `include` (docs.github.com, "Running
/// variations of jobs in a workflow"): an `include` object is added to each
/// combination none of whose original values it changes, or is a
/// combination of its own when there is none. Then GitHub's cap of
/// [`MAX_COMBINATIONS`]. No matrix is one empty combination.
///
/// The product is walked one combination at a time, so that a large matrix
/// that `exclude` cuts down costs no memory; the walk stops after
/// [`MAX_PRODUCT`] combinations.
fn matrix(strategy: &Value) -> Result<Vec<Map<String, Value>>, Matrix> {
    let matrix = match strategy {
        Value::Null => None,
        Value::Object(s) => s.get("matrix"),
        // `strategy: ${{ fromJSON(...) }}`
        _ => return Err(Matrix::Expression),
    };
    let m = match matrix {
        None | Some(Value::Null) => return Ok(vec![Map::new()]),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(Matrix::Expression),
    };
    let mut lists: Vec<(&String, &Vec<Value>)> = Vec::new();
    for (k, v) in m.iter().filter(|(k, _)| *k != "include" && *k != "exclude") {
        let Value::Array(values) = v else {
            return Err(Matrix::Expression);
        };
        lists.push((k, values));
    }
    let keys: Vec<&String> = lists.iter().map(|(k, _)| *k).collect();
    let matches = |c: &Map<String, Value>, e: &Map<String, Value>| {
        e.iter().all(|(k, v)| c.get(k).is_some_and(|x| x == v))
    };
    let excludes: Vec<&Map<String, Value>> = match m.get("exclude") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(Matrix::Expression),
    };
    let over = |n: usize| {
        Matrix::Over(format!(
            "the job's matrix has more than {n} combinations, which GitHub does not run"
        ))
    };
    // Work done comparing values, against [`MAX_MATRIX_WORK`].
    let mut work = 0usize;
    let too_much = || {
        Matrix::Over(format!(
            "the job's matrix takes more than {} comparisons to expand, maskscope's budget",
            crate::output::thousands(MAX_MATRIX_WORK)
        ))
    };
    // For each `exclude` entry, which values of each list it matches (`None`:
    // it names no value of that list), compared once per value rather than
    // once per combination. An entry naming a key the matrix does not have
    // matches nothing.
    let mut masks: Vec<Vec<Option<Vec<bool>>>> = Vec::new();
    for e in &excludes {
        if !e.keys().all(|k| keys.contains(&k)) {
            continue;
        }
        let mut mask = Vec::new();
        for (k, values) in &lists {
            mask.push(match e.get(*k) {
                Some(want) => {
                    work += values.len();
                    if work > MAX_MATRIX_WORK {
                        return Err(too_much());
                    }
                    Some(values.iter().map(|v| v == want).collect())
                }
                None => None,
            });
        }
        masks.push(mask);
    }
    let mut combos: Vec<Map<String, Value>> = Vec::new();
    let empty = lists.is_empty() || lists.iter().any(|(_, v)| v.is_empty());
    if !empty {
        // An odometer over the lists' indexes; a combination is built only
        // when it is kept.
        let mut at = vec![0usize; lists.len()];
        let mut walked = 0usize;
        loop {
            walked += 1;
            if walked > MAX_PRODUCT {
                return Err(Matrix::Over(format!(
                    "the job's matrix has more than {} combinations before `exclude`, maskscope's budget",
                    crate::output::thousands(MAX_PRODUCT)
                )));
            }
            work += masks.len();
            if work > MAX_MATRIX_WORK {
                return Err(too_much());
            }
            let excluded = masks.iter().any(|mask| {
                mask.iter()
                    .zip(&at)
                    .all(|(m, &i)| m.as_ref().is_none_or(|m| m[i]))
            });
            if !excluded {
                combos.push(
                    lists
                        .iter()
                        .zip(&at)
                        .map(|((k, values), &i)| ((*k).clone(), values[i].clone()))
                        .collect(),
                );
                if combos.len() > MAX_COMBINATIONS {
                    return Err(over(MAX_COMBINATIONS));
                }
            }
            // The last list turns fastest, as GitHub orders the jobs.
            let mut i = lists.len();
            while i > 0 {
                i -= 1;
                at[i] += 1;
                if at[i] < lists[i].1.len() {
                    break;
                }
                at[i] = 0;
            }
            if at.iter().all(|&i| i == 0) {
                break;
            }
        }
    }
    match m.get("include") {
        Some(Value::Array(includes)) => {
            let originals = combos.len();
            for inc in includes.iter().filter_map(Value::as_object) {
                // The include's values for the matrix's own keys must
                // match a combination's; its other values are added, and
                // may overwrite what an earlier include added.
                let original: Map<String, Value> = inc
                    .iter()
                    .filter(|(k, _)| keys.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let mut merged = false;
                for c in combos[..originals]
                    .iter_mut()
                    .filter(|c| matches(c, &original))
                {
                    for (k, v) in inc.iter().filter(|(k, _)| !keys.contains(k)) {
                        c.insert(k.clone(), v.clone());
                    }
                    merged = true;
                }
                if !merged {
                    combos.push(inc.clone());
                    if combos.len() > MAX_COMBINATIONS {
                        return Err(over(MAX_COMBINATIONS));
                    }
                }
            }
        }
        None | Some(Value::Null) => {}
        Some(_) => return Err(Matrix::Expression),
    }
    if combos.is_empty() && keys.is_empty() {
        combos.push(Map::new());
    }
    Ok(combos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(workflows: &[(&str, &str)]) -> Found {
        let owned: Vec<(String, String)> = workflows
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        deployments(&owned, &BTreeMap::new())
    }

    /// Manifest, cluster, vars files and source line of a deployment.
    type Summary = (String, Option<String>, Vec<String>, Option<u32>);

    fn summary(found: &Found) -> Vec<Summary> {
        found
            .deployments
            .iter()
            .map(|d| {
                (
                    d.manifest.clone(),
                    d.cluster.clone(),
                    d.vars.clone(),
                    d.source.line,
                )
            })
            .collect()
    }

    #[test]
    fn a_matrix_over_two_clusters_with_a_vars_file_each() {
        let wf = "\
on: push
env:
  RES: .nais/nais.yaml
jobs:
  deploy:
    strategy:
      matrix:
        cluster: [dev-gcp, prod-gcp]
        include:
          - cluster: dev-gcp
            vars: dev
          - cluster: prod-gcp
            vars: prod
    steps:
      - uses: actions/checkout@v4
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ matrix.cluster }}
          RESOURCE: ${{ env.RES }},.nais/topic.yaml
          VARS: .nais/vars-${{ matrix.vars }}.yaml
          VAR: team=arbeid,flag
          IMAGE: ${{ needs.build.outputs.image }}
";
        let found = run(&[(".github/workflows/deploy.yml", wf)]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        let got = summary(&found);
        let d = |m: &str, c: &str, v: &str| {
            (
                m.to_owned(),
                Some(c.to_owned()),
                vec![v.to_owned()],
                Some(16),
            )
        };
        assert_eq!(
            got,
            [
                d(".nais/nais.yaml", "dev-gcp", ".nais/vars-dev.yaml"),
                d(".nais/topic.yaml", "dev-gcp", ".nais/vars-dev.yaml"),
                d(".nais/nais.yaml", "prod-gcp", ".nais/vars-prod.yaml"),
                d(".nais/topic.yaml", "prod-gcp", ".nais/vars-prod.yaml"),
            ]
        );
        let first = &found.deployments[0];
        assert_eq!(first.environment, Some(Environment::Test));
        assert_eq!(first.var["team"], Some("arbeid".into()));
        assert_eq!(first.var["flag"], Some("true".into()));
        assert_eq!(first.var["image"], None);
    }

    #[test]
    fn a_reusable_workflow_called_with_literal_inputs() {
        let caller = "\
on: push
jobs:
  dev:
    uses: ./.github/workflows/deploy.yml
    with:
      cluster: dev-gcp
  prod:
    uses: ./.github/workflows/deploy.yml
    with:
      cluster: prod-gcp
      manifest: .nais/prod.yaml
";
        let callee = "\
on:
  workflow_call:
    inputs:
      cluster: {type: string, required: true}
      manifest: {type: string, default: .nais/dev.yaml}
jobs:
  deploy:
    steps:
      - uses: nais/deploy/actions/deploy-v3@v3
        with:
          cluster: ${{ inputs.cluster }}
          resource: ${{ inputs.manifest }}
";
        let found = run(&[
            (".github/workflows/main.yml", caller),
            (".github/workflows/deploy.yml", callee),
        ]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        let got: Vec<(String, Option<String>, Option<String>)> = found
            .deployments
            .iter()
            .map(|d| (d.manifest.clone(), d.cluster.clone(), d.source.file.clone()))
            .collect();
        let callee = Some(".github/workflows/deploy.yml".to_owned());
        assert_eq!(
            got,
            [
                (
                    ".nais/dev.yaml".into(),
                    Some("dev-gcp".into()),
                    callee.clone()
                ),
                (".nais/prod.yaml".into(), Some("prod-gcp".into()), callee),
            ]
        );
    }

    #[test]
    fn github_workflow_is_the_callers_name_else_its_path() {
        let callee = "\
on: workflow_call
jobs:
  deploy:
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: dev-gcp
          RESOURCE: apps/${{ github.workflow }}/.nais/dev.yaml
";
        let found = run(&[
            (".github/workflows/.deploy.yaml", callee),
            (
                ".github/workflows/app-a.yaml",
                "name: app-a\non: push\njobs:\n  d:\n    uses: ./.github/workflows/.deploy.yaml\n",
            ),
            (
                ".github/workflows/b.yaml",
                "on: push\njobs:\n  d:\n    uses: ./.github/workflows/.deploy.yaml\n",
            ),
        ]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        let manifests: Vec<&str> = found
            .deployments
            .iter()
            .map(|d| d.manifest.as_str())
            .collect();
        assert_eq!(
            manifests,
            [
                "apps/app-a/.nais/dev.yaml",
                "apps/.github/workflows/b.yaml/.nais/dev.yaml"
            ]
        );
    }

    #[test]
    fn an_unresolvable_setting_is_a_warning_with_the_line() {
        let wf = "\
jobs:
  d:
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ needs.plan.outputs.cluster }}
          RESOURCE: .nais/app.yaml
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: dev-gcp
          RESOURCE: ${{ secrets.FILES }}
";
        let found = run(&[(".github/workflows/d.yml", wf)]);
        assert!(found.deployments.is_empty());
        let w: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                ".github/workflows/d.yml:4: the deploy step's CLUSTER is `${{ needs.plan.outputs.cluster }}`, which maskscope cannot resolve; .nais/app.yaml is read by file-name conventions instead",
                ".github/workflows/d.yml:8: the deploy step's RESOURCE is `${{ secrets.FILES }}`, which maskscope cannot resolve, so it cannot tell which manifests this step deploys",
            ]
        );
    }

    fn indent(yaml: &str) -> String {
        yaml.lines().map(|l| format!("        {l}\n")).collect()
    }

    #[test]
    fn matrices_expand_as_github_expands_them() {
        let strategy = |yaml: &str| -> Value {
            let wf: Workflow = parse(
                "t",
                &format!(
                    "jobs:\n  j:\n    strategy:\n      matrix:\n{}",
                    indent(yaml)
                ),
                &mut Vec::new(),
            )
            .unwrap();
            wf.jobs.into_values().next().unwrap().value.strategy
        };
        let envs = |s: &Value| -> Vec<String> {
            matrix(s)
                .unwrap()
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|(k, v)| format!("{k}={}", scalar_text(v)))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect()
        };
        assert_eq!(
            envs(&strategy(
                "a: [1, 2]\nb: [x, y]\nexclude:\n  - {a: 2, b: y}\n"
            )),
            ["a=1,b=x", "a=1,b=y", "a=2,b=x"]
        );
        assert_eq!(
            envs(&strategy(
                "include:\n  - {cluster: dev-gcp}\n  - {cluster: prod-gcp}\n"
            )),
            ["cluster=dev-gcp", "cluster=prod-gcp"]
        );
        assert_eq!(
            envs(&strategy(
                "c: [dev]\ninclude:\n  - {c: dev, v: 1}\n  - {c: prod, v: 2}\n"
            )),
            ["c=dev,v=1", "c=prod,v=2"]
        );
        let expression = serde_json::json!({"matrix": "${{ fromJson(needs.a.outputs.m) }}"});
        assert_eq!(matrix(&expression), Err(Matrix::Expression));
        let whole = Value::String("${{ fromJSON(needs.a.outputs.s) }}".into());
        assert_eq!(matrix(&whole), Err(Matrix::Expression));
        assert_eq!(envs(&Value::Null), [""]);
    }

    #[test]
    fn broken_workflows_are_a_warning_not_an_error() {
        let found = run(&[(".github/workflows/x.yml", "jobs: [unclosed\n")]);
        assert!(found.deployments.is_empty());
        assert_eq!(found.warnings.len(), 1);
    }
}
