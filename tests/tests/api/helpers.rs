//! Starting servers and talking to them.

use aims_backend::{Application, Config};
use reqwest::header::HeaderMap;
use serde_json::Value;
use tokio::sync::oneshot;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

/// The webhook secret the tests configure.
pub const WEBHOOK_SECRET: &str = "test-webhook-secret-0123456789abcdef";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs a test body once per engine, as two tests.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Engine::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Engine::Postgres).await
                }
            }
        )*
    };
}

/// A fresh, empty database for one test.
pub async fn fresh_database(engine: Engine) -> String {
    match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(format!("aims-test-{}", uuid::Uuid::new_v4()));
            format!("sqlite://{}/aims.db", dir.display())
        }
        Engine::Postgres => {
            let admin = std::env::var("AIMS_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
            let name = format!("aims_test_{}", uuid::Uuid::new_v4().simple());
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("PostgreSQL at 127.0.0.1:5432 (start it, or set AIMS_TEST_POSTGRES_URL)");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    }
}

pub fn config(database_url: &str) -> Config {
    let mut c = Config::defaults();
    c.listen = "127.0.0.1:0".parse().unwrap();
    c.database_url = database_url.to_string().into();
    c.admin_token = Some(ADMIN_TOKEN.into());
    c.rate_limit_per_minute = 100_000;
    c.daily_assessments_per_client = 1_000_000;
    c.admin_lockout_after = 1_000_000;
    c.allowed_origins = vec!["https://consultancy.example".to_string()];
    c
}

/// A running server; stops when dropped (or with `stop`).
pub struct TestApp {
    pub base: String,
    pub database_url: String,
    pub client: reqwest::Client,
    /// The server's shared state (its database, limits and counters).
    pub state: aims_backend::AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), String>>>,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        let url = fresh_database(engine).await;
        TestApp::with_config(config(&url)).await
    }

    pub async fn with_config(config: Config) -> TestApp {
        aims_backend::install_tls_provider();
        let database_url = config.database_url.0.clone();
        let app = Application::build(config).await.expect("server builds");
        let address = app.address();
        let state = app.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            base: format!("http://{address}"),
            database_url,
            client: reqwest::Client::new(),
            state,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// Asks the server to stop without waiting.
    pub fn signal_stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for the server task to end (after `signal_stop`).
    pub async fn join(mut self) -> Result<(), String> {
        match self.task.take() {
            Some(task) => task.await.expect("server task"),
            None => Ok(()),
        }
    }

    /// Stops the server and waits until it has closed its database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Reply {
        Reply::from(
            self.client
                .get(self.url(path))
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn admin_get(&self, path: &str) -> Reply {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("request");
        Reply::from(r).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post_raw(path, &body.to_string(), "application/json", None)
            .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        body: &str,
        content_type: &str,
        key: Option<&str>,
    ) -> Reply {
        let mut r = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body.to_string());
        if let Some(k) = key {
            r = r.header("idempotency-key", k);
        }
        Reply::from(r.send().await.expect("request")).await
    }

    pub async fn stored_assessments(&self) -> i64 {
        self.metric("aims_assessments")
            .await
            .expect("metrics report the stored assessments")
    }

    /// The value of one line of `/metrics`, if it is there.
    pub async fn metric(&self, name: &str) -> Option<i64> {
        metric_in(&self.get("/metrics").await.text, name)
    }

    /// `DELETE` with the admin token; the status.
    pub async fn admin_delete(&self, path: &str) -> u16 {
        self.client
            .delete(self.url(path))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .expect("request")
            .status()
            .as_u16()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// The value of the line `name <value>` of a Prometheus text exposition.
pub fn metric_in(exposition: &str, name: &str) -> Option<i64> {
    exposition
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    async fn from(r: reqwest::Response) -> Reply {
        Reply {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            text: r.text().await.expect("body"),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts an RFC 9457 problem with this status, and returns its body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{}",
            self.text
        );
        let body = self.json();
        assert_eq!(body["status"], status);
        assert!(
            body["title"].is_string() && body["detail"].is_string() && body["type"].is_string()
        );
        body
    }
}

/// The quick-quiz archetype's input.
pub fn quick_input() -> Value {
    serde_json::from_str(include_str!(
        "../../../shared/tests/golden/quick-quiz-scaleup.input.json"
    ))
    .unwrap()
}

/// A full assessment with some not-applicable controls.
pub fn full_input() -> Value {
    serde_json::from_str(include_str!(
        "../../../shared/tests/golden/startup-uses-third-party-ai.input.json"
    ))
    .unwrap()
}

pub fn with_lead(mut input: Value, company: &str, email: &str) -> Value {
    input["lead"] = serde_json::json!({ "name": "Ada Lovelace", "email": email, "company": company, "consent": true });
    input
}
