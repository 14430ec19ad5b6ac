//! Deployments by convention, for manifests that no workflow or
//! configuration names: a cluster in the file name (`dev-gcp.yaml`,
//! `naiserator-prod-fss.yml`), else an environment word in it (`dev`,
//! `preprod`, `q0`–`q9` for test; `prod` for production), else a deployment
//! to an unknown cluster, which forms an environment of its own.

use super::{Deployment, Environment, Source, SourceKind};
use std::collections::BTreeMap;

/// The one deployment of `manifest` that its name suggests.
pub fn deployment(manifest: &str, clusters: &BTreeMap<String, Environment>) -> Deployment {
    let (cluster, environment) = from_name(manifest, clusters);
    Deployment {
        manifest: manifest.to_owned(),
        vars: Vec::new(),
        var: BTreeMap::new(),
        cluster,
        environment,
        source: Source {
            kind: SourceKind::Convention,
            file: None,
            line: None,
            via: None,
        },
    }
}

/// The cluster and environment a file name names.
pub fn from_name(
    path: &str,
    clusters: &BTreeMap<String, Environment>,
) -> (Option<String>, Option<Environment>) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let words: Vec<&str> = stem
        .split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    // A cluster: two neighbouring words such as `dev` `gcp`, or one the config maps.
    for pair in words.windows(2) {
        let cluster = format!("{}-{}", pair[0], pair[1]);
        let known = matches!(pair[0], "dev" | "prod") && matches!(pair[1], "gcp" | "fss");
        if known || clusters.contains_key(&cluster) {
            let env = Environment::of_cluster(&cluster, clusters);
            return (Some(cluster), env);
        }
    }
    let env = words.iter().find_map(|w| match *w {
        "dev" | "preprod" => Some(Environment::Test),
        w if w.len() == 2 && w.starts_with('q') && w[1..].chars().all(|c| c.is_ascii_digit()) => {
            Some(Environment::Test)
        }
        "prod" => Some(Environment::Prod),
        _ => None,
    });
    (None, env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str) -> (Option<String>, Option<Environment>) {
        from_name(name, &BTreeMap::new())
    }

    #[test]
    fn clusters_and_environment_words() {
        use Environment::*;
        assert_eq!(
            of("nais/dev-gcp.yaml"),
            (Some("dev-gcp".into()), Some(Test))
        );
        assert_eq!(
            of("naiserator-prod-fss.yml"),
            (Some("prod-fss".into()), Some(Prod))
        );
        assert_eq!(
            of("nais/prod-gcp-altinn.yaml"),
            (Some("prod-gcp".into()), Some(Prod))
        );
        assert_eq!(of(".nais/q2.yaml"), (None, Some(Test)));
        assert_eq!(of("nais-preprod.yaml"), (None, Some(Test)));
        assert_eq!(of(".nais/app-prod.yml"), (None, Some(Prod)));
        assert_eq!(of("naiserator-dev.yml"), (None, Some(Test)));
        assert_eq!(of(".nais/nais.yaml"), (None, None));
        assert_eq!(of(".nais/product.yaml"), (None, None));
        assert_eq!(of("deploy-q10.yml"), (None, None));
    }
}
