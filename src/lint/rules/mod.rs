//! Every lint rule, one per file. To add a rule: write `lint/rules/<id>.rs` with
//! a `RuleDoc` and a `Rule` impl, fixtures under `testdata/lint/<id>/`, and list
//! it in [`all`].

use super::{Kind, Rule};

mod at_max_age_range;
mod delegation_requires_slash;
mod disabled_with_consumers;
#[cfg(test)]
mod doc_examples;
mod docs_placeholder;
mod duplicate_consumer;
mod duplicate_key;
mod duplicate_scope;
mod empty_allowed_integrations;
mod implicit_separator;
mod invalid_consumed_scope;
mod invalid_enum;
mod invalid_name;
mod invalid_orgno;
mod invalid_product;
mod invalid_separator;
mod maskinporten_disabled;
pub mod migration;
mod missing_access_suffix;
mod missing_field;
mod missing_orgno;
mod missing_variable;
mod mixed_separator;
mod orgno_checksum;
mod redundant_consumers;
mod scope_collision;
mod shared_scope;
mod support;
#[cfg(test)]
mod test_support;
mod unknown_consumed_scope;
mod unknown_field;
mod unknown_integration;
mod unknown_suppression;
mod unrendered_template;
mod webproxy_required;
mod wrong_api_version;
mod wrong_type;
mod yaml11_ambiguity;
mod yaml_syntax;

/// Every rule, in the order `maskscope rules` lists them. The migration
/// checks come last; one whose id a manifest rule already has (such as
/// `maskinporten-disabled`) is reported under that rule.
pub fn all() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = vec![
        &yaml_syntax::YamlSyntax,
        &wrong_api_version::WrongApiVersion,
        &unrendered_template::UnrenderedTemplate,
        &missing_variable::MissingVariable,
        &unknown_field::UnknownField,
        &missing_field::MissingField,
        &wrong_type::WrongType,
        &yaml11_ambiguity::Yaml11Ambiguity,
        &duplicate_key::DuplicateKey,
        &unknown_suppression::UnknownSuppression,
        &invalid_name::InvalidName,
        &invalid_product::InvalidProduct,
        &invalid_separator::InvalidSeparator,
        &invalid_orgno::InvalidOrgno,
        &orgno_checksum::OrgnoChecksum,
        &docs_placeholder::DocsPlaceholder,
        &at_max_age_range::AtMaxAgeRange,
        &invalid_enum::InvalidEnum,
        &delegation_requires_slash::DelegationRequiresSlash,
        &empty_allowed_integrations::EmptyAllowedIntegrations,
        &unknown_integration::UnknownIntegration,
        &invalid_consumed_scope::InvalidConsumedScope,
        &duplicate_scope::DuplicateScope,
        &scope_collision::ScopeCollision,
        &shared_scope::SharedScope,
        &unknown_consumed_scope::UnknownConsumedScope,
        &missing_orgno::MissingOrgno,
        &duplicate_consumer::DuplicateConsumer,
        &maskinporten_disabled::MaskinportenDisabled,
        &mixed_separator::MixedSeparator,
        &webproxy_required::WebproxyRequired,
        &disabled_with_consumers::DisabledWithConsumers,
        &redundant_consumers::RedundantConsumers,
        &implicit_separator::ImplicitSeparator,
        &missing_access_suffix::MissingAccessSuffix,
    ];
    for m in &migration::ALL {
        if !rules.iter().any(|r| r.doc().id == m.doc().id) {
            rules.push(m);
        }
    }
    rules
}

/// The ids of the rules of `kinds`, in the order of [`all`].
pub fn ids_of(kinds: &[Kind]) -> Vec<&'static str> {
    all()
        .iter()
        .map(|r| r.doc())
        .filter(|d| kinds.contains(&d.kind))
        .map(|d| d.id)
        .collect()
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.doc().id == id)
}
