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
    assert!(found.deployments.len() <= 20_000, "over the deployments budget");
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
