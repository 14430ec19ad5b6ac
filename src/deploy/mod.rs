//! Deployments: which manifest goes to which cluster with which variables.
//!
//! A manifest on its own does not say where it runs. A deployment is one
//! manifest rendered with its variables for one cluster; the cluster decides
//! the Maskinporten environment (`test` for dev clusters, `prod` for prod
//! clusters), and two apps meet only within one environment. Deployments come,
//! in this order, from `maskscope.toml` (`[[deployment]]`), from the
//! repository's GitHub Actions workflows (the nais/deploy action's steps, see
//! [`workflow`]), and only when the repository has no deploy step at all,
//! from conventions of the file name ([`convention`]). Where it has one, a
//! manifest no step names is not deployed: nais deploy never sends it, so
//! it changes nothing in a cluster.
//!
//! Everything here but [`find`] is pure: texts in, deployments out.

pub mod convention;
pub mod remote;
pub mod sources;
pub mod workflow;

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// A Maskinporten environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Test,
    Prod,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Prod => "prod",
        }
    }

    pub fn parse(s: &str) -> Option<Environment> {
        match s {
            "test" => Some(Environment::Test),
            "prod" => Some(Environment::Prod),
            _ => None,
        }
    }

    /// The environment of a cluster: `clusters` (from `maskscope.toml`) first,
    /// then the nais clusters (`dev-*` use Maskinporten's test environment,
    /// `prod-*` production).
    pub fn of_cluster(cluster: &str, clusters: &BTreeMap<String, Environment>) -> Option<Self> {
        if let Some(e) = clusters.get(cluster) {
            return Some(*e);
        }
        if cluster.starts_with("dev-") {
            Some(Environment::Test)
        } else if cluster.starts_with("prod-") {
            Some(Environment::Prod)
        } else {
            None
        }
    }
}

/// Where a deployment was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The workflow or config file; `None` for a convention.
    pub file: Option<String>,
    /// The line of the deploy step or `[[deployment]]`.
    pub line: Option<u32>,
    /// A workflow of another repository the deployment is in, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

/// A called workflow of another repository: which, where this
/// repository's workflows call it, and how its text was had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Via {
    /// `OWNER/REPO/PATH@REF`.
    pub workflow: String,
    /// The calling workflow and the line of its job.
    pub file: String,
    pub line: u32,
    pub origin: remote::Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Workflow,
    Config,
    Convention,
    /// No deploy step names the manifest, though the repository has some.
    #[serde(rename = "not-deployed")]
    NotDeployed,
}

/// One manifest rendered with its variables for one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The manifest, as the repository names it (relative to its root).
    pub manifest: String,
    /// Vars files, relative to the root, in the order they apply.
    pub vars: Vec<String>,
    /// `VAR` pairs; `None` for a value maskscope cannot know (a secret, a
    /// job's output).
    pub var: BTreeMap<String, Option<String>>,
    pub cluster: Option<String>,
    pub environment: Option<Environment>,
    pub source: Source,
}

impl Deployment {
    /// Whether nais deploy leaves the file unrendered: a deploy step with no
    /// `VARS`, no `VAR` and no `IMAGE` (as with `WORKLOAD_IMAGE`).
    pub fn without_variables(&self) -> bool {
        // An inferred deployment's variables are not known (the called
        // workflow sets them), not absent.
        let inferred = self
            .source
            .via
            .as_ref()
            .is_some_and(|v| v.origin == remote::Origin::Inferred);
        self.source.kind == SourceKind::Workflow
            && self.vars.is_empty()
            && self.var.is_empty()
            && !inferred
    }

    /// Why such a file is not rendered, for findings.
    pub const WITHOUT_VARIABLES: &'static str = "deployed without variables (WORKLOAD_IMAGE and neither VARS nor VAR), so nais deploy does not render this file";

    /// The stand-in for a manifest that no deploy step names, in a
    /// repository that has deploy steps: read (lint checks it), but in no
    /// cluster.
    pub fn not_deployed(manifest: &str) -> Deployment {
        Deployment {
            manifest: manifest.to_owned(),
            vars: Vec::new(),
            var: BTreeMap::new(),
            cluster: None,
            environment: None,
            source: Source {
                kind: SourceKind::NotDeployed,
                file: None,
                line: None,
                via: None,
            },
        }
    }

    /// Whether a deploy step or `maskscope.toml` names the manifest (not a
    /// file-name convention, nor "not deployed").
    pub fn named(&self) -> bool {
        matches!(self.source.kind, SourceKind::Workflow | SourceKind::Config)
    }

    /// Whether a deploy sends the manifest anywhere (see [`Self::not_deployed`]).
    pub fn deployed(&self) -> bool {
        self.source.kind != SourceKind::NotDeployed
    }

    /// How reports name the deployment: its cluster, else its environment.
    pub fn label(&self) -> String {
        if !self.deployed() {
            return "not deployed".to_owned();
        }
        match (&self.cluster, self.environment) {
            (Some(c), _) => c.clone(),
            (None, Some(e)) => format!("{} (cluster unknown)", e.as_str()),
            (None, None) => "an unknown cluster".to_owned(),
        }
    }
}

/// Something about a deployment that could not be worked out, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A deploy step (or a whole workflow) whose deployments cannot be known:
/// which manifests it deploys, or where, is an expression maskscope cannot
/// resolve, or reading the workflow went over a budget. Its manifests are
/// read by file-name conventions, which may be wrong; `diff` reports each
/// as an `unknown` change, as what the step deploys may have changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unresolved {
    /// The workflow file, relative to the repository's root.
    pub file: String,
    /// The line of the deploy step, or of what went over a budget.
    pub line: u32,
    /// The cluster, when it is known (the step's CLUSTER is text).
    pub cluster: Option<String>,
    pub environment: Option<Environment>,
    /// What cannot be known, and why.
    pub reason: String,
    /// Whether a comparison says it only where the other revision does not
    /// have it: a file a step names that the repository does not hold is
    /// the same unknown at every revision (a stale step, a file made in
    /// CI), which a change that does not touch it does not make.
    pub when_new: bool,
}

/// Every deployment found, and what could not be worked out.
#[derive(Debug, Default)]
pub struct Found {
    pub deployments: Vec<Deployment>,
    pub warnings: Vec<Warning>,
    /// Deploy steps whose deployments cannot be known (each also a warning).
    pub unresolved: Vec<Unresolved>,
    /// Steps that use a local action (`uses: ./path`): the workflow, the
    /// step's line and the action's folder, for [`find`] to look into.
    pub local_actions: Vec<(String, u32, String)>,
    /// Whether the repository has a deploy step that names a manifest (a
    /// workflow's or `maskscope.toml`'s): then file-name conventions do
    /// not apply.
    pub steps: bool,
    /// Whether a job calls another repository's reusable workflow, which
    /// may deploy what no step here names: then file-name conventions
    /// still apply to the manifests no step names.
    pub foreign_calls: bool,
    /// The indexes in `deployments` of each manifest's deployments.
    by_manifest: HashMap<String, Vec<usize>>,
}

impl Found {
    /// The deployments of one manifest (as the repository names it).
    pub fn of(&self, manifest: &str) -> Vec<&Deployment> {
        self.by_manifest
            .get(&normalize(manifest))
            .map(|ix| ix.iter().map(|&i| &self.deployments[i]).collect())
            .unwrap_or_default()
    }

    /// A deploy step (or workflow) whose deployments cannot be known, at
    /// `file`'s `line`: a warning, and an [`Unresolved`] that `diff`
    /// reports as `unknown`, both saying `message`.
    pub fn unknown(
        &mut self,
        file: &str,
        line: u32,
        (cluster, environment): (Option<String>, Option<Environment>),
        message: String,
    ) {
        self.warnings.push(Warning {
            file: file.to_owned(),
            line: Some(line),
            message: message.clone(),
        });
        self.unresolved.push(Unresolved {
            when_new: false,
            file: file.to_owned(),
            line,
            cluster,
            environment,
            reason: message,
        });
    }

    /// Index the deployments by manifest, after they change.
    pub fn index(&mut self) {
        self.by_manifest.clear();
        for (i, d) in self.deployments.iter().enumerate() {
            self.by_manifest
                .entry(d.manifest.clone())
                .or_default()
                .push(i);
        }
    }
}

/// A `VAR` pair as nais deploy splits it: at the first `=`; a key alone is
/// `true`.
pub fn split_pair(pair: &str) -> (&str, &str) {
    pair.split_once('=').unwrap_or((pair, "true"))
}

/// A path as a repository names it: `./` and repeated `/` left out, and
/// `dir/..` taken away, so that `.nais/prod/../app.yaml` is the file
/// `.nais/app.yaml` is (a `..` above the root stays). Taken away by the
/// text, not by the file system: where a folder is a link (as in the folder
/// a revision is put into), `..` would otherwise climb out of it.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// An explicit `[[deployment]]` of `maskscope.toml`.
#[derive(Debug, Clone, Default)]
pub struct Configured {
    pub manifest: String,
    pub vars: Vec<String>,
    pub var: Vec<String>,
    pub cluster: Option<String>,
    pub line: u32,
}

/// Find the deployments of `manifests` (paths relative to `root`, the
/// repository root): from `configured` (in `config_file`), the workflows in
/// `root/.github/workflows`, then conventions. Manifests a workflow deploys
/// are added to those given. The workflows are read inside `confine`.
pub fn find(
    root: &Path,
    confine: &crate::confine::Confine,
    manifests: &[String],
    config_file: Option<&str>,
    configured: &[Configured],
    clusters: &BTreeMap<String, Environment>,
    supply: &dyn remote::Supply,
) -> Found {
    let (read, outside) = match confine.check(&root.join(".github/workflows")) {
        Ok(dir) => (workflow::read_dir(&dir), None),
        Err(why) => (Vec::new(), Some(why)),
    };
    let mut workflows: Vec<(String, String)> = Vec::new();
    let mut unreadable = Vec::new();
    for (name, text) in read {
        let name = format!(".github/workflows/{name}");
        match text {
            Ok(text) => workflows.push((name, text)),
            Err(why) => unreadable.push((name, why)),
        }
    }
    let mut found = resolve(
        manifests,
        config_file,
        configured,
        &workflows,
        clusters,
        supply,
    );
    // A local action is read for what would make it deploy: the nais
    // deploy action, a container image, or another local action.
    for (file, line, path) in std::mem::take(&mut found.local_actions) {
        let text = ["action.yml", "action.yaml"].iter().find_map(|a| {
            let at = confine.check(&root.join(&path).join(a)).ok()?;
            std::fs::read(at).ok()
        });
        let deploys = match &text {
            Some(t) => {
                let t = String::from_utf8_lossy(t).to_ascii_lowercase();
                t.contains("nais/deploy") || t.contains("docker://") || t.contains("uses: ./")
            }
            None => true,
        };
        if deploys {
            let message = format!(
                "the step uses the local action ./{path}, which {}: what it deploys is not known",
                if text.is_some() {
                    "may deploy (it names nais/deploy, a container image or another local action)"
                } else {
                    "cannot be read"
                }
            );
            found.unknown(&file, line, (None, None), message);
        }
    }
    for (name, why) in unreadable {
        let message = format!("{why}: not read, so the deployments it makes are not known");
        found.warnings.push(Warning {
            file: name.clone(),
            line: None,
            message: message.clone(),
        });
        found.unresolved.push(Unresolved {
            when_new: false,
            file: name,
            line: 1,
            cluster: None,
            environment: None,
            reason: message,
        });
    }
    if let Some(why) = outside {
        found.warnings.push(Warning {
            file: ".github/workflows".to_owned(),
            line: None,
            message: format!("{why}: the deployments of its workflows are not known"),
        });
    }
    settle(&mut found, manifests, clusters);
    found
}

/// [`find`] on texts already read: `workflows` are `(path, text)`.
pub fn resolve(
    manifests: &[String],
    config_file: Option<&str>,
    configured: &[Configured],
    workflows: &[(String, String)],
    clusters: &BTreeMap<String, Environment>,
    supply: &dyn remote::Supply,
) -> Found {
    let mut found = Found::default();
    // The configuration adds deployments; it does not take away a deploy
    // step's: what a workflow deploys is deployed whatever maskscope.toml
    // says (in `diff`, a pull request writes both).
    type Same = (
        String,
        Option<String>,
        Vec<String>,
        Vec<(String, Option<String>)>,
    );
    let same = |d: &Deployment| -> Same {
        (
            d.manifest.clone(),
            d.cluster.clone(),
            d.vars.clone(),
            d.var.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    };
    let mut covered: HashSet<Same> = HashSet::new();
    for c in configured {
        let var = c
            .var
            .iter()
            .map(|pair| {
                let (k, v) = split_pair(pair);
                (k.to_owned(), Some(v.to_owned()))
            })
            .collect();
        let manifest = normalize(&c.manifest);
        let d = Deployment {
            manifest,
            vars: c.vars.iter().map(|v| normalize(v)).collect(),
            var,
            environment: c
                .cluster
                .as_deref()
                .and_then(|k| Environment::of_cluster(k, clusters)),
            cluster: c.cluster.clone(),
            source: Source {
                kind: SourceKind::Config,
                file: config_file.map(str::to_owned),
                line: Some(c.line),
                via: None,
            },
        };
        covered.insert(same(&d));
        found.deployments.push(d);
    }
    // In GitHub Actions, the repository the workflows run in.
    let this_repo = std::env::var("GITHUB_REPOSITORY").ok();
    let from_workflows =
        workflow::deployments_in(workflows, clusters, this_repo.as_deref(), supply);
    // One warning per workflow line, however many jobs (a matrix, callers of
    // a reusable workflow) reach it.
    let mut warned: HashSet<(String, Option<u32>)> = HashSet::new();
    found.warnings.extend(
        from_workflows
            .warnings
            .into_iter()
            .filter(|w| w.line.is_none() || warned.insert((w.file.clone(), w.line))),
    );
    found.unresolved.extend(from_workflows.unresolved);
    found.local_actions.extend(from_workflows.local_actions);
    found.foreign_calls = from_workflows.foreign_calls;
    let mut seen: HashSet<Same> = HashSet::new();
    for d in from_workflows.deployments {
        if covered.contains(&same(&d)) {
            continue;
        }
        // One step may be reached twice (a matrix that repeats a
        // combination); two steps with other `VAR`s are two deploys.
        if seen.insert(same(&d)) {
            found.deployments.push(d);
        }
    }
    // A path above the repository's root is nothing the deploy can read
    // from its checkout (nor anything of a revision's).
    let outside = |p: &str| p == ".." || p.starts_with("../") || p.starts_with('/');
    let mut kept = Vec::new();
    for d in std::mem::take(&mut found.deployments) {
        match std::iter::once(&d.manifest)
            .chain(&d.vars)
            .find(|p| outside(p))
        {
            Some(p) => {
                let message = format!(
                    "names {p}, outside the repository: this deployment is left out (paths are relative to the repository's root)"
                );
                if d.source.kind == SourceKind::Workflow {
                    found.unresolved.push(Unresolved {
                        when_new: false,
                        file: d.source.file.clone().unwrap_or_default(),
                        line: d.source.line.unwrap_or(1),
                        cluster: d.cluster.clone(),
                        environment: d.environment,
                        reason: format!("the deploy step {message}"),
                    });
                }
                found.warnings.push(Warning {
                    file: d.source.file.clone().unwrap_or_else(|| d.manifest.clone()),
                    line: d.source.line,
                    message,
                });
            }
            None => kept.push(d),
        }
    }
    found.deployments = kept;
    found.steps = !configured.is_empty() || !found.deployments.is_empty();
    settle(&mut found, manifests, clusters);
    found
}

/// Give each of `manifests` that no deployment names its stand-in: when the
/// repository has no deploy step, the deployment its file name suggests;
/// when it has one that cannot be read completely, the same (what it
/// deploys is not known, and `diff` says so with an `unknown` record), and
/// when a job calls another repository's workflow (which may deploy); else
/// none: the manifest is not deployed. Run again after more unresolved
/// steps are found.
fn settle(found: &mut Found, manifests: &[String], clusters: &BTreeMap<String, Environment>) {
    let guess = !found.steps || !found.unresolved.is_empty() || found.foreign_calls;
    found.deployments.retain(Deployment::named);
    let deployed: HashSet<String> = found
        .deployments
        .iter()
        .map(|d| d.manifest.clone())
        .collect();
    for m in manifests {
        let m = normalize(m);
        if !deployed.contains(&m) {
            found.deployments.push(if guess {
                convention::deployment(&m, clusters)
            } else {
                Deployment::not_deployed(&m)
            });
        }
    }
    found.index();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_map_to_environments() {
        let none = BTreeMap::new();
        assert_eq!(
            Environment::of_cluster("dev-gcp", &none),
            Some(Environment::Test)
        );
        assert_eq!(
            Environment::of_cluster("prod-fss", &none),
            Some(Environment::Prod)
        );
        assert_eq!(Environment::of_cluster("labs-gcp", &none), None);
        let mapped = BTreeMap::from([("labs-gcp".to_owned(), Environment::Test)]);
        assert_eq!(
            Environment::of_cluster("labs-gcp", &mapped),
            Some(Environment::Test)
        );
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize("./.nais//app.yaml"), ".nais/app.yaml");
        assert_eq!(normalize(".nais/prod/../vars.yaml"), ".nais/vars.yaml");
        assert_eq!(normalize("a/b/../../c.yaml"), "c.yaml");
        assert_eq!(normalize("../x.yaml"), "../x.yaml");
        assert_eq!(normalize("a/../../x.yaml"), "../x.yaml");
    }

    #[test]
    fn config_first_then_workflows_and_no_conventions_beside_them() {
        let wf = "jobs:\n  d:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: .nais/a.yaml,.nais/b.yaml\n";
        let configured = [Configured {
            manifest: ".nais/b.yaml".into(),
            cluster: Some("prod-gcp".into()),
            line: 3,
            ..Configured::default()
        }];
        let found = resolve(
            &[
                ".nais/a.yaml".into(),
                ".nais/b.yaml".into(),
                "nais/prod-fss.yaml".into(),
            ],
            Some("maskscope.toml"),
            &configured,
            &[(".github/workflows/deploy.yaml".into(), wf.into())],
            &BTreeMap::new(),
            &remote::Nothing,
        );
        let got: Vec<(&str, Option<&str>, SourceKind)> = found
            .deployments
            .iter()
            .map(|d| (d.manifest.as_str(), d.cluster.as_deref(), d.source.kind))
            .collect();
        assert_eq!(
            got,
            [
                (".nais/b.yaml", Some("prod-gcp"), SourceKind::Config),
                (".nais/a.yaml", Some("dev-gcp"), SourceKind::Workflow),
                // The configuration adds a deployment; the step still
                // deploys the file.
                (".nais/b.yaml", Some("dev-gcp"), SourceKind::Workflow),
                ("nais/prod-fss.yaml", None, SourceKind::NotDeployed),
            ]
        );
        // Without a deploy step, the file name says where it goes.
        let found = resolve(
            &["nais/prod-fss.yaml".into()],
            None,
            &[],
            &[],
            &BTreeMap::new(),
            &remote::Nothing,
        );
        assert_eq!(found.deployments[0].cluster.as_deref(), Some("prod-fss"));
        assert_eq!(found.deployments[0].source.kind, SourceKind::Convention);
        // Nor beside a step, when a job calls another repository's
        // workflow, which may deploy it.
        let caller = "on: push\njobs:\n  app:\n    uses: navikt/shared/.github/workflows/app.yaml@main\n  topic:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: topic.yaml\n";
        let found = resolve(
            &["nais/prod-fss.yaml".into()],
            None,
            &[],
            &[(".github/workflows/d.yaml".into(), caller.into())],
            &BTreeMap::new(),
            &remote::Nothing,
        );
        let app = found.of("nais/prod-fss.yaml");
        assert_eq!(app[0].source.kind, SourceKind::Convention);
        assert_eq!(app[0].cluster.as_deref(), Some("prod-fss"));
    }
}
