//! The API over real HTTP: a server on port 0 per test, the same engine behind it.

use aims_engine::Bank;
use serde_json::{Value, json};

struct Server {
    base: String,
    client: reqwest::Client,
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = aims_backend::router(aims_backend::AppState::new(Bank::embedded().clone()));
    tokio::spawn(async move { axum_serve(listener, app).await });
    Server {
        base: format!("http://{address}"),
        client: reqwest::Client::new(),
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, app: aims_backend::Router) {
    aims_backend::serve_on(listener, app).await;
}

fn sample() -> Value {
    serde_json::from_str(include_str!(
        "../../shared/tests/golden/quick-quiz-scaleup.input.json"
    ))
    .unwrap()
}

impl Server {
    async fn post(&self, path: &str, body: &str, content_type: &str) -> (u16, String, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        (
            status,
            ct,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }
}

#[tokio::test]
async fn health_and_bank_are_served() {
    let s = start().await;
    let r = s
        .client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bank: Value = s
        .client
        .get(format!("{}/api/v1/bank", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bank["version"], "1.0.0");
    let questions = bank["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 81);
    assert!(
        questions
            .iter()
            .all(|q| q["id"].is_string() && q["refs"].is_array() && q["quick"].is_boolean())
    );
    let demo = s
        .client
        .get(&s.base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(demo.contains("AIMS Readiness"));
}

#[tokio::test]
async fn evaluate_recomputes_with_the_engine() {
    let s = start().await;
    let input = sample();
    let (status, ct, body) = s
        .post("/api/v1/evaluate", &input.to_string(), "application/json")
        .await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/json"));
    let expected = aims_engine::evaluate_json(&input.to_string()).unwrap();
    assert_eq!(body, serde_json::from_str::<Value>(&expected).unwrap());
    assert_eq!(body["roadmap"]["phases"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn a_score_sent_by_the_browser_is_refused_not_trusted() {
    let s = start().await;
    let mut input = sample();
    input["result"] = json!({ "overall": 100, "band": "audit_ready" });
    let (status, ct, body) = s
        .post("/api/v1/evaluate", &input.to_string(), "application/json")
        .await;
    assert_eq!(status, 400);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["errors"][0]["pointer"], "/result");
}

#[tokio::test]
async fn bad_input_gets_a_problem_naming_the_field() {
    let s = start().await;
    let mut input = sample();
    input["answers"][3]["level"] = json!(9);
    let (status, ct, body) = s
        .post("/api/v1/evaluate", &input.to_string(), "application/json")
        .await;
    assert_eq!(status, 422);
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["status"], 422);
    assert_eq!(body["errors"][0]["pointer"], "/answers/3/level");
    let question = input["answers"][3]["question"].as_str().unwrap();
    assert!(body["detail"].as_str().unwrap().contains(question));

    let (status, _, body) = s
        .post("/api/v1/evaluate", "{\"mode\":", "application/json")
        .await;
    assert_eq!(status, 400);
    assert!(body["title"].is_string());

    let (status, _, _) = s
        .post("/api/v1/evaluate", &sample().to_string(), "text/plain")
        .await;
    assert_eq!(status, 415);

    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    let (status, ct, _) = s.post("/api/v1/evaluate", &huge, "application/json").await;
    assert_eq!((status, ct.as_str()), (413, "application/problem+json"));

    let r = s
        .client
        .get(format!("{}/nowhere", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
