//! The scope naming engine: how digdirator turns an exposes entry into a fully
//! qualified Maskinporten scope, and how such a scope splits back into its parts.
//!
//! Pure functions only; no I/O, so every rule here is cheap to test exhaustively.
//!
//! ```text
//! scope     := <prefix> ":" <subscope>
//! subscope  := <product> <separator> <name>
//! separator := explicit separator, if set and non-empty
//!              else "/" if name contains "/"
//!              else ":"
//! ```

use serde::Serialize;

/// The prefix of every scope NAV registers.
pub const DEFAULT_PREFIX: &str = "nav";

/// Why `prefix` cannot start a scope, if it cannot. DigDir assigns each
/// organisation its prefixes by hand (`nav`, `altinn`, `skatteetaten`, an
/// organisation number) and a scope is `<prefix>:<subscope>`, so a prefix is
/// one non-empty word of lowercase ASCII letters and digits: a `:` in it would
/// move where the subscope begins, and a space or an upper-case letter makes
/// no scope any token carries.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Err(
            "the scope prefix is empty; Maskinporten scopes are `<prefix>:<subscope>`, e.g. `nav`"
                .to_owned(),
        );
    }
    match prefix
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
    {
        None => Ok(()),
        Some(c) => Err(format!(
            "the scope prefix {prefix:?} cannot make a scope: it holds {c:?}; a prefix is lowercase ASCII letters and digits only, such as `nav`, as DigDir assigns them"
        )),
    }
}

/// Where the effective separator came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeparatorSource {
    /// The entry's `separator` field set it.
    Explicit,
    /// digdirator's default applied (`/` if the name has one, else `:`).
    Default,
}

/// The separator digdirator uses when the entry sets none.
pub fn default_separator(name: &str) -> &'static str {
    if name.contains('/') { "/" } else { ":" }
}

/// The effective separator and where it came from. An empty explicit separator
/// counts as unset, as in digdirator (`if len(separator) > 0`).
pub fn separator<'a>(name: &str, explicit: Option<&'a str>) -> (&'a str, SeparatorSource) {
    match explicit {
        Some(sep) if !sep.is_empty() => (sep, SeparatorSource::Explicit),
        _ => (default_separator(name), SeparatorSource::Default),
    }
}

/// `product + separator + name`.
pub fn subscope(product: &str, separator: &str, name: &str) -> String {
    let mut s = String::with_capacity(product.len() + separator.len() + name.len());
    s.push_str(product);
    s.push_str(separator);
    s.push_str(name);
    s
}

/// `prefix + ":" + subscope`.
pub fn scope(prefix: &str, subscope: &str) -> String {
    format!("{prefix}:{subscope}")
}

/// Everything the engine derives from one exposes entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub separator: String,
    pub separator_source: SeparatorSource,
    pub subscope: String,
    pub scope: String,
}

/// Resolve an entry's product, name and optional separator under `prefix`.
pub fn resolve(prefix: &str, product: &str, name: &str, explicit: Option<&str>) -> Resolved {
    let (sep, source) = separator(name, explicit);
    let subscope = subscope(product, sep, name);
    Resolved {
        scope: scope(prefix, &subscope),
        separator: sep.to_owned(),
        separator_source: source,
        subscope,
    }
}

/// Split a fully qualified scope into `(prefix, subscope)` at the first `:`.
/// Returns `None` unless both parts are non-empty.
pub fn split(scope: &str) -> Option<(&str, &str)> {
    let (prefix, subscope) = scope.split_once(':')?;
    (!prefix.is_empty() && !subscope.is_empty()).then_some((prefix, subscope))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fq(product: &str, name: &str, sep: Option<&str>) -> String {
        resolve(DEFAULT_PREFIX, product, name, sep).scope
    }

    // The table in the domain reference, from the nais docs and digdirator's tests.
    #[test]
    fn documented_examples() {
        assert_eq!(
            fq("arbeid", "some.scope.read", None),
            "nav:arbeid:some.scope.read"
        );
        assert_eq!(
            fq("arbeid", "some/scope.read", None),
            "nav:arbeid/some/scope.read"
        );
        assert_eq!(
            fq("arbeid", "test.scope", Some("/")),
            "nav:arbeid/test.scope"
        );
        assert_eq!(
            fq("arbeid", "test/scope", Some(":")),
            "nav:arbeid:test/scope"
        );
        assert_eq!(
            fq("helse", "sykepenger/afp.write", Some("/")),
            "nav:helse/sykepenger/afp.write"
        );
    }

    #[test]
    fn dot_separator_is_allowed() {
        assert_eq!(
            fq("kartverket", "eiendom", Some(".")),
            "nav:kartverket.eiendom"
        );
    }

    #[test]
    fn empty_explicit_separator_means_default() {
        let r = resolve("nav", "arbeid", "a/b", Some(""));
        assert_eq!(r.separator, "/");
        assert_eq!(r.separator_source, SeparatorSource::Default);
    }

    #[test]
    fn separator_source_is_reported() {
        assert_eq!(separator("a", Some(":")).1, SeparatorSource::Explicit);
        assert_eq!(separator("a", None), (":", SeparatorSource::Default));
    }

    #[test]
    fn other_prefix() {
        assert_eq!(resolve("skatt", "p", "n", None).scope, "skatt:p:n");
    }

    #[test]
    fn split_takes_the_first_colon() {
        assert_eq!(
            split("nav:arbeid:some.scope"),
            Some(("nav", "arbeid:some.scope"))
        );
        assert_eq!(
            split("nav:arbeid/some/scope.read"),
            Some(("nav", "arbeid/some/scope.read"))
        );
        assert_eq!(split("nav"), None);
        assert_eq!(split(":x"), None);
        assert_eq!(split("nav:"), None);
    }
}
