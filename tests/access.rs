//! `maskscope access` through the binary: on the deployment fixtures, on
//! files written here, and on the real corpus (`../shared/corpus/navikt`).

mod common;

use common::{Run, maskscope};
use serde_json::{Value, json};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_of(r: &Run) -> Value {
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// `(environment, cluster, orgno, name, scope, app)` of every grant.
fn grants(v: &Value) -> Vec<(Value, Value, String, Value, String, String)> {
    v["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let mut keys: Vec<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["app", "cluster", "environment", "name", "orgno", "scope"]
            );
            (
                g["environment"].clone(),
                g["cluster"].clone(),
                g["orgno"].as_str().unwrap().to_owned(),
                g["name"].clone(),
                g["scope"].as_str().unwrap().to_owned(),
                g["app"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn matrix(args: &[&str]) -> Run {
    let mut all = vec!["access"];
    all.extend_from_slice(args);
    maskscope(&root().join("testdata/deploy/matrix"), all, None)
}

#[test]
fn grants_per_deployment_and_environment() {
    let v = json_of(&matrix(&["--format", "json"]));
    let t = |s: &str| json!(s);
    // app.yaml goes to dev-gcp with vars-dev.yaml (orgno 123456789, "Test
    // org") and prod-gcp with vars-prod.yaml (974761076, "Skatteetaten");
    // arkiv-dev-gcp.yaml to dev-gcp by its name.
    let api = "team-vedtak/vedtak-api".to_owned();
    let arkiv = "team-vedtak/vedtak-arkiv".to_owned();
    let read = "nav:arbeid/vedtak.read".to_owned();
    let hist = "nav:arbeid/vedtak/historikk.read".to_owned();
    let want = vec![
        (
            t("test"),
            t("dev-gcp"),
            "123456789".into(),
            t("Test org"),
            read.clone(),
            api.clone(),
        ),
        (
            t("test"),
            t("dev-gcp"),
            "889640782".into(),
            t("NAV"),
            read.clone(),
            arkiv.clone(),
        ),
        (
            t("test"),
            t("dev-gcp"),
            "889640782".into(),
            t("NAV"),
            hist.clone(),
            api.clone(),
        ),
        (
            t("prod"),
            t("prod-gcp"),
            "889640782".into(),
            t("NAV"),
            hist.clone(),
            api.clone(),
        ),
        (
            t("prod"),
            t("prod-gcp"),
            "974761076".into(),
            t("Skatteetaten"),
            read.clone(),
            api.clone(),
        ),
    ];
    let mut got = grants(&v);
    got.sort_by(|a, b| (a.0.to_string(), &a.2, &a.4).cmp(&(b.0.to_string(), &b.2, &b.4)));
    let mut want_sorted = want.clone();
    want_sorted.sort_by(|a, b| (a.0.to_string(), &a.2, &a.4).cmp(&(b.0.to_string(), &b.2, &b.4)));
    assert_eq!(got, want_sorted);
    assert_eq!(v["open"], json!([]));

    let nav = json_of(&matrix(&["--format", "json", "--orgno", "889640782"]));
    assert_eq!(grants(&nav).len(), 3);
    assert!(grants(&nav).iter().all(|g| g.2 == "889640782"));
    let one = json_of(&matrix(&["--format", "json", "--scope", &read]));
    let orgs: Vec<String> = grants(&one).into_iter().map(|g| g.2).collect();
    assert_eq!(orgs.len(), 3, "{orgs:?}");
    assert!(grants(&one).iter().all(|g| g.4 == read));
}

#[test]
fn only_active_scopes_grant_access() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = |name: &str, enabled: bool, entry_enabled: bool, open: bool| {
        format!(
            "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  maskinporten:\n    enabled: {enabled}\n    scopes:\n      exposes:\n        - name: \"{name}.read\"\n          enabled: {entry_enabled}\n          product: \"arbeid\"\n          accessibleForAll: {open}\n          consumers:\n            - orgno: \"889640782\"\n"
        )
    };
    let nais = dir.path().join(".nais");
    std::fs::create_dir(&nais).unwrap();
    std::fs::write(
        nais.join("alpha-prod-gcp.yaml"),
        manifest("alpha", true, true, true),
    )
    .unwrap();
    std::fs::write(
        nais.join("beta-prod-gcp.yaml"),
        manifest("beta", false, true, true),
    )
    .unwrap();
    std::fs::write(
        nais.join("gamma-prod-gcp.yaml"),
        manifest("gamma", true, false, true),
    )
    .unwrap();
    let r = maskscope(dir.path(), ["access", "--format", "json"], None);
    let v = json_of(&r);
    assert_eq!(
        v,
        json!({
            "grants": [{"orgno": "889640782", "name": null, "scope": "nav:arbeid:alpha.read",
                        "app": "team/alpha", "environment": "prod", "cluster": "prod-gcp"}],
            "open": [{"scope": "nav:arbeid:alpha.read", "app": "team/alpha", "environment": "prod",
                      "cluster": "prod-gcp"}]
        })
    );
    // An open scope is open to the organisation asked about, too.
    let other = json_of(&maskscope(
        dir.path(),
        ["access", "--format", "json", "--orgno", "974761076"],
        None,
    ));
    assert_eq!(other["grants"], json!([]));
    assert_eq!(other["open"].as_array().unwrap().len(), 1);
    let table = maskscope(dir.path(), ["access"], None);
    assert!(
        table
            .stdout
            .contains("every organisation (accessibleForAll)"),
        "{}",
        table.stdout
    );
}

#[test]
fn the_corpus() {
    let corpus_dir = corpus_or_skip!();
    let corpus = |repo: &str| Some(corpus_dir.join(repo));
    // nais-preprod.yaml and nais-prod.yaml each expose
    // familie/v1/barnetrygd/utvidet (a `/` in the name) to NAV and Skatteetaten.
    let Some(familie) = corpus("navikt__familie-ba-skatteetaten-api") else {
        return;
    };
    let v = json_of(&maskscope(&familie, ["access", "--format", "json"], None));
    let got: Vec<(Value, String, Value)> =
        grants(&v).into_iter().map(|g| (g.0, g.2, g.3)).collect();
    assert_eq!(
        got,
        [
            (json!("test"), "889640782".to_owned(), json!("NAV")),
            (json!("test"), "974761076".to_owned(), json!("Skatteetaten")),
            (json!("prod"), "889640782".to_owned(), json!("NAV")),
            (json!("prod"), "974761076".to_owned(), json!("Skatteetaten")),
        ]
    );
    assert!(
        grants(&v)
            .iter()
            .all(|g| g.4 == "nav:familie/v1/barnetrygd/utvidet")
    );
    // esyfo-narmesteleder's scope is accessibleForAll in dev and prod.
    let esyfo = corpus("navikt__esyfo-narmesteleder").unwrap();
    let v = json_of(&maskscope(&esyfo, ["access", "--format", "json"], None));
    let open: Vec<(&str, &str)> = v["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["environment"].as_str().unwrap(),
                o["scope"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        open,
        [
            ("test", "nav:syfo/narmesteleder/lps"),
            ("prod", "nav:syfo/narmesteleder/lps")
        ]
    );
    // The whole corpus in one run: every format works on it.
    let all = corpus_dir.clone();
    for format in ["table", "json", "markdown", "mermaid"] {
        let r = maskscope(&all, ["access", ".", "--format", format], None);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
    }
}

#[test]
fn formats() {
    for format in ["table", "markdown", "mermaid"] {
        let r = matrix(&["--format", format]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        insta::assert_snapshot!(format!("access_{format}"), r.stdout);
    }
}

#[test]
fn mermaid_has_one_node_per_organisation_scope_and_app() {
    let r = matrix(&["--format", "mermaid"]);
    let text = r.stdout;
    // Bare, as a `.mmd` file, the Mermaid CLI and mermaid.live take it.
    assert!(text.starts_with("flowchart LR\n"), "{text}");
    assert!(text.ends_with("  end\n"), "{text}");
    assert!(!text.contains("```"), "{text}");
    // Markdown embeds the same diagram in a fence GitHub renders.
    let md = matrix(&["--format", "markdown"]).stdout;
    assert!(md.ends_with(&format!("\n```mermaid\n{text}```\n")), "{md}");
    let nodes = |needle: &str| {
        text.lines()
            .filter(|l| l.contains(needle) && !l.contains("--"))
            .count()
    };
    // NAV: one node in each environment, though it has three grants.
    assert_eq!(nodes("\"889640782 NAV\""), 2);
    assert_eq!(nodes("\"nav:arbeid/vedtak.read\""), 2);
}

#[test]
fn filters_say_what_is_wrong_with_them() {
    let bad = matrix(&["--orgno", "12345"]);
    assert_eq!(bad.code, 2);
    assert_eq!(
        bad.stderr,
        "error: --orgno: `12345` is not an organisation number (nine digits, as in `974761076`)\n"
    );
    let typo = matrix(&["--scope", "nav:arbeid/vedtak.raed", "--format", "json"]);
    assert_eq!(typo.code, 0, "{}", typo.stderr);
    assert_eq!(
        typo.stderr,
        "warning: --scope: no manifest exposes `nav:arbeid/vedtak.raed`; did you mean `nav:arbeid/vedtak.read`?\n"
    );
    assert_eq!(json_of(&typo)["grants"], json!([]));
    let known = matrix(&["--scope", "nav:arbeid/vedtak.read", "--format", "json"]);
    assert_eq!(known.stderr, "");
}
