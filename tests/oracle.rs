//! maskscope renders and decodes manifests as nais deploy does, checked
//! against `naisdeploy-oracle`, built from the very libraries nais deploy
//! pins (raymond, ghodss/yaml, yaml.v2; `../shared/tools/nais-deploy-oracle`).
//! Both render and decode the real corpus (each template with each of its
//! vars files, with an image only, and with nothing), every template and
//! vars file under `testdata/`, raymond's own test vectors and 10,000
//! generated templates; any difference fails with the first place they part.
//! maskscope's side is `maskscope render --format json`, except for the
//! generated templates and the vectors, which go through the library.
//!
//! Without a Go toolchain the oracle cannot be built: the tests then say so
//! and pass, unless `CI` is set, where the oracle is required.

mod common;

use maskscope::render::as_deployed;
use maskscope::template::{EXEC_FAILS, PARSE_FAILS, Renderer, Vars};
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ORACLE_DIR: &str = "../shared/tools/nais-deploy-oracle";
const CORPUS: &str = "../shared/corpus/navikt";

/// The oracle binary, built once into the target folder; `None` (with a
/// message) when it cannot be built outside CI.
fn oracle() -> Option<&'static Path> {
    static ORACLE: OnceLock<Option<PathBuf>> = OnceLock::new();
    ORACLE
        .get_or_init(|| {
            let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .expect("target folder")
                .to_path_buf();
            let bin = target.join("naisdeploy-oracle");
            if bin.exists() {
                return Some(bin);
            }
            let built = Command::new(Path::new(ORACLE_DIR).join("build.sh"))
                .arg(&bin)
                .output();
            match built {
                Ok(out) if out.status.success() && bin.exists() => Some(bin),
                other => {
                    let why = match other {
                        Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                        Err(e) => e.to_string(),
                    };
                    if std::env::var_os("CI").is_some() {
                        panic!("CI needs the nais deploy oracle, and it cannot be built: {why}");
                    }
                    eprintln!(
                        "SKIPPED: the nais deploy oracle cannot be built (install Go: apt-get install -y golang-go): {why}"
                    );
                    None
                }
            }
        })
        .as_deref()
}

/// What the deploy makes of a file: the rendered text and the documents
/// sent, or the stage at which it fails.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Sent {
        text: String,
        documents: Result<Value, ()>,
    },
    ParseFails,
    ExecFails,
    VarsFail,
}

/// One input: a template, a vars file, an image.
#[derive(Debug, Clone)]
struct Case {
    template: PathBuf,
    vars: Option<PathBuf>,
    image: Option<String>,
}

impl Case {
    fn describe(&self) -> String {
        format!(
            "{} with {}{}",
            self.template.display(),
            self.vars
                .as_ref()
                .map_or("no vars file".into(), |v| v.display().to_string()),
            self.image
                .as_ref()
                .map_or(String::new(), |i| format!(" and image {i}"))
        )
    }
}

fn run_oracle(bin: &Path, mode: &str, case: &Case) -> (i32, Vec<u8>) {
    let mut cmd = Command::new(bin);
    cmd.arg(mode);
    if let Some(v) = &case.vars {
        cmd.arg("--vars").arg(v);
    }
    if let Some(i) = &case.image {
        cmd.arg("--image").arg(i);
    }
    cmd.arg(&case.template);
    let out = cmd.output().expect("run the oracle");
    (out.status.code().expect("exit code"), out.stdout)
}

fn theirs(bin: &Path, case: &Case) -> Outcome {
    let (code, text) = run_oracle(bin, "render", case);
    match code {
        0 => {}
        3 => return Outcome::ParseFails,
        4 => return Outcome::ExecFails,
        6 => return Outcome::VarsFail,
        c => panic!("oracle exit {c} on {}", case.describe()),
    }
    let (code, json) = run_oracle(bin, "send", case);
    let documents = match code {
        0 => Ok(normalize(
            serde_json::from_slice(&json).expect("oracle JSON"),
        )),
        5 => Err(()),
        c => panic!("oracle send exit {c} on {}", case.describe()),
    };
    Outcome::Sent {
        text: String::from_utf8(text).expect("UTF-8 rendering"),
        documents,
    }
}

/// maskscope's view through the binary: `maskscope render --format json`.
fn ours_binary(case: &Case) -> Outcome {
    let mut args: Vec<String> = vec!["render".into(), "--format".into(), "json".into()];
    if let Some(v) = &case.vars {
        args.extend(["--vars".into(), v.display().to_string()]);
    }
    if let Some(i) = &case.image {
        args.extend(["--var".into(), format!("image={i}")]);
    }
    args.push(case.template.display().to_string());
    let r = common::maskscope(Path::new("."), &args, None);
    if r.code == 2 && case.vars.is_some() && r.stderr.contains("vars file") {
        return Outcome::VarsFail;
    }
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}: {}{}", case.describe(), r.stdout, r.stderr));
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(1),
        "{}: {v}",
        case.describe()
    );
    let one = &v[0];
    let error = one["error"].as_str().unwrap_or("");
    match &one["text"] {
        Value::String(text) => Outcome::Sent {
            text: text.clone(),
            documents: match &one["documents"] {
                Value::Array(d) => Ok(normalize(Value::Array(d.clone()))),
                _ => Err(()),
            },
        },
        _ if error.contains(PARSE_FAILS) => Outcome::ParseFails,
        _ if error.contains(EXEC_FAILS) => Outcome::ExecFails,
        _ => panic!("{}: {v}", case.describe()),
    }
}

fn ours(case: &Case) -> Outcome {
    let mut vars = Vars::default();
    if let Some(v) = &case.vars {
        let text = std::fs::read_to_string(v).expect("vars file");
        match Vars::from_file_text(&v.display().to_string(), &text) {
            Ok(v) => vars = v,
            Err(_) => return Outcome::VarsFail,
        }
    }
    if let Some(i) = &case.image {
        vars.set_pairs(&[format!("image={i}")]).unwrap();
    }
    let text = std::fs::read_to_string(&case.template).expect("template");
    match as_deployed("t", &text, &vars) {
        Ok(sent) => Outcome::Sent {
            text: sent.text,
            documents: sent
                .documents
                .map(|d| normalize(Value::Array(d)))
                .map_err(|_| ()),
        },
        Err(e) if e.message.starts_with(PARSE_FAILS) => Outcome::ParseFails,
        Err(e) if e.message.starts_with(EXEC_FAILS) => Outcome::ExecFails,
        Err(e) => panic!("{}: {e}", case.describe()),
    }
}

/// Numbers compared as the float64 both ends hold, to 15 significant digits
/// (serde_json reads the oracle's shortest digits of a large float to the
/// nearest value or one next to it).
fn normalize(v: Value) -> Value {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            let f: f64 = format!("{f:.14e}").parse().unwrap_or(f);
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        v => v,
    }
}

/// Where two renderings first part: the line, with both versions.
fn first_difference(ours: &str, theirs: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        ours.split_inclusive('\n').collect(),
        theirs.split_inclusive('\n').collect(),
    );
    let i = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    format!(
        "rendered line {}:\n  maskscope: {:?}\n  nais deploy: {:?}",
        i + 1,
        a.get(i).copied().unwrap_or("<end>"),
        b.get(i).copied().unwrap_or("<end>")
    )
}

/// The first JSON path at which two values differ.
fn json_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = json_difference(&p, u, v) {
                            return Some(d);
                        }
                    }
                    (u, v) => return Some(format!("{p}: maskscope {u:?}, nais deploy {v:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| json_difference(&format!("{path}[{i}]"), u, v)),
        _ if a == b => None,
        _ => Some(format!("{path}: maskscope {a}, nais deploy {b}")),
    }
}

fn difference(case: &Case, ours: &Outcome, theirs: &Outcome) -> Option<String> {
    if ours == theirs {
        return None;
    }
    let why = match (ours, theirs) {
        (
            Outcome::Sent {
                text: a,
                documents: x,
            },
            Outcome::Sent {
                text: b,
                documents: y,
            },
        ) if a == b => match (x, y) {
            (Ok(x), Ok(y)) => json_difference("", x, y).unwrap_or_default(),
            (x, y) => format!(
                "decoding: maskscope {}, nais deploy {}",
                if x.is_ok() { "decodes" } else { "fails" },
                if y.is_ok() { "decodes" } else { "fails" }
            ),
        },
        (Outcome::Sent { text: a, .. }, Outcome::Sent { text: b, .. }) => first_difference(a, b),
        (a, b) => format!("maskscope {}, nais deploy {}", stage(a), stage(b)),
    };
    Some(format!("{}: {why}", case.describe()))
}

fn stage(o: &Outcome) -> &'static str {
    match o {
        Outcome::Sent { .. } => "renders",
        Outcome::ParseFails => "cannot parse",
        Outcome::ExecFails => "cannot execute",
        Outcome::VarsFail => "cannot read the vars file",
    }
}

/// Compare every case, maskscope's side from `ours`; fail with the first
/// few differences.
fn compare_all(bin: &Path, cases: &[Case], ours: fn(&Case) -> Outcome) {
    // More threads than cores: most of the time goes to starting processes.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(8)
        .build()
        .expect("a thread pool");
    let diffs: Vec<String> = pool.install(|| {
        cases
            .par_iter()
            .filter_map(|c| difference(c, &ours(c), &theirs(bin, c)))
            .collect()
    });
    assert!(
        diffs.is_empty(),
        "{} of {} cases differ from nais deploy; the first:\n{}",
        diffs.len(),
        cases.len(),
        diffs.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_corpus_renders_and_decodes_as_nais_deploy_does() {
    let Some(bin) = oracle() else { return };
    let tsv = std::fs::read_to_string(Path::new(CORPUS).join("SOURCES.tsv")).expect("corpus");
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let folder = |repo: &str| Path::new(CORPUS).join(repo.replace('/', "__"));
    let mut cases = Vec::new();
    for r in rows.iter().filter(|r| r[3] == "manifest") {
        let template = folder(r[0]).join(r[1]);
        for image in [None, Some("ghcr.io/navikt/app:1".to_owned())] {
            cases.push(Case {
                template: template.clone(),
                vars: None,
                image: image.clone(),
            });
            for v in rows
                .iter()
                .filter(|v| v[3] == "vars" && v[0] == r[0] && v.get(5) == Some(&r[1]))
            {
                cases.push(Case {
                    template: template.clone(),
                    vars: Some(folder(v[0]).join(v[1])),
                    image: image.clone(),
                });
            }
        }
    }
    assert!(cases.len() > 170, "{}", cases.len());
    compare_all(bin, &cases, ours_binary);
}

#[test]
fn testdata_renders_and_decodes_as_nais_deploy_does() {
    let Some(bin) = oracle() else { return };
    let mut files: Vec<PathBuf> = walkdir(Path::new("testdata"));
    files.retain(|f| {
        matches!(
            f.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        )
    });
    let is_template = |f: &Path| std::fs::read_to_string(f).is_ok_and(|t| t.contains("{{"));
    let is_vars = |f: &Path| {
        std::fs::read_to_string(f).is_ok_and(|t| {
            !t.contains("{{")
                && !t.contains("apiVersion")
                && Vars::from_file_text("v", &t).is_ok_and(|v| !v.0.is_empty())
        })
    };
    let vars: Vec<&PathBuf> = files.iter().filter(|f| is_vars(f)).collect();
    let mut cases = Vec::new();
    for f in &files {
        cases.push(Case {
            template: f.clone(),
            vars: None,
            image: None,
        });
        if is_template(f) {
            cases.push(Case {
                template: f.clone(),
                vars: None,
                image: Some("ghcr.io/navikt/app:1".into()),
            });
            for v in &vars {
                cases.push(Case {
                    template: f.clone(),
                    vars: Some((*v).clone()),
                    image: None,
                });
            }
        }
    }
    assert!(cases.len() > 150, "{}", cases.len());
    compare_all(bin, &cases, ours_binary);
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn raymond_vectors_render_as_raymond_does() {
    let text = std::fs::read_to_string(Path::new(ORACLE_DIR).join("raymond-vectors.json"))
        .expect("vectors");
    let vectors: Value = serde_json::from_str(&text).unwrap();
    let mut diffs = Vec::new();
    let vectors = vectors["vectors"].as_array().unwrap();
    for v in vectors {
        let template = v["template"].as_str().unwrap();
        let ours = Renderer::exact_over(v["data"].clone())
            .render("t", template)
            .map(|r| r.map_or(template.to_owned(), |r| r.text));
        let expected = &v["raymond_output"];
        let same = match (&ours, expected) {
            (Ok(a), Value::String(b)) => a == b,
            (Err(_), Value::Null) => true,
            _ => false,
        };
        if !same {
            diffs.push(format!(
                "{} / {}: {template:?}\n  maskscope: {:?}\n  raymond:   {expected}",
                v["suite"],
                v["name"],
                ours.map_err(|e| e.message)
            ));
        }
    }
    assert!(vectors.len() >= 250);
    assert!(
        diffs.is_empty(),
        "{} of {} vectors differ:\n{}",
        diffs.len(),
        vectors.len(),
        diffs.join("\n")
    );
}

/// A small deterministic generator (splitmix64): the same seed, the same
/// templates, on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The vars every generated template is rendered with (a mapping iterated
/// by `{{#each}}` has one key: Go iterates mappings in random order).
const GENERATED_VARS: &str = r#"name: app
team: "team&<x>"
image: ghcr.io/navikt/app:1
enabled: yes
zero: 0
count: 3
ratio: 1.5
empty: ""
none: null
flags: []
one: {k: v}
env: {name: dev, cluster: dev-gcp}
scopes:
  - name: vedtak.read
    consumers: ["889640782"]
    enabled: true
  - name: "sak'read"
    consumers: ["889640782", "974761076"]
  - name: tom
    consumers: []
nums: [1, 2.5, "x"]
"#;

fn tilde(r: &mut Rng) -> (&'static str, &'static str) {
    (
        if r.chance(20) { "~" } else { "" },
        if r.chance(20) { "~" } else { "" },
    )
}

fn value(r: &mut Rng, inside: bool) -> String {
    let top = [
        "name",
        "team",
        "image",
        "enabled",
        "zero",
        "count",
        "ratio",
        "empty",
        "none",
        "missing",
        "flags",
        "nums",
        "env.name",
        "env.cluster",
        "one",
        "one.k",
        "@root.name",
        "this.name",
        "scopes.0.name",
        "[name]",
        "env/name",
    ];
    let item = [
        "name",
        "this",
        ".",
        "@index",
        "@first",
        "@last",
        "@key",
        "../name",
        "../team",
        "consumers",
        "enabled",
        "missing",
        "@root.team",
        "this.name",
        "../../name",
    ];
    let path = if inside && r.chance(60) {
        r.pick(&item)
    } else {
        r.pick(&top)
    };
    let (a, b) = tilde(r);
    match r.below(12) {
        0 => format!("{{{{{a}{{{path}}}{b}}}}}"),
        1 => format!("{{{{{a}&{path}{b}}}}}"),
        2 => format!(
            "{{{{{a}lookup env \"{}\"{b}}}}}",
            r.pick(&["name", "cluster", "x"])
        ),
        3 => format!("\\{{{{{path}}}}}"),
        4 => format!("\\\\{{{{{path}}}}}"),
        5 => format!("{{{{{a}! a comment {b}}}}}"),
        6 => format!("{{{{{a}!-- a }}}} comment --{b}}}}}"),
        _ => format!("{{{{{a}{path}{b}}}}}"),
    }
}

fn line_text(r: &mut Rng, inside: bool) -> String {
    let mut s = String::new();
    match r.below(5) {
        0 => s.push_str("- "),
        1 => s.push_str("key: "),
        2 => s.push_str("- name: \""),
        _ => {}
    }
    let quoted = s.ends_with('"');
    if !quoted && r.chance(30) {
        // Scalars whose YAML 1.1 type yaml.v2 decides.
        s.push_str(r.pick(&[
            "0o17",
            "0x1F",
            "0X1f",
            "1_000",
            "010",
            "09",
            "1e3",
            ".5",
            "yes",
            "Off",
            "~",
            "null",
            "2001-12-14",
            "!!str 1",
            "!!int 1",
            "!!float 2",
            "+1",
            "-0b11",
            "1.",
            "'q'",
            "\"d\"",
            "y",
            "n",
            "-.inf",
            "0.1_5",
            "12345678901234567890",
            "!!bool yes",
        ]));
        return s;
    }
    for _ in 0..r.below(3) + 1 {
        if r.chance(50) {
            s.push_str(&value(r, inside));
        } else {
            s.push_str(r.pick(&["x", " ", "a b", ":", "#", "'", "\"", "\t", "&", "{", "}"]));
        }
    }
    if quoted {
        s.push('"');
    }
    s
}

/// A block: `each`, `if`, `unless`, `with`, a section, an inverted
/// section, with or without `else`, over values that exist or not.
fn block(r: &mut Rng, depth: usize, indent: usize, inside: bool, out: &mut String) {
    let (kind, over) = match r.below(9) {
        0 | 1 => (
            "each",
            r.pick(&[
                "scopes",
                "nums",
                "flags",
                "missing",
                "one",
                "name",
                "consumers",
                "env.missing",
            ]),
        ),
        2 | 3 => (
            "if",
            r.pick(&[
                "enabled", "zero", "empty", "missing", "scopes", "flags", "@first", "@last",
                "this", "true",
            ]),
        ),
        4 => (
            "unless",
            r.pick(&["enabled", "zero", "missing", "@last", "flags"]),
        ),
        5 => ("with", r.pick(&["env", "one", "missing", "scopes", "name"])),
        6 => (
            "#",
            r.pick(&["scopes", "env", "enabled", "missing", "consumers", "nums"]),
        ),
        7 => ("^", r.pick(&["scopes", "missing", "empty", "flags"])),
        _ => ("each", "scopes"),
    };
    let pad = " ".repeat(indent);
    let (a, b) = tilde(r);
    let (c, d) = tilde(r);
    let params = if kind == "each" && r.chance(20) {
        " as |item i|"
    } else {
        ""
    };
    let standalone = r.chance(70);
    let open = match kind {
        "#" => format!("{{{{{a}#{over}{b}}}}}"),
        "^" => format!("{{{{{a}^{over}{b}}}}}"),
        k => format!("{{{{{a}#{k} {over}{params}{b}}}}}"),
    };
    let close = match kind {
        "#" | "^" => format!("{{{{{c}/{over}{d}}}}}"),
        k => format!("{{{{{c}/{k}{d}}}}}"),
    };
    let sep = if standalone { "\n" } else { "" };
    out.push_str(&pad);
    out.push_str(&open);
    out.push_str(sep);
    let inner = indent + 2 * usize::from(r.chance(50));
    body(r, depth + 1, inner, true, out, standalone);
    if r.chance(30) {
        let (e, f) = tilde(r);
        if standalone {
            out.push_str(&pad);
        }
        match r.below(3) {
            0 => out.push_str(&format!("{{{{{e}^{f}}}}}")),
            1 if kind == "if" => out.push_str(&format!(
                "{{{{{e}else if {}{f}}}}}",
                r.pick(&["enabled", "missing", "zero"])
            )),
            _ => out.push_str(&format!("{{{{{e}else{f}}}}}")),
        }
        out.push_str(sep);
        body(r, depth + 1, indent, inside, out, standalone);
    }
    if standalone {
        out.push_str(&pad);
    }
    out.push_str(&close);
    out.push_str(sep);
    let _ = inside;
}

fn body(r: &mut Rng, depth: usize, indent: usize, inside: bool, out: &mut String, lines: bool) {
    let pad = " ".repeat(indent);
    for _ in 0..r.below(3) + 1 {
        if depth < 4 && r.chance(35) {
            block(r, depth, indent, inside, out);
        } else if lines {
            out.push_str(&pad);
            out.push_str(&line_text(r, inside));
            out.push_str(if r.chance(5) { "\r\n" } else { "\n" });
        } else {
            out.push_str(&line_text(r, inside));
        }
    }
}

fn generate(r: &mut Rng) -> String {
    let mut out = String::new();
    if r.chance(50) {
        out.push_str("apiVersion: nais.io/v1alpha1\nkind: Application\n");
    }
    body(r, 0, 0, false, &mut out, true);
    if r.chance(10) {
        out.push_str("---\n");
        body(r, 0, 0, false, &mut out, true);
    }
    if r.chance(10) {
        out.pop();
    }
    out
}

#[test]
fn generated_templates_render_and_decode_as_nais_deploy_does() {
    let Some(bin) = oracle() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oracle-generated");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let vars = dir.join("vars.yaml");
    std::fs::write(&vars, GENERATED_VARS).unwrap();
    let mut rng = Rng(0x6d61_736b_7363_6f70);
    let cases: Vec<Case> = (0..10_000)
        .map(|i| {
            let template = dir.join(format!("t{i}.yaml"));
            std::fs::write(&template, generate(&mut rng)).unwrap();
            Case {
                template,
                vars: Some(vars.clone()),
                image: None,
            }
        })
        .collect();
    // Through the library: ten thousand runs of the binary would take minutes.
    compare_all(bin, &cases, ours);
}

/// The reproduction of a real failed deploy: two nested `{{/each}}` on
/// consecutive lines leave the second entry under the first one's
/// consumers, which the deploy cannot decode.
#[test]
fn nested_each_closed_on_consecutive_lines_is_what_the_deploy_makes_of_it() {
    let Some(bin) = oracle() else { return };
    let case = Case {
        template: PathBuf::from("tests/fixtures/render/nested-each.yaml"),
        vars: Some(PathBuf::from("tests/fixtures/render/nested-each-vars.json")),
        image: None,
    };
    let theirs = theirs(bin, &case);
    assert!(
        matches!(
            &theirs,
            Outcome::Sent {
                documents: Err(()),
                ..
            }
        ),
        "{theirs:?}"
    );
    assert_eq!(difference(&case, &ours_binary(&case), &theirs), None);
}
