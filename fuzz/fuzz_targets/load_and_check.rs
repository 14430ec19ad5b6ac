//! Arbitrary bytes through everything a file goes through: reading (UTF-8,
//! byte order mark, template rendering, YAML), the model, scope resolution,
//! every lint rule, and every output format of the findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use maskscope::lint::{Settings, runner};
use maskscope::load::load_bytes;
use maskscope::output::lint as formats;
use maskscope::output::report;
use maskscope::resolve::resolve_all;
use maskscope::template::{Renderer, Vars};
use std::sync::OnceLock;

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| {
        let mut vars = Vars::default();
        vars.set_pairs(&["image=ghcr.io/navikt/app:1".into(), "team=team-a".into()])
            .expect("valid pairs");
        Renderer::new(&vars)
    })
}

fuzz_target!(|data: &[u8]| {
    let file = load_bytes("fuzz.yaml", Ok(data.to_vec()), renderer());
    if let Some(err) = &file.error {
        let _ = report::input_error(err, &file.source, false);
    }
    let _ = resolve_all(&file.manifests, "nav");
    let settings = Settings {
        on_prem: true,
        cluster: Some("prod-fss".into()),
        ..Settings::default()
    };
    let outcome = runner::run_file(file, &runner::defaults(), &settings, Vec::new());
    let _ = formats::human::render_all(&outcome, true);
    let _ = formats::json::render(&outcome);
    let _ = formats::sarif::render(&outcome, std::path::Path::new("/work"));
    let _ = formats::github::render(&outcome);
});
