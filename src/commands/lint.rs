//! `maskscope lint`.

use super::{Context, Exit};

pub fn run(_cx: &mut Context<'_>) -> Exit {
    _cx.usage_error("not available yet")
}
