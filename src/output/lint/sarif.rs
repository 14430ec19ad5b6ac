//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it.
//! <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>

use super::Region;
use crate::lint::runner::Outcome;
use crate::lint::{Severity, rules};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::Path;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The outcome as a SARIF log with one run. Paths under `cwd` become relative.
pub fn write(outcome: &Outcome, cwd: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut fired: Vec<&str> = Vec::new();
    for d in &outcome.diagnostics {
        if !fired.contains(&d.rule) {
            fired.push(d.rule);
        }
    }
    let rule_objects: Vec<Value> = fired.iter().map(|id| rule_object(id)).collect();
    let results: Vec<Value> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let r = Region::of(d);
            let mut text = d.finding.message.clone();
            if let Some(h) = &d.finding.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": fired.iter().position(|id| *id == d.rule),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.finding.source.name, cwd) },
                        "region": {
                            "startLine": r.line,
                            "startColumn": r.column,
                            "endLine": r.end_line,
                            "endColumn": r.end_column,
                        }
                    }
                }]
            });
            if !d.finding.related.is_empty() {
                let related: Vec<Value> = d
                    .finding
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, rel)| {
                        json!({
                            "id": i + 1,
                            "message": { "text": rel.message },
                            "physicalLocation": {
                                "artifactLocation": { "uri": uri(&rel.source.name, cwd) },
                                "region": {
                                    "startLine": rel.span.start.line.max(1),
                                    "startColumn": rel.span.start.column.max(1),
                                }
                            }
                        })
                    })
                    .collect();
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "maskscope",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_objects,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    // What is not a result but must be said goes into the invocation's
    // notifications, which code scanning shows with the tool's status.
    let unchecked = outcome.unchecked.iter().map(|err| {
        let mut location = json!({ "artifactLocation": { "uri": uri(&err.file, cwd) } });
        if let Some(p) = err.pos {
            location["region"] = json!({ "startLine": p.line, "startColumn": p.column });
        }
        json!({
            "level": "error",
            "message": { "text": format!("not checked: {}", err.message) },
            "locations": [{ "physicalLocation": location }]
        })
    });
    let without = outcome.without_manifests.iter().map(|name| {
        json!({
            "level": "note",
            "message": { "text": super::NO_MANIFESTS },
            "locations": [{
                "physicalLocation": { "artifactLocation": { "uri": uri(name, cwd) } }
            }]
        })
    });
    let notes: Vec<Value> = std::iter::empty().chain(unchecked).chain(without).collect();
    if !notes.is_empty() {
        run["invocations"] = json!([{
            "executionSuccessful": outcome.unchecked.is_empty(),
            "toolExecutionNotifications": notes,
        }]);
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    crate::output::escape::to_json_writer(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// [`write`] into a string.
pub fn render(outcome: &Outcome, cwd: &Path) -> String {
    super::to_string(|out| write(outcome, cwd, out))
}

/// A `reportingDescriptor` for a rule id; ids from outside the rule list
/// (diagnostics merged in from other checks) get a minimal one, so that
/// `ruleIndex` stays right.
fn rule_object(id: &str) -> Value {
    let Some(doc) = rules::find(id).map(|r| r.doc()) else {
        return json!({ "id": id, "shortDescription": { "text": id } });
    };
    let help = crate::output::rules::explain(doc);
    let markdown = format!(
        "{}\n\nFails:\n\n```yaml\n{}\n```\n\nFixed:\n\n```yaml\n{}\n```",
        doc.explanation, doc.bad, doc.good
    );
    json!({
        "id": doc.id,
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": doc.explanation },
        "defaultConfiguration": { "level": level(doc.severity) },
        "help": { "text": help, "markdown": markdown },
    })
}

/// A path as a URI reference: relative (to `cwd`) where possible, `/` as separator.
fn uri(name: &str, cwd: &Path) -> String {
    let path = Path::new(name);
    let (relative, absolute) = match path.strip_prefix(cwd) {
        Ok(rel) => (rel.to_string_lossy().into_owned(), false),
        Err(_) => (name.to_owned(), path.is_absolute()),
    };
    let encoded = encode(&relative.replace('\\', "/"));
    if absolute {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Percent-encode everything but unreserved characters and `/`.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = Path::new("/repo");
        assert_eq!(uri(".nais/app dev.yaml", cwd), ".nais/app%20dev.yaml");
        assert_eq!(uri("/repo/nais.yaml", cwd), "nais.yaml");
        assert_eq!(
            uri("/elsewhere/nais.yaml", cwd),
            "file:///elsewhere/nais.yaml"
        );
        assert_eq!(uri("<stdin>", cwd), "%3Cstdin%3E");
    }
}
