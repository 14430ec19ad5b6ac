//! Small pieces several rules share: reaching the raw YAML of an exposes entry
//! (to tell a missing field from a wrongly typed one, which the model folds
//! together) and naming a scope in messages.

use crate::model::{ExposedScope, Manifest};
use crate::resolve::resolve_entry;
use crate::yaml::Node;

/// The raw YAML node of an exposes entry, as written.
pub fn exposes_node<'m>(m: &'m Manifest, entry: &ExposedScope) -> Option<&'m Node> {
    let mp = m.maskinporten.as_ref()?;
    mp.node
        .as_ref()?
        .get("scopes")?
        .get("exposes")?
        .as_seq()?
        .get(entry.index)
}

/// The fully qualified scope of an entry, when it has a product and a name.
pub fn scope_of(entry: &ExposedScope, prefix: &str) -> Option<String> {
    resolve_entry(prefix, entry).ok().map(|(_, _, r)| r.scope)
}

/// Whether the entry's product and name both pass the CRD patterns. Rules that
/// only comment on a scope stay quiet otherwise: the scope cannot be deployed as
/// written, and `invalid-product` or `invalid-name` says why.
pub fn crd_valid(entry: &ExposedScope) -> bool {
    let product_ok = entry.product.as_ref().is_some_and(|p| {
        !p.value.is_empty()
            && p.value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    product_ok
        && entry
            .name
            .as_ref()
            .is_some_and(|n| super::invalid_name::is_valid(&n.value))
}

/// How messages name an entry: `scope "nav:arbeid:x"`, else `exposes entry "x"`
/// (no product), else `exposes entry N` (1-based).
pub fn describe(entry: &ExposedScope, prefix: &str) -> String {
    match (scope_of(entry, prefix), &entry.name) {
        (Some(scope), _) => format!("scope {scope:?}"),
        (None, Some(name)) => format!("exposes entry {:?}", name.value),
        (None, None) => format!("exposes entry {}", entry.index + 1),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::join_and;

    #[test]
    fn joins_lists_for_prose() {
        let s = |v: &[&str]| join_and(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&[]), "");
        assert_eq!(s(&["a"]), "a");
        assert_eq!(s(&["a", "b"]), "a and b");
        assert_eq!(s(&["a", "b", "c"]), "a, b and c");
    }
}
