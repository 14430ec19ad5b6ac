//! Output and input edge cases through the binary: the scope table on
//! terminals of every width, suppression comments, line endings, prefixes,
//! budgets and repeated inputs.

mod common;

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether util-linux `script` (a pseudo-terminal) can run here.
fn have_script() -> bool {
    Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `maskscope ARGS` on a pseudo-terminal `cols` columns wide (via `script` and
/// `stty cols`), in the repository root; stdout with the terminal's `\r`
/// removed. `columns` sets `COLUMNS`. `None` when there is no `script`.
fn on_terminal(cols: u16, columns: Option<&str>, args: &[&str]) -> Option<String> {
    on_terminal_in(root(), cols, columns, args)
}

/// [`on_terminal`] in `dir`.
fn on_terminal_in(dir: &Path, cols: u16, columns: Option<&str>, args: &[&str]) -> Option<String> {
    if !have_script() {
        eprintln!("skipped: `script` (util-linux) is not installed, no pseudo-terminal to run on");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_maskscope");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    // Set after `stty`: a shell updates its COLUMNS when the size changes.
    let env = match columns {
        Some(c) => format!("export COLUMNS={c}"),
        None => "unset COLUMNS".to_owned(),
    };
    let inner = format!(
        "stty cols {cols} rows 50; {env}; exec '{bin}' {}",
        quoted.join(" ")
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &inner, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1");
    let out = cmd.output().expect("run script");
    // Exit 1 is findings (a blocked registration), not a failure to run.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{cols} columns: {out:?}"
    );
    Some(String::from_utf8(out.stdout).unwrap().replace('\r', ""))
}

/// `maskscope ARGS` in the repository root, not on a terminal; stdout of a
/// successful run.
fn piped(args: &[&str]) -> String {
    let r = common::maskscope(root(), args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

const SCOPES: [&str; 3] = [
    "nav:tiltakspenger:vedtak.read",
    "nav:tiltakspenger/vedtak/perioder.read",
    "nav:tiltakspenger/arena.read",
];

/// Each scope on a line of its own, whole; no line wider than `width` but
/// those a whole scope makes wide.
fn scopes_whole(out: &str, width: usize) {
    for scope in SCOPES {
        assert!(
            out.lines().any(|l| l.contains(scope)),
            "{scope} not whole on one line at {width} columns:\n{out}"
        );
    }
    for line in out.lines() {
        let fits = line.chars().count() <= width;
        assert!(
            fits || SCOPES.iter().any(|s| line.contains(s)),
            "line wider than {width} columns:\n{line}\nin\n{out}"
        );
    }
    assert!(out.ends_with("3 scopes, 3 active\n"), "{out}");
}

#[test]
fn scope_table_keeps_every_scope_whole_at_any_terminal_width() {
    let args = ["resolve", "testdata/resolve/full-application.yaml"];
    let piped = piped(&args);
    for cols in [60u16, 80, 120, 200] {
        let Some(out) = on_terminal(cols, None, &args) else {
            return;
        };
        scopes_whole(&out, usize::from(cols));
        if cols == 200 {
            assert_eq!(out, piped, "a table that fits is today's table");
        }
    }
    // Narrow: one block per entry, the other columns as `key: value` lines.
    let out = on_terminal(60, None, &args).unwrap();
    assert!(
        out.starts_with("nav:tiltakspenger:vedtak.read\n  location:"),
        "{out}"
    );
    assert!(
        out.contains("  app:       tpts/tiltakspenger-vedtak\n"),
        "{out}"
    );
}

#[test]
fn a_terminal_of_width_zero_gets_the_whole_table() {
    let args = ["resolve", "testdata/resolve/full-application.yaml"];
    let Some(out) = on_terminal(0, None, &args) else {
        return;
    };
    let piped = piped(&args);
    assert_eq!(out, piped);
    scopes_whole(&out, usize::MAX);
}

#[test]
fn columns_wins_over_the_terminal_width() {
    let args = ["resolve", "testdata/resolve/full-application.yaml"];
    let Some(out) = on_terminal(200, Some("70"), &args) else {
        return;
    };
    scopes_whole(&out, 70);
    assert!(!out.contains('┌'), "stacked at 70 columns:\n{out}");
}

#[test]
fn the_table_shortens_locations_before_it_stacks() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("a-rather-long-folder-name/and-another-one/nais");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("app.yaml"),
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: t\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: vedtak.read\n          enabled: true\n          product: arbeid\n          separator: /\n",
    )
    .unwrap();
    let file = deep.join("app.yaml").display().to_string();
    let Some(out) = on_terminal(100, None, &["resolve", &file]) else {
        return;
    };
    let table = out.lines().next().unwrap();
    assert!(table.starts_with('┌'), "{out}");
    assert!(table.chars().count() <= 100, "{out}");
    assert!(out.contains("nais/app.yaml:11 "), "{out}");
    assert!(out.contains("┆ nav:arbeid/vedtak.read "), "{out}");
    assert!(out.contains("│ …"), "{out}");
}

const APP: &str = "apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: vedtak-api
  namespace: team-vedtak
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          separator: \"/\"
          consumers:
";

/// `maskscope lint --format json ARGS FILE` on `text` written to FILE; the
/// diagnostics as `line rule` and the exit code.
fn lint_text(text: &str, args: &[&str]) -> (Vec<String>, i32) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yaml"), text).unwrap();
    let mut all = vec!["lint", "--format", "json"];
    all.extend(args);
    all.push("app.yaml");
    let r = common::maskscope(dir.path(), all, None);
    assert_ne!(r.code, 2, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["line"], d["rule"].as_str().unwrap()))
        .collect();
    (found, r.code)
}

#[test]
fn a_trailing_suppression_covers_its_own_line_only() {
    let text = format!(
        "{APP}            - orgno: \"889640783\"  # maskscope: ignore[orgno-checksum]\n            - orgno: \"123456780\"\n"
    );
    let (found, _) = lint_text(&text, &["--select", "orgno-checksum"]);
    assert_eq!(found, ["17 orgno-checksum"]);
}

#[test]
fn a_suppression_on_a_line_of_its_own_covers_the_next_line() {
    let text = format!(
        "{APP}            # maskscope: ignore[orgno-checksum]\n            - orgno: \"889640783\"\n            - orgno: \"123456780\"\n"
    );
    let (found, _) = lint_text(&text, &["--select", "orgno-checksum"]);
    assert_eq!(found, ["18 orgno-checksum"]);
}

#[test]
fn a_suppression_naming_an_unknown_rule_is_reported_with_the_nearest() {
    let text =
        format!("{APP}            - orgno: \"123456780\"  # maskscope: ignore[orgno-chekcsum]\n");
    let (found, _) = lint_text(&text, &[]);
    assert_eq!(found, ["16 orgno-checksum", "16 unknown-suppression"]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yaml"), &text).unwrap();
    let r = common::maskscope(dir.path(), ["lint", "app.yaml"], None);
    assert!(
        r.stdout.contains(
            "warning[unknown-suppression]: unknown rule `orgno-chekcsum` in a suppression comment"
        ) && r.stdout.contains("did you mean `orgno-checksum`?"),
        "{}",
        r.stdout
    );

    let (found, _) = lint_text(&text, &["--ignore", "unknown-suppression"]);
    assert_eq!(found, ["16 orgno-checksum"]);
}

/// The human report, JSON and GitHub formats of `lint` on `bytes`: the lines
/// they name, and the human one.
fn lint_formats(bytes: &[u8]) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.yaml"), bytes).unwrap();
    let run = |format: &str| {
        common::maskscope(
            dir.path(),
            [
                "lint",
                "--select",
                "wrong-type",
                "--format",
                format,
                "f.yaml",
            ],
            None,
        )
        .stdout
    };
    let human = run("human");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let json_lines: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].to_string())
        .collect();
    let github_lines: Vec<String> = run("github")
        .lines()
        .filter_map(|l| l.split(",line=").nth(1))
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    let human_lines: Vec<String> = human
        .lines()
        .filter_map(|l| l.split("[f.yaml:").nth(1))
        .map(|l| l.split(':').next().unwrap().to_owned())
        .collect();
    assert_eq!(json_lines, github_lines);
    assert_eq!(json_lines, human_lines, "{human}");
    (json_lines, human)
}

#[test]
fn cr_only_line_breaks_give_the_same_lines_in_every_format() {
    let lf = std::fs::read(root().join("testdata/lint/wrong-type/fail.yaml")).unwrap();
    let (lines, human_lf) = lint_formats(&lf);
    assert_eq!(lines.first().map(String::as_str), Some("12"));
    for (name, br) in [
        ("CR", &b"\r"[..]),
        ("CRLF", b"\r\n"),
        ("NEL", "\u{85}".as_bytes()),
    ] {
        let mut other = Vec::new();
        for part in lf.split(|&b| b == b'\n') {
            if !other.is_empty() {
                other.extend_from_slice(br);
            }
            other.extend_from_slice(part);
        }
        let (got, human) = lint_formats(&other);
        assert_eq!(got, lines, "{name}");
        // The same snippets, line by line.
        let strip = |h: &str| h.replace(['\r'], "").replace(" \n", "\n");
        if name != "NEL" {
            assert_eq!(strip(&human), strip(&human_lf), "{name}");
        }
        assert!(
            human.contains(" 12 │     enabled: \"true\"\n"),
            "{name}:\n{human}"
        );
    }
}

#[test]
fn a_prefix_that_cannot_make_a_scope_is_a_usage_error() {
    let app = root().join("testdata/resolve/full-application.yaml");
    let app = app.to_str().unwrap();
    for bad in ["nav:evil", "", "a b", "NAV"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("maskscope.toml"),
            format!("prefix = {bad:?}\n"),
        )
        .unwrap();
        for command in ["resolve", "lint", "migrate-check"] {
            let mut args = vec![command, app];
            if command == "migrate-check" {
                args.extend(["--iac", "/dev/null"]);
            }
            let r = common::maskscope(dir.path(), &args, None);
            assert_eq!(r.code, 2, "{bad:?} {command}: {}{}", r.stdout, r.stderr);
            assert!(
                r.stderr.contains("maskscope.toml:1:10")
                    && r.stderr.contains("`prefix`: the scope prefix"),
                "{bad:?} {command}: {}",
                r.stderr
            );
            assert!(!r.stdout.contains(":tiltakspenger"), "{}", r.stdout);
        }
        let r = common::maskscope(root(), ["resolve", "--prefix", bad, app], None);
        assert_eq!(r.code, 2, "--prefix {bad:?}");
        assert!(
            r.stderr
                .contains("for '--prefix <PREFIX>': the scope prefix"),
            "{}",
            r.stderr
        );
    }
    let r = common::maskscope(
        root(),
        ["resolve", "--format", "plain", "--prefix", "skatt2", app],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("skatt2:tiltakspenger:vedtak.read\n"),
        "{}",
        r.stdout
    );
}

/// YAML whose aliases expand past the node budget (10 to the 8th nodes).
fn alias_bomb() -> String {
    let mut l = vec!["a0: &a0 [x, x, x, x, x, x, x, x, x, x]".to_owned()];
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        l.push(format!("a{i}: &a{i} [{refs}]"));
    }
    l.join("\n") + "\n"
}

#[test]
fn an_iac_export_over_a_budget_says_which_budget_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let flat = format!(
        "scopes:\n  - name: nav:a:b\n    description: x\n    consumers: [{}]\n",
        vec!["\"1\""; 1_000_001].join(",")
    );
    std::fs::write(dir.path().join("flat.yaml"), flat).unwrap();
    std::fs::write(dir.path().join("bomb.yaml"), alias_bomb()).unwrap();
    let app = root().join("testdata/resolve/full-application.yaml");
    let app = app.to_str().unwrap();
    for (file, budget) in [
        ("flat.yaml", "more than 1,000,000 YAML nodes"),
        ("bomb.yaml", "copied more than 1,000,000 times in all"),
    ] {
        // The flat file is slow to read in a debug build: one command is enough.
        let commands: &[&str] = match file {
            "flat.yaml" => &["migrate-check"],
            _ => &["migrate-check", "lint"],
        };
        for &command in commands {
            let r = common::maskscope(dir.path(), [command, "--iac", file, app], None);
            assert_eq!(r.code, 2, "{command} {file}");
            assert!(
                r.stderr
                    .contains("over the input budget for registration files: ")
                    && r.stderr.contains(budget)
                    && r.stderr.contains("split the export into several files"),
                "{command} {file}: {}",
                r.stderr
            );
            assert!(!r.stderr.contains(" {"), "{}", r.stderr);
            assert_eq!(r.stderr.matches("error").count(), 0, "{}", r.stderr);
        }
    }
}

#[test]
fn a_config_over_its_budgets_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let app = root().join("testdata/resolve/full-application.yaml");
    let app = app.to_str().unwrap();
    let toml = dir.path().join("maskscope.toml");
    std::fs::write(&toml, format!("x = \"{}\"\n", "a".repeat(1024 * 1024))).unwrap();
    let r = common::maskscope(dir.path(), ["resolve", app], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("larger than the budget of 1 MiB for a maskscope.toml"),
        "{}",
        r.stderr
    );
    std::fs::write(
        &toml,
        format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000)),
    )
    .unwrap();
    let r = common::maskscope(dir.path(), ["resolve", app], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("nested deeper than the TOML reader reads (its recursion budget)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_manifest_over_a_yaml_budget_gets_no_syntax_hint() {
    let docs = format!("{APP}{}", "---\n".repeat(60_000));
    for (text, budget) in [
        (alias_bomb(), "at most 1,000,000 YAML nodes per file"),
        (docs, "at most 50,000 documents (`---`) per file"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.yaml"), text).unwrap();
        let r = common::maskscope(dir.path(), ["lint", "app.yaml"], None);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stdout
                .contains("yaml-syntax]: not read to the end: more than"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains(budget), "{}", r.stdout);
        assert!(!r.stdout.contains("fix the syntax"), "{}", r.stdout);
    }
}

#[test]
fn a_registration_file_given_twice_is_read_once() {
    let dir = root().join("testdata/migrate/example");
    let once = common::maskscope(
        &dir,
        [
            "migrate-check",
            "--iac",
            "scopes.json",
            "--cluster",
            "prod-gcp",
            "step3",
        ],
        None,
    );
    assert_eq!(once.code, 0, "{}", once.stderr);
    assert!(
        once.stdout
            .ends_with("2 registrations: 2 ready, 0 warning, 0 blocked; 0 new scopes\n"),
        "{}",
        once.stdout
    );
    let link = tempfile::tempdir().unwrap();
    let linked = link.path().join("scopes.json");
    std::os::unix::fs::symlink(dir.join("scopes.json"), &linked).unwrap();
    let linked = linked.to_str().unwrap();
    for args in [
        vec!["--iac", "scopes.json", "--iac", "scopes.json"],
        vec!["--iac", "scopes.json", "--iac", "./step3/../scopes.json"],
        vec!["--iac", "scopes.json", "--iac", linked],
    ] {
        let mut all = vec!["migrate-check"];
        all.extend(&args);
        all.extend(["--cluster", "prod-gcp", "step3"]);
        let twice = common::maskscope(&dir, &all, None);
        assert_eq!(twice.code, 0, "{args:?}: {}", twice.stderr);
        assert_eq!(twice.stdout, once.stdout, "{args:?}");

        let mut all = vec!["lint", "--format", "json"];
        all.extend(&args);
        all.extend(["--cluster", "prod-gcp", "step2"]);
        let twice = common::maskscope(&dir, &all, None);
        let once = common::maskscope(
            &dir,
            [
                "lint",
                "--format",
                "json",
                "--iac",
                "scopes.json",
                "--cluster",
                "prod-gcp",
                "step2",
            ],
            None,
        );
        assert_eq!(twice.stdout, once.stdout, "{args:?}");
    }
}

/// Every line of `out` at most `width` columns wide, and each of `scopes`
/// whole on some line.
fn fits(out: &str, width: usize, scopes: &[&str]) {
    for line in out.lines() {
        assert!(
            line.chars().count() <= width,
            "line wider than {width} columns:\n{line}\nin\n{out}"
        );
    }
    for scope in scopes {
        assert!(
            out.lines().any(|l| l.contains(scope)),
            "{scope} not whole on a line:\n{out}"
        );
    }
}

/// `deployments`, `access` and `migrate-check` fit a terminal of 80 columns
/// as `resolve` does: scopes whole, other cells shortened or wrapped, columns
/// dropped, then one block per row.
#[test]
fn every_table_fits_80_columns_with_whole_scopes() {
    let matrix = root().join("testdata/deploy/matrix");
    let matrix_scopes = ["nav:arbeid/vedtak.read", "nav:arbeid/vedtak/historikk.read"];
    let Some(out) = on_terminal_in(&matrix, 80, None, &["deployments"]) else {
        return;
    };
    fits(&out, 80, &[]);
    // The manifests of the three deployments, told apart.
    assert!(
        out.contains(".nais/app.yaml") && out.contains("dev-gcp.yaml"),
        "{out}"
    );
    let out = on_terminal_in(&matrix, 80, None, &["access"]).unwrap();
    fits(&out, 80, &matrix_scopes);
    assert!(
        out.ends_with(
            "5 grants: 3 organisations, 4 scopes in 2 environments; 0 scopes open to all\n"
        ),
        "{out}"
    );
    let out = on_terminal(
        80,
        None,
        &[
            "migrate-check",
            "--iac",
            "testdata/migrate/registry.json",
            "--cluster",
            "prod-gcp",
            "testdata/migrate/nais",
        ],
    )
    .unwrap();
    fits(
        &out,
        80,
        &[
            "nav:arbeid:vedtak.read",
            "nav:arbeid/vedtak.write",
            "nav:arbeid/vedtak/historikk.read",
            "nav:helse/sykepenger/afp.read",
        ],
    );
    // Prose wraps between words: a scope in a message is never split.
    assert!(out.contains("`nav:arbeid/vedtak/historikk.read`"), "{out}");
}

/// In `resolve`'s blocks every value starts in one column, `deployment:`
/// (the longest key) included.
#[test]
fn resolve_blocks_align_every_key() {
    let matrix = root().join("testdata/deploy/matrix");
    let Some(out) = on_terminal_in(&matrix, 40, None, &["resolve"]) else {
        return;
    };
    assert!(
        out.starts_with(
            "nav:arbeid/vedtak.read\n  location:   .nais/app.yaml:16\n  app:        team-vedtak/vedtak-api\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n  deployment: dev-gcp (test)\n"), "{out}");
}
