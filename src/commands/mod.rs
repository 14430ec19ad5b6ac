//! One module per command. Each takes its parsed arguments and returns the exit
//! code; what it prints goes to the writers it is given.

pub mod access;
pub mod completions;
pub mod deployments;
pub mod diff;
pub mod lint;
pub mod migrate;
pub mod render;
pub mod resolve;
pub mod rules;

use crate::config::ConfigError;
use crate::output::escape::text;
use crate::output::{self, report};
use crate::source::{InputError, SourceFile};
use std::io::Write;
use std::sync::Arc;

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

/// A bad config file: where, and the source line, on stderr; exit 2.
pub fn config_error(cx: &mut Context<'_>, e: &ConfigError) -> Exit {
    cx.eprint(&report::input_error(
        &e.error,
        &e.source,
        output::stderr_color(),
    ));
    Exit::Usage
}

/// Registration files that cannot be read, as reports for stderr.
pub fn render_iac_errors(errors: &[(InputError, Arc<SourceFile>)], color: bool) -> String {
    errors
        .iter()
        .map(|(err, source)| report::input_error(err, source, color))
        .collect()
}

/// Both `--iac -` and a manifest path `-`.
pub const STDIN_TWICE: &str =
    "standard input can be read only once: use `-` either for --iac or for the manifests";

/// Where a command writes, and the directory relative paths start from.
pub struct Context<'a> {
    pub cwd: std::path::PathBuf,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// What [`Context::eprint_once`] has written: a file read once per
    /// deployment would otherwise be warned about once per reading.
    pub said: std::collections::HashSet<String>,
}

/// Standard output that remembers the first write that failed, so that the
/// commands can write without checking each write, and the end of the run can
/// say that the output is incomplete (see [`finish_output`]).
pub struct Checked<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Checked<W> {
    pub fn new(inner: W) -> Self {
        Checked { inner, error: None }
    }

    fn note<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result
            && self.error.is_none()
        {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
        result
    }
}

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// The exit code once everything is written: output that could not be written
/// (a full disk, a closed file) is an error on stderr and exit 2, whatever the
/// command found. A closed pipe (`| head`) is not: the reader wanted no more.
pub fn finish_output<W: Write>(exit: Exit, out: &mut Checked<W>, err: &mut dyn Write) -> Exit {
    let _ = out.flush();
    match &out.error {
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                err,
                "error: cannot write the output: {}",
                crate::discover::io_reason(e)
            );
            Exit::Usage
        }
        _ => exit,
    }
}

impl Context<'_> {
    /// Write to stdout. A failed write is remembered by the writer
    /// ([`Checked`]) and reported at the end ([`finish_output`]).
    pub fn print(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    pub fn eprint(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
    }

    /// [`Context::eprint`], unless the same text was written before.
    pub fn eprint_once(&mut self, text: &str) {
        if self.said.insert(text.to_owned()) {
            self.eprint(text);
        }
    }

    /// `warning: MESSAGE` on stderr. Every message is one line, and most
    /// name values read from input: the whole message is escaped
    /// ([`text`]), so that none of them starts a line of its own.
    pub fn warn(&mut self, message: &str) {
        self.eprint(&format!("warning: {}\n", text(message)));
    }

    /// [`Context::warn`], unless the same warning was written before.
    pub fn warn_once(&mut self, message: &str) {
        self.eprint_once(&format!("warning: {}\n", text(message)));
    }

    /// A usage error: `error: MESSAGE` on stderr, escaped as [`Context::warn`]
    /// escapes it; exit 2.
    pub fn usage_error(&mut self, message: &str) -> Exit {
        self.eprint(&format!("error: {}\n", text(message)));
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

/// On stderr, for every command that reads manifests: inputs passed over,
/// what could not be worked out about deployments, and what the command
/// line overrides.
fn note_inputs(args: &crate::cli::InputArgs, ws: &crate::inputs::Workspace, cx: &mut Context<'_>) {
    for note in &ws.skipped {
        cx.warn(note);
    }
    for w in &ws.deployments.warnings {
        cx.warn(&w.to_string());
    }
    let overrides_vars = args.vars.is_some() || !args.var.is_empty();
    for note in
        crate::inputs::override_notes(overrides_vars, args.cluster.as_deref(), &ws.deployments)
    {
        cx.eprint(&format!("note: {}\n", text(&note)));
    }
}

/// Without paths, a command starts from the repository's root, as git and
/// cargo do: the nearest folder upward holding `.git` or `maskscope.toml`
/// ([`crate::discover::root`]). The files the command line names (`--vars`,
/// `--config`, `--iac`) stay relative to the folder it was run in, and the
/// files read are shown relative to it too.
fn start_at_root(input: &mut crate::cli::InputArgs, files: &mut [String], cx: &mut Context<'_>) {
    if !input.paths.is_empty() {
        return;
    }
    let Some(root) = crate::discover::root(&cx.cwd) else {
        return;
    };
    let Ok(below) = cx.cwd.strip_prefix(&root) else {
        return;
    };
    let depth = below.components().count();
    if depth == 0 {
        return;
    }
    let here = cx.cwd.clone();
    input.vars = input.vars.take().map(|p| here.join(p));
    input.config = input.config.take().map(|p| here.join(p));
    for f in files.iter_mut().filter(|f| f.as_str() != "-") {
        *f = here.join(&*f).to_string_lossy().into_owned();
    }
    input.shown_from = Some(std::iter::repeat_n("..", depth).collect());
    cx.cwd = root;
}

/// Run the command the user asked for.
pub fn run(cli: &crate::cli::Cli, cx: &mut Context<'_>) -> Exit {
    use crate::cli::Command;
    match &cli.command {
        Command::Resolve(args) => {
            let mut args = args.clone();
            start_at_root(&mut args.input, &mut [], cx);
            resolve::run(&args, cx)
        }
        Command::Lint(args) => {
            let mut args = args.clone();
            start_at_root(&mut args.input, &mut args.iac, cx);
            lint::run(&args, cx)
        }
        Command::MigrateCheck(args) => {
            let mut args = args.clone();
            start_at_root(&mut args.input, &mut args.iac, cx);
            migrate::run(&args, cx)
        }
        Command::Deployments(args) => {
            let mut args = args.clone();
            start_at_root(&mut args.input, &mut [], cx);
            deployments::run(&args, cx)
        }
        Command::Render(args) => render::run(args, cx),
        Command::Diff(args) => diff::run(args, cx),
        Command::Access(args) => {
            let mut args = args.clone();
            start_at_root(&mut args.input, &mut [], cx);
            access::run(&args, cx)
        }
        Command::Rules(args) => rules::run(args, cx),
        Command::Completions { shell } => completions::completions(*shell, cx),
        Command::Man => completions::man(cx),
    }
}
