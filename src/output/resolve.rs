//! The formats of `maskscope resolve`: a table, plain scope lines, JSON.

use super::escape::text;
use super::fit::{Column, Cut, Grid};
use crate::naming::SeparatorSource;
use crate::resolve::ResolvedScope;
use comfy_table::Color;
use serde::Serialize;

/// One scope per line, in file, document and entry order, each once per
/// Maskinporten environment; inactive ones only with `all`. When the scopes
/// are in more than one environment, each line is `ENVIRONMENT<TAB>SCOPE`
/// (`unknown` for a deployment whose cluster is not known, `not deployed`
/// for a manifest no deploy step names). Scopes that
/// depend on template variables without a value are left out: they are not
/// known (the command says so on stderr). Special characters in a scope are
/// escaped ([`text`]): a scope holds none that digdirator accepts.
pub fn plain(scopes: &[ResolvedScope<'_>], all: bool) -> String {
    let shown: Vec<&ResolvedScope<'_>> = scopes
        .iter()
        .filter(|s| s.entry.unresolved_vars.is_empty())
        .filter(|s| all || s.active())
        .collect();
    let environment = |s: &ResolvedScope<'_>| match &s.manifest.source.deployment {
        Some(d) if !d.deployed() => "not deployed",
        d => d
            .as_ref()
            .and_then(|d| d.environment)
            .map_or("unknown", |e| e.as_str()),
    };
    let mut environments: Vec<_> = shown.iter().map(|s| environment(s)).collect();
    environments.sort();
    environments.dedup();
    let tagged = environments.len() > 1;
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for s in shown {
        let env = environment(s);
        if !seen.insert((env, s.resolved.scope.as_str())) {
            continue;
        }
        if tagged {
            out.push_str(env);
            out.push('\t');
        }
        out.push_str(&text(&s.resolved.scope));
        out.push('\n');
    }
    out
}

/// The columns of the table, in order. The last two are shown only when
/// they say something: a deployment (when the scopes are in more than one),
/// and template variables without a value that an entry depends on.
const HEADER: [&str; 9] = [
    "location",
    "app",
    "kind",
    "scope",
    "separator",
    "enabled",
    "consumers",
    "deployment",
    "unresolved variables",
];

/// The index of the deployment column.
const DEPLOYMENT: usize = 7;
/// The index of the column of template variables without a value.
const UNRESOLVED: usize = 8;

/// The narrowest a shortened location gets in the table: enough for the end
/// of a file name and its line number.
const MIN_LOCATION: usize = 16;

/// One entry's cells, as text, in [`HEADER`] order, values read from input
/// escaped ([`text`]).
struct Row {
    cells: [String; 9],
    colour: Color,
}

fn rows(scopes: &[ResolvedScope<'_>]) -> Vec<Row> {
    scopes
        .iter()
        .map(|s| {
            let m = s.manifest;
            let source = match s.resolved.separator_source {
                SeparatorSource::Explicit => "explicit",
                SeparatorSource::Default => "default",
            };
            let (enabled, colour) = match (s.entry.enabled(), m.maskinporten_enabled()) {
                (true, true) => ("yes", Color::Green),
                (true, false) => ("yes, but maskinporten is disabled", Color::Yellow),
                (false, _) => ("no", Color::Red),
            };
            let consumers = if s.entry.accessible_for_all() {
                format!("{} (all)", s.entry.consumers.len())
            } else {
                s.entry.consumers.len().to_string()
            };
            Row {
                cells: [
                    format!("{}:{}", text(&m.source.name), s.entry.span.start.line),
                    text(&m.app()).into_owned(),
                    m.kind.as_str().to_owned(),
                    text(&s.resolved.scope).into_owned(),
                    format!("{} ({source})", text(&s.resolved.separator)),
                    enabled.to_owned(),
                    consumers,
                    deployment_cell(s),
                    text(&s.entry.unresolved_vars.join(", ")).into_owned(),
                ],
                colour,
            }
        })
        .collect()
}

/// `dev-gcp (test)`: the cluster and Maskinporten environment of the
/// deployment an entry was read for.
fn deployment_cell(s: &ResolvedScope<'_>) -> String {
    let Some(d) = &s.manifest.source.deployment else {
        return String::new();
    };
    if !d.deployed() {
        return "not deployed".to_owned();
    }
    let env = d.environment.map_or("unknown", |e| e.as_str());
    match &d.cluster {
        Some(c) => format!("{} ({env})", text(c)),
        None => format!("? ({env})"),
    }
}

/// How each column of [`HEADER`] fits a narrow terminal: the location is
/// shortened, `kind` is dropped, the rest stays whole.
const COLUMNS: [Column; 9] = [
    Column::new(HEADER[0], Cut::Start(MIN_LOCATION)),
    Column::new(HEADER[1], Cut::Never),
    Column::new(HEADER[2], Cut::Never).spared(1),
    Column::new(HEADER[3], Cut::Never),
    Column::new(HEADER[4], Cut::Never),
    Column::new(HEADER[5], Cut::Never),
    Column::new(HEADER[6], Cut::Never),
    Column::new(HEADER[7], Cut::Never),
    Column::new(HEADER[8], Cut::Never),
];

/// The scopes for a terminal `width` columns wide (`None`: not a terminal,
/// or one that does not say its width). Each scope is printed whole on one
/// line, whatever the width: a table when one fits, with the locations
/// shortened (`…`) and then the `kind` column dropped as needed, else one
/// block per entry ([`fit`](super::fit)).
pub fn table(scopes: &[ResolvedScope<'_>], width: Option<usize>, color: bool) -> String {
    if scopes.is_empty() {
        return "no exposed scopes found\n".to_owned();
    }
    let rows = rows(scopes);
    let active = scopes.iter().filter(|s| s.active()).count();
    let summary = format!(
        "{} {}, {active} active\n",
        scopes.len(),
        if scopes.len() == 1 { "scope" } else { "scopes" }
    );
    let any_unresolved = rows.iter().any(|r| !r.cells[UNRESOLVED].is_empty());
    let mut deployments: Vec<&str> = rows.iter().map(|r| r.cells[DEPLOYMENT].as_str()).collect();
    deployments.sort_unstable();
    deployments.dedup();
    let several = deployments.len() > 1;
    let shown: Vec<usize> = (0..HEADER.len())
        .filter(|&c| match c {
            DEPLOYMENT => several,
            UNRESOLVED => any_unresolved,
            _ => true,
        })
        .collect();
    let columns: Vec<Column> = shown.iter().map(|&c| COLUMNS[c]).collect();
    // `enabled`, coloured, is the sixth column whichever are shown after it.
    let enabled = shown.iter().position(|&c| c == 5).unwrap_or(5);
    let grid = Grid {
        columns: &columns,
        colour: rows.iter().map(|r| Some((enabled, r.colour))).collect(),
        rows: rows
            .into_iter()
            .map(|r| shown.iter().map(|&c| r.cells[c].clone()).collect())
            .collect(),
        title: 3,
    };
    format!("{}\n{summary}", grid.render(width, color))
}

#[derive(Serialize)]
struct JsonScope<'a> {
    file: &'a str,
    document: usize,
    line: u32,
    kind: &'static str,
    namespace: Option<&'a str>,
    app: Option<&'a str>,
    product: &'a str,
    name: &'a str,
    separator: &'a str,
    separator_source: SeparatorSource,
    subscope: &'a str,
    scope: &'a str,
    enabled: bool,
    maskinporten_enabled: bool,
    consumers: Vec<String>,
    accessible_for_all: bool,
    at_max_age: i64,
    allowed_integrations: Vec<String>,
    visibility: String,
    delegation_source: Option<&'a str>,
    /// Template variables without a value that the entry depends on.
    unresolved_vars: &'a [String],
    /// The cluster of the deployment the manifest was read for, if known.
    cluster: Option<&'a str>,
    /// Its Maskinporten environment: `test`, `prod`, or `null` when unknown.
    environment: Option<crate::deploy::Environment>,
    /// `false` when no deploy step names the manifest, though the
    /// repository has some: it is in no cluster.
    deployed: bool,
}

fn json_row<'a>(s: &'a ResolvedScope<'_>) -> JsonScope<'a> {
    let m = s.manifest;
    let e = s.entry;
    JsonScope {
        file: &m.source.name,
        document: m.document,
        line: e.span.start.line,
        kind: m.kind.as_str(),
        namespace: m.namespace.as_ref().map(|f| f.value.as_str()),
        app: m.name.as_ref().map(|f| f.value.as_str()),
        product: s.product,
        name: s.name,
        separator: &s.resolved.separator,
        separator_source: s.resolved.separator_source,
        subscope: &s.resolved.subscope,
        scope: &s.resolved.scope,
        enabled: e.enabled(),
        maskinporten_enabled: m.maskinporten_enabled(),
        consumers: e.orgnos(),
        accessible_for_all: e.accessible_for_all(),
        at_max_age: e.at_max_age(),
        allowed_integrations: e.allowed_integrations(),
        visibility: e.visibility(),
        delegation_source: e.delegation_source(),
        unresolved_vars: &e.unresolved_vars,
        cluster: m
            .source
            .deployment
            .as_ref()
            .and_then(|d| d.cluster.as_deref()),
        environment: m.source.deployment.as_ref().and_then(|d| d.environment),
        deployed: m.deployed(),
    }
}

/// The rows, serialized one at a time as the array is written.
struct JsonRows<'a, 'm>(&'a [ResolvedScope<'m>]);

impl serde::Serialize for JsonRows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(json_row))
    }
}

/// Write every exposes entry as a JSON object, in file, document and entry order.
/// Rows are written as they are made, so a monorepo's worth of scopes is never
/// held in memory twice.
pub fn write_json(
    scopes: &[ResolvedScope<'_>],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(out);
    crate::output::escape::to_json_writer(&mut out, &JsonRows(scopes))?;
    out.write_all(b"\n")?;
    out.flush()
}
