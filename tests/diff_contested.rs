//! `maskscope diff` on contested scopes: two apps of one Maskinporten
//! environment that expose one scope with entries that differ manage one
//! registration, and each reconcile of one of them sets it to its own
//! entry. Through the binary, on git repositories built here; the expected
//! records are written out from digdirator's rules.

mod common;

use common::repo::Repo;
use serde_json::{Value, json};

const A: &str = "889640782";
const B: &str = "974761076";
const C: &str = "991825827";

/// `team/NAME` exposing `nav:arbeid:vedtak.read` to `orgnos`, with
/// `extra` lines in the entry (indented by 10). The entry is on line 12,
/// its first consumer on line 16.
fn app(name: &str, orgnos: &[&str], extra: &str) -> String {
    let mut s = format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"vedtak.read\"\n          enabled: true\n          product: \"arbeid\"\n          consumers:\n"
    );
    for o in orgnos {
        s.push_str(&format!("            - orgno: \"{o}\"\n"));
    }
    s.push_str(extra);
    s
}

const SCOPE: &str = "nav:arbeid:vedtak.read";
const DEV: &str = ".nais/dev.yaml";
const Q1: &str = ".nais/q1.yaml";

/// A workflow that deploys `manifest` to `cluster`.
fn workflow(cluster: &str, manifest: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: {cluster}\n          RESOURCE: {manifest}\n"
    )
}

/// `app` (.nais/dev.yaml) and `app-q1` (.nais/q1.yaml) in dev-gcp, one
/// deploy workflow each; q1's workflow is read after dev's, so `app-q1`'s
/// entry is the one read last.
fn two_apps(dev: &[&str], q1: &[&str]) -> Repo {
    let r = Repo::new();
    r.write(".github/workflows/dev.yaml", &workflow("dev-gcp", DEV))
        .write(".github/workflows/q1.yaml", &workflow("dev-gcp", Q1))
        .write(DEV, &app("app", dev, ""))
        .write(Q1, &app("app-q1", q1, ""));
    r
}

fn consumers(orgnos: &[&str]) -> Value {
    orgnos
        .iter()
        .map(|o| json!({"orgno": o, "name": null}))
        .collect()
}

fn contender(app: &str, file: &str, orgnos: &[&str]) -> Value {
    json!({
        "app": format!("team/{app}"),
        "cluster": "dev-gcp",
        "file": file,
        "line": 12,
        "side": "head",
        "enabled": true,
        "consumers": consumers(orgnos),
    })
}

/// `changes` without their `help`, which is checked on its own.
fn without_help(changes: &[Value]) -> Vec<Value> {
    changes
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("help");
            c
        })
        .collect()
}

fn help(c: &Value) -> &str {
    c["help"].as_str().unwrap_or_default()
}

/// A grant added to one of two identical entries: the registration flips
/// between the two access lists, and the grant holds only until `app`
/// reconciles.
#[test]
fn a_grant_in_one_of_two_clients_is_contested_and_flips() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let head = r
        .write(Q1, &app("app-q1", &[A, B], ""))
        .commit("grant in q1");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "clients": [
                    contender("app", DEV, &[A]),
                    contender("app-q1", Q1, &[A, B]),
                ],
                "differs": ["consumers"],
            }),
            json!({
                "kind": "consumer-granted",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 17,
                "side": "head",
                "orgno": B,
                "name": null,
                "contested": true,
            }),
        ],
        "{changes:#?}"
    );
    assert!(
        help(&changes[0]).contains("each deploy of one of them, and digdirator's 7-day resync, sets the registration to that client's entry"),
        "{}",
        help(&changes[0])
    );
    assert!(
        help(&changes[0]).contains("the entry read last (team/app-q1 in dev-gcp)"),
        "{}",
        help(&changes[0])
    );
    assert!(
        help(&changes[1]).starts_with(
            "contested: the entry of team/app in dev-gcp for this scope does not agree;"
        ),
        "{}",
        help(&changes[1])
    );
    assert!(help(&changes[1]).ends_with("the next reconcile of it undoes this"));
    // A warning, and one --fail-on can name.
    let failed = r.diff(&[&base, &head, "--fail-on", "scope-contested"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
}

/// The same grant in the entry that is not read last: `compare` pairs the
/// last one, which did not change, and the grant would be lost.
#[test]
fn a_grant_in_the_client_not_read_last_is_reported() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let head = r
        .write(DEV, &app("app", &[A, B], ""))
        .commit("grant in dev");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "clients": [
                    contender("app", DEV, &[A, B]),
                    contender("app-q1", Q1, &[A]),
                ],
                "differs": ["consumers"],
            }),
            json!({
                "kind": "consumer-granted",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app",
                "file": DEV,
                "line": 17,
                "side": "head",
                "orgno": B,
                "name": null,
                "contested": true,
            }),
        ],
        "{changes:#?}"
    );
    assert!(
        help(&changes[1]).starts_with(
            "contested: the entry of team/app-q1 in dev-gcp for this scope does not agree;"
        ),
        "{}",
        help(&changes[1])
    );
    // Back again: the grant is revoked in `app`, and the two agree.
    let back = r.changes(&[&head, &base]);
    assert_eq!(
        without_help(&back),
        [json!({
            "kind": "consumer-revoked",
            "environment": "test",
            "cluster": "dev-gcp",
            "scope": SCOPE,
            "app": "team/app",
            "file": DEV,
            "line": 12,
            "side": "head",
            "orgno": B,
            "name": null,
        })],
        "{back:#?}"
    );
}

/// Without workflows, file-name conventions put both in dev-gcp; the
/// revocation made in one of them is undone by the other, an attribute
/// changed in one of them too.
#[test]
fn by_file_name_conventions_a_revocation_and_an_attribute_in_one_client_are_contested() {
    let r = Repo::new();
    let (dev, q1) = (".nais/dev-gcp.yaml", ".nais/dev-gcp-q1.yaml");
    let base = r
        .write(dev, &app("app", &[A, B], ""))
        .write(q1, &app("app-q1", &[A, B], ""))
        .commit("identical");
    let head = r
        .write(dev, &app("app", &[A], "          atMaxAge: 60\n"))
        .commit("revoke and atMaxAge in app");
    let changes = r.changes(&[&base, &head]);
    let got: Vec<(&str, &str, Option<&str>, Option<bool>)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap(),
                c["file"].as_str().unwrap(),
                c["orgno"].as_str().or(c["field"].as_str()),
                c["contested"].as_bool(),
            )
        })
        .collect();
    // Whichever of the two is read last, the records are the same: each
    // client's own change, contested by the other's entry.
    assert_eq!(
        got,
        [
            ("scope-contested", got[0].1, None, None),
            ("consumer-revoked", dev, Some(B), Some(true)),
            ("attribute-changed", dev, Some("atMaxAge"), Some(true)),
        ],
        "{changes:#?}"
    );
    let contest = &changes[0];
    assert_eq!(contest["differs"], json!(["consumers", "atMaxAge"]));
    let clients: Vec<(&str, &Value, &Value)> = contest["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["app"].as_str().unwrap(),
                &c["consumers"],
                &c["attributes"]["atMaxAge"],
            )
        })
        .collect();
    let mut clients = clients;
    clients.sort_by_key(|c| c.0);
    let (a, ab) = (consumers(&[A]), consumers(&[A, B]));
    assert_eq!(
        clients,
        [
            ("team/app", &a, &json!(60)),
            ("team/app-q1", &ab, &json!(30)),
        ]
    );
    assert_eq!(changes[2]["old"], 30);
    assert_eq!(changes[2]["new"], 60);
}

/// Both changed alike: they agree, nothing flips, no contest.
#[test]
fn identical_entries_at_head_are_not_contested() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let head = r
        .write(DEV, &app("app", &[A, B], ""))
        .write(Q1, &app("app-q1", &[A, B], ""))
        .commit("grant in both");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [json!({
            "kind": "consumer-granted",
            "environment": "test",
            "cluster": "dev-gcp",
            "scope": SCOPE,
            "app": "team/app-q1",
            "file": Q1,
            "line": 17,
            "side": "head",
            "orgno": B,
            "name": null,
        })],
        "{changes:#?}"
    );
    let run = r.diff(&[&base, &head, "--fail-on", "scope-contested"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// One subscope in dev and in prod: two registrations, no contest.
#[test]
fn one_scope_in_dev_and_in_prod_is_not_contested() {
    let r = Repo::new();
    r.write(".github/workflows/dev.yaml", &workflow("dev-gcp", DEV))
        .write(
            ".github/workflows/prod.yaml",
            &workflow("prod-gcp", ".nais/prod.yaml"),
        )
        .write(DEV, &app("app", &[A], ""))
        .write(".nais/prod.yaml", &app("app", &[B], ""));
    let base = r.commit("dev and prod");
    let head = r
        .write(DEV, &app("app", &[A, C], ""))
        .commit("grant in dev");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [json!({
            "kind": "consumer-granted",
            "environment": "test",
            "cluster": "dev-gcp",
            "scope": SCOPE,
            "app": "team/app",
            "file": DEV,
            "line": 17,
            "side": "head",
            "orgno": C,
            "name": null,
        })],
        "{changes:#?}"
    );
    let run = r.diff(&[&base, &head, "--fail-on", "scope-contested"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A contest that is there at BASE already is reported when the change
/// touches one of its clients, and not when it touches none.
#[test]
fn a_contest_is_reported_when_the_change_touches_one_of_its_clients() {
    let r = two_apps(&[A], &[A, B]);
    r.write(
        ".github/workflows/other.yaml",
        &workflow("dev-gcp", ".nais/other.yaml"),
    )
    .write(
        ".nais/other.yaml",
        &app("other", &[A], "").replace("vedtak.read", "other.read"),
    );
    let base = r.commit("contested already");
    let unrelated = r
        .write(
            ".nais/other.yaml",
            &app("other", &[A, C], "").replace("vedtak.read", "other.read"),
        )
        .commit("another app");
    let changes = r.changes(&[&base, &unrelated]);
    assert_eq!(
        changes
            .iter()
            .map(|c| (c["kind"].as_str().unwrap(), c["scope"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        [("consumer-granted", "nav:arbeid:other.read")],
        "{changes:#?}"
    );
    let touched = r
        .write(Q1, &app("app-q1", &[A, B, C], ""))
        .commit("another grant in q1");
    let changes = r.changes(&[&unrelated, &touched]);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "clients": [
                    contender("app", DEV, &[A]),
                    contender("app-q1", Q1, &[A, B, C]),
                ],
                "differs": ["consumers"],
            }),
            json!({
                "kind": "consumer-granted",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 18,
                "side": "head",
                "orgno": C,
                "name": null,
                "contested": true,
            }),
        ],
        "{changes:#?}"
    );
}

/// A client no longer deployed stays, and its resync still sets its entry:
/// the grant in the other one is contested, and the record names the one
/// left in place at BASE's line.
#[test]
fn a_client_no_longer_deployed_still_contests() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let head = r
        .remove(".github/workflows/q1.yaml")
        .write(DEV, &app("app", &[A, B], ""))
        .commit("q1 no longer deployed, grant in dev");
    let changes = r.changes(&[&base, &head]);
    let got: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap(),
                c["app"].as_str().unwrap(),
                c["side"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("no-longer-deployed", "team/app-q1", "base"),
            ("scope-contested", "team/app-q1", "base"),
            ("consumer-granted", "team/app", "head"),
        ],
        "{changes:#?}"
    );
    let mut q1 = contender("app-q1", Q1, &[A]);
    q1["side"] = json!("base");
    assert_eq!(
        changes[1]["clients"],
        json!([contender("app", DEV, &[A, B]), q1])
    );
    assert_eq!(changes[2]["contested"], true);
}

/// Every format shows the record and the note, values escaped as each
/// format escapes them.
#[test]
fn formats_show_the_contest_and_the_note() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let head = r
        .write(
            Q1,
            &app("app-q1", &[A, B], "").replace(
                &format!("orgno: \"{B}\"\n"),
                &format!("orgno: \"{B}\"\n              name: \"X | `Y`\"\n"),
            ),
        )
        .commit("grant in q1");
    let human = r.diff(&[&base, &head]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains(&format!(
            "    ! scope-contested: exposed by 2 clients whose entries differ (consumers): team/app in dev-gcp (.nais/dev.yaml:12): consumers: {A}; team/app-q1 in dev-gcp (.nais/q1.yaml:12): consumers: {A}, {B} (X | `Y`); each deploy of one of them, and digdirator's 7-day resync, sets the registration to that client's entry  [.nais/q1.yaml:12]\n"
        )),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains(&format!(
            "    + consumer-granted: granted to {B} (X | `Y`); contested: another client that exposes this scope does not agree, and its next deploy or digdirator's 7-day resync undoes this  [.nais/q1.yaml:17]\n"
        )),
        "{}",
        human.stdout
    );
    let md = r.diff(&[&base, &head, "--format", "markdown"]);
    assert!(
        md.stdout.contains(&format!(
            "| ⚠️ `scope-contested` | `{SCOPE}` | `team/app-q1` | exposed by 2 clients whose entries differ (consumers): `team/app` in `dev-gcp` (`.nais/dev.yaml:12`): consumers: `{A}`; `team/app-q1` in `dev-gcp` (`.nais/q1.yaml:12`): consumers: `{A}`, `{B}` (`` X \\| `Y` ``);"
        )),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("; contested: another client that exposes this scope does not agree"),
        "{}",
        md.stdout
    );
    let gh = r.diff(&[&base, &head, "--format", "github"]);
    assert!(
        gh.stdout.contains(&format!(
            "::warning file=.nais/q1.yaml,line=12,title=maskscope diff%3A scope-contested::{SCOPE} (test): exposed by 2 clients whose entries differ (consumers): team/app in dev-gcp (.nais/dev.yaml:12)"
        )),
        "{}",
        gh.stdout
    );
    assert!(
        gh.stdout.contains(&format!(
            "::notice file=.nais/q1.yaml,line=17,title=maskscope diff%3A consumer-granted::{SCOPE} (test): granted to {B} (X | `Y`); contested: another client"
        )),
        "{}",
        gh.stdout
    );
}

/// An entry that depends on a variable without a value is not compared:
/// it is `unknown`, and no contest is made of it.
#[test]
fn an_entry_that_depends_on_a_missing_variable_contests_nothing() {
    let r = Repo::new();
    // Deployed with a variable: the manifests are templates.
    let templated =
        |manifest: &str| format!("{}          VAR: image=x\n", workflow("dev-gcp", manifest));
    r.write(".github/workflows/dev.yaml", &templated(DEV))
        .write(".github/workflows/q1.yaml", &templated(Q1))
        .write(DEV, &app("app", &[A], ""))
        .write(Q1, &app("app-q1", &[A], ""));
    let base = r.commit("identical");
    let head = r
        .write(
            DEV,
            &app("app", &[A], "            - orgno: \"{{ extra }}\"\n"),
        )
        .write(Q1, &app("app-q1", &[A, B], ""))
        .commit("a placeholder in dev, a grant in q1");
    let changes = r.changes(&[&base, &head]);
    let got: Vec<(&str, &str, Option<bool>)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap(),
                c["app"].as_str().unwrap(),
                c["contested"].as_bool(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("unknown", "team/app", None),
            ("consumer-granted", "team/app-q1", None),
        ],
        "{changes:#?}"
    );
    assert_eq!(changes[0]["variables"], json!(["extra"]));
    let run = r.diff(&[&base, &head, "--fail-on", "scope-contested"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// `app` with `enabled: false`.
fn disabled(name: &str, orgnos: &[&str]) -> String {
    app(name, orgnos, "").replace(
        "enabled: true\n          product",
        "enabled: false\n          product",
    )
}

/// One entry disabled and the other enabled: each deploy deactivates or
/// activates the scope. Both disabled: neither sets an access list, and
/// consumers that differ are no contest.
#[test]
fn enabled_in_one_and_disabled_in_the_other_is_contested_and_both_disabled_is_not() {
    let r = two_apps(&[A], &[A]);
    let base = r.commit("identical");
    let one = r.write(Q1, &disabled("app-q1", &[A])).commit("q1 disabled");
    let changes = r.changes(&[&base, &one]);
    let mut q1 = contender("app-q1", Q1, &[A]);
    q1["enabled"] = json!(false);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "clients": [contender("app", DEV, &[A]), q1],
                "differs": ["enabled"],
            }),
            json!({
                "kind": "scope-deactivated",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "contested": true,
            }),
        ],
        "{changes:#?}"
    );
    // Both disabled now, with consumers that differ: `app`'s deploy
    // deactivates the scope for good, and nothing is contested.
    let both = r
        .write(DEV, &disabled("app", &[A]))
        .write(Q1, &disabled("app-q1", &[A, B]))
        .commit("both disabled");
    let changes = r.changes(&[&one, &both]);
    assert_eq!(
        without_help(&changes),
        [json!({
            "kind": "scope-deactivated",
            "environment": "test",
            "cluster": "dev-gcp",
            "scope": SCOPE,
            "app": "team/app",
            "file": DEV,
            "line": 12,
            "side": "head",
        })],
        "{changes:#?}"
    );
}

/// A contested manifest renamed so that the other client is read last
/// changes nothing: each client sets what it set before.
#[test]
fn a_rename_that_changes_which_client_is_read_last_changes_nothing() {
    let r = two_apps(&[A], &[A, B]);
    let base = r.commit("contested");
    let renamed = ".nais/a-q1.yaml";
    let head = r
        .remove(Q1)
        .write(renamed, &app("app-q1", &[A, B], ""))
        .write(".github/workflows/q1.yaml", &workflow("dev-gcp", renamed))
        .commit("q1 renamed, read first");
    assert_eq!(r.changes(&[&base, &head]), Vec::<Value>::new());
    assert_eq!(r.changes(&[&head, &base]), Vec::<Value>::new());
}

/// Renamed so that the other client is read last, and a grant in it: the
/// grant is that client's own change, not a revocation of what the other
/// still lists.
#[test]
fn a_rename_and_a_grant_report_the_grant_only() {
    let r = two_apps(&[A], &[A, B]);
    let base = r.commit("contested");
    let renamed = ".nais/a-q1.yaml";
    let head = r
        .remove(Q1)
        .write(renamed, &app("app-q1", &[A, B], ""))
        .write(".github/workflows/q1.yaml", &workflow("dev-gcp", renamed))
        .write(DEV, &app("app", &[A, C], ""))
        .commit("q1 renamed, read first; a grant in dev");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app",
                "file": DEV,
                "line": 12,
                "side": "head",
                "clients": [
                    contender("app-q1", renamed, &[A, B]),
                    contender("app", DEV, &[A, C]),
                ],
                "differs": ["consumers"],
            }),
            json!({
                "kind": "consumer-granted",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app",
                "file": DEV,
                "line": 17,
                "side": "head",
                "orgno": C,
                "name": null,
                "contested": true,
            }),
        ],
        "{changes:#?}"
    );
}

/// A scope two apps expose for the first time, with consumers that differ:
/// created from the entry read last, and contested.
#[test]
fn a_new_scope_exposed_by_two_apps_that_differ_is_created_and_contested() {
    let other =
        "        - name: \"other.read\"\n          enabled: true\n          product: \"arbeid\"\n";
    let only_other = |name: &str| {
        format!(
            "{}{other}",
            app(name, &[], "").split("        - name").next().unwrap()
        )
    };
    let r = Repo::new();
    r.write(".github/workflows/dev.yaml", &workflow("dev-gcp", DEV))
        .write(".github/workflows/q1.yaml", &workflow("dev-gcp", Q1))
        .write(DEV, &only_other("app"))
        .write(Q1, &only_other("app-q1"));
    let base = r.commit("another scope");
    let head = r
        .write(DEV, &app("app", &[A], other))
        .write(Q1, &app("app-q1", &[B], other))
        .commit("a new scope in both, consumers that differ");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        without_help(&changes),
        [
            json!({
                "kind": "scope-created",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "consumers": consumers(&[B]),
                "enabled": true,
            }),
            json!({
                "kind": "scope-contested",
                "environment": "test",
                "cluster": "dev-gcp",
                "scope": SCOPE,
                "app": "team/app-q1",
                "file": Q1,
                "line": 12,
                "side": "head",
                "clients": [contender("app", DEV, &[A]), contender("app-q1", Q1, &[B])],
                "differs": ["consumers"],
            }),
        ],
        "{changes:#?}"
    );
}
