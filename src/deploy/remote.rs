//! Workflows of other repositories that a job calls
//! (`uses: OWNER/REPO/PATH@REF`): their address, and the source that
//! supplies their text. The reader ([`super::workflow`]) asks a [`Supply`]
//! and never knows where the text came from but for the [`Origin`] it
//! reports; the sources themselves (a local clone, the cache, the GitHub
//! API) are in [`super::sources`].

use serde::Serialize;

/// A workflow of another repository, as a job's `uses:` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `owner/repo`, as written.
    pub repo: String,
    /// The file, relative to that repository's root.
    pub path: String,
    /// A branch, a tag or a commit.
    pub reference: String,
}

impl Address {
    /// `OWNER/REPO/PATH@REF`, else `None` (a local path, a malformed name).
    /// GitHub reads reusable workflows only from `.github/workflows/`.
    pub fn parse(uses: &str) -> Option<Address> {
        let (name, reference) = uses.rsplit_once('@')?;
        let mut parts = name.splitn(3, '/');
        let (owner, repo, path) = (parts.next()?, parts.next()?, parts.next()?);
        let plain = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && s != "."
                && s != ".."
        };
        let path_ok = path.starts_with(".github/workflows/")
            && path.split('/').all(plain)
            && (path.ends_with(".yml") || path.ends_with(".yaml"));
        let ref_ok = !reference.is_empty()
            && !reference.contains("..")
            && !reference.starts_with(['-', '/'])
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
        (plain(owner) && plain(repo) && path_ok && ref_ok).then(|| Address {
            repo: format!("{owner}/{repo}"),
            path: path.to_owned(),
            reference: reference.to_owned(),
        })
    }

    /// Whether the reference is a full commit SHA, which never changes.
    pub fn pinned(&self) -> bool {
        self.reference.len() == 40 && self.reference.chars().all(|c| c.is_ascii_hexdigit())
    }

    /// The file name, for guessing what an unread workflow does.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}@{}", self.repo, self.path, self.reference)
    }
}

/// Where a called workflow's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// From the GitHub API in this run.
    Fetched,
    /// From the cache.
    Cached,
    /// From a clone named in `maskscope.toml` (`[workflows]`).
    Local,
    /// Not read: the deployment is inferred from the caller's `with:`.
    Inferred,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Fetched => "fetched",
            Origin::Cached => "cached",
            Origin::Local => "local",
            Origin::Inferred => "inferred",
        }
    }
}

/// A called workflow's text.
#[derive(Debug, Clone)]
pub struct Supplied {
    pub text: String,
    pub origin: Origin,
    /// Something the reader should know (a working tree's file instead of
    /// the ref's, a stale cache entry), shown as a warning.
    pub note: Option<String>,
}

/// What supplies called workflows: `Err` says why one cannot be had.
pub trait Supply: Sync {
    fn supply(&self, address: &Address) -> Result<Supplied, String>;
}

/// No other repository's workflows: what reading without a source gives.
pub struct Nothing;

impl Supply for Nothing {
    fn supply(&self, _: &Address) -> Result<Supplied, String> {
        Err("not fetched (offline, and no local copy)".to_owned())
    }
}

/// How to make reading a called workflow exact, for warnings.
pub const HOW_TO_READ: &str =
    "run with --online or a GITHUB_TOKEN, or name a local copy in maskscope.toml's [workflows]";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_owner_repo_path_and_ref() {
        let a =
            Address::parse("navikt/fp-gha-workflows/.github/workflows/deploy.yml@main").unwrap();
        assert_eq!(a.repo, "navikt/fp-gha-workflows");
        assert_eq!(a.path, ".github/workflows/deploy.yml");
        assert_eq!(a.reference, "main");
        assert!(!a.pinned());
        for bad in [
            "./.github/workflows/x.yml",
            "navikt/x/.github/workflows/x.yml",
            "navikt/x/.github/workflows/../../x.yml@main",
            "navikt/x/other/x.yml@main",
            "navikt/x/.github/workflows/x.yml@a..b",
            "navikt/x/.github/workflows/x.yml@a?b",
            "navikt/x/.github/workflows/x.yml@--output=x",
        ] {
            assert_eq!(Address::parse(bad), None, "{bad}");
        }
    }
}
