use clap::{ColorChoice, CommandFactory, FromArgMatches};
use maskscope::cli::{Cli, Command};
use maskscope::commands::{self, Context};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap writes help and usage errors itself: it follows `--color` too.
    let command = match color_asked(std::env::args_os()) {
        Some(when) => Cli::command().color(when),
        None => Cli::command(),
    };
    let mut cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit());
    maskscope::output::set_color(cli.color);
    maskscope::deploy::sources::set_network(if cli.offline {
        maskscope::deploy::sources::Network::Offline
    } else if cli.online {
        maskscope::deploy::sources::Network::Online
    } else {
        maskscope::deploy::sources::Network::WithToken
    });
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

/// The `--color` the command line gives, read before clap parses it, so
/// that clap's own output (help, usage errors) follows it as well.
fn color_asked(args: impl Iterator<Item = std::ffi::OsString>) -> Option<ColorChoice> {
    let mut asked = None;
    let mut args = args.skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.to_str() {
            Some("--") => break,
            Some("--color") => args.next(),
            Some(a) => a.strip_prefix("--color=").map(Into::into),
            None => None,
        };
        if let Some(v) = value {
            asked = match v.to_str() {
                Some("always") => Some(ColorChoice::Always),
                Some("never") => Some(ColorChoice::Never),
                Some("auto") => Some(ColorChoice::Auto),
                _ => asked,
            };
        }
    }
    asked
}
