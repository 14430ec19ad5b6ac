//! Output formats. Each command's formats live in a module of their own; this
//! module holds what they share: when to use colour, and how to show a
//! problem in a file with its source lines.

pub mod lint;
pub mod migrate;
pub mod report;
pub mod resolve;
pub mod rules;

use std::io::IsTerminal;

/// Whether to colour output to a stream: only on a terminal, and never when
/// `NO_COLOR` is set to anything non-empty (<https://no-color.org>).
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stdout_color() -> bool {
    use_color(std::io::stdout().is_terminal())
}

pub fn stderr_color() -> bool {
    use_color(std::io::stderr().is_terminal())
}
