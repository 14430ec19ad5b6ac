//! The formats of `maskscope deployments`: a table and JSON.

use super::escape::text;
use crate::deploy::{Deployment, SourceKind};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::collections::BTreeMap;

/// One row per deployment: manifest, the kinds of its documents, vars,
/// cluster, environment, source; values read from input escaped ([`text`]).
/// `kinds` has one entry per deployment.
pub fn table(deployments: &[Deployment], kinds: &[Vec<String>]) -> String {
    if deployments.is_empty() {
        return "no deployments found\n".to_owned();
    }
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty()
        .set_header([
            "manifest",
            "kind",
            "vars",
            "cluster",
            "environment",
            "source",
        ]);
    for (i, d) in deployments.iter().enumerate() {
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
        t.add_row([
            text(&d.manifest).into_owned(),
            kind,
            vars.join("\n"),
            d.cluster
                .as_deref()
                .map_or("?".into(), |c| text(c).into_owned()),
            d.environment.map_or("unknown", |e| e.as_str()).to_owned(),
            source(d),
        ]);
    }
    let n = deployments.len();
    format!("{t}\n{n} deployment{}\n", if n == 1 { "" } else { "s" })
}

/// Where a deployment was found, for the table.
fn source(d: &Deployment) -> String {
    let at = match (&d.source.file, d.source.line) {
        (Some(f), Some(l)) => format!("{}:{l}", text(f)),
        (Some(f), None) => text(f).into_owned(),
        _ => String::new(),
    };
    match d.source.kind {
        SourceKind::Workflow => format!("workflow {at}"),
        SourceKind::Config => format!("config {at}"),
        SourceKind::Convention => "file name".to_owned(),
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
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
