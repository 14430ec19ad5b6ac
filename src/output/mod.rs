//! Output formats. Each command's formats live in a module of their own; this
//! module holds what they share: when to use colour, and how to show a
//! problem in a file with its source lines.

pub mod access;
pub mod deployments;
pub mod diff;
pub mod escape;
pub mod fit;
pub mod lint;
pub mod migrate;
pub mod render;
pub mod report;
pub mod resolve;
pub mod rules;

use crate::cli::Color;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

/// `--color`, for the whole run: set once by `main` ([`set_color`]).
static CHOICE: AtomicU8 = AtomicU8::new(0);

/// Set what `--color` says for every stream of the run.
pub fn set_color(choice: Color) {
    let n = match choice {
        Color::Auto => 0,
        Color::Always => 1,
        Color::Never => 2,
    };
    CHOICE.store(n, Ordering::Relaxed);
}

fn set(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// Whether to colour output to a stream. `--color always`/`never` decide;
/// with `auto` (the default), as cargo and ripgrep do: `CLICOLOR_FORCE` set
/// (to anything but `0`) colours even off a terminal, else `NO_COLOR` set
/// (<https://no-color.org>) turns colour off, else a terminal gets colour.
pub fn use_color(is_terminal: bool) -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => {
            if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if set("NO_COLOR").is_some() {
                false
            } else {
                is_terminal
            }
        }
    }
}

pub fn stdout_color() -> bool {
    use_color(std::io::stdout().is_terminal())
}

pub fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}

/// The width of the terminal stdout is on, in columns: `COLUMNS` when it is
/// a positive number (as `ls` honours it), else what the terminal reports.
/// `None` when stdout is not a terminal, or the width is unknown or 0.
pub fn terminal_width(is_terminal: bool) -> Option<usize> {
    if !is_terminal {
        return None;
    }
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok());
    from_env
        .or_else(|| comfy_table::Table::new().width().map(usize::from))
        .filter(|&w| w > 0)
}

/// `n` with a comma between each group of three digits: `1,000,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut groups: Vec<&str> = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
