//! `aims-backend`: starts the API. Configuration comes from flags or environment variables.
#![forbid(unsafe_code)]

use clap::Parser;
use std::io::IsTerminal;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let config = aims_backend::Config::parse();
    match aims_backend::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("aims-backend: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
