//! The legacy description scheme `<cluster>:<namespace>:<app>.<subscope>`:
//! parsing it, and building it the way liberator's former
//! `UniformResourceScopeName` did (every `-` removed from the whole string);
//! and the owner a description names, in that form or in digdirator's own
//! `<product> - <cluster>:<namespace>:<app>`.

/// A description split into its parts, as written (dashes kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description<'a> {
    pub cluster: &'a str,
    pub namespace: &'a str,
    pub app: &'a str,
    pub subscope: &'a str,
}

/// Why a description does not have the legacy form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// It looks like the description digdirator itself writes,
    /// `<product> - <cluster>:<namespace>:<app>`.
    Digdirator,
    /// A readable reason, e.g. "it has only one `:`".
    Reason(&'static str),
}

/// Split `description`: the cluster ends at the first `:`, the namespace at the
/// second, the app at the next `.`, and the rest is the subscope.
pub fn parse(description: &str) -> Result<Description<'_>, Malformed> {
    if looks_like_digdirator(description) {
        return Err(Malformed::Digdirator);
    }
    let reason = |r| Err(Malformed::Reason(r));
    let Some((cluster, rest)) = description.split_once(':') else {
        return reason("it has no `:`");
    };
    let Some((namespace, rest)) = rest.split_once(':') else {
        return reason("it has only one `:`");
    };
    let Some((app, subscope)) = rest.split_once('.') else {
        return reason("there is no `.` after the second `:` to end the app name");
    };
    if description.chars().any(char::is_whitespace) {
        return reason("it contains whitespace");
    }
    match () {
        _ if cluster.is_empty() => reason("the cluster (before the first `:`) is empty"),
        _ if namespace.is_empty() => {
            reason("the namespace (between the first and second `:`) is empty")
        }
        _ if app.is_empty() => {
            reason("the app name (between the second `:` and the next `.`) is empty")
        }
        _ if subscope.is_empty() => reason("the subscope (after the app name and `.`) is empty"),
        _ => Ok(Description {
            cluster,
            namespace,
            app,
            subscope,
        }),
    }
}

/// The application a registration's description names as its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner<'a> {
    pub cluster: &'a str,
    pub namespace: &'a str,
    pub app: &'a str,
}

impl Owner<'_> {
    /// `cluster:namespace/app`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "`{}/{}` on cluster `{}`",
            self.namespace, self.app, self.cluster
        )
    }
}

/// The owner `description` names: the legacy form or digdirator's. `None`
/// for free text, which names no owner.
pub fn owner(description: &str) -> Option<Owner<'_>> {
    if looks_like_digdirator(description) {
        let (_, rest) = description.split_once(" - ")?;
        let mut parts = rest.split(':');
        let (cluster, namespace, app) = (parts.next()?, parts.next()?, parts.next()?);
        let named = [cluster, namespace, app].iter().all(|p| !p.is_empty());
        return named.then_some(Owner {
            cluster,
            namespace,
            app,
        });
    }
    parse(description).ok().map(|d| Owner {
        cluster: d.cluster,
        namespace: d.namespace,
        app: d.app,
    })
}

/// `<product> - <cluster>:<namespace>:<app>` with a single-word product.
fn looks_like_digdirator(description: &str) -> bool {
    description
        .split_once(" - ")
        .is_some_and(|(product, rest)| {
            !product.is_empty()
                && !product.contains(char::is_whitespace)
                && rest.split(':').count() == 3
                && !rest.contains(char::is_whitespace)
                && !rest.contains('.')
        })
}

/// `s` with every `-` removed, as the scheme compares names.
pub fn undashed(s: &str) -> String {
    s.replace('-', "")
}

/// The description the scheme expects for an app exposing `subscope`.
pub fn expected(cluster: &str, namespace: &str, app: &str, subscope: &str) -> String {
    undashed(&format!("{cluster}:{namespace}:{app}.{subscope}"))
}

/// The description digdirator writes for a scope it manages.
pub fn digdirator(product: &str, cluster: &str, namespace: &str, app: &str) -> String {
    format!("{product} - {cluster}:{namespace}:{app}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_in_both_forms_and_none_in_free_text() {
        let legacy = owner("prodgcp:teamvedtak:vedtakapi.arbeid:vedtak.read").unwrap();
        assert_eq!(
            (legacy.cluster, legacy.namespace, legacy.app),
            ("prodgcp", "teamvedtak", "vedtakapi")
        );
        let ours = owner("arbeid - prod-gcp:team-vedtak:vedtak-api").unwrap();
        assert_eq!(
            (ours.cluster, ours.namespace, ours.app),
            ("prod-gcp", "team-vedtak", "vedtak-api")
        );
        assert_eq!(owner("Vedtak for arbeidsgivere"), None);
        assert_eq!(owner(""), None);
    }

    #[test]
    fn documented_example() {
        let d = parse("devgcp:teama:myapp.arbeid/some/scope.read").unwrap();
        assert_eq!(
            d,
            Description {
                cluster: "devgcp",
                namespace: "teama",
                app: "myapp",
                subscope: "arbeid/some/scope.read"
            }
        );
        assert_eq!(
            expected("dev-gcp", "team-a", "my-app", "arbeid/some/scope.read"),
            "devgcp:teama:myapp.arbeid/some/scope.read"
        );
    }

    #[test]
    fn subscope_may_hold_colons_and_dots() {
        let d = parse("prodgcp:arbeid:vedtak.arbeid:vedtak.v1.read").unwrap();
        assert_eq!((d.app, d.subscope), ("vedtak", "arbeid:vedtak.v1.read"));
    }

    #[test]
    fn malformed() {
        assert_eq!(parse("just text"), Err(Malformed::Reason("it has no `:`")));
        assert_eq!(parse("a:b"), Err(Malformed::Reason("it has only one `:`")));
        assert!(matches!(parse("a:b:c"), Err(Malformed::Reason(_))));
        assert!(matches!(parse(":b:c.d"), Err(Malformed::Reason(_))));
        assert!(matches!(parse("a:b:c."), Err(Malformed::Reason(_))));
        assert_eq!(
            parse("arbeid - dev-gcp:team-a:my-app"),
            Err(Malformed::Digdirator)
        );
    }
}
