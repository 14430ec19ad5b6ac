//! The benchmark floor: the least any tool must do to check a folder of YAML
//! manifests. It finds every `.yaml`, `.yml` and `.json` file under the folders
//! given, reads it, and parses every YAML document into a generic tree, on one
//! thread, and prints how many files, documents and nodes it saw.
//!
//! It uses the parser maskscope uses (`libyaml-safer`) and builds the plainest
//! tree: no positions, no styles, no typing. Whatever maskscope spends beyond
//! this is its own work. With `--serde` it deserializes each file with
//! `serde-saphyr` into `serde_json::Value` instead, the usual way a Rust program
//! reads YAML without a schema.
//!
//! ```sh
//! cargo run --release --example floor -- [--serde] FOLDER...
//! ```

use libyaml_safer::{EventData, Parser};
use std::path::PathBuf;

/// A YAML value with nothing but its content.
#[allow(dead_code)] // Built to be paid for, never read.
enum Generic {
    Scalar(String),
    Seq(Vec<Generic>),
    Map(Vec<(Generic, Generic)>),
}

/// Every document of `text` as a generic tree; `None` on a syntax error.
fn parse_events(text: &str) -> Option<Vec<Generic>> {
    let mut docs = Vec::new();
    let mut stack: Vec<(bool, Vec<Generic>)> = Vec::new();
    let mut root = None;
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    loop {
        let event = parser.parse().ok()?;
        let node = match event.data {
            EventData::Scalar { value, .. } => Generic::Scalar(value),
            EventData::SequenceStart { .. } => {
                stack.push((false, Vec::new()));
                continue;
            }
            EventData::MappingStart { .. } => {
                stack.push((true, Vec::new()));
                continue;
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                let (is_map, items) = stack.pop()?;
                if is_map {
                    let mut it = items.into_iter();
                    let mut pairs = Vec::new();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    Generic::Map(pairs)
                } else {
                    Generic::Seq(items)
                }
            }
            EventData::Alias { .. } => Generic::Scalar(String::new()),
            EventData::DocumentEnd { .. } => {
                docs.push(root.take().unwrap_or(Generic::Scalar(String::new())));
                continue;
            }
            EventData::StreamEnd => break,
            _ => continue,
        };
        match stack.last_mut() {
            Some((_, items)) => items.push(node),
            None => root = Some(node),
        }
    }
    Some(docs)
}

fn count(g: &Generic) -> usize {
    match g {
        Generic::Scalar(_) => 1,
        Generic::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Generic::Map(pairs) => {
            1 + pairs
                .iter()
                .map(|(k, v)| count(k) + count(v))
                .sum::<usize>()
        }
    }
}

fn main() {
    let mut serde = false;
    let mut roots = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--serde" => serde = true,
            _ => roots.push(PathBuf::from(arg)),
        }
    }
    let (mut files, mut docs, mut nodes, mut failed) = (0, 0, 0, 0);
    for root in roots {
        for entry in walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            let is_manifest = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["yaml", "yml", "json"].contains(&e));
            if !entry.file_type().is_file() || !is_manifest {
                continue;
            }
            files += 1;
            let Ok(text) = std::fs::read_to_string(path) else {
                failed += 1;
                continue;
            };
            if serde {
                match serde_saphyr::from_multiple::<serde_json::Value>(&text) {
                    Ok(values) => docs += values.len(),
                    Err(_) => failed += 1,
                }
                continue;
            }
            match parse_events(&text) {
                Some(trees) => {
                    docs += trees.len();
                    nodes += trees.iter().map(count).sum::<usize>();
                }
                None => failed += 1,
            }
        }
    }
    println!("{files} files, {docs} documents, {nodes} nodes, {failed} unreadable");
}
