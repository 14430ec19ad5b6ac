//! `maskscope rules`: list the lint rules, or explain one.

use super::{Context, Exit};
use crate::cli::RulesArgs;
use crate::lint::rules;
use crate::output::rules::{explain, list};
use crate::suggest;
use std::io::IsTerminal;

pub fn run(args: &RulesArgs, cx: &mut Context<'_>) -> Exit {
    match &args.rule {
        None => {
            cx.print(&list(std::io::stdout().is_terminal()));
            Exit::Success
        }
        Some(id) => match rules::find(id) {
            Some(rule) => {
                cx.print(&explain(rule.doc()));
                Exit::Success
            }
            None => {
                let ids: Vec<&str> = rules::all().iter().map(|r| r.doc().id).collect();
                let hint = match suggest::closest(id, ids.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? "),
                    None => String::new(),
                };
                cx.usage_error(&format!(
                    "unknown rule `{id}`: {hint}`maskscope rules` lists every rule"
                ))
            }
        },
    }
}
