//! Property tests for the invariants of the naming engine.

use maskscope::naming::{self, SeparatorSource};
use proptest::prelude::*;

fn prefix() -> impl Strategy<Value = String> {
    "[a-z]{1,8}"
}
fn product() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,12}"
}
fn name() -> impl Strategy<Value = String> {
    "[a-zæøå0-9]{1,6}([/:.][a-zæøå0-9]{1,6}){0,4}"
}
fn explicit() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("/".into())),
        Just(Some(":".into())),
        Just(Some(".".into()))
    ]
}

proptest! {
    #[test]
    fn scope_starts_with_prefix(p in prefix(), prod in product(), n in name(), sep in explicit()) {
        let r = naming::resolve(&p, &prod, &n, sep.as_deref());
        let expected_start = format!("{p}:");
        prop_assert!(r.scope.starts_with(&expected_start));
    }

    #[test]
    fn subscope_is_product_separator_name(prod in product(), n in name(), sep in explicit()) {
        let r = naming::resolve("nav", &prod, &n, sep.as_deref());
        prop_assert_eq!(&r.subscope, &format!("{}{}{}", prod, r.separator, n));
        match sep {
            Some(s) => {
                prop_assert_eq!(&r.separator, &s);
                prop_assert_eq!(r.separator_source, SeparatorSource::Explicit);
            }
            None => {
                prop_assert_eq!(r.separator.as_str(), if n.contains('/') { "/" } else { ":" });
                prop_assert_eq!(r.separator_source, SeparatorSource::Default);
            }
        }
    }

    #[test]
    fn format_and_split_round_trip(p in prefix(), prod in product(), n in name(), sep in explicit()) {
        let r = naming::resolve(&p, &prod, &n, sep.as_deref());
        let (p2, sub2) = naming::split(&r.scope).expect("a resolved scope splits");
        prop_assert_eq!(p2, p.as_str());
        prop_assert_eq!(sub2, r.subscope.as_str());
        prop_assert_eq!(naming::scope(p2, sub2), r.scope);
    }
}
