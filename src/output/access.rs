//! The formats of `maskscope access`: a table, JSON, Markdown and a Mermaid
//! graph (organisations → scopes → apps).

use super::escape;
use super::fit::{Column, Cut, Grid};
use crate::access::Access;
use crate::deploy::Environment;
use crate::diff::environment_name;
use serde_json::json;
use std::collections::BTreeMap;

/// How an open scope's organisation column reads.
const EVERYONE: &str = "every organisation";

/// A cell's text: maskscope's own, or a value read from input, which each
/// format writes as it must (see [`escape`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Text {
    Own(String),
    Input(String),
}

impl Text {
    fn show(&self, q: &dyn Fn(&str) -> String) -> String {
        match self {
            Text::Own(s) => s.clone(),
            Text::Input(s) => q(s),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Text::Own(s) | Text::Input(s) => s,
        }
    }
}

fn cluster(c: &Option<String>) -> Text {
    c.clone()
        .map_or_else(|| Text::Own("?".to_owned()), Text::Input)
}

fn rows(a: &Access) -> Vec<[Text; 6]> {
    let mut rows: Vec<(Option<Environment>, [Text; 6])> = Vec::new();
    for g in &a.grants {
        rows.push((
            g.environment,
            [
                Text::Own(environment_name(g.environment).to_owned()),
                Text::Input(g.orgno.clone()),
                Text::Input(g.name.clone().unwrap_or_default()),
                Text::Input(g.scope.clone()),
                Text::Input(g.app.clone()),
                cluster(&g.cluster),
            ],
        ));
    }
    for o in &a.open {
        rows.push((
            o.environment,
            [
                Text::Own(environment_name(o.environment).to_owned()),
                Text::Own("*".to_owned()),
                Text::Own(format!("{EVERYONE} (accessibleForAll)")),
                Text::Input(o.scope.clone()),
                Text::Input(o.app.clone()),
                cluster(&o.cluster),
            ],
        ));
    }
    let key = |r: &[Text; 6]| {
        r[1..]
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    rows.sort_by_cached_key(|(env, r)| (*env, key(r)));
    rows.into_iter().map(|(_, r)| r).collect()
}

const HEADER: [&str; 6] = ["environment", "orgno", "name", "scope", "app", "cluster"];

fn counts(a: &Access) -> String {
    let orgs: std::collections::BTreeSet<&str> =
        a.grants.iter().map(|g| g.orgno.as_str()).collect();
    let scopes: std::collections::BTreeSet<(Option<Environment>, &str)> = a
        .grants
        .iter()
        .map(|g| (g.environment, g.scope.as_str()))
        .chain(a.open.iter().map(|o| (o.environment, o.scope.as_str())))
        .collect();
    // A scope is counted once per environment: each is a registration of
    // its own. The count line says so.
    let environments: std::collections::BTreeSet<Option<Environment>> =
        scopes.iter().map(|(e, _)| *e).collect();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}: {}, {} in {}; {}",
        plural(a.grants.len(), "grant", "grants"),
        plural(orgs.len(), "organisation", "organisations"),
        plural(scopes.len(), "scope", "scopes"),
        plural(environments.len(), "environment", "environments"),
        plural(a.open.len(), "scope open to all", "scopes open to all"),
    )
}

/// How the columns fit a narrow terminal: names wrap, apps lose their
/// start, the cluster is dropped, then one block per grant
/// ([`fit`](super::fit)). Scopes and orgnos stay whole; so does the
/// environment, without which a grant in test and one in prod look alike.
const COLUMNS: [Column; 6] = [
    Column::new(HEADER[0], Cut::Never),
    Column::new(HEADER[1], Cut::Never),
    Column::new(HEADER[2], Cut::Wrap(12)),
    Column::new(HEADER[3], Cut::Never),
    Column::new(HEADER[4], Cut::Start(12)),
    Column::new(HEADER[5], Cut::Never).spared(1),
];

/// One row per environment, organisation and scope, for a terminal `width`
/// columns wide (`None`: as wide as it takes).
pub fn table(a: &Access, width: Option<usize>) -> String {
    let rows = rows(a);
    if rows.is_empty() {
        return "no organisation can get a token for a scope these manifests expose\n".to_owned();
    }
    let text = |s: &str| escape::text(s).into_owned();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.map(|c| c.show(&text)).to_vec())
        .collect();
    let grid = Grid {
        columns: &COLUMNS,
        colour: vec![None; rows.len()],
        rows,
        title: 3,
    };
    format!("{}\n{}\n", grid.render(width, false), counts(a))
}

pub fn json(a: &Access) -> String {
    let grants: Vec<_> = a
        .grants
        .iter()
        .map(|g| {
            json!({"orgno": g.orgno, "name": g.name, "scope": g.scope, "app": g.app,
                   "environment": g.environment, "cluster": g.cluster})
        })
        .collect();
    let open: Vec<_> = a
        .open
        .iter()
        .map(|o| json!({"scope": o.scope, "app": o.app, "environment": o.environment, "cluster": o.cluster}))
        .collect();
    let mut text = crate::output::escape::to_json_string(&json!({"grants": grants, "open": open}))
        .expect("access serialises");
    text.push('\n');
    text
}

pub fn markdown(a: &Access) -> String {
    let mut out = format!("### Maskinporten access\n\n**{}**\n", counts(a));
    // `rows` are in environment order (test, prod, unknown last).
    let mut by_env: Vec<(String, Vec<[Text; 6]>)> = Vec::new();
    for r in rows(a) {
        match by_env.last_mut() {
            Some((env, rows)) if env == r[0].as_str() => rows.push(r),
            _ => by_env.push((r[0].as_str().to_owned(), vec![r])),
        }
    }
    let cell = |s: &str| escape::code_cell(s);
    for (env, rows) in by_env {
        out.push_str(&format!(
            "\n#### Maskinporten {env}\n\n| orgno | name | scope | app | cluster |\n|---|---|---|---|---|\n"
        ));
        for r in rows {
            let [_, orgno, name, scope, app, cluster] = r.map(|c| c.show(&cell));
            out.push_str(&format!(
                "| {orgno} | {name} | {scope} | {app} | {cluster} |\n"
            ));
        }
    }
    // The diagram in a fence GitHub renders; its labels cannot close it.
    if !a.grants.is_empty() || !a.open.is_empty() {
        out.push_str(&format!("\n```mermaid\n{}```\n", mermaid(a)));
    }
    out
}

/// Node ids Mermaid accepts (`o1`, `s2`, `a3`), one per organisation, scope
/// and app of an environment, in order of first use.
#[derive(Default)]
struct Ids(BTreeMap<(char, &'static str, String), String>, usize);

impl Ids {
    fn of(&mut self, kind: char, env: &'static str, key: &str) -> (String, bool) {
        let k = (kind, env, key.to_owned());
        if let Some(id) = self.0.get(&k) {
            return (id.clone(), false);
        }
        self.1 += 1;
        let id = format!("{kind}{}", self.1);
        self.0.insert(k, id.clone());
        (id, true)
    }
}

fn label(s: &str) -> String {
    escape::mermaid(s)
}

/// A Mermaid flowchart, bare, as a `.mmd` file, the Mermaid CLI and
/// mermaid.live take it (Markdown embeds it in a fence: [`markdown`]): per
/// environment a subgraph, organisations on the left, scopes, then the apps
/// that expose them. Each organisation, scope and app is one node, however
/// many edges.
pub fn mermaid(a: &Access) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut envs: Vec<Option<Environment>> = a
        .grants
        .iter()
        .map(|g| g.environment)
        .chain(a.open.iter().map(|o| o.environment))
        .collect();
    envs.sort();
    envs.dedup();
    // Node ids are global in a chart: one numbering for every environment.
    let mut ids = Ids::default();
    for env in envs {
        let e = environment_name(env);
        out.push_str(&format!(
            "  subgraph {e}[\"Maskinporten {e}\"]\n    direction LR\n"
        ));
        let mut nodes: Vec<String> = Vec::new();
        let mut node = |kind: char, key: &str, text: &str, shape: (&str, &str), ids: &mut Ids| {
            let (id, new) = ids.of(kind, e, key);
            if new {
                nodes.push(format!("{id}{}\"{}\"{}", shape.0, label(text), shape.1));
            }
            id
        };
        let mut edges: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut link = |from: &str, arrow: &str, to: &str| {
            let edge = format!("    {from} {arrow} {to}\n");
            if seen.insert(edge.clone()) {
                edges.push(edge);
            }
        };
        for g in a.grants.iter().filter(|g| g.environment == env) {
            let name = match &g.name {
                Some(n) if !n.is_empty() => format!("{} {n}", g.orgno),
                _ => g.orgno.clone(),
            };
            let o = node('o', &g.orgno, &name, ("([", "])"), &mut ids);
            let s = node('s', &g.scope, &g.scope, ("[", "]"), &mut ids);
            let p = node('a', &g.app, &g.app, ("[[", "]]"), &mut ids);
            link(&o, "-->", &s);
            link(&s, "---", &p);
        }
        for open in a.open.iter().filter(|o| o.environment == env) {
            let all = node('o', "*", EVERYONE, ("([", "])"), &mut ids);
            let s = node('s', &open.scope, &open.scope, ("[", "]"), &mut ids);
            let p = node('a', &open.app, &open.app, ("[[", "]]"), &mut ids);
            link(&all, "-.->", &s);
            link(&s, "---", &p);
        }
        for n in nodes {
            out.push_str(&format!("    {n}\n"));
        }
        for edge in edges {
            out.push_str(&edge);
        }
        out.push_str("  end\n");
    }
    out
}
