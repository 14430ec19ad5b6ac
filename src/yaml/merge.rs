//! YAML merge keys (`<<: *defaults`), expanded as the Kubernetes API server reads them.
//!
//! The cluster reads manifests with sigs.k8s.io/yaml, which decodes with its fork of
//! gopkg.in/yaml.v2 (kubernetes-sigs/yaml, `goyaml.v2/decode.go`: `isMerge`, `merge`,
//! `failWantMap`, `mapping`; the scanner's `implicit` flag in `goyaml.v2/parserc.go`,
//! `yaml_parser_parse_node`). Its rules, which this module follows to the letter:
//!
//! - A key is a merge key when it is the scalar `<<` written plain without a tag, or
//!   with the non-specific tag `!`, or with the tag `!!merge`
//!   (`tag:yaml.org,2002:merge`) however it is quoted. A quoted `"<<"`, a `!!str <<`
//!   or an alias to a `<<` scalar is an ordinary key.
//! - Its value must be a mapping, an alias to a mapping, or a sequence (written out,
//!   not an alias) whose items are mappings or aliases to mappings. Anything else
//!   stops decoding with "map merge requires map or sequence of maps as the value".
//! - Entries are applied in the order they are written, each one setting its key in
//!   the resulting map: a merge sets every key of the merged mapping, so an explicit
//!   key written *before* the `<<` is overridden by the merged value, and one written
//!   *after* it overrides the merged value. In a sequence the earlier mappings take
//!   precedence over the later ones (go-yaml applies them from the last to the first).
//!
//! The tree keeps explicit entries as written (duplicates included, as everywhere in
//! it) and adds each merged key whose value the cluster ends up with, at the place
//! of its `<<`, so that "the last entry under a key" stays the value the cluster
//! reads. Merged entries keep the spans of the text they were written in (the
//! anchored mapping), so diagnostics point at real text.
//!
//! Merging moves the merged mapping's entries out of the value (an alias was already
//! copied, and its nodes counted against the budget, by the builder): expansion never
//! adds nodes, it only drops the `<<` entries and the merged keys that lose.

use super::{Entry, Node, Span, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The tag go-yaml compares a merge key's tag with (`yaml_MERGE_TAG`).
const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// A merge key whose value is not something that can be merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError {
    /// The offending value (or item of the merged sequence).
    pub span: Span,
    pub message: String,
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The entries of a finished mapping with its merge keys expanded.
///
/// `text` is the source the nodes were read from: an alias node's span is that of
/// the `*name` it was written as, and go-yaml treats an alias differently from the
/// same node written out in two places (a `<<` key given by alias is no merge key; a
/// merge value that is an alias must name a mapping, not a sequence).
pub fn expand(entries: Vec<Entry>, text: &str) -> Result<Vec<Entry>, MergeError> {
    if !entries.iter().any(|e| is_merge_key(&e.key, text)) {
        return Ok(entries);
    }
    // Each entry as one write to the map the cluster builds, in source order.
    let mut writes: Vec<Write> = Vec::with_capacity(entries.len());
    for entry in entries {
        if is_merge_key(&entry.key, text) {
            writes.push(Write::Merge(merged_entries(entry.value, text)?));
        } else {
            writes.push(Write::Explicit(entry));
        }
    }
    let keep = winning_merged_entries(&writes);
    let mut keep = keep.into_iter();
    let mut out = Vec::new();
    for write in writes {
        match write {
            Write::Explicit(e) => out.push(e),
            Write::Merge(merged) => {
                out.extend(merged.into_iter().filter(|_| keep.next().unwrap_or(false)))
            }
        }
    }
    Ok(out)
}

/// One entry of the mapping: written there, or arriving through one `<<`
/// (one entry per key, the one that merge sets).
enum Write {
    Explicit(Entry),
    Merge(Vec<Entry>),
}

/// For every merged entry, in order, whether no later write sets its key: the
/// merged value is then the one the cluster keeps. Explicit entries stay whatever
/// follows them, so that the tree still shows what was written; a merged entry
/// placed after them wins the lookup of the last entry under the key.
fn winning_merged_entries(writes: &[Write]) -> Vec<bool> {
    let mut last_write: HashMap<&str, usize> = HashMap::new();
    for (i, write) in writes.iter().enumerate() {
        match write {
            Write::Explicit(e) => {
                if let Some(k) = e.key.key_text() {
                    last_write.insert(k, i);
                }
            }
            Write::Merge(merged) => {
                for k in merged.iter().filter_map(|e| e.key.key_text()) {
                    last_write.insert(k, i);
                }
            }
        }
    }
    let mut keep = Vec::new();
    for (i, write) in writes.iter().enumerate() {
        if let Write::Merge(merged) = write {
            keep.extend(
                merged
                    .iter()
                    .map(|e| e.key.key_text().is_none_or(|k| last_write[k] == i)),
            );
        }
    }
    keep
}

/// Whether go-yaml v2's `isMerge` holds: the scalar `<<`, implicit (plain and
/// untagged, or tagged `!`) or tagged `!!merge`; an alias is never one.
pub(super) fn is_merge_key(key: &Node, text: &str) -> bool {
    let Some(s) = key.as_scalar() else {
        return false;
    };
    if s.text != "<<" || is_alias(key, text) {
        return false;
    }
    match s.tag.as_deref() {
        None => s.style.is_plain(),
        Some(tag) => tag == "!" || tag == MERGE_TAG,
    }
}

/// Whether `node` was written as an alias: nothing else starts with `*`.
fn is_alias(node: &Node, text: &str) -> bool {
    text.get(node.span.range())
        .is_some_and(|t| t.starts_with('*'))
}

/// The entries one `<<` sets, one per key: of a mapping, its last entry under each
/// key (the tree's rule for which one counts); of a sequence, the first mapping
/// that has the key.
fn merged_entries(value: Node, text: &str) -> Result<Vec<Entry>, MergeError> {
    let alias = is_alias(&value, text);
    match value.value {
        Value::Map(entries) => Ok(last_per_key(entries)),
        Value::Seq(items) if !alias => {
            let mut out: Vec<Entry> = Vec::new();
            let mut seen: HashSet<String> = HashSet::new();
            for item in items {
                let item_alias = is_alias(&item, text);
                let Value::Map(entries) = item.value else {
                    return Err(wrong_item(&item, item_alias, text));
                };
                for e in last_per_key(entries) {
                    let first = match e.key.key_text() {
                        Some(k) => seen.insert(k.to_owned()),
                        None => true,
                    };
                    if first {
                        out.push(e);
                    }
                }
            }
            Ok(out)
        }
        _ => Err(wrong_value(&value, alias, text)),
    }
}

/// The last entry under each scalar key, in source order; entries with other keys
/// are kept as they are (they match no other key).
fn last_per_key(entries: Vec<Entry>) -> Vec<Entry> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        if let Some(k) = e.key.key_text() {
            last.insert(k, i);
        }
    }
    if last.len() == entries.len() || last.is_empty() {
        return entries;
    }
    let keep: Vec<bool> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| e.key.key_text().is_none_or(|k| last[k] == i))
        .collect();
    entries
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// What a node is, for a message: its kind, with a scalar's value quoted (a null
/// as written, since the parser reads an empty value as `~`).
fn describe(node: &Node, alias: bool, text: &str) -> String {
    let what = match node.as_scalar() {
        Some(_) if node.is_null() => match text.get(node.span.range()).unwrap_or("") {
            "" => "null (no value)".to_owned(),
            written => format!("null ({written:?})"),
        },
        Some(s) => format!("the {} {:?}", node.kind_name(), s.text),
        None => format!("a {}", node.kind_name()),
    };
    if alias {
        format!("an alias to {what}")
    } else {
        what
    }
}

fn wrong_value(node: &Node, alias: bool, text: &str) -> MergeError {
    MergeError {
        span: node.span,
        message: format!(
            "the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not {}",
            describe(node, alias, text)
        ),
    }
}

fn wrong_item(item: &Node, alias: bool, text: &str) -> MergeError {
    MergeError {
        span: item.span,
        message: format!(
            "every item of a list merged with `<<` must be a mapping or an alias to one, \
             not {}",
            describe(item, alias, text)
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::yaml::{Budget, Document, Node, ParseError, parse_stream};

    fn parse(text: &str) -> Result<Document, ParseError> {
        let (mut docs, err) = parse_stream(text, Budget::default());
        match err {
            Some(e) => Err(e),
            None => Ok(docs.remove(0)),
        }
    }

    /// The entries of a mapping as `key=value@line`, scalars only.
    fn entries(node: &Node) -> Vec<String> {
        node.as_map()
            .unwrap()
            .iter()
            .map(|e| {
                let v = e.value.as_scalar().map_or("…", |s| s.text.as_str());
                format!(
                    "{}={v}@{}",
                    e.key.key_text().unwrap_or("?"),
                    e.key.span.start.line
                )
            })
            .collect()
    }

    /// What the cluster reads for `keys` in a mapping: the last entry under each.
    fn read(node: &Node, keys: &[&str]) -> Vec<String> {
        keys.iter()
            .map(|k| match node.get(k) {
                Some(v) => format!("{k}={}", v.as_scalar().map_or("…", |s| s.text.as_str())),
                None => format!("{k} missing"),
            })
            .collect()
    }

    fn error(text: &str) -> String {
        let e = parse(text).unwrap_err();
        format!("{}:{} {}", e.pos.line, e.pos.column, e.message)
    }

    #[test]
    fn an_inline_mapping_is_merged_in_place_of_the_merge_key() {
        let doc = parse("a: 1\n<<: {b: 2, c: 3}\nd: 4\n").unwrap();
        assert_eq!(entries(&doc.root), ["a=1@1", "b=2@2", "c=3@2", "d=4@3"]);
    }

    #[test]
    fn an_alias_is_merged_with_the_spans_of_the_anchored_mapping() {
        let doc =
            parse("x: &d\n  product: arbeid\n  enabled: true\ny:\n  <<: *d\n  name: s\n").unwrap();
        let y = doc.root.get("y").unwrap();
        assert_eq!(
            entries(y),
            ["product=arbeid@2", "enabled=true@3", "name=s@6"]
        );
        let product = y.get("product").unwrap();
        assert_eq!(
            (product.span.start.line, product.span.start.column),
            (2, 12)
        );
    }

    /// go-yaml v2's own merge test (decode_test.go, `mergeTests`, from
    /// yaml.org/type/merge.html): every mapping reads as `plain`.
    #[test]
    fn go_yaml_merge_tests_all_read_as_the_plain_mapping() {
        let text = r#"
anchors:
  list:
    - &CENTER { "x": 1, "y": 2 }
    - &LEFT   { "x": 0, "y": 2 }
    - &BIG    { "r": 10 }
    - &SMALL  { "r": 1 }
plain:
  "x": 1
  "y": 2
  "r": 10
  label: center/big
mergeOne:
  << : *CENTER
  "r": 10
  label: center/big
mergeMultiple:
  << : [ *CENTER, *BIG ]
  label: center/big
override:
  << : [ *BIG, *LEFT, *SMALL ]
  "x": 1
  label: center/big
shortTag:
  !!merge "<<" : [ *CENTER, *BIG ]
  label: center/big
longTag:
  !<tag:yaml.org,2002:merge> "<<" : [ *CENTER, *BIG ]
  label: center/big
inlineMap:
  << : {"x": 1, "y": 2, "r": 10}
  label: center/big
inlineSequenceMap:
  << : [ *CENTER, {"r": 10} ]
  label: center/big
"#;
        let doc = parse(text).unwrap();
        let keys = ["x", "y", "r", "label", "<<"];
        let plain = read(doc.root.get("plain").unwrap(), &keys);
        assert_eq!(
            plain,
            ["x=1", "y=2", "r=10", "label=center/big", "<< missing"]
        );
        for e in &doc.root.as_map().unwrap()[2..] {
            let name = e.key.key_text().unwrap();
            assert_eq!(read(&e.value, &keys), plain, "{name}");
        }
        assert!(doc.duplicates.is_empty(), "{:?}", doc.duplicates);
    }

    #[test]
    fn earlier_mappings_of_a_list_take_precedence() {
        let doc =
            parse("a: &a {k: a, only_a: 1}\nb: &b {k: b, only_b: 2}\nm: {<<: [*a, *b]}\n").unwrap();
        let m = doc.root.get("m").unwrap();
        assert_eq!(entries(m), ["k=a@1", "only_a=1@1", "only_b=2@2"]);
    }

    #[test]
    fn an_explicit_key_after_the_merge_wins() {
        let doc = parse("d: &d {product: arbeid, enabled: true}\ne:\n  <<: *d\n  product: helse\n")
            .unwrap();
        let e = doc.root.get("e").unwrap();
        // The losing merged value is not in the tree at all.
        assert_eq!(entries(e), ["enabled=true@1", "product=helse@4"]);
        assert!(doc.duplicates.is_empty());
    }

    /// go-yaml v2 sets map keys in the order they are written (`mapping`), so a
    /// merge overrides an explicit key written before it.
    #[test]
    fn an_explicit_key_before_the_merge_loses() {
        let doc = parse("d: &d {product: arbeid, enabled: true}\ne:\n  product: helse\n  <<: *d\n")
            .unwrap();
        let e = doc.root.get("e").unwrap();
        assert_eq!(
            read(e, &["product", "enabled"]),
            ["product=arbeid", "enabled=true"]
        );
        // What was written stays visible, ahead of the value that wins.
        assert_eq!(
            entries(e),
            ["product=helse@3", "product=arbeid@1", "enabled=true@1"]
        );
        assert!(doc.duplicates.is_empty());
    }

    #[test]
    fn a_later_merge_key_overrides_an_earlier_one() {
        let doc = parse("a: &a {k: a}\nb: &b {k: b}\nm:\n  <<: *a\n  <<: *b\n").unwrap();
        let m = doc.root.get("m").unwrap();
        assert_eq!(entries(m), ["k=b@2"]);
    }

    #[test]
    fn merges_nest_through_anchors() {
        let text = "\
base: &base {product: arbeid, enabled: false}
mid: &mid
  <<: *base
  enabled: true
  separator: /
top:
  <<: *mid
  name: s
";
        let doc = parse(text).unwrap();
        let top = doc.root.get("top").unwrap();
        assert_eq!(
            read(top, &["product", "enabled", "separator", "name", "<<"]),
            [
                "product=arbeid",
                "enabled=true",
                "separator=/",
                "name=s",
                "<< missing"
            ]
        );
    }

    #[test]
    fn a_merged_mapping_with_a_duplicate_key_gives_its_last_value() {
        let doc = parse("d: &d {k: 1, k: 2}\nm: {<<: *d}\n").unwrap();
        assert_eq!(entries(doc.root.get("m").unwrap()), ["k=2@1"]);
        // The duplicate is reported once, where it was written.
        assert_eq!(doc.duplicates.len(), 1);
    }

    #[test]
    fn an_empty_list_merges_nothing() {
        let doc = parse("m: {<<: [], a: 1}\n").unwrap();
        assert_eq!(entries(doc.root.get("m").unwrap()), ["a=1@1"]);
    }

    #[test]
    fn only_an_untagged_plain_or_merge_tagged_key_is_a_merge_key() {
        let d = "d: &d {k: v}\n";
        let keys = |text: &str| {
            let doc = parse(&format!("{d}m:\n  {text}: *d\n")).unwrap();
            entries(doc.root.get("m").unwrap())
        };
        assert_eq!(keys("<<"), ["k=v@1"]);
        assert_eq!(keys("!!merge <<"), ["k=v@1"]);
        assert_eq!(keys("!!merge '<<'"), ["k=v@1"]);
        assert_eq!(keys("! <<"), ["k=v@1"]);
        assert_eq!(keys("! '<<'"), ["k=v@1"]);
        assert_eq!(keys("\"<<\""), ["<<=…@3"]);
        assert_eq!(keys("'<<'"), ["<<=…@3"]);
        assert_eq!(keys("!!str <<"), ["<<=…@3"]);
        assert_eq!(keys("!!merge x"), ["x=…@3"]);
    }

    #[test]
    fn an_alias_to_a_merge_key_scalar_is_an_ordinary_key() {
        let doc = parse("k: &m <<\nd: &d {a: 1}\nm:\n  *m : *d\n").unwrap();
        assert_eq!(entries(doc.root.get("m").unwrap()), ["<<=…@4"]);
    }

    #[test]
    fn a_merge_in_a_list_item_and_in_a_list_of_inline_mappings() {
        let doc = parse("d: &d {a: 1}\nl:\n  - <<: [{b: 2}, *d]\n    c: 3\n").unwrap();
        let item = &doc.root.get("l").unwrap().as_seq().unwrap()[0];
        assert_eq!(entries(item), ["b=2@3", "a=1@1", "c=3@4"]);
    }

    #[test]
    fn a_value_that_is_no_mapping_is_an_error_at_the_value() {
        assert_eq!(
            error("m:\n  <<: arbeid\n"),
            "2:7 the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not the string \"arbeid\""
        );
        assert_eq!(
            error("m:\n  <<:\n  a: 1\n"),
            "2:6 the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not null (no value)"
        );
        assert_eq!(
            error("m: {<<: ~}\n"),
            "1:9 the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not null (\"~\")"
        );
        assert_eq!(
            error("s: &s 3\nm: {<<: *s}\n"),
            "2:9 the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not an alias to the integer \"3\""
        );
    }

    /// go-yaml v2 accepts a sequence only when written out; an alias must name a mapping.
    #[test]
    fn an_alias_to_a_list_of_mappings_is_an_error() {
        assert_eq!(
            error("l: &l [{a: 1}]\nm: {<<: *l}\n"),
            "2:9 the merge key `<<` takes a mapping, an alias to a mapping, or a list of those, \
             not an alias to a list"
        );
    }

    #[test]
    fn a_list_item_that_is_no_mapping_is_an_error_at_the_item() {
        assert_eq!(
            error("d: &d {a: 1}\nm:\n  <<: [*d, x]\n"),
            "3:12 every item of a list merged with `<<` must be a mapping or an alias to one, \
             not the string \"x\""
        );
        assert_eq!(
            error("m:\n  <<:\n    - {a: 1}\n    - [{b: 2}]\n"),
            "4:7 every item of a list merged with `<<` must be a mapping or an alias to one, \
             not a list"
        );
        assert_eq!(
            error("l: &l [{a: 1}]\nm: {<<: [*l]}\n"),
            "2:10 every item of a list merged with `<<` must be a mapping or an alias to one, \
             not an alias to a list"
        );
    }

    #[test]
    fn the_error_stops_the_document_but_keeps_earlier_ones() {
        let (docs, err) = parse_stream("a: 1\n---\nm: {<<: 1}\n", Budget::default());
        assert_eq!(docs.len(), 1);
        assert_eq!(err.unwrap().pos.line, 3);
    }

    /// Each alias is counted with its full size when it is read, before any merge
    /// drops keys, so merging cannot make an alias bomb cheaper.
    #[test]
    fn an_alias_bomb_through_merge_keys_hits_the_budget() {
        let mut s =
            String::from("a0: &a0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x}\n");
        for i in 1..12 {
            let p = i - 1;
            let values: Vec<String> = (0..8).map(|j| format!("v{j}: *a{p}")).collect();
            s.push_str(&format!(
                "a{i}: &a{i} {{<<: [*a{p}, *a{p}], {}}}\n",
                values.join(", ")
            ));
        }
        let e = parse(&s).unwrap_err();
        assert!(e.message.contains("budget"), "{e:?}");
    }

    #[test]
    fn merges_alone_stay_small_and_within_the_alias_budget() {
        // Merging the same mapping again and again adds no keys.
        let mut s = String::from("a0: &a0 {k: x}\n");
        for i in 1..200 {
            let p = i - 1;
            s.push_str(&format!("a{i}: &a{i} {{<<: [*a{p}, *a{p}]}}\n"));
        }
        let doc = parse(&s).unwrap();
        assert_eq!(entries(doc.root.get("a199").unwrap()), ["k=x@1"]);
    }
}
