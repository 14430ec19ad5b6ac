//! Every lint rule, one per file. To add a rule: write `lint/rules/<id>.rs` with
//! a `RuleDoc` and a `Rule` impl, fixtures under `testdata/lint/<id>/`, and list
//! it in [`all`].

use super::Rule;

mod at_max_age_range;
mod delegation_requires_slash;
mod empty_allowed_integrations;
mod invalid_consumed_scope;
mod invalid_enum;
mod invalid_name;
mod invalid_orgno;
mod invalid_product;
mod invalid_separator;
mod orgno_checksum;
mod support;
#[cfg(test)]
mod test_support;
mod unknown_integration;

/// Every rule, in the order `maskscope rules` lists them.
pub fn all() -> Vec<&'static dyn Rule> {
    vec![
        &invalid_name::InvalidName,
        &invalid_product::InvalidProduct,
        &invalid_separator::InvalidSeparator,
        &invalid_orgno::InvalidOrgno,
        &orgno_checksum::OrgnoChecksum,
        &at_max_age_range::AtMaxAgeRange,
        &invalid_enum::InvalidEnum,
        &delegation_requires_slash::DelegationRequiresSlash,
        &empty_allowed_integrations::EmptyAllowedIntegrations,
        &unknown_integration::UnknownIntegration,
        &invalid_consumed_scope::InvalidConsumedScope,
    ]
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.doc().id == id)
}
