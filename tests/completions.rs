//! Completion scripts offer what an option takes: rule ids for `--select`,
//! `--ignore` and `rules RULE`, change kinds for `--fail-on`, the known
//! clusters for `--cluster`, and formats, instead of file names.

mod common;

use maskscope::lint::rules;
use std::path::Path;

fn script(shell: &str) -> String {
    let r = common::maskscope(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        ["completions", shell],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// The fish line that completes `--LONG` of `command`: `-f` (no files) and
/// the values after `-a`.
fn fish_values(fish: &str, command: &str, long: &str) -> String {
    let line = fish
        .split("\ncomplete ")
        .find(|l| {
            l.contains(&format!("using_subcommand {command}\""))
                && l.contains(&format!(" -l {long} "))
        })
        .unwrap_or_else(|| panic!("no completion of {command} --{long}"));
    assert!(
        line.contains(" -f "),
        "{command} --{long} completes files: {line}"
    );
    line.split_once(" -a \"")
        .unwrap_or_else(|| panic!("{command} --{long} offers no values: {line}"))
        .1
        .to_owned()
}

#[test]
fn options_complete_their_values_not_file_names() {
    let ids: Vec<&str> = rules::all()
        .iter()
        .map(|r| r.doc())
        .filter(|d| !d.summary.starts_with("retired:"))
        .map(|d| d.id)
        .collect();
    assert!(ids.contains(&"shared-scope"));
    let fish = script("fish");
    for long in ["select", "ignore"] {
        let values = fish_values(&fish, "lint", long);
        for id in &ids {
            assert!(
                values.contains(&format!("{id}\\t")),
                "lint --{long} lacks {id}"
            );
        }
    }
    let kinds = fish_values(&fish, "diff", "fail-on");
    for kind in [
        "scope-created",
        "consumer-revoked",
        "scope-moved",
        "scope-contested",
    ] {
        assert!(
            kinds.contains(&format!("{kind}\\t")),
            "--fail-on lacks {kind}"
        );
    }
    for command in [
        "resolve",
        "lint",
        "migrate-check",
        "deployments",
        "diff",
        "access",
    ] {
        let clusters = fish_values(&fish, command, "cluster");
        for cluster in ["dev-gcp", "prod-gcp", "dev-fss", "prod-fss"] {
            assert!(
                clusters.contains(&format!("{cluster}\\t")),
                "{command} --cluster lacks {cluster}"
            );
        }
        assert!(fish_values(&fish, command, "format").contains("json"));
    }
    // zsh completes the rule `rules` explains.
    let zsh = script("zsh");
    let rule = zsh
        .lines()
        .find(|l| l.starts_with("'::rule -- "))
        .expect("the rule argument of `rules`");
    let offered: Vec<&str> = rule
        .rsplit_once(":(")
        .and_then(|(_, v)| v.split_once(')'))
        .expect("a list of values")
        .0
        .split_whitespace()
        .collect();
    assert_eq!(offered, ids);

    // The values offered are not a restriction: an unknown rule still gets
    // the command's own "did you mean".
    let r = common::maskscope(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        [
            "lint",
            "--select",
            "scope-colision",
            "testdata/lint/scope-collision/pass.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: --select: unknown rule `scope-colision`: did you mean `scope-collision`? (`maskscope rules` lists every rule)\n"
    );
}
