//! Admin endpoints: token, lead list and filters, CSV export, erasure.

use crate::assessments::parse_csv;
use crate::helpers::{ADMIN_TOKEN, Engine, TestApp, quick_input, with_lead};
use crate::on_both_engines;

on_both_engines!(admin_needs_the_token, leads_are_listed_exported_and_erased);

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
        ("First Ltd", "one@example.com"),
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
    assert_eq!(items[0]["overall"], ids[2]["result"]["overall"]);
    assert_eq!(items[0]["assessment_id"], ids[2]["id"]);
    let page2 = app
        .admin_get("/api/v1/leads?per_page=2&page=2")
        .await
        .json();
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);

    let band = ids[0]["result"]["band"].as_str().unwrap();
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

    // Erasure removes the personal data and keeps the anonymous result.
    let lead_id = items[0]["id"].as_str().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/leads/{lead_id}")))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
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
        .client
        .delete(app.url(&format!("/api/v1/leads/{}", uuid::Uuid::new_v4())))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    app.stop().await;
}
