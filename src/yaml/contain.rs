//! Keeping a panic inside the YAML parser from ending the run.
//!
//! The parser is libyaml ported to Rust; a port can panic where the C code
//! returned an error (one such case is fixed in `vendor/libyaml-safer`). Files
//! are written by anyone who opens a pull request, so a panic there must become
//! an error for that file, like any other unreadable YAML, and not a crash that
//! hides every other finding. The panic's own message is meant for the parser's
//! developers: it is not printed while a call is contained.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Run `f`; a panic in it comes back as `None`. Under `cargo fuzz` panics go
/// through, so that the fuzzer still finds them.
pub fn contain<T>(f: impl FnOnce() -> T) -> Option<T> {
    if cfg!(fuzzing) {
        return Some(f());
    }
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(outer));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::contain;

    #[test]
    fn a_panic_becomes_none_and_a_value_passes_through() {
        assert_eq!(contain(|| 7), Some(7));
        assert_eq!(contain(|| -> i32 { panic!("inside the parser") }), None);
        // Still usable afterwards, on the same thread.
        assert_eq!(contain(|| "ok"), Some("ok"));
    }
}
