//! `maskscope rules`: list the lint rules, or explain one.

use super::{Context, Exit};
use crate::cli::{RulesArgs, RulesFormat};
use crate::lint::rules;
use crate::output::rules::{explain, explain_json, list, list_json};
use crate::suggest;
use std::io::IsTerminal;

pub fn run(args: &RulesArgs, cx: &mut Context<'_>) -> Exit {
    match &args.rule {
        None => {
            cx.print(&match args.format {
                RulesFormat::Human => list(std::io::stdout().is_terminal()),
                RulesFormat::Json => list_json(),
            });
            Exit::Success
        }
        Some(id) => match rules::find(id) {
            Some(rule) => {
                cx.print(&match args.format {
                    RulesFormat::Human => explain(rule.doc()),
                    RulesFormat::Json => explain_json(rule.doc()),
                });
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
