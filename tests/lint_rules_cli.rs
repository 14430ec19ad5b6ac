//! The value and semantic rules through the binary where the command line
//! matters: scopes colliding across files, the cluster and the on-premises list
//! from `maskscope.toml`, `--prefix`, and the suppression comments the rules'
//! help recommends.

mod common;

use common::maskscope;
use std::path::Path;

/// An Application exposing `scope_name` (product arbeid, separator `/`, one consumer).
fn app(namespace: &str, name: &str, scope_name: &str, ingress: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: {namespace}
spec:
  image: ghcr.io/navikt/{name}:1
  ingresses:
    - {ingress}
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"{scope_name}\"
          enabled: true
          product: \"arbeid\"
          separator: \"/\"
          consumers:
            - orgno: \"889640782\"
"
    )
}

/// [`app`]'s text with another consumer, so that its entry differs.
fn other_consumer(app: &str) -> String {
    app.replace("\"889640782\"", "\"974761076\"")
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `(rule, file, line)` of every diagnostic in JSON output.
fn found(stdout: &str) -> Vec<(String, String, u64)> {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn scope_collision_across_files_but_not_across_environments() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".nais/dev.yaml",
        &app(
            "team-arbeid",
            "vedtak-api",
            "vedtak.read",
            "https://vedtak-api.intern.dev.nav.no",
        ),
    );
    write(
        d,
        ".nais/prod.yaml",
        &app(
            "team-arbeid",
            "vedtak-api",
            "vedtak.read",
            "https://vedtak-api.intern.nav.no",
        ),
    );
    write(
        d,
        ".nais/zz-arkiv-prod.yaml",
        &other_consumer(&app(
            "team-arbeid",
            "vedtak-arkiv",
            "vedtak.read",
            "https://vedtak-arkiv.intern.nav.no",
        )),
    );
    let r = maskscope(d, ["lint", ".nais"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);

    let r = maskscope(
        d,
        [
            "lint",
            "--format",
            "json",
            ".nais/dev.yaml",
            ".nais/prod.yaml",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
}

/// Two applications exposing one scope with the same entry share it (one
/// info); once their consumers differ, both entries collide and say so.
#[test]
fn identical_entries_are_shared_and_different_ones_collide_naming_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let api = app(
        "team-a",
        "vedtak-api",
        "vedtak.read",
        "https://a.intern.nav.no",
    );
    write(d, "a/api.yaml", &api);
    let twin = app(
        "team-a",
        "vedtak-api-q1",
        "vedtak.read",
        "https://b.intern.nav.no",
    );
    write(d, "a/twin.yaml", &twin);
    let r = maskscope(d, ["lint", "--format", "json", "a"], None);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        found(&r.stdout),
        [("shared-scope".to_owned(), "a/api.yaml".to_owned(), 14)]
    );

    let consumers = "consumers:\n            - orgno: \"889640782\"";
    assert!(twin.contains(consumers), "{twin}");
    write(
        d,
        "a/twin.yaml",
        &twin.replace(
            consumers,
            &format!("{consumers}\n            - orgno: \"974761076\""),
        ),
    );
    let r = maskscope(d, ["lint", "--format", "json", "a"], None);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(
        found(&r.stdout),
        [
            ("scope-collision".to_owned(), "a/api.yaml".to_owned(), 14),
            ("scope-collision".to_owned(), "a/twin.yaml".to_owned(), 14)
        ]
    );
    assert!(
        r.stdout.contains("is also exposed by team-a/vedtak-api-q1 (a/twin.yaml:14), and the entries differ in `consumers`;"),
        "{}",
        r.stdout
    );
}

/// The machine formats keep no file texts after each file is checked; a
/// collision found at the end is still reported in its file, and still honours
/// a suppression comment there.
#[test]
fn scope_collision_in_every_format_and_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let api = app(
        "team-a",
        "vedtak-api",
        "vedtak.read",
        "https://a.intern.nav.no",
    );
    write(d, "a/api.yaml", &api);
    let arkiv = other_consumer(&app(
        "team-a",
        "vedtak-arkiv",
        "vedtak.read",
        "https://b.intern.nav.no",
    ));
    write(d, "a/arkiv.yaml", &arkiv);
    // Both ends are reported, each naming the other.
    let r = maskscope(d, ["lint", "--format", "json", "a"], None);
    assert_eq!(
        found(&r.stdout),
        [
            ("scope-collision".to_owned(), "a/api.yaml".to_owned(), 14),
            ("scope-collision".to_owned(), "a/arkiv.yaml".to_owned(), 14)
        ]
    );
    for (format, shown) in [
        ("github", "file=a/arkiv.yaml,line=14"),
        ("sarif", "\"uri\": \"a/arkiv.yaml\""),
        // The file has no finding of its own: its text is kept for this report.
        (
            "human",
            "a/arkiv.yaml:14:11]\n 13 │       exposes:\n 14 │         - name:",
        ),
    ] {
        let r = maskscope(d, ["lint", "--format", format, "a"], None);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.contains(shown), "{format}: {}", r.stdout);
    }

    // A suppression covers its own end; both ends need one.
    let suppress = |text: &str| {
        text.replace(
            "        - name: \"vedtak.read\"",
            "        # maskscope: ignore[scope-collision]\n        - name: \"vedtak.read\"",
        )
    };
    write(d, "a/arkiv.yaml", &suppress(&arkiv));
    let r = maskscope(d, ["lint", "--format", "json", "a"], None);
    assert_eq!(
        found(&r.stdout),
        [("scope-collision".to_owned(), "a/api.yaml".to_owned(), 14)]
    );
    write(d, "a/api.yaml", &suppress(&api));
    for format in ["json", "github", "sarif", "human"] {
        let r = maskscope(d, ["lint", "--format", format, "a"], None);
        assert_eq!(r.code, 0, "{format}: {}", r.stdout);
        let reported =
            r.stdout.contains("scope-collision\"") || r.stdout.contains("[scope-collision]");
        assert!(!reported, "{format}: {}", r.stdout);
    }
}

#[test]
fn webproxy_follows_cluster_and_configured_on_premises_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "nais.yaml",
        &app(
            "team-arbeid",
            "vedtak-api",
            "vedtak.read",
            "https://vedtak-api.nais.adeo.no",
        ),
    );
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["lint", "--format", "json"];
        all.extend_from_slice(args);
        found(&maskscope(d, &all, None).stdout)
            .into_iter()
            .map(|(rule, _, line)| format!("{rule}:{line}"))
            .collect()
    };
    // Off by default: today's platform does not need the web proxy.
    assert!(rules(&["--cluster", "prod-fss"]).is_empty());
    let sel = ["--select", "webproxy-required"];
    assert_eq!(
        rules(&[&sel[..], &["--cluster", "prod-fss"]].concat()),
        ["webproxy-required:10"]
    );
    assert!(rules(&[&sel[..], &["--cluster", "prod-gcp"]].concat()).is_empty());
    assert!(rules(&sel).is_empty());

    write(
        d,
        "maskscope.toml",
        "[lint]\nselect = [\"webproxy-required\"]\non_prem_clusters = [\"prod-onprem\"]\n",
    );
    assert_eq!(
        rules(&["--cluster", "prod-onprem"]),
        ["webproxy-required:10"]
    );
    assert!(rules(&["--cluster", "prod-fss"]).is_empty());
}

#[test]
fn prefix_option_names_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = app(
        "kv",
        "eiendom-api",
        "eiendom/matrikkel.read",
        "https://eiendom.example.no",
    )
    .replace("separator: \"/\"", "separator: \":\"");
    write(d, "nais.yaml", &text);
    let r = maskscope(
        d,
        [
            "lint",
            "--prefix",
            "kartverket",
            "--select",
            "mixed-separator",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("gives the scope \"kartverket:arbeid:eiendom/matrikkel.read\""),
        "{}",
        r.stdout
    );
}

#[test]
fn suppression_comments_recommended_in_help_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = app(
        "team-arbeid",
        "vedtak-api",
        "vedtak/historikk",
        "https://vedtak-api.intern.nav.no",
    )
    .replace(
        "          separator: \"/\"\n",
        "          # maskscope: ignore[mixed-separator]\n          separator: \":\"\n",
    )
    .replace(
        "        - name: \"vedtak/historikk\"",
        "        - name: \"vedtak/historikk\" # maskscope: ignore[missing-access-suffix]",
    );
    write(d, "nais.yaml", &text);
    let r = maskscope(d, ["lint", "--format", "json"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(found(&r.stdout).is_empty(), "{}", r.stdout);

    let unsuppressed = text.replace(
        "# maskscope: ignore[mixed-separator]",
        "# kept for compatibility",
    );
    write(d, "nais.yaml", &unsuppressed);
    let again = maskscope(d, ["lint", "--format", "json"], None);
    assert_eq!(
        found(&again.stdout),
        [("mixed-separator".to_owned(), "nais.yaml".to_owned(), 18)]
    );
}
