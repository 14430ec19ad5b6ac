//! Property tests for the migration checks: an entry that resolves to the
//! registered subscope is adopted cleanly, and when the separator or product
//! differs, `scope-not-exposed` names exactly the field to set. Arbitrary
//! registration files never panic the reader.

use maskscope::migrate::check::{self, Options, Status};
use maskscope::migrate::iac;
use maskscope::model::Manifest;
use maskscope::naming;
use maskscope::template::{Renderer, Vars};
use proptest::prelude::*;

fn manifests(text: &str) -> Vec<Manifest> {
    let file = maskscope::load::load_bytes(
        "nais.yaml",
        Ok(text.as_bytes().to_vec()),
        &Renderer::new(&Vars::default()),
    );
    file.manifests
}

fn app(product: &str, name: &str, separator: Option<&str>) -> String {
    let sep = separator.map_or(String::new(), |s| format!("          separator: \"{s}\""));
    [
        "apiVersion: nais.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: vedtak-api",
        "  namespace: team-vedtak",
        "spec:",
        "  maskinporten:",
        "    enabled: true",
        "    scopes:",
        "      exposes:",
        &format!("        - name: \"{name}\""),
        "          enabled: true",
        &format!("          product: \"{product}\""),
        &sep,
        "          consumers:",
        "            - orgno: \"889640782\"",
    ]
    .iter()
    .filter(|l| !l.is_empty())
    .map(|l| format!("{l}\n"))
    .collect()
}

fn registration(subscope: &str) -> String {
    format!(
        "- name: \"nav:{subscope}\"\n  description: \"prodgcp:teamvedtak:vedtakapi.{subscope}\"\n  consumers: [\"889640782\"]\n"
    )
}

fn run(reg: &str, manifest: &str) -> (Status, Vec<(String, String)>) {
    let regs = iac::read_str("scopes.yaml", reg.to_owned(), "nav").expect("registration reads");
    let ms = manifests(manifest);
    let opts = Options {
        prefix: "nav".into(),
        cluster: None,
        unreadable: Vec::new(),
    };
    let report = check::check(&regs, &ms, &opts);
    let o = &report.outcomes[0];
    let findings = o
        .findings
        .iter()
        .map(|f| (f.check.id().to_owned(), f.finding.message.clone()))
        .collect();
    (o.status, findings)
}

fn product() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,10}"
}
fn name() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,6}(/[a-z0-9]{1,6}){0,2}(\\.[a-z0-9]{1,6}){0,2}"
}
fn separator() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        Just(Some("/")),
        Just(Some(":")),
        Just(Some("."))
    ]
}

proptest! {
    #[test]
    fn an_entry_resolving_to_the_subscope_is_adopted(p in product(), n in name(), sep in separator()) {
        let subscope = naming::resolve("nav", &p, &n, sep).subscope;
        let (status, findings) = run(&registration(&subscope), &app(&p, &n, sep));
        prop_assert_eq!(status, Status::Ready, "{:?}", findings);
        prop_assert_eq!(findings.len(), 1);
        prop_assert_eq!(findings[0].0.as_str(), "description-rewrite");
    }

    #[test]
    fn another_separator_is_named(p in product(), n in name(), sep in separator(), pick in 0usize..2) {
        let registered = naming::resolve("nav", &p, &n, sep);
        let others: Vec<&str> = ["/", ":", "."]
            .into_iter()
            .filter(|s| *s != registered.separator)
            .collect();
        let other = Some(others[pick]);
        let (status, findings) = run(&registration(&registered.subscope), &app(&p, &n, other));
        prop_assert_eq!(status, Status::Blocked);
        let wanted = format!(
            "set `separator: {:?}` to get `{}`",
            registered.separator, registered.scope
        );
        prop_assert!(
            findings.iter().any(|(id, m)| id == "scope-not-exposed" && m.contains(&wanted)),
            "{:?}", findings
        );
    }

    #[test]
    fn another_product_is_named(p in product(), q in product(), n in name(), sep in prop_oneof![Just(Some("/")), Just(Some(":"))]) {
        prop_assume!(p != q);
        let registered = naming::resolve("nav", &p, &n, sep);
        let (_, findings) = run(&registration(&registered.subscope), &app(&q, &n, sep));
        let wanted = format!("set `product: {p:?}` to get `{}`", registered.scope);
        prop_assert!(
            findings.iter().any(|(id, m)| id == "scope-not-exposed" && m.contains(&wanted)),
            "{:?}", findings
        );
    }

    #[test]
    fn reading_arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = iac::read_str("scopes.yaml", text, "nav");
    }

    #[test]
    fn reading_arbitrary_registrations_never_panics(
        fields in proptest::collection::vec(("[a-z_]{1,12}", "\\PC{0,12}"), 0..6)
    ) {
        let mut text = String::from("- ");
        for (k, v) in fields {
            text.push_str(&format!("{k}: {v:?}\n  "));
        }
        let _ = iac::read_str("scopes.yaml", text, "nav");
    }
}
