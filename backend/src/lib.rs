//! The AIMS Readiness API. Every score it returns is computed by `aims-engine` from the
//! answers; nothing the browser computed is trusted.

mod http;

use aims_engine::Bank;
use clap::Parser;
use std::net::SocketAddr;
use std::sync::Arc;

pub use axum::Router;
pub use http::router;

/// Server configuration: every flag is also an environment variable.
#[derive(Debug, Clone, Parser)]
#[command(name = "aims-backend", version, about = "The AIMS Readiness API")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "AIMS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// A custom question bank (JSON, same format as the embedded one); checked at start.
    #[arg(long, env = "AIMS_BANK")]
    pub bank: Option<std::path::PathBuf>,
}

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The active question bank.
    pub bank: Arc<Bank>,
    /// The bank as served by `GET /api/v1/bank`, serialised once.
    pub bank_json: Arc<str>,
}

impl AppState {
    /// State around a bank.
    pub fn new(bank: Bank) -> AppState {
        let bank_json = serde_json::to_string(bank.data()).expect("banks serialise");
        AppState {
            bank: Arc::new(bank),
            bank_json: bank_json.into(),
        }
    }
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

/// Binds, serves until Ctrl-C or SIGTERM, and lets in-flight requests finish.
pub async fn serve(config: Config) -> Result<(), String> {
    let state = AppState::new(load_bank(&config)?);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%address, bank_version = state.bank.version(), "AIMS Readiness API listening; demo page at http://{address}/");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Serves `app` on an already bound listener until the process is asked to stop.
pub async fn serve_on(listener: tokio::net::TcpListener, app: Router) {
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        tracing::error!(error = %e, "server error");
    }
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
    tracing::info!("shutting down");
}
