//! Resolving the exposes entries of manifests into fully qualified scopes.

use crate::model::{ExposedScope, Manifest};
use crate::naming::{self, Resolved};

/// One exposes entry with the scope it resolves to.
pub struct ResolvedScope<'m> {
    pub manifest: &'m Manifest,
    pub entry: &'m ExposedScope,
    pub product: &'m str,
    pub name: &'m str,
    pub resolved: Resolved,
}

impl ResolvedScope<'_> {
    /// Whether digdirator will keep the scope active: the entry and the block are enabled.
    pub fn active(&self) -> bool {
        self.entry.enabled() && self.manifest.maskinporten_enabled()
    }
}

/// An exposes entry that could not be resolved.
pub struct Unresolvable<'m> {
    pub manifest: &'m Manifest,
    pub entry: &'m ExposedScope,
    /// The missing or unusable fields, e.g. `name`.
    pub missing: Vec<&'static str>,
}

/// Resolve every exposes entry, in manifest and entry order.
pub fn resolve_all<'m>(
    manifests: &'m [Manifest],
    prefix: &str,
) -> (Vec<ResolvedScope<'m>>, Vec<Unresolvable<'m>>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for manifest in manifests {
        let Some(mp) = &manifest.maskinporten else {
            continue;
        };
        for entry in &mp.exposes {
            match resolve_entry(prefix, entry) {
                Ok((product, name, resolved)) => ok.push(ResolvedScope {
                    manifest,
                    entry,
                    product,
                    name,
                    resolved,
                }),
                Err(missing) => bad.push(Unresolvable {
                    manifest,
                    entry,
                    missing,
                }),
            }
        }
    }
    (ok, bad)
}

/// The product, name and resolved scope of one entry, or the fields it lacks.
pub fn resolve_entry<'e>(
    prefix: &str,
    entry: &'e ExposedScope,
) -> Result<(&'e str, &'e str, Resolved), Vec<&'static str>> {
    let name = entry
        .name
        .as_ref()
        .map(|f| f.value.as_str())
        .filter(|s| !s.is_empty());
    let product = entry
        .product
        .as_ref()
        .map(|f| f.value.as_str())
        .filter(|s| !s.is_empty());
    match (product, name) {
        (Some(p), Some(n)) => {
            let sep = entry.separator.as_ref().map(|f| f.value.as_str());
            Ok((p, n, naming::resolve(prefix, p, n, sep)))
        }
        _ => {
            let mut missing = Vec::new();
            if name.is_none() {
                missing.push("name");
            }
            if product.is_none() {
                missing.push("product");
            }
            Err(missing)
        }
    }
}
