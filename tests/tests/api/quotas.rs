//! Per-client limits and storage quotas: who a client is behind a proxy, IPv6 grouped by
//! /64, pruned limiter state, the admin lockout, the daily cap on stored assessments and
//! the retention of anonymous assessments.

use crate::helpers::{
    ADMIN_TOKEN, Engine, TestApp, config, fresh_database, quick_input, with_lead,
};
use crate::on_both_engines;
use std::time::{Duration, Instant};

on_both_engines!(anonymous_assessments_expire_and_leads_stay);

async fn post_as(app: &TestApp, path: &str, forwarded_for: Option<&str>) -> u16 {
    let mut r = app
        .client
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(quick_input().to_string());
    if let Some(f) = forwarded_for {
        r = r.header("x-forwarded-for", f);
    }
    r.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_visitor_has_an_allowance() {
    let mut c = config(&fresh_database(Engine::Sqlite).await);
    c.rate_limit_per_minute = 3;
    c.trusted_proxies = vec!["127.0.0.0/8".into()];
    let app = TestApp::with_config(c).await;
    for _ in 0..3 {
        assert_eq!(
            post_as(&app, "/api/v1/evaluate", Some("203.0.113.1")).await,
            200
        );
    }
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("203.0.113.1")).await,
        429
    );
    // Another visitor behind the same proxy, and one that writes its own header in front.
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("203.0.113.2")).await,
        200
    );
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("203.0.113.2, 203.0.113.1")).await,
        429,
        "the proxy's hop (the rightmost) names the client"
    );
    // IPv6 clients count by /64.
    for host in ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::3"] {
        assert_eq!(
            post_as(&app, "/api/v1/evaluate", Some(host)).await,
            200,
            "{host}"
        );
    }
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("2001:db8:5:6::4")).await,
        429
    );
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("2001:db8:5:7::1")).await,
        200
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_forwarding_headers_are_ignored() {
    let mut c = config(&fresh_database(Engine::Sqlite).await);
    c.rate_limit_per_minute = 3;
    let app = TestApp::with_config(c).await;
    for i in 0..3 {
        let who = format!("198.51.100.{i}");
        assert_eq!(post_as(&app, "/api/v1/evaluate", Some(&who)).await, 200);
    }
    assert_eq!(
        post_as(&app, "/api/v1/evaluate", Some("198.51.100.99")).await,
        429,
        "a client cannot buy a fresh allowance with a header"
    );
    let r = app
        .client
        .post(app.url("/api/v1/evaluate"))
        .header("content-type", "application/json")
        .body(quick_input().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_clients_are_forgotten() {
    let mut c = config(&fresh_database(Engine::Sqlite).await);
    c.rate_limit_per_minute = 120;
    c.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::with_config(c).await;
    for i in 0..300u32 {
        let [_, _, a, b] = i.to_be_bytes();
        let who = format!("10.9.{a}.{b}");
        assert_eq!(post_as(&app, "/api/v1/evaluate", Some(&who)).await, 200);
    }
    let tracked = async || {
        app.metric("aims_tracked_clients")
            .await
            .expect("aims_tracked_clients")
    };
    assert!(tracked().await >= 300);
    // A client's state is forgotten once it is the same as a new client's: for one POST
    // of 120 a minute, a second after it (twice the half second it is worth).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.state.limits.prune();
    assert!(tracked().await < 10);
    app.stop().await;
}

async fn admin_as(app: &TestApp, token: &str, forwarded_for: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/leads"))
        .bearer_auth(token)
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_admin_authentications_lock_the_client_out() {
    let mut c = config(&fresh_database(Engine::Sqlite).await);
    c.admin_lockout_after = 3;
    c.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::with_config(c).await;
    let attacker = "192.0.2.66";
    for _ in 0..3 {
        assert_eq!(admin_as(&app, "guess", attacker).await.status(), 401);
    }
    let locked = admin_as(&app, "guess", attacker).await;
    assert_eq!(locked.status(), 429);
    let wait: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // Locked out whatever it sends, so the lockout tells nothing about the token.
    assert_eq!(admin_as(&app, ADMIN_TOKEN, attacker).await.status(), 429);
    // Everyone else is not.
    assert_eq!(
        admin_as(&app, ADMIN_TOKEN, "192.0.2.67").await.status(),
        200
    );
    let m = app.get("/metrics").await.text;
    assert!(m.contains("aims_admin_auth_failed_total 5"), "{m}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_stores_at_most_its_daily_cap() {
    let mut c = config(&fresh_database(Engine::Sqlite).await);
    c.daily_assessments_per_client = 3;
    let app = TestApp::with_config(c).await;
    for _ in 0..3 {
        assert_eq!(post_as(&app, "/api/v1/assessments", None).await, 201);
    }
    let r = app.post_json("/api/v1/assessments", &quick_input()).await;
    let problem = r.problem(429);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/evaluate")
    );
    assert!(!r.header("retry-after").is_empty());
    // Evaluating, which stores nothing, is still open.
    assert_eq!(post_as(&app, "/api/v1/evaluate", None).await, 200);
    assert_eq!(app.stored_assessments().await, 3);
    app.stop().await;
}

async fn anonymous_assessments_expire_and_leads_stay(engine: Engine) {
    let db = fresh_database(engine).await;
    let app = TestApp::with_config(config(&db)).await;
    let mut ids = Vec::new();
    for with in [false, false, false, true, true] {
        let body = if with {
            with_lead(quick_input(), "Kept Ltd", "kept@example.com")
        } else {
            quick_input()
        };
        let r = app.post_json("/api/v1/assessments", &body).await;
        assert_eq!(r.status, 201);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let fresh = app
        .post_json("/api/v1/assessments", &quick_input())
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.stop().await;
    // Made two years ago.
    let placeholders = if engine == Engine::Postgres {
        "$1"
    } else {
        "?"
    };
    for id in &ids {
        let sql = format!(
            "UPDATE assessments SET created_at = '2024-01-01T00:00:00.000000Z' WHERE id = {placeholders}"
        );
        if engine == Engine::Postgres {
            let pool = sqlx::PgPool::connect(&db).await.unwrap();
            sqlx::query(&sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
            sqlx::query(&sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
    // The retention runs when the server starts, then hourly.
    let mut c = config(&db);
    c.retention_days = 365;
    let app = TestApp::with_config(c).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while app
        .get(&format!("/api/v1/assessments/{}", ids[0]))
        .await
        .status
        != 404
    {
        assert!(
            Instant::now() < deadline,
            "the old anonymous assessment was not deleted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for id in &ids[..3] {
        assert_eq!(
            app.get(&format!("/api/v1/assessments/{id}")).await.status,
            404
        );
    }
    for id in ids[3..].iter().chain([&fresh]) {
        assert_eq!(
            app.get(&format!("/api/v1/assessments/{id}")).await.status,
            200,
            "kept: with a lead, or recent"
        );
    }
    let m = app.get("/metrics").await.text;
    assert!(m.contains("aims_assessments_expired_total 3"), "{m}");
    assert!(m.contains("aims_assessments 3"), "{m}");
    app.stop().await;
}
