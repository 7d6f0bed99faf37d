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
        let r = app
            .post_json(
                "/api/v1/assessments",
                &with_lead(quick_input(), company, email),
            )
            .await;
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
    assert_eq!(rows[0][..4], ["id", "created_at", "name", "email"]);
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
