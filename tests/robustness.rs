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
        .current_dir(root())
        .env("NO_COLOR", "1");
    let out = cmd.output().expect("run script");
    assert!(out.status.success(), "{cols} columns: {out:?}");
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
