//! The migration checks: stable ids, severities and documentation. Each check's
//! [`RuleDoc`] is what `maskscope rules ID` prints when the checks run inside
//! `maskscope lint --iac`.

use crate::lint::{Kind, RuleDoc, Severity};

/// One migration check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    MalformedDescription,
    DescriptionSubscopeMismatch,
    DescriptionDashes,
    ClusterMismatch,
    AppNotFound,
    ScopeNotExposed,
    ScopeDisabled,
    MaskinportenDisabled,
    ConsumerRevoked,
    ConsumerGranted,
    AttributeDrift,
    InactiveRegistration,
    DescriptionRewrite,
}

impl Check {
    /// Every check, in the order findings are reported.
    pub const ALL: [Check; 13] = [
        Check::MalformedDescription,
        Check::DescriptionSubscopeMismatch,
        Check::DescriptionDashes,
        Check::ClusterMismatch,
        Check::AppNotFound,
        Check::ScopeNotExposed,
        Check::ScopeDisabled,
        Check::MaskinportenDisabled,
        Check::ConsumerRevoked,
        Check::ConsumerGranted,
        Check::AttributeDrift,
        Check::InactiveRegistration,
        Check::DescriptionRewrite,
    ];

    pub fn doc(self) -> &'static RuleDoc {
        match self {
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
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    summary: "a legacy registration's description is not `<cluster>:<namespace>:<app>.<subscope>`",
    explanation: "\
A scope registered from the IaC repository is handed over to an application by its \
registration's `description`, which must read `<cluster>:<namespace>:<app>.<subscope>`: \
the cluster ends at the first `:`, the namespace at the second, the app name at the next \
`.`, and the rest is the subscope. A description of another form names no application, \
so no manifest can take the scope over. Source: liberator's former \
`UniformResourceScopeName`, digdirator.",
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
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    summary: "the subscope in a legacy description differs from the registration's subscope",
    explanation: "\
The part of the description after `<cluster>:<namespace>:<app>.` must be the registered \
subscope itself (dashes removed). A description that names another subscope hands over \
nothing, or the wrong scope. Source: liberator's former `UniformResourceScopeName`.",
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
    severity: Severity::Warning,
    kind: Kind::Migration,
    on_by_default: true,
    summary: "a legacy description keeps `-` that the scheme removes",
    explanation: "\
The scheme removes every `-` from the whole description \
(`strings.ReplaceAll(s, \"-\", \"\")` in liberator's former `UniformResourceScopeName`), so \
`team-vedtak` is written `teamvedtak`. A description with dashes matches the application \
only after removing them; write it without. Source: liberator.",
    bad: "\
# registration
description: prod-gcp:team-vedtak:vedtak-api.arbeid:vedtak.read",
    good: "\
# registration
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static CLUSTER_MISMATCH: RuleDoc = RuleDoc {
    id: "cluster-mismatch",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    summary: "a legacy description is for another cluster than `--cluster`",
    explanation: "\
The description's first part names the cluster whose application takes the scope over. \
Deploying to another cluster does not adopt it there. Checked only with `--cluster`, \
comparing without `-` (`prod-gcp` is `prodgcp`). Source: liberator's former \
`UniformResourceScopeName`, digdirator.",
    bad: "\
# maskscope migrate-check --cluster dev-gcp
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
    good: "\
# maskscope migrate-check --cluster prod-gcp
description: prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read",
};

static APP_NOT_FOUND: RuleDoc = RuleDoc {
    id: "app-not-found",
    severity: Severity::Error,
    kind: Kind::Migration,
    on_by_default: true,
    summary: "no manifest for the namespace and app a legacy description names",
    explanation: "\
The description names the Application or Naisjob that takes the scope over by namespace \
and name (compared with every `-` removed). None of the manifests given has that \
namespace and name, so nothing here adopts the scope: check the description, or give \
the right manifests. Source: liberator's former `UniformResourceScopeName`.",
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
    summary: "the app a legacy description names exposes no entry that resolves to the registered subscope",
    explanation: "\
digdirator matches an exposes entry to an existing registration by exact subscope \
(`<product><separator><name>`). A near miss, most often a different separator or product, \
does not fail: digdirator creates a second scope next to the old one, and the old \
scope's consumers are never moved. Set product, name and separator so that the entry \
resolves to exactly the registered subscope. Source: digdirator, the nais docs.",
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
    summary: "the exposes entry that takes over a legacy scope is not enabled",
    explanation: "\
An exposes entry with `enabled: false` deactivates its scope in Maskinporten (a \
registration is never deleted, only deactivated): adopting a legacy scope with it cuts \
off every consumer. Source: digdirator.",
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
    summary: "the app that takes over a legacy scope does not enable `spec.maskinporten`",
    explanation: "\
naiserator provisions nothing for Maskinporten unless `spec.maskinporten.enabled` is \
true: no scope is adopted, whatever the exposes entries say. Source: naiserator.",
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
    summary: "an organisation with access to a legacy scope today is not listed in the entry",
    explanation: "\
Once an application owns a scope, digdirator revokes the access of every consumer in \
Maskinporten that the exposes entry does not list (for enabled entries). An organisation \
that has access today (any state but DENIED) and is missing from `consumers` loses it at \
the deploy. Add it, or remove it deliberately. Source: digdirator.",
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
    summary: "the entry lists an organisation that has no access to the legacy scope today",
    explanation: "\
digdirator grants access to every consumer the exposes entry lists. An organisation \
without access today (absent from the ACL, or DENIED) gets it at the deploy. Reported \
so that the change is deliberate. Source: digdirator.",
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
    summary: "an attribute of a legacy scope changes when the entry takes it over",
    explanation: "\
digdirator writes the entry's effective attributes to the scope: `atMaxAge` (default \
30), `allowedIntegrations` (default [maskinporten]), `accessibleForAll` (default false), \
`visibility` (default public) and `delegationSource` (default none). Where the legacy \
registration differs (`at_max_age`, `allowed_integration_types`, `accessible_for_all`, \
`visibility`, `delegation_source`), the deploy changes it, which consumers may notice \
(token lifetime, who may see or delegate the scope). Set the entry's value to keep the \
registration as it is. Source: digdirator, liberator.",
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
    summary: "a legacy registration is inactive while the entry that takes it over is enabled",
    explanation: "\
An inactive registration is a scope someone deactivated. An enabled exposes entry that \
matches it activates it again at the deploy, and with it every consumer that still has \
access. Make sure that is intended. Source: digdirator.",
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
    summary: "the description digdirator writes when it adopts a legacy scope",
    explanation: "\
Once digdirator owns a scope it overwrites the registration's description with its own, \
`<product> - <cluster>:<namespace>:<app>`. Reported so that nobody relies on the legacy \
description afterwards. Source: digdirator.",
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
