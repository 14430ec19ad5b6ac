//! The real corpus: manifests from public NAV repositories, read in place from
//! `../shared/corpus/navikt` (listed in its `SOURCES.tsv`). The scopes each
//! manifest should give are derived here from the file's text with a reading
//! of its own (the exposes entries' `name`, `product` and `separator` lines)
//! and digdirator's naming rule, not taken from maskscope's output.

mod common;

use common::maskscope;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The corpus folder, as a string for the command lines.
fn corpus() -> String {
    common::corpus::path().display().to_string()
}

/// One row of `SOURCES.tsv`.
struct Source {
    /// The file, relative to the crate root.
    file: String,
    kind: String,
    has_exposes: bool,
    /// For a vars file: the manifest it renders, relative to the crate root.
    vars_for: Option<String>,
}

fn sources() -> Vec<Source> {
    let tsv = std::fs::read_to_string(format!("{}/SOURCES.tsv", corpus())).expect("SOURCES.tsv");
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let folder = format!("{}/{}", corpus(), f[0].replace('/', "__"));
            Source {
                file: format!("{folder}/{}", f[1]),
                kind: f[3].to_owned(),
                has_exposes: f[4] == "yes",
                vars_for: f
                    .get(5)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{folder}/{v}")),
            }
        })
        .collect()
}

fn manifests() -> Vec<Source> {
    let all: Vec<Source> = sources()
        .into_iter()
        .filter(|s| s.kind == "manifest")
        .collect();
    assert!(all.len() >= 80, "the corpus lists {} manifests", all.len());
    all
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The names of the template variables a text uses (`{{ x }}`, `{{{ x }}}`),
/// blocks and their closing tags left out.
fn variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{{") {
        let tag = text[i..].trim_start_matches('{').trim_start();
        if tag.starts_with(['#', '/', '!', '^', '>']) || tag.starts_with("else") {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '}')
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// An exposes entry as its lines give it: the line of its `- `, `name`,
/// `product` and `separator`.
type LineEntry = (usize, String, String, Option<String>);

/// A corpus file, extra arguments (paths relative to the corpus), and the
/// scopes expected with their lines.
type Case<'a> = (&'a str, &'a [&'a str], &'a [(u64, &'a str)]);

/// The exposes entries of a manifest, read line by line: for each, the line of
/// its `- ` and its `name`, `product` and `separator` values. `None` when an
/// exposes list holds template expressions, whose entries depend on variables.
fn entries_by_lines(text: &str) -> Option<Vec<LineEntry>> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let value = |l: &str| {
        let v = l.split_once(':').map_or("", |(_, v)| v).trim();
        let v = v.split(" #").next().unwrap_or(v).trim();
        v.trim_matches(|c| c == '"' || c == '\'').to_owned()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim() != "exposes:" {
            i += 1;
            continue;
        }
        let base = indent(l);
        let mut j = i + 1;
        let mut dash = None;
        let mut current: Option<LineEntry> = None;
        while j < lines.len() {
            let line = lines[j];
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                j += 1;
                continue;
            }
            if indent(line) <= base && !t.starts_with("- ") || indent(line) < base {
                break;
            }
            if t.contains("{{") {
                return None;
            }
            let d = *dash.get_or_insert(indent(line));
            let (keyed, key_indent) = if indent(line) == d && t.starts_with("- ") {
                out.extend(current.take());
                current = Some((j + 1, String::new(), String::new(), None));
                (t.trim_start_matches("- ").trim_start(), d + 2)
            } else {
                (t, indent(line))
            };
            if key_indent == d + 2
                && let Some(entry) = current.as_mut()
            {
                let v = value(keyed);
                match keyed.split(':').next().unwrap_or("").trim() {
                    "name" => entry.1 = v,
                    "product" => entry.2 = v,
                    "separator" => entry.3 = Some(v),
                    _ => {}
                }
            }
            j += 1;
        }
        out.extend(current.take());
        i = j;
    }
    Some(out)
}

/// digdirator's rule (domain.md, `Subscope`): the separator if set, else `/`
/// when the name has one, else `:`.
fn scope_of(product: &str, name: &str, separator: Option<&str>) -> String {
    let sep = match separator.filter(|s| !s.is_empty()) {
        Some(s) => s,
        None if name.contains('/') => "/",
        None => ":",
    };
    format!("nav:{product}{sep}{name}")
}

fn resolve_json(args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = vec!["resolve", "--format", "json"];
    all.extend(args);
    let r = maskscope(&root(), all, None);
    let rows = serde_json::from_str::<Value>(&r.stdout)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    (r.code, rows, r.stderr)
}

#[test]
fn every_manifest_resolves_without_variables_to_the_scopes_its_lines_give() {
    corpus_or_skip!();
    let mut compared = 0;
    for m in manifests() {
        let text = std::fs::read_to_string(root().join(&m.file)).unwrap();
        let (code, rows, stderr) = resolve_json(&[&m.file]);
        assert_eq!(code, 0, "{}: {stderr}", m.file);
        let Some(expected) = entries_by_lines(&text) else {
            // Entries from a template block: every row says what it lacks.
            assert!(
                rows.iter()
                    .all(|r| r["unresolved_vars"] != Value::Array(vec![])),
                "{}",
                m.file
            );
            continue;
        };
        let want: Vec<(u64, String)> = expected
            .iter()
            .map(|(line, name, product, sep)| {
                (*line as u64, scope_of(product, name, sep.as_deref()))
            })
            .collect();
        let got: Vec<(u64, String)> = rows
            .iter()
            .map(|r| {
                (
                    r["line"].as_u64().unwrap(),
                    r["scope"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(got, want, "{}", m.file);
        assert_eq!(!rows.is_empty(), m.has_exposes, "{}: has_exposes", m.file);
        compared += 1;
    }
    assert!(compared >= 75, "only {compared} manifests compared");
}

/// A sample checked by hand against the files and the naming rule.
#[test]
fn a_sample_by_hand() {
    corpus_or_skip!();
    let cases: [Case; 3] = [
        (
            "navikt__aareg-dist-api/.nais/prod.yaml",
            &[],
            &[(96, "nav:aareg/v1/arbeidsforhold")],
        ),
        (
            "navikt__yrkesskade-ekstern-gateway/.nais/nais.yaml",
            &[
                "--vars",
                "navikt__yrkesskade-ekstern-gateway/.nais/prod/vars.yaml",
            ],
            &[
                (31, "nav:yrkesskade:skademelding.write"),
                (40, "nav:yrkesskade:kodeverk.read"),
            ],
        ),
        (
            "navikt__helse-spapi/.nais/application.yml",
            &[
                "--vars",
                "navikt__helse-spapi/src/main/resources/prod-nais.json",
            ],
            &[
                (41, "nav:sykepenger:fellesordningenforafp.read"),
                (41, "nav:sykepenger:avtalefestetpensjon.read"),
                (50, "nav:sykepenger/delegertavtalefestetpensjon.read"),
            ],
        ),
    ];
    for (file, extra, want) in cases {
        let file = format!("{}/{file}", corpus());
        let extra: Vec<String> = extra
            .iter()
            .map(|a| {
                if a.starts_with("--") {
                    a.to_string()
                } else {
                    format!("{}/{a}", corpus())
                }
            })
            .collect();
        let mut args: Vec<&str> = extra.iter().map(String::as_str).collect();
        args.push(&file);
        let (code, rows, stderr) = resolve_json(&args);
        assert_eq!(code, 0, "{file}: {stderr}");
        let got: Vec<(u64, &str)> = rows
            .iter()
            .map(|r| (r["line"].as_u64().unwrap(), r["scope"].as_str().unwrap()))
            .collect();
        assert_eq!(got, want, "{file}");
    }
    // Without its vars file, helse-spapi's entries come from `{{#each apis}}`
    // over nothing: none is known, and stderr names the variable and its line.
    let (code, rows, stderr) = resolve_json(&[&format!(
        "{}/navikt__helse-spapi/.nais/application.yml",
        corpus()
    )]);
    assert_eq!((code, rows.len()), (0, 0));
    assert!(
        stderr.contains("application.yml:40:9: template variable `apis` has no value, and spec.maskinporten depends on it"),
        "{stderr}"
    );
}

/// The templated manifests with their vars files: every entry is known, and
/// each stands at the template line where an entry starts.
#[test]
fn templates_with_their_vars_files_give_template_lines() {
    corpus_or_skip!();
    let pairs: Vec<Source> = sources()
        .into_iter()
        .filter(|s| s.vars_for.is_some())
        .collect();
    assert!(pairs.len() >= 10, "{} vars files", pairs.len());
    for vars in pairs {
        let manifest = vars.vars_for.clone().unwrap();
        let text = std::fs::read_to_string(root().join(&manifest)).unwrap();
        let (code, rows, stderr) = resolve_json(&["--vars", &vars.file, &manifest]);
        assert_eq!(code, 0, "{manifest} with {}: {stderr}", vars.file);
        for r in &rows {
            assert_eq!(
                r["unresolved_vars"],
                Value::Array(vec![]),
                "{manifest}: {r}"
            );
            let line = r["line"].as_u64().unwrap() as usize;
            let at = text.lines().nth(line - 1).unwrap_or("");
            assert!(
                at.trim_start().starts_with("- "),
                "{manifest}:{line} is `{at}`"
            );
        }
        // Where the entries are literal text, the vars file changes nothing.
        if let Some(expected) = entries_by_lines(&text) {
            let want: Vec<(u64, String)> = expected
                .iter()
                .map(|(l, n, p, s)| (*l as u64, scope_of(p, n, s.as_deref())))
                .collect();
            let got: Vec<(u64, String)> = rows
                .iter()
                .map(|r| {
                    (
                        r["line"].as_u64().unwrap(),
                        r["scope"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{manifest} with {}", vars.file);
        }
    }
}

/// The files that use no variable but `image`, which every deploy supplies:
/// no error, no warning about variables, each linted on its own.
#[test]
fn lint_without_variables_finds_no_error_where_only_image_is_used() {
    corpus_or_skip!();
    let mut checked = 0;
    for m in manifests() {
        let text = std::fs::read_to_string(root().join(&m.file)).unwrap();
        let vars = variables(&text);
        if vars.iter().any(|v| v != "image") {
            continue;
        }
        let r = maskscope(&root(), ["lint", "--format", "json", &m.file], None);
        let v: Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{}: {}", m.file, r.stderr));
        let errors: Vec<&Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error" || d["rule"] == "missing-variable")
            .collect();
        // Some files really have a mistake: `scopes` written as a list, and a
        // consumed scope written with the wrong separator.
        let mistake = if m
            .file
            .ends_with("navikt__digdirator-maskinporten/.nais/gcp/naiserator-gcp.yml")
        {
            Some("wrong-type")
        } else if m
            .file
            .contains("navikt__lps-oppfolgingsplan-mottak/.nais/naiserator-")
        {
            Some("unknown-consumed-scope")
        } else {
            None
        };
        if let Some(rule) = mistake {
            assert_eq!(errors.len(), 1, "{}: {errors:?}", m.file);
            assert_eq!(errors[0]["rule"], rule);
        } else {
            assert!(errors.is_empty(), "{}: {errors:?}", m.file);
        }
        checked += 1;
    }
    assert!(
        checked >= 70,
        "only {checked} files use no variable but image"
    );
}

fn human_lint(args: &[&str]) -> String {
    let r = maskscope(&root(), args, None);
    assert_ne!(r.code, 2, "{}", r.stderr);
    r.stdout
}

/// Two templates with `{{#each}}` blocks: the reports show the template's
/// own lines, at the template's line numbers.
#[test]
fn human_reports_of_templates_with_each_show_template_lines() {
    corpus_or_skip!();
    let spapi = format!("{}/navikt__helse-spapi/.nais/application.yml", corpus());
    insta::assert_snapshot!(
        "helse_spapi_without_vars",
        human_lint(&["lint", "--select", "unrendered-template", &spapi])
    );
    let datadeling = format!("{}/navikt__dp-datadeling/.nais", corpus());
    insta::assert_snapshot!(
        "dp_datadeling_with_prod_vars",
        human_lint(&[
            "lint",
            "--select",
            "implicit-separator",
            "--vars",
            &format!("{datadeling}/vars-prod.yaml"),
            &format!("{datadeling}/nais.yaml"),
        ])
    );
}

#[test]
fn the_line_reader_reads_entries() {
    corpus_or_skip!();
    let text = "spec:\n  maskinporten:\n    scopes:\n      exposes:\n        - name: \"a.read\"  # c\n          product: p\n          consumers:\n            - name: x\n              orgno: \"1\"\n        - product: q\n          name: b/c\n          separator: ':'\n  other: 1\n";
    assert_eq!(
        entries_by_lines(text).unwrap(),
        [
            (5, "a.read".into(), "p".into(), None),
            (10, "b/c".into(), "q".into(), Some(":".into()))
        ]
    );
    assert_eq!(
        variables("{{ image }} {{{ x.y }}} {{#each a}}{{/each}}"),
        ["image", "x.y"]
    );
    assert!(Path::new(&corpus()).is_dir());
}

/// Rules by how many findings `lint --var image=x ARGS` gives on the whole corpus.
fn corpus_counts(args: &[&str]) -> std::collections::BTreeMap<String, usize> {
    let mut all = vec!["lint", "--format", "json", "--var", "image=x"];
    all.extend(args);
    all.push(".");
    let r = maskscope(&root().join(corpus()), all, None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{}", r.stderr));
    let mut counts = std::collections::BTreeMap::new();
    for d in v["diagnostics"].as_array().unwrap() {
        *counts
            .entry(d["rule"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    counts
}

/// The scopes of the corpus have been registered for years: by default, no
/// notice asks to rename them or to set a separator, and no on-premises
/// manifest is told to set `webproxy`, which today's platform does not need.
#[test]
fn the_default_rules_give_no_notices_about_registered_scopes_on_the_corpus() {
    corpus_or_skip!();
    const OFF: [&str; 3] = [
        "implicit-separator",
        "missing-access-suffix",
        "webproxy-required",
    ];
    for args in [&[][..], &["--cluster", "prod-fss"][..]] {
        let counts = corpus_counts(args);
        for id in OFF {
            assert!(!counts.contains_key(id), "{args:?}: {counts:?}");
        }
    }
    // Still there when chosen.
    let chosen = corpus_counts(&[
        "--select",
        "implicit-separator",
        "--select",
        "missing-access-suffix",
        "--select",
        "webproxy-required",
        "--cluster",
        "prod-fss",
    ]);
    for id in OFF {
        assert!(chosen.get(id).is_some_and(|&n| n > 0), "{id}: {chosen:?}");
    }
}

/// `(rule, line, message)` of `lint --var image=x --select RULE FILES` run in the corpus.
fn corpus_findings(rule: &str, files: &[&str]) -> Vec<(String, u64, String)> {
    let mut all = vec![
        "lint", "--format", "json", "--var", "image=x", "--select", rule,
    ];
    all.extend(files);
    let r = maskscope(&root().join(corpus()), all, None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{}", r.stderr));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// sokos-ske-krav's dev manifest is the nais docs' example: product `arbeid`
/// with name `scope.read`, consumer `KST` with orgno `123456789`, and
/// `skatt:scope.read` consumed. The paw manifests use `arbeid` for real.
#[test]
fn the_docs_example_in_sokos_ske_krav_is_found_and_paw_passes() {
    corpus_or_skip!();
    let file = "navikt__sokos-ske-krav/.nais/naiserator-dev.yml";
    let found = corpus_findings("docs-placeholder", &[file]);
    let lines: Vec<u64> = found.iter().map(|(_, l, _)| *l).collect();
    assert_eq!(lines, [39, 46, 48], "{found:?}");
    assert!(found[0].2.contains("\"skatt:scope.read\""), "{found:?}");
    assert!(found[1].2.contains("\"123456789\""), "{found:?}");
    assert!(
        found[2].2.contains("\"arbeid\" with name \"scope.read\""),
        "{found:?}"
    );
    let paw: Vec<String> = std::fs::read_dir(root().join(corpus()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("navikt__paw-"))
        .collect();
    assert!(!paw.is_empty());
    let paw: Vec<&str> = paw.iter().map(String::as_str).collect();
    assert_eq!(corpus_findings("docs-placeholder", &paw), []);
    // The whole corpus: only that file.
    let all = corpus_findings("docs-placeholder", &["."]);
    assert!(all.iter().all(|(f, _, _)| f.ends_with(file)), "{all:?}");
}

/// lps-oppfolgingsplan-mottak exposes `nav:oppfolgingsplan:v1.lps.write` and
/// consumes `nav:oppfolgingsplan.v1.lps.write`, in both of its manifests.
#[test]
fn the_consumed_scope_of_lps_oppfolgingsplan_mottak_names_the_exposed_one() {
    corpus_or_skip!();
    let found = corpus_findings(
        "unknown-consumed-scope",
        &["navikt__lps-oppfolgingsplan-mottak"],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    for (file, line, message) in &found {
        assert_eq!(*line, 25, "{file}");
        assert!(
            message.contains("consumes \"nav:oppfolgingsplan.v1.lps.write\"")
                && message.contains("\"nav:oppfolgingsplan:v1.lps.write\"")
                && message.contains("only in separators"),
            "{message}"
        );
        // The scope meant is the one the same file exposes.
        assert!(message.contains(&format!("({file}:")), "{message}");
    }
    let all = corpus_findings("unknown-consumed-scope", &["."]);
    assert_eq!(all.len(), 2, "{all:?}");
}

/// No manifest of the corpus declares its kind under the wrong apiVersion; a
/// corpus Naisjob copied with the Application's apiVersion is reported at it.
#[test]
fn the_corpus_has_no_wrong_api_version_and_a_misversioned_naisjob_is_found() {
    corpus_or_skip!();
    assert_eq!(corpus_findings("wrong-api-version", &["."]), []);
    let file = "navikt__esyfovarsel/nais/job-trigger-prod.yaml";
    let text = std::fs::read_to_string(root().join(corpus()).join(file)).unwrap();
    assert!(text.starts_with("apiVersion: nais.io/v1\n"));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("job.yaml");
    std::fs::write(&copy, text.replacen("nais.io/v1", "nais.io/v1alpha1", 1)).unwrap();
    let r = maskscope(dir.path(), ["lint", "--format", "json", "job.yaml"], None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let rules: Vec<(&str, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(rules, [("wrong-api-version", 1)], "{}", r.stdout);
    assert_eq!(r.code, 1);
}

/// `pensjonssimulator` and `pensjonssimulator-q1` both deploy to dev-gcp with
/// the same maskinporten block, on purpose: four scopes (the exposes entries
/// at lines 61, 79, 88 and 104 of deploy-dev.yml) shared, each reported once,
/// and no error.
#[test]
fn the_twin_pensjonssimulator_apps_share_their_scopes_without_error() {
    corpus_or_skip!();
    let dir = root()
        .join(corpus())
        .join("navikt__pensjonssimulator/.nais");
    let block = |file: &str| {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let from = text.find("\n  maskinporten:").unwrap();
        let to = text.find("\n  accessPolicy:").unwrap();
        text[from..to].to_owned()
    };
    assert_eq!(block("deploy-dev.yml"), block("deploy-q1.yml"));

    let r = maskscope(
        &root().join(corpus()),
        ["lint", "--format", "json", "navikt__pensjonssimulator"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let dev = "navikt__pensjonssimulator/.nais/deploy-dev.yml";
    let expected: Vec<(String, String, u64)> = [61, 79, 88, 104]
        .into_iter()
        .map(|line| ("shared-scope".to_owned(), dev.to_owned(), line))
        .collect();
    assert_eq!(found, expected);
    let first = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        first.contains("of pensjonskalkulator/pensjonssimulator is also exposed by pensjonskalkulator/pensjonssimulator-q1 (navikt__pensjonssimulator/.nais/deploy-q1.yml:61) in Maskinporten's test environment with the same entry"),
        "{first}"
    );
}

/// This test binary run again without the corpus: the corpus tests are
/// skipped with a note when `CI` is not set, and fail when it is.
#[test]
fn without_the_corpus_the_tests_are_skipped_except_in_ci() {
    let me = std::env::current_exe().unwrap();
    let run = |ci: Option<&str>| {
        let mut cmd = std::process::Command::new(&me);
        cmd.args(["--exact", "the_line_reader_reads_entries", "--nocapture"])
            .env("MASKSCOPE_TEST_CORPUS", "/nonexistent/corpus")
            .env_remove("CI");
        if let Some(v) = ci {
            cmd.env("CI", v);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (ok, text) = run(None);
    assert!(ok, "{text}");
    assert!(
        text.contains("skipped: the corpus /nonexistent/corpus is absent"),
        "{text}"
    );
    assert!(text.contains("1 passed"), "{text}");
    let (ok, text) = run(Some("true"));
    assert!(!ok, "{text}");
    assert!(
        text.contains("the corpus /nonexistent/corpus is missing: CI requires it"),
        "{text}"
    );
}
