//! Project tasks, so that the README's two commands work on a fresh machine:
//!
//! - `cargo xtask run`   — build and start the product (API + demo page) on 127.0.0.1:8080
//! - `cargo xtask test`  — install what the tests need if it is missing, then run every test
//! - `cargo xtask setup` — only the installation step
//! - `cargo xtask bench` — the benchmarks

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => setup().and_then(|()| test()),
        Some("setup") => setup(),
        Some("bench") => bench(),
        _ => {
            eprintln!("usage: cargo xtask <run [server flags] | test | setup | bench>");
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

    step("Node.js (runs the engine's Wasm tests)");
    match output("node", &["--version"]) {
        Some(v) => println!("node {}", v.trim()),
        None => {
            return Err("Node.js is needed for the Wasm tests: apt-get install -y nodejs".into());
        }
    }
    Ok(())
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

    step("Engine built for WebAssembly");
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
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        "aims-engine",
        "--target",
        WASM_TARGET,
        "--test",
        "golden",
    ]);
    tally.run(c, "wasm tests")?;

    step("Every native test: unit, doc, property, golden, integration");
    let mut c = cargo();
    c.args(["test", "--workspace"]);
    tally.run(c, "cargo test")?;

    println!(
        "\nsummary: {} passed, {} failed",
        tally.passed, tally.failed
    );
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
    step("Starting the API and demo page (Ctrl-C stops it)");
    let mut c = cargo();
    c.args(["run", "--release", "-p", "aims-backend", "--"])
        .args(server_args);
    status(c, "aims-backend")
}

fn bench() -> Result<(), String> {
    step("Engine: one full assessment (criterion)");
    let mut c = cargo();
    c.args(["bench", "-p", "aims-engine", "--bench", "evaluate"]);
    status(c, "cargo bench")
}
