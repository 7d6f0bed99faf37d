//! Crash safety (PRODUCT.md §6: "every acknowledged write survives a crash of the process
//! (kill -9)", "nothing half-stored").
//!
//! The real server (this test binary run again as `crash_test_server`, which starts
//! `aims_backend::serve` on port 0 and logs its address) runs as a separate OS process on
//! one database while eight clients post assessments (some with a lead, some with an
//! `Idempotency-Key`) as fast as it answers. It is killed with SIGKILL at random moments (mostly 50–400 ms after it became ready, some
//! while it is still starting) and restarted on the same database, at least 20 times.
//! Then, with one more clean start:
//!
//! - every assessment acknowledged with 201 reads back identically (`GET`: the same
//!   `created_at`, result, estimate and roadmap as the 201 said, and the input as sent);
//! - every stored row (read from the database directly) is one request that was sent,
//!   stored once, complete: its input, summary columns, idempotency key, and its lead
//!   exactly when the request carried one; no lead without its assessment;
//! - the admin lead list holds exactly the stored leads, with the contact details sent.
//!
//! Each request is identifiable from its input alone: `ai_systems` and `capacity_fte`
//! together encode its sequence number. The kill schedule comes from a seed that is
//! printed; `AIMS_CRASH_SEED=<n>` replays it (timing still varies).
//!
//! `cargo test -p aims-tests --test crash -- --nocapture`
#![forbid(unsafe_code)]

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use helpers::{ADMIN_TOKEN, Engine};
use serde_json::{Value, json};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Kills per test (the issue asks for at least 20).
const KILLS: usize = 24;
/// Concurrent clients posting assessments.
const CLIENTS: usize = 8;
/// Longest wait for a (re)started server to answer `/readyz`.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A tiny deterministic PRNG (xorshift64*).
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}

fn seed() -> u64 {
    match std::env::var("AIMS_CRASH_SEED") {
        Ok(s) => s.trim().parse().expect("AIMS_CRASH_SEED is a number"),
        Err(_) => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock after 1970");
            t.as_nanos() as u64 ^ u64::from(std::process::id())
        }
    }
}

/// Set in the environment of the child process that runs the server.
const CHILD: &str = "AIMS_CRASH_TEST_SERVER";

/// Not a test: the server process the crash test starts and kills. The test binary runs
/// itself with only this function selected and [`CHILD`] set; the server takes its
/// configuration from the environment, binds port 0 and logs the address it got.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "started by the crash test as its server process"]
async fn crash_test_server() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    aims_backend::install_tls_provider();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let config = <aims_backend::Config as clap::Parser>::parse_from(["aims-backend"]);
    if let Err(message) = aims_backend::serve(config).await {
        eprintln!("aims-backend: {message}");
        std::process::exit(1);
    }
}

/// The server as a child process; SIGKILLed when dropped (also on panic).
struct Server {
    child: Child,
    /// Its address, once it logged it.
    base: Option<String>,
    log: PathBuf,
    /// Where this start's lines begin in the (shared) log file.
    log_from: u64,
}

impl Server {
    fn start(database_url: &str, log: &Path) -> Server {
        let log_from = std::fs::metadata(log).map(|m| m.len()).unwrap_or(0);
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("server log file");
        let exe = std::env::current_exe().expect("test executable path");
        let child = Command::new(exe)
            .args(["crash_test_server", "--exact", "--ignored", "--nocapture"])
            .env(CHILD, "1")
            .env("AIMS_LISTEN", "127.0.0.1:0")
            .env("DATABASE_URL", database_url)
            .env("AIMS_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("AIMS_RATE_LIMIT_PER_MINUTE", "100000000")
            .env("AIMS_DAILY_ASSESSMENTS_PER_CLIENT", "100000000")
            .env("RUST_LOG", "warn,aims_backend=info")
            .env_remove("AIMS_WEBHOOK_URL")
            .env_remove("AIMS_BANK")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log_file))
            .spawn()
            .expect("start the server process");
        Server {
            child,
            base: None,
            log: log.to_path_buf(),
            log_from,
        }
    }

    /// This start's log lines.
    fn log_text(&self) -> String {
        let all = std::fs::read(&self.log).unwrap_or_default();
        let from = usize::try_from(self.log_from).unwrap_or(0).min(all.len());
        String::from_utf8_lossy(&all[from..]).into_owned()
    }

    /// The address from the "listening" line, once it is logged.
    fn logged_base(&self) -> Option<String> {
        let text = self.log_text();
        let (_, rest) = text.split_once("demo page at http://")?;
        let address = rest.split(['/', ' ', '\n']).next()?;
        Some(format!("http://{address}"))
    }

    /// Starts and waits until ready.
    async fn start_ready(database_url: &str, log: &Path, client: &reqwest::Client) -> Server {
        let mut server = Server::start(database_url, log);
        server.wait_ready(client).await;
        server
    }

    /// Waits until `/readyz` answers 200; panics (with the server's log) on timeout or exit.
    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the server exited before it was ready ({status}); log:\n{}",
                    self.log_text()
                );
            }
            if self.base.is_none() {
                self.base = self.logged_base();
            }
            if let Some(base) = &self.base
                && let Ok(r) = client
                    .get(format!("{base}/readyz"))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await
                && r.status().as_u16() == 200
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server was not ready within {READY_TIMEOUT:?}; log:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// SIGKILL (`Child::kill` on Unix), then reap; panics if it had exited by itself.
    fn kill9(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "the server exited by itself ({status}); log:\n{}",
                self.log_text()
            );
        }
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request sent (or attempted).
struct Sent {
    seq: u64,
    /// The input as the server stores it (`input_json`), lead removed.
    canonical: String,
    /// (name, email, company) when the request carried a lead.
    lead: Option<(String, String, String)>,
    key: Option<String>,
    outcome: Outcome,
}

enum Outcome {
    /// 201 with this body.
    Acked(Value),
    /// Not sent: the connection was refused (the server was down or starting).
    Refused,
    /// No (whole) answer (connection reset by the kill, timeout): may or may not be stored.
    Unacked,
    /// Any other status: not expected for valid input.
    Other(u16, String),
}

/// A varied, valid submission whose input encodes `seq`.
fn submission(seq: u64, rng: &mut Rng) -> (Value, Option<(String, String, String)>) {
    let mut input = if rng.below(2) == 0 {
        helpers::quick_input()
    } else {
        helpers::full_input()
    };
    if let Some(answers) = input["answers"].as_array_mut() {
        for a in answers {
            if a["level"].is_number() {
                a["level"] = json!(rng.below(5));
            }
        }
    }
    let p = &mut input["profile"];
    // The version 1 form of the profile: a count and a role instead of an inventory.
    if let Some(profile) = p.as_object_mut() {
        profile.remove("systems");
        profile.remove("employees");
    }
    p["ai_systems"] = json!(seq % 10_001);
    p["capacity_fte"] = json!(1.0 + 0.5 * (seq / 10_001) as f64);
    p["size"] = json!(["1-50", "51-250", "251-1000", "1001+"][rng.below(4) as usize]);
    p["role"] = json!(["develops", "uses", "both"][rng.below(3) as usize]);
    p["high_risk"] = json!(rng.below(4) == 0);
    if rng.below(3) == 0 {
        let company = format!("Acme {seq} <Ltd>");
        let email = format!("ada+{seq}@example.com");
        let with = helpers::with_lead(input, &company, &email);
        (with, Some(("Ada Lovelace".to_string(), email, company)))
    } else {
        (input, None)
    }
}

fn canonical(input_with_lead: &Value) -> String {
    let mut input = input_with_lead.clone();
    if let Some(o) = input.as_object_mut() {
        o.remove("lead");
    }
    let parsed = aims_engine::AssessmentInput::from_value(input).expect("valid input");
    serde_json::to_string(&parsed).expect("serialises")
}

/// Posts as fast as the server answers until `stop`; records every attempt.
async fn client_loop(
    id: usize,
    seed: u64,
    base: Arc<RwLock<String>>,
    next_seq: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Sent>>>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut rng = Rng::new(seed ^ (id as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
    while !stop.load(Ordering::Relaxed) {
        let seq = next_seq.fetch_add(1, Ordering::Relaxed);
        let (body, lead) = submission(seq, &mut rng);
        let key = (rng.below(2) == 0).then(|| format!("crash-{seed}-{seq}"));
        let url = format!("{}/api/v1/assessments", base.read().unwrap());
        let mut request = client
            .post(url)
            // The whole evaluation, to compare with what a read gives back later.
            .header("prefer", "return=representation")
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = &key {
            request = request.header("idempotency-key", k);
        }
        let outcome = match request.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                match r.text().await {
                    Ok(text) if status == 201 => match serde_json::from_str::<Value>(&text) {
                        Ok(v) => Outcome::Acked(v),
                        Err(e) => Outcome::Other(status, format!("201 not JSON ({e}): {text}")),
                    },
                    Ok(text) => Outcome::Other(status, text),
                    // The body was cut off: not an acknowledgement.
                    Err(_) => Outcome::Unacked,
                }
            }
            Err(e) if e.is_connect() => Outcome::Refused,
            Err(_) => Outcome::Unacked,
        };
        let failed = matches!(outcome, Outcome::Unacked | Outcome::Refused);
        log.lock().unwrap().push(Sent {
            seq,
            canonical: canonical(&body),
            lead,
            key,
            outcome,
        });
        if failed {
            // The server is down or restarting: do not spin.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// A stored row as read from the database directly.
struct StoredRow {
    id: String,
    created_at: String,
    mode: String,
    overall: f64,
    band: String,
    blockers: i64,
    input_json: String,
    idempotency_key: Option<String>,
}

struct LeadRow {
    id: String,
    assessment_id: String,
    name: Option<String>,
    email: Option<String>,
    company: Option<String>,
    assessment_exists: bool,
}

async fn read_database(database_url: &str) -> (Vec<StoredRow>, Vec<LeadRow>) {
    const ROWS: &str = "SELECT id, created_at, mode, overall, band, blockers, input_json, idempotency_key FROM assessments";
    const LEADS: &str = "SELECT l.id, l.assessment_id, l.name, l.email, l.company, \
        CASE WHEN a.id IS NULL THEN 0 ELSE 1 END AS present \
        FROM leads l LEFT JOIN assessments a ON a.id = l.assessment_id";
    macro_rules! read {
        ($conn:expr, $present:ty) => {{
            let rows = sqlx::query(ROWS)
                .fetch_all(&mut $conn)
                .await
                .expect("read assessments");
            let leads = sqlx::query(LEADS)
                .fetch_all(&mut $conn)
                .await
                .expect("read leads");
            let rows = rows
                .iter()
                .map(|r| StoredRow {
                    id: r.get("id"),
                    created_at: r
                        .get::<aims_backend::timestamp::Timestamp, _>("created_at")
                        .to_string(),
                    mode: r.get("mode"),
                    overall: r.get("overall"),
                    band: r.get("band"),
                    blockers: r.get("blockers"),
                    input_json: r.get("input_json"),
                    idempotency_key: r.get("idempotency_key"),
                })
                .collect();
            let leads = leads
                .iter()
                .map(|r| LeadRow {
                    id: r.get("id"),
                    assessment_id: r.get("assessment_id"),
                    name: r.get("name"),
                    email: r.get("email"),
                    company: r.get("company"),
                    assessment_exists: r.get::<$present, _>("present") == 1,
                })
                .collect();
            (rows, leads)
        }};
    }
    use sqlx::Connection;
    if database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(database_url)
            .await
            .expect("connect to the test database");
        let out = read!(conn, i32);
        let _ = conn.close().await;
        out
    } else {
        let path = database_url.trim_start_matches("sqlite://");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .read_only(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("open the SQLite file");
        let out = read!(conn, i64);
        let _ = conn.close().await;
        out
    }
}

/// All leads through the admin API: assessment ID → lead item.
async fn admin_leads(client: &reqwest::Client, base: &str) -> (HashMap<String, Value>, i64) {
    let mut out = HashMap::new();
    let mut total = -1;
    for page in 1.. {
        let r = client
            .get(format!("{base}/api/v1/leads?per_page=500&page={page}"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("list leads");
        assert_eq!(r.status().as_u16(), 200, "GET /api/v1/leads");
        let body: Value = r.json().await.expect("leads JSON");
        total = body["total"].as_i64().expect("total");
        let items = body["items"].as_array().expect("items");
        if items.is_empty() {
            break;
        }
        for item in items {
            let aid = item["assessment_id"].as_str().expect("assessment_id");
            assert!(
                out.insert(aid.to_string(), item.clone()).is_none(),
                "two leads for assessment {aid}"
            );
        }
    }
    (out, total)
}

async fn crash_test(engine: Engine) {
    aims_backend::install_tls_provider();
    let name = format!("{engine:?}").to_lowercase();
    let seed = seed();
    println!("[{name}] seed {seed} (AIMS_CRASH_SEED={seed} replays the schedule)");
    let started = Instant::now();
    let database_url = helpers::fresh_database(engine).await;
    let work = std::env::temp_dir().join(format!("aims-crash-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&work).expect("work dir");
    let log = work.join("server.log");
    let probe = reqwest::Client::new();

    let base = Arc::new(RwLock::new("http://127.0.0.1:9".to_string()));
    let next_seq = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(Mutex::new(Vec::<Sent>::new()));
    let mut clients = tokio::task::JoinSet::new();
    for id in 0..CLIENTS {
        clients.spawn(client_loop(
            id,
            seed,
            base.clone(),
            next_seq.clone(),
            stop.clone(),
            sent.clone(),
        ));
    }

    let mut rng = Rng::new(seed);
    let mut kills = 0;
    let mut kills_while_starting = 0;
    while kills < KILLS {
        // Now and then (never the first start) kill it while it starts: before or during
        // its migrations and first connections.
        if kills > 0 && rng.below(6) == 0 {
            let mut server = Server::start(&database_url, &log);
            tokio::time::sleep(Duration::from_millis(rng.range(0, 40))).await;
            server.kill9();
            kills += 1;
            kills_while_starting += 1;
            continue;
        }
        let mut server = Server::start_ready(&database_url, &log, &probe).await;
        *base.write().unwrap() = server.base.clone().expect("ready, so its address is known");
        tokio::time::sleep(Duration::from_millis(rng.range(50, 400))).await;
        server.kill9();
        kills += 1;
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(r) = clients.join_next().await {
        r.expect("client task");
    }
    let load_time = started.elapsed();

    // One more clean start to read everything back.
    let server = Server::start_ready(&database_url, &log, &probe).await;
    let base = server.base.clone().expect("ready, so its address is known");

    let sent = std::mem::take(&mut *sent.lock().unwrap());
    let acked: Vec<&Sent> = sent
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Acked(_)))
        .collect();
    let others: Vec<(u64, u16, &str)> = sent
        .iter()
        .filter_map(|s| match &s.outcome {
            Outcome::Other(status, text) => Some((s.seq, *status, text.as_str())),
            _ => None,
        })
        .collect();
    let mut problems: Vec<String> = Vec::new();
    for (seq, status, text) in others.iter().take(5) {
        problems.push(format!("request {seq}: unexpected status {status}: {text}"));
    }

    // 1. Every acknowledged assessment reads back as the 201 said, with the input sent.
    let mut found = 0;
    let mut lost = Vec::new();
    let mut reads = tokio::task::JoinSet::new();
    let sem = Arc::new(tokio::sync::Semaphore::new(8));
    for s in &acked {
        let Outcome::Acked(body) = &s.outcome else {
            unreachable!()
        };
        let id = body["id"].as_str().expect("201 has an id").to_string();
        let (client, base, sem) = (probe.clone(), base.clone(), sem.clone());
        let (seq, expected, canonical) = (s.seq, body.clone(), s.canonical.clone());
        reads.spawn(async move {
            let _permit = sem.acquire_owned().await.expect("semaphore");
            let r = client
                .get(format!("{base}/api/v1/assessments/{id}"))
                .send()
                .await
                .expect("GET assessment");
            let status = r.status().as_u16();
            let text = r.text().await.expect("body");
            (seq, id, expected, canonical, status, text)
        });
    }
    while let Some(r) = reads.join_next().await {
        let (seq, id, expected, canonical, status, text) = r.expect("read task");
        if status == 404 {
            lost.push(format!("request {seq}: acknowledged {id}, now 404"));
            continue;
        }
        if status != 200 {
            problems.push(format!("request {seq}: GET {id} gave {status}: {text}"));
            continue;
        }
        found += 1;
        let mut got: Value = serde_json::from_str(&text).expect("GET JSON");
        let input = got.as_object_mut().and_then(|o| o.remove("input"));
        let want_input: Value = serde_json::from_str(&canonical).expect("canonical JSON");
        if input.as_ref() != Some(&want_input) {
            problems.push(format!(
                "request {seq}: {id} stored input differs: {input:?} vs sent {want_input}"
            ));
        }
        if got["result"]["overall"] != expected["result"]["overall"]
            || got["result"]["band"] != expected["result"]["band"]
            || got != expected
        {
            problems.push(format!(
                "request {seq}: {id} reads back differently (overall {} band {} vs 201's {} {})",
                got["result"]["overall"],
                got["result"]["band"],
                expected["result"]["overall"],
                expected["result"]["band"]
            ));
        }
    }

    // 2. Every stored row: one sent request, stored once, complete.
    let (rows, leads) = read_database(&database_url).await;
    let by_input: HashMap<&str, &Sent> = sent.iter().map(|s| (s.canonical.as_str(), s)).collect();
    let acked_ids: HashMap<&str, u64> = acked
        .iter()
        .filter_map(|s| match &s.outcome {
            Outcome::Acked(b) => b["id"].as_str().map(|id| (id, s.seq)),
            _ => None,
        })
        .collect();
    let leads_by_assessment: HashMap<&str, Vec<&LeadRow>> =
        leads.iter().fold(HashMap::new(), |mut m, l| {
            m.entry(l.assessment_id.as_str()).or_default().push(l);
            m
        });
    let mut seen_seqs = HashSet::new();
    let mut stored_unacked = 0;
    let bank = aims_engine::Bank::embedded();
    for row in &rows {
        let Some(s) = by_input.get(row.input_json.as_str()) else {
            problems.push(format!(
                "stored {} matches no request sent: {}",
                row.id, row.input_json
            ));
            continue;
        };
        if !seen_seqs.insert(s.seq) {
            problems.push(format!(
                "request {} stored twice (one is {})",
                s.seq, row.id
            ));
        }
        match &s.outcome {
            Outcome::Acked(b) => {
                if b["id"].as_str() != Some(row.id.as_str()) {
                    problems.push(format!(
                        "request {} acknowledged as {} but stored as {}",
                        s.seq, b["id"], row.id
                    ));
                }
            }
            _ => stored_unacked += 1,
        }
        if row.idempotency_key != s.key {
            problems.push(format!(
                "{}: idempotency key {:?}, sent {:?}",
                row.id, row.idempotency_key, s.key
            ));
        }
        // The summary columns agree with what the engine computes from the input.
        let input = aims_engine::AssessmentInput::from_json(&row.input_json).expect("input");
        let evaluation = bank.evaluate_input(&input).expect("evaluates");
        if row.overall != evaluation.result.overall
            || row.band != evaluation.result.band.as_str()
            || row.blockers != i64::from(evaluation.result.blockers)
            || row.mode != input.mode.as_str()
            || row.created_at.is_empty()
        {
            problems.push(format!(
                "{}: summary columns disagree with its input",
                row.id
            ));
        }
        // Its lead exactly when one was sent, with the details sent.
        let stored_leads = leads_by_assessment
            .get(row.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        match (&s.lead, stored_leads) {
            (None, []) => {}
            (Some((name, email, company)), [l]) => {
                if l.name.as_ref() != Some(name)
                    || l.email.as_ref() != Some(email)
                    || l.company.as_ref() != Some(company)
                {
                    problems.push(format!("{}: lead {} has other details", row.id, l.id));
                }
            }
            (Some(_), []) => problems.push(format!(
                "request {} ({}, {}): stored without the lead it carried",
                s.seq,
                row.id,
                if acked_ids.contains_key(row.id.as_str()) {
                    "acknowledged"
                } else {
                    "unacknowledged"
                }
            )),
            (lead, stored) => problems.push(format!(
                "{}: {} leads stored, request carried {}",
                row.id,
                stored.len(),
                if lead.is_some() { "one" } else { "none" }
            )),
        }
    }
    for l in leads.iter().filter(|l| !l.assessment_exists) {
        problems.push(format!(
            "lead {} without its assessment {}",
            l.id, l.assessment_id
        ));
    }
    // Every stored row is readable over HTTP too (acknowledged ones were read above).
    let unacked_ids: Vec<String> = rows
        .iter()
        .filter(|r| !acked_ids.contains_key(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    for id in &unacked_ids {
        let r = probe
            .get(format!("{base}/api/v1/assessments/{id}"))
            .send()
            .await
            .expect("GET assessment");
        if r.status().as_u16() != 200 {
            problems.push(format!("stored {id} not readable: {}", r.status()));
        }
    }

    // 3. The admin lead list: exactly the stored leads; acknowledged ones with their details.
    let (listed, total) = admin_leads(&probe, &base).await;
    if total != leads.len() as i64 || listed.len() != leads.len() {
        problems.push(format!(
            "admin lead list: total {total}, {} items, but {} lead rows stored",
            listed.len(),
            leads.len()
        ));
    }
    let mut acked_leads = 0;
    for s in &acked {
        let Outcome::Acked(b) = &s.outcome else {
            unreachable!()
        };
        let id = b["id"].as_str().unwrap_or_default();
        match (&s.lead, listed.get(id)) {
            (None, None) => {}
            (Some((name, email, company)), Some(item)) => {
                acked_leads += 1;
                if item["name"] != json!(name)
                    || item["email"] != json!(email)
                    || item["company"] != json!(company)
                    || item["overall"] != b["result"]["overall"]
                    || item["band"] != b["result"]["band"]
                {
                    problems.push(format!("{id}: listed lead differs: {item}"));
                }
            }
            (Some(_), None) => {
                problems.push(format!("{id}: acknowledged with a lead, lead not listed"))
            }
            (None, Some(item)) => problems.push(format!("{id}: sent no lead, one listed: {item}")),
        }
    }

    let unacked = sent
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Unacked))
        .count();
    let refused = sent
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Refused))
        .count();
    println!(
        "[{name}] kills {kills} ({kills_while_starting} while starting), requests {}, \
         acknowledged {} ({acked_leads} with a lead), cut off by a kill {unacked}, \
         refused {refused}, other {}; \
         stored {} (found {found} of the acknowledged, {stored_unacked} unacknowledged but \
         complete), leads stored {}, lost {}; load {:.1?}, total {:.1?}",
        sent.len(),
        acked.len(),
        others.len(),
        rows.len(),
        leads.len(),
        lost.len(),
        load_time,
        started.elapsed()
    );
    for p in lost.iter().chain(&problems).take(30) {
        println!("[{name}] {p}");
    }
    assert!(kills >= 20);
    assert!(
        acked.len() >= 20,
        "too little load got through to mean anything: {} acknowledged",
        acked.len()
    );
    assert!(
        rows.len() >= acked.len(),
        "stored {} < acknowledged {}",
        rows.len(),
        acked.len()
    );
    assert!(
        lost.is_empty(),
        "{} acknowledged assessments lost",
        lost.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems (see above)",
        problems.len()
    );

    // Clean up on success (a failure leaves the database and the server log to look at).
    drop(server);
    if engine == Engine::Sqlite {
        let path = database_url.trim_start_matches("sqlite://");
        if let Some(dir) = Path::new(path).parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    } else if let Some((admin, db)) = database_url.rsplit_once('/') {
        use sqlx::Connection;
        if let Ok(mut conn) = sqlx::PgConnection::connect(&format!("{admin}/postgres")).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_survives_kill_9() {
    crash_test(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_survives_kill_9() {
    crash_test(Engine::Postgres).await
}
