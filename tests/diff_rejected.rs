//! A deploy the API server or nais deploy rejects changes nothing: the
//! cluster keeps the version it had. `diff` says `deploy-rejected` for such
//! a HEAD, compares HEAD with the last version applied where BASE's own was
//! rejected, and says what it cannot know. Through the binary, on git
//! repositories built here; the expected records are written out from
//! domain.md's rules.

mod common;

use common::repo::Repo;
use serde_json::{Value, json};

/// An Application `team/NAME` in a file of its own that exposes
/// `nav:arbeid:SCOPE`, with `consumers` written as they come (each line
/// after `- `) and `extra` lines in the entry.
fn app(name: &str, scope: &str, consumers: &[&str], extra: &str) -> String {
    let mut text = format!(
        "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: team\nspec:\n  image: x\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"{scope}\"\n          enabled: true\n          product: \"arbeid\"\n{extra}          consumers:\n"
    );
    for c in consumers {
        text.push_str(&format!("            - {c}\n"));
    }
    text
}

fn orgno(n: &str) -> String {
    format!("orgno: \"{n}\"")
}

const A: &str = "889640782";
const B: &str = "974761076";
const C: &str = "910825518";

/// A workflow with one deploy step to dev-gcp of `resource`.
fn workflow(resource: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: {resource}\n          VAR: image=x\n"
    )
}

const WF: &str = ".github/workflows/deploy.yaml";
const FILE: &str = ".nais/app.yaml";

fn kinds(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

/// A repository whose BASE deploys `api` exposing `ab.read` to A.
fn accepted_base() -> (Repo, String) {
    let r = Repo::new();
    r.write(WF, &workflow(FILE))
        .write(FILE, &app("api", "ab.read", &[&orgno(A)], ""));
    let base = r.commit("api exposes ab.read to A");
    (r, base)
}

/// HEAD adds consumer B in a way the API server rejects: one
/// `deploy-rejected` record (at the rejecting line, with the rule), and no
/// grant: the cluster keeps BASE's version.
#[test]
fn a_head_the_api_server_rejects_changes_nothing() {
    // (what HEAD writes for B, the rule, the line of the error)
    let cases: [(&str, &str, &str, u32); 4] = [
        ("unquoted orgno", "orgno: 974761076", "wrong-type", 17),
        (
            "orgnr for orgno",
            "orgnr: \"974761076\"",
            "missing-field",
            17,
        ),
        (
            "nine digits with a space",
            "orgno: \"974 761 076\"",
            "invalid-orgno",
            17,
        ),
        (
            "a field the CRD does not have",
            "orgno: \"974761076\"\n              nme: \"NAV\"",
            "unknown-field",
            18,
        ),
    ];
    for (what, b, rule, line) in cases {
        let (r, base) = accepted_base();
        r.write(FILE, &app("api", "ab.read", &[&orgno(A), b], ""));
        let head = r.commit(what);
        let changes = r.changes(&[&base, &head]);
        assert_eq!(kinds(&changes), ["deploy-rejected"], "{what}: {changes:#?}");
        let c = &changes[0];
        assert_eq!(
            (
                &c["environment"],
                &c["cluster"],
                &c["app"],
                &c["file"],
                &c["rule"]
            ),
            (
                &json!("test"),
                &json!("dev-gcp"),
                &json!("team/api"),
                &json!(FILE),
                &json!(rule)
            ),
            "{what}: {c:#?}"
        );
        assert_eq!(c["line"], json!(line), "{what}: {c:#?}");
        assert!(c["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

/// The CEL rule: `delegationSource` needs `separator: "/"`.
#[test]
fn a_head_that_breaks_the_cel_rule_changes_nothing() {
    let (r, base) = accepted_base();
    r.write(
        FILE,
        &app(
            "api",
            "ab.read",
            &[&orgno(A), &orgno(B)],
            "          delegationSource: altinn\n          separator: \":\"\n",
        ),
    );
    let head = r.commit("delegation with the wrong separator");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["deploy-rejected"], "{changes:#?}");
    assert_eq!(changes[0]["rule"], json!("delegation-requires-slash"));
}

/// YAML the deploy cannot decode, and a template raymond cannot parse:
/// nais deploy sends nothing. No `maskinporten-disabled`, no `unknown`.
#[test]
fn a_head_the_deploy_cannot_send_changes_nothing() {
    let (r, base) = accepted_base();
    let broken = app("api", "ab.read", &[&orgno(A), &orgno(B)], "").replace(
        "          enabled: true\n          product",
        "         enabled: true\n          product",
    );
    r.write(FILE, &broken);
    let head = r.commit("bad indentation");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["deploy-rejected"], "{changes:#?}");
    assert_eq!(changes[0]["rule"], json!("yaml-syntax"));
    assert_eq!(changes[0]["app"], json!("team/api"), "{changes:#?}");

    let (r, base) = accepted_base();
    r.write(
        FILE,
        &app("api", "ab.read", &[&orgno(A), &orgno(B)], "").replace("image: x", "image: {{#if x}}"),
    );
    let head = r.commit("unclosed block");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["deploy-rejected"], "{changes:#?}");
    assert_eq!(changes[0]["rule"], Value::Null, "{changes:#?}");
    assert_eq!(changes[0]["app"], json!("team/api"), "{changes:#?}");
}

/// `--fail-on deploy-rejected` fails; the human and Markdown formats put
/// the failing deploys before the other records. A document after the
/// rejected one in the same file is not applied either.
#[test]
fn deploy_rejected_fails_a_check_and_comes_first() {
    let (r, _) = accepted_base();
    r.write(".github/workflows/other.yaml", &workflow(".nais/zz.yaml"))
        .write(".nais/zz.yaml", &app("zz", "zz.read", &[&orgno(A)], ""));
    let base = r.commit("another app, deployed by another workflow");
    r.write(
        FILE,
        &(app("api", "ab.read", &[&orgno(A), "orgno: 974761076"], "")
            + "---\n"
            + &app("other", "cd.read", &[&orgno(C)], "")),
    )
    .write(
        ".nais/zz.yaml",
        &app("zz", "zz.read", &[&orgno(A), &orgno(B)], ""),
    );
    let head = r.commit("other app, a bad orgno, and a grant elsewhere");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        kinds(&changes),
        ["deploy-rejected", "deploy-rejected", "consumer-granted"],
        "{changes:#?}"
    );
    assert_eq!(changes[2]["app"], json!("team/zz"));
    let run = r.diff(&[&base, &head, "--fail-on", "deploy-rejected"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let fails = run.stdout.find("Deploys that fail").expect(&run.stdout);
    let rest = run.stdout.find("Maskinporten test").expect(&run.stdout);
    assert!(fails < rest, "{}", run.stdout);
    let granted = r.diff(&[&base, &head, "--fail-on", "consumer-revoked"]);
    assert_eq!(granted.code, 0, "{}{}", granted.stdout, granted.stderr);
    let md = r.diff(&[&base, &head, "--format", "markdown"]);
    let fails = md.stdout.find("#### Deploys that fail").expect(&md.stdout);
    let rest = md.stdout.find("| change |").expect(&md.stdout);
    assert!(fails < rest, "{}", md.stdout);
}

/// The resources of one deploy step are applied in order, and the first
/// rejected stops the rest: a grant in the second file is not made.
#[test]
fn a_rejected_file_stops_the_files_after_it_in_its_step() {
    let r = Repo::new();
    r.write(WF, &workflow(".nais/first.yaml,.nais/second.yaml"))
        .write(
            ".nais/first.yaml",
            &app("first", "ab.read", &[&orgno(A)], ""),
        )
        .write(
            ".nais/second.yaml",
            &app("second", "cd.read", &[&orgno(A)], ""),
        );
    let base = r.commit("two apps");
    r.write(
        ".nais/first.yaml",
        &app("first", "ab.read", &[&orgno(A), "orgno: 974761076"], ""),
    )
    .write(
        ".nais/second.yaml",
        &app("second", "cd.read", &[&orgno(A), &orgno(C)], ""),
    );
    let head = r.commit("a bad orgno first, a grant second");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(
        kinds(&changes),
        ["deploy-rejected", "deploy-rejected"],
        "{changes:#?}"
    );
    let second = changes
        .iter()
        .find(|c| c["app"] == json!("team/second"))
        .expect("a record for the second app");
    assert_eq!(second["file"], json!(".nais/first.yaml"), "{second:#?}");
    assert_eq!(second["rule"], json!("wrong-type"));
}

/// The commit that fixes a rejected BASE is compared with the last version
/// the cluster accepted: A at that version; B and C granted by the fix.
/// Each record names the version it is relative to.
#[test]
fn a_fix_of_a_rejected_base_is_compared_with_the_last_accepted_version() {
    let (r, _) = accepted_base();
    let accepted = r.git(&["rev-parse", "HEAD"]);
    r.write(WF, &workflow(FILE).replace("VAR: image=x", "VAR: image=y"));
    r.commit("an unrelated change to the workflow");
    r.write(
        FILE,
        &app("api", "ab.read", &[&orgno(A), "orgno: 974761076"], ""),
    );
    let rejected = r.commit("B, unquoted");
    r.write(
        FILE,
        &app("api", "ab.read", &[&orgno(A), &orgno(B), &orgno(C)], ""),
    );
    let fix = r.commit("B quoted, and C");
    let changes = r.changes(&[&rejected, &fix]);
    assert_eq!(
        kinds(&changes),
        ["consumer-granted", "consumer-granted"],
        "{changes:#?}"
    );
    let granted: Vec<&str> = changes
        .iter()
        .map(|c| c["orgno"].as_str().unwrap())
        .collect();
    assert_eq!(granted, [C, B]);
    for c in &changes {
        assert_eq!(
            c["relative_to"],
            json!({"commit": accepted, "subject": "api exposes ab.read to A", "since": "base-rejected"}),
            "{c:#?}"
        );
    }
    let human = r.diff(&[&rejected, &fix]);
    assert!(
        human.stdout.contains(&format!(
            "compared with {} (api exposes ab.read to A), the last version the cluster accepted",
            &accepted[..7]
        )),
        "{}",
        human.stdout
    );
}

/// A manifest that was rejected from its first commit on was never in the
/// cluster: its fix creates the client and the scope.
#[test]
fn a_manifest_never_accepted_is_created_by_its_fix() {
    let r = Repo::new();
    r.write(WF, &workflow(FILE))
        .write(FILE, &app("api", "ab.read", &["orgno: 889640782"], ""));
    let rejected = r.commit("api, unquoted");
    r.write(FILE, &app("api", "ab.read", &[&orgno(A)], ""));
    let fix = r.commit("quoted");
    let changes = r.changes(&[&rejected, &fix]);
    assert_eq!(
        kinds(&changes),
        ["maskinporten-enabled", "scope-created"],
        "{changes:#?}"
    );
    assert_eq!(changes[1]["consumers"], json!([{"orgno": A, "name": null}]));
}

/// When every version within the bound (50 commits that change the files)
/// is rejected, what the cluster has is not known: `unknown`, not grants.
#[test]
fn a_base_with_no_accepted_version_in_bound_is_unknown() {
    let (r, _) = accepted_base();
    for i in 0..51 {
        r.write(
            FILE,
            &(app("api", "ab.read", &[&orgno(A), "orgno: 974761076"], "") + &format!("# {i}\n")),
        );
        r.commit(&format!("rejected {i}"));
    }
    let rejected = r.git(&["rev-parse", "HEAD"]);
    r.write(FILE, &app("api", "ab.read", &[&orgno(A), &orgno(B)], ""));
    let fix = r.commit("fix");
    let changes = r.changes(&[&rejected, &fix]);
    assert_eq!(kinds(&changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["side"], json!("base"));
    assert!(
        changes[0]["help"]
            .as_str()
            .unwrap()
            .contains("every version of the last 50 commits"),
        "{changes:#?}"
    );
}

/// A HEAD that maskscope cannot read (over its nesting budget) is unknown
/// for its client: no `maskinporten-disabled`, no `no-longer-deployed`.
#[test]
fn a_side_maskscope_cannot_read_is_unknown() {
    let (r, base) = accepted_base();
    let deep = format!("{}1{}\n", "[".repeat(100), "]".repeat(100));
    r.write(
        FILE,
        &(app("api", "ab.read", &[&orgno(A)], "") + "---\nx: " + &deep),
    );
    let head = r.commit("a deep list");
    let run = r.diff(&[&base, &head, "--format", "json"]);
    let v: Value = serde_json::from_str(&run.stdout).expect(&run.stderr);
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(kinds(changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["app"], json!("team/api"));
    assert_eq!(changes[0]["side"], json!("head"));
    assert!(
        changes[0]["help"]
            .as_str()
            .unwrap()
            .contains("cannot be read"),
        "{changes:#?}"
    );
}

/// Beside a deploy step maskscope cannot read, a manifest no readable step
/// names may be deployed by it, or not: what changes in it is `unknown`,
/// not guessed from its file name; one that does not change says nothing.
#[test]
fn a_manifest_an_unreadable_step_may_deploy_is_unknown_not_guessed() {
    let r = Repo::new();
    let wf = format!(
        "{}      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: prod-gcp\n          RESOURCE: ${{{{ secrets.FILES }}}}\n          VAR: image=x\n",
        workflow(FILE)
    );
    r.write(WF, &wf)
        .write(FILE, &app("api", "ab.read", &[&orgno(A)], ""))
        .write(
            ".nais/prod-gcp.yaml",
            &app("api", "ab.read", &[&orgno(B)], ""),
        );
    let base = r.commit("dev by a step, prod by a step that cannot be read");
    r.write(
        ".nais/prod-gcp.yaml",
        &app("api", "ab.read", &[&orgno(B), &orgno(C)], ""),
    );
    let head = r.commit("a consumer in prod");
    let changes = r.changes(&[&base, &head]);
    let about: Vec<(&str, &Value, &Value)> = changes
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), &c["app"], &c["side"]))
        .collect();
    assert_eq!(
        about,
        [
            ("unknown", &Value::Null, &json!("head")),
            ("unknown", &json!("team/api"), &json!("head")),
            ("unknown", &json!("team/api"), &json!("base")),
        ],
        "{changes:#?}"
    );
    // The dev manifest changes alone: only the step's record beside it.
    r.write(FILE, &app("api", "ab.read", &[&orgno(A), &orgno(C)], ""));
    let dev = r.commit("a consumer in dev");
    let changes = r.changes(&[&head, &dev]);
    assert_eq!(
        kinds(&changes),
        ["consumer-granted", "unknown"],
        "{changes:#?}"
    );
    // Renamed to another cluster's name: what the file names say is a
    // guess at both revisions, so no `no-longer-deployed` either.
    let text = std::fs::read_to_string(r.path().join(".nais/prod-gcp.yaml")).unwrap();
    r.remove(".nais/prod-gcp.yaml")
        .write(".nais/prod-fss.yaml", &text);
    let renamed = r.commit("renamed");
    let changes = r.changes(&[&dev, &renamed]);
    let about: Vec<(&str, &Value, &Value)> = changes
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), &c["cluster"], &c["side"]))
        .collect();
    assert_eq!(
        about,
        [
            ("unknown", &json!("prod-gcp"), &json!("head")),
            ("unknown", &json!("prod-fss"), &json!("head")),
            ("unknown", &json!("prod-gcp"), &json!("base")),
        ],
        "{changes:#?}"
    );
}

/// An Application under another `apiVersion` is rejected: the cluster keeps
/// BASE's, and the client is not `no-longer-deployed`.
#[test]
fn a_wrong_api_version_at_head_changes_nothing() {
    let (r, base) = accepted_base();
    r.write(
        FILE,
        &app("api", "ab.read", &[&orgno(A), &orgno(B)], "")
            .replace("nais.io/v1alpha1", "nais.io/v1"),
    );
    let head = r.commit("another apiVersion");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["deploy-rejected"], "{changes:#?}");
    assert_eq!(
        (&changes[0]["rule"], &changes[0]["app"], &changes[0]["line"]),
        (&json!("wrong-api-version"), &json!("team/api"), &json!(1)),
        "{changes:#?}"
    );
}

/// A repository whose only deploy step cannot be read gets a step that
/// can: whether the unreadable one deployed the file before, and so
/// whether its client exists, is not known. Not `maskinporten-enabled`
/// beside `no-longer-deployed`.
#[test]
fn a_readable_step_beside_an_unreadable_one_does_not_create_what_may_exist() {
    let r = Repo::new();
    let unreadable = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: ${{ secrets.FILES }}\n";
    r.write(".github/workflows/old.yaml", unreadable).write(
        ".nais/dev/app.yaml",
        &app("api", "ab.read", &[&orgno(A)], ""),
    );
    let base = r.commit("deployed by a step that cannot be read");
    r.write(WF, &workflow(".nais/dev/app.yaml"));
    let head = r.commit("and by one that can");
    let changes = r.changes(&[&base, &head]);
    assert!(
        changes.iter().all(|c| c["kind"] == "unknown"),
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["app"] == "team/api" && c["cluster"] == "dev-gcp" && c["side"] == "base"),
        "{changes:#?}"
    );
}

/// A deployed manifest that is no text at HEAD (compressed, say) is not
/// passed over as if no step named it: its client is `unknown`, and the
/// file is an error (exit 2), never `no-longer-deployed`.
#[test]
fn a_deployed_file_that_is_not_text_is_unknown_not_gone() {
    let (r, base) = accepted_base();
    std::fs::write(r.path().join(FILE), b"\x1f\x8b\x08\x00\xff\xfe binary").unwrap();
    let head = r.commit("compressed");
    let run = r.diff(&[&base, &head, "--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(kinds(changes), ["unknown"], "{changes:#?}");
    assert_eq!(changes[0]["app"], json!("team/api"));
}

/// Removing `delegationSource` is reported with what is not known: DigDir
/// may keep the old value, since digdirator sends none when unset.
#[test]
fn removing_delegation_source_says_digdir_may_keep_it() {
    let (r, _) = accepted_base();
    r.write(
        FILE,
        &app(
            "api",
            "ab/cd.read",
            &[&orgno(A)],
            "          delegationSource: altinn\n          separator: \"/\"\n",
        ),
    );
    let base = r.commit("delegated");
    r.write(
        FILE,
        &app(
            "api",
            "ab/cd.read",
            &[&orgno(A)],
            "          separator: \"/\"\n",
        ),
    );
    let head = r.commit("no delegation");
    let changes = r.changes(&[&base, &head]);
    assert_eq!(kinds(&changes), ["attribute-changed"], "{changes:#?}");
    assert_eq!(changes[0]["new"], Value::Null);
    assert!(
        changes[0]["help"]
            .as_str()
            .unwrap()
            .contains("DigDir may keep"),
        "{changes:#?}"
    );
    let human = r.diff(&[&base, &head]);
    assert!(
        human.stdout.contains("DigDir may keep the old value"),
        "{}",
        human.stdout
    );
}
