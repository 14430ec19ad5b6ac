//! Arbitrary bytes through everything a file goes through: reading (UTF-8,
//! byte order mark, template rendering, YAML), the model, scope resolution,
//! every lint rule, and every output format of the findings.
//!
//! Input: `VARS \0 FILE \0 WORKFLOW`. The bytes before the first NUL byte
//! are the text of a vars file (YAML, as `--vars` reads it), the bytes after
//! it are the file to check, up to a second NUL byte; after that comes a
//! GitHub Actions workflow, read by the deployment reader (its budgets, its
//! expressions, its matrices), whose warnings are escaped as every output
//! escapes them. Without a NUL byte the whole input is the file, rendered
//! with a few fixed variables. A vars file that cannot be read falls back to
//! those.
//!
//! Besides not panicking, one invariant is checked: for a rendered template,
//! every diagnostic's span lies within the template as written (line and
//! column at least 1, byte offsets within the text and on character
//! boundaries), since positions refer to the file, not to its rendering.
//!
//! With `MASKSCOPE_ORACLE` set to a built `naisdeploy-oracle` (see
//! `fuzz/README.md`), each input is also rendered and decoded by the oracle,
//! built from the libraries nais deploy pins, and maskscope must agree with
//! it: the same rendered text, the same documents, the same stage of failure.
#![no_main]

use libfuzzer_sys::fuzz_target;
use maskscope::lint::{Settings, runner};
use maskscope::load::load_bytes;
use maskscope::output::lint as formats;
use maskscope::output::report;
use maskscope::resolve::resolve_all;
use maskscope::source::InputErrorKind;
use maskscope::template::{Renderer, Vars};
use maskscope::yaml::Pos;
use std::sync::OnceLock;

fn fixed_vars() -> Vars {
    let mut vars = Vars::default();
    vars.set_pairs(&["image=ghcr.io/navikt/app:1".into(), "team=team-a".into()])
        .expect("valid pairs");
    vars
}

fn fixed_renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| Renderer::new(&fixed_vars()))
}

fn check_pos(text: &str, pos: Pos, what: &str, rule: &str) {
    let offset = pos.offset as usize;
    assert!(
        pos.line >= 1 && pos.column >= 1,
        "{rule}: {what} at line {} column {}",
        pos.line,
        pos.column
    );
    assert!(
        offset <= text.len(),
        "{rule}: {what} offset {offset} past the end of the template ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(offset),
        "{rule}: {what} offset {offset} inside a character of the template"
    );
}

/// The deployments a workflow makes: no panic, and each warning, escaped as
/// outputs escape it, is one line without control characters.
fn read_workflow(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let clusters = std::collections::BTreeMap::new();
    let found = maskscope::deploy::workflow::deployments(
        &[(".github/workflows/fuzz.yml".to_owned(), text)],
        &clusters,
    );
    for w in &found.warnings {
        let shown = maskscope::output::escape::text(&w.to_string()).into_owned();
        assert!(
            !shown.chars().any(maskscope::output::escape::is_special),
            "a control character in an escaped warning: {shown:?}"
        );
    }
    assert!(
        found.deployments.len() <= 20_000,
        "over the deployments budget"
    );
}

/// What the deploy makes of a file: the rendered text and the documents
/// (`None`: it cannot decode them), or the stage at which it fails.
#[derive(Debug, PartialEq)]
enum Outcome {
    Sent(String, Option<serde_json::Value>),
    ParseFails,
    ExecFails,
    VarsFail,
}

fn oracle() -> Option<&'static std::path::Path> {
    static ORACLE: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    ORACLE
        .get_or_init(|| std::env::var_os("MASKSCOPE_ORACLE").map(Into::into))
        .as_deref()
}

/// Numbers compared as the float64 both ends hold.
fn normalize(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap_or(f64::NAN))
            .map_or(Value::Null, Value::Number),
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        v => v,
    }
}

/// Whether Go's random order of a mapping's keys may decide the output:
/// an `each` in the template and a mapping of two keys or more in the vars
/// (the vars themselves when the template may iterate over them).
fn order_may_vary(template: &str, vars: &Vars) -> bool {
    let over_root = ["each .", "each this", "each @root", "each ..", "each ./"]
        .iter()
        .any(|e| template.contains(e));
    fn has_map(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(m) => m.len() > 1 || m.values().any(has_map),
            serde_json::Value::Array(a) => a.iter().any(has_map),
            _ => false,
        }
    }
    template.contains("each") && ((over_root && vars.0.len() > 1) || vars.0.values().any(has_map))
}

/// maskscope and the oracle agree on what the deploy makes of `text` with
/// `vars_text` (a vars file) or the fixed variables.
fn differential(oracle: &std::path::Path, vars_text: Option<&str>, bytes: &[u8]) {
    use maskscope::template::{EXEC_FAILS, PARSE_FAILS};
    // The oracle reads bytes as they are; maskscope decodes byte order marks
    // and UTF-16 first.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if text.starts_with('\u{feff}') {
        return;
    }
    let dir = std::env::temp_dir().join(format!("maskscope-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let template = dir.join("t.yaml");
    std::fs::write(&template, text).expect("write the template");
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    let ours_vars = match vars_text {
        Some(v) => {
            let path = dir.join("vars.yaml");
            std::fs::write(&path, v).expect("write the vars file");
            args.extend(["--vars".into(), path.into_os_string()]);
            Vars::from_file_text("vars.yaml", v)
        }
        None => {
            args.extend(["--var".into(), "image=ghcr.io/navikt/app:1".into()]);
            args.extend(["--var".into(), "team=team-a".into()]);
            Ok(fixed_vars())
        }
    };
    let ours = match &ours_vars {
        Err(_) => Outcome::VarsFail,
        Ok(vars) if order_may_vary(text, vars) => return,
        Ok(vars) => match maskscope::render::as_deployed("t.yaml", text, vars) {
            Ok(sent) => Outcome::Sent(
                sent.text,
                sent.documents
                    .ok()
                    .map(|d| normalize(serde_json::Value::Array(d))),
            ),
            Err(e) if e.message.starts_with(PARSE_FAILS) => Outcome::ParseFails,
            Err(e) if e.message.starts_with(EXEC_FAILS) => Outcome::ExecFails,
            // A budget of maskscope's: nothing to compare.
            Err(_) => return,
        },
    };
    let run = |mode: &str| {
        let out = std::process::Command::new(oracle)
            .arg(mode)
            .args(&args)
            .arg(&template)
            .output()
            .expect("run the oracle");
        (out.status.code(), out.stdout)
    };
    let theirs = match run("render") {
        (Some(0), text) => {
            let documents = match run("send") {
                (Some(0), json) => Some(normalize(
                    serde_json::from_slice(&json).expect("the oracle's JSON"),
                )),
                (Some(5), _) => None,
                other => panic!("the oracle's send: {other:?}"),
            };
            Outcome::Sent(String::from_utf8_lossy(&text).into_owned(), documents)
        }
        (Some(3), _) => Outcome::ParseFails,
        (Some(4), _) => Outcome::ExecFails,
        (Some(6), _) => Outcome::VarsFail,
        // The oracle crashed (raymond panics on some inputs): the deploy
        // fails, and so must maskscope's rendering.
        _ => {
            assert!(
                !matches!(ours, Outcome::Sent(..)),
                "nais deploy crashes on this input, maskscope renders it"
            );
            return;
        }
    };
    assert_eq!(ours, theirs, "maskscope and nais deploy differ");
}

fuzz_target!(|data: &[u8]| {
    let (vars_text, bytes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (Some(String::from_utf8_lossy(&data[..i])), &data[i + 1..]),
        None => (None, data),
    };
    let bytes = match bytes.iter().position(|&b| b == 0) {
        Some(i) => {
            read_workflow(&bytes[i + 1..]);
            &bytes[..i]
        }
        None => bytes,
    };
    if let Some(oracle) = oracle() {
        differential(oracle, vars_text.as_deref(), bytes);
    }
    let own;
    let renderer = match vars_text.map(|t| Vars::from_file_text("vars.yaml", &t)) {
        Some(Ok(vars)) => {
            own = Renderer::new(&vars);
            &own
        }
        Some(Err(_)) | None => fixed_renderer(),
    };

    let file = load_bytes("fuzz.yaml", Ok(bytes.to_vec()), renderer);
    if let Some(err) = &file.error {
        let _ = report::input_error(err, &file.source, false);
    }
    // The template as written (without a byte order mark), if it was rendered.
    let template = match maskscope::decode::decode(bytes) {
        Ok(text) if text.contains("{{") && file.error_of(InputErrorKind::Template).is_none() => {
            Some(text.into_owned())
        }
        _ => None,
    };

    let _ = resolve_all(&file.manifests, "nav");
    let settings = Settings {
        on_prem: true,
        cluster: Some("prod-fss".into()),
        ..Settings::default()
    };
    let outcome = runner::run_file(file, &runner::every(), &settings, Vec::new());
    if let Some(text) = &template {
        for d in &outcome.diagnostics {
            let span = d.finding.span;
            check_pos(text, span.start, "span start", d.rule);
            check_pos(text, span.end, "span end", d.rule);
        }
    }
    let _ = formats::human::render_all(&outcome, true);
    let _ = formats::json::render(&outcome);
    let _ = formats::sarif::render(&outcome, std::path::Path::new("/work"));
    let _ = formats::github::render(&outcome);
});
