//! Hostile input: replays every case of the corpus in `tests/hostile/` (format in
//! `tests/hostile/README.md`) against one real server on a fresh database (SQLite, then
//! PostgreSQL: some inputs, such as a NUL byte, only trouble one of them), and
//! checks that each gets its documented 4xx (an RFC 9457 problem for API errors), never a
//! 5xx, and that nothing is stored or leaked across the whole corpus.
//!
//! Requests go over a plain TCP socket, byte for byte as written in the case, so paths
//! like `/widget/../Cargo.toml`, invalid UTF-8 and odd header bytes reach the server
//! unchanged (an HTTP client library would normalise or refuse them).

use crate::helpers::{Engine, TestApp, config, fresh_database, quick_input, with_lead};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An email address seeded before the corpus runs: no response may contain it.
const SEEDED_EMAIL: &str = "seeded-lead@hostile.example";

/// One request of the corpus and what must come back.
#[derive(Debug)]
struct Case {
    category: String,
    name: String,
    method: String,
    path: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    chunked: bool,
    /// A `Content-Length` to declare instead of the body's own.
    length: Option<u64>,
    body: Vec<u8>,
    expect: u16,
    problem: bool,
    pointer: Option<String>,
    forbid: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile")
}

/// Reads every `<category>/<name>.case` file, sorted.
fn load_corpus() -> Vec<Case> {
    let mut files = Vec::new();
    for category in std::fs::read_dir(corpus_dir()).expect("tests/hostile exists") {
        let category = category.expect("directory entry").path();
        if !category.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&category).expect("category directory") {
            let file = file.expect("directory entry").path();
            if file.extension().is_some_and(|e| e == "case") {
                files.push(file);
            }
        }
    }
    files.sort();
    files.iter().map(|f| parse_case(f)).collect()
}

fn parse_case(file: &Path) -> Case {
    let bytes = std::fs::read(file).expect("case file");
    let at = find(&bytes, b"\n---\n").unwrap_or_else(|| panic!("{}: no --- line", file.display()));
    let raw_head = &bytes[..at];
    let mut case = Case {
        category: file
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        name: file
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        method: String::new(),
        path: Vec::new(),
        headers: Vec::new(),
        chunked: false,
        length: None,
        body: expand(&bytes[at + 5..]),
        expect: 0,
        problem: true,
        pointer: None,
        forbid: Vec::new(),
    };
    // Header values may hold any byte, so the head is split as bytes.
    for line in raw_head.split(|&b| b == b'\n') {
        if line.starts_with(b"#") || line.is_empty() {
            continue;
        }
        let colon = find(line, b": ")
            .or_else(|| line.ends_with(b":").then(|| line.len() - 1))
            .unwrap_or_else(|| panic!("{}: bad line {:?}", file.display(), lossy(line)));
        let key = String::from_utf8_lossy(&line[..colon]).into_owned();
        let value = line.get(colon + 2..).unwrap_or(b"");
        let text = || String::from_utf8_lossy(value).into_owned();
        match key.as_str() {
            "method" => case.method = text(),
            "path" => case.path = value.to_vec(),
            "header" => {
                let split = find(value, b": ")
                    .map(|i| (i, i + 2))
                    .or_else(|| {
                        value
                            .ends_with(b":")
                            .then(|| (value.len() - 1, value.len()))
                    })
                    .unwrap_or_else(|| panic!("{}: bad header line", file.display()));
                case.headers
                    .push((value[..split.0].to_vec(), value[split.1..].to_vec()));
            }
            "chunked" => case.chunked = text() == "yes",
            "length" => case.length = Some(text().parse().expect("length: a number")),
            "expect" => case.expect = text().parse().expect("expect: a status"),
            "problem" => case.problem = text() != "no",
            "pointer" => case.pointer = Some(text()),
            "forbid" => case.forbid.push(text()),
            other => panic!("{}: unknown key {other}", file.display()),
        }
    }
    assert!(
        !case.method.is_empty() && !case.path.is_empty() && case.expect != 0,
        "{}: method, path and expect are required",
        file.display()
    );
    case
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Expands `{{repeat:N:TEXT}}` (TEXT repeated N times; `\xHH` in TEXT is a byte).
fn expand(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = find(rest, b"{{repeat:") {
        out.extend_from_slice(&rest[..at]);
        let after = &rest[at + 9..];
        let colon = find(after, b":").expect("repeat: count");
        let n: usize = lossy(&after[..colon]).parse().expect("repeat: a count");
        let text_and_more = &after[colon + 1..];
        let end = find(text_and_more, b"}}").expect("repeat: closing }}");
        let text = unescape(&text_and_more[..end]);
        for _ in 0..n {
            out.extend_from_slice(&text);
        }
        rest = &text_and_more[end + 2..];
    }
    out.extend_from_slice(rest);
    out
}

fn unescape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\\'
            && text.get(i + 1) == Some(&b'x')
            && let Some(hex) = text.get(i + 2..i + 4)
            && let Ok(b) = u8::from_str_radix(&lossy(hex), 16)
        {
            out.push(b);
            i += 4;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    out
}

/// A raw response.
struct RawReply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// Sends one request as raw bytes over a fresh connection and reads the whole reply.
fn send(address: &str, case: &Case, path: &[u8]) -> Result<RawReply, String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut request = Vec::with_capacity(case.body.len() + 512);
    request.extend_from_slice(case.method.as_bytes());
    request.push(b' ');
    request.extend_from_slice(path);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: ");
    request.extend_from_slice(address.as_bytes());
    request.extend_from_slice(b"\r\nConnection: close\r\n");
    for (k, v) in &case.headers {
        request.extend_from_slice(k);
        request.extend_from_slice(b": ");
        request.extend_from_slice(v);
        request.extend_from_slice(b"\r\n");
    }
    if case.chunked {
        request.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
        for chunk in case.body.chunks(8192) {
            request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            request.extend_from_slice(chunk);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
    } else {
        if case.method != "GET" || !case.body.is_empty() {
            let length = case.length.unwrap_or(case.body.len() as u64);
            request.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        request.extend_from_slice(&case.body);
    }
    // The server may answer (413) and close before reading a large body: write from
    // another thread and read the reply whatever happens to the write.
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let write = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if raw.is_empty() => return Err(format!("read: {e}")),
            Err(_) => break,
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = write.join();
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Result<RawReply, String> {
    let end =
        find(raw, b"\r\n\r\n").ok_or_else(|| format!("no complete head: {:?}", lossy(raw)))?;
    let head = lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line: {head:?}"))?;
    let mut content_type = String::new();
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = v.to_string(),
            "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
            "content-length" => length = v.parse::<usize>().ok(),
            _ => {}
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        let mut body = Vec::new();
        let mut r = rest;
        while let Some(eol) = find(r, b"\r\n") {
            let size =
                usize::from_str_radix(lossy(&r[..eol]).split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| "bad chunk size".to_string())?;
            if size == 0 {
                break;
            }
            let chunk = r.get(eol + 2..eol + 2 + size).ok_or("truncated chunk")?;
            body.extend_from_slice(chunk);
            r = r.get(eol + 4 + size..).unwrap_or(b"");
        }
        body
    } else {
        let n = length.unwrap_or(rest.len()).min(rest.len());
        rest[..n].to_vec()
    };
    Ok(RawReply {
        status,
        content_type,
        body,
    })
}

/// What is wrong with a reply to a case (nothing when empty).
fn check(case: &Case, reply: &RawReply) -> Vec<String> {
    let mut wrong = Vec::new();
    let text = lossy(&reply.body);
    if reply.status != case.expect {
        wrong.push(format!(
            "status {} (expected {})",
            reply.status, case.expect
        ));
    }
    if case.problem {
        if reply.content_type != "application/problem+json" {
            wrong.push(format!("content-type {:?}", reply.content_type));
        }
        match serde_json::from_slice::<serde_json::Value>(&reply.body) {
            Ok(p) => {
                if p["status"] != reply.status
                    || !p["title"].is_string()
                    || !p["detail"].is_string()
                    || !p["type"].is_string()
                {
                    wrong.push("problem lacks type/title/status/detail".to_string());
                }
                if let Some(ptr) = &case.pointer
                    && p["errors"][0]["pointer"] != ptr.as_str()
                {
                    wrong.push(format!(
                        "pointer {} (expected {ptr})",
                        p["errors"][0]["pointer"]
                    ));
                }
            }
            Err(e) => wrong.push(format!("problem body is not JSON: {e}")),
        }
    }
    for f in case.forbid.iter().map(String::as_str).chain([SEEDED_EMAIL]) {
        if text.contains(f) {
            wrong.push(format!("response contains {f:?}"));
        }
    }
    if !wrong.is_empty() {
        let excerpt: String = text.chars().take(200).collect();
        wrong.push(format!("body: {excerpt}"));
    }
    wrong
}

async fn leads_total(app: &TestApp) -> i64 {
    let r = app.admin_get("/api/v1/leads?per_page=1").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["total"].as_i64().expect("leads total")
}

crate::on_both_engines!(the_hostile_corpus_gets_documented_errors_and_changes_nothing);

async fn the_hostile_corpus_gets_documented_errors_and_changes_nothing(engine: Engine) {
    let corpus = load_corpus();
    assert!(
        corpus.len() >= 150,
        "the corpus holds at least 150 cases, found {}",
        corpus.len()
    );
    // The static route serves a real directory, with files planted where a traversal out
    // of it would land: `../Cargo.toml` and `../backend/src/main.rs`.
    let scratch = std::env::temp_dir().join(format!("aims-hostile-{}", uuid::Uuid::new_v4()));
    let widget_dir = scratch.join("widget");
    std::fs::create_dir_all(&widget_dir).expect("widget directory");
    std::fs::create_dir_all(scratch.join("backend/src")).expect("planted directory");
    std::fs::write(widget_dir.join("probe.txt"), "widget probe").expect("probe file");
    std::fs::write(scratch.join("Cargo.toml"), "[workspace]\n[package]\n").expect("planted file");
    std::fs::write(scratch.join("backend/src/main.rs"), "fn main() {}\n").expect("planted file");
    let mut config = config(&fresh_database(engine).await);
    config.widget_dir = widget_dir;
    let app = TestApp::with_config(config).await;
    let probe = app.get("/widget/probe.txt").await;
    assert_eq!(
        (probe.status, probe.text.as_str()),
        (200, "widget probe"),
        "the static route serves the planted widget directory"
    );
    // One real lead, so that a leak of data (not just of an empty list) would show.
    let seeded = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Hostile Ltd", SEEDED_EMAIL),
        )
        .await;
    assert_eq!(seeded.status, 201, "{}", seeded.text);
    let seeded_lead = {
        let r = app.admin_get("/api/v1/leads").await;
        r.json()["items"][0]["id"]
            .as_str()
            .expect("the seeded lead is listed")
            .to_string()
    };
    let assessments_before = app.stored_assessments().await;
    let leads_before = leads_total(&app).await;

    let address = app.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in corpus {
        let path = String::from_utf8_lossy(&case.path).replace("{{seeded_lead}}", &seeded_lead);
        let address = address.clone();
        let (case, result) = tokio::task::spawn_blocking(move || {
            let r = send(&address, &case, path.as_bytes());
            (case, r)
        })
        .await
        .expect("request thread");
        let wrong = match result {
            Ok(reply) => check(&case, &reply),
            Err(e) => vec![format!("no reply: {e}")],
        };
        let entry = tally.entry(case.category.clone()).or_default();
        entry.0 += 1;
        if wrong.is_empty() {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "{}/{} ({} {}): {}",
                case.category,
                case.name,
                case.method,
                lossy(&case.path),
                wrong.join("; ")
            ));
        }
    }
    let elapsed = started.elapsed();

    let (mut cases, mut passed) = (0, 0);
    println!("{:<24} {:>6} {:>7}", "category", "cases", "passed");
    for (category, (n, ok)) in &tally {
        println!("{category:<24} {n:>6} {ok:>7}");
        cases += n;
        passed += ok;
    }
    println!("{:<24} {cases:>6} {passed:>7}", "total");
    println!("corpus replayed in {:.2?}", elapsed);

    let assessments_after = app.stored_assessments().await;
    let leads_after = leads_total(&app).await;
    if assessments_after != assessments_before {
        failures.push(format!(
            "stored assessments changed: {assessments_before} -> {assessments_after}"
        ));
    }
    if leads_after != leads_before {
        failures.push(format!("leads changed: {leads_before} -> {leads_after}"));
    }
    assert_eq!(
        app.get("/healthz").await.status,
        200,
        "the server still answers"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        failures.is_empty(),
        "{} of {cases} hostile cases did not behave:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
