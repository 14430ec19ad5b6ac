//! `maskscope completions SHELL` and `maskscope man`: shell completion scripts
//! and a man page, both generated from the command-line definition in
//! [`crate::cli`], so they never drift from what the binary accepts.

use super::{Context, Exit};
use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

/// Print the completion script for `shell`.
pub fn completions(shell: Shell, cx: &mut Context<'_>) -> Exit {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "maskscope", &mut script);
    cx.print(&String::from_utf8_lossy(&script));
    Exit::Success
}

/// Print the man page (roff) for `maskscope`, with a section per command.
pub fn man(cx: &mut Context<'_>) -> Exit {
    let mut command = Cli::command();
    command.build();
    let top = clap_mangen::Man::new(command.clone());
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let rendered = top.render_title(&mut head).is_ok()
        && top.render_name_section(&mut head).is_ok()
        && top.render_synopsis_section(&mut head).is_ok()
        && top.render_description_section(&mut head).is_ok()
        && top.render_options_section(&mut head).is_ok()
        && top.render_extra_section(&mut tail).is_ok()
        && top.render_version_section(&mut tail).is_ok();
    if !rendered {
        return cx.usage_error("cannot write the man page");
    }
    let mut page = String::from_utf8_lossy(&head).into_owned();
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("maskscope {}", sub.get_name());
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        page.push_str(&format!(
            ".SH \"{}\"\n{}\n",
            name.to_uppercase(),
            roff_text(&about)
        ));
        let man = clap_mangen::Man::new(sub.clone().bin_name(name));
        let mut section = Vec::new();
        if man.render_synopsis_section(&mut section).is_err()
            || man.render_options_section(&mut section).is_err()
            || man.render_extra_section(&mut section).is_err()
        {
            return cx.usage_error("cannot write the man page");
        }
        push_one_level_down(&mut page, &String::from_utf8_lossy(&section));
    }
    let tail = String::from_utf8_lossy(&tail).replace(".SH EXTRA", ".SH \"EXIT STATUS\"");
    page.push_str(&tail);
    cx.print(&page);
    Exit::Success
}

/// Append roff sections as subsections (`.SH` becomes `.SS`).
fn push_one_level_down(page: &mut String, roff: &str) {
    for line in roff.lines() {
        match line.strip_prefix(".SH ") {
            Some("EXTRA") => page.push_str(".SS EXAMPLES\n"),
            Some(heading) => page.push_str(&format!(".SS {heading}\n")),
            None if line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq") => {}
            None => {
                page.push_str(line);
                page.push('\n');
            }
        }
    }
}

/// Text for a roff body line: a leading `.` or `'` would be read as a request.
fn roff_text(text: &str) -> String {
    let text = text.replace('\\', "\\e");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}
