//! Admin endpoints: token, lead list and filters, CSV export, erasure.

use crate::assessments::parse_csv;
use crate::helpers::{ADMIN_TOKEN, Engine, TestApp, quick_input, with_lead};
use crate::on_both_engines;

on_both_engines!(admin_needs_the_token, leads_are_listed_exported_and_erased);

async fn start_error(config: aims_backend::Config) -> String {
    match aims_backend::Application::build(config).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn weak_or_half_configured_secrets_stop_the_server_at_start() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut c = crate::helpers::config(&url);
    c.admin_token = Some("x".into());
    let e = start_error(c).await;
    assert!(
        e.contains("admin token is 1 characters long") && e.contains("at least 32"),
        "{e}"
    );

    let mut c = crate::helpers::config(&url);
    c.webhook_url = Some("http://127.0.0.1:9/hook".into());
    let e = start_error(c).await;
    assert!(e.contains("--webhook-secret"), "{e}");

    let mut c = crate::helpers::config(&url);
    c.webhook_url = Some("http://127.0.0.1:9/hook".into());
    c.webhook_secret = Some("short".into());
    let e = start_error(c).await;
    assert!(e.contains("webhook secret is 5 characters long"), "{e}");

    let mut c = crate::helpers::config(&url);
    c.trusted_proxies = vec!["10.0.0.0/99".into()];
    let e = start_error(c).await;
    assert!(e.contains("10.0.0.0/99"), "{e}");
}

#[tokio::test]
async fn the_admin_token_can_come_from_a_file() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let dir = std::env::temp_dir().join(format!("aims-token-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("admin-token");
    std::fs::write(&file, format!("{ADMIN_TOKEN}\n")).unwrap();
    let mut c = crate::helpers::config(&url);
    c.admin_token = None;
    c.admin_token_file = Some(file.clone());
    let app = TestApp::with_config(c).await;
    assert_eq!(app.admin_get("/api/v1/leads").await.status, 200);
    app.stop().await;

    std::fs::write(&file, "too-short\n").unwrap();
    let mut c = crate::helpers::config(&url);
    c.admin_token = None;
    c.admin_token_file = Some(file);
    assert!(start_error(c).await.contains("at least 32"));
    let _ = std::fs::remove_dir_all(&dir);
}

async fn admin_needs_the_token(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.get("/api/v1/leads").await.problem(401);
    let wrong = app
        .client
        .get(app.url("/api/v1/leads"))
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let almost = app
        .client
        .get(app.url("/api/v1/leads"))
        .bearer_auth(&ADMIN_TOKEN[..ADMIN_TOKEN.len() - 1])
        .send()
        .await
        .unwrap();
    assert_eq!(almost.status(), 401);
    assert_eq!(app.admin_get("/api/v1/leads").await.status, 200);
    let url = app.database_url.clone();
    app.stop().await;

    // With no admin token configured the admin API is off, not open.
    let mut config = crate::helpers::config(&url);
    config.admin_token = None;
    let open = TestApp::with_config(config).await;
    open.get("/api/v1/leads").await.problem(404);
    open.admin_get("/api/v1/leads.csv").await.problem(404);
    let r = open
        .client
        .delete(open.url(&format!("/api/v1/leads/{}", uuid::Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    open.stop().await;
}

async fn leads_are_listed_exported_and_erased(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut ids = Vec::new();
    for (company, email) in [
        ("First Ltd;=2+5+cmd|' /C calc'!A0", "one@example.com"),
        ("=cmd|' /C calc'!A0", "two@example.com"),
        ("Third plc", "three@example.com"),
    ] {
        let mut body = with_lead(quick_input(), company, email);
        if company == "Third plc" {
            body["lead"]["phone"] = " +44 (0)20 7946-0000 ".into();
            body["lead"]["role"] = "=HYPERLINK(\"http://x.example\")".into();
        }
        let r = app.post_json("/api/v1/assessments", &body).await;
        assert_eq!(r.status, 201, "{}", r.text);
        ids.push(r.json());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // An assessment without a lead is not a lead.
    app.post_json("/api/v1/assessments", &quick_input()).await;

    let list = app.admin_get("/api/v1/leads?per_page=2").await;
    assert_eq!(list.header("cache-control"), "no-store");
    let list = list.json();
    assert_eq!(list["total"], 3);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["email"], "three@example.com", "newest first");
    assert_eq!(items[0]["phone"], "+44 (0)20 7946-0000", "trimmed");
    assert_eq!(items[0]["role"], "=HYPERLINK(\"http://x.example\")");
    assert_eq!(items[1]["phone"], "", "not given");
    assert_eq!(items[0]["overall"], ids[2]["summary"]["overall"]);
    assert_eq!(items[0]["assessment_id"], ids[2]["id"]);
    let page2 = app
        .admin_get("/api/v1/leads?per_page=2&page=2")
        .await
        .json();
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);

    let band = ids[0]["summary"]["band"].as_str().unwrap();
    assert_eq!(
        app.admin_get(&format!("/api/v1/leads?band={band}"))
            .await
            .json()["total"],
        3
    );
    let other = if band == "early" { "advanced" } else { "early" };
    assert_eq!(
        app.admin_get(&format!("/api/v1/leads?band={other}"))
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        app.admin_get("/api/v1/leads?from=2000-01-01&to=2199-12-31")
            .await
            .json()["total"],
        3
    );
    assert_eq!(
        app.admin_get("/api/v1/leads?to=2001-01-01").await.json()["total"],
        0
    );
    // A bare end date takes in that whole day; a time is exact (from inclusive, to not).
    let newest = items[0]["created_at"].as_str().unwrap().to_string();
    for (query, expected) in [
        (format!("to={}", &newest[..10]), 3),
        (format!("from={newest}"), 1),
        (format!("to={newest}"), 2),
    ] {
        let list = app.admin_get(&format!("/api/v1/leads?{query}")).await;
        assert_eq!(list.json()["total"], expected, "{query}");
    }
    app.admin_get("/api/v1/leads?band=excellent")
        .await
        .problem(400);
    app.admin_get("/api/v1/leads?from=yesterday")
        .await
        .problem(400);
    app.admin_get("/api/v1/leads?per_page=100000")
        .await
        .problem(400);

    let csv = app.admin_get("/api/v1/leads.csv").await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    let rows = parse_csv(&csv.text);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0][..7],
        [
            "id",
            "created_at",
            "name",
            "email",
            "company",
            "phone",
            "role"
        ]
    );
    assert!(
        rows.iter()
            .any(|r| r[6] == "'=HYPERLINK(\"http://x.example\")"),
        "a role's formula neutralised too: {rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[4] == "'=cmd|' /C calc'!A0"),
        "formula neutralised: {rows:?}"
    );
    // A spreadsheet that splits on `;` keeps the cell whole (quoted) and finds no formula
    // where the `;` would start one.
    assert!(
        csv.text.contains("\"First Ltd;'=2+5+cmd|' /C calc'!A0\""),
        "{}",
        csv.text
    );

    // Erasure removes the personal data and keeps the anonymous result.
    let lead_id = items[0]["id"].as_str().unwrap();
    assert_eq!(
        app.admin_delete(&format!("/api/v1/leads/{lead_id}")).await,
        204
    );
    let after = app.admin_get("/api/v1/leads").await.json();
    let erased = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == lead_id)
        .unwrap();
    assert!(erased["name"].is_null() && erased["email"].is_null() && erased["company"].is_null());
    assert!(erased["erased_at"].is_string());
    assert!(
        !app.admin_get("/api/v1/leads.csv")
            .await
            .text
            .contains("three@example.com")
    );
    let assessment = app
        .get(&format!(
            "/api/v1/assessments/{}",
            ids[2]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(assessment.status, 200);
    assert!(!assessment.text.contains("three@example.com"));
    let again = app
        .admin_delete(&format!("/api/v1/leads/{}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(again, 404);
    app.stop().await;
}

/// A PostgreSQL database from before times were `TIMESTAMPTZ` (text columns, with rows)
/// upgrades in place when the server starts: the same leads at the same times, and the
/// filters compare them as times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_with_times_as_text_upgrades_in_place() {
    use sqlx::Connection;
    let url = crate::helpers::fresh_database(Engine::Postgres).await;
    let old = std::env::temp_dir().join(format!("aims-migrations-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&old).unwrap();
    let folder = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../backend/migrations/postgres"
    );
    for name in ["0001_init.sql", "0002_outbox_without_personal_data.sql"] {
        std::fs::copy(format!("{folder}/{name}"), old.join(name)).unwrap();
    }
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let before = sqlx::migrate::Migrator::new(old.clone()).await.unwrap();
    before.run(&mut conn).await.unwrap();
    std::fs::remove_dir_all(&old).unwrap();
    let input = serde_json::to_string(&quick_input()).unwrap();
    for statement in [
        format!(
            "INSERT INTO assessments (id, created_at, mode, bank_version, overall, band, blockers, \
             input_json, request_hash) VALUES ('6f1c2b8e-3a44-4d55-9e66-7f7788990011', '2026-11-30T23:59:59.999999Z', 'quick', \
             '1.0.0', 20.5, 'early', 3, '{input}', 'h')"
        ),
        "INSERT INTO leads (id, assessment_id, created_at, name, email, company, consent) \
         VALUES ('l1', '6f1c2b8e-3a44-4d55-9e66-7f7788990011', '2026-11-30T23:59:59.999999Z', 'Ada', 'ada@example.com', 'Acme', true)"
            .to_string(),
        "INSERT INTO outbox (id, lead_id, attempts, next_attempt_at, delivered_at) \
         VALUES ('o1', 'l1', 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:01.000000Z')"
            .to_string(),
    ] {
        sqlx::query(&statement).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();

    let app = TestApp::with_config(crate::helpers::config(&url)).await;
    let list = app.admin_get("/api/v1/leads").await.json();
    assert_eq!(
        list["items"][0]["created_at"],
        "2026-11-30T23:59:59.999999Z"
    );
    for (query, expected) in [
        ("to=2026-11-30", 1),
        ("from=2026-12-01", 0),
        ("to=2026-12-01T00:59:59.999999%2B01:00", 0),
        ("to=2026-12-01T01:00:00%2B01:00", 1),
    ] {
        let list = app.admin_get(&format!("/api/v1/leads?{query}")).await;
        assert_eq!(list.json()["total"], expected, "{query}");
    }
    let stored = app
        .get("/api/v1/assessments/6f1c2b8e-3a44-4d55-9e66-7f7788990011")
        .await;
    let stored = stored.json();
    assert_eq!(
        stored["created_at"], "2026-11-30T23:59:59.999999Z",
        "{stored}"
    );
    app.stop().await;
}
