//! Who can get a token for what: the access lists the manifests give
//! digdirator, per Maskinporten environment. Pure: evaluated clients in,
//! grants out.
//!
//! Only an active scope grants access: an enabled entry of a client whose
//! `maskinporten.enabled` is true. A disabled entry keeps its access list in
//! Maskinporten, but no token is issued for an inactive scope.

use crate::deploy::Environment;
use crate::diff::Evaluated;
use serde::Serialize;

/// One organisation that can get a token for one scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Grant {
    pub environment: Option<Environment>,
    pub orgno: String,
    pub scope: String,
    pub app: String,
    pub cluster: Option<String>,
    pub name: Option<String>,
}

/// A scope every organisation can get a token for (`accessibleForAll`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Open {
    pub environment: Option<Environment>,
    pub scope: String,
    pub app: String,
    pub cluster: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Access {
    pub grants: Vec<Grant>,
    pub open: Vec<Open>,
    /// Entries left out because they depend on template variables without
    /// a value: `(file, line, variables)`.
    #[serde(skip)]
    pub unknown: Vec<(String, u32, Vec<String>)>,
}

/// What to keep: one organisation, one scope.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub orgno: Option<String>,
    pub scope: Option<String>,
}

impl Access {
    pub fn of(evaluated: &Evaluated, filter: &Filter) -> Access {
        let mut a = Access::default();
        let scope_ok = |s: &str| filter.scope.as_deref().is_none_or(|f| f == s);
        for c in &evaluated.clients {
            if !c.enabled || c.enabled_unknown {
                if c.enabled_unknown {
                    a.unknown.push((c.file.clone(), c.line, Vec::new()));
                }
                continue;
            }
            for e in c.entries.iter().filter(|e| e.enabled) {
                if !e.unresolved.is_empty() {
                    a.unknown
                        .push((c.file.clone(), e.line, e.unresolved.clone()));
                    continue;
                }
                if !scope_ok(&e.scope) {
                    continue;
                }
                if e.accessible_for_all.0 {
                    a.open.push(Open {
                        environment: c.environment,
                        scope: e.scope.clone(),
                        app: c.app.clone(),
                        cluster: c.cluster.clone(),
                    });
                }
                for k in &e.consumers {
                    if filter.orgno.as_deref().is_some_and(|o| o != k.orgno) {
                        continue;
                    }
                    a.grants.push(Grant {
                        environment: c.environment,
                        orgno: k.orgno.clone(),
                        scope: e.scope.clone(),
                        app: c.app.clone(),
                        cluster: c.cluster.clone(),
                        name: k.name.clone(),
                    });
                }
            }
        }
        a.grants.sort();
        a.grants.dedup();
        a.open.sort();
        a.open.dedup();
        a
    }
}
