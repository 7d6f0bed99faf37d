//! Health, readiness, metrics, the bank, stateless evaluation, headers and limits.

use crate::helpers::{Engine, TestApp, quick_input};
use crate::on_both_engines;
use serde_json::json;

on_both_engines!(
    health_readiness_metrics_and_bank,
    evaluate_recomputes_and_stores_nothing,
    bad_bodies_get_problems
);

async fn health_readiness_metrics_and_bank(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/readyz").await.text, "ready");
    let metrics = app.get("/metrics").await;
    assert!(
        metrics
            .header("content-type")
            .starts_with("application/openmetrics-text")
    );
    let text = &metrics.text;
    for line in [
        "# TYPE aims_assessments gauge",
        "aims_assessments 0",
        "# TYPE aims_evaluations counter",
        "aims_evaluations_total 0",
        "# EOF",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }
    // At least the connection this request came on; the client may keep another open.
    let open: u32 = text
        .lines()
        .find_map(|l| l.strip_prefix("aims_connections_open "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        (1..=4).contains(&open),
        "aims_connections_open {open} in {text}"
    );
    // The first request's response is counted once it has been sent.
    let again = app.get("/metrics").await.text;
    assert!(
        again.contains("aims_http_responses_total{class=\"2xx\"} "),
        "{again}"
    );
    let bank = app.get("/api/v1/bank").await.json();
    assert_eq!(bank["version"], "2.0.0");
    assert_eq!(bank["accepts_versions"], json!(["1.0.0"]));
    let questions = bank["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 81);
    assert!(questions.iter().all(|q| q["id"].is_string()
        && q["refs"].is_array()
        && q["quick"].is_boolean()
        && q["text"].is_string()
        && q["help"].is_string()));
    assert!(
        questions
            .iter()
            .any(|q| q["applicability"]["applies_when"] == "develops")
    );
    let demo = app.get("/").await;
    assert!(demo.text.contains("AIMS Readiness"));
    assert!(
        demo.header("content-security-policy")
            .contains("default-src 'self'")
    );
    assert_eq!(demo.header("x-content-type-options"), "nosniff");
    app.stop().await;
}

async fn evaluate_recomputes_and_stores_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let input = quick_input();
    let r = app.post_json("/api/v1/evaluate", &input).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let expected: serde_json::Value =
        serde_json::from_str(&aims_engine::evaluate_json(&input.to_string()).unwrap()).unwrap();
    assert_eq!(r.json(), expected);
    assert_eq!(app.stored_assessments().await, 0);

    // A score sent by the browser is refused, not trusted.
    let mut forged = quick_input();
    forged["result"] = json!({ "overall": 100, "band": "audit_ready" });
    let body = app
        .post_json("/api/v1/evaluate", &forged)
        .await
        .problem(400);
    assert_eq!(body["errors"][0]["pointer"], "/result");
    app.stop().await;
}

async fn bad_bodies_get_problems(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for path in ["/api/v1/evaluate", "/api/v1/assessments"] {
        let mut input = quick_input();
        input["answers"][4]["level"] = json!(9);
        let body = app.post_json(path, &input).await.problem(422);
        assert_eq!(body["errors"][0]["pointer"], "/answers/4/level");
        let question = input["answers"][4]["question"].as_str().unwrap();
        assert!(body["detail"].as_str().unwrap().contains(question));

        app.post_raw(path, "{\"mode\":", "application/json", None)
            .await
            .problem(400);
        app.post_raw(path, "[1, 2]", "application/json", None)
            .await
            .problem(400);
        app.post_raw(path, &quick_input().to_string(), "text/plain", None)
            .await
            .problem(415);
        let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
        app.post_raw(path, &huge, "application/json", None)
            .await
            .problem(413);
        let mut wrong = quick_input();
        wrong["profile"]["size"] = json!("huge");
        let body = app.post_json(path, &wrong).await.problem(400);
        assert_eq!(body["errors"][0]["pointer"], "/profile/size");
    }
    app.get("/nowhere").await.problem(404);
    app.get("/api/v1/assessments/not-an-id").await.problem(404);
    assert_eq!(
        app.stored_assessments().await,
        0,
        "nothing is stored on any error"
    );
    app.stop().await;
}

#[tokio::test]
async fn posts_beyond_the_rate_limit_get_429_with_retry_after() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.rate_limit_per_minute = 3;
    let app = TestApp::with_config(config).await;
    for _ in 0..3 {
        assert_eq!(
            app.post_json("/api/v1/evaluate", &quick_input())
                .await
                .status,
            200
        );
    }
    let r = app.post_json("/api/v1/evaluate", &quick_input()).await;
    r.problem(429);
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(
        app.get("/healthz").await.status,
        200,
        "reads are not limited"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_widget_and_the_bank_are_public_and_writes_are_for_configured_origins_only() {
    let dir = std::env::temp_dir().join(format!("aims-widget-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("aims-readiness.js"), "export {};").unwrap();
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.widget_dir = dir.clone();
    let app = TestApp::with_config(config).await;
    let get = |path: &'static str, origin: &'static str| {
        let request = app.client.get(app.url(path)).header("origin", origin);
        async move { request.send().await.unwrap() }
    };
    let header = |r: &reqwest::Response, name: &str| {
        let values: Vec<String> = r
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        values.join(" | ")
    };

    // A listed origin gets itself back, once, and may read whether it may send results.
    let allowed = get("/api/v1/bank", "https://consultancy.example").await;
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        "https://consultancy.example"
    );
    assert_eq!(header(&allowed, "aims-origin-allowed"), "yes");
    assert!(header(&allowed, "access-control-expose-headers").contains("aims-origin-allowed"));
    // Any other site may read the bank and load the widget, and learns that it may not
    // send results.
    let other = get("/api/v1/bank", "https://site-builder.example").await;
    assert_eq!(other.status(), 200);
    assert_eq!(header(&other, "access-control-allow-origin"), "*");
    assert_eq!(header(&other, "aims-origin-allowed"), "no");
    assert!(header(&other, "access-control-expose-headers").contains("aims-origin-allowed"));
    let widget = get("/widget/aims-readiness.js", "https://site-builder.example").await;
    assert_eq!(widget.status(), 200);
    assert_eq!(header(&widget, "access-control-allow-origin"), "*");
    assert_eq!(
        header(&widget, "cross-origin-resource-policy"),
        "cross-origin"
    );
    let widget = get("/widget/aims-readiness.js", "https://consultancy.example").await;
    assert_eq!(
        header(&widget, "access-control-allow-origin"),
        "https://consultancy.example"
    );
    // The script that sizes an iframe to the embed page is public too.
    let frame = get("/embed/frame.js", "https://site-builder.example").await;
    assert_eq!(frame.status(), 200);
    assert!(header(&frame, "content-type").starts_with("text/javascript"));
    assert_eq!(header(&frame, "access-control-allow-origin"), "*");
    assert!(frame.text().await.unwrap().contains("aims:height"));
    // The page on the server's own origin is allowed without being listed.
    let own = app
        .client
        .get(app.url("/api/v1/bank"))
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(header(&own, "aims-origin-allowed"), "yes");

    // Writes: only the listed origin passes the preflight.
    let preflight = |origin: &'static str| {
        let request = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/assessments"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            );
        async move { request.send().await.unwrap() }
    };
    let listed = preflight("https://consultancy.example").await;
    assert!(listed.status().is_success());
    assert_eq!(
        header(&listed, "access-control-allow-origin"),
        "https://consultancy.example"
    );
    let unlisted = preflight("https://site-builder.example").await;
    assert!(
        unlisted
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_broken_bank_file_stops_the_start_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("aims-bank-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bank.json");
    std::fs::write(
        &path,
        aims_engine::DEFAULT_BANK_JSON.replacen("\"q-4-1\"", "\"q-4-2\"", 1),
    )
    .unwrap();
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.bank = Some(path);
    let error = match aims_backend::Application::build(config).await {
        Ok(_) => panic!("an invalid bank was accepted"),
        Err(e) => e,
    };
    assert!(
        error.contains("invalid") && error.contains("q-4-2"),
        "{error}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_resolves_every_reference() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let r = app.get("/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/api/v1/bank", "get"),
        ("/api/v1/evaluate", "post"),
        ("/api/v1/assessments", "post"),
        ("/api/v1/assessments/{id}", "get"),
        ("/api/v1/assessments/{id}/report", "get"),
        ("/api/v1/assessments/{id}/soa.csv", "get"),
        ("/api/v1/assessments/{id}/controls.csv", "get"),
        ("/api/v1/leads", "get"),
        ("/api/v1/leads.csv", "get"),
        ("/api/v1/leads/{id}", "delete"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} undocumented"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "AssessmentInput",
        "Evaluation",
        "Readiness",
        "Gap",
        "Roadmap",
        "BankData",
        "ProblemDetails",
        "Status",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(schemas.contains_key(name), "dangling $ref {r}");
    }
    app.stop().await;
}

fn collect_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap().to_string());
                } else {
                    collect_refs(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_widget_is_served_precompressed_with_long_caching_for_hashed_names() {
    let dir = std::env::temp_dir().join(format!("aims-widget-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("aims-readiness.0123abcd.js"),
        "console.log('plain');",
    )
    .unwrap();
    std::fs::write(dir.join("aims-readiness.0123abcd.js.br"), b"brotli bytes").unwrap();
    std::fs::write(
        dir.join("aims-readiness.js"),
        "import './aims-readiness.0123abcd.js';",
    )
    .unwrap();
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.widget_dir = dir.clone();
    let app = TestApp::with_config(config).await;

    let br = app
        .client
        .get(app.url("/widget/aims-readiness.0123abcd.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.headers()["vary"], "accept-encoding");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");

    let plain = app.get("/widget/aims-readiness.0123abcd.js").await;
    assert_eq!(plain.text, "console.log('plain');");
    assert_eq!(
        plain.header("vary"),
        "accept-encoding",
        "a cache must not hand the brotli bytes to a client that did not ask for them"
    );
    let loader = app.get("/widget/aims-readiness.js").await;
    assert_eq!(loader.status, 200);
    assert_eq!(
        loader.header("cache-control"),
        "no-cache",
        "the loader's name is stable, so it is revalidated"
    );
    assert_eq!(loader.header("x-content-type-options"), "nosniff");

    for path in [
        "/widget/../Cargo.toml",
        "/widget/%2e%2e/Cargo.toml",
        "/widget/..%2fCargo.toml",
        "/widget/missing.js",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text.contains("[package]"));
    }
    app.stop().await;
}

#[tokio::test]
async fn the_embed_page_holds_one_widget_and_may_be_framed_as_configured() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.frame_ancestors = "'self' https://consultancy.example".to_string();
    let app = TestApp::with_config(config).await;

    let quick = app.get("/embed").await;
    assert_eq!(quick.status, 200);
    assert!(quick.header("content-type").starts_with("text/html"));
    assert_eq!(quick.text.matches("data-aims-readiness").count(), 1);
    assert!(quick.text.contains("data-mode=\"quick\""));
    assert!(quick.text.contains("data-api=\"\""));
    assert!(quick.text.contains("src=\"/widget/aims-readiness.js\""));
    let csp = quick.header("content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self' https://consultancy.example"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline"),
        "the embed page needs no inline script or style: {csp}"
    );

    let full = app.get("/embed?mode=full").await;
    assert!(full.text.contains("data-mode=\"full\""));
    // Anything else is the quick quiz; the query never reaches the page.
    let odd = app
        .get("/embed?mode=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
        .await;
    assert_eq!(odd.status, 200);
    assert!(odd.text.contains("data-mode=\"quick\""));
    assert!(!odd.text.contains("alert(1)"));
    app.stop().await;
}

#[tokio::test]
async fn the_demo_page_embeds_the_widget_like_a_customer_would() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("data-aims-readiness"));
    assert!(
        page.text
            .contains("<script type=\"module\" src=\"/widget/aims-readiness.js\"></script>")
    );
    assert!(
        page.header("content-security-policy")
            .contains("default-src 'self'")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_frame_ancestors_setting_that_is_not_a_source_list_stops_the_start() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.frame_ancestors = "https://a.example; script-src *".to_string();
    let error = match aims_backend::Application::build(config).await {
        Ok(_) => panic!("a CSP injection was accepted"),
        Err(e) => e,
    };
    assert!(error.contains("--frame-ancestors"), "{error}");
}

#[tokio::test]
async fn the_consultancy_call_to_action_reaches_the_widget_through_the_bank() {
    let url = crate::helpers::fresh_database(Engine::Sqlite).await;
    let mut config = crate::helpers::config(&url);
    config.cta_label = Some("Book your readiness call".into());
    config.cta_url = Some("https://consultancy.example/book?band={band}".into());
    let app = TestApp::with_config(config).await;
    let bank = app.get("/api/v1/bank").await.json();
    assert_eq!(
        bank["site"]["cta"],
        json!({ "label": "Book your readiness call", "url": "https://consultancy.example/book?band={band}" })
    );
    app.stop().await;

    // Without the flag the bank says nothing about a call to action.
    let app = TestApp::spawn(Engine::Sqlite).await;
    assert!(app.get("/api/v1/bank").await.json().get("site").is_none());
    app.stop().await;

    for (label, cta_url, expected) in [
        (None, "javascript:alert(1)", "--cta-url"),
        (None, "consultancy.example/book", "--cta-url"),
        (
            Some("x".repeat(61)),
            "https://consultancy.example",
            "--cta-label",
        ),
    ] {
        let mut config = crate::helpers::config(&url);
        config.cta_label = label;
        config.cta_url = Some(cta_url.into());
        let error = match aims_backend::Application::build(config).await {
            Ok(_) => panic!("{cta_url} was accepted"),
            Err(e) => e,
        };
        assert!(error.contains(expected), "{error}");
    }
}
