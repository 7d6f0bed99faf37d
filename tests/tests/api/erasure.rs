//! Erasure: after `DELETE /api/v1/leads/{id}` the lead's name, email, company, phone and
//! role are in
//! no table and no webhook delivery, a stored report no longer names the company, and on
//! SQLite not even the database file and its WAL hold them.

use crate::helpers::{Engine, TestApp, WEBHOOK_SECRET, quick_input, with_lead};
use crate::on_both_engines;
use sqlx::Row;
use std::time::{Duration, Instant};

on_both_engines!(
    erased_leads_leave_no_personal_data_in_any_table,
    erasing_a_lead_cancels_its_pending_webhook
);

/// A receiver that accepts every delivery; how many it got.
async fn accepting_receiver() -> (String, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = count.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let c = c.clone();
            async move {
                c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, count)
}

async fn metric(app: &TestApp, name: &str) -> i64 {
    app.metric(name)
        .await
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A submitted lead: (lead id, assessment id, email, company).
type Lead = (String, String, String, String);

/// Submits `n` assessments with leads. Each lead's name is `"{tag} Person {i}"`.
async fn submit_leads(app: &TestApp, n: usize, tag: &str) -> Vec<Lead> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("{tag}-{i:03}@erase.example");
        let company = format!("{tag} Company {i:03}");
        let mut body = with_lead(quick_input(), &company, &email);
        body["lead"]["name"] = format!("{tag} Person {i:03}").into();
        body["lead"]["phone"] = format!("+44 20 7946 {i:04}").into();
        body["lead"]["role"] = format!("{tag} Role {i:03}").into();
        let r = app.post_json("/api/v1/assessments", &body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        out.push((
            String::new(),
            r.json()["id"].as_str().unwrap().to_string(),
            email,
            company,
        ));
    }
    let list = app.admin_get("/api/v1/leads?per_page=500").await.json();
    for lead in list["items"].as_array().unwrap() {
        if let Some(entry) = out
            .iter_mut()
            .find(|e| lead["assessment_id"] == e.1.as_str())
        {
            entry.0 = lead["id"].as_str().unwrap().to_string();
        }
    }
    assert!(out.iter().all(|e| !e.0.is_empty()), "every lead listed");
    out
}

async fn erase(app: &TestApp, lead_id: &str) {
    assert_eq!(
        app.admin_delete(&format!("/api/v1/leads/{lead_id}")).await,
        204
    );
}

/// Asserts that no erased lead's email is in `bytes` (read from `place`), while every
/// kept one is, so that the search is known to work.
fn assert_only_kept_emails_in(bytes: &[u8], place: &str, erased: &[Lead], kept: &[Lead]) {
    let find = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    let left: Vec<&str> = erased
        .iter()
        .map(|e| e.2.as_str())
        .filter(|email| find(email))
        .collect();
    assert!(
        left.is_empty(),
        "{} erased emails still in {place}: {left:?}",
        left.len()
    );
    assert!(
        kept.iter().all(|e| find(&e.2)),
        "the kept leads are in {place}"
    );
}

/// Every row of every table, as text.
async fn every_row(database_url: &str) -> Vec<String> {
    let mut rows = Vec::new();
    if database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(database_url).await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        for t in tables {
            let text: Vec<String> =
                sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM \"{t}\" t"))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            rows.extend(text);
        }
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(database_url).await.unwrap();
        let tables: Vec<String> =
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&pool)
                .await
                .unwrap();
        for t in tables {
            let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info(\"{t}\")"))
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("name"))
                .collect();
            let quoted: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
            let sql = format!("SELECT {} AS row FROM \"{t}\"", quoted.join(" || '|' || "));
            let text: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&pool).await.unwrap();
            rows.extend(text);
        }
        pool.close().await;
    }
    rows
}

async fn erased_leads_leave_no_personal_data_in_any_table(engine: Engine) {
    let (url, delivered) = accepting_receiver().await;
    let db = crate::helpers::fresh_database(engine).await;
    let mut config = crate::helpers::config(&db);
    config.webhook_url = Some(url.into());
    config.webhook_secret = Some(WEBHOOK_SECRET.into());
    let app = TestApp::with_config(config).await;
    let leads = submit_leads(&app, 40, "erase").await;
    // Delivered first: a delivered webhook used to keep its copy of the lead.
    wait_until("webhooks delivered", async || {
        delivered.load(std::sync::atomic::Ordering::SeqCst) >= 40
            && metric(&app, "aims_webhook_pending").await == 0
    })
    .await;
    let (erased, kept) = leads.split_at(10);
    for (lead_id, ..) in erased {
        erase(&app, lead_id).await;
    }

    let rows = every_row(&app.database_url).await.join("\n");
    for (i, (_, _, email, company)) in erased.iter().enumerate() {
        let name = format!("erase Person {i:03}");
        let (phone, role) = (format!("+44 20 7946 {i:04}"), format!("erase Role {i:03}"));
        for value in [email, company, &name, &phone, &role] {
            assert!(!rows.contains(value.as_str()), "{value} is still stored");
        }
    }
    for (_, _, email, _) in kept {
        assert!(
            rows.contains(email.as_str()),
            "{email}, not erased, is stored"
        );
    }

    // The erased lead's assessment stays, anonymous: its report no longer names the company.
    let (_, assessment, _, company) = &erased[0];
    for path in ["report", "report?format=md"] {
        let report = app
            .get(&format!("/api/v1/assessments/{assessment}/{path}"))
            .await;
        assert_eq!(report.status, 200);
        assert!(
            !report.text.contains(company.as_str()),
            "{path} names {company}"
        );
    }
    let (_, kept_assessment, _, kept_company) = &kept[0];
    let report = app
        .get(&format!("/api/v1/assessments/{kept_assessment}/report"))
        .await;
    assert!(
        report.text.contains(kept_company.as_str()),
        "a kept lead's report names it"
    );
    app.stop().await;
}

async fn erasing_a_lead_cancels_its_pending_webhook(engine: Engine) {
    // Nothing listens there: deliveries fail and wait for their retry.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = crate::helpers::fresh_database(engine).await;
    let mut config = crate::helpers::config(&db);
    config.webhook_url = Some(format!("http://127.0.0.1:{port}/hook").into());
    config.webhook_secret = Some(WEBHOOK_SECRET.into());
    let app = TestApp::with_config(config).await;
    let leads = submit_leads(&app, 3, "pending").await;
    assert_eq!(metric(&app, "aims_webhook_pending").await, 3);
    erase(&app, &leads[0].0).await;
    assert_eq!(metric(&app, "aims_webhook_pending").await, 2);
    let rows = every_row(&app.database_url).await.join("\n");
    let outbox_rows: Vec<&str> = rows.lines().filter(|r| r.contains(&leads[0].0)).collect();
    // The lead row itself stays (blanked, with its erasure time); no delivery refers to it.
    assert_eq!(outbox_rows.len(), 1, "{outbox_rows:?}");
    assert!(!rows.contains(&leads[0].2));
    app.stop().await;
}

/// SQLite: the bytes of the database file, its WAL and its shared-memory index hold no
/// erased email, while they do hold the ones not erased.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_hold_no_erased_data() {
    let db = crate::helpers::fresh_database(Engine::Sqlite).await;
    let app = TestApp::with_config(crate::helpers::config(&db)).await;
    let leads = submit_leads(&app, 200, "raw").await;
    let (erased, kept) = leads.split_at(50);
    for (lead_id, ..) in erased {
        erase(&app, lead_id).await;
    }
    let path = db.trim_start_matches("sqlite://");
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
            bytes.extend(b);
        }
    }
    assert_only_kept_emails_in(&bytes, "the database files", erased, kept);
    app.stop().await;
}

/// PostgreSQL: the pages of the leads and outbox tables hold no erased email (the server
/// vacuums them after an erasure). Needs the server's data directory on this machine, as
/// the local test server is; elsewhere it says so and checks only the tables' contents.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_table_files_hold_no_erased_data() {
    let db = crate::helpers::fresh_database(Engine::Postgres).await;
    let app = TestApp::with_config(crate::helpers::config(&db)).await;
    let leads = submit_leads(&app, 200, "heap").await;
    let (erased, kept) = leads.split_at(50);
    for (lead_id, ..) in erased {
        erase(&app, lead_id).await;
    }
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    sqlx::query("CHECKPOINT").execute(&pool).await.unwrap();
    let data: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut bytes = Vec::new();
    for table in ["leads", "outbox"] {
        let file: String = sqlx::query_scalar(&format!("SELECT pg_relation_filepath('{table}')"))
            .fetch_one(&pool)
            .await
            .unwrap();
        match std::fs::read(std::path::Path::new(&data).join(&file)) {
            Ok(b) => bytes.extend(b),
            Err(e) => {
                println!("PostgreSQL's files are not readable here ({e}); not checked");
                app.stop().await;
                return;
            }
        }
    }
    pool.close().await;
    assert_only_kept_emails_in(&bytes, "the table files", erased, kept);
    app.stop().await;
}
