//! The nais clusters maskscope knows by name, and the warning for a
//! `--cluster` that is none of them: a typo there (`prd-gcp`) would otherwise
//! leave every manifest in an unknown Maskinporten environment without a word.

use crate::deploy::Environment;
use std::collections::BTreeMap;

/// NAV's nais clusters, the names completions offer and typos are matched to.
pub const KNOWN: [&str; 4] = ["dev-gcp", "prod-gcp", "dev-fss", "prod-fss"];

/// The warning for `--cluster NAME` when the name gives no Maskinporten
/// environment: neither `dev-*`/`prod-*` nor under `[clusters]` in
/// `maskscope.toml` (`configured`). Names the closest known or configured
/// cluster.
pub fn unknown(cluster: &str, configured: &BTreeMap<String, Environment>) -> Option<String> {
    if Environment::of_cluster(cluster, configured).is_some() {
        return None;
    }
    let candidates = KNOWN
        .iter()
        .copied()
        .chain(configured.keys().map(String::as_str));
    let hint = match crate::suggest::closest(cluster, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<String> = candidates.map(|c| format!("`{c}`")).collect();
            format!("known clusters: {}", all.join(", "))
        }
    };
    Some(format!(
        "--cluster {cluster}: not a known cluster (dev-* or prod-*, or one under [clusters] in maskscope.toml), so the Maskinporten environment is unknown; {hint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_matched_to_the_closest_cluster() {
        let none = BTreeMap::new();
        assert_eq!(unknown("prod-gcp", &none), None);
        assert_eq!(unknown("dev-anything", &none), None);
        assert!(
            unknown("prd-gcp", &none)
                .unwrap()
                .ends_with("did you mean `prod-gcp`?")
        );
        let configured = BTreeMap::from([("labs-gcp".to_owned(), Environment::Test)]);
        assert_eq!(unknown("labs-gcp", &configured), None);
        assert!(
            unknown("lab-gcp", &configured)
                .unwrap()
                .ends_with("did you mean `labs-gcp`?")
        );
    }
}
