use clap::Parser;
use maskscope::cli::{Cli, Command};
use maskscope::commands::{self, Context};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    maskscope::output::set_color(cli.color);
    if let Command::Diff(args) = &mut cli.command {
        args.note_separator(std::env::args_os());
    }
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = commands::Checked::new(std::io::stdout().lock());
    let mut err = std::io::stderr().lock();
    let mut cx = Context {
        cwd,
        out: &mut out,
        err: &mut err,
        said: Default::default(),
    };
    let exit = commands::run(&cli, &mut cx);
    ExitCode::from(commands::finish_output(exit, &mut out, &mut err) as u8)
}
