//! `maskscope.toml`: project settings shared by the commands. Given with
//! `--config FILE`, or found as the nearest `maskscope.toml` in the current
//! folder or one of its parents.
//!
//! Unknown keys, unknown rule ids and unknown severities are errors with the
//! file, line and column, so a typo never silently turns a setting off.

use crate::naming::DEFAULT_PREFIX;
use crate::source::{InputError, InputErrorKind, SourceFile, pos_of_offset};
use crate::suggest;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The file name looked for in the current folder and its parents.
pub const FILE_NAME: &str = "maskscope.toml";

/// Largest config file read, in bytes.
const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Scope prefix; `--prefix` wins.
    pub prefix: Option<Spanned<String>>,
    #[serde(default)]
    pub lint: LintConfig,
    /// Deployments to use instead of the workflows' (see [`crate::deploy`]).
    #[serde(default)]
    pub deployment: Vec<Spanned<DeploymentConfig>>,
    /// The Maskinporten environment of clusters whose name does not say it.
    #[serde(default)]
    pub clusters: BTreeMap<String, EnvironmentName>,
    /// Local clones of repositories whose workflows are called
    /// (`"owner/repo" = "../folder"`), relative to this file's folder.
    #[serde(default)]
    pub workflows: BTreeMap<String, String>,
}

/// `[[deployment]]`: one manifest rendered with vars for one cluster.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentConfig {
    pub manifest: String,
    /// One vars file, or a list applied in order.
    #[serde(default)]
    pub vars: OneOrMany,
    /// `KEY=VALUE` pairs.
    #[serde(default)]
    pub var: Vec<String>,
    pub cluster: Option<String>,
}

/// A string or a list of strings.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// `test` or `prod`, as `[clusters]` names a cluster's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvironmentName {
    Test,
    Prod,
}

impl Config {
    /// `[clusters]` as environments.
    pub fn clusters(&self) -> BTreeMap<String, crate::deploy::Environment> {
        use crate::deploy::Environment;
        self.clusters
            .iter()
            .map(|(k, v)| {
                let env = match v {
                    EnvironmentName::Test => Environment::Test,
                    EnvironmentName::Prod => Environment::Prod,
                };
                (k.clone(), env)
            })
            .collect()
    }

    /// The `[[deployment]]` entries, with the line each starts on in `text`.
    pub fn configured_deployments(&self, text: &str) -> Vec<crate::deploy::Configured> {
        self.deployment
            .iter()
            .map(|d| {
                let line = text[..d.span().start.min(text.len())].matches('\n').count() + 1;
                let d = d.get_ref();
                crate::deploy::Configured {
                    manifest: d.manifest.clone(),
                    vars: d.vars.to_vec(),
                    var: d.var.clone(),
                    cluster: d.cluster.clone(),
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                }
            })
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Run only these rules (empty: all).
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    /// Skip these rules.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Clusters that are on-premises; default: names ending in `-fss`.
    pub on_prem_clusters: Option<Vec<String>>,
    /// Severity per rule id.
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Level>,
}

/// A configured severity, or `off` to disable a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl LintConfig {
    /// The configured `select` list as plain ids.
    pub fn select_ids(&self) -> Vec<&str> {
        self.select.iter().map(|s| s.get_ref().as_str()).collect()
    }

    /// Whether `cluster` is on-premises, per `on_prem_clusters` or the `-fss` naming.
    pub fn is_on_prem(&self, cluster: &str) -> bool {
        match &self.on_prem_clusters {
            Some(list) => list.iter().any(|c| c == cluster),
            None => cluster.ends_with("-fss"),
        }
    }
}

/// A configuration as read, with where it came from (`None`: no file, defaults).
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    /// The file as shown in messages, and its text.
    pub name: Option<String>,
    pub text: String,
    /// Whether the file was named with `--config` (the operator's), rather
    /// than found in the repository (the pull request's).
    pub explicit: bool,
}

impl Loaded {
    /// Where called workflows of other repositories come from: the
    /// `[workflows]` clones, relative to the file's folder, then the cache
    /// and the API.
    pub fn workflow_sources(&self, cwd: &Path) -> crate::deploy::sources::Sources {
        let base = match &self.path {
            Some(p) => cwd.join(p.parent().unwrap_or(Path::new(""))),
            None => cwd.to_path_buf(),
        };
        let copies: Vec<(String, String)> = self
            .config
            .workflows
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        crate::deploy::sources::Sources::new(&copies, &base, self.explicit)
    }

    /// The `[[deployment]]` entries, each with its line.
    pub fn deployments(&self) -> Vec<crate::deploy::Configured> {
        self.config.configured_deployments(&self.text)
    }
}

/// A config file that cannot be used, with the source to show the place.
#[derive(Debug)]
pub struct ConfigError {
    pub error: InputError,
    pub source: Arc<SourceFile>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// Read the configuration: `explicit` (relative to `cwd`) if given, else the
/// nearest `maskscope.toml`, else defaults. `known_rules` are the valid rule ids.
pub fn load(
    explicit: Option<&Path>,
    cwd: &Path,
    known_rules: &[&str],
) -> Result<Loaded, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match find(cwd) {
            Some(p) => p,
            None => return Ok(Loaded::default()),
        },
    };
    let name = display_name(&path, cwd);
    // One found by searching is the repository's (or a folder's above it):
    // a link in it must stay in the folder that holds it.
    let full = match explicit {
        Some(_) => Ok(cwd.join(&path)),
        None => {
            let folder = path.parent().unwrap_or(Path::new("."));
            crate::confine::Confine::new(folder).check(&path)
        }
    };
    let text = full
        .and_then(|full| read(&full))
        .map_err(|message| ConfigError {
            error: InputError {
                file: name.clone(),
                pos: None,
                kind: InputErrorKind::Io,
                message,
            },
            source: SourceFile::new(&name, ""),
        })?;
    let config = parse(&name, &text, known_rules)?;
    Ok(Loaded {
        config,
        path: Some(path),
        name: Some(name),
        text,
        explicit: explicit.is_some(),
    })
}

/// The prefix to use: `--prefix`, else the config's, else `nav`.
pub fn prefix(cli: Option<&str>, config: &Config) -> String {
    cli.or(config.prefix.as_ref().map(|p| p.get_ref().as_str()))
        .unwrap_or(DEFAULT_PREFIX)
        .to_owned()
}

/// For commands without lint settings: the configuration (`explicit`, else
/// the nearest one), with every rule id known.
pub fn load_any(explicit: Option<&Path>, cwd: &Path) -> Result<Loaded, ConfigError> {
    let known: Vec<&str> = crate::lint::rules::all()
        .iter()
        .map(|r| r.doc().id)
        .collect();
    load(explicit, cwd, &known)
}

/// Parse config text; `name` is used in errors.
pub fn parse(name: &str, text: &str, known_rules: &[&str]) -> Result<Config, ConfigError> {
    let fail = |offset: Option<usize>, message: String| ConfigError {
        error: InputError {
            file: name.to_owned(),
            pos: offset.map(|o| pos_of_offset(text.as_bytes(), o)),
            kind: InputErrorKind::Syntax,
            message,
        },
        source: SourceFile::new(name, text),
    };
    let config: Config = toml::from_str(text).map_err(|e| {
        let message = e.message().trim();
        let message = if message.contains("recursion") {
            // The TOML reader's own limit on nesting.
            "nested deeper than the TOML reader reads (its recursion budget); a maskscope.toml holds tables one level deep: check that this is the file you mean (--config)".to_owned()
        } else {
            message.to_owned()
        };
        fail(e.span().map(|s| s.start), message)
    })?;
    if let Some(prefix) = &config.prefix
        && let Err(why) = crate::naming::check_prefix(prefix.get_ref())
    {
        return Err(fail(Some(prefix.span().start), format!("`prefix`: {why}")));
    }
    let lint = &config.lint;
    let ids = lint
        .select
        .iter()
        .chain(&lint.ignore)
        .chain(lint.severity.keys());
    for id in ids {
        if !known_rules.contains(&id.get_ref().as_str()) {
            let hint = suggest::did_you_mean(id.get_ref(), known_rules.iter().copied());
            return Err(fail(
                Some(id.span().start),
                format!("unknown rule `{}`: {hint}", id.get_ref()),
            ));
        }
    }
    Ok(config)
}

fn find(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The path relative to `cwd` where it lies below it, else as it is.
fn display_name(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn read(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| crate::discover::io_reason(&e))?;
    let mut buf = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| crate::discover::io_reason(&e))?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(format!(
            "larger than the budget of {} MiB for a maskscope.toml; a configuration is a few lines: check that this is the file you mean (--config)",
            MAX_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(buf).map_err(|_| "not valid UTF-8 text".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: [&str; 2] = ["invalid-name", "orgno-checksum"];

    #[test]
    fn reads_every_setting() {
        let c = parse(
            "m.toml",
            "prefix = \"kv\"\n[lint]\nselect = [\"invalid-name\"]\nignore = [\"orgno-checksum\"]\non_prem_clusters = [\"dev-x\"]\n[lint.severity]\ninvalid-name = \"off\"\n",
            &RULES,
        )
        .unwrap();
        assert_eq!(c.prefix.as_ref().map(|p| p.get_ref().as_str()), Some("kv"));
        assert_eq!(c.lint.select[0].get_ref(), "invalid-name");
        assert!(c.lint.is_on_prem("dev-x"));
        assert!(!c.lint.is_on_prem("prod-fss"));
        assert_eq!(c.lint.severity.values().next(), Some(&Level::Off));
    }

    #[test]
    fn unknown_rule_names_its_place_and_the_nearest_rule() {
        let e = parse("m.toml", "[lint]\nignore = [\"orgno-checksun\"]\n", &RULES).unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.toml:2:11: unknown rule `orgno-checksun`: did you mean `orgno-checksum`?"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let e = parse("m.toml", "[lint]\nselct = []\n", &RULES).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("m.toml:2:1: unknown field `selct`"),
            "{e}"
        );
    }

    #[test]
    fn default_on_prem_is_fss() {
        assert!(LintConfig::default().is_on_prem("prod-fss"));
        assert!(!LintConfig::default().is_on_prem("prod-gcp"));
    }
}
