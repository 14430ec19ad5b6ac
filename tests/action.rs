//! The GitHub Action's download script (`action/install.sh`) against release
//! archives served from a loopback HTTP server (Python's `http.server`): a good
//! download, a checksum mismatch, a version that is missing, a platform with no
//! binary. And `action/run.sh`, which splits `args` and reports the exit code.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const TARGET: &str = "x86_64-unknown-linux-musl";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sha256(file: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(file)
        .output()
        .expect("sha256sum");
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// `python3 -m http.server` on 127.0.0.1, on a port the system picks;
/// stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn serve(dir: &Path) -> Server {
        let mut child = Command::new("python3")
            .args(["-u", "-m", "http.server", "--bind", "127.0.0.1", "0"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server");
        // "Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ..."
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A runner's temporary folder, a release folder served over HTTP and the
/// action's checksum table.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["releases", "temp", "cache"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(
            dir.path().join("checksums.txt"),
            "# VERSION TARGET SHA256\n",
        )
        .unwrap();
        Runner { dir }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// Publishes `maskscope-VERSION-TARGET.tar.gz` holding a stand-in binary
    /// that prints `stand-in VERSION`; returns the archive.
    fn release(&self, version: &str) -> PathBuf {
        let name = format!("maskscope-{version}-{TARGET}");
        let build = self.path("build");
        std::fs::create_dir_all(build.join(&name)).unwrap();
        let bin = build.join(&name).join("maskscope");
        std::fs::write(&bin, format!("#!/bin/sh\necho stand-in {version}\n")).unwrap();
        let folder = self.path("releases").join(format!("v{version}"));
        std::fs::create_dir_all(&folder).unwrap();
        let archive = folder.join(format!("{name}.tar.gz"));
        let ok = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&build)
            .arg(&name)
            .status()
            .unwrap()
            .success();
        assert!(ok, "tar");
        archive
    }

    fn trust(&self, version: &str, sha256: &str) {
        let table = self.path("checksums.txt");
        let mut text = std::fs::read_to_string(&table).unwrap();
        text.push_str(&format!("{version} {TARGET} {sha256}\n"));
        std::fs::write(table, text).unwrap();
    }

    /// `action/install.sh ARGS` as the action runs it, on Linux X64 unless
    /// `env` says otherwise, with the download address `base`.
    fn install(&self, base: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let _ = std::fs::remove_file(self.path("output"));
        let mut cmd = Command::new("bash");
        cmd.arg(root().join("action/install.sh"))
            .args(args)
            .env_remove("MASKSCOPE_VERSION")
            .env_remove("MASKSCOPE_GITHUB_TOKEN")
            .env("MASKSCOPE_DOWNLOAD_URL", base)
            .env("MASKSCOPE_CHECKSUMS", self.path("checksums.txt"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_PATH", self.path("github_path"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("bash")
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(self.path("output")).unwrap_or_default()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_good_download_is_verified_unpacked_put_on_path_and_cached() {
    let runner = Runner::new();
    // No version given: the one in Cargo.toml, the action's own.
    let version = env!("CARGO_PKG_VERSION");
    let archive = runner.release(version);
    let sha = sha256(&archive);
    runner.trust(version, &sha);
    let server = Server::serve(&runner.path("releases"));
    let cache = runner.path("cache");
    let cache = cache.to_str().unwrap();

    let plan = runner.install(&server.url, &["plan"], &[]);
    assert!(plan.status.success(), "{}", stderr(&plan));
    let name = format!("maskscope-{version}-{TARGET}.tar.gz");
    assert_eq!(
        runner.outputs(),
        format!("version={version}\ntarget={TARGET}\narchive={name}\nsha256={sha}\n")
    );

    let install = runner.install(&server.url, &["install", cache], &[]);
    assert!(install.status.success(), "{}", stderr(&install));
    let folder = runner.path("temp").join(format!(
        "maskscope-{version}-{TARGET}/maskscope-{version}-{TARGET}"
    ));
    let bin = folder.join("maskscope");
    assert_eq!(
        runner.outputs(),
        format!("path={}\n", bin.display()),
        "{}",
        stderr(&install)
    );
    assert_eq!(
        std::fs::read_to_string(runner.path("github_path")).unwrap(),
        format!("{}\n", folder.display())
    );
    let ran = Command::new(&bin).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        format!("stand-in {version}\n")
    );
    assert_eq!(sha256(&Path::new(cache).join(&name)), sha);

    // A cache hit: nothing is downloaded (the server is gone), the archive is
    // verified again and unpacked.
    drop(server);
    let again = runner.install("http://127.0.0.1:9", &["install", cache], &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(bin.exists());
}

#[test]
fn a_checksum_mismatch_is_refused_and_not_kept() {
    let runner = Runner::new();
    let archive = runner.release("0.2.0");
    // The table holds another archive's checksum.
    let other = "0".repeat(64);
    runner.trust("0.2.0", &other);
    let server = Server::serve(&runner.path("releases"));
    let cache = runner.path("cache");

    let out = runner.install(
        &server.url,
        &["install", cache.to_str().unwrap()],
        &[("MASKSCOPE_VERSION", "v0.2.0")],
    );
    assert_eq!(out.status.code(), Some(1));
    let name = "maskscope-0.2.0-x86_64-unknown-linux-musl.tar.gz";
    assert!(
        stderr(&out).contains(&format!(
            "checksum mismatch for {name}: expected {other}, got {}; refusing it",
            sha256(&archive)
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(runner.outputs(), "");
    assert!(!cache.join(name).exists(), "the refused archive is kept");
    assert!(!runner.path("github_path").exists());
    assert_eq!(std::fs::read_dir(runner.path("temp")).unwrap().count(), 0);
}

#[test]
fn a_version_without_a_checksum_is_refused_before_any_download() {
    let runner = Runner::new();
    let archive = runner.release("0.2.0");
    runner.trust("0.2.0", &sha256(&archive));
    runner.release("0.3.0");
    let server = Server::serve(&runner.path("releases"));

    let out = runner.install(&server.url, &["plan"], &[("MASKSCOPE_VERSION", "0.3.0")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "maskscope 0.3.0 for x86_64-unknown-linux-musl has no checksum in this action \
             (action/checksums.txt knows: 0.2.0 )"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(runner.outputs(), "");
}

#[test]
fn a_version_that_is_not_released_is_an_error() {
    let runner = Runner::new();
    runner.trust("0.4.0", &"a".repeat(64));
    let server = Server::serve(&runner.path("releases"));
    let cache = runner.path("cache");

    let out = runner.install(
        &server.url,
        &["install", cache.to_str().unwrap()],
        &[("MASKSCOPE_VERSION", "0.4.0")],
    );
    assert_eq!(out.status.code(), Some(1));
    let url = format!(
        "{}/v0.4.0/maskscope-0.4.0-x86_64-unknown-linux-musl.tar.gz",
        server.url
    );
    assert!(
        stderr(&out).contains(&format!(
            "could not download maskscope 0.4.0: {url} answered HTTP 404 (is 0.4.0 released?)"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
}

#[test]
fn a_version_that_is_not_one_is_refused() {
    let runner = Runner::new();
    let out = runner.install(
        "http://127.0.0.1:9",
        &["plan"],
        &[("MASKSCOPE_VERSION", "../../evil")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`../../evil` is not a maskscope version (like 0.1.0)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unsupported_platform_is_refused() {
    let runner = Runner::new();
    runner.trust("0.2.0", &"a".repeat(64));
    for (os, arch) in [("Linux", "ARM"), ("Windows", "ARM64"), ("FreeBSD", "X64")] {
        let out = runner.install(
            "http://127.0.0.1:9",
            &["plan"],
            &[
                ("MASKSCOPE_VERSION", "0.2.0"),
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{os} {arch}");
        assert!(
            stderr(&out).contains(&format!(
                "no maskscope binary for {os} on {arch}; released for Linux (X64, ARM64), \
                 macOS (X64, ARM64) and Windows (X64)"
            )),
            "{}",
            stderr(&out)
        );
        assert_eq!(runner.outputs(), "");
    }
}

#[test]
fn each_platform_gets_its_archive() {
    let runner = Runner::new();
    let table = [
        ("Linux", "X64", "x86_64-unknown-linux-musl", "tar.gz"),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl", "tar.gz"),
        ("macOS", "X64", "x86_64-apple-darwin", "tar.gz"),
        ("macOS", "ARM64", "aarch64-apple-darwin", "tar.gz"),
        ("Windows", "X64", "x86_64-pc-windows-msvc", "zip"),
    ];
    let mut sums = String::new();
    for (_, _, target, _) in table {
        sums.push_str(&format!("0.2.0 {target} {}\n", "b".repeat(64)));
    }
    std::fs::write(runner.path("checksums.txt"), sums).unwrap();
    for (os, arch, target, ext) in table {
        let out = runner.install(
            "http://127.0.0.1:9",
            &["plan"],
            &[
                ("MASKSCOPE_VERSION", "0.2.0"),
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            runner
                .outputs()
                .contains(&format!("archive=maskscope-0.2.0-{target}.{ext}\n")),
            "{os} {arch}: {}",
            runner.outputs()
        );
    }
}

#[test]
fn add_checksums_turns_sha256sums_into_table_lines() {
    let sums = format!(
        "{a}  maskscope-0.2.0-x86_64-unknown-linux-musl.tar.gz\n\
         {b} *maskscope-0.2.0-x86_64-pc-windows-msvc.zip\n\
         {a}  something-else.tar.gz\n",
        a = "a".repeat(64),
        b = "b".repeat(64)
    );
    let out = Command::new("bash")
        .arg(root().join("action/add-checksums.sh"))
        .arg("0.2.0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(sums.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "0.2.0 x86_64-unknown-linux-musl {}\n0.2.0 x86_64-pc-windows-msvc {}\n",
            "a".repeat(64),
            "b".repeat(64)
        )
    );
}

/// `action/run.sh` with `args`, running the real binary from PATH.
fn run_action(args: &str, dir: &Path) -> (i32, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_maskscope")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg(root().join("action/run.sh"))
        .current_dir(root())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("MASKSCOPE_ARGS", args)
        .env("RUNNER_TEMP", dir)
        .env("GITHUB_OUTPUT", dir.join("output"))
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(dir.join("output")).unwrap_or_default();
    (out.status.code().unwrap(), outputs, stderr(&out))
}

#[test]
fn run_splits_args_like_a_shell_and_reports_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let (code, outputs, err) = run_action(
        "lint --format sarif 'testdata/lint/wrong-type/fail.yaml' $HOME",
        dir.path(),
    );
    // `$HOME` is not expanded: a path that does not exist is exit 2.
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("$HOME"), "{err}");
    let report = dir.path().join("maskscope-report.sarif");
    assert_eq!(
        outputs,
        format!("exit-code=2\nreport={}\n", report.display())
    );

    let (code, outputs, err) = run_action(
        "lint --format=sarif \"testdata/lint/wrong-type/fail.yaml\"",
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(outputs.ends_with(&format!("exit-code=1\nreport={}\n", report.display())));
    let sarif = std::fs::read_to_string(&report).unwrap();
    assert!(sarif.contains("\"ruleId\": \"wrong-type\""), "{sarif}");
}
