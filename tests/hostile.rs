//! Hostile and broken input through the binary: every command on every input
//! ends with exit 0, 1 or 2 in bounded time, never panics, names the file in
//! every error, and never writes to its inputs.
//!
//! The inputs are generated at test time into a temporary folder (some are tens
//! of megabytes). The time limit is a guard against hangs, not a performance
//! check: a command still running after [`HANG_GUARD`] is killed and fails.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const HANG_GUARD: Duration = Duration::from_secs(60);

const APP: &str = "apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: my-app
  namespace: team-a
";

/// An Application exposing `entries` (already indented list items).
fn app_exposing(entries: &str) -> String {
    format!(
        "{APP}spec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n{entries}"
    )
}

const ONE_SCOPE: &str =
    "        - name: some.scope.read\n          enabled: true\n          product: arbeid\n";

/// Legacy registrations for `migrate-check`, kept outside the inputs.
const IAC: &str = r#"[{"prefix": "nav", "subscope": "arbeid:some.scope.read", "name": "nav:arbeid:some.scope.read",
"description": "devgcp:teama:myapp.arbeid:some.scope.read", "active": true}]"#;

/// Every command, with the arguments it needs besides the inputs.
fn commands(iac: &Path) -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "resolve",
            vec!["--format".into(), "plain".into(), "--all".into()],
        ),
        ("lint", vec![]),
        (
            "migrate-check",
            vec!["--iac".into(), iac.display().to_string()],
        ),
    ]
}

/// What one command run left behind.
struct Run {
    command: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Files and folders under `root` with size and modification time, symlinks not followed.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>, bool)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let meta = std::fs::symlink_metadata(e.path()).expect("metadata");
            out.insert(
                e.path(),
                (meta.len(), meta.modified().ok(), meta.is_symlink()),
            );
            if meta.is_dir() {
                stack.push(e.path());
            }
        }
    }
    let meta = std::fs::metadata(root).expect("root metadata");
    out.insert(
        root.to_path_buf(),
        (meta.len(), meta.modified().ok(), false),
    );
    out
}

/// Run every command on `inputs` (paths relative to `dir`, or `-` with `stdin`),
/// checking the properties every run must have. `names` are what errors may name.
fn run_all(dir: &Path, inputs: &[&str], stdin: Option<Vec<u8>>, names: &[&str]) -> Vec<Run> {
    let iac_dir = tempfile::tempdir().expect("tempdir");
    let iac = iac_dir.path().join("iac.json");
    std::fs::write(&iac, IAC).expect("write iac");
    let mut runs = Vec::new();
    for (command, extra) in commands(&iac) {
        let before = snapshot(dir);
        let mut cmd = Command::cargo_bin("maskscope").expect("binary");
        cmd.current_dir(dir)
            .env("NO_COLOR", "1")
            .arg(command)
            .args(&extra)
            .args(inputs)
            .timeout(HANG_GUARD);
        if let Some(bytes) = &stdin {
            cmd.write_stdin(bytes.clone());
        }
        let started = std::time::Instant::now();
        let out = cmd.output().expect("run maskscope");
        let run = Run {
            command: format!("maskscope {command} {}", inputs.join(" ")),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let what = &run.command;
        assert!(
            started.elapsed() < HANG_GUARD && run.code.is_some(),
            "{what}: killed after {HANG_GUARD:?} (hang guard); stderr: {}",
            head(&run.stderr)
        );
        assert!(
            matches!(run.code, Some(0..=2)),
            "{what}: exit {:?}, expected 0, 1 or 2; stderr: {}",
            run.code,
            head(&run.stderr)
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{what}: panicked: {}",
            head(&run.stderr)
        );
        for line in run.stderr.lines().filter(|l| l.starts_with("error")) {
            assert!(
                names.iter().any(|n| line.contains(n)),
                "{what}: error does not name the file (one of {names:?}): {line}"
            );
        }
        // Exit 2 is an input or usage error: it must say which file. (Exit 1
        // is findings, which may be about a registration rather than a file.)
        if run.code == Some(2) {
            let all = format!("{}{}", run.stdout, run.stderr);
            assert!(
                names.iter().any(|n| all.contains(n)),
                "{what}: exit {:?} without naming the file (one of {names:?}): {}",
                run.code,
                head(&all)
            );
        }
        assert_eq!(
            before,
            snapshot(dir),
            "{what}: changed its input files or folders"
        );
        runs.push(run);
    }
    runs
}

fn head(s: &str) -> &str {
    let mut end = s.len().min(2000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Inputs up to this size are also fed through stdin; larger ones only as files,
/// to keep the suite quick (stdin and files share every step after reading).
const STDIN_TOO: usize = 1024 * 1024;

/// Write one file and run every command on it as a path (and through stdin).
fn check_file(name: &str, bytes: impl AsRef<[u8]>) -> Vec<Run> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes.as_ref()).expect("write input");
    let mut runs = run_all(dir.path(), &[name], None, &[name]);
    if bytes.as_ref().len() <= STDIN_TOO {
        runs.extend(run_all(
            dir.path(),
            &["-"],
            Some(bytes.as_ref().to_vec()),
            &["<stdin>"],
        ));
    }
    runs
}

/// The runs of one command; there must be some.
fn runs_of<'r>(runs: &'r [Run], command: &str) -> impl Iterator<Item = &'r Run> {
    let prefix = format!("maskscope {command} ");
    assert!(
        runs.iter().any(|r| r.command.starts_with(&prefix)),
        "no `{command}` run"
    );
    runs.iter().filter(move |r| r.command.starts_with(&prefix))
}

fn resolve_runs(runs: &[Run]) -> impl Iterator<Item = &Run> {
    runs_of(runs, "resolve")
}

fn lint_runs(runs: &[Run]) -> impl Iterator<Item = &Run> {
    runs_of(runs, "lint")
}

/// Assert that `lint` reported a finding of `rule` that says `why` (exit 1).
fn lint_reports(runs: &[Run], rule: &str, why: &str) {
    for r in lint_runs(runs) {
        assert_eq!(r.code, Some(1), "{}: {}", r.command, head(&r.stdout));
        let tag = format!("error[{rule}]");
        assert!(
            r.stdout.contains(&tag),
            "{}: expected {tag} in: {}",
            r.command,
            head(&r.stdout)
        );
        assert!(
            r.stdout.contains(why),
            "{}: expected {why:?} in: {}",
            r.command,
            head(&r.stdout)
        );
    }
}

/// Assert that `lint` could not check the file, and said why: exit 2, the
/// file named in the report and counted in its summary.
fn lint_cannot_check(runs: &[Run], why: &str) {
    for r in lint_runs(runs) {
        assert_eq!(r.code, Some(2), "{}: {}", r.command, head(&r.stdout));
        for expected in [": not checked: ", why, "1 could not be checked"] {
            assert!(
                r.stdout.contains(expected),
                "{}: expected {expected:?} in: {}",
                r.command,
                head(&r.stdout)
            );
        }
    }
}

/// Whether a run said `text`, on stdout or stderr.
fn said(r: &Run, text: &str) -> bool {
    r.stdout.contains(text) || r.stderr.contains(text)
}

/// Assert that `lint` found nothing wrong.
fn lint_passes(runs: &[Run]) {
    for r in lint_runs(runs) {
        assert_eq!(
            r.code,
            Some(0),
            "{}: {}{}",
            r.command,
            head(&r.stdout),
            head(&r.stderr)
        );
    }
}

/// Assert that `resolve` failed with an input error that says `why`.
fn resolve_rejects(runs: &[Run], why: &str) {
    for r in resolve_runs(runs) {
        assert_eq!(r.code, Some(2), "{}: {}", r.command, head(&r.stderr));
        assert!(
            r.stderr.contains(why),
            "{}: expected {why:?} in: {}",
            r.command,
            head(&r.stderr)
        );
    }
}

/// Assert that `resolve` succeeded and printed exactly `scopes`.
fn resolve_prints(runs: &[Run], scopes: &[&str]) {
    for r in resolve_runs(runs) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, head(&r.stderr));
        let printed: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(printed, scopes, "{}", r.command);
    }
}

/// Assert that `resolve` printed nothing and `lint` passed.
fn nothing_to_see(runs: &[Run]) {
    resolve_prints(runs, &[]);
    lint_passes(runs);
}

/// Assert that `resolve` rejected the file and `lint` reported a `yaml-syntax` error, both saying `why`.
fn not_yaml(runs: &[Run], why: &str) {
    resolve_rejects(runs, why);
    lint_reports(runs, "yaml-syntax", why);
}

#[test]
fn empty_and_comment_only_files() {
    nothing_to_see(&check_file("empty.yaml", ""));
    nothing_to_see(&check_file("comment.yaml", "# nothing here\n# at all\n"));
    nothing_to_see(&check_file("markers.yaml", "---\n...\n---\n---\n...\n"));
}

#[test]
fn latin1_text_is_not_utf8() {
    let runs = check_file("latin1.yaml", b"metadata:\n  name: s\xf8knad\n");
    resolve_rejects(&runs, "not valid UTF-8");
    lint_cannot_check(&runs, ":2:10: not checked: not valid UTF-8");
    // The position of the first bad byte: line 2, column 10.
    assert!(
        runs[0].stderr.contains("latin1.yaml:2:10"),
        "{}",
        runs[0].stderr
    );
}

#[test]
fn binary_garbage() {
    // A fixed pseudo-random sequence (xorshift), so a failure can be replayed.
    let mut x: u32 = 0x9e37_79b9;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let runs = check_file("garbage.yaml", bytes);
    resolve_rejects(&runs, "not valid UTF-8");
    lint_cannot_check(&runs, "not valid UTF-8");
    // NUL bytes are valid UTF-8 but not valid YAML.
    not_yaml(
        &check_file("nul.yaml", b"a: \x00\x01\x02\n"),
        "the control character U+0000 is not allowed in YAML",
    );
}

#[test]
fn tab_indentation() {
    let runs = check_file("tabs.yaml", "spec:\n\tmaskinporten:\n\t\tenabled: true\n");
    not_yaml(&runs, "a tab cannot indent YAML");
}

/// Assert that a file exposing [`ONE_SCOPE`] was read as valid YAML: `resolve`
/// prints its scope and `lint` reports no `yaml-syntax`.
fn read_as_one_scope(runs: &[Run], what: &str) {
    for r in resolve_runs(runs) {
        assert_eq!(r.code, Some(0), "{what} {}: {}", r.command, head(&r.stderr));
        assert_eq!(
            r.stdout, "nav:arbeid:some.scope.read\n",
            "{what} {}",
            r.command
        );
    }
    for r in lint_runs(runs) {
        let syntax = r.stdout.contains("yaml-syntax");
        assert!(!syntax, "{what} {}: {}", r.command, head(&r.stdout));
    }
}

/// A tag right before `,` in a flow collection is valid YAML, and the parser
/// panicked on it (found by fuzzing; vendor/libyaml-safer/PATCHES.md).
#[test]
fn tag_before_a_comma_in_a_flow_collection() {
    let text = app_exposing(ONE_SCOPE) + "  tags: [!!str, b, !!int 1]\n";
    read_as_one_scope(&check_file("tag.yaml", text), "tag");
    // The input the fuzzer found, as it found it.
    let found = format!("{{-n: {}nais;,!!! {}", "!".repeat(38), "!".repeat(31));
    not_yaml(&check_file("found.yaml", found), "did not find expected");
}

#[test]
fn block_scalar_at_the_end_of_a_file_without_a_line_break() {
    // Valid YAML, and common: the last value is a block scalar whose last line
    // ends the file.
    for indicator in ["|", ">", "|-", ">+"] {
        let text = app_exposing(ONE_SCOPE) + &format!("  note: {indicator}\n    last line");
        read_as_one_scope(&check_file("note.yaml", text), indicator);
    }
    // The input the fuzzer found, as it found it: not YAML, but no internal error.
    let found = concat!(
        "# Scope entries she entries share their setting  maskinporten:\n",
        "    enabled: true\n    scopes:\n      exposes:\n        - &read\n",
        "          name: \"vedtak.read\"\n          enabled: true\n",
        "          product: \"arbeid\"\n  >\n",
        "        - name: \"inntektsmelding/mottak.write\"\n          enabled: true\n",
        "          product: \"helsepe-north1-docker.pkg.dev/nais-manageme!t-233d/",
        "helsearbeidsgiver/inntektsmeldin        sepagrato-",
    );
    not_yaml(&check_file("found.yaml", found), "did not find expected");
}

#[test]
fn deep_flow_nesting() {
    let runs = check_file("flow.yaml", "[".repeat(200_000) + &"]".repeat(200_000));
    not_yaml(&runs, "nesting deeper than the budget of 64 levels");
}

#[test]
fn deep_block_nesting() {
    let runs = check_file("block.yaml", "- ".repeat(200_000) + "x\n");
    not_yaml(&runs, "nesting deeper than the budget of 64 levels");
    let mut indented = String::new();
    for depth in 0..2_000 {
        indented.push_str(&" ".repeat(depth));
        indented.push_str("k:\n");
    }
    not_yaml(
        &check_file("indented.yaml", indented),
        "nesting deeper than the budget",
    );
}

#[test]
fn billion_laughs() {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    not_yaml(
        &check_file("lol.yaml", s),
        "YAML nodes in one file (budget)",
    );
    // Many cheap aliases: the alias budget.
    let many = String::from("a: &a x\nb: [") + &"*a, ".repeat(20_000) + "]\n";
    not_yaml(
        &check_file("aliases.yaml", many),
        "aliases in one file (budget)",
    );
}

#[test]
fn billion_laughs_through_merge_keys() {
    // Each level merges the one below and holds ten more copies of it.
    let keys: Vec<String> = (0..10).map(|j| format!("k{j}: lol")).collect();
    let mut s = format!("a0: &a0 {{{}}}\n", keys.join(", "));
    for i in 1..10 {
        let p = i - 1;
        let values: Vec<String> = (0..10).map(|j| format!("v{j}: *a{p}")).collect();
        s.push_str(&format!(
            "a{i}: &a{i} {{<<: *a{p}, {}}}\n",
            values.join(", ")
        ));
    }
    not_yaml(
        &check_file("merge-lol.yaml", s),
        "YAML nodes in one file (budget)",
    );
    // Merging one mapping over and over adds nothing, but every alias still counts.
    let many = String::from("a: &a {k: x}\nb: {<<: [") + &"*a, ".repeat(20_000) + "]}\n";
    not_yaml(
        &check_file("merge-aliases.yaml", many),
        "aliases in one file (budget)",
    );
}

#[test]
fn thousands_of_entries_merging_one_anchor() {
    let mut entries = String::from(
        "        - &scope\n          name: \"s/scope.read\"\n          enabled: true\n          product: \"arbeid\"\n          separator: \"/\"\n          consumers:\n            - orgno: \"889640782\"\n",
    );
    for i in 1..9_000 {
        entries.push_str(&format!(
            "        - <<: *scope\n          name: \"s{i}/scope.read\"\n"
        ));
    }
    let runs = check_file("merged.yaml", app_exposing(&entries));
    for r in resolve_runs(&runs) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, head(&r.stderr));
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines.len(), 9_000, "{}", r.command);
        assert_eq!(lines[0], "nav:arbeid/s/scope.read");
        assert_eq!(lines[8_999], "nav:arbeid/s8999/scope.read");
    }
    lint_passes(&runs);
}

#[test]
fn thirty_megabyte_scalar() {
    let big = format!("{APP}data: \"{}\"\n", "x".repeat(30 * 1024 * 1024));
    nothing_to_see(&check_file("big.yaml", big));
    // The same, unclosed: the report must not draw a 30 MB line.
    let unclosed = format!("a: \"{}", "x".repeat(30 * 1024 * 1024));
    let runs = check_file("unclosed.yaml", unclosed);
    for r in &runs {
        assert!(matches!(r.code, Some(1 | 2)), "{}", r.command);
        let size = r.stdout.len() + r.stderr.len();
        assert!(size < 10_000, "{}: {size} bytes of output", r.command);
    }
}

#[test]
fn over_the_file_size_budget() {
    let runs = check_file(
        "huge.yaml",
        format!("a: {}\n", "x".repeat(33 * 1024 * 1024)),
    );
    // Unreadable, as a missing file would be: exit 2 for every command.
    for r in &runs {
        assert_eq!(r.code, Some(2), "{}", r.command);
        assert!(
            said(r, "huge.yaml: larger than the budget of 32 MiB per file")
                || said(
                    r,
                    "huge.yaml: not checked: larger than the budget of 32 MiB per file"
                ),
            "{}: {}",
            r.command,
            head(&r.stderr)
        );
    }
}

#[test]
fn twenty_thousand_documents() {
    let doc = app_exposing(ONE_SCOPE);
    let mut s = String::new();
    for _ in 0..20_000 {
        s.push_str("---\n");
        s.push_str(&doc);
    }
    let runs = check_file("docs.yaml", s);
    // The plain list gives each scope once per environment.
    for r in resolve_runs(&runs) {
        assert_eq!(r.code, Some(0), "{}", r.command);
        assert_eq!(r.stdout, "nav:arbeid:some.scope.read\n", "{}", r.command);
    }
    for r in lint_runs(&runs) {
        assert!(
            !r.stdout.contains("yaml-syntax"),
            "{}: {}",
            r.command,
            head(&r.stdout)
        );
    }
    // Past the document budget.
    let runs = check_file("more.yaml", "---\na: 1\n".repeat(50_001));
    not_yaml(&runs, "more than 50000 documents in one file (budget)");
}

#[test]
fn wrong_shapes() {
    nothing_to_see(&check_file(
        "list.yaml",
        "- apiVersion: nais.io/v1alpha1\n- kind: Application\n",
    ));
    nothing_to_see(&check_file("scalar.yaml", "just some text\n"));
    nothing_to_see(&check_file(
        "null.yaml",
        format!("{APP}spec:\n  maskinporten: null\n"),
    ));
    nothing_to_see(&check_file("nospec.yaml", APP));
    nothing_to_see(&check_file(
        "spec-list.yaml",
        format!("{APP}spec: [1, 2]\n"),
    ));
    let text = format!("{APP}spec:\n  maskinporten:\n    enabled: true\n    scopes: \"text\"\n");
    let runs = check_file("text.yaml", text);
    resolve_prints(&runs, &[]);
    lint_reports(&runs, "wrong-type", "`scopes` must be a mapping");
    let empty = format!(
        "{APP}spec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes: {{}}\n"
    );
    let runs = check_file("exposes.yaml", empty);
    resolve_prints(&runs, &[]);
    lint_reports(&runs, "wrong-type", "`exposes` must be a list");
    let entries = "        - just a string\n        - [a, list]\n        - name: [x]\n          product: {a: b}\n";
    let runs = check_file("entries.yaml", app_exposing(entries));
    resolve_prints(&runs, &[]);
    lint_reports(&runs, "wrong-type", "`name` must be a string");
}

#[test]
fn unclosed_handlebars_expression() {
    let runs = check_file("tpl.yaml", format!("{APP}spec:\n  image: {{{{ image\n"));
    resolve_rejects(&runs, "nais deploy cannot parse this template");
    lint_cannot_check(&runs, "nais deploy cannot parse this template");
}

#[test]
fn valid_but_unusual() {
    let doc = app_exposing(ONE_SCOPE);
    let scope = ["nav:arbeid:some.scope.read"];
    resolve_prints(&check_file("bom.yaml", format!("\u{feff}{doc}")), &scope);
    resolve_prints(&check_file("crlf.yaml", doc.replace('\n', "\r\n")), &scope);
    let json = r#"{"apiVersion": "nais.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"},
        "spec": {"maskinporten": {"enabled": true, "scopes": {"exposes": [
        {"name": "x/y.read", "enabled": true, "product": "arbeid"}]}}}}"#;
    resolve_prints(&check_file("app.json", json), &["nav:arbeid/x/y.read"]);
}

#[test]
fn valid_but_unusual_lints_like_the_plain_file() {
    let doc = app_exposing(ONE_SCOPE);
    let lint = |runs: &[Run]| {
        let r = lint_runs(runs).next().expect("a lint run");
        (
            r.code,
            r.stdout
                .lines()
                .filter(|l| l.contains('×') || l.contains('⚠'))
                .count(),
        )
    };
    let plain = lint(&check_file("plain.yaml", &doc));
    assert_eq!(
        lint(&check_file("bom.yaml", format!("\u{feff}{doc}"))),
        plain
    );
    assert_eq!(
        lint(&check_file("crlf.yaml", doc.replace('\n', "\r\n"))),
        plain
    );
}

#[test]
fn fifty_thousand_exposes_entries() {
    // Every entry valid, as a big generated manifest would be.
    let mut entries = String::new();
    for i in 0..50_000 {
        entries.push_str(&format!(
            "        - name: \"s{i}/scope.read\"\n          enabled: true\n          product: \"arbeid\"\n          separator: \"/\"\n          consumers:\n            - orgno: \"889640782\"\n"
        ));
    }
    let runs = check_file("many.yaml", app_exposing(&entries));
    for r in resolve_runs(&runs) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, head(&r.stderr));
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines.len(), 50_000, "{}", r.command);
        assert_eq!(lines[0], "nav:arbeid/s0/scope.read");
        assert_eq!(lines[49_999], "nav:arbeid/s49999/scope.read");
    }
    lint_passes(&runs);
}

#[test]
fn one_huge_line() {
    // An error far along one long line: the report must not draw the line.
    let runs = check_file("line.yaml", format!("[{}@]", "1,".repeat(100_000)));
    not_yaml(&runs, ":1:200002");
    for r in &runs {
        let size = r.stdout.len() + r.stderr.len();
        assert!(size < 10_000, "{}: {size} bytes of output", r.command);
    }
    // A minified JSON manifest: 5,000 entries on one line, the last one broken.
    let mut entries: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                r#"{{"name":"s{i}/x.read","enabled":true,"product":"arbeid","separator":"/","accessibleForAll":true}}"#
            )
        })
        .collect();
    entries.push(
        r#"{"name":"y/x.read","enabled":"yes","product":"arbeid","separator":"/","accessibleForAll":true}"#.into(),
    );
    let json = format!(
        r#"{{"apiVersion":"nais.io/v1alpha1","kind":"Application","metadata":{{"name":"a"}},"spec":{{"maskinporten":{{"enabled":true,"scopes":{{"exposes":[{}]}}}}}}}}"#,
        entries.join(",")
    );
    let runs = check_file("minified.json", json);
    for r in resolve_runs(&runs) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, head(&r.stderr));
        assert_eq!(r.stdout.lines().count(), 5_001, "{}", r.command);
    }
    lint_reports(&runs, "wrong-type", "the line is too long to show");
}

/// A folder with a symlink loop, a README, a broken file and a good one.
#[test]
fn awkward_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join("nais/sub")).expect("mkdir");
    std::fs::write(
        root.join("README.md"),
        "# Not YAML: [unclosed\n\tand tabs\n",
    )
    .expect("write");
    std::fs::write(root.join("nais/app.yaml"), app_exposing(ONE_SCOPE)).expect("write");
    std::fs::write(root.join("nais/broken.yml"), format!("{APP}a: [\n")).expect("write");
    // Not a manifest: passed over without a word, syntax error and all.
    std::fs::write(root.join("nais/values.yml"), "a: [\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("../..", root.join("nais/sub/loop")).expect("symlink");
    let runs = run_all(dir.path(), &["repo"], None, &["repo"]);
    for r in &runs {
        assert!(
            !r.stdout.contains("README") && !r.stderr.contains("README"),
            "{}",
            r.command
        );
        #[cfg(unix)]
        assert!(
            r.stderr.contains("repo/nais/sub/loop: skipped"),
            "{}: {}",
            r.command,
            r.stderr
        );
    }
    for r in resolve_runs(&runs) {
        assert_eq!(r.code, Some(2), "{}", r.command);
        assert!(
            r.stderr.contains("repo/nais/broken.yml:6:4"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("values.yml"), "{}", r.stderr);
        assert_eq!(r.stdout, "nav:arbeid:some.scope.read\n");
    }
    lint_reports(&runs, "yaml-syntax", "repo/nais/broken.yml:6:4");
    for r in lint_runs(&runs) {
        assert!(!r.stdout.contains("values.yml"), "{}", r.stdout);
    }
}

#[test]
fn missing_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let runs = run_all(dir.path(), &["nope.yaml"], None, &["nope.yaml"]);
    for r in &runs {
        assert_eq!(r.code, Some(2), "{}", r.command);
        assert!(
            r.stderr.contains("nope.yaml: no such file or folder"),
            "{}",
            r.stderr
        );
    }
    // Nothing given and nothing found: the error names the folder searched.
    let shown = dir.path().display().to_string();
    for r in run_all(dir.path(), &[], None, &[&shown]) {
        assert_eq!(r.code, Some(2), "{}", r.command);
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("secret.yaml");
    std::fs::write(&path, app_exposing(ONE_SCOPE)).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): permissions do not stop reads.
        eprintln!("unreadable_file: skipped: a file with mode 000 is still readable by this user");
        return;
    }
    for inputs in [["secret.yaml"], ["."]] {
        for r in run_all(dir.path(), &inputs, None, &["secret.yaml"]) {
            assert_eq!(r.code, Some(2), "{}", r.command);
            assert!(
                said(&r, "secret.yaml: permission denied")
                    || said(&r, "secret.yaml: not checked: permission denied"),
                "{}",
                r.stderr
            );
        }
    }
}

/// A file that opens but fails to read: a link to `/proc/self/mem`, whose
/// first page is never mapped, so reading it fails with an I/O error whoever
/// runs the tests (mode 000 stops no one running as root). The file next to it
/// is still read, and the run cannot pass.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("broken.yaml")).expect("symlink");
    std::fs::write(dir.path().join("app.yaml"), app_exposing(ONE_SCOPE)).expect("write");
    // Named: not opened (a file in /proc is never read), so not checked.
    for r in run_all(
        dir.path(),
        &["broken.yaml", "app.yaml"],
        None,
        &["broken.yaml"],
    ) {
        assert_eq!(r.code, Some(2), "{}", r.command);
        assert!(
            said(&r, "broken.yaml: a symbolic link into /proc/")
                || said(&r, "broken.yaml: not checked: a symbolic link into /proc/"),
            "{}: {}",
            r.command,
            r.stderr
        );
    }
    // Found by a search: passed over with a warning.
    for r in run_all(dir.path(), &["."], None, &["broken.yaml"]) {
        assert!(r.code != Some(2), "{}: {}", r.command, r.stderr);
        assert!(
            said(&r, "broken.yaml: skipped: a symbolic link into /proc/"),
            "{}: {}",
            r.command,
            r.stderr
        );
    }
    let runs = run_all(
        dir.path(),
        &["broken.yaml", "app.yaml"],
        None,
        &["broken.yaml"],
    );
    let lint = runs
        .iter()
        .find(|r| r.command.starts_with("maskscope lint"))
        .expect("a lint run");
    assert!(
        lint.stdout
            .contains("checked 1 file, 1 could not be checked: 0 errors"),
        "{}",
        lint.stdout
    );
}

/// A named pipe in a folder is not a manifest: reading it would wait for a
/// writer forever. Folders yield regular files only.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_a_folder_is_passed_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.yaml"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("a_named_pipe_in_a_folder_is_passed_over: skipped: no mkfifo");
        return;
    }
    std::fs::write(dir.path().join("app.yaml"), app_exposing(ONE_SCOPE)).expect("write");
    for r in run_all(dir.path(), &["."], None, &[]) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, r.stderr);
        assert!(!r.stderr.contains("pipe.yaml"), "{}", r.stderr);
    }
}

/// Thousands of findings in one big file: each report must cost what its own
/// lines cost, not a copy of the whole file (which took minutes here).
#[test]
fn many_findings_in_one_big_file() {
    let mut entries = String::new();
    for i in 0..4_000 {
        // No consumers, and `enabled: yes` (YAML 1.1): two findings each.
        entries.push_str(&format!(
            "        - name: \"s{i}.read\"\n          enabled: yes\n          product: \"arbeid\"\n"
        ));
    }
    let padding = format!(
        "  annotations:\n    note: \"{}\"\n",
        "x".repeat(8 * 1024 * 1024)
    );
    let text = app_exposing(&entries).replacen("spec:\n", &format!("{padding}spec:\n"), 1);
    let runs = check_file("big-and-wrong.yaml", text);
    for r in lint_runs(&runs) {
        assert_eq!(r.code, Some(0), "{}: {}", r.command, head(&r.stdout));
        let reports = r.stdout.matches("╭─[big-and-wrong.yaml:").count();
        assert!(reports >= 8_000, "{}: {reports} reports", r.command);
    }
}
