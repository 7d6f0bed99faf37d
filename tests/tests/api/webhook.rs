//! The lead webhook: a receiver that fails, then recovers, loses nothing; deliveries are
//! signed; redirects are never followed.

use crate::helpers::{Engine, TestApp, WEBHOOK_SECRET, quick_input, with_lead};
use crate::on_both_engines;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

on_both_engines!(
    webhook_retries_until_the_receiver_recovers,
    webhooks_never_follow_redirects,
    two_instances_share_one_postgres_idempotently
);

/// What a receiver saw of one delivery.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

/// A receiver that answers 503 to the first `failures` deliveries, then 200.
pub async fn receiver(failures: u32) -> (String, Arc<Mutex<Vec<Delivery>>>, Arc<AtomicU32>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let attempts = Arc::new(AtomicU32::new(0));
    let (r, a) = (received.clone(), attempts.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (r, a) = (r.clone(), a.clone());
            async move {
                if a.fetch_add(1, Ordering::SeqCst) < failures {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                }
                let h = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                r.lock().unwrap().push(Delivery {
                    id: h("webhook-id"),
                    timestamp: h("webhook-timestamp"),
                    signature: h("webhook-signature"),
                    body,
                });
                axum::http::StatusCode::OK
            }
        }),
    );
    (serve(app).await + "/hook", received, attempts)
}

/// Serves `app` on a free port; its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The signature a receiver computes, by the recipe in the README (HMAC-SHA256 over
/// `id.timestamp.body`, base64), with the hmac crate directly.
pub fn expected_signature(d: &Delivery) -> String {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{}.{}.{}", d.id, d.timestamp, d.body).as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Polls `/metrics` until the value of `name` passes `test` (the server's own state, not
/// the receiver's, which sees a delivery before the server records it).
pub async fn wait_for_metric(app: &TestApp, name: &str, test: impl Fn(i64) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let metrics = app.get("/metrics").await.text;
        if crate::helpers::metric_in(&metrics, name).is_some_and(&test) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name} never got there:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn webhook_config(db: &str, url: String) -> aims_backend::Config {
    let mut config = crate::helpers::config(db);
    config.webhook_url = Some(url.into());
    config.webhook_secret = Some(WEBHOOK_SECRET.into());
    config
}

async fn webhook_retries_until_the_receiver_recovers(engine: Engine) {
    let (url, received, attempts) = receiver(2).await;
    let db = crate::helpers::fresh_database(engine).await;
    let app = TestApp::with_config(webhook_config(&db, url)).await;
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Acme", "ada@example.com"),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].clone();
    // The delivery is recorded after the receiver answers: wait for the server's state.
    wait_for_metric(&app, "aims_webhook_delivered_total", |n| n == 1).await;
    wait_for_metric(&app, "aims_webhook_pending", |n| n == 0).await;
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "two failures, then success"
    );
    let delivery = received.lock().unwrap()[0].clone();
    let payload: serde_json::Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(payload["event"], "lead.created");
    assert_eq!(payload["assessment_id"], id);
    assert_eq!(payload["email"], "ada@example.com");
    assert_eq!(payload["company"], "Acme");
    // Signed, and the signature is the one a receiver computes with the shared secret.
    assert!(!delivery.id.is_empty());
    let sent_at: i64 = delivery.timestamp.parse().expect("a Unix timestamp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (now - sent_at).abs() < 300,
        "timestamp {sent_at}, now {now}"
    );
    assert_eq!(delivery.signature, expected_signature(&delivery));
    let mut forged = delivery.clone();
    forged.body = forged.body.replace("Acme", "Evil");
    assert_ne!(delivery.signature, expected_signature(&forged));
    let metrics = app.get("/metrics").await.text;
    assert!(metrics.contains("aims_webhook_failed_total 2"), "{metrics}");
    app.stop().await;
}

/// A receiver that answers every delivery with `status` and a `Location` on `elsewhere`,
/// where a second receiver records whatever reaches it.
async fn redirecting_receiver(status: u16) -> (String, Arc<AtomicU32>, Arc<Mutex<Vec<String>>>) {
    let reached = Arc::new(Mutex::new(Vec::new()));
    let r = reached.clone();
    let elsewhere = serve(axum::Router::new().fallback(move |body: String| {
        let r = r.clone();
        async move {
            r.lock().unwrap().push(body);
            "ok"
        }
    }))
    .await;
    let attempts = Arc::new(AtomicU32::new(0));
    let a = attempts.clone();
    let hook = serve(axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let a = a.clone();
            let location = format!("{elsewhere}/stolen");
            async move {
                a.fetch_add(1, Ordering::SeqCst);
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [(axum::http::header::LOCATION, location)],
                )
            }
        }),
    ))
    .await;
    (hook + "/hook", attempts, reached)
}

async fn webhooks_never_follow_redirects(engine: Engine) {
    for status in [307, 302, 301, 308] {
        let (url, attempts, reached) = redirecting_receiver(status).await;
        let db = crate::helpers::fresh_database(engine).await;
        let app = TestApp::with_config(webhook_config(&db, url)).await;
        let r = app
            .post_json(
                "/api/v1/assessments",
                &with_lead(quick_input(), "Acme", "redirect@example.com"),
            )
            .await;
        assert_eq!(r.status, 201);
        // Retried (1 s, then 2 s later) and still pending: a 3xx is a failure.
        wait_for_metric(&app, "aims_webhook_failed_total", |n| n >= 2).await;
        let metrics = app.get("/metrics").await.text;
        assert!(
            metrics.contains("aims_webhook_pending 1"),
            "{status}: {metrics}"
        );
        assert!(
            metrics.contains("aims_webhook_delivered_total 0"),
            "{status}: {metrics}"
        );
        assert!(attempts.load(Ordering::SeqCst) >= 2);
        assert!(
            reached.lock().unwrap().is_empty(),
            "{status}: the redirect target received {:?}",
            reached.lock().unwrap()
        );
        app.stop().await;
    }
}

async fn two_instances_share_one_postgres_idempotently(engine: Engine) {
    if engine == Engine::Sqlite {
        return; // one SQLite file belongs to one instance
    }
    let db = crate::helpers::fresh_database(engine).await;
    let a = TestApp::with_config(crate::helpers::config(&db)).await;
    let b = TestApp::with_config(crate::helpers::config(&db)).await;
    let body = with_lead(quick_input(), "Acme", "ada@example.com").to_string();
    let (ra, rb) = tokio::join!(
        a.post_raw(
            "/api/v1/assessments",
            &body,
            "application/json",
            Some("shared-key")
        ),
        b.post_raw(
            "/api/v1/assessments",
            &body,
            "application/json",
            Some("shared-key")
        ),
    );
    assert_eq!((ra.status, rb.status), (201, 201));
    assert_eq!(
        ra.json()["id"],
        rb.json()["id"],
        "one assessment for one key"
    );
    let id = ra.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        a.get(&format!("/api/v1/assessments/{id}")).await.status,
        200
    );
    assert_eq!(
        b.get(&format!("/api/v1/assessments/{id}")).await.status,
        200
    );
    let written_by_b = b
        .post_json("/api/v1/assessments", &quick_input())
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        a.get(&format!("/api/v1/assessments/{written_by_b}"))
            .await
            .status,
        200
    );
    // Each instance's gauge counts its own writes at once and the others' at its next
    // refresh from the database.
    a.state.metrics.refresh_gauges(&a.state.db).await.unwrap();
    assert_eq!(a.stored_assessments().await, 2);
    a.stop().await;
    b.stop().await;
}
