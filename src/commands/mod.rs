//! One module per command. Each takes its parsed arguments and returns the exit
//! code; what it prints goes to the writers it is given.

pub mod completions;
pub mod lint;
pub mod migrate;
pub mod resolve;
pub mod rules;

use std::io::Write;

/// Exit codes, the same for every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing to report.
    Success = 0,
    /// Findings: lint errors, blocked migrations.
    Findings = 1,
    /// Usage errors and inputs that cannot be read.
    Usage = 2,
}

/// Where a command writes, and the directory relative paths start from.
pub struct Context<'a> {
    pub cwd: std::path::PathBuf,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

impl Context<'_> {
    /// Write to stdout; a closed pipe (`| head`) is not an error.
    pub fn print(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    pub fn eprint(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
    }

    /// A usage error: `error: ...` on stderr, exit 2.
    pub fn usage_error(&mut self, message: &str) -> Exit {
        self.eprint(&format!("error: {message}\n"));
        Exit::Usage
    }
}

/// Leave `value` for the end of the process instead of freeing it. What a
/// command read is many thousands of small allocations, which the operating
/// system takes back at exit all at once; freeing them one by one first costs
/// a few percent of a run. Only for values whose drop does nothing else:
/// commands run once per process, and nothing else is run after them.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Run the command the user asked for.
pub fn run(cli: &crate::cli::Cli, cx: &mut Context<'_>) -> Exit {
    use crate::cli::Command;
    match &cli.command {
        Command::Resolve(args) => resolve::run(args, cx),
        Command::Lint(args) => lint::run(args, cx),
        Command::MigrateCheck(args) => migrate::run(args, cx),
        Command::Rules(args) => rules::run(args, cx),
        Command::Completions { shell } => completions::completions(*shell, cx),
        Command::Man => completions::man(cx),
    }
}
