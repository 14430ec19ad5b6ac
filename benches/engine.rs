//! Criterion benchmarks: the naming engine, and the path one file takes
//! (bytes → YAML tree → model → scopes, or → every lint rule), on a realistic manifest written by
//! `gen_corpus.py` (`testdata/bench/realistic.yaml`: an Application and a
//! Naisjob, with exposed scopes and consumers).
//!
//! `cargo bench` runs them; `cargo bench -- naming` runs a subset.

use criterion::{Criterion, criterion_group, criterion_main};
use maskscope::lint::{Settings, runner};
use maskscope::load::load_bytes;
use maskscope::naming;
use maskscope::resolve::resolve_all;
use maskscope::template::{Renderer, Vars};
use std::hint::black_box;

const REALISTIC: &str = include_str!("../testdata/bench/realistic.yaml");

fn naming_engine(c: &mut Criterion) {
    let entries = [
        ("arbeid", "some.scope.read", None),
        ("arbeid", "some/scope.read", None),
        ("helse", "sykepenger/afp.write", Some("/")),
        ("kartverket", "eiendom", Some(".")),
    ];
    c.bench_function("naming/resolve 4 entries", |b| {
        b.iter(|| {
            for (product, name, sep) in entries {
                black_box(naming::resolve(
                    "nav",
                    black_box(product),
                    black_box(name),
                    sep,
                ));
            }
        })
    });
    c.bench_function("naming/split", |b| {
        b.iter(|| naming::split(black_box("nav:helse/sykepenger/afp.write")))
    });
}

fn per_file(c: &mut Criterion) {
    let renderer = Renderer::new(&Vars::default());
    let bytes = REALISTIC.as_bytes();
    let active = runner::every();
    let settings = Settings::default();
    c.bench_function("file/load (read, parse, model)", |b| {
        b.iter(|| load_bytes("realistic.yaml", Ok(black_box(bytes).to_vec()), &renderer))
    });
    c.bench_function("file/load+resolve", |b| {
        b.iter(|| {
            let file = load_bytes("realistic.yaml", Ok(black_box(bytes).to_vec()), &renderer);
            black_box(resolve_all(&file.manifests, "nav").0.len())
        })
    });
    c.bench_function("file/load+lint (every rule)", |b| {
        b.iter(|| {
            let file = load_bytes("realistic.yaml", Ok(black_box(bytes).to_vec()), &renderer);
            let outcome = runner::run_file(file, &active, &settings, Vec::new());
            black_box(outcome.diagnostics.len())
        })
    });
}

criterion_group!(benches, naming_engine, per_file);
criterion_main!(benches);
