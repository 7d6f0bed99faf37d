//! The lead webhook: a receiver that fails, then recovers, loses nothing.

use crate::helpers::{Engine, TestApp, quick_input, with_lead};
use crate::on_both_engines;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

on_both_engines!(
    webhook_retries_until_the_receiver_recovers,
    two_instances_share_one_postgres_idempotently
);

/// A receiver that answers 503 to the first `failures` deliveries, then 200.
async fn receiver(failures: u32) -> (String, Arc<Mutex<Vec<serde_json::Value>>>, Arc<AtomicU32>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let attempts = Arc::new(AtomicU32::new(0));
    let (r, a) = (received.clone(), attempts.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let (r, a) = (r.clone(), a.clone());
            async move {
                if a.fetch_add(1, Ordering::SeqCst) < failures {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                }
                r.lock().unwrap().push(serde_json::from_str(&body).unwrap());
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received, attempts)
}

async fn webhook_retries_until_the_receiver_recovers(engine: Engine) {
    let (url, received, attempts) = receiver(2).await;
    let db = crate::helpers::fresh_database(engine).await;
    let mut config = crate::helpers::config(&db);
    config.webhook_url = Some(url);
    let app = TestApp::with_config(config).await;
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Acme", "ada@example.com"),
        )
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    while received.lock().unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "not delivered after {} attempts",
            attempts.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "two failures, then success"
    );
    let payload = received.lock().unwrap()[0].clone();
    assert_eq!(payload["event"], "lead.created");
    assert_eq!(payload["assessment_id"], id);
    assert_eq!(payload["email"], "ada@example.com");
    let metrics = app.get("/metrics").await.text;
    assert!(metrics.contains("aims_webhook_pending 0"), "{metrics}");
    assert!(metrics.contains("aims_webhook_failed_total 2"));
    app.stop().await;
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
    assert_eq!(a.stored_assessments().await, 2);
    a.stop().await;
    b.stop().await;
}
