//! The migration checks: stable ids, severities and documentation. Each check's
//! [`RuleDoc`] (from [`crate::diagnostic`], as the lint rules') is what
//! `maskscope rules ID` prints; `maskscope lint --iac` runs the checks as rules.

use crate::diagnostic::{Kind, RuleDoc, Severity};

/// One migration check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    DuplicateRegistration,
    ScopeTakeover,
    ClusterMismatch,
    OwnerUnknown,
    AppNotFound,
    ScopeNotExposed,
    ScopeDisabled,
    MaskinportenDisabled,
    ConsumerRevoked,
    ConsumerGranted,
    AttributeDrift,
    InactiveRegistration,
    DescriptionRewrite,
    /// Retired: digdirator no longer reads the description.
    MalformedDescription,
    /// Retired: digdirator no longer reads the description.
    DescriptionSubscopeMismatch,
    /// Retired: digdirator no longer reads the description.
    DescriptionDashes,
}

impl Check {
    /// Every check, in the order findings are reported; the retired ones,
    /// which report nothing, last.
    pub const ALL: [Check; 16] = [
        Check::DuplicateRegistration,
        Check::ScopeTakeover,
        Check::ClusterMismatch,
        Check::OwnerUnknown,
        Check::AppNotFound,
        Check::ScopeNotExposed,
        Check::ScopeDisabled,
        Check::MaskinportenDisabled,
        Check::ConsumerRevoked,
        Check::ConsumerGranted,
        Check::AttributeDrift,
        Check::InactiveRegistration,
        Check::DescriptionRewrite,
        Check::MalformedDescription,
        Check::DescriptionSubscopeMismatch,
        Check::DescriptionDashes,
    ];

    /// The checks that report findings today.
    pub fn current() -> impl Iterator<Item = Check> {
        Check::ALL.into_iter().filter(|c| c.doc().on_by_default)
    }

    pub fn doc(self) -> &'static RuleDoc {
        match self {
            Check::DuplicateRegistration => &DUPLICATE_REGISTRATION,
            Check::ScopeTakeover => &SCOPE_TAKEOVER,
            Check::OwnerUnknown => &OWNER_UNKNOWN,
            Check::MalformedDescription => &MALFORMED_DESCRIPTION,
            Check::DescriptionSubscopeMismatch => &DESCRIPTION_SUBSCOPE_MISMATCH,
            Check::DescriptionDashes => &DESCRIPTION_DASHES,
            Check::ClusterMismatch => &CLUSTER_MISMATCH,
            Check::AppNotFound => &APP_NOT_FOUND,
            Check::ScopeNotExposed => &SCOPE_NOT_EXPOSED,
            Check::ScopeDisabled => &SCOPE_DISABLED,
            Check::MaskinportenDisabled => &MASKINPORTEN_DISABLED,
            Check::ConsumerRevoked => &CONSUMER_REVOKED,
            Check::ConsumerGranted => &CONSUMER_GRANTED,
            Check::AttributeDrift => &ATTRIBUTE_DRIFT,
            Check::InactiveRegistration => &INACTIVE_REGISTRATION,
            Check::DescriptionRewrite => &DESCRIPTION_REWRITE,
        }
    }

    pub fn id(self) -> &'static str {
        self.doc().id
    }

    pub fn severity(self) -> Severity {
        self.doc().severity
    }
}

static MALFORMED_DESCRIPTION: RuleDoc = RuleDoc {
    id: "malformed-description",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: false,
    rejects: false,
    summary: "retired: replaced by `owner-unknown` (a description that names no owner)",
    explanation: "\
Retired: reports nothing, and is kept so that configurations and suppression \
comments naming it are still understood. digdirator checked the legacy description \
(`<cluster>:<namespace>:<app>.<subscope>`) until 2024-03-13 (commit d6f01cc, \
\"remove owner check\"); since then it adopts a registration by its subscope alone, \
whatever the description says, and rewrites it. A description that names no owner is now `owner-unknown` (info); one that names \
another application than the one taking the scope over is `scope-takeover`. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration
name: nav:arbeid:vedtak.read
description: Vedtak for arbeidsgivere",
    good: "\
# registration
name: nav:arbeid:vedtak.read
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static DESCRIPTION_SUBSCOPE_MISMATCH: RuleDoc = RuleDoc {
    id: "description-subscope-mismatch",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: false,
    rejects: false,
    summary: "retired: the description no longer decides adoption (see `scope-takeover`)",
    explanation: "\
Retired: reports nothing, and is kept so that configurations and suppression \
comments naming it are still understood. digdirator checked the legacy description \
(`<cluster>:<namespace>:<app>.<subscope>`) until 2024-03-13 (commit d6f01cc, \
\"remove owner check\"); since then it adopts a registration by its subscope alone, \
whatever the description says, and rewrites it. The subscope the description names does not matter: the registration's own \
subscope is matched against the exposes entries. Who the description names as owner \
is checked by `scope-takeover` and `cluster-mismatch`. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration
name: nav:arbeid:vedtak.read
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.write",
    good: "\
# registration
name: nav:arbeid:vedtak.read
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static DESCRIPTION_DASHES: RuleDoc = RuleDoc {
    id: "description-dashes",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: false,
    rejects: false,
    summary: "retired: the description no longer decides adoption (see `description-rewrite`)",
    explanation: "\
Retired: reports nothing, and is kept so that configurations and suppression \
comments naming it are still understood. digdirator checked the legacy description \
(`<cluster>:<namespace>:<app>.<subscope>`) until 2024-03-13 (commit d6f01cc, \
\"remove owner check\"); since then it adopts a registration by its subscope alone, \
whatever the description says, and rewrites it. Dashes in it no longer matter; owners are compared with dashes removed. What \
digdirator writes instead is `description-rewrite`. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration
description: prod-gcp:team-vedtak:vedtak-api.arbeid:vedtak.read",
    good: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static CLUSTER_MISMATCH: RuleDoc = RuleDoc {
    id: "cluster-mismatch",
    severity: Severity::Warning,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the registration's owner is the same app on another cluster than `--cluster`",
    explanation: "\
The description names the application that owns the registration, with its cluster \
(the legacy `<cluster>:<namespace>:<app>.<subscope>` or digdirator's `<product> - \
<cluster>:<namespace>:<app>`). When the manifest that takes the scope over is that \
namespace and app but `--cluster` is another cluster, the deploy moves the scope \
between clusters: digdirator adopts by subscope alone, so it goes through. Check that \
the app on the old cluster no longer exposes the scope, or both will manage one \
registration and overwrite each other's consumers. Checked only with `--cluster`, \
comparing without `-` (`prod-gcp` is `prodgcp`). \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27): adoption by subscope since d6f01cc (2024-03-13).",
    bad: "\
# maskscope migrate-check --cluster dev-gcp
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
    good: "\
# maskscope migrate-check --cluster prod-gcp
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static DUPLICATE_REGISTRATION: RuleDoc = RuleDoc {
    id: "duplicate-registration",
    severity: Severity::Warning,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the same registration twice in the inputs (a file given twice, overlapping exports)",
    explanation: "\
Maskinporten has one registration per scope. When the `--iac` inputs hold the same \
scope twice (one file listed twice, two exports that overlap), the status is computed \
once, for the first; the finding points at the repetition. If the two copies differ, \
one of them is out of date: check which one is DigDir's today. \
Source: DigDir's scope API (one registration per `prefix:subscope`).",
    bad: "\
# maskscope migrate-check --iac prod.json --iac prod.json",
    good: "\
# maskscope migrate-check --iac prod.json",
};

static SCOPE_TAKEOVER: RuleDoc = RuleDoc {
    id: "scope-takeover",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "a deploy would take over a registration whose description names another app",
    explanation: "\
digdirator lists every scope of the organisation and takes over the one whose subscope \
equals an exposes entry's, whatever its description, prefix, or the app, namespace or \
cluster that registered it: the owner check was removed on 2024-03-13. Any \
application can therefore take over any scope by exposing its subscope, and with it \
set its consumers, revoking everyone it does not list. The description is the best \
evidence of who owns a registration: the legacy `<cluster>:<namespace>:<app>.<subscope>` \
and digdirator's `<product> - <cluster>:<namespace>:<app>` both name the owner. When \
it names another namespace or app than the manifest that would take the scope over, \
the deploy takes over another team's scope. Agree on the handover with the owner, or \
choose another name for the scope. Namespaces and apps are compared without `-`. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27) (adoption by subscope, d6f01cc, 2024-03-13); nais/digdirator \
`pkg/digdir/scopes/scope.go` (the description it writes, 2026-03-03).",
    bad: "\
# registration
description: prodgcp:teamskatt:skattapi.arbeid:vedtak.read
# manifest
metadata:
  name: vedtak-api
  namespace: team-vedtak",
    good: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read
# manifest
metadata:
  name: vedtak-api
  namespace: team-vedtak",
};

static OWNER_UNKNOWN: RuleDoc = RuleDoc {
    id: "owner-unknown",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "a registration's description names no owner (free text)",
    explanation: "\
The description is the only evidence of who owns a registration; free text (\"Vedtak \
for arbeidsgivere\") names no cluster, namespace or app. digdirator takes the scope \
over anyway (it adopts by subscope alone), so nothing blocks the deploy, but nothing \
here can tell whether the scope is another team's: make sure it is yours. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27) (adoption by subscope, d6f01cc, 2024-03-13).",
    bad: "\
# registration
description: Vedtak for arbeidsgivere",
    good: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static APP_NOT_FOUND: RuleDoc = RuleDoc {
    id: "app-not-found",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "no manifest exposes the registration's subscope, and none is the app its description names",
    explanation: "\
digdirator takes a registration over for whichever application exposes its subscope. \
None of the manifests given does, and none is the application the description names \
(namespace and name, compared without `-`), so nothing here adopts the scope: give the \
manifests of the owner, or check the registration. When a manifest could not be read, \
registrations it may hold are not reported: fix that file first. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read
# manifest
metadata:
  name: vedtak-backend
  namespace: team-vedtak",
    good: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read
# manifest
metadata:
  name: vedtak-api
  namespace: team-vedtak",
};

static SCOPE_NOT_EXPOSED: RuleDoc = RuleDoc {
    id: "scope-not-exposed",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the app a legacy description names exposes no entry that resolves to the registered subscope",
    explanation: "\
digdirator matches an exposes entry to an existing registration by exact subscope \
(`<product><separator><name>`). A near miss, most often a different separator or product, \
does not fail: digdirator creates a second scope next to the old one, and the old \
scope's consumers are never moved. Set product, name and separator so that the entry \
resolves to exactly the registered subscope. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27); nais/digdirator \
`pkg/digdir/scopes/scope.go` (`Subscope`, 2026-03-03).",
    bad: "\
# registration: nav:arbeid/vedtak.read
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
    good: "\
# registration: nav:arbeid/vedtak.read
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    separator: \"/\"",
};

static SCOPE_DISABLED: RuleDoc = RuleDoc {
    id: "scope-disabled",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the exposes entry that takes over a legacy scope is not enabled",
    explanation: "\
An exposes entry with `enabled: false` deactivates its scope in Maskinporten (a \
registration is never deleted, only deactivated): adopting a legacy scope with it cuts \
off every consumer; its access list is left as it is. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
exposes:
  - name: \"vedtak.read\"
    enabled: false
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
};

static MASKINPORTEN_DISABLED: RuleDoc = RuleDoc {
    id: "maskinporten-disabled",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the app that takes over a legacy scope does not enable `spec.maskinporten`",
    explanation: "\
naiserator provisions nothing for Maskinporten unless `spec.maskinporten.enabled` is \
true: no scope is adopted, whatever the exposes entries say. Source: nais/naiserator \
`pkg/resourcecreator/maskinporten/maskinportenclient.go` (2024-11-18).",
    bad: "\
maskinporten:
  enabled: false
  scopes:
    exposes: [...]",
    good: "\
maskinporten:
  enabled: true
  scopes:
    exposes: [...]",
};

static CONSUMER_REVOKED: RuleDoc = RuleDoc {
    id: "consumer-revoked",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "an organisation with access to a legacy scope today is not listed in the entry",
    explanation: "\
Once an application owns a scope, digdirator revokes the access of every consumer in \
Maskinporten that the exposes entry does not list (for enabled entries). An organisation \
that has access today (any state but DENIED) and is missing from `consumers` loses it at \
the deploy. Add it, or remove it deliberately. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration consumers: [\"889640782\", \"974761076\"]
consumers:
  - orgno: \"889640782\"",
    good: "\
consumers:
  - orgno: \"889640782\"
  - orgno: \"974761076\"",
};

static CONSUMER_GRANTED: RuleDoc = RuleDoc {
    id: "consumer-granted",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the entry lists organisations that have no access to the legacy scope today",
    explanation: "\
digdirator grants access to every consumer the exposes entry lists. An organisation \
without access today (absent from the ACL, or DENIED) gets it at the deploy. Reported \
once per registration, listing every such orgno, so that the change is deliberate. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration consumers: [\"889640782\"]
consumers:
  - orgno: \"889640782\"
  - orgno: \"974761076\"",
    good: "\
# registration consumers: [\"889640782\"]
consumers:
  - orgno: \"889640782\"",
};

static ATTRIBUTE_DRIFT: RuleDoc = RuleDoc {
    id: "attribute-drift",
    severity: Severity::Warning,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "an attribute of a legacy scope changes when the entry takes it over",
    explanation: "\
digdirator writes every attribute it manages on each reconcile: the entry's \
`atMaxAge` (default 30), `allowedIntegrations` (default [maskinporten]), \
`accessibleForAll` (default false), `visibility` (default public) and \
`delegationSource` (default none), and always `token_type` `SELF_CONTAINED` and the \
three `requires_user_consent`, `requires_pseudonymous_tokens` and \
`requires_user_authentication` false. Where the legacy registration differs, the \
deploy changes it, which consumers may notice (token lifetime and form, who may see or \
delegate the scope). Set the entry's value to keep what the manifest can set; the \
token type and the `requires_*` flags cannot be kept. \
Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27); nais/digdirator `pkg/digdir/types/types.go` (2025-04-08).",
    bad: "\
# registration: at_max_age: 120
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"",
    good: "\
exposes:
  - name: \"vedtak.read\"
    enabled: true
    product: \"arbeid\"
    atMaxAge: 120",
};

static INACTIVE_REGISTRATION: RuleDoc = RuleDoc {
    id: "inactive-registration",
    severity: Severity::Warning,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "a legacy registration is inactive while the entry that takes it over is enabled",
    explanation: "\
An inactive registration is a scope someone deactivated. An enabled exposes entry that \
matches it activates it again at the deploy, and with it every consumer that still has \
access. Make sure that is intended. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27).",
    bad: "\
# registration: active: false
exposes:
  - name: \"vedtak.read\"
    enabled: true",
    good: "\
# registration: active: true
exposes:
  - name: \"vedtak.read\"
    enabled: true",
};

static DESCRIPTION_REWRITE: RuleDoc = RuleDoc {
    id: "description-rewrite",
    severity: Severity::Info,
    kind: Kind::Migration,
    on_by_default: true,
    rejects: false,
    summary: "the description digdirator writes when it adopts a legacy scope",
    explanation: "\
Once digdirator owns a scope it overwrites the registration's description with its own, \
`<product> - <cluster>:<namespace>:<app>`. Reported so that nobody relies on the legacy \
description afterwards. Source: nais/digdirator `controllers/common/scopes.go` (2026-07-27); nais/digdirator \
`pkg/digdir/scopes/scope.go` (`Description`, 2026-03-03).",
    bad: "\
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
    good: "\
description: arbeid - prod-gcp:team-vedtak:vedtak-api",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut ids: Vec<_> = Check::ALL.iter().map(|c| c.id()).collect();
        assert!(
            ids.iter()
                .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Check::ALL.len());
    }
}
