//! Values read from input cannot inject anything into maskscope's output: a
//! repository whose manifests, vars file, workflow and file names hold line
//! breaks followed by GitHub workflow commands, escape sequences, bidi
//! overrides, HTML, mentions, links and backticks, run through every command
//! in every format. No line of stdout or stderr starts with `::` but the
//! workflow commands of `--format github` (which must be well-formed), no raw
//! control character reaches a terminal, the Markdown comment holds no HTML,
//! link, image or mention that maskscope did not write, and the Mermaid graph
//! stays one fenced block.

mod common;

use common::repo::git_in as git;
use common::{Run, maskscope};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::path::Path;

/// The manifest: every value a report shows is hostile. YAML's `\n`, `\e`,
/// `\u2028` and `\u202E` escapes put the raw characters into the values.
const APP: &str = r#"apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: "app\n::error::appname\e[2J"
  namespace: "team\n::error::namespace"
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: "vedtak.read\n::error::scopename\e[31m\u2028x\u202Ey"
          enabled: true
          product: "{{{ product }}}"
          consumers:
            - orgno: "889640782\n::error::orgno"
              name: "KST\n::stop-commands::x\r\n::error::cr <img src=x onerror=alert(1)> @octocat @nais/team </details> <!-- [link](https://evil.example) ![i](https://evil.example/i.png) www.evil.example ` `` | x | y *b* _i_ &amp; # h \\ \u2029 ##[error]old"
        - name: "{{[odd\n::error::var]}}.read"
          enabled: true
          product: arbeid
"#;

/// A manifest the API server accepts, whose consumer's name (free text) is
/// the hostile one: `diff` shows it in a record of a scope created. (APP's
/// other values make the API server reject it: `diff` shows them in a
/// `deploy-rejected` record.)
const ACCEPTED: &str = r#"apiVersion: nais.io/v1alpha1
kind: Application
metadata:
  name: accepted
  namespace: team
spec:
  maskinporten:
    enabled: true
    scopes:
      exposes:
        - name: "vedtak.read"
          enabled: true
          product: arbeid
          consumers:
            - orgno: "889640782"
              name: "KST\n::stop-commands::x\r\n::error::cr <img src=x onerror=alert(1)> @octocat @nais/team </details> <!-- [link](https://evil.example) ![i](https://evil.example/i.png) www.evil.example ` `` | x | y *b* _i_ &amp; # h \\ \u2029 ##[error]old"
"#;

const ACCEPTED_WORKFLOW: &str = "on: push\njobs:\n  deploy:\n    steps:\n      - uses: nais/deploy/actions/deploy@v2\n        env:\n          CLUSTER: dev-gcp\n          RESOURCE: .nais/accepted.yaml\n          VAR: image=x\n";

/// The vars file: a value with an escaped line break, which the template
/// writes into a double-quoted YAML string.
const VARS: &str = "product: 'arbeid\\n::error::product'\n";

/// A second manifest, named with a line break: its product is invalid, so
/// that `lint` reports on it by its name.
const NAMED: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: f\nspec:\n  maskinporten:\n    enabled: true\n    scopes:\n      exposes:\n        - name: \"a.read\"\n          enabled: true\n          product: \"BAD PRODUCT\"\n";

/// A manifest with a raw escape sequence and a line separator in it, which
/// is no valid YAML: the report shows its source lines.
const RAW: &str = "apiVersion: nais.io/v1alpha1\nkind: Application\nmetadata:\n  name: esc\u{1b}[2J\u{202e}\u{2028}z\n";

/// The workflow: a cluster and a RESOURCE expression that hold line breaks.
const WORKFLOW: &str = r#"on: push
jobs:
  deploy:
    steps:
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: "dev-gcp\n::error::cluster"
          RESOURCE: .nais/app.yaml
          VARS: .nais/vars.yaml
      - uses: nais/deploy/actions/deploy@v2
        env:
          CLUSTER: prod-gcp
          RESOURCE: "${{ needs.x.outputs.f }}\n::error::resource"
"#;

/// Legacy registrations with hostile names, descriptions and consumers.
const IAC: &str = r#"scopes:
  - name: "nav:arbeid:vedtak.read\n::error::iacname\e[31m"
    description: "dev-gcp:team:app.x\n::error::description"
    consumers: ["889640782\n::error::iacorgno"]
"#;

/// A repository with an empty commit on `main`, and the hostile files in
/// its working tree (so that `diff main` shows them all as new).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(
        root,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "empty",
        ],
    );
    std::fs::create_dir_all(root.join(".nais")).unwrap();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(root.join(".nais/app.yaml"), APP).unwrap();
    std::fs::write(root.join(".nais/vars.yaml"), VARS).unwrap();
    std::fs::write(root.join(".nais/x\n::error::file.yaml"), NAMED).unwrap();
    std::fs::write(root.join(".nais/raw.yaml"), RAW).unwrap();
    std::fs::write(root.join(".nais/accepted.yaml"), ACCEPTED).unwrap();
    std::fs::write(
        root.join(".github/workflows/accepted.yaml"),
        ACCEPTED_WORKFLOW,
    )
    .unwrap();
    std::fs::write(root.join(".github/workflows/deploy.yaml"), WORKFLOW).unwrap();
    std::fs::write(root.join("iac.yaml"), IAC).unwrap();
    dir
}

/// Whether a character must not reach a terminal raw: control characters
/// but line feed (and tab, the separator of `resolve --format plain`), line
/// and paragraph separators, bidi overrides and isolates.
fn raw_special(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A workflow command as maskscope writes it: `::error`, `::warning` or
/// `::notice`, properties whose values hold no `:` or `,`, then `::` and
/// the message.
fn well_formed(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("::") else {
        return false;
    };
    let Some((head, message)) = rest.split_once("::") else {
        return false;
    };
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    ["error", "warning", "notice"].contains(&command)
        && properties.is_empty()
            | properties.split(',').all(|p| {
                p.split_once('=').is_some_and(|(k, v)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()) && !v.contains(':')
                })
            })
        && !message.contains('\r')
        && !message.chars().any(raw_special)
}

/// What every run must hold to: no line that GitHub takes for a workflow
/// command, unless it is one of maskscope's own on stdout in `--format
/// github`; no raw control character and no `##[` anywhere, JSON and SARIF
/// included (where they are written as `\uXXXX`).
fn check(what: &str, r: &Run, github: bool, json: bool) {
    assert!(
        (0..=2).contains(&r.code),
        "{what}: exit {}\n{}",
        r.code,
        r.stderr
    );
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        for line in text.split('\n') {
            // The runner trims leading white space before it looks for `::`.
            let line = line.trim_start();
            if !line.starts_with("::") {
                continue;
            }
            assert!(
                github && stream == "stdout" && well_formed(line),
                "{what}: {stream} has a line that is a workflow command: {line:?}\n{text}"
            );
        }
        assert!(
            !text.contains('\u{1b}'),
            "{what}: raw ESC on {stream}:\n{text}"
        );
        // The runner's older command form, found anywhere in a line: in
        // JSON and SARIF too, which a CI job may print to its log.
        assert!(!text.contains("##["), "{what}: `##[` on {stream}:\n{text}");
        assert!(
            !text.chars().any(raw_special),
            "{what}: raw control character on {stream}: {text:?}"
        );
    }
    if json {
        serde_json::from_str::<serde_json::Value>(&r.stdout)
            .unwrap_or_else(|e| panic!("{what}: {e}\n{}", r.stdout));
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    maskscope(dir, args, None)
}

#[test]
fn no_command_and_no_control_character_reaches_the_output() {
    let repo = repository();
    let dir = repo.path();
    let commands: [(&str, &[&str]); 6] = [
        ("resolve", &["table", "plain", "json"]),
        ("lint", &["human", "json", "sarif", "github"]),
        ("migrate-check", &["table", "json"]),
        ("deployments", &["table", "json"]),
        ("diff", &["human", "json", "markdown", "github"]),
        ("access", &["table", "json", "markdown", "mermaid"]),
    ];
    for (command, formats) in commands {
        for format in formats {
            let mut args = vec![command];
            match command {
                "diff" => args.push("main"),
                "migrate-check" => args.extend(["--iac", "iac.yaml"]),
                _ => {}
            }
            args.extend(["--format", format]);
            let r = run(dir, &args);
            let what = format!("{command} --format {format}");
            let json = matches!(*format, "json" | "sarif");
            check(&what, &r, *format == "github", json);
            if !json && *format != "github" {
                // The values are there, escaped visibly.
                let all = format!("{}{}", r.stdout, r.stderr);
                assert!(all.contains("\\n::error::"), "{what}:\n{all}");
            }
        }
    }
}

#[test]
fn every_hostile_value_is_shown_escaped() {
    let repo = repository();
    let dir = repo.path();
    let resolve = run(dir, &["resolve"]);
    for value in [
        "team\\n::error::namespace/app\\n::error::appname\\u{1b}[2J",
        "arbeid\\n::error::product",
        "vedtak.read\\n::error::scopename\\u{1b}[31m\\u{2028}x\\u{202e}y",
        "dev-gcp\\n::error::cluster",
        ".nais/app.yaml",
    ] {
        assert!(
            resolve.stdout.contains(value),
            "{value}:\n{}",
            resolve.stdout
        );
    }
    // A workflow expression, a template variable, a file name in warnings.
    assert!(
        resolve
            .stderr
            .contains("RESOURCE is `${{ needs.x.outputs.f }}\\n::error::resource`"),
        "{}",
        resolve.stderr
    );
    assert!(
        resolve
            .stderr
            .contains("template variable `[odd\\n::error::var]` has no value"),
        "{}",
        resolve.stderr
    );
    // The source line of the invalid file, drawn with its characters escaped.
    assert!(
        resolve.stderr.contains("name: esc\\u{1b}[2J\\u{202e}"),
        "{}",
        resolve.stderr
    );
    let lint = run(dir, &["lint"]);
    assert!(
        lint.stdout.contains(".nais/x\\n::error::file.yaml:12:20"),
        "{}",
        lint.stdout
    );
    let github = run(dir, &["lint", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=.nais/x%0A%3A%3Aerror%3A%3Afile.yaml,line=12,"),
        "{}",
        github.stdout
    );
    let plain = run(dir, &["resolve", "--format", "plain"]);
    assert!(
        plain
            .stdout
            .contains("nav:arbeid\\n::error::product:vedtak.read\\n::error::scopename"),
        "{}",
        plain.stdout
    );
    let diff = run(dir, &["diff", "main"]);
    assert!(
        diff.stdout
            .contains("consumers: 889640782 (KST\\n::stop-commands::x\\r\\n::error::cr <img"),
        "{}",
        diff.stdout
    );
    let deployments = run(dir, &["deployments"]);
    assert!(
        deployments.stdout.contains("dev-gcp\\n::error::cluster"),
        "{}",
        deployments.stdout
    );
    let migrate = run(dir, &["migrate-check", "--iac", "iac.yaml"]);
    assert!(
        migrate.stdout.contains("\\n::error::iacname\\u{1b}[31m"),
        "{}",
        migrate.stdout
    );
}

/// maskscope's own HTML in the comment.
const OWN_HTML: [&str; 5] = ["<details>", "</details>", "<summary>", "</summary>", "<br>"];

/// The Markdown as GitHub reads it: no HTML but maskscope's, no link or
/// image, no mention or bare URL outside code, and every table row as many
/// cells as its header.
fn check_markdown(what: &str, md: &str) {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut columns = 0;
    let mut cells = 0;
    // Inside maskscope's Mermaid fence, text is the diagram's, not Markdown.
    let mut in_diagram = false;
    for event in Parser::new_ext(md, options) {
        if in_diagram {
            match &event {
                Event::End(TagEnd::CodeBlock) => in_diagram = false,
                Event::Text(t) => assert!(!t.contains('`'), "{what}: a backtick in {t:?}\n{md}"),
                other => panic!("{what}: {other:?} in the diagram\n{md}"),
            }
            continue;
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if &**lang == "mermaid" => {
                in_diagram = true;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let mut rest = h.trim().to_owned();
                for own in OWN_HTML {
                    rest = rest.replace(own, "");
                }
                // `<details><summary>6 consumers</summary>` leaves its count.
                assert!(
                    rest.chars()
                        .all(|c| c.is_alphanumeric() || c.is_whitespace()),
                    "{what}: HTML {h:?}\n{md}"
                );
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                panic!("{what}: a link or image: {event:?}\n{md}")
            }
            Event::Text(t) => {
                let chars: Vec<char> = t.chars().collect();
                for w in chars.windows(2) {
                    assert!(
                        !(w[0] == '@' && (w[1].is_alphanumeric() || w[1] == '_')),
                        "{what}: a mention in {t:?}\n{md}"
                    );
                }
                assert!(
                    !t.contains("://") && !t.contains("www."),
                    "{what}: a bare URL in {t:?}\n{md}"
                );
            }
            Event::Start(Tag::TableHead) => cells = 0,
            Event::End(TagEnd::TableHead) => columns = cells,
            Event::Start(Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(cells, columns, "{what}: a row of {cells} cells\n{md}")
            }
            Event::Start(Tag::TableCell) => cells += 1,
            _ => {}
        }
    }
}

#[test]
fn the_markdown_comment_holds_only_what_maskscope_wrote() {
    let repo = repository();
    let dir = repo.path();
    let diff = run(dir, &["diff", "main", "--format", "markdown"]);
    check_markdown("diff", &diff.stdout);
    // The consumer's name, whole, as code, with its `|` escaped for the table.
    assert!(
        diff.stdout.contains(
            "(```KST\\n::stop-commands::x\\r\\n::error::cr <img src=x onerror=alert(1)> @octocat @nais/team </details> <!-- [link](https://evil.example) ![i](https://evil.example/i.png) www.evil.example ` `` \\| x \\| y *b* _i_ &amp; # h \\ \\u{2029} #\\u{23}[error]old```)"
        ),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout
            .contains("| `dev-gcp\\n::error::cluster` | `invalid-name` |"),
        "{}",
        diff.stdout
    );
    let access = run(dir, &["access", "--format", "markdown"]);
    check_markdown("access", &access.stdout);
    // More consumers than fit in a cell fold into `<details>`.
    let many: String = (0..6)
        .map(|i| {
            format!("            - orgno: \"88964078{i}\"\n              name: \"<b>@x{i}</b>\"\n")
        })
        .collect();
    let app = ACCEPTED.replace(
        "          consumers:\n",
        &format!("          consumers:\n{many}"),
    );
    std::fs::write(dir.join(".nais/accepted.yaml"), app).unwrap();
    let diff = run(dir, &["diff", "main", "--format", "markdown"]);
    assert!(
        diff.stdout
            .contains("<details><summary>6 consumers</summary>"),
        "{}",
        diff.stdout
    );
    check_markdown("diff with a long list", &diff.stdout);
}

#[test]
fn the_mermaid_graph_stays_one_block_of_plain_labels() {
    let repo = repository();
    let r = run(repo.path(), &["access", "--format", "mermaid"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.first(), Some(&"flowchart LR"), "{}", r.stdout);
    assert_eq!(lines.last(), Some(&"  end"), "{}", r.stdout);
    let inner = &lines[..];
    for line in inner {
        assert!(!line.contains('`'), "a backtick in {line:?}");
        // A node: `id` shape `"label"` shape, the label free of quotes.
        if let Some(start) = line.find('"')
            && let Some(end) = line.rfind('"').filter(|&end| end > start)
        {
            let label = &line[start + 1..end];
            assert!(!label.contains(['"', '[', ']', '<', '>', '\\']), "{line:?}");
        }
    }
    let all = inner.join("\n");
    // Special characters as `text` writes them, then as entity codes.
    assert!(
        all.contains("KST#92;n::stop-commands::x#92;r#92;n::error::cr #60;img src#61;x"),
        "{all}"
    );
}
