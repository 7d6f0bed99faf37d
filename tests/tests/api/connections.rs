//! Connections as an attacker would hold them: silent, half a request, a body a byte at a
//! time, a declared body far over the limit, many at once from one address. Each is
//! closed or refused, and visitors are still served meanwhile.

use crate::helpers::{TestApp, config, fresh_database};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Longest any test here waits for the server to do something by itself.
const PATIENCE: Duration = Duration::from_secs(20);

async fn server(tune: impl FnOnce(&mut aims_backend::Config)) -> (TestApp, SocketAddr) {
    let mut c = config(&fresh_database(crate::helpers::Engine::Sqlite).await);
    c.header_timeout_secs = 1;
    c.body_timeout_secs = 1;
    tune(&mut c);
    let app = TestApp::with_config(c).await;
    let address = app.base.trim_start_matches("http://").parse().unwrap();
    (app, address)
}

/// A connection from `source` (a loopback address) to `to`.
async fn connect_from(source: [u8; 4], to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((source, 0)))
        .expect("bind a loopback source address");
    socket.connect(to).await.expect("connect")
}

/// Whether the server has closed `stream` (EOF or reset) within `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Reads a reply's head; its status.
async fn status_of(stream: &mut TcpStream) -> u16 {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(PATIENCE, read)
        .await
        .expect("a reply in time");
    let head = String::from_utf8_lossy(&raw);
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"))
}

async fn healthz_from(source: [u8; 4], address: SocketAddr) -> u16 {
    let client = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(source))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    client
        .get(format!("http://{address}/healthz"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_give_way_to_visitors_and_time_out() {
    let (app, address) = server(|c| {
        c.max_connections = 50;
        c.max_connections_per_client = 10_000;
    })
    .await;
    // 300 connections that send nothing, from several addresses.
    let mut idle = Vec::new();
    for i in 0..300u32 {
        idle.push(connect_from([127, 0, 0, 10 + (i % 5) as u8], address).await);
    }
    // A visitor is served at once: an idle connection is closed to make room.
    assert_eq!(healthz_from([127, 0, 0, 1], address).await, 200);
    assert!(
        app.state.connections.open() <= 50,
        "{} open",
        app.state.connections.open()
    );
    let mut still_open = 0;
    for stream in &mut idle {
        if !closed_within(stream, Duration::from_millis(20)).await {
            still_open += 1;
        }
    }
    assert!(
        still_open < 50,
        "{still_open} idle connections still open, over the cap of 50"
    );
    // The rest are closed once the header timeout (1 s) has passed.
    for stream in &mut idle {
        assert!(
            closed_within(stream, PATIENCE).await,
            "a silent connection stayed open"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_holds_at_most_its_share_of_connections() {
    let (app, address) = server(|c| {
        c.max_connections = 1000;
        c.max_connections_per_client = 5;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..40 {
        held.push(connect_from([127, 0, 0, 20], address).await);
    }
    let mut open = 0;
    for stream in &mut held {
        if !closed_within(stream, Duration::from_millis(20)).await {
            open += 1;
        }
    }
    assert!(open <= 5, "{open} connections from one client stayed open");
    // Others are not affected, and the same client still gets a request through
    // (its own oldest idle connection gives way).
    assert_eq!(healthz_from([127, 0, 0, 21], address).await, 200);
    assert_eq!(healthz_from([127, 0, 0, 20], address).await, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_a_request_and_idle_keep_alive_are_closed_after_the_header_timeout() {
    let (app, address) = server(|_| {}).await;
    let mut half = TcpStream::connect(address).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let mut kept = TcpStream::connect(address).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(status_of(&mut kept).await, 200);
    assert!(
        closed_within(&mut half, PATIENCE).await,
        "half a request kept the connection"
    );
    assert!(
        closed_within(&mut kept, PATIENCE).await,
        "an idle keep-alive connection stayed open"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_a_byte_at_a_time_is_cut_off() {
    let (app, address) = server(|_| {}).await;
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(
        b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65000\r\n\r\n{",
    )
    .await
    .unwrap();
    let (mut read, mut write) = slow.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, read.read_to_end(&mut raw)).await;
    trickle.abort();
    let reply = String::from_utf8_lossy(&raw);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("application/problem+json"), "{reply}");
    assert_eq!(app.stored_assessments().await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_or_compressed_is_refused_at_once() {
    let (app, address) = server(|c| c.body_timeout_secs = 60).await;
    for (headers, status) in [
        ("Content-Length: 1000000000000\r\n", 413),
        ("Content-Length: 65537\r\n", 413),
        ("Content-Length: 40\r\nContent-Encoding: br\r\n", 415),
        ("Content-Length: 40\r\nContent-Encoding: gzip\r\n", 415),
    ] {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream
            .write_all(
                format!(
                    "POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}\r\n"
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        // No body is sent: the answer must not wait for it (the body timeout is a minute,
        // longer than `status_of` waits).
        assert_eq!(status_of(&mut stream).await, status, "{headers}");
    }
    assert_eq!(app.stored_assessments().await, 0);
    app.stop().await;
}
