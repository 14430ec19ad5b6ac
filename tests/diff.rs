//! `maskscope diff` through the binary, on git repositories built here in
//! temporary folders: every kind of change, in both directions, with HEAD
//! given and against the working tree, deployments found at each revision,
//! and the errors (a revision that does not exist, outside a repository, a
//! shallow clone, `--fail-on`).

mod common;

use common::maskscope;
use common::repo::{Repo, git_in};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A manifest of `team/NAME` for `dev-gcp` (by its file name) whose exposes
/// list is `exposes` (YAML list items indented by 8).
fn app(name: &str, enabled: bool, exposes: &str) -> String {
    format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: {enabled}\n    scopes:\n      exposes:\n{exposes}"
    )
}

const FILE: &str = ".nais/dev-gcp.yaml";

/// `- name: NAME` with product arbeid, `enabled`, and `extra` lines (indented by 10).
fn entry(name: &str, enabled: bool, extra: &str) -> String {
    format!(
        "        - name: \"{name}\"\n          enabled: {enabled}\n          product: \"arbeid\"\n{extra}"
    )
}

fn consumers(orgnos: &[(&str, &str)]) -> String {
    let mut s = "          consumers:\n".to_owned();
    for (orgno, name) in orgnos {
        s.push_str(&format!("            - orgno: \"{orgno}\"\n"));
        if !name.is_empty() {
            s.push_str(&format!("              name: \"{name}\"\n"));
        }
    }
    s
}

/// The repository with `before` committed, then `after` committed; the diff
/// from the first commit to the second, and the other way round.
fn both_ways(before: &str, after: &str) -> (Vec<Value>, Vec<Value>) {
    let r = Repo::new();
    let a = r.write(FILE, before).commit("before");
    let b = r.write(FILE, after).commit("after");
    (r.changes(&[&a, &b]), r.changes(&[&b, &a]))
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

/// The 1-based line of the first line of `text` that contains `needle`
/// (at or after line `from`).
fn line_of(text: &str, needle: &str, from: usize) -> u64 {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i as u64 + 1)
        .unwrap_or_else(|| panic!("{needle} not in {text}"))
}

#[test]
fn a_new_scope_is_created_with_its_consumers_and_removing_it_leaves_it_active() {
    let before = app("api", true, &entry("aa.read", true, ""));
    let after = app(
        "api",
        true,
        &format!(
            "{}{}",
            entry("aa.read", true, ""),
            entry(
                "bb.read",
                true,
                &consumers(&[("889640782", "NAV"), ("974761076", "")])
            )
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["scope-created"]);
    let c = &forward[0];
    assert_eq!(c["scope"], "nav:arbeid:bb.read");
    assert_eq!(c["environment"], "test");
    assert_eq!(c["cluster"], "dev-gcp");
    assert_eq!(c["app"], "team/api");
    assert_eq!(c["file"], FILE);
    assert_eq!(c["line"], line_of(&after, "bb.read", 1));
    assert_eq!(c["side"], "head");
    assert_eq!(c["enabled"], true);
    assert_eq!(
        c["consumers"],
        json!([{"orgno": "889640782", "name": "NAV"}, {"orgno": "974761076", "name": null}])
    );

    assert_eq!(kinds(&back), ["scope-removed-still-active"]);
    let c = &back[0];
    assert_eq!(c["scope"], "nav:arbeid:bb.read");
    // BASE is `after` here: the record points at BASE's line.
    assert_eq!(c["side"], "base");
    assert_eq!(c["line"], line_of(&after, "bb.read", 1));
    assert_eq!(c["consumers"].as_array().unwrap().len(), 2);
    assert!(
        c["help"]
            .as_str()
            .unwrap()
            .contains("`enabled: false`, deploy, then remove")
    );
}

#[test]
fn a_new_disabled_scope_is_registered_with_its_consumers_and_removing_a_disabled_one_changes_nothing()
 {
    let before = app("api", true, &entry("aa.read", true, ""));
    let after = app(
        "api",
        true,
        &format!(
            "{}{}",
            entry("aa.read", true, ""),
            entry("bb.read", false, &consumers(&[("889640782", "NAV")]))
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["scope-created"]);
    assert_eq!(forward[0]["enabled"], false);
    assert_eq!(forward[0]["consumers"][0]["orgno"], "889640782");
    assert!(back.is_empty(), "{back:?}");
}

#[test]
fn deactivating_keeps_the_access_list_and_reactivating_sets_it() {
    let before = app(
        "api",
        true,
        &entry("aa.read", true, &consumers(&[("889640782", "NAV")])),
    );
    // Disabled, with a consumer swapped: the access list is left alone.
    let after = app(
        "api",
        true,
        &entry(
            "aa.read",
            false,
            &format!(
                "          atMaxAge: 60\n{}",
                consumers(&[("974761076", "Skatt")])
            ),
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["scope-deactivated"]);
    assert_eq!(forward[0]["scope"], "nav:arbeid:aa.read");
    // Enabled again: its access list and attributes are set to HEAD's.
    assert_eq!(
        kinds(&back),
        [
            "scope-reactivated",
            "consumer-granted",
            "consumer-revoked",
            "attribute-changed"
        ]
    );
    assert_eq!(back[1]["orgno"], "889640782");
    assert_eq!(back[1]["name"], "NAV");
    assert_eq!(back[2]["orgno"], "974761076");
    assert_eq!(back[2]["name"], "Skatt");
    assert_eq!(
        (&back[3]["field"], &back[3]["old"], &back[3]["new"]),
        (&json!("atMaxAge"), &json!(60), &json!(30))
    );
}

#[test]
fn grants_and_revocations_name_the_orgno_and_point_at_head() {
    let before = app(
        "api",
        true,
        &entry(
            "aa.read",
            true,
            &consumers(&[("889640782", "NAV"), ("974761076", "")]),
        ),
    );
    let after = app(
        "api",
        true,
        &entry(
            "aa.read",
            true,
            &consumers(&[("889640782", "NAV"), ("910000000", "Ny")]),
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["consumer-granted", "consumer-revoked"]);
    let (g, r) = (&forward[0], &forward[1]);
    assert_eq!(
        (&g["orgno"], &g["name"]),
        (&json!("910000000"), &json!("Ny"))
    );
    assert_eq!(g["line"], line_of(&after, "910000000", 1));
    assert_eq!(
        (&r["orgno"], &r["name"]),
        (&json!("974761076"), &Value::Null)
    );
    // The revoked orgno is gone at HEAD: the record points at HEAD's entry.
    assert_eq!(
        (&r["side"], &r["line"]),
        (&json!("head"), &json!(line_of(&after, "aa.read", 1)))
    );
    assert_eq!(kinds(&back), ["consumer-granted", "consumer-revoked"]);
    assert_eq!(back[0]["orgno"], "974761076");
    assert_eq!(back[1]["orgno"], "910000000");
}

#[test]
fn accessible_for_all_opens_and_closes() {
    let before = app("api", true, &entry("aa.read", true, ""));
    let after = app(
        "api",
        true,
        &entry("aa.read", true, "          accessibleForAll: true\n"),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["opened-to-all"]);
    assert_eq!(forward[0]["line"], line_of(&after, "accessibleForAll", 1));
    assert_eq!(kinds(&back), ["closed-to-all"]);
}

#[test]
fn attributes_are_compared_with_their_defaults() {
    let before = app(
        "api",
        true,
        &entry("a/b.read", true, "          separator: \"/\"\n"),
    );
    let after = app(
        "api",
        true,
        &entry(
            "a/b.read",
            true,
            "          separator: \"/\"\n          atMaxAge: 120\n          allowedIntegrations: [maskinporten, krr]\n          visibility: private\n          delegationSource: altinn\n",
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    let got: Vec<(Value, Value, Value)> = forward
        .iter()
        .map(|c| {
            assert_eq!(c["kind"], "attribute-changed");
            (c["field"].clone(), c["old"].clone(), c["new"].clone())
        })
        .collect();
    let mut want = vec![
        (
            json!("allowedIntegrations"),
            json!(["maskinporten"]),
            json!(["maskinporten", "krr"]),
        ),
        (json!("atMaxAge"), json!(30), json!(120)),
        (json!("delegationSource"), Value::Null, json!("altinn")),
        (json!("visibility"), json!("public"), json!("private")),
    ];
    assert_eq!(got, want);
    assert_eq!(forward[1]["line"], line_of(&after, "atMaxAge", 1));
    for w in &mut want {
        std::mem::swap(&mut w.1, &mut w.2);
    }
    let got_back: Vec<(Value, Value, Value)> = back
        .iter()
        .map(|c| (c["field"].clone(), c["old"].clone(), c["new"].clone()))
        .collect();
    assert_eq!(got_back, want);
}

#[test]
fn a_changed_separator_or_name_is_a_rename_that_leaves_the_old_scope_active() {
    let before = app(
        "api",
        true,
        &format!(
            "{}{}",
            entry("aa.read", true, &consumers(&[("889640782", "NAV")])),
            entry("bb.read", true, "")
        ),
    );
    // Entry 1 keeps its name and gets a separator; entry 2 keeps its place
    // and gets another name.
    let after = app(
        "api",
        true,
        &format!(
            "{}{}",
            entry(
                "aa.read",
                true,
                &format!(
                    "          separator: \"/\"\n{}",
                    consumers(&[("974761076", "Skatt")])
                )
            ),
            entry("cc.read", true, "")
        ),
    );
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["scope-renamed", "scope-renamed"]);
    let by_new = |changes: &[Value], new: &str| {
        changes
            .iter()
            .find(|c| c["new"] == new)
            .cloned()
            .unwrap_or_else(|| panic!("{new} in {changes:?}"))
    };
    let a = by_new(&forward, "nav:arbeid/aa.read");
    assert_eq!(a["old"], "nav:arbeid:aa.read");
    assert_eq!(a["scope"], "nav:arbeid/aa.read");
    assert_eq!(
        a["consumers"],
        json!([{"orgno": "974761076", "name": "Skatt"}])
    );
    assert_eq!(
        a["old_consumers"],
        json!([{"orgno": "889640782", "name": "NAV"}])
    );
    assert!(a["help"].as_str().unwrap().contains("stays active"));
    let c = by_new(&forward, "nav:arbeid:cc.read");
    assert_eq!(c["old"], "nav:arbeid:bb.read");
    assert_eq!(c["line"], line_of(&after, "cc.read", 1));
    assert_eq!(kinds(&back), ["scope-renamed", "scope-renamed"]);
    assert_eq!(
        by_new(&back, "nav:arbeid:aa.read")["old"],
        "nav:arbeid/aa.read"
    );
}

#[test]
fn disabling_maskinporten_leaves_enabled_scopes_active() {
    let exposes = format!(
        "{}{}",
        entry("aa.read", true, &consumers(&[("889640782", "NAV")])),
        entry("bb.read", false, "")
    );
    let before = app("api", true, &exposes);
    let after = app("api", false, &exposes);
    let (forward, back) = both_ways(&before, &after);
    assert_eq!(kinds(&forward), ["maskinporten-disabled"]);
    let c = &forward[0];
    assert_eq!(c["scope"], Value::Null);
    assert_eq!(c["scopes"], json!(["nav:arbeid:aa.read"]));
    assert_eq!(c["app"], "team/api");
    assert_eq!(c["line"], line_of(&after, "maskinporten:", 1));
    assert_eq!(c["side"], "head");
    // Enabled again: the client comes back, and its scopes with their lists
    // as HEAD has them (no change from BASE's list).
    assert_eq!(
        kinds(&back),
        ["maskinporten-enabled", "scope-created", "scope-created"]
    );
    assert_eq!(back[0]["scopes"], json!(["nav:arbeid:aa.read"]));
    // Whether the scopes are left from before cannot be known: the records
    // say both.
    for created in &back[1..] {
        assert!(
            created["help"]
                .as_str()
                .is_some_and(|h| h.contains("if the scope was registered while it was on before")),
            "{created}"
        );
    }
    // A client new at HEAD has no such doubt.
    let r = Repo::new();
    let a = r
        .write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    let b = r
        .write(
            ".nais/prod-gcp.yaml",
            &app("api", true, &entry("aa.read", true, "")),
        )
        .commit("two");
    let fresh = r.changes(&[&a, &b]);
    let created: Vec<&Value> = fresh
        .iter()
        .filter(|c| c["kind"] == "scope-created")
        .collect();
    assert_eq!(created.len(), 1, "{fresh:?}");
    assert!(created[0].get("help").is_none(), "{fresh:?}");
}

#[test]
fn a_deleted_manifest_is_no_longer_deployed_and_an_added_one_enables_it() {
    let r = Repo::new();
    let text = app("api", true, &entry("aa.read", true, ""));
    r.write("nais.yaml", "apiVersion: v1\nkind: ConfigMap\n");
    let a = r.write(FILE, &text).commit("one");
    let b = r.remove(FILE).commit("two");
    // nais deploy deletes nothing: the client stays as last deployed.
    let gone = r.changes(&[&a, &b]);
    assert_eq!(kinds(&gone), ["no-longer-deployed"]);
    assert_eq!(gone[0]["side"], "base");
    assert_eq!(gone[0]["file"], FILE);
    assert_eq!(gone[0]["scopes"], json!(["nav:arbeid:aa.read"]));
    let added = r.changes(&[&b, &a]);
    assert_eq!(kinds(&added), ["maskinporten-enabled", "scope-created"]);
}

#[test]
fn a_renamed_file_changes_nothing() {
    let r = Repo::new();
    let text = app(
        "api",
        true,
        &entry("aa.read", true, &consumers(&[("889640782", "NAV")])),
    );
    let a = r.write(FILE, &text).commit("one");
    r.git(&["mv", FILE, ".nais/dev-gcp-api.yaml"]);
    let b = r.commit("two");
    assert_eq!(r.changes(&[&a, &b]), Vec::<Value>::new());
}

#[test]
fn the_working_tree_is_head_when_head_is_not_given() {
    let r = Repo::new();
    let before = app("api", true, &entry("aa.read", true, ""));
    r.write(FILE, &before).commit("one");
    let after = app(
        "api",
        true,
        &entry("aa.read", true, &consumers(&[("889640782", "NAV")])),
    );
    r.write(FILE, &after);
    let changes = r.changes(&["HEAD"]);
    assert_eq!(kinds(&changes), ["consumer-granted"]);
    assert_eq!(changes[0]["line"], line_of(&after, "889640782", 1));
    let r2 = r.diff(&["HEAD", "--format", "json"]);
    let v: Value = serde_json::from_str(&r2.stdout).unwrap();
    assert_eq!(v["head"], json!({"revision": null, "commit": null}));
    assert_eq!(v["base"]["revision"], "HEAD");
    assert_eq!(v["base"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(v["summary"]["changes"], 1);
    assert_eq!(v["summary"]["kinds"], json!({"consumer-granted": 1}));
    assert_eq!(v["summary"]["environments"], json!({"test": 1}));
    // Paths narrow both sides; relative to the current folder.
    assert_eq!(kinds(&r.changes(&["HEAD", ".nais"])), ["consumer-granted"]);
    let sub = maskscope(
        &r.path().join(".nais"),
        ["diff", "HEAD", "dev-gcp.yaml", "--format", "json"],
        None,
    );
    assert_eq!(sub.code, 0, "{}", sub.stderr);
    assert!(sub.stdout.contains("consumer-granted"), "{}", sub.stdout);
}

const MATRIX: &str = "\
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        cluster: [dev-gcp, prod-gcp]
        include:
          - cluster: dev-gcp
            env: dev
          - cluster: prod-gcp
            env: prod
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: ${{ matrix.cluster }}
          RESOURCE: .nais/app.yaml
          VARS: .nais/vars-${{ matrix.env }}.yaml
";

const TEMPLATE: &str = "\
apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: vedtak
  namespace: team
spec:
  image: x
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          consumers:
          {{#each orgnos}}
            - orgno: \"{{this}}\"
          {{/each}}
";

#[test]
fn a_vars_file_changed_for_one_deployment_changes_that_environment_only() {
    let r = Repo::new();
    r.write(".github/workflows/deploy.yaml", MATRIX)
        .write(".nais/app.yaml", TEMPLATE)
        .write(".nais/vars-dev.yaml", "orgnos: [\"889640782\"]\n")
        .write(".nais/vars-prod.yaml", "orgnos: [\"889640782\"]\n");
    let a = r.commit("one");
    r.write(
        ".nais/vars-dev.yaml",
        "orgnos: [\"889640782\", \"974761076\"]\n",
    );
    let b = r.commit("two");
    let changes = r.changes(&[&a, &b]);
    assert_eq!(kinds(&changes), ["consumer-granted"]);
    let c = &changes[0];
    assert_eq!(c["environment"], "test");
    assert_eq!(c["cluster"], "dev-gcp");
    assert_eq!(c["orgno"], "974761076");
    assert_eq!(c["file"], ".nais/app.yaml");
    // The template's line: where the consumers are rendered.
    assert_eq!(c["line"], line_of(TEMPLATE, "orgno:", 1));

    // A deploy to prod only at HEAD: the dev client stays as it was.
    r.write(
        ".github/workflows/deploy.yaml",
        &MATRIX
            .replace("[dev-gcp, prod-gcp]", "[prod-gcp]")
            .replace("          - cluster: dev-gcp\n            env: dev\n", ""),
    );
    let gone = r.changes(&[&b]);
    assert_eq!(kinds(&gone), ["no-longer-deployed"]);
    assert_eq!(
        (&gone[0]["environment"], &gone[0]["cluster"]),
        (&json!("test"), &json!("dev-gcp"))
    );
}

#[test]
fn an_entry_that_depends_on_a_missing_variable_is_unknown_not_renamed() {
    let r = Repo::new();
    let plain = app("api", true, &entry("aa.read", true, ""));
    let a = r.write(FILE, &plain).commit("one");
    // The name now comes from a variable no vars file gives.
    let template = app("api", true, &entry("{{ scope }}", true, ""));
    let b = r.write(FILE, &template).commit("two");
    let forward = r.changes(&[&a, &b]);
    assert_eq!(kinds(&forward), ["unknown", "unknown"], "{forward:?}");
    let head = forward.iter().find(|c| c["side"] == "head").unwrap();
    let base = forward.iter().find(|c| c["side"] == "base").unwrap();
    // BASE's scope is named; HEAD's placeholder is not a scope.
    assert_eq!(base["scope"], "nav:arbeid:aa.read");
    assert_eq!(base["variables"], json!(["scope"]));
    assert_eq!(head["scope"], Value::Null);
    assert_eq!(head["variables"], json!(["scope"]));
    assert_eq!(head["line"], line_of(&template, "{{ scope }}", 1));
    let back = r.changes(&[&b, &a]);
    assert_eq!(kinds(&back), ["unknown", "unknown"], "{back:?}");
    let new = back.iter().find(|c| c["side"] == "head").unwrap();
    assert_eq!(new["scope"], "nav:arbeid:aa.read");
    assert!(
        new["help"]
            .as_str()
            .unwrap()
            .contains("whether this scope is new")
    );
}

#[test]
fn fail_on_exits_1_for_the_kinds_named() {
    let r = Repo::new();
    let a = r
        .write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    r.write(
        FILE,
        &app(
            "api",
            true,
            &entry("aa.read", true, "          accessibleForAll: true\n"),
        ),
    );
    let hit = r.diff(&[&a, "--fail-on", "opened-to-all,consumer-revoked"]);
    assert_eq!(hit.code, 1, "{}", hit.stderr);
    assert!(hit.stdout.contains("opened-to-all"));
    let miss = r.diff(&[&a, "--fail-on", "consumer-revoked"]);
    assert_eq!(miss.code, 0, "{}", miss.stderr);
    let typo = r.diff(&[&a, "--fail-on", "opened-to-al"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `opened-to-all`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn a_revision_that_does_not_exist_is_named() {
    let r = Repo::new();
    r.write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    let bad = r.diff(&["no-such-branch"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("revision `no-such-branch` does not exist"),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("shallow"), "{}", bad.stderr);
    let bad_head = r.diff(&["HEAD", "HEAD~5"]);
    // `HEAD~5` names no commit and no file: a path that is not there.
    assert_eq!(bad_head.code, 2, "{}", bad_head.stderr);
    assert_eq!(
        bad_head.stderr,
        "error: `HEAD~5` is neither a revision nor a file or folder at BASE or at HEAD (paths are relative to the current folder)\n"
    );
    // A second path that is not there is a path.
    let bad_path = r.diff(&["HEAD", ".nais", "nowhere.yaml"]);
    assert_eq!(
        bad_path.stderr,
        "error: nowhere.yaml: no such file or folder at BASE or at HEAD (paths are relative to the current folder)\n"
    );
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nais.yaml"),
        app("api", true, &entry("aa.read", true, "")),
    )
    .unwrap();
    let r = maskscope(dir.path(), ["diff", "main"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not inside a git repository"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_shallow_clone_says_how_to_get_the_history() {
    let r = Repo::new();
    r.write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    let first = r.git(&["rev-parse", "HEAD"]);
    r.write(FILE, &app("api", true, &entry("bb.read", true, "")))
        .commit("two");
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow: PathBuf = clones.path().join("shallow");
    let out = maskscope(&shallow, ["diff", &first], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains(&format!("revision `{first}` does not exist")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("shallow clone"), "{}", out.stderr);
    assert!(out.stderr.contains("fetch-depth: 0"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("git fetch origin {first}")),
        "{}",
        out.stderr
    );
    // A name relative to another cannot be fetched by name.
    let relative = maskscope(&shallow, ["diff", "HEAD~1"], None);
    assert_eq!(relative.code, 2);
    assert!(
        relative.stderr.contains("`git fetch --unshallow`")
            && !relative.stderr.contains("git fetch origin HEAD~1"),
        "{}",
        relative.stderr
    );
    // A remote-tracking branch is fetched by the name the remote knows it by.
    r.git(&["branch", "sandbox", &first]);
    let tracking = maskscope(&shallow, ["diff", "origin/sandbox"], None);
    assert_eq!(tracking.code, 2);
    assert!(
        tracking
            .stderr
            .contains("fetch it (`git fetch origin sandbox`, or `git fetch --unshallow`), or in GitHub Actions check out with `fetch-depth: 0`"),
        "{}",
        tracking.stderr
    );
    // What the shallow clone holds can be compared.
    let ok = maskscope(&shallow, ["diff", "HEAD", "--format", "json"], None);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn unreadable_input_is_exit_2() {
    let r = Repo::new();
    let a = r
        .write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    // Not text: what it deploys cannot be known.
    std::fs::write(r.path().join(FILE), b"apiVersion: nais.io/v1\xff\n").unwrap();
    let out = r.diff(&[&a]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("the working tree"), "{}", out.stderr);
    assert!(out.stdout.contains("unknown"), "{}", out.stdout);
    // YAML the deploy cannot decode is a deploy that fails, which is said
    // as a record.
    r.write(
        FILE,
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata: [\n",
    );
    let out = r.diff(&[&a, "--format", "json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(kinds(v["changes"].as_array().unwrap()), ["deploy-rejected"]);
    assert_eq!(v["changes"][0]["app"], "team/api");
}

/// The scenario the snapshots show: a grant, a revocation, a new open
/// scope, a rename and a removal, in one commit.
fn scenario() -> (Repo, String, String) {
    let r = Repo::new();
    let before = app(
        "api",
        true,
        &format!(
            "{}{}{}",
            entry(
                "vedtak.read",
                true,
                &consumers(&[("889640782", "NAV"), ("974761076", "Skatteetaten")])
            ),
            entry("historikk.read", true, ""),
            entry("gammel.read", true, &consumers(&[("889640782", "NAV")])),
        ),
    );
    let a = r.write(FILE, &before).commit("one");
    let after = app(
        "api",
        true,
        &format!(
            "{}{}{}",
            entry("aapen.read", true, "          accessibleForAll: true\n"),
            entry(
                "vedtak.read",
                true,
                &consumers(&[("889640782", "NAV"), ("910000000", "Ny etat")])
            ),
            entry("historikk.read", true, "          separator: \"/\"\n"),
        ),
    );
    let b = r.write(FILE, &after).commit("two");
    (r, a, b)
}

fn redact(text: &str, a: &str, b: &str) -> String {
    text.replace(a, "<BASE>")
        .replace(b, "<HEAD>")
        .replace(&a[..7], "<base>")
        .replace(&b[..7], "<head>")
}

#[test]
fn formats() {
    let (r, a, b) = scenario();
    for format in ["human", "json", "markdown", "github"] {
        let out = r.diff(&[&a, &b, "--format", format]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        insta::assert_snapshot!(format!("diff_{format}"), redact(&out.stdout, &a, &b));
    }
}

// What is the same at both revisions is read once. These cases would go
// wrong if a file were taken from the wrong place or a reading were shared
// where it must not be.

#[test]
fn two_revisions_are_read_as_committed_whatever_the_working_tree_holds() {
    let r = Repo::new();
    let one = entry("aa.read", true, &consumers(&[("889640782", "")]));
    let a = r.write(FILE, &app("api", true, &one)).commit("one");
    let two = entry(
        "aa.read",
        true,
        &consumers(&[("889640782", ""), ("974761076", "")]),
    );
    let b = r
        .write(FILE, &app("api", true, &two))
        .write(
            ".nais/other.yaml",
            &app("other", true, &entry("oo.read", true, "")),
        )
        .commit("two");
    let expected = [
        ("consumer-granted", Some("974761076")),
        ("maskinporten-enabled", None),
        ("scope-created", None),
    ];
    let summary = |changes: &[Value]| {
        let mut v: Vec<(String, Option<String>)> = changes
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_owned(),
                    c["orgno"].as_str().map(str::to_owned),
                )
            })
            .collect();
        v.sort();
        v
    };
    let want: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(k, o)| (k.to_string(), o.map(str::to_owned)))
        .collect();
    assert_eq!(summary(&r.changes(&[&a, &b])), want);

    // The working tree differs from both (an uncommitted grant, a file
    // deleted, one added): neither revision is read from it.
    let three = entry(
        "aa.read",
        true,
        &consumers(&[("889640782", ""), ("974761076", ""), ("910000000", "")]),
    );
    r.write(FILE, &app("api", true, &three))
        .remove(".nais/other.yaml")
        .write(
            ".nais/new.yaml",
            &app("new", true, &entry("nn.read", true, "")),
        );
    assert_eq!(summary(&r.changes(&[&a, &b])), want);
    // Staged, too.
    r.git(&["add", "-A"]);
    assert_eq!(summary(&r.changes(&[&a, &b])), want);
    // And against the working tree, what it holds.
    let against_tree = summary(&r.changes(&[&b]));
    assert!(
        against_tree.contains(&("consumer-granted".to_owned(), Some("910000000".to_owned()))),
        "{against_tree:?}"
    );
    assert!(
        against_tree.contains(&("no-longer-deployed".to_owned(), None)),
        "{against_tree:?}"
    );
}

#[test]
fn a_prefix_changed_in_maskscope_toml_renames_every_scope_of_unchanged_manifests() {
    let r = Repo::new();
    let a = r
        .write("maskscope.toml", "prefix = \"nav\"\n")
        .write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    let b = r.write("maskscope.toml", "prefix = \"kv\"\n").commit("two");
    let changes = r.changes(&[&a, &b]);
    assert_eq!(kinds(&changes), ["scope-renamed"]);
    assert_eq!(changes[0]["old"], "nav:arbeid:aa.read");
    assert_eq!(changes[0]["new"], "kv:arbeid:aa.read");
}

#[test]
fn a_workflow_that_changes_the_variables_of_an_unchanged_template_changes_its_scopes() {
    let r = Repo::new();
    let workflow = |orgno: &str| {
        MATRIX
            .replace("[dev-gcp, prod-gcp]", "[dev-gcp]")
            .replace("          - cluster: prod-gcp\n            env: prod\n", "")
            .replace(
                "          VARS: .nais/vars-${{ matrix.env }}.yaml\n",
                &format!("          VARS: .nais/vars-${{{{ matrix.env }}}}.yaml\n          VAR: extra={orgno}\n"),
            )
    };
    let template = TEMPLATE.replace(
        "          {{/each}}\n",
        "          {{/each}}\n            - orgno: \"{{extra}}\"\n",
    );
    let a = r
        .write(".github/workflows/deploy.yaml", &workflow("910000000"))
        .write(".nais/app.yaml", &template)
        .write(".nais/vars-dev.yaml", "orgnos: [\"889640782\"]\n")
        .commit("one");
    let b = r
        .write(".github/workflows/deploy.yaml", &workflow("974761076"))
        .commit("two");
    let changes = r.changes(&[&a, &b]);
    let mut got: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["orgno"].as_str().unwrap()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("consumer-granted", "974761076"),
            ("consumer-revoked", "910000000")
        ]
    );
}

#[test]
fn a_folder_left_by_a_run_that_was_killed_is_removed_by_the_next() {
    if !Path::new("/proc/self").exists() {
        eprintln!("skipped: no /proc to tell which processes exist");
        return;
    }
    let r = Repo::new();
    let a = r
        .write(FILE, &app("api", true, &entry("aa.read", true, "")))
        .commit("one");
    let tmp = tempfile::tempdir().unwrap();
    // No process has a number this large (Linux allows at most 2^22).
    let abandoned = tmp.path().join("maskscope-base-999999999-0-0");
    std::fs::create_dir_all(abandoned.join(".nais")).unwrap();
    std::fs::write(abandoned.join(".nais/x.yaml"), "x").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    let age = |dir: &Path| {
        std::fs::File::open(dir)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap()
    };
    age(&abandoned);
    // A young one may be a running process's in another PID namespace (a
    // container sharing the folder); a name of another kind is not ours.
    let young = tmp.path().join("maskscope-base-999999998-0-0");
    std::fs::create_dir(&young).unwrap();
    let checkout = tmp.path().join("maskscope-pr-999999997");
    std::fs::create_dir(&checkout).unwrap();
    age(&checkout);
    // One of a process that is running (this test) stays.
    let running = tmp
        .path()
        .join(format!("maskscope-base-{}-0-0", std::process::id()));
    std::fs::create_dir(&running).unwrap();
    let other = tmp.path().join("maskscope-notes");
    std::fs::create_dir(&other).unwrap();
    let out = r.diff_in_tmpdir(tmp.path(), &[&a]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!abandoned.exists());
    assert!(running.exists());
    assert!(other.exists());
    assert!(young.exists());
    assert!(checkout.exists());
    // And the run's own folder is gone.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(
        left,
        [
            format!("maskscope-base-{}-0-0", std::process::id()),
            "maskscope-base-999999998-0-0".to_owned(),
            "maskscope-notes".to_owned(),
            "maskscope-pr-999999997".to_owned(),
        ]
    );
}

#[test]
fn a_scope_exposed_by_another_app_at_head_is_moved_to_it() {
    let r = Repo::new();
    let granted = consumers(&[("889640782", "")]);
    let a = r
        .write(
            ".nais/dev-gcp-a.yaml",
            &app("first", true, &entry("shared.read", true, &granted)),
        )
        .write(
            ".nais/dev-gcp-b.yaml",
            &app("second", true, &entry("other.read", true, "")),
        )
        .commit("one");
    let moved_to = app(
        "second",
        true,
        &format!(
            "{}{}",
            entry("other.read", true, ""),
            entry("shared.read", true, &consumers(&[("974761076", "")]))
        ),
    );
    let b = r
        .write(
            ".nais/dev-gcp-a.yaml",
            &app("first", true, &entry("kept.read", true, "")),
        )
        .write(".nais/dev-gcp-b.yaml", &moved_to)
        .commit("two");
    let changes = r.changes(&[&a, &b]);
    let shared: Vec<&Value> = changes
        .iter()
        .filter(|c| c["scope"] == "nav:arbeid:shared.read")
        .collect();
    let got: Vec<(&str, Option<&str>)> = shared
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["orgno"].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("scope-moved", None),
            ("consumer-granted", Some("974761076")),
            ("consumer-revoked", Some("889640782")),
        ]
    );
    let moved = shared[0];
    assert_eq!(moved["app"], "team/second");
    assert_eq!(moved["file"], ".nais/dev-gcp-b.yaml");
    assert_eq!(moved["line"], line_of(&moved_to, "shared.read", 1));
    assert_eq!(moved["old"]["app"], "team/first");
    assert_eq!(moved["old"]["file"], ".nais/dev-gcp-a.yaml");
    assert_eq!(moved["new"]["app"], "team/second");
    assert_eq!(moved["environment"], "test");
    // Back again: moved to the first app.
    let back = r.changes(&[&b, &a]);
    let moved_back: Vec<&Value> = back.iter().filter(|c| c["kind"] == "scope-moved").collect();
    assert_eq!(moved_back.len(), 1, "{back:?}");
    assert_eq!(moved_back[0]["app"], "team/first");
    assert_eq!(moved_back[0]["old"]["app"], "team/second");
    let human = r.diff(&[&a, &b]);
    assert!(
        human
            .stdout
            .contains("now exposed by team/second in dev-gcp (was team/first in dev-gcp)"),
        "{}",
        human.stdout
    );
}

/// `api` exposing `scopes`, each enabled, in dev-gcp.
fn exposing(scopes: &[&str]) -> String {
    app(
        "api",
        true,
        &scopes
            .iter()
            .map(|s| entry(s, true, ""))
            .collect::<String>(),
    )
}

fn scopes_of(changes: &[Value]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["scope"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn files_git_diff_does_not_compare_are_read_from_the_revision() {
    for flag in ["--assume-unchanged", "--skip-worktree"] {
        let r = Repo::new();
        let a = r.write(FILE, &exposing(&["aa.read"])).commit("one");
        let b = r
            .write(FILE, &exposing(&["aa.read", "bb.read"]))
            .commit("two");
        r.git(&["update-index", flag, FILE]);
        r.write(FILE, &exposing(&["aa.read", "cc.read"]));
        assert_eq!(
            scopes_of(&r.changes(&[&a, &b])),
            [("scope-created".to_owned(), "nav:arbeid:bb.read".to_owned())],
            "{flag}"
        );
    }
}

#[test]
fn a_checkout_filter_does_not_leak_the_working_tree_into_two_revisions() {
    let r = Repo::new();
    r.git(&["config", "filter.x.smudge", "sed s/stored/worked/g"]);
    r.git(&["config", "filter.x.clean", "sed s/worked/stored/g"]);
    r.write(".gitattributes", "*.yaml filter=x\n");
    let a = r
        .write(FILE, &exposing(&["stored.read", "extra.read"]))
        .commit("one");
    let b = r.write(FILE, &exposing(&["stored.read"])).commit("two");
    // Checked out again, so the working tree holds the smudged text.
    std::fs::remove_file(r.path().join(FILE)).unwrap();
    r.git(&["checkout", "--", ".nais"]);
    let tree = std::fs::read_to_string(r.path().join(FILE)).unwrap();
    assert!(tree.contains("worked.read"), "{tree}");
    assert_eq!(
        scopes_of(&r.changes(&[&a, &b])),
        [(
            "scope-removed-still-active".to_owned(),
            "nav:arbeid:extra.read".to_owned()
        )]
    );
}

#[test]
fn a_tmpdir_in_the_working_tree_is_not_used() {
    let r = Repo::new();
    let a = r
        .write(FILE, &exposing(&["aa.read", "gone.read"]))
        .commit("one");
    r.write(FILE, &exposing(&["aa.read"]));
    std::fs::create_dir_all(r.path().join(".nais/tmp")).unwrap();
    // A file, too: a folder cannot be made in it, so this one tells for
    // certain that the working tree was not used.
    for tmpdir in [".nais/tmp", ".nais", FILE] {
        let out = r.diff_in_tmpdir(tmpdir, &[&a, "--format", "json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            scopes_of(v["changes"].as_array().unwrap()),
            [(
                "scope-removed-still-active".to_owned(),
                "nav:arbeid:gone.read".to_owned()
            )],
            "TMPDIR={tmpdir}"
        );
        let left: Vec<_> = std::fs::read_dir(r.path().join(".nais/tmp"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "TMPDIR={tmpdir}");
    }
    // The git folder is no part of the working tree's reading: it is used.
    let in_git = r.path().join(".git/tmp-for-maskscope");
    std::fs::create_dir(&in_git).unwrap();
    let out = r.diff_in_tmpdir(&in_git, &[&a, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 1, "{v}");
}

#[test]
fn a_relative_tmpdir_works() {
    let r = Repo::new();
    let a = r.write(FILE, &exposing(&["aa.read"])).commit("one");
    let b = r
        .write(
            ".nais/other.yaml",
            &app("other", true, &entry("oo.read", true, "")),
        )
        .commit("two");
    // Changed in the working tree: HEAD's copy is written, BASE links to it.
    r.write(FILE, &exposing(&["aa.read", "xx.read"]));
    std::fs::create_dir(r.path().join("tmp")).unwrap();
    let out = r.diff_in_tmpdir("tmp", &[&a, &b, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        scopes_of(v["changes"].as_array().unwrap()),
        [
            ("maskinporten-enabled".to_owned(), String::new()),
            ("scope-created".to_owned(), "nav:arbeid:oo.read".to_owned())
        ]
    );
}

#[test]
fn one_app_in_two_clusters_of_an_environment_is_no_move_whichever_is_read_last() {
    let r = Repo::new();
    let workflow = |clusters: &str| {
        format!(
            "on: push\njobs:\n  deploy:\n    strategy:\n      matrix:\n        cluster: [{clusters}]\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: ${{{{ matrix.cluster }}}}\n          RESOURCE: .nais/app.yaml\n"
        )
    };
    let a = r
        .write(
            ".github/workflows/deploy.yaml",
            &workflow("dev-gcp, dev-fss"),
        )
        .write(".nais/app.yaml", &exposing(&["aa.read"]))
        .commit("one");
    let b = r
        .write(
            ".github/workflows/deploy.yaml",
            &workflow("dev-fss, dev-gcp"),
        )
        .commit("two");
    assert_eq!(r.changes(&[&a, &b]), Vec::<Value>::new());
    let c = r
        .write(".github/workflows/deploy.yaml", &workflow("dev-gcp"))
        .commit("three");
    let moved = r.changes(&[&b, &c]);
    // Deployed to one of them only: that client stays as last deployed,
    // and the scope with the other, which exposed it already.
    assert_eq!(kinds(&moved), ["no-longer-deployed"], "{moved:?}");
    assert_eq!(moved[0]["cluster"], "dev-fss");
}

#[test]
fn the_same_error_at_both_sides_is_said_for_each() {
    let r = Repo::new();
    // Not text: maskscope cannot read it (a file the deploy cannot send is
    // a `deploy-rejected` record instead).
    std::fs::create_dir_all(r.path().join(".nais")).unwrap();
    std::fs::write(r.path().join(FILE), b"apiVersion: nais.io/v1\xff\n").unwrap();
    let a = r.commit("one");
    let b = r
        .write(".nais/other.yaml", &exposing(&["aa.read"]))
        .commit("two");
    let out = r.diff(&[&a, &b]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    for side in [
        format!("error: in BASE `{a}`:"),
        format!("error: in HEAD `{b}`:"),
    ] {
        let at = out
            .stderr
            .find(&side)
            .unwrap_or_else(|| panic!("{side} in {}", out.stderr));
        assert!(
            out.stderr[at..]
                .lines()
                .nth(1)
                .is_some_and(|l| !l.starts_with("error:")),
            "{side} has no message under it:\n{}",
            out.stderr
        );
    }
}

#[test]
fn a_folder_of_the_working_tree_stands_for_the_revision_only_when_it_holds_nothing_else() {
    let r = Repo::new();
    let a = r.write(FILE, &exposing(&["aa.read"])).commit("one");
    let b = r
        .write(FILE, &exposing(&["aa.read", "bb.read"]))
        .write(
            ".nais/deep/more.yaml",
            &app("more", true, &entry("mm.read", true, "")),
        )
        .commit("two");
    let want = [
        ("maskinporten-enabled".to_owned(), String::new()),
        ("scope-created".to_owned(), "nav:arbeid:bb.read".to_owned()),
        ("scope-created".to_owned(), "nav:arbeid:mm.read".to_owned()),
    ];
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
    // Untracked files in the working tree's folders are no part of HEAD:
    // a manifest, a file of another kind, a link.
    r.write(
        ".nais/untracked.yaml",
        &app("extra", true, &entry("xx.read", true, "")),
    )
    .write(
        ".nais/deep/untracked.yml",
        &app("extra2", true, &entry("yy.read", true, "")),
    );
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
    r.remove(".nais/untracked.yaml")
        .remove(".nais/deep/untracked.yml");
    r.write(".nais/deep/notes.txt", "x");
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
    r.remove(".nais/deep/notes.txt");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("more.yaml", r.path().join(".nais/deep/again.yaml")).unwrap();
        assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
        r.remove(".nais/deep/again.yaml");
    }
    // A folder whose file is missing from the working tree.
    r.remove(".nais/deep/more.yaml");
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
}

#[test]
fn a_deployment_path_with_dot_dot_is_read_from_the_revision() {
    let r = Repo::new();
    let workflow = "on: push\njobs:\n  deploy:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: .nais/prod/app.yaml\n          VARS: .nais/prod/../vars.yaml\n";
    let a = r
        .write(".github/workflows/deploy.yaml", workflow)
        .write(".nais/prod/app.yaml", TEMPLATE)
        .write(".nais/vars.yaml", "orgnos: [\"889640782\"]\n")
        .commit("one");
    let b = r
        .write(
            ".nais/vars.yaml",
            "orgnos: [\"889640782\", \"974761076\"]\n",
        )
        .commit("two");
    let granted = |changes: &[Value]| -> Vec<(String, String)> {
        changes
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_owned(),
                    c["orgno"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let grant = vec![("consumer-granted".to_owned(), "974761076".to_owned())];
    let revoke = vec![("consumer-revoked".to_owned(), "974761076".to_owned())];
    assert_eq!(granted(&r.changes(&[&a, &b])), grant);
    assert_eq!(granted(&r.changes(&[&b, &a])), revoke);
    assert_eq!(granted(&r.changes(&[&a])), grant);
    r.git(&["checkout", "-q", &a]);
    assert_eq!(granted(&r.changes(&[&a, &b])), grant);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_read_at_both_sides() {
    use std::os::unix::ffi::OsStrExt;
    let r = Repo::new();
    let name = std::ffi::OsStr::from_bytes(b".nais/dev-gcp-\xff.yaml");
    let write = |text: &str| std::fs::write(r.path().join(name), text).unwrap();
    r.write(FILE, &exposing(&["aa.read"]));
    write(&app("odd", true, &entry("odd.read", true, "")));
    let a = r.commit("one");
    // Unchanged: nothing, whether HEAD is the working tree or a revision.
    let b = r
        .write(FILE, &exposing(&["aa.read", "bb.read"]))
        .commit("two");
    let want = [("scope-created".to_owned(), "nav:arbeid:bb.read".to_owned())];
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
    assert_eq!(scopes_of(&r.changes(&[&a])), want);
    // Changed: seen.
    write(&app("odd", true, &entry("odd2.read", true, "")));
    let c = r.commit("three");
    let changed = r.changes(&[&b, &c]);
    assert_eq!(
        scopes_of(&changed),
        [(
            "scope-renamed".to_owned(),
            "nav:arbeid:odd2.read".to_owned()
        )]
    );
    assert_eq!(changed[0]["file"], ".nais/dev-gcp-\u{fffd}.yaml");
}

#[test]
fn a_folder_the_same_at_both_revisions_is_read_as_each_has_it() {
    let r = Repo::new();
    // BASE has a manifest more in `.nais/deep` than HEAD, and one with
    // another blob in `.nais/other`; `.nais/same` is the same.
    let a = r
        .write(
            ".nais/same/dev-gcp.yaml",
            &app("same", true, &entry("ss.read", true, "")),
        )
        .write(
            ".nais/deep/dev-gcp.yaml",
            &app("deep", true, &entry("dd.read", true, "")),
        )
        .write(
            ".nais/deep/dev-gcp-gone.yaml",
            &app("gone", true, &entry("gg.read", true, "")),
        )
        .write(
            ".nais/other/dev-gcp.yaml",
            &app("other", true, &entry("oo.read", true, "")),
        )
        .commit("one");
    r.remove(".nais/deep/dev-gcp-gone.yaml").write(
        ".nais/other/dev-gcp.yaml",
        &app("other", true, &entry("o2.read", true, "")),
    );
    let b = r.commit("two");
    let want = vec![
        ("no-longer-deployed".to_owned(), String::new()),
        ("scope-renamed".to_owned(), "nav:arbeid:o2.read".to_owned()),
    ];
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
    assert_eq!(scopes_of(&r.changes(&[&a])), want);
    let back = [
        ("maskinporten-enabled".to_owned(), String::new()),
        ("scope-created".to_owned(), "nav:arbeid:gg.read".to_owned()),
        ("scope-renamed".to_owned(), "nav:arbeid:oo.read".to_owned()),
    ];
    assert_eq!(scopes_of(&r.changes(&[&b, &a])), back);
    // With the working tree at HEAD (`a`), whose folders stand for it: BASE's
    // `.nais/deep` holds one file fewer.
    r.git(&["checkout", "-q", &a]);
    assert_eq!(scopes_of(&r.changes(&[&b, &a])), back);
    assert_eq!(scopes_of(&r.changes(&[&a, &b])), want);
}

#[test]
fn deployments_whose_cluster_is_not_known_are_environments_of_their_own() {
    let r = Repo::new();
    // No workflow, no cluster in the names: neither cluster is known.
    let a = r
        .write(
            ".nais/x.yaml",
            &app("first", true, &entry("same.read", true, "")),
        )
        .commit("one");
    let b = r
        .write(
            ".nais/y.yaml",
            &app("second", true, &entry("same.read", true, "")),
        )
        .commit("two");
    let changes = r.changes(&[&a, &b]);
    let got: Vec<(&str, &str, &Value)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap(),
                c["app"].as_str().unwrap(),
                &c["environment"],
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("maskinporten-enabled", "team/second", &Value::Null),
            ("scope-created", "team/second", &Value::Null),
        ]
    );
}

#[test]
fn cluster_given_says_once_what_it_overrides() {
    let r = Repo::new();
    let a = r.write(FILE, &exposing(&["aa.read"])).commit("one");
    let b = r
        .write(FILE, &exposing(&["aa.read", "bb.read"]))
        .commit("two");
    // The manifest goes to dev-gcp: in prod-gcp nothing changes.
    let out = r.diff(&[&a, &b, "--cluster", "prod-gcp", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let note = "note: --cluster prod-gcp given: only the manifests deployed to prod-gcp are read, and those whose cluster is not known as if deployed there\n";
    assert_eq!(out.stderr.matches(note).count(), 1, "{}", out.stderr);
    assert_eq!(
        out.stderr
            .matches(": --cluster prod-gcp: 1 manifest not deployed to prod-gcp left out\n")
            .count(),
        2,
        "{}",
        out.stderr
    );
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["changes"], json!([]));
    let out = r.diff(&[&a, &b, "--cluster", "dev-gcp", "--format", "json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["changes"][0]["environment"], "test");
}
