//! The formats of `maskscope deployments`: a table and JSON.

use super::escape::text;
use super::fit::{Column, Cut, Grid};
use crate::deploy::{Deployment, SourceKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the columns fit a narrow terminal: paths lose their start, the
/// source, then the environment, then the kind are dropped, then one block
/// per deployment ([`fit`](super::fit)).
const COLUMNS: [Column; 6] = [
    Column::new("manifest", Cut::Start(16)),
    Column::new("kind", Cut::Never).spared(3),
    Column::new("vars", Cut::Start(12)),
    Column::new("cluster", Cut::Never),
    Column::new("environment", Cut::Never).spared(2),
    Column::new("source", Cut::Start(16)).spared(1),
];

/// One row per deployment: manifest, the kinds of its documents, vars,
/// cluster, environment, source; values read from input escaped ([`text`]).
/// `kinds` has one entry per deployment; `width`: the terminal's.
pub fn table(deployments: &[Deployment], kinds: &[Vec<String>], width: Option<usize>) -> String {
    if deployments.is_empty() {
        return "no deployments found\n".to_owned();
    }
    let rows: Vec<Vec<String>> = deployments
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let kind = match kinds.get(i).map(Vec::as_slice) {
                None | Some([]) => "?".to_owned(),
                Some(k) => k
                    .iter()
                    .map(|k| text(k).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            let mut vars: Vec<String> = d.vars.iter().map(|v| text(v).into_owned()).collect();
            vars.extend(d.var.iter().map(|(k, v)| match v {
                Some(v) => format!("{}={}", text(k), text(v)),
                None => format!("{}=?", text(k)),
            }));
            if d.without_variables() {
                vars.push("none: not rendered".to_owned());
            }
            vec![
                text(&d.manifest).into_owned(),
                kind,
                vars.join("\n"),
                d.cluster
                    .as_deref()
                    .map_or("?".into(), |c| text(c).into_owned()),
                d.environment.map_or("unknown", |e| e.as_str()).to_owned(),
                source(d),
            ]
        })
        .collect();
    let grid = Grid {
        columns: &COLUMNS,
        colour: vec![None; rows.len()],
        rows,
        title: 0,
    };
    let n = deployments.len();
    format!(
        "{}\n{n} deployment{}\n",
        grid.render(width, false),
        if n == 1 { "" } else { "s" }
    )
}

/// Where a deployment was found, for the table.
fn source(d: &Deployment) -> String {
    let at = match (&d.source.file, d.source.line) {
        (Some(f), Some(l)) => format!("{}:{l}", text(f)),
        (Some(f), None) => text(f).into_owned(),
        _ => String::new(),
    };
    if let Some(via) = &d.source.via {
        return format!(
            "workflow {} (called from {}:{}, {})",
            text(&via.workflow),
            text(&via.file),
            via.line,
            via.origin.as_str()
        );
    }
    match d.source.kind {
        SourceKind::Workflow => format!("workflow {at}"),
        SourceKind::Config => format!("config {at}"),
        SourceKind::Convention => "file name".to_owned(),
        SourceKind::NotDeployed => "no deploy step names it".to_owned(),
    }
}

#[derive(Serialize)]
struct JsonDeployment<'a> {
    manifest: &'a str,
    kinds: &'a [String],
    vars: &'a [String],
    var: &'a BTreeMap<String, Option<String>>,
    cluster: Option<&'a str>,
    environment: Option<crate::deploy::Environment>,
    source: &'a crate::deploy::Source,
}

/// A JSON array of `{manifest, kinds, vars, var, cluster, environment, source}`.
pub fn json(deployments: &[Deployment], kinds: &[Vec<String>]) -> String {
    let rows: Vec<JsonDeployment> = deployments
        .iter()
        .enumerate()
        .map(|(i, d)| JsonDeployment {
            manifest: &d.manifest,
            kinds: kinds.get(i).map_or(&[], Vec::as_slice),
            vars: &d.vars,
            var: &d.var,
            cluster: d.cluster.as_deref(),
            environment: d.environment,
            source: &d.source,
        })
        .collect();
    let mut text = crate::output::escape::to_json_string(&rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
