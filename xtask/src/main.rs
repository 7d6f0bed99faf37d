//! Project tasks, so that the README's two commands work on a fresh machine:
//!
//! - `cargo xtask run`   — build and start the product (API + demo page) on 127.0.0.1:8080
//! - `cargo xtask test`  — install what the tests need if it is missing, then run every test
//! - `cargo xtask setup` — only the installation step
//! - `cargo xtask bench-all` — every benchmark, one table (engine native and in Wasm,
//!   widget size next to SurveyJS and timings in Chromium, API on SQLite and PostgreSQL)
//! - `cargo xtask bench` — the engine benchmark alone (criterion)
//! - `cargo xtask bench-api` — the API load benchmark alone (wrk), SQLite and PostgreSQL
//! - `cargo xtask bench-attack` — the API under connection attacks (silent, slow, huge)
//! - `cargo xtask widget` / `size` — build the widget into target/widget; print its sizes
//! - `cargo xtask fuzz [seconds]` — run each cargo-fuzz target of the engine (nightly)
//! - `cargo xtask conformance` — schemathesis against a live server (after `cargo test`)
//! - `cargo xtask one-file` — the server built with `embedded-widget` serves the widget it
//!   carries (after `cargo xtask widget`)
//! - `cargo xtask release` — the one-file release binary: the widget, then
//!   `cargo build --release -p aims-backend --features embedded-widget`
#![forbid(unsafe_code)]

mod attack;
mod bench;
mod widget;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => setup().and_then(|()| test()),
        Some("setup") => setup(),
        Some("bench-all") => bench::all(),
        Some("bench") => bench::engine(),
        Some("bench-api") => bench::api_only(),
        Some("bench-attack") => attack::run(),
        Some("widget") => widget::build().map(|files| widget::report(&files)),
        Some("conformance") => conformance(),
        Some("one-file") => one_file_server(),
        Some("release") => release(),
        Some("fuzz") => fuzz(
            args.get(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(FUZZ_SECONDS_MANUAL),
        ),
        Some("size") => widget::build().map(|files| widget::report(&files)),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [server flags] | test | setup | widget | size | conformance | fuzz [seconds] | bench-all | bench | bench-api | bench-attack>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn step(title: &str) {
    println!("\n==> {title}");
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// `cargo` of the nightly toolchain, in the workspace root, without the variables the
/// stable `cargo` running this task set (they would pin the stable toolchain).
fn nightly_cargo() -> Command {
    let mut c = Command::new("rustup");
    c.current_dir(root())
        .args(["run", "nightly", "cargo"])
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("RUSTUP_TOOLCHAIN");
    c
}

/// Whether the server at `base` answers `/readyz` within ten seconds.
fn wait_ready(base: &str) -> bool {
    for _ in 0..100 {
        if curl(&format!("{base}/readyz")).is_some() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

fn status(mut command: Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn setup() -> Result<(), String> {
    wasm_tools()?;
    postgres();
    browser()?;
    python_tools()
}

/// The Python client generator an integrator would try (the API tests generate a client
/// with it and submit through it).
const PYTHON_CLIENT_GENERATOR: &str = "openapi-python-client==0.29.1";

/// The test SMTP server the API tests deliver new-lead emails to.
const SMTP_SERVER: &str = "aiosmtpd==1.4.6";

/// From PyPI: schemathesis, for the API conformance run, openapi-python-client, and
/// aiosmtpd (a real SMTP server for the email tests).
fn python_tools() -> Result<(), String> {
    step(
        "schemathesis (API conformance), openapi-python-client (a generated client), aiosmtpd (test SMTP server)",
    );
    let has_smtp = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_smtp {
        let mut c = Command::new("python3");
        c.args(["-m", "pip", "install", "-q", SMTP_SERVER]);
        status(c, "pip install aiosmtpd")?;
    }
    if output("st", &["--version"]).is_none() {
        let mut c = Command::new("python3");
        c.args(["-m", "pip", "install", "-q", "schemathesis"]);
        status(c, "pip install schemathesis")?;
    }
    let wanted = PYTHON_CLIENT_GENERATOR.trim_start_matches("openapi-python-client==");
    let generator = output("openapi-python-client", &["--version"]).unwrap_or_default();
    if !generator.contains(wanted) {
        let mut c = Command::new("python3");
        c.args(["-m", "pip", "install", "-q", PYTHON_CLIENT_GENERATOR]);
        status(c, "pip install openapi-python-client")?;
    }
    println!(
        "{}\n{}",
        output("st", &["--version"]).unwrap_or_default().trim(),
        output("openapi-python-client", &["--version"])
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}

/// Runs schemathesis against a live server (the debug build `cargo test` just made) on a
/// fresh SQLite database: every operation of /api/openapi.json, every check.
fn conformance() -> Result<(), String> {
    step("API conformance: schemathesis against /api/openapi.json of a live server");
    let mut c = cargo();
    c.args(["build", "-p", "aims-backend"]);
    status(c, "cargo build -p aims-backend")?;
    let work = std::env::temp_dir().join(format!("aims-st-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(root().join("target/debug/aims-backend"))
        .env("AIMS_LISTEN", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", format!("sqlite://{}/st.db", work.display()))
        .env("AIMS_ADMIN_TOKEN", "conformance-token-0123456789abcdef")
        .env("AIMS_RATE_LIMIT_PER_MINUTE", "100000000")
        .env("AIMS_DAILY_ASSESSMENTS_PER_CLIENT", "100000000")
        .env("AIMS_ADMIN_LOCKOUT_AFTER", "100000000")
        .env("AIMS_WIDGET_DIR", root().join("target/widget"))
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let result = if wait_ready(&base) {
        // Run from the scratch folder: schemathesis leaves a cache where it runs.
        let mut c = Command::new("st");
        c.current_dir(&work)
            .arg("--config-file")
            .arg(root().join("tests/schemathesis.toml"))
            .args(["run", &format!("{base}/api/openapi.json")])
            .args(SCHEMATHESIS_ARGS)
            .args([
                "-H",
                "Authorization: Bearer conformance-token-0123456789abcdef",
            ]);
        status(c, "schemathesis")
    } else {
        Err("the server did not become ready".into())
    };
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// A port nobody listens on now, for a server the task starts.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// The release binary that carries the widget: one file to copy to a server.
fn release() -> Result<(), String> {
    wasm_tools()?;
    let files = widget::build()?;
    widget::report(&files);
    step("The server, release build, with the widget inside");
    let mut c = cargo();
    c.args([
        "build",
        "--release",
        "-p",
        "aims-backend",
        "--features",
        "embedded-widget",
    ]);
    status(c, "cargo build --release --features embedded-widget")?;
    println!(
        "one file to deploy: {}",
        root().join("target/release/aims-backend").display()
    );
    Ok(())
}

/// The server built with `embedded-widget`, started in an empty folder (no
/// `target/widget` there), serves the widget it carries, byte for byte.
fn one_file_server() -> Result<(), String> {
    step("One-file server: the binary built with embedded-widget serves its own widget");
    let mut c = cargo();
    c.args([
        "build",
        "-p",
        "aims-backend",
        "--features",
        "embedded-widget",
    ]);
    status(c, "cargo build -p aims-backend --features embedded-widget")?;
    let work = std::env::temp_dir().join(format!("aims-one-file-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(root().join("target/debug/aims-backend"))
        .current_dir(&work)
        .env("AIMS_LISTEN", format!("127.0.0.1:{port}"))
        .env("TMPDIR", &work)
        .env("RUST_LOG", "warn")
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let check = || -> Result<(), String> {
        if !wait_ready(&base) {
            return Err("the server did not become ready".into());
        }
        let built = root().join("target/widget");
        let loader =
            std::fs::read_to_string(built.join("aims-readiness.js")).map_err(|e| e.to_string())?;
        let served = curl(&format!("{base}/widget/aims-readiness.js")).unwrap_or_default();
        if served != loader {
            return Err("the served loader is not the built one".into());
        }
        for entry in std::fs::read_dir(&built).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let Some(len) = std::fs::metadata(&path).ok().map(|m| m.len()) else {
                continue;
            };
            let got = output(
                "curl",
                &[
                    "-fsS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{size_download}",
                    &format!("{base}/widget/{name}"),
                ],
            );
            if got.as_deref().map(str::trim) != Some(len.to_string().as_str()) {
                return Err(format!(
                    "/widget/{name}: {got:?} bytes, the built file has {len}"
                ));
            }
        }
        println!("every file of target/widget served from inside the binary");
        Ok(())
    };
    let result = check();
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// The schemathesis run: every check, a fixed seed so a failure can be replayed.
const SCHEMATHESIS_ARGS: &[&str] = &[
    "--checks",
    "all",
    "--max-examples",
    "30",
    "--seed",
    "1",
    "--no-color",
];

/// The local PostgreSQL the API tests also run against: started if it is down.
fn postgres() {
    step("PostgreSQL at 127.0.0.1:5432 (the API tests run against it too)");
    let up = || output("pg_isready", &["-h", "127.0.0.1", "-p", "5432", "-q"]).is_some();
    if !up()
        && let Some(version) = std::fs::read_dir("/etc/postgresql")
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
    {
        let mut c = Command::new("pg_ctlcluster");
        c.args(["--skip-systemctl-redirect", &version, "main", "start"]);
        let _ = c.status();
    }
    if up() {
        println!("postgresql: accepting connections");
    } else {
        println!(
            "postgresql: not reachable; set AIMS_TEST_POSTGRES_URL or start it, or the PostgreSQL tests fail"
        );
    }
}

/// What building the widget needs: the Wasm target, wasm-bindgen at the lockfile's
/// version, Node.js and the npm tools.
fn wasm_tools() -> Result<(), String> {
    step("Rust target for WebAssembly");
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        let mut c = Command::new("rustup");
        c.args(["target", "add", WASM_TARGET]);
        status(c, "rustup target add")?;
    }
    println!("{WASM_TARGET}: installed");

    step("wasm-bindgen CLI at the lockfile's version");
    let wanted = locked_wasm_bindgen_version()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"]).is_some();
    if !have.contains(&wanted) || !runner {
        let mut c = cargo();
        c.args(["install", "wasm-bindgen-cli", "--version", &wanted]);
        status(c, "cargo install wasm-bindgen-cli")?;
    }
    println!("wasm-bindgen {wanted}: installed");

    step("Node.js (runs the engine's Wasm tests) and npm tools (wasm-opt, axe-core)");
    match output("node", &["--version"]) {
        Some(v) => println!("node {}", v.trim()),
        None => {
            return Err(
                "Node.js is needed for the Wasm tests: apt-get install -y nodejs npm".into(),
            );
        }
    }
    widget::npm_tools()?;
    println!("node_modules: binaryen (wasm-opt), axe-core");
    Ok(())
}

/// What the browser tests need: Chromium and ChromeDriver from Debian.
fn browser() -> Result<(), String> {
    step("Chromium and ChromeDriver (widget tests in a real browser)");
    if chromedriver().is_none() || !Path::new(CHROMIUM).exists() {
        let mut c = Command::new("apt-get");
        c.args(["update", "-qq"]);
        status(c, "apt-get update")?;
        let mut c = Command::new("apt-get");
        c.args(["install", "-y", "-qq", "chromium", "chromium-driver"]);
        status(c, "apt-get install chromium chromium-driver")?;
    }
    let driver = chromedriver().ok_or("chromedriver is not installed")?;
    println!(
        "{}",
        output(&driver, &["--version"]).unwrap_or_default().trim()
    );
    Ok(())
}

/// `cargo test -p <package> --target wasm32-unknown-unknown --test <test> <more>`, with
/// ChromeDriver for the tests that run in the browser (the others run in Node.js).
fn wasm_test(package: &str, test: &str, more: &[&str]) -> Result<Command, String> {
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        package,
        "--target",
        WASM_TARGET,
        "--test",
        test,
    ])
    .args(more)
    .env(
        "CHROMEDRIVER",
        chromedriver().ok_or("chromedriver is not installed (cargo xtask setup)")?,
    );
    Ok(c)
}

/// Debian's Chromium.
const CHROMIUM: &str = "/usr/bin/chromium";

/// ChromeDriver: `$CHROMEDRIVER`, or Debian's.
fn chromedriver() -> Option<String> {
    std::env::var("CHROMEDRIVER")
        .ok()
        .into_iter()
        .chain(["/usr/bin/chromedriver".to_string()])
        .find(|p| Path::new(p).exists())
}

fn test() -> Result<(), String> {
    step("Formatting");
    let mut c = cargo();
    c.args(["fmt", "--all", "--check"]);
    status(c, "cargo fmt --check")?;

    step("Lints");
    let mut c = cargo();
    c.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    status(c, "cargo clippy")?;
    step("Engine and widget built for WebAssembly");
    let mut c = cargo();
    c.args([
        "build",
        "-p",
        "aims-engine",
        "-p",
        "aims-widget",
        "--target",
        WASM_TARGET,
    ]);
    status(c, "wasm build")?;

    let mut tally = Tally::default();
    step("Engine golden vectors in WebAssembly (byte-identical to native)");
    tally.run(wasm_test("aims-engine", "golden", &[])?, "wasm tests")?;

    step(
        "Engine benchmark in Wasm in headless Chromium (a run to keep it working; `cargo xtask bench-all` measures)",
    );
    tally.run(
        wasm_test("aims-engine", "wasm_bench", &["--", "--include-ignored"])?,
        "wasm engine benchmark",
    )?;

    step("Widget components in headless Chromium (wasm-bindgen-test)");
    tally.run(
        wasm_test("aims-widget", "components", &[])?,
        "widget component tests",
    )?;

    // The end-to-end tests drive the built widget served by the real backend.
    let files = widget::build()?;
    widget::report(&files);

    step("Every native test: unit, doc, property, golden, HTTP and browser end-to-end");
    let mut c = cargo();
    c.args(["test", "--workspace"]);
    tally.run(c, "cargo test")?;

    conformance()?;
    one_file_server()?;
    fuzz(FUZZ_SECONDS_TEST)?;

    println!(
        "\nsummary: {} passed, {} failed",
        tally.passed, tally.failed
    );
    Ok(())
}

/// How long each fuzz target runs in `cargo xtask test`, and by default on its own.
const FUZZ_SECONDS_TEST: u32 = 20;
const FUZZ_SECONDS_MANUAL: u32 = 300;

/// The engine's fuzz targets (shared/fuzz), each for `seconds`, with libFuzzer under
/// nightly: no panic, no input slower than 5 s, no more than 1 GB of memory.
fn fuzz(seconds: u32) -> Result<(), String> {
    let nightly = |args: &[&str]| {
        let mut c = nightly_cargo();
        c.current_dir(root().join("shared")).args(args);
        c
    };
    step("Fuzzing tools: cargo-fuzz (runs under the nightly toolchain)");
    let have = nightly(&["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        let mut c = cargo();
        c.args(["install", "cargo-fuzz", "--locked"]);
        status(c, "cargo install cargo-fuzz")?;
    }
    for target in ["evaluate", "bank"] {
        step(&format!("Fuzzing the engine: {target}, {seconds} s"));
        let corpus = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        let seeds = format!("fuzz/seeds/{target}");
        let mut c = nightly(&["fuzz", "run", target]);
        c.arg(&corpus).arg(&seeds).args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-timeout=5",
            "-rss_limit_mb=1024",
            "-dict=fuzz/json.dict",
            "-print_final_stats=1",
            "-print_funcs=0",
        ]);
        status(c, &format!("fuzz target {target}"))?;
    }
    Ok(())
}

/// Counts what the test runners report, so the run ends with one overall line.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Runs a `cargo test`, echoing its output and adding up its "test result" lines.
    fn run(&mut self, mut command: Command, what: &str) -> Result<(), String> {
        use std::io::{BufRead, BufReader};
        command.stdout(std::process::Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("{what}: could not start: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("{what}: {e}"))?;
            println!("{line}");
            if let Some(rest) = line.trim_start().strip_prefix("test result: ") {
                self.passed += count(rest, "passed");
                self.failed += count(rest, "failed");
            }
        }
        let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            println!(
                "\nsummary: {} passed, {} failed",
                self.passed,
                self.failed.max(1)
            );
            Err(format!("{what} failed ({status})"))
        }
    }
}

/// The number before `label` in "ok. 12 passed; 0 failed; ...".
fn count(text: &str, label: &str) -> u64 {
    text.split(';')
        .find_map(|part| {
            let part = part
                .trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ");
            part.strip_suffix(label).and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn run(server_args: &[String]) -> Result<(), String> {
    wasm_tools()?;
    let files = widget::build()?;
    widget::report(&files);
    step("Starting the API and demo page (Ctrl-C stops it)");
    let mut c = cargo();
    c.args(["run", "--release", "-p", "aims-backend", "--"])
        .args(server_args);
    status(c, "aims-backend")
}

fn curl(url: &str) -> Option<String> {
    output("curl", &["-fsS", "--max-time", "5", url])
}
