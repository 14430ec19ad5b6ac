//! The formats of `maskscope resolve`: a table, plain scope lines, JSON.

use crate::naming::SeparatorSource;
use crate::resolve::ResolvedScope;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::Serialize;

/// One scope per line, in file, document and entry order; inactive ones only
/// with `all`. Scopes that depend on template variables without a value are
/// left out: they are not known (the command says so on stderr).
pub fn plain(scopes: &[ResolvedScope<'_>], all: bool) -> String {
    let mut out = String::new();
    let known = scopes.iter().filter(|s| s.entry.unresolved_vars.is_empty());
    for s in known.filter(|s| all || s.active()) {
        out.push_str(&s.resolved.scope);
        out.push('\n');
    }
    out
}

/// A table that fits the terminal; plain text when not on a terminal.
pub fn table(scopes: &[ResolvedScope<'_>], on_terminal: bool, color: bool) -> String {
    if scopes.is_empty() {
        return "no exposed scopes found\n".to_owned();
    }
    let any_unresolved = scopes.iter().any(|s| !s.entry.unresolved_vars.is_empty());
    let mut header = vec![
        "location",
        "app",
        "kind",
        "scope",
        "separator",
        "enabled",
        "consumers",
    ];
    if any_unresolved {
        header.push("unresolved variables");
    }
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    if !on_terminal {
        t.force_no_tty();
    }
    for s in scopes {
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
        let mut enabled_cell = Cell::new(enabled);
        if color {
            enabled_cell = enabled_cell.fg(colour);
        }
        let consumers = if s.entry.accessible_for_all() {
            format!("{} (all)", s.entry.consumers.len())
        } else {
            s.entry.consumers.len().to_string()
        };
        let mut row = vec![
            Cell::new(format!("{}:{}", m.source.name, s.entry.span.start.line)),
            Cell::new(m.app()),
            Cell::new(m.kind.as_str()),
            Cell::new(&s.resolved.scope),
            Cell::new(format!("{} ({source})", s.resolved.separator)),
            enabled_cell,
            Cell::new(consumers),
        ];
        if any_unresolved {
            row.push(Cell::new(s.entry.unresolved_vars.join(", ")));
        }
        t.add_row(row);
    }
    let active = scopes.iter().filter(|s| s.active()).count();
    format!("{t}\n{} scopes, {active} active\n", scopes.len())
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
    serde_json::to_writer_pretty(&mut out, &JsonRows(scopes))?;
    out.write_all(b"\n")?;
    out.flush()
}
