//! Storing assessments: recomputation, leads, idempotency, persistence and reports.

use crate::helpers::{Engine, TestApp, full_input, quick_input, with_lead};
use crate::on_both_engines;
use serde_json::json;

on_both_engines!(
    assessments_and_reports_are_not_cached,
    stored_assessments_are_recomputed_and_readable,
    leads_need_consent_and_a_valid_email,
    idempotency_keys_make_retries_safe,
    assessments_survive_a_restart,
    reports_escape_everything_and_export_the_soa,
);

/// Whoever holds an assessment's ID may read it, by design; caches on the way may not keep it.
async fn assessments_and_reports_are_not_cached(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let r = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(full_input(), "Acme", "ada@example.com"),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.header("cache-control"), "no-store");
    let id = r.json()["id"].as_str().unwrap().to_string();
    for path in [
        "",
        "/report",
        "/report?format=md",
        "/soa.csv",
        "/controls.csv",
    ] {
        let r = app.get(&format!("/api/v1/assessments/{id}{path}")).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
    }
    let evaluated = app.post_json("/api/v1/evaluate", &full_input()).await;
    assert_eq!(evaluated.header("cache-control"), "no-store");
    for path in ["/api/v1/leads", "/api/v1/leads.csv"] {
        assert_eq!(
            app.admin_get(path).await.header("cache-control"),
            "no-store",
            "{path}"
        );
    }
    let missing = app
        .get(&format!("/api/v1/assessments/{}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), "no-store");
    app.stop().await;
}

async fn stored_assessments_are_recomputed_and_readable(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let input = quick_input();
    let r = app.post_json("/api/v1/assessments", &input).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let body = r.json();
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        uuid::Uuid::parse_str(id).unwrap().get_version_num(),
        4,
        "IDs carry 122 random bits"
    );
    assert_eq!(r.header("location"), format!("/api/v1/assessments/{id}"));
    let expected: serde_json::Value =
        serde_json::from_str(&aims_engine::evaluate_json(&input.to_string()).unwrap()).unwrap();
    // The reply is the headline, computed by the server from the answers.
    assert!(
        body.get("result").is_none(),
        "the summary, not the whole evaluation"
    );
    let summary = &body["summary"];
    assert_eq!(summary["overall"], expected["result"]["overall"]);
    assert_eq!(summary["band"], expected["result"]["band"]);
    assert_eq!(summary["blockers"], expected["result"]["blockers"]);
    for range in ["effort_days", "weeks_to_ready", "weeks_to_certification"] {
        assert_eq!(summary[range], expected["estimate"][range], "{range}");
    }
    for (link, path) in [
        ("self", ""),
        ("report", "/report"),
        ("soa", "/soa.csv"),
        ("controls", "/controls.csv"),
    ] {
        assert_eq!(
            body["links"][link],
            format!("/api/v1/assessments/{id}{path}")
        );
    }
    assert!(r.text.len() < 2_000, "{} bytes", r.text.len());

    // Asked for, the whole evaluation (RFC 7240).
    let full = app
        .client
        .post(app.url("/api/v1/assessments"))
        .header("content-type", "application/json")
        .header("prefer", "respond-async, return=representation")
        .body(input.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 201);
    assert_eq!(
        full.headers()["preference-applied"],
        "return=representation"
    );
    let full: serde_json::Value = full.json().await.unwrap();
    assert_eq!(full["result"], expected["result"]);
    assert_eq!(full["estimate"], expected["estimate"]);
    let phases: Vec<u64> = full["roadmap"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(phases, [1, 2, 3, 4, 5, 6]);

    let read = app.get(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(read.status, 200);
    let read = read.json();
    assert_eq!(read["result"], expected["result"]);
    assert_eq!(read["estimate"], expected["estimate"]);
    assert_eq!(read["input"]["answers"], input["answers"]);
    assert!(read.get("lead").is_none() && read["input"].get("lead").is_none());
    app.get(&format!("/api/v1/assessments/{}", uuid::Uuid::new_v4()))
        .await
        .problem(404);
    assert_eq!(app.stored_assessments().await, 2);
    app.stop().await;
}

async fn leads_need_consent_and_a_valid_email(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut no_consent = with_lead(quick_input(), "Acme", "ada@example.com");
    no_consent["lead"]["consent"] = json!(false);
    let body = app
        .post_json("/api/v1/assessments", &no_consent)
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["pointer"], "/lead/consent");

    let bad_email = with_lead(quick_input(), "Acme", "ada-at-example");
    let body = app
        .post_json("/api/v1/assessments", &bad_email)
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["pointer"], "/lead/email");

    // Phone and role are optional, and checked when given; nothing is stored when refused.
    for (field, value) in [("phone", "call me maybe"), ("role", "Chief\nofficer")] {
        let mut bad = with_lead(quick_input(), "Acme", "ada@example.com");
        bad["lead"][field] = json!(value);
        let before = app.stored_assessments().await;
        let body = app
            .post_json("/api/v1/assessments", &bad)
            .await
            .problem(422);
        assert_eq!(body["errors"][0]["pointer"], format!("/lead/{field}"));
        assert_eq!(app.stored_assessments().await, before);
    }

    let mut missing = with_lead(quick_input(), "Acme", "ada@example.com");
    missing["lead"].as_object_mut().unwrap().remove("consent");
    let body = app
        .post_json("/api/v1/assessments", &missing)
        .await
        .problem(400);
    assert_eq!(body["errors"][0]["pointer"], "/lead");

    let mut extra = with_lead(quick_input(), "Acme", "ada@example.com");
    extra["lead"]["score"] = json!(100);
    app.post_json("/api/v1/assessments", &extra)
        .await
        .problem(400);
    assert_eq!(app.stored_assessments().await, 0, "nothing half-stored");

    let ok = app
        .post_json(
            "/api/v1/assessments",
            &with_lead(quick_input(), "Acme", "ada@example.com"),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(app.stored_assessments().await, 1);
    app.stop().await;
}

async fn idempotency_keys_make_retries_safe(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = with_lead(quick_input(), "Acme", "ada@example.com").to_string();
    let first = app
        .post_raw(
            "/api/v1/assessments",
            &body,
            "application/json",
            Some("retry-123"),
        )
        .await;
    assert_eq!(first.status, 201);
    let again = app
        .post_raw(
            "/api/v1/assessments",
            &body,
            "application/json",
            Some("retry-123"),
        )
        .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(app.stored_assessments().await, 1);
    let leads = app.admin_get("/api/v1/leads").await.json();
    assert_eq!(leads["total"], 1, "the retry stored no second lead");

    let other = quick_input().to_string();
    app.post_raw(
        "/api/v1/assessments",
        &other,
        "application/json",
        Some("retry-123"),
    )
    .await
    .problem(422);
    app.post_raw(
        "/api/v1/assessments",
        &other,
        "application/json",
        Some("bad key with spaces"),
    )
    .await
    .problem(400);
    assert_eq!(app.stored_assessments().await, 1);

    // Concurrent retries with one key still store one assessment.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url("/api/v1/assessments");
            let body = other.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("idempotency-key", "burst-1")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()["id"]
                    .clone()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    assert!(
        ids.iter().all(|id| id == &ids[0] && id.is_string()),
        "{ids:?}"
    );
    assert_eq!(app.stored_assessments().await, 2);
    app.stop().await;
}

async fn assessments_survive_a_restart(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let url = app.database_url.clone();
    let r = app
        .post_json("/api/v1/assessments", &full_input())
        .await
        .json();
    let id = r["id"].as_str().unwrap().to_string();
    app.stop().await;

    let again = TestApp::with_config(crate::helpers::config(&url)).await;
    let read = again.get(&format!("/api/v1/assessments/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["result"]["overall"], r["summary"]["overall"]);
    assert_eq!(
        read.json()["estimate"]["effort_days"],
        r["summary"]["effort_days"]
    );
    again.stop().await;
}

async fn reports_escape_everything_and_export_the_soa(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let hostile = "<script>alert(1)</script>";
    let mut input = with_lead(full_input(), hostile, "ada@example.com");
    // A justification that a spreadsheet would run as a formula.
    input["answers"][47]["justification"] = json!("=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(input["answers"][47]["level"], "not_applicable");
    let r = app.post_json("/api/v1/assessments", &input).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();

    let html = app.get(&format!("/api/v1/assessments/{id}/report")).await;
    assert_eq!(html.status, 200);
    assert!(html.header("content-type").starts_with("text/html"));
    assert!(
        html.header("content-security-policy")
            .contains("default-src 'none'")
    );
    assert!(
        !html.text.contains(hostile),
        "the organisation name is text, not markup"
    );
    assert!(
        html.text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    for phase in [
        "Planning &#38; Scoping",
        "Certification &#38; Continuous Improvement",
    ] {
        assert!(html.text.contains(phase), "{phase}");
    }

    let md = app
        .get(&format!("/api/v1/assessments/{id}/report?format=md"))
        .await;
    assert!(md.header("content-type").starts_with("text/markdown"));
    assert!(md.text.contains("Gap Analysis Report"));
    assert!(!md.text.contains(hostile));
    app.get(&format!("/api/v1/assessments/{id}/report?format=pdf"))
        .await
        .problem(400);

    let soa = app.get(&format!("/api/v1/assessments/{id}/soa.csv")).await;
    assert!(soa.header("content-type").starts_with("text/csv"));
    assert!(soa.header("content-disposition").starts_with("attachment"));
    let rows = parse_csv(&soa.text);
    assert_eq!(rows.len(), 1 + 38, "header and one row per Annex A control");
    let excluded: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.get(3).map(String::as_str) == Some("no"))
        .collect();
    assert_eq!(
        excluded.len(),
        8,
        "the startup's not-applicable development controls"
    );
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c.starts_with("'=HYPERLINK("))),
        "formula neutralised"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.iter().any(|c| c.starts_with("=HYPERLINK(")))
    );

    let controls = app
        .get(&format!("/api/v1/assessments/{id}/controls.csv"))
        .await;
    assert_eq!(parse_csv(&controls.text).len(), 1 + 62);
    app.stop().await;
}

/// Every record of a CSV text, the header included.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn shutting_down_lets_a_request_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut app = TestApp::spawn(Engine::Sqlite).await;
    let body = quick_input().to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/assessments HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // SIGTERM arrives while the body is still on its way.
    app.signal_stop();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "{}",
        &response[..response.len().min(200)]
    );
    app.join()
        .await
        .expect("the server stopped cleanly after answering");
}

/// An assessment stored before control characters were refused still reads, without them.
#[tokio::test]
async fn assessments_stored_with_control_characters_still_read_without_them() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let r = app.post_json("/api/v1/assessments", &full_input()).await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
    let stored: String = sqlx::query_scalar("SELECT input_json FROM assessments WHERE id = ?")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut input: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let answer = input["answers"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["level"] == "not_applicable")
        .expect("the golden input has a not-applicable answer");
    answer["justification"] = json!("Old \u{202e}txet\u{0} row");
    sqlx::query("UPDATE assessments SET input_json = ? WHERE id = ?")
        .bind(input.to_string())
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    for path in ["", "/report", "/soa.csv"] {
        let r = app.get(&format!("/api/v1/assessments/{id}{path}")).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert!(r.text.contains("Old txet row"), "{path}");
        assert!(
            !r.text.contains('\u{202e}') && !r.text.contains("\\u202e"),
            "{path}"
        );
    }
    app.stop().await;
}
