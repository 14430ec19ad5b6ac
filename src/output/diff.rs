//! `maskscope diff`: the changes as text for people, JSON, a Markdown
//! pull-request comment, or GitHub Actions annotations.

use super::escape;
use crate::diff::{Change, ConsumerOut, Kind, Side, environment_name, summary};
use serde::Serialize;

/// How a format writes a value read from input (see [`escape`]).
type Quote<'a> = &'a dyn Fn(&str) -> String;

/// As the human format writes a value: special characters escaped.
fn plain(s: &str) -> String {
    escape::text(s).into_owned()
}

/// As the GitHub format writes a value: as it is, for the whole message is
/// escaped as GitHub escapes it.
fn raw(s: &str) -> String {
    s.to_owned()
}

/// One side of the comparison as reports name it.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// As the user wrote it; `null` for the working tree.
    pub revision: Option<String>,
    /// The commit; `null` for the working tree.
    pub commit: Option<String>,
}

impl Revision {
    /// `main (0123456)`, the revision as `q` writes it.
    pub fn label(&self, q: Quote<'_>) -> String {
        match (&self.revision, &self.commit) {
            (Some(r), Some(c)) => q(&format!("{r} ({})", &c[..c.len().min(7)])),
            (Some(r), None) => q(r),
            _ => "the working tree".to_owned(),
        }
    }
}

fn consumer(c: &ConsumerOut, q: Quote<'_>) -> String {
    match &c.name {
        Some(n) if !n.is_empty() => format!("{} ({})", q(&c.orgno), q(n)),
        _ => q(&c.orgno),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

fn consumers_of(c: &Change, q: Quote<'_>) -> Vec<String> {
    c.consumers
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|x| consumer(x, q))
        .collect()
}

fn the_consumer(c: &Change, q: Quote<'_>) -> String {
    consumer(
        &ConsumerOut {
            orgno: c.orgno.clone().unwrap_or_default(),
            name: c.name.clone().flatten(),
        },
        q,
    )
}

fn value(v: &Option<serde_json::Value>, q: Quote<'_>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(unset)".to_owned(),
        Some(serde_json::Value::String(s)) => q(s),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .map(|x| q(&x.as_str().map_or_else(|| x.to_string(), str::to_owned)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(v) => q(&v.to_string()),
    }
}

fn quoted(items: &[String], q: Quote<'_>) -> Vec<String> {
    items.iter().map(|s| q(s)).collect()
}

/// What a change does, in one sentence (without the scope, which reports
/// show next to it). `q` is how the format writes a value read from input,
/// `consumers` how it shows a list of (written) consumers.
fn describe(c: &Change, q: Quote<'_>, consumers: &dyn Fn(&[String]) -> String) -> String {
    let what = what(c, q, consumers);
    if c.contested == Some(true) {
        format!("{what}; {CONTESTED}")
    } else {
        what
    }
}

/// The note on a change that another client of a contested scope undoes.
const CONTESTED: &str = "contested: another client that exposes this scope does not agree, and its next deploy or digdirator's 7-day resync undoes this";

/// Each client of a `scope-contested` record with what it sets of what
/// differs: `team/app in dev-gcp (.nais/app.yaml:12): consumers: ...`.
fn contenders(c: &Change, q: Quote<'_>, consumers: &dyn Fn(&[String]) -> String) -> Vec<String> {
    let differs = c.differs.as_deref().unwrap_or_default();
    c.clients
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            let mut text = q(&x.app);
            if let Some(cluster) = &x.cluster {
                text.push_str(&format!(" in {}", q(cluster)));
            }
            let at = q(&format!("{}:{}", x.file, x.line));
            text.push_str(&match x.side {
                Side::Head => format!(" ({at})"),
                Side::Base => format!(" ({at} at BASE, no longer deployed)"),
            });
            let mut sets = Vec::new();
            if differs.contains(&"enabled") {
                sets.push(format!("enabled: {}", x.enabled));
            }
            if differs.contains(&"consumers") {
                let listed: Vec<String> = x.consumers.iter().map(|o| consumer(o, q)).collect();
                sets.push(format!("consumers: {}", consumers(&listed)));
            }
            for (field, v) in &x.attributes {
                sets.push(format!("{field}: {}", value(&Some(v.clone()), q)));
            }
            if !sets.is_empty() {
                text.push_str(&format!(": {}", sets.join(", ")));
            }
            text
        })
        .collect()
}

/// What a change does, before any note.
fn what(c: &Change, q: Quote<'_>, consumers: &dyn Fn(&[String]) -> String) -> String {
    let listed = consumers_of(c, q);
    match c.kind {
        Kind::DeployRejected => format!(
            "{}{}; the deploy fails, so nothing of this change is applied (the cluster keeps the version it has)",
            c.rule
                .as_deref()
                .map_or_else(String::new, |r| format!("{}: ", q(r))),
            q(c.message.as_deref().unwrap_or_default())
        ),
        Kind::ScopeCreated => format!(
            "new scope, registered {}; consumers: {}",
            if c.enabled == Some(false) {
                "inactive (enabled: false), its consumers granted all the same"
            } else {
                "active"
            },
            consumers(&listed)
        ),
        Kind::ScopeDeactivated => {
            "deactivated (enabled: false): no new tokens; its access list is kept".to_owned()
        }
        Kind::ScopeReactivated => "reactivated (enabled: true)".to_owned(),
        Kind::ScopeRemovedStillActive => format!(
            "entry removed, but the scope stays active with its consumers: {}; to retire it, set `enabled: false`, deploy, then remove the entry",
            consumers(&listed)
        ),
        Kind::ScopeRenamed => {
            let old: Vec<String> = c
                .old_consumers
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|x| consumer(x, q))
                .collect();
            format!(
                "renamed from {}: a new scope, registered {}, consumers: {}; the old scope stays {} with its consumers: {}",
                value(&c.old, q),
                if c.enabled == Some(false) {
                    "inactive"
                } else {
                    "active"
                },
                consumers(&listed),
                if c.help
                    .as_deref()
                    .is_some_and(|h| h.contains("stays active"))
                {
                    "active"
                } else {
                    "inactive"
                },
                consumers(&old)
            )
        }
        Kind::ScopeMoved => {
            let owner = |v: &Option<serde_json::Value>| {
                let v = v.as_ref();
                let app = v
                    .and_then(|v| v["app"].as_str())
                    .map_or_else(|| "?".to_owned(), q);
                match v.and_then(|v| v["cluster"].as_str()) {
                    Some(cluster) => format!("{app} in {}", q(cluster)),
                    None => app,
                }
            };
            format!(
                "now exposed by {} (was {}): that app's entry rules the scope from its next deploy",
                owner(&c.new),
                owner(&c.old)
            )
        }
        Kind::ScopeContested => format!(
            "exposed by {} clients whose entries differ ({}): {}; each deploy of one of them, and digdirator's 7-day resync, sets the registration to that client's entry",
            c.clients.as_ref().map_or(0, Vec::len),
            c.differs.as_deref().unwrap_or_default().join(", "),
            contenders(c, q, consumers).join("; ")
        ),
        Kind::ConsumerGranted => format!("granted to {}", the_consumer(c, q)),
        Kind::ConsumerRevoked => format!("revoked from {}", the_consumer(c, q)),
        Kind::OpenedToAll => "opened to every organisation (accessibleForAll: true)".to_owned(),
        Kind::ClosedToAll => {
            "closed to all but its consumers (accessibleForAll no longer true)".to_owned()
        }
        Kind::AttributeChanged => format!(
            "{}: {} → {}{}",
            c.field.unwrap_or_default(),
            value(&c.old, q),
            value(&c.new, q),
            if c.field == Some("delegationSource") && c.new == Some(serde_json::Value::Null) {
                " (DigDir may keep the old value: digdirator sends none when unset)"
            } else {
                ""
            }
        ),
        Kind::MaskinportenDisabled => format!(
            "Maskinporten client deleted (maskinporten disabled); scopes that stay active: {}",
            list(&quoted(c.scopes.as_deref().unwrap_or_default(), q))
        ),
        Kind::MaskinportenEnabled => format!(
            "Maskinporten client created; active scopes it exposes: {}",
            list(&quoted(c.scopes.as_deref().unwrap_or_default(), q))
        ),
        Kind::NoLongerDeployed => format!(
            "no longer deployed: the Application and its Maskinporten client stay as last deployed (nais deploy deletes nothing); scopes that stay as they are: {}",
            list(&quoted(c.scopes.as_deref().unwrap_or_default(), q))
        ),
        // A deploy step's record quotes its workflow's expression: the
        // whole of it is a value.
        Kind::Unknown if c.app.is_none() => q(c.help.as_deref().unwrap_or_default()),
        // The reason may name files and quote what a file says.
        Kind::Unknown => match c.variables.as_deref() {
            Some(vars) if !vars.is_empty() => format!(
                "not compared: {} ({})",
                q(c.help.as_deref().unwrap_or_default()),
                quoted(vars, q).join(", ")
            ),
            _ => format!("not compared: {}", q(c.help.as_deref().unwrap_or_default())),
        },
    }
}

fn at(c: &Change, q: Quote<'_>) -> String {
    match c.side {
        Side::Head => q(&format!("{}:{}", c.file, c.line)),
        Side::Base => format!("{} at BASE", q(&format!("{}:{}", c.file, c.line))),
    }
}

/// What a group of records is about: a scope, a client, or the deploy
/// steps whose deployments are not known.
fn subject(c: &Change, q: Quote<'_>) -> String {
    match (&c.scope, &c.app) {
        (Some(s), Some(app)) => format!("{}  ({})", q(s), q(app)),
        (None, Some(app)) => format!("client {}", q(app)),
        (_, None) if c.about_step => STEPS.to_owned(),
        (_, None) => format!("manifest {}", q(&c.file)),
    }
}

/// Where a client's BASE is the last version accepted, not BASE's own.
fn relative(c: &Change, q: Quote<'_>) -> Option<String> {
    let r = c.relative_to.as_ref()?;
    Some(format!(
        "compared with {} ({}), {}",
        q(&r.commit[..r.commit.len().min(7)]),
        q(&r.subject),
        match r.since {
            crate::diff::Since::BaseRejected => {
                "the last version the cluster accepted: BASE's own is rejected"
            }
            crate::diff::Since::NotDeployedAtBase => {
                "where it was last deployed: BASE does not deploy it, and nais deploy deletes nothing"
            }
        }
    ))
}

/// Deploys that fail first, then the rest as they come.
fn rejected_first(changes: &[Change]) -> (Vec<&Change>, Vec<&Change>) {
    changes.iter().partition(|c| c.kind == Kind::DeployRejected)
}

/// How reports name what an `unknown` record of a deploy step is about.
const STEPS: &str = "deploy steps maskscope cannot read";

fn environment_heading(c: &Change, changes: &[Change], q: Quote<'_>) -> String {
    let mut clusters: Vec<&str> = changes
        .iter()
        .filter(|x| x.environment == c.environment)
        .filter_map(|x| x.cluster.as_deref())
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    let name = match c.environment {
        Some(e) => format!("Maskinporten {}", e.as_str()),
        None => "unknown environment".to_owned(),
    };
    if clusters.is_empty() {
        name
    } else {
        format!("{name} ({})", quoted_strs(&clusters, q).join(", "))
    }
}

fn quoted_strs(items: &[&str], q: Quote<'_>) -> Vec<String> {
    items.iter().map(|s| q(s)).collect()
}

/// `3 changes: 1 scope-created, 2 consumer-granted`.
pub fn summary_line(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes to Maskinporten access".to_owned();
    }
    let s = summary(changes);
    let mut kinds: Vec<(&Kind, usize)> = Vec::new();
    for k in &Kind::ALL {
        if let Some(n) = s.kinds.get(k.as_str()) {
            kinds.push((k, *n));
        }
    }
    format!(
        "{} change{}: {}",
        s.changes,
        if s.changes == 1 { "" } else { "s" },
        kinds
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// For people: grouped by environment and scope, grants green and
/// revocations red when `color`.
pub fn human(base: &Revision, head: &Revision, changes: &[Change], color: bool) -> String {
    let mut out = format!("{} → {}\n", base.label(&plain), head.label(&plain));
    let (failing, changes) = rejected_first(changes);
    if !failing.is_empty() {
        out.push_str("\nDeploys that fail (nothing of them is applied)\n");
        for c in &failing {
            let place = match (&c.cluster, c.environment) {
                (Some(cluster), _) => plain(cluster),
                (None, e) => environment_name(e).to_owned(),
            };
            out.push_str(&format!(
                "  {} in {place}\n    ! deploy-rejected: {}  [{}]\n",
                match &c.app {
                    Some(app) => plain(app),
                    None => format!("manifest {}", plain(&c.file)),
                },
                describe(c, &plain, &|l: &[String]| list(l)),
                at(c, &plain)
            ));
        }
    }
    let all: Vec<Change> = changes.iter().map(|c| (*c).clone()).collect();
    let changes = all.as_slice();
    let mut env = None;
    let mut group = None;
    let mut older = None;
    for c in changes {
        if env != Some(c.environment) {
            env = Some(c.environment);
            group = None;
            out.push_str(&format!("\n{}\n", environment_heading(c, changes, &plain)));
        }
        let s = subject(c, &plain);
        if group.as_ref() != Some(&s) {
            out.push_str(&format!("  {s}\n"));
            group = Some(s);
            older = None;
        }
        let r = relative(c, &plain);
        if r.is_some() && r != older {
            out.push_str(&format!("    ({})\n", r.as_deref().unwrap_or_default()));
            older = r;
        }
        let (mark, paint) = match c.kind {
            Kind::ConsumerGranted => ("+", Some("32")),
            Kind::ConsumerRevoked => ("-", Some("31")),
            k if k.is_warning() => ("!", None),
            _ => ("*", None),
        };
        let text = format!(
            "{mark} {}: {}",
            c.kind.as_str(),
            describe(c, &plain, &|l: &[String]| list(l))
        );
        let text = match paint {
            Some(code) if color => format!("\x1b[{code}m{text}\x1b[0m"),
            _ => text,
        };
        out.push_str(&format!("    {text}  [{}]\n", at(c, &plain)));
    }
    if !changes.is_empty() || !failing.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(&all_of(&failing, changes)));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Json<'a> {
    base: &'a Revision,
    head: &'a Revision,
    changes: &'a [Change],
    summary: crate::diff::Summary,
}

pub fn json(base: &Revision, head: &Revision, changes: &[Change]) -> String {
    let mut text = crate::output::escape::to_json_string(&Json {
        base,
        head,
        changes,
        summary: summary(changes),
    })
    .expect("changes serialise");
    text.push('\n');
    text
}

/// The records again, in report order.
fn all_of(failing: &[&Change], rest: &[Change]) -> Vec<Change> {
    failing
        .iter()
        .map(|c| (*c).clone())
        .chain(rest.iter().cloned())
        .collect()
}

/// Lists longer than this go into `<details>` in Markdown.
const SHORT_LIST: usize = 5;
/// Tables longer than this go into `<details>`.
const SHORT_TABLE: usize = 20;

fn md_list(items: &[String]) -> String {
    if items.len() <= SHORT_LIST {
        return list(items);
    }
    format!(
        "<details><summary>{} consumers</summary>{}</details>",
        items.len(),
        items.join("<br>")
    )
}

/// A pull-request comment: a summary line, a table per environment.
pub fn markdown(base: &Revision, head: &Revision, changes: &[Change]) -> String {
    let code = |s: &str| escape::code(s);
    let mut out = format!(
        "### Maskinporten access: {} → {}\n\n",
        base.label(&code),
        head.label(&code)
    );
    out.push_str(&format!("**{}**\n", summary_line(changes)));
    let cell = |s: &str| escape::code_cell(s);
    let (failing, rest) = rejected_first(changes);
    if !failing.is_empty() {
        out.push_str("\n#### Deploys that fail\n\nNothing of these is applied: the cluster keeps the version it has.\n\n| app | cluster | rule | error | where |\n|---|---|---|---|---|\n");
        for c in &failing {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.app
                    .as_deref()
                    .map_or_else(|| format!("(manifest {})", cell(&c.file)), cell),
                match (&c.cluster, c.environment) {
                    (Some(cluster), _) => cell(cluster),
                    (None, e) => environment_name(e).to_owned(),
                },
                c.rule.as_deref().map_or("-".to_owned(), cell),
                cell(c.message.as_deref().unwrap_or_default()),
                at(c, &cell),
            ));
        }
    }
    let rest: Vec<Change> = rest.into_iter().cloned().collect();
    let changes = rest.as_slice();
    let mut i = 0;
    while i < changes.len() {
        let env = changes[i].environment;
        let rows: Vec<&Change> = changes[i..]
            .iter()
            .take_while(|c| c.environment == env)
            .collect();
        i += rows.len();
        out.push_str(&format!(
            "\n#### {}\n\n",
            environment_heading(rows[0], changes, &code)
        ));
        let long = rows.len() > SHORT_TABLE;
        if long {
            out.push_str(&format!(
                "<details><summary>{} changes</summary>\n\n",
                rows.len()
            ));
        }
        out.push_str("| change | scope | app | what it does | where |\n|---|---|---|---|---|\n");
        for c in rows {
            let kind = if c.kind.is_warning() {
                format!("⚠️ `{}`", c.kind.as_str())
            } else {
                format!("`{}`", c.kind.as_str())
            };
            let what = describe(c, &cell, &|l: &[String]| md_list(l));
            out.push_str(&format!(
                "| {kind} | {} | {} | {} | {} |\n",
                match (&c.scope, &c.app) {
                    (Some(s), _) => cell(s),
                    (None, Some(_)) => "(client)".to_owned(),
                    (None, None) if c.about_step => "(deploy step)".to_owned(),
                    (None, None) => "(manifest)".to_owned(),
                },
                c.app.as_deref().map_or("-".to_owned(), cell),
                match relative(c, &cell) {
                    Some(r) => format!("{what} ({r})"),
                    None => what,
                },
                at(c, &cell),
            ));
        }
        if long {
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// GitHub Actions annotations at the changed lines: revocations, removals
/// and the other changes that take access away or leave it behind are
/// warnings, the rest notices.
pub fn github(changes: &[Change]) -> String {
    use escape::{data, property};
    let mut out = String::new();
    for c in changes {
        // A deploy that fails is an error at the line that fails it.
        let level = if c.kind == Kind::DeployRejected {
            "error"
        } else if c.kind.is_warning() {
            "warning"
        } else {
            "notice"
        };
        let what = match relative(c, &raw) {
            Some(r) => format!("{} ({r})", describe(c, &raw, &|l: &[String]| list(l))),
            None => describe(c, &raw, &|l: &[String]| list(l)),
        };
        let message = match (&c.scope, c.side) {
            (Some(s), Side::Head) => format!("{s} ({}): {what}", environment_name(c.environment)),
            (Some(s), Side::Base) => format!(
                "{s} ({}): {what} (line {} at BASE)",
                environment_name(c.environment),
                c.line
            ),
            (None, _) => format!(
                "{} ({}): {what}",
                c.app
                    .as_deref()
                    .unwrap_or(if c.about_step { STEPS } else { "manifest" }),
                environment_name(c.environment)
            ),
        };
        // A line at BASE is not a line of the pull request's files: such
        // an annotation is on the file.
        let line = match c.side {
            Side::Head => format!(",line={}", c.line),
            Side::Base => String::new(),
        };
        out.push_str(&format!(
            "::{level} file={}{line},title={}::{}\n",
            property(&c.file),
            property(&format!("maskscope diff: {}", c.kind.as_str())),
            data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Side;

    fn change(kind: Kind, orgno: Option<&str>) -> Change {
        let mut c = Change::at(kind, ".nais/app.yaml".to_owned(), 3, Side::Head);
        c.environment = Some(crate::deploy::Environment::Prod);
        c.cluster = Some("prod-gcp".to_owned());
        c.scope = Some("nav:a:b".to_owned());
        c.app = Some("team/app".to_owned());
        c.orgno = orgno.map(str::to_owned);
        c.name = orgno.map(|_| None);
        c
    }

    fn rev() -> Revision {
        Revision {
            revision: Some("main".to_owned()),
            commit: Some("0123456789abcdef".to_owned()),
        }
    }

    #[test]
    fn grants_are_green_and_revocations_red_only_with_colour() {
        let changes = [
            change(Kind::ConsumerGranted, Some("889640782")),
            change(Kind::ConsumerRevoked, Some("974761076")),
        ];
        let head = Revision {
            revision: None,
            commit: None,
        };
        let plain = human(&rev(), &head, &changes, false);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.starts_with("main (0123456) → the working tree\n"));
        let coloured = human(&rev(), &head, &changes, true);
        assert!(coloured.contains("\x1b[32m+ consumer-granted: granted to 889640782\x1b[0m"));
        assert!(coloured.contains("\x1b[31m- consumer-revoked: revoked from 974761076\x1b[0m"));
    }

    #[test]
    fn long_lists_and_tables_fold_into_details() {
        let mut created = change(Kind::ScopeCreated, None);
        created.consumers = Some(
            (0..6)
                .map(|i| ConsumerOut {
                    orgno: format!("00000000{i}"),
                    name: None,
                })
                .collect(),
        );
        let md = markdown(&rev(), &rev(), &[created]);
        assert!(
            md.contains("<details><summary>6 consumers</summary>`000000000`<br>"),
            "{md}"
        );
        let many: Vec<Change> = (0..21)
            .map(|_| change(Kind::ConsumerGranted, Some("889640782")))
            .collect();
        let md = markdown(&rev(), &rev(), &many);
        assert!(
            md.contains("<details><summary>21 changes</summary>"),
            "{md}"
        );
        assert!(md.contains("#### Maskinporten prod (`prod-gcp`)"), "{md}");
    }

    #[test]
    fn table_cells_escape_pipes() {
        let mut c = change(Kind::ConsumerGranted, Some("889640782"));
        c.name = Some(Some("A | B".to_owned()));
        let md = markdown(&rev(), &rev(), &[c]);
        assert!(md.contains("`889640782` (`A \\| B`)"), "{md}");
    }
}
