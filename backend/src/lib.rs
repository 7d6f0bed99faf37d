//! The AIMS Readiness API. Every score it returns or stores is computed by `aims-engine`
//! from the answers; nothing the browser computed is trusted.
//!
//! `build(config)` gives an [`Application`] bound to its address (port 0 works), so
//! tests start the real server; `main.rs` only parses the configuration and runs it.

pub mod db;
mod http;
pub mod metrics;
pub use aims_engine::report;
mod webhook;

use aims_engine::Bank;
use clap::Parser;
use std::net::SocketAddr;
use std::sync::Arc;

pub use axum::Router;
pub use http::router;

/// Server configuration: every flag is also an environment variable. Secrets are never
/// printed (`Debug` hides the admin token).
#[derive(Clone, Parser)]
#[command(name = "aims-backend", version, about = "The AIMS Readiness API")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "AIMS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// `sqlite://path` (default: a file under ./data/) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/aims.db")]
    pub database_url: String,
    /// Bearer token for the admin endpoints; without it they are off.
    #[arg(long, env = "AIMS_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Origins allowed to call the API from a browser (comma-separated).
    #[arg(long, env = "AIMS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// A custom question bank (JSON, same format as the embedded one); checked at start.
    #[arg(long, env = "AIMS_BANK")]
    pub bank: Option<std::path::PathBuf>,
    /// Where new leads are POSTed (http:// URL), from a durable outbox with retries.
    #[arg(long, env = "AIMS_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
    /// POST requests allowed per client IP per minute.
    #[arg(long, env = "AIMS_RATE_LIMIT_PER_MINUTE", default_value_t = 120)]
    pub rate_limit_per_minute: u32,
    /// Folder with the built widget, served under /widget/.
    #[arg(long, env = "AIMS_WIDGET_DIR", default_value = "target/widget")]
    pub widget_dir: std::path::PathBuf,
    /// Who may frame the /embed page (CSP frame-ancestors), e.g. `https://consultancy.example`.
    #[arg(long, env = "AIMS_FRAME_ANCESTORS", default_value = "*")]
    pub frame_ancestors: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database", &redact_url(&self.database_url))
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<set>"))
            .field("allowed_origins", &self.allowed_origins)
            .field("bank", &self.bank)
            .field("webhook_url", &self.webhook_url.as_ref().map(|_| "<set>"))
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .finish()
    }
}

/// The database URL without a password, for logs.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_string(),
    }
}

impl Config {
    /// The defaults, as if started without flags (for tests).
    pub fn defaults() -> Config {
        Config::parse_from(["aims-backend"])
    }
}

/// What every request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The active question bank.
    pub bank: Arc<Bank>,
    /// The bank as served by `GET /api/v1/bank`, serialised once.
    pub bank_json: Arc<str>,
    /// Storage.
    pub db: db::Database,
    /// The write queue for assessments (group commit).
    pub writer: db::Writer,
    /// Configuration.
    pub config: Arc<Config>,
    /// Counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Per-IP limiter for POST requests.
    pub limiter: Arc<http::RateLimiter>,
}

impl AppState {
    /// The bank of a given version: the active one, or the embedded default (which
    /// assessments made before a custom bank was configured used).
    pub fn bank_for(&self, version: &str) -> Option<&Bank> {
        if self.bank.version() == version {
            Some(&self.bank)
        } else if Bank::embedded().version() == version {
            Some(Bank::embedded())
        } else {
            None
        }
    }
}

/// Makes rustls (used by outgoing HTTPS requests, such as webhooks) use the ring
/// crypto provider. Harmless to call more than once.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Loads the configured bank: the embedded one, or a file validated now so that a bad
/// file stops the server at start with a message naming the problem.
pub fn load_bank(config: &Config) -> Result<Bank, String> {
    match &config.bank {
        None => Ok(Bank::embedded().clone()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the bank file {}: {e}", path.display()))?;
            Bank::from_json(&text)
                .map_err(|e| format!("the bank file {} is invalid: {e}", path.display()))
        }
    }
}

/// A configured server, bound to its address, not yet serving.
pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
}

impl Application {
    /// Loads the bank, connects to the database (running migrations) and binds.
    pub async fn build(config: Config) -> Result<Application, String> {
        let bank = load_bank(&config)?;
        http::embed::check_frame_ancestors(&config.frame_ancestors)?;
        let db = db::Database::connect(&config.database_url)
            .await
            .map_err(|e| {
                format!(
                    "cannot open the database {}: {e}",
                    redact_url(&config.database_url)
                )
            })?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let bank_json = serde_json::to_string(bank.data()).expect("banks serialise");
        let state = AppState {
            bank: Arc::new(bank),
            bank_json: bank_json.into(),
            writer: db::Writer::start(db.clone()),
            db,
            limiter: Arc::new(http::RateLimiter::new(config.rate_limit_per_minute)),
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
        };
        Ok(Application { listener, state })
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The shared state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes; in-flight requests finish first.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        let address = self.address();
        let state = self.state;
        tracing::info!(%address, engine = state.db.engine(), bank_version = state.bank.version(),
            "AIMS Readiness API listening; demo page at http://{address}/");
        let worker = state.config.webhook_url.clone().map(|url| {
            tokio::spawn(webhook::deliver_forever(
                state.db.clone(),
                state.metrics.clone(),
                url,
            ))
        });
        let db = state.db.clone();
        let app = router(state);
        let result = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("server error: {e}"));
        if let Some(worker) = worker {
            worker.abort();
        }
        db.close().await;
        result
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run(self) -> Result<(), String> {
        self.run_until(shutdown_signal()).await
    }
}

/// Builds and serves with the given configuration until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    tracing::info!(config = ?config, "starting");
    Application::build(config).await?.run().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
