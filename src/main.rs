use clap::Parser;
use maskscope::cli::Cli;
use maskscope::commands::{self, Context};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut cx = Context {
        cwd,
        out: &mut out,
        err: &mut err,
    };
    ExitCode::from(commands::run(&cli, &mut cx) as u8)
}
