//! Templated manifests through the binary: rendering as nais deploy renders
//! them, variables without a value, and the budgets that keep any template
//! from exhausting memory, time or the stack.

mod common;

use common::{Run, maskscope};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const HEAD: &str = "apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: vedtak-api
  namespace: team-vedtak
spec:
";

/// A folder with `nais.yaml` holding `HEAD` and then `spec`.
fn project(spec: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nais.yaml"), format!("{HEAD}{spec}")).unwrap();
    dir
}

fn run<const N: usize>(dir: &Path, args: [&str; N]) -> Run {
    maskscope(dir, args, None)
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

/// `(rule, line, column)` of each lint finding.
fn findings(r: &Run) -> Vec<(String, u64, u64)> {
    json(r)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

const ENTRY: &str = "  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"arbeid\"
          separator: \"/\"
          consumers:
            - orgno: \"889640782\"
";

#[test]
fn values_are_escaped_as_raymond_escapes() {
    let dir = project(&ENTRY.replace(
        "product: \"arbeid\"",
        "product: \"{{p}}\"\n          delegationSource: '{{{q}}}'",
    ));
    let r = run(
        dir.path(),
        [
            "resolve",
            "--format",
            "json",
            "--var",
            "p=a&b<c>'d\"e",
            "--var",
            "q=a&b<c>\"e",
            "nais.yaml",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row = &json(&r)[0];
    assert_eq!(row["product"], "a&amp;b&lt;c&gt;&apos;d&quot;e");
    assert_eq!(row["delegation_source"], "a&b<c>\"e");
}

#[test]
fn a_var_without_equals_is_true_and_the_first_equals_splits() {
    let dir = project(
        &ENTRY
            .replace(
                "enabled: true\n          product",
                "enabled: {{on}}\n          product",
            )
            .replace("\"vedtak.read\"", "\"{{n}}\""),
    );
    let r = run(
        dir.path(),
        [
            "resolve",
            "--format",
            "json",
            "--var",
            "on",
            "--var",
            "n=a=b",
            "nais.yaml",
        ],
    );
    let row = &json(&r)[0];
    assert_eq!(
        (row["enabled"].clone(), row["name"].clone()),
        (true.into(), "a=b".into())
    );
}

/// Each case of a variable without a value, in one file: a value and a block in
/// `spec.maskinporten` (errors where they stand), a value elsewhere (one
/// warning for its two uses), a flag elsewhere and `image` (nothing).
#[test]
fn variables_without_a_value_in_every_format() {
    let spec = "  image: {{ image }}
  ingresses:
    - {{ ingress }}
  {{#if debug}}
  env:
    - name: LOG
      value: {{ ingress }}
  {{/if}}
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: \"vedtak.read\"
          enabled: true
          product: \"{{ product }}\"
          separator: \"/\"
          consumers:
            {{#each orgnos}}
            - orgno: \"{{this}}\"
            {{/each}}
";
    let dir = project(spec);
    let r = run(dir.path(), ["lint", "--format", "json", "nais.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        findings(&r),
        [
            ("missing-variable".into(), 9, 7),
            ("unrendered-template".into(), 21, 21),
            ("unrendered-template".into(), 24, 13),
        ]
    );
    let text = std::fs::read_to_string(dir.path().join("nais.yaml")).unwrap();
    assert_eq!(&text.lines().nth(20).unwrap()[20..33], "{{ product }}");
    assert_eq!(
        text.lines().nth(23).unwrap()[12..].trim_end(),
        "{{#each orgnos}}"
    );

    let r = run(dir.path(), ["lint", "nais.yaml"]);
    assert!(
        r.stdout
            .contains("warning[missing-variable]: template variable `ingress` has no value"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("[nais.yaml:24:13]"), "{}", r.stdout);
    let r = run(dir.path(), ["lint", "--format", "github", "nais.yaml"]);
    assert!(
        r.stdout.contains("::warning file=nais.yaml,line=9,"),
        "{}",
        r.stdout
    );
    let r = run(dir.path(), ["lint", "--format", "sarif", "nais.yaml"]);
    let sarif = json(&r);
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "missing-variable",
            "unrendered-template",
            "unrendered-template"
        ]
    );

    // resolve marks the entry and names the variables on stderr.
    let r = run(dir.path(), ["resolve", "--format", "json", "nais.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        json(&r)[0]["unresolved_vars"],
        serde_json::json!(["product", "orgnos"])
    );
    assert!(
        r.stderr.contains(
            "nais.yaml: template variables without a value, which no scope depends on: ingress (`maskscope lint` shows where)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("`debug`") && !r.stderr.contains("`image`"),
        "{}",
        r.stderr
    );
    let r = run(dir.path(), ["resolve", "--format", "plain", "nais.yaml"]);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("nais.yaml:19:11: left out a scope that depends on template variables without a value (product, orgnos)"), "{}", r.stderr);

    // With the values, nothing is left to report.
    let vars = dir.path().join("vars.yaml");
    std::fs::write(
        &vars,
        "ingress: https://a.nav.no\nproduct: arbeid\norgnos: [\"889640782\"]\n",
    )
    .unwrap();
    let r = run(
        dir.path(),
        [
            "lint",
            "--format",
            "json",
            "--vars",
            "vars.yaml",
            "nais.yaml",
        ],
    );
    assert_eq!((r.code, findings(&r)), (0, vec![]), "{}", r.stdout);
}

#[test]
fn a_dotted_variable_gets_the_hint_that_works() {
    let dir = project(&ENTRY.replace("\"arbeid\"", "\"{{ app.product }}\""));
    let r = run(dir.path(), ["lint", "--format", "json", "nais.yaml"]);
    let v = json(&r);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unrendered-template")
        .unwrap();
    let help = d["help"].as_str().unwrap().to_owned();
    assert!(help.contains("`app.product` is a path: give it in a vars file as a mapping (`app:` with `product: VALUE` under it)"), "{help}");
    // `--var app.product=x` sets a key with a dot, which the path does not find.
    let r = run(
        dir.path(),
        [
            "lint",
            "--format",
            "json",
            "--var",
            "app.product=arbeid",
            "nais.yaml",
        ],
    );
    assert_eq!(findings(&r), [("unrendered-template".into(), 13, 21)]);
    std::fs::write(dir.path().join("vars.yaml"), "app:\n  product: arbeid\n").unwrap();
    let r = run(
        dir.path(),
        [
            "lint",
            "--format",
            "json",
            "--vars",
            "vars.yaml",
            "nais.yaml",
        ],
    );
    assert_eq!((r.code, findings(&r)), (0, vec![]));
}

/// Block nesting: at the budget it renders; past it, the file is not checked
/// (exit 2) and the message says which budget, where.
#[test]
fn nested_blocks_at_and_past_the_limit() {
    let nested = |n: usize| format!("{}  x: 1\n{}", "{{#if a}}".repeat(n), "{{/if}}".repeat(n));
    let dir = project(&format!("{}{ENTRY}", nested(64)));
    let r = run(
        dir.path(),
        ["lint", "--format", "json", "--var", "a=1", "nais.yaml"],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    for n in [65, 5_000] {
        let dir = project(&format!("{}{ENTRY}", nested(n)));
        let r = run(
            dir.path(),
            ["lint", "--format", "json", "--var", "a=1", "nais.yaml"],
        );
        assert_eq!(r.code, 2, "{n}: {}", r.stderr);
        let v = json(&r);
        assert_eq!(v["summary"]["unchecked"], 1);
        let reason = v["unchecked"][0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("nested deeper than the budget of 64 levels"),
            "{reason}"
        );
        assert_eq!(
            (
                v["unchecked"][0]["line"].clone(),
                v["unchecked"][0]["column"].clone()
            ),
            (7.into(), 577.into())
        );
    }
}

/// 405 bytes that would render 1,000,000,000 lines: stopped by the step budget.
#[test]
fn a_triple_each_over_1000_items_stops_at_a_budget() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    std::fs::write(
        dir.path().join("vars.yaml"),
        format!("a: [{}]\n", items.join(", ")),
    )
    .unwrap();
    let spec = "  env:\n{{#each a}}{{#each ../a}}{{#each ../../a}}    - name: x\n{{/each}}{{/each}}{{/each}}";
    std::fs::write(dir.path().join("nais.yaml"), format!("{HEAD}{spec}")).unwrap();
    for command in ["lint", "resolve"] {
        let r = run(dir.path(), [command, "--vars", "vars.yaml", "nais.yaml"]);
        assert_eq!(r.code, 2, "{command}: {}", r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            all.contains("nais.yaml") && all.contains("budget of 2000000 steps"),
            "{command}: {all}"
        );
    }
}

#[test]
fn a_vars_file_over_its_budget_says_which() {
    let dir = project(ENTRY);
    let many = format!("a: [{}]\n", vec!["1"; 100_001].join(","));
    std::fs::write(dir.path().join("many.yaml"), many).unwrap();
    let r = run(dir.path(), ["lint", "--vars", "many.yaml", "nais.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "many.yaml: the vars file is over the budget for vars files (at most 100000 values"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("Nodes {"), "{}", r.stderr);
    let big = format!("a: \"{}\"\n", "x".repeat(1024 * 1024));
    std::fs::write(dir.path().join("big.yaml"), big).unwrap();
    let r = run(dir.path(), ["lint", "--vars", "big.yaml", "nais.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("big.yaml: the vars file is larger than the budget of 1 MiB"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_name_that_is_no_helper_is_a_value_as_in_nais_deploy() {
    // raymond reads `{{json env}}` as the value `json`, not as a helper.
    let dir = project(&format!("  env: {{{{json env}}}}\n{ENTRY}"));
    let r = run(dir.path(), ["lint", "nais.yaml"]);
    assert!(
        r.stdout.contains("template variable `json` has no value"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("not checked"), "{}", r.stdout);
}

#[test]
fn a_helper_with_the_wrong_parameters_is_a_file_not_checked() {
    let dir = project(&format!("  env: {{{{#if}}}}x{{{{/if}}}}\n{ENTRY}"));
    let r = run(dir.path(), ["lint", "nais.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "nais.yaml:7:8: not checked: nais deploy cannot render this template (raymond: Helper 'if' called with wrong number of arguments, needed 2 but got 0)"
        ),
        "{}",
        r.stdout
    );
}

/// A real deploy that failed: two nested `{{/each}}` closed on consecutive
/// lines. raymond keeps the indentation of the second closing line, so the
/// second `- name:` lands under the first entry's consumers and the deploy
/// cannot decode the text. No scope comes of it; the finding points at the
/// template's line where the broken entry starts.
#[test]
fn nested_each_closed_on_consecutive_lines_is_a_deploy_that_fails() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render");
    let args = ["--vars", "nested-each-vars.json", "nested-each.yaml"];
    let r = maskscope(
        &fixtures,
        ["lint", "--format", "json"].iter().chain(&args),
        None,
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(findings(&r), [("yaml-syntax".to_owned(), 13, 9)]);
    assert!(
        json(&r)["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("the deploy fails: did not find expected key"),
        "{}",
        r.stdout
    );
    let r = maskscope(
        &fixtures,
        ["resolve", "--format", "plain"].iter().chain(&args),
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("nested-each.yaml:13:9"), "{}", r.stderr);
}
