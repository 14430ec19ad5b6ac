//! `maskscope migrate-check`: legacy scope registrations (from the IaC
//! repository that registered scopes before digdirator did) checked against the
//! manifests that will take them over.
//!
//! [`iac`] reads the registrations, [`description`] parses their description
//! scheme, [`checks`] lists the checks with their documentation, and [`check`]
//! runs them as pure functions over registrations and manifests.

pub mod check;
pub mod checks;
pub mod description;
pub mod iac;
