//! Packaging through the binary: completion scripts, the man page, `--version`,
//! and an example in every command's `--help`.

mod common;

use clap::CommandFactory;
use maskscope::cli::Cli;
use std::path::Path;

fn maskscope(args: &[&str]) -> (i32, String, String) {
    let r = common::maskscope(Path::new(env!("CARGO_MANIFEST_DIR")), args, None);
    (r.code, r.stdout, r.stderr)
}

/// Every command a user can run, from the command-line definition itself.
fn command_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn version() {
    let (code, out, _) = maskscope(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out, format!("maskscope {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn every_command_help_has_an_example() {
    let names = command_names();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let (code, out, err) = maskscope(&[&name, "--help"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            out.contains(&format!("Examples:\n  maskscope {name}")),
            "`maskscope {name} --help` has no example:\n{out}"
        );
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, out, err) = maskscope(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for name in command_names() {
            assert!(out.contains(&name), "{shell} completions lack `{name}`");
        }
        assert!(out.contains("--format"), "{shell} completions lack options");
    }
}

#[test]
fn bash_completion_is_valid_bash() {
    let (_, script, _) = maskscope(&["completions", "bash"]);
    let Ok(check) = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
    else {
        eprintln!("bash_completion_is_valid_bash: skipped: bash is not installed");
        return;
    };
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        script.contains("complete -F _maskscope"),
        "registers no completion function"
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let (code, _, err) = maskscope(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("tcsh"), "{err}");
}

#[test]
fn man_page() {
    let (code, page, err) = maskscope(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains(".TH maskscope 1"), "no title:\n{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for name in command_names().iter().filter(|n| *n != "help") {
        let heading = format!(".SH \"MASKSCOPE {}\"", name.to_uppercase());
        assert!(page.contains(&heading), "no section for `{name}`");
    }
    // Every command's options are in it, e.g. lint's --deny-warnings.
    assert!(
        page.contains("\\-\\-deny\\-warnings"),
        "lint options missing"
    );
}

#[test]
fn man_page_renders() {
    let (_, page, _) = maskscope(&["man"]);
    let Ok(mut child) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("man_page_renders: skipped: groff is not installed");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("groff");
    assert!(out.status.success());
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.trim().is_empty(), "groff warnings:\n{warnings}");
}
