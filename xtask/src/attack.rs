//! `cargo xtask bench-attack`: the release server under the connection attacks an outside
//! review tried from one machine, with a visitor probing `GET /healthz` meanwhile:
//!
//! - 18,000 connections that send nothing, from 20 loopback addresses;
//! - 8,000 connections that send half a request head and then a byte every 2 s;
//! - 400 POSTs that declare 65,000 bytes and send one every 2 s;
//! - a POST declaring 1 TB.
//!
//! For each: the visitor's latency and failures, the connections the server holds, its
//! peak RSS, and how long the attackers' connections lasted.

use super::bench::{Row, rss_kib};
use crate::{cargo, root, status, step, wait_ready};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PORT: u16 = 18_490;
/// Attackers connect from 127.0.0.10 to 127.0.0.29; the visitor from 127.0.0.1.
const ATTACKER_ADDRESSES: u8 = 20;

fn server_address() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], PORT))
}

/// A connection from 127.0.0.`host`.
fn connect_from(host: u8) -> std::io::Result<TcpStream> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, host], 0)).into())?;
    socket.connect_timeout(&server_address().into(), Duration::from_secs(2))?;
    Ok(socket.into())
}

/// One `GET /healthz` on a new connection; its latency, or `None` when it failed.
fn healthz() -> Option<Duration> {
    let started = Instant::now();
    let mut s = connect_from(1).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).ok()?;
    reply
        .starts_with(b"HTTP/1.1 200")
        .then(|| started.elapsed())
}

/// The visitor: a healthz every 20 ms until stopped.
fn probe(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(Vec<Duration>, usize)> {
    std::thread::spawn(move || {
        let (mut ok, mut failed) = (Vec::new(), 0);
        while !stop.load(Ordering::Relaxed) {
            match healthz() {
                Some(d) => ok.push(d),
                None => failed += 1,
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        (ok, failed)
    })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Server-side figures read from `/metrics` and `/proc`.
fn connections_open() -> i64 {
    let mut s = match connect_from(1) {
        Ok(s) => s,
        Err(_) => return -1,
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("aims_connections_open ")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(-1)
}

/// What one attack measured.
struct Outcome {
    opened: usize,
    opened_in_s: f64,
    visitor_ok: usize,
    visitor_failed: usize,
    p50_ms: f64,
    p99_ms: f64,
    server_held_max: i64,
    peak_rss_mib: f64,
    closed_after_s: f64,
}

/// Runs `attack` (which opens connections and returns them) with the visitor probing,
/// sending one more byte on each every `trickle` if given, then waits for the server to
/// close every attacking connection.
fn measure(
    pid: u32,
    hold: Duration,
    trickle: Option<Duration>,
    attack: impl FnOnce() -> Vec<TcpStream>,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let visitor = probe(stop.clone());
    let peak = Arc::new(Mutex::new((0u64, 0i64)));
    let watching = Arc::new(AtomicBool::new(true));
    let watcher = {
        let (peak, watching) = (peak.clone(), watching.clone());
        std::thread::spawn(move || {
            while watching.load(Ordering::Relaxed) {
                let rss = rss_kib(pid);
                let held = connections_open();
                let mut p = peak.lock().expect("not poisoned");
                p.0 = p.0.max(rss);
                p.1 = p.1.max(held);
                drop(p);
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let started = Instant::now();
    let mut streams = attack();
    let opened = streams.len();
    let opened_in_s = started.elapsed().as_secs_f64();
    let trickling = Arc::new(AtomicBool::new(true));
    let trickler = trickle.map(|period| {
        let mut writers: Vec<TcpStream> =
            streams.iter().filter_map(|s| s.try_clone().ok()).collect();
        let trickling = trickling.clone();
        std::thread::spawn(move || {
            while trickling.load(Ordering::Relaxed) {
                std::thread::sleep(period);
                for w in writers.iter_mut() {
                    let _ = w.write_all(b"x");
                }
            }
        })
    });
    std::thread::sleep(hold.saturating_sub(started.elapsed()));
    stop.store(true, Ordering::Relaxed);
    let (mut ok, failed) = visitor.join().expect("visitor thread");
    // How long until the server has closed every attacking connection.
    let mut buf = [0u8; 512];
    for s in &mut streams {
        let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    }
    let closed_after_s = started.elapsed().as_secs_f64();
    trickling.store(false, Ordering::Relaxed);
    if let Some(t) = trickler {
        let _ = t.join();
    }
    watching.store(false, Ordering::Relaxed);
    let _ = watcher.join();
    ok.sort();
    let (rss, held) = *peak.lock().expect("not poisoned");
    Outcome {
        opened,
        opened_in_s,
        visitor_ok: ok.len(),
        visitor_failed: failed,
        p50_ms: percentile(&ok, 0.5),
        p99_ms: percentile(&ok, 0.99),
        server_held_max: held,
        peak_rss_mib: rss as f64 / 1024.0,
        closed_after_s,
    }
}

/// Opens `n` connections spread over the attacker addresses, each sending `first`.
fn open_many(n: usize, first: &'static [u8]) -> Vec<TcpStream> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let host = 10 + (i % usize::from(ATTACKER_ADDRESSES)) as u8;
        match connect_from(host) {
            Ok(mut s) => {
                if !first.is_empty() {
                    let _ = s.write_all(first);
                }
                out.push(s);
            }
            Err(_) => break,
        }
    }
    out
}

fn row(what: &str, o: &Outcome) -> Vec<Row> {
    vec![
        Row::new(
            format!(
                "attack: {what}: connections opened (taking); the most the server held at once; the last closed after"
            ),
            format!(
                "{} ({:.1} s); {}; {:.1} s",
                o.opened, o.opened_in_s, o.server_held_max, o.closed_after_s
            ),
        ),
        Row::new(
            format!(
                "attack: {what}: visitor's GET /healthz meanwhile, answered / failed (p50 / p99)"
            ),
            format!(
                "{} / {} ({:.2} / {:.2} ms)",
                o.visitor_ok, o.visitor_failed, o.p50_ms, o.p99_ms
            ),
        ),
        Row::new(
            format!("attack: {what}: server peak RSS"),
            format!("{:.1} MiB", o.peak_rss_mib),
        ),
    ]
}

/// The attacks, against a release server on a fresh SQLite database with the defaults.
pub fn attacks() -> Result<Vec<Row>, String> {
    step("Release build of the API");
    let mut c = cargo();
    c.args(["build", "--release", "-p", "aims-backend"]);
    status(c, "cargo build")?;
    let work = std::env::temp_dir().join(format!("aims-attack-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut server = std::process::Command::new(root().join("target/release/aims-backend"))
        .env("AIMS_LISTEN", server_address().to_string())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/attack.db", work.display()),
        )
        .env("RUST_LOG", "error")
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let base = format!("http://{}", server_address());
    let result = if wait_ready(&base) {
        let pid = server.id();
        let mut rows = vec![Row::new(
            "attack: server RSS before",
            format!("{:.1} MiB", rss_kib(pid) as f64 / 1024.0),
        )];
        step("18,000 silent connections from 20 addresses, held 8 s");
        let o = measure(pid, Duration::from_secs(8), None, || open_many(18_000, b""));
        rows.extend(row("18,000 silent connections", &o));

        step("8,000 connections sending half a request, a byte every 2 s");
        let o = measure(
            pid,
            Duration::from_secs(8),
            Some(Duration::from_secs(2)),
            || open_many(8_000, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "),
        );
        rows.extend(row("8,000 half requests", &o));

        step("400 POSTs declaring 65,000 bytes, a byte every 2 s");
        let o = measure(
            pid,
            Duration::from_secs(8),
            Some(Duration::from_secs(2)),
            || {
                open_many(
                400,
                b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65000\r\n\r\n{",
            )
            },
        );
        rows.extend(row("400 slow bodies", &o));

        step("A POST declaring 1 TB");
        let started = Instant::now();
        let answered = connect_from(10).ok().and_then(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
            s.write_all(b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n").ok()?;
            let mut head = [0u8; 12];
            s.read_exact(&mut head).ok()?;
            Some(String::from_utf8_lossy(&head[9..12]).into_owned())
        });
        rows.push(Row::new(
            "attack: POST declaring 1 TB, answered with, after",
            format!(
                "{} after {:.2} ms",
                answered.unwrap_or_else(|| "nothing".into()),
                started.elapsed().as_secs_f64() * 1000.0
            ),
        ));
        rows.push(Row::new(
            "attack: server RSS after (every attack over)",
            format!("{:.1} MiB", rss_kib(pid) as f64 / 1024.0),
        ));
        Ok(rows)
    } else {
        Err("the server did not become ready".to_string())
    };
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// `cargo xtask bench-attack`.
pub fn run() -> Result<(), String> {
    let rows = attacks()?;
    super::bench::print_table(&rows);
    Ok(())
}
