//! Every lint rule, one per file. To add a rule: write `lint/rules/<id>.rs` with
//! a `RuleDoc` and a `Rule` impl, fixtures under `testdata/lint/<id>/`, and list
//! it in [`all`].

use super::Rule;

mod duplicate_key;
mod invalid_product;
pub mod migration;
mod missing_field;
mod unknown_field;
mod unrendered_template;
mod wrong_type;
mod yaml11_ambiguity;
mod yaml_syntax;

/// Every rule, in the order `maskscope rules` lists them.
pub fn all() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = vec![
        &yaml_syntax::YamlSyntax,
        &unrendered_template::UnrenderedTemplate,
        &unknown_field::UnknownField,
        &missing_field::MissingField,
        &wrong_type::WrongType,
        &yaml11_ambiguity::Yaml11Ambiguity,
        &duplicate_key::DuplicateKey,
        &invalid_product::InvalidProduct,
    ];
    rules.extend(migration::ALL.iter().map(|r| r as &dyn Rule));
    rules
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.doc().id == id)
}
