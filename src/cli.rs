//! The command-line interface: every command, option and help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "maskscope",
    version,
    about = "See and check the Maskinporten scopes that nais manifests expose",
    long_about = "maskscope reads nais manifests (Application and Naisjob) and shows the fully \
qualified Maskinporten scopes digdirator will register for them, lints the maskinporten \
section for mistakes the cluster would reject or silently accept, and checks legacy \
scope registrations against the manifests that take them over.",
    after_help = "Exit codes: 0 success, 1 findings (lint errors, blocked migrations), 2 usage or input errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the output: `auto` on a terminal, unless NO_COLOR is set
    /// (CLICOLOR_FORCE colours off a terminal too)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    pub color: Color,

    /// Fetch workflows of other repositories that the workflows call from the
    /// GitHub API even without a token (by default only with GITHUB_TOKEN or
    /// GH_TOKEN set)
    #[arg(long, global = true, conflicts_with = "offline")]
    pub online: bool,

    /// Never fetch: workflows of other repositories come from local copies
    /// (`[workflows]` in maskscope.toml) and the cache only
    #[arg(long, global = true)]
    pub offline: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set; anywhere with CLICOLOR_FORCE
    Auto,
    /// Always, whatever the environment says
    Always,
    /// Never
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the fully qualified scopes that manifests expose
    #[command(
        after_help = "Examples:\n  maskscope resolve nais.yaml\n  maskscope resolve --format plain .nais/\n  \
maskscope resolve --vars .nais/dev.yaml .nais/app.yaml\n  cat nais.yaml | maskscope resolve --format json -"
    )]
    Resolve(ResolveArgs),
    /// Check the maskinporten section of manifests for mistakes
    #[command(
        after_help = "Examples:\n  maskscope lint\n  maskscope lint --format github .nais/\n  \
maskscope lint --cluster prod-fss --deny-warnings nais.yaml\n  maskscope lint --format sarif . > maskscope.sarif"
    )]
    Lint(LintArgs),
    /// Check legacy scope registrations against the manifests that take them over
    #[command(
        name = "migrate-check",
        after_help = "Examples:\n  maskscope migrate-check --iac scopes.json .nais/\n  \
maskscope migrate-check --iac scopes.yaml --cluster prod-gcp --format json nais.yaml"
    )]
    MigrateCheck(MigrateArgs),
    /// Show which manifest deploys to which cluster with which variables, and how that is known
    #[command(
        after_help = "Examples:\n  maskscope deployments\n  maskscope deployments --format json\n  \
maskscope deployments .nais/app.yaml"
    )]
    Deployments(DeploymentsArgs),
    /// Print a file as nais deploy renders it, per deployment
    #[command(
        long_about = "Print FILE as nais deploy renders it: once per deployment that the \
workflows (or maskscope.toml, or file names) give it, with that deployment's vars files, VAR and \
IMAGE, and a header line per deployment when there are several. With --vars or --var, once with \
those. A deployment without any variables is printed unrendered, as nais deploy sends it. \
Template errors, and text the deploy cannot decode as YAML, are reported on stderr.",
        after_help = "Examples:\n  maskscope render .nais/app.yaml\n  \
maskscope render --cluster prod-gcp .nais/app.yaml\n  \
maskscope render --vars .nais/dev.yaml --var image=x .nais/app.yaml\n  \
maskscope render --format json .nais/app.yaml\n\n\
Exit codes: 0 rendered, 1 nais deploy would fail on it (a template error, text it cannot decode), \
2 usage or input errors."
    )]
    Render(RenderArgs),
    /// What a change does to Maskinporten access: grants, revocations, new, renamed, moved and orphaned scopes
    #[command(
        long_about = "Compare the scopes the manifests expose at BASE with those at HEAD (a git \
revision, or without it the working tree), each evaluated per deployment as found at that \
revision, and list what digdirator will do: per Maskinporten environment and scope, every \
grant, revocation, new, renamed, moved, contested, deactivated and orphaned scope, and every \
deploy that would be rejected (which changes nothing). A second argument that names \
a commit is HEAD; otherwise it and the rest are paths (relative to the current folder). A second \
argument that names both a commit and a file or folder is an error, as in git: put `--` between \
the revisions and the paths (`diff BASE HEAD -- PATH...`, or `diff BASE -- PATH...` for the \
working tree).",
        after_help = "Examples:\n  maskscope diff origin/main\n  maskscope diff main HEAD .nais/\n  \
maskscope diff main HEAD -- .nais/\n  \
maskscope diff --format markdown origin/main > comment.md\n  \
maskscope diff --fail-on opened-to-all,scope-removed-still-active origin/main\n\n\
Exit codes: 0 whatever changed, 1 a kind named by --fail-on is present, 2 a revision that does \
not exist, outside a git repository, or input that cannot be read."
    )]
    Diff(DiffArgs),
    /// Who can get a token for what, per Maskinporten environment
    #[command(
        after_help = "Examples:\n  maskscope access\n  maskscope access --orgno 974761076\n  \
maskscope access --scope nav:arbeid/vedtak.read --format json\n  \
maskscope access --format mermaid > access.md"
    )]
    Access(AccessArgs),
    /// List the lint rules, or explain one
    #[command(
        after_help = "Examples:\n  maskscope rules\n  maskscope rules invalid-name\n  maskscope rules --format json"
    )]
    Rules(RulesArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  maskscope completions bash > ~/.local/share/bash-completion/completions/maskscope\n  \
maskscope completions zsh > ~/.zfunc/_maskscope"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  maskscope man > maskscope.1 && man ./maskscope.1")]
    Man,
}

/// Which manifests to read, and how to render and name them.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Manifest files, folders (searched for *.yaml, *.yml, *.json) or `-` for standard input.
    /// Default: .nais/, nais/, .deploy/, deploy/ and the nais*.yaml|yml|json and
    /// naiserator*.yaml|yml files in the current folder, else the whole folder
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// Scope prefix [default: nav, or `prefix` in maskscope.toml]
    #[arg(long, value_name = "PREFIX", value_parser = parse_prefix)]
    pub prefix: Option<String>,

    /// Render manifests as Handlebars templates with the variables in FILE (YAML or JSON)
    #[arg(long, value_name = "FILE")]
    pub vars: Option<PathBuf>,

    /// Set a template variable; wins over --vars (repeatable)
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub var: Vec<String>,
    /// Only the deployments to this cluster, e.g. prod-fss; a manifest whose cluster is not known is read as deployed there [default: each deployment's]
    /// The cluster the manifests deploy to, e.g. prod-fss [default: each deployment's]
    #[arg(long, value_name = "NAME", value_parser = Offer(clusters), hide_possible_values = true)]
    pub cluster: Option<String>,

    /// Configuration file [default: the nearest maskscope.toml here or in a parent folder]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Pass over files named that hold no Application or Naisjob without a word, as a
    /// folder search does (for hooks that name every changed file)
    #[arg(long)]
    pub skip_non_manifests: bool,

    /// Set when a command run in a subfolder starts from the repository's
    /// root: the way from the folder it was run in to the root (`../..`),
    /// which the names of the files read are shown under.
    #[arg(skip)]
    pub shown_from: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolveFormat {
    /// A table for people
    Table,
    /// One active scope per line, for scripts
    Plain,
    /// Every exposes entry as a JSON object
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ResolveFormat::Table)]
    pub format: ResolveFormat,

    /// With --format plain: print inactive scopes too
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// rustc-style reports with source snippets
    Human,
    /// One JSON object with every diagnostic and a summary
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// Run only these rules (comma-separated rule ids)
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", value_parser = Offer(rule_ids), hide_possible_values = true)]
    pub select: Vec<String>,

    /// Skip these rules (comma-separated rule ids)
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", value_parser = Offer(rule_ids), hide_possible_values = true)]
    pub ignore: Vec<String>,

    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub deny_warnings: bool,

    /// Also check legacy scope registrations from this file (repeatable; `-` for standard input)
    #[arg(long, value_name = "FILE")]
    pub iac: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateFormat {
    /// A table for people
    Table,
    /// One JSON object
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Legacy registrations: YAML or JSON, a list or an object with `scopes` (repeatable; `-` for standard input)
    #[arg(long, value_name = "FILE", required = true)]
    pub iac: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = MigrateFormat::Table)]
    pub format: MigrateFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeploymentsFormat {
    /// A table for people
    Table,
    /// A JSON array of deployments
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct DeploymentsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = DeploymentsFormat::Table)]
    pub format: DeploymentsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// The rendered text
    Text,
    /// A JSON array per deployment: the text and the documents as sent
    Json,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The manifest or template to render
    #[arg(value_name = "FILE")]
    pub file: String,

    /// Render with the variables in FILE (YAML or JSON) instead of the deployments'
    #[arg(long, value_name = "FILE")]
    pub vars: Option<PathBuf>,

    /// Set a template variable; wins over --vars (repeatable)
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub var: Vec<String>,

    /// Only the deployments to this cluster, e.g. prod-gcp
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,

    /// Configuration file [default: the nearest maskscope.toml here or in a parent folder]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = RenderFormat::Text)]
    pub format: RenderFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped by environment and scope, for people
    Human,
    /// One JSON object: base, head, changes, summary
    Json,
    /// A pull-request comment: a summary line and a table per environment
    Markdown,
    /// GitHub Actions workflow commands (annotations at the changed lines)
    Github,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision to compare from, e.g. origin/main
    #[arg(value_name = "BASE")]
    pub base: String,

    /// HEAD, a revision to compare to (without it, the working tree), then
    /// manifest files or folders [default: as `maskscope lint` finds them]
    #[arg(value_name = "HEAD|PATH")]
    pub rest: Vec<String>,

    /// Files or folders, after `--`: what comes before it is revisions only
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// Whether `--` was given, even with nothing after it (which clap does
    /// not tell): see [`DiffArgs::note_separator`].
    #[arg(skip)]
    pub separator: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Exit 1 when a change of one of these kinds is present (comma-separated), e.g. deploy-rejected,unknown,opened-to-all
    #[arg(long, value_delimiter = ',', value_name = "KIND,...", value_parser = Offer(change_kinds), hide_possible_values = true)]
    pub fail_on: Vec<String>,

    /// Scope prefix [default: nav, or `prefix` in maskscope.toml]
    #[arg(long, value_name = "PREFIX", value_parser = parse_prefix)]
    pub prefix: Option<String>,

    /// Only the deployments to this cluster, e.g. prod-gcp; a manifest whose cluster is not known is read as deployed there [default: each deployment's]
    #[arg(long, value_name = "NAME", value_parser = Offer(clusters), hide_possible_values = true)]
    pub cluster: Option<String>,

    /// Configuration file, used for both revisions [default: each revision's maskscope.toml]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl DiffArgs {
    /// Record whether the command line `args` (as the process got them) holds
    /// `--`. clap ends options at the first `--` wherever it is, and gives the
    /// words after it to [`DiffArgs::paths`], but a `--` with nothing after
    /// it leaves no trace; yet it is what makes `diff BASE HEAD --` read HEAD
    /// as a revision when a file has that name, as git does.
    pub fn note_separator<I: IntoIterator<Item = std::ffi::OsString>>(&mut self, args: I) {
        self.separator = !self.paths.is_empty() || args.into_iter().skip(1).any(|a| a == "--");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessFormat {
    /// One row per organisation and scope
    Table,
    /// `{"grants": [...], "open": [...]}`
    Json,
    /// A table per environment
    Markdown,
    /// A Mermaid flowchart (organisations, scopes, apps) that GitHub renders
    Mermaid,
}

#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = AccessFormat::Table)]
    pub format: AccessFormat,

    /// Only what this organisation can reach (its grants, and the scopes open to all)
    #[arg(long, value_name = "ORGNO")]
    pub orgno: Option<String>,

    /// Only this scope (fully qualified, e.g. nav:arbeid/vedtak.read)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table, or the rule's documentation, for people
    Human,
    /// A JSON array of rules, or the rule as a JSON object
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id; without it, list every rule
    #[arg(value_parser = Offer(rule_ids), hide_possible_values = true)]
    pub rule: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

/// `--prefix`: a prefix that can start a scope ([`crate::naming::check_prefix`]).
fn parse_prefix(value: &str) -> Result<String, String> {
    crate::naming::check_prefix(value).map(|()| value.to_owned())
}

/// A value parser that takes any text (the command checks it, with a "did
/// you mean"), and offers the values its function gives to shell completions,
/// which otherwise complete file names.
#[derive(Clone)]
struct Offer(fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Offer {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

/// The ids of the rules in use (retired ones left out).
fn rule_ids() -> Vec<&'static str> {
    crate::lint::rules::all()
        .iter()
        .map(|r| r.doc())
        .filter(|d| !d.summary.starts_with("retired:"))
        .map(|d| d.id)
        .collect()
}

fn change_kinds() -> Vec<&'static str> {
    crate::diff::Kind::ALL
        .map(crate::diff::Kind::as_str)
        .to_vec()
}

fn clusters() -> Vec<&'static str> {
    crate::cluster::KNOWN.to_vec()
}
