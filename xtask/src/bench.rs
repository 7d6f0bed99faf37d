//! Benchmarks. `bench-all` runs every one and prints one table:
//!
//! - the engine: one full assessment natively (criterion) and in Wasm in headless Chromium;
//! - the widget: transfer size by file next to SurveyJS's form library measured the same
//!   way, and its timings in headless Chromium against the release server;
//! - the API under load (wrk) on SQLite and on PostgreSQL, and its memory after 100k
//!   stored assessments;
//! - the API under connection attacks (`attack.rs`).
//!
//! `bench` (the engine natively) and `bench-api` run one part on their own.

use crate::{cargo, chromedriver, curl, output, root, status, step, wait_ready, wasm_test, widget};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One line of the results table.
pub struct Row {
    what: String,
    result: String,
    budget: &'static str,
    /// Within the budget: `Some(true)`; over it: `Some(false)`; no budget: `None`.
    within: Option<bool>,
}

impl Row {
    pub(crate) fn new(what: impl Into<String>, result: impl Into<String>) -> Row {
        Row {
            what: what.into(),
            result: result.into(),
            budget: "",
            within: None,
        }
    }

    fn budget(mut self, budget: &'static str, within: bool) -> Row {
        self.budget = budget;
        self.within = Some(within);
        self
    }
}

/// One benchmark: its rows of the table.
type Part = fn() -> Result<Vec<Row>, String>;

/// Prints rows as a Markdown table.
pub(crate) fn print_table(rows: &[Row]) {
    println!("\n| measure | result | budget | |");
    println!("|---|---:|---:|---|");
    for r in rows {
        let verdict = match r.within {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "",
        };
        println!("| {} | {} | {} | {verdict} |", r.what, r.result, r.budget);
    }
}

/// Runs a command, echoing its standard output while keeping it, and returns that output.
fn run_capturing(mut command: Command, what: &str) -> Result<String, String> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    let mut kept = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            kept.push_str(&line);
            kept.push('\n');
        }
    }
    let exit = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if exit.success() {
        Ok(kept)
    } else {
        Err(format!("{what} failed ({exit})"))
    }
}

/// The figure a benchmark printed as `AIMS-BENCH <key> <number> [(details)]`, with its
/// details.
fn figure(output: &str, key: &str) -> Result<(f64, String), String> {
    let prefix = format!("AIMS-BENCH {key} ");
    output
        .lines()
        .find_map(|l| l.find(&prefix).map(|at| &l[at + prefix.len()..]))
        .and_then(|rest| {
            let (number, details) = rest.split_once(' ').unwrap_or((rest, ""));
            let details = details.trim().trim_start_matches('(').trim_end_matches(')');
            Some((number.parse().ok()?, details.to_string()))
        })
        .ok_or_else(|| format!("the benchmark did not print {key}"))
}

/// The engine natively: criterion's median for one full assessment.
fn engine_native() -> Result<Vec<Row>, String> {
    step("Engine: one full assessment, natively (criterion)");
    let mut c = cargo();
    c.args(["bench", "-p", "aims-engine", "--bench", "evaluate"]);
    status(c, "cargo bench")?;
    let ns = criterion_median("evaluate_full_assessment")
        .ok_or("criterion left no estimate for evaluate_full_assessment")?;
    let us = ns / 1000.0;
    Ok(vec![
        Row::new(
            "engine: one full assessment (validate, score, estimate, roadmap), native, criterion median",
            format!("{us:.1} µs"),
        )
        .budget("≤ 20 µs", us <= 20.0),
    ])
}

/// Reads criterion's median for a benchmark, in nanoseconds.
fn criterion_median(name: &str) -> Option<f64> {
    let path = root()
        .join("target/criterion")
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let at = text.find("\"median\"")?;
    let rest = &text[at..];
    let at = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let number: String = rest[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == 'e' || *c == '-' || *c == '+')
        .collect();
    number.parse().ok()
}

/// The engine in Wasm in headless Chromium (`shared/tests/wasm_bench.rs`, release build).
fn engine_wasm() -> Result<Vec<Row>, String> {
    step("Engine: one full assessment, in Wasm in headless Chromium (release build)");
    let c = wasm_test(
        "aims-engine",
        "wasm_bench",
        &["--release", "--", "--include-ignored", "--nocapture"],
    )?;
    let out = run_capturing(c, "the Wasm engine benchmark")?;
    let (us, details) = figure(&out, "engine.wasm.full_assessment_us")?;
    Ok(vec![
        Row::new(
            format!("engine: the same in Wasm, headless Chromium, {details}"),
            format!("{us:.1} µs"),
        )
        .budget("≤ 1 ms", us <= 1000.0),
    ])
}

/// The files of SurveyJS's form library that a page using it transfers: the core, the
/// framework-free UI and the core CSS (npm `survey-core`, `survey-js-ui`).
const SURVEYJS: [&str; 3] = [
    "node_modules/survey-core/survey.core.min.js",
    "node_modules/survey-js-ui/survey-js-ui.min.js",
    "node_modules/survey-core/survey-core.min.css",
];

/// The widget's transfer size by file, next to SurveyJS measured the same way.
fn widget_size() -> Result<Vec<Row>, String> {
    let files = widget::build()?;
    widget::report(&files);
    step("SurveyJS form library, compressed the same way");
    let paths: Vec<PathBuf> = SURVEYJS.iter().map(|p| root().join(p)).collect();
    let survey = widget::transfer_sizes(&paths)?;
    let version = std::fs::read_to_string(root().join("node_modules/survey-core/package.json"))
        .ok()
        .and_then(|t| {
            let at = t.find("\"version\"")?;
            t[at..].split('"').nth(3).map(str::to_string)
        })
        .unwrap_or_default();

    let kb = |b: u64| format!("{:.1} KB", b as f64 / 1000.0);
    let mut rows = Vec::new();
    let (mut br, mut gz) = (0, 0);
    for f in &files {
        // Content-hashed names change with every build: show the stable part.
        let name = match f.name.rsplit_once('.') {
            Some((stem, ext)) if stem.contains('.') => {
                format!("{}.<hash>.{ext}", stem.split('.').next().unwrap_or(stem))
            }
            _ => f.name.clone(),
        };
        rows.push(Row::new(
            format!("widget: `{name}`, brotli / gzip"),
            format!("{} / {}", kb(f.brotli), kb(f.gzip)),
        ));
        br += f.brotli;
        gz += f.gzip;
    }
    rows.push(
        Row::new(
            "**widget: total transfer (Wasm with engine, bank and CSS; JS), brotli / gzip**",
            format!("{} / {}", kb(br), kb(gz)),
        )
        .budget("≤ 150 KB brotli", br <= widget::BUDGET_BROTLI),
    );
    let (mut survey_br, mut survey_gz) = (0, 0);
    for (path, s) in SURVEYJS.iter().zip(&survey) {
        let name = path.trim_start_matches("node_modules/");
        rows.push(Row::new(
            format!("SurveyJS {version}: `{name}`, brotli / gzip"),
            format!("{} / {}", kb(s.brotli), kb(s.gzip)),
        ));
        survey_br += s.brotli;
        survey_gz += s.gzip;
    }
    rows.push(Row::new(
        format!("**SurveyJS {version} form library: total, brotli / gzip**"),
        format!("{} / {}", kb(survey_br), kb(survey_gz)),
    ));
    rows.push(
        Row::new(
            "widget ÷ SurveyJS, brotli / gzip",
            format!(
                "{:.0} % / {:.0} %",
                100.0 * br as f64 / survey_br as f64,
                100.0 * gz as f64 / survey_gz as f64
            ),
        )
        .budget("< 50 %", 2 * br < survey_br),
    );
    Ok(rows)
}

/// The widget's timings in headless Chromium, served by the release server, and the host
/// page and SurveyJS beside it (`widget_timing_benchmark` and `host_page_benchmark` in
/// tests/tests/e2e/timing.rs). Needs the built widget.
fn widget_timing() -> Result<Vec<Row>, String> {
    step("Widget timings in headless Chromium, release server on localhost");
    let mut c = cargo();
    c.args([
        "test",
        "--release",
        "-p",
        "aims-tests",
        "--test",
        "e2e",
        "--",
        "--ignored",
        "--exact",
        "timing::widget_timing_benchmark",
        "timing::host_page_benchmark",
        "--nocapture",
    ]);
    if let Some(driver) = chromedriver() {
        c.env("CHROMEDRIVER", driver);
    }
    let out = run_capturing(c, "the widget timing benchmark")?;
    let (fresh, fresh_n) = figure(&out, "widget.first_interactive.fresh_ms")?;
    let (resumed, resumed_n) = figure(&out, "widget.first_question.resumed_ms")?;
    let (in_page, in_page_n) = figure(&out, "widget.results.in_page_ms")?;
    let (shown, shown_n) = figure(&out, "widget.results.next_frame_ms")?;
    let mut host = Vec::new();
    // Chromium reports paint times in steps of 4 ms here (coarsened timers): on localhost,
    // where the page paints in about 60 ms, one step is 7 %, so a difference of one step
    // counts as within. A figure of 0 on the bare page must stay 0.
    for (name, key, unit, step) in [
        ("Largest Contentful Paint", "lcp_ms", "ms", 4.0),
        ("Total Blocking Time", "tbt_ms", "ms", 0.0),
        (
            "Cumulative Layout Shift (thousandths)",
            "cls_milli",
            "",
            0.0,
        ),
    ] {
        let (with, with_n) = figure(&out, &format!("host.with.{key}"))?;
        let (without, _) = figure(&out, &format!("host.without.{key}"))?;
        let within = with <= (without * 1.05).max(without + step);
        host.push(
            Row::new(
                format!("host page, widget below the fold against none: {name}, {with_n}"),
                format!("{with:.1} {unit} (without the widget: {without:.1} {unit})"),
            )
            .budget("within 5 % (or one 4 ms step)", within),
        );
    }
    let (survey, survey_n) = figure(&out, "surveyjs.first_question_ms")?;
    let (full_fresh, full_fresh_n) = figure(&out, "widget.full.first_screen.fresh_ms")?;
    let (full_resumed, full_resumed_n) = figure(&out, "widget.full.first_question.resumed_ms")?;
    host.extend([
        Row::new(
            format!("SurveyJS, 62 questions (16 pages): navigation → first question rendered, {survey_n}"),
            format!("{survey:.0} ms"),
        ),
        Row::new(
            format!("widget, full assessment (62 questions): navigation → first screen interactive, new visitor, {full_fresh_n}"),
            format!("{full_fresh:.0} ms"),
        ),
        Row::new(
            format!("widget, full assessment: navigation → first question interactive, returning visitor, {full_resumed_n}"),
            format!("{full_resumed:.0} ms"),
        ),
    ]);
    Ok(vec![
        Row::new(
            format!("widget: navigation → first screen interactive (intro, Start), new visitor, {fresh_n}"),
            format!("{fresh:.0} ms"),
        )
        .budget("≤ 250 ms", fresh <= 250.0),
        Row::new(
            format!("widget: navigation → first question interactive, returning visitor, {resumed_n}"),
            format!("{resumed:.0} ms"),
        )
        .budget("≤ 250 ms", resumed <= 250.0),
        Row::new(
            format!("widget: last answer's \"See my results\" click → results in the page, quick quiz, {in_page_n}"),
            format!("{in_page:.1} ms"),
        ),
        Row::new(
            format!("widget: the same → the frame that shows them, {shown_n}"),
            format!("{shown:.1} ms"),
        ),
    ]
    .into_iter()
    .chain(host)
    .collect())
}

/// One wrk run's figures.
struct Load {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn wrk(url: &str, script: Option<&Path>, seconds: u32) -> Result<Load, String> {
    let mut c = Command::new("wrk");
    c.args(["-t2", "-c32", &format!("-d{seconds}s"), "--latency"]);
    if let Some(s) = script {
        c.arg("-s").arg(s);
    }
    c.arg(url);
    let out = c
        .output()
        .map_err(|e| format!("wrk: {e} (apt-get install -y wrk)"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.trim_start()[prefix.len()..].trim().to_string())
    };
    let millis = |v: String| -> f64 {
        let v = v.trim();
        if let Some(x) = v.strip_suffix("us") {
            x.parse::<f64>().unwrap_or(f64::NAN) / 1000.0
        } else if let Some(x) = v.strip_suffix("ms") {
            x.parse().unwrap_or(f64::NAN)
        } else if let Some(x) = v.strip_suffix('s') {
            x.parse::<f64>().unwrap_or(f64::NAN) * 1000.0
        } else {
            f64::NAN
        }
    };
    let rps = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("unexpected wrk output:\n{text}"))?;
    Ok(Load {
        requests_per_sec: rps,
        p50_ms: field("50%").map(millis).unwrap_or(f64::NAN),
        p99_ms: field("99%").map(millis).unwrap_or(f64::NAN),
        non_2xx: field("Non-2xx or 3xx responses:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    })
}

/// Runs one SQL statement on the local PostgreSQL as `postgres` (best effort).
fn psql(sql: &str) {
    let _ = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-qc", sql])
        .output();
}

fn stored(base: &str) -> u64 {
    curl(&format!("{base}/metrics"))
        .and_then(|m| {
            m.lines().find_map(|l| {
                l.strip_prefix("aims_assessments ")
                    .and_then(|n| n.trim().parse().ok())
            })
        })
        .unwrap_or(0)
}

pub(crate) fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmRSS:")
                    .map(|v| v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0))
            })
        })
        .unwrap_or(0)
}

/// Load benchmark: GET /healthz and POST /api/v1/assessments at 32 connections against
/// the release server, on SQLite and on PostgreSQL, then RSS after 100k stored assessments.
/// `AIMS_BENCH_SERVER=path` measures that server binary instead of building this one (to
/// compare two versions under the same conditions).
fn api() -> Result<Vec<Row>, String> {
    let binary = match std::env::var_os("AIMS_BENCH_SERVER") {
        Some(path) => PathBuf::from(path),
        None => {
            step("Release build of the API");
            let mut c = cargo();
            c.args(["build", "--release", "-p", "aims-backend"]);
            status(c, "cargo build")?;
            root().join("target/release/aims-backend")
        }
    };
    if output("sh", &["-c", "command -v wrk"]).is_none() {
        let mut c = Command::new("apt-get");
        c.args(["install", "-y", "-qq", "wrk"]);
        status(c, "apt-get install wrk")?;
    }
    let work = std::env::temp_dir().join(format!("aims-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let body =
        std::fs::read_to_string(root().join("shared/tests/golden/quick-quiz-scaleup.input.json"))
            .map_err(|e| e.to_string())?;
    let script = work.join("post.lua");
    std::fs::write(
        &script,
        format!("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{body}]==]\n"),
    )
    .map_err(|e| e.to_string())?;

    let pg_db = format!("aims_bench_{}", std::process::id());
    let engines = [
        ("SQLite", format!("sqlite://{}/bench.db", work.display())),
        (
            "PostgreSQL",
            format!("postgres://postgres@127.0.0.1:5432/{pg_db}"),
        ),
    ];
    let mut rows = Vec::new();
    for (name, url) in &engines {
        if name == &"PostgreSQL" {
            psql(&format!("CREATE DATABASE {pg_db}"));
        }
        step(&format!("{name}: start the server"));
        let port = if name == &"SQLite" { 18_480 } else { 18_481 };
        let base = format!("http://127.0.0.1:{port}");
        let mut server = Command::new(&binary)
            .env("AIMS_LISTEN", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", url)
            .env("AIMS_RATE_LIMIT_PER_MINUTE", "4000000000")
            .env("AIMS_DAILY_ASSESSMENTS_PER_CLIENT", "4000000000")
            .env("RUST_LOG", "warn")
            .spawn()
            .map_err(|e| format!("start server: {e}"))?;
        if !wait_ready(&base) {
            let _ = server.kill();
            return Err(format!("{name}: the server did not become ready"));
        }
        step(&format!(
            "{name}: 10 s of GET /healthz, then 10 s of POST /api/v1/assessments, 32 connections"
        ));
        let health = wrk(&format!("{base}/healthz"), None, 10)?;
        let post = wrk(&format!("{base}/api/v1/assessments"), Some(&script), 10)?;
        // Beside it, once: the same evaluation with the whole result as the reply and
        // nothing stored, and a prepared response of about that size.
        let mut breakdown = Vec::new();
        if name == &"SQLite" {
            step("SQLite server: 10 s of POST /api/v1/evaluate, 10 s of GET /api/v1/bank");
            breakdown.push((
                "`POST /api/v1/evaluate` (the same evaluation and full response, nothing stored)",
                wrk(&format!("{base}/api/v1/evaluate"), Some(&script), 10)?,
            ));
            breakdown.push((
                "`GET /api/v1/bank` (a prepared response of similar size)",
                wrk(&format!("{base}/api/v1/bank"), None, 10)?,
            ));
        }
        step(&format!(
            "{name}: fill to 100,000 stored assessments, then read RSS"
        ));
        let mut guard = 0;
        while stored(&base) < 100_000 && guard < 60 {
            wrk(&format!("{base}/api/v1/assessments"), Some(&script), 10)?;
            guard += 1;
        }
        let count = stored(&base);
        let rss = rss_kib(server.id());
        let _ = server.kill();
        let _ = server.wait();

        let mib = rss as f64 / 1024.0;
        let errors = post.non_2xx + health.non_2xx;
        rows.push(Row::new(
            format!("API, {name}: `GET /healthz`, 32 connections, req/s (p50 / p99)"),
            format!(
                "{:.0} ({:.2} / {:.2} ms)",
                health.requests_per_sec, health.p50_ms, health.p99_ms
            ),
        ));
        let post_row = Row::new(
            format!(
                "API, {name}: `POST /api/v1/assessments` (quick quiz, committed before the reply; the summary as the reply), 32 connections, req/s (p50 / p99){}",
                if errors > 0 {
                    format!(", {errors} non-2xx")
                } else {
                    String::new()
                }
            ),
            format!(
                "{:.0} ({:.2} / {:.2} ms)",
                post.requests_per_sec, post.p50_ms, post.p99_ms
            ),
        );
        for (what, load) in &breakdown {
            rows.push(Row::new(
                format!("API, {name}: {what}, req/s (p50 / p99), ÷ healthz"),
                format!(
                    "{:.0} ({:.2} / {:.2} ms), {:.0} %",
                    load.requests_per_sec,
                    load.p50_ms,
                    load.p99_ms,
                    100.0 * load.requests_per_sec / health.requests_per_sec
                ),
            ));
        }
        // The same budgets on both engines (PRODUCT.md §5).
        rows.push(post_row.budget("p99 ≤ 25 ms", post.p99_ms <= 25.0 && errors == 0));
        rows.push(
            Row::new(
                format!("API, {name}: server RSS after {count} stored assessments"),
                format!("{mib:.1} MiB"),
            )
            .budget(
                "≤ 64 MB",
                count >= 100_000 && rss * 1024 <= 64 * 1000 * 1000,
            ),
        );
    }
    psql(&format!("DROP DATABASE IF EXISTS {pg_db}"));
    let _ = std::fs::remove_dir_all(&work);
    Ok(rows)
}

/// `cargo xtask bench`: the engine natively.
pub fn engine() -> Result<(), String> {
    let rows = engine_native()?;
    print_table(&rows);
    Ok(())
}

/// The console with a million leads on SQLite (`console_with_a_million_leads` in
/// tests/tests/api/console_bench.rs, release build): list pages' p99, one search, and
/// the memory the CSV export takes while it streams.
fn console_million() -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (engine, test, name) in [
        (
            "Sqlite",
            "console_bench::console_with_a_million_leads",
            "SQLite",
        ),
        (
            "Postgres",
            "console_bench::console_with_a_million_leads_on_postgres",
            "PostgreSQL",
        ),
    ] {
        step(&format!(
            "Console: a million leads on {name} (release build of the API tests)"
        ));
        let mut c = cargo();
        c.args([
            "test",
            "--release",
            "-p",
            "aims-tests",
            "--test",
            "api",
            "--",
            "--ignored",
            "--exact",
            test,
            "--nocapture",
        ]);
        let out = run_capturing(c, "the console benchmark")?;
        let (p99, pages) = figure(&out, &format!("console.{engine}.leads.page_p99_ms"))?;
        let (search, search_n) = figure(&out, &format!("console.{engine}.leads.search_ms"))?;
        let (grew, csv) = figure(&out, &format!("console.{engine}.csv.rss_growth_mib"))?;
        rows.extend([
            Row::new(
                format!("console on {name}, lead list with 1M leads: page p99 ({pages})"),
                format!("{p99:.1} ms"),
            )
            .budget("≤ 50 ms", p99 <= 50.0),
            Row::new(
                format!("console on {name}, lead search with 1M leads ({search_n})"),
                format!("{search:.0} ms"),
            ),
            Row::new(
                format!(
                    "console on {name}, CSV export of 1M leads: memory growth while it streams ({csv})"
                ),
                format!("{grew:.1} MiB"),
            )
            .budget("constant (≤ 64 MB)", grew <= 64.0),
        ]);
    }
    Ok(rows)
}

/// `cargo xtask bench-api`: the API under load, and the console with a million leads.
pub fn api_only() -> Result<(), String> {
    let mut rows = api()?;
    rows.extend(console_million()?);
    print_table(&rows);
    Ok(())
}

/// `cargo xtask bench-all`: every benchmark, one table. A part that fails is named in the
/// table and makes the command fail after the others have run.
pub fn all() -> Result<(), String> {
    crate::setup()?;
    let started = std::time::Instant::now();
    let parts: [(&str, Part); 7] = [
        ("engine, native", engine_native),
        ("engine, Wasm", engine_wasm),
        ("widget size", widget_size),
        ("widget timings", widget_timing),
        ("API", api),
        ("console, 1M leads", console_million),
        ("connection attacks", crate::attack::attacks),
    ];
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (name, part) in parts {
        match part() {
            Ok(r) => rows.extend(r),
            Err(e) => {
                rows.push(Row::new(format!("{name}: FAILED"), e.replace('\n', " ")));
                failed.push(name);
            }
        }
    }
    step("All benchmarks");
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_default();
    println!(
        "machine: {cpu}, {} cores, Linux {}; {}; took {:.1} min",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        output("uname", &["-r"]).unwrap_or_default().trim(),
        output("date", &["-u", "+%Y-%m-%d"])
            .unwrap_or_default()
            .trim(),
        started.elapsed().as_secs_f64() / 60.0
    );
    print_table(&rows);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("these benchmarks failed: {}", failed.join(", ")))
    }
}
