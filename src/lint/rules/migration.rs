//! The checks of `maskscope migrate-check` as lint rules, so that
//! `maskscope lint --iac FILE` reports them like every other rule (selection,
//! severities, suppression, every output format) and `maskscope rules` lists
//! and explains them. Their documentation lives with the checks in
//! [`crate::migrate::checks`]; their findings come from
//! [`crate::migrate::check`], which needs the registrations as well as the
//! manifests, so the per-manifest hooks stay empty and the lint command adds
//! the findings to the run.

use crate::lint::{Rule, RuleDoc};
use crate::migrate::checks::Check;

/// One migration check as a rule.
pub struct Migration(pub Check);

impl Rule for Migration {
    fn doc(&self) -> &'static RuleDoc {
        self.0.doc()
    }
}

/// Every migration check, in [`Check::ALL`] order.
pub static ALL: [Migration; 16] = [
    Migration(Check::DuplicateRegistration),
    Migration(Check::ScopeTakeover),
    Migration(Check::ClusterMismatch),
    Migration(Check::OwnerUnknown),
    Migration(Check::AppNotFound),
    Migration(Check::ScopeNotExposed),
    Migration(Check::ScopeDisabled),
    Migration(Check::MaskinportenDisabled),
    Migration(Check::ConsumerRevoked),
    Migration(Check::ConsumerGranted),
    Migration(Check::AttributeDrift),
    Migration(Check::InactiveRegistration),
    Migration(Check::DescriptionRewrite),
    Migration(Check::MalformedDescription),
    Migration(Check::DescriptionSubscopeMismatch),
    Migration(Check::DescriptionDashes),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_a_rule() {
        let ids: Vec<_> = ALL.iter().map(|r| r.doc().id).collect();
        let checks: Vec<_> = Check::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids, checks);
        for id in ids {
            assert!(crate::lint::rules::find(id).is_some(), "{id}");
        }
    }
}
