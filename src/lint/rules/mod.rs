//! Every lint rule, one per file. To add a rule: write `lint/rules/<id>.rs` with
//! a `RuleDoc` and a `Rule` impl, fixtures under `testdata/lint/<id>/`, and list
//! it in [`all`].

use super::Rule;

mod invalid_name;
mod invalid_product;
mod support;
#[cfg(test)]
mod test_support;

/// Every rule, in the order `maskscope rules` lists them.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![&invalid_name::InvalidName, &invalid_product::InvalidProduct]
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.doc().id == id)
}
