//! `aims-backend`: starts the API (configuration from flags or environment variables), or
//! with `admin create` makes a console account.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Parser)]
#[command(name = "aims-backend", version, about = "The AIMS Readiness server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: aims_backend::Config,
}

#[derive(Subcommand)]
enum Command {
    /// Console accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Creates a console account; the password is read from standard input (one line),
    /// never from the command line, and there is no default one.
    Create {
        /// The account's email, which it signs in with.
        #[arg(long)]
        email: String,
        /// `owner` (everything) or `viewer` (reads only).
        #[arg(long, default_value = "owner", value_parser = ["owner", "viewer"])]
        role: String,
        /// Read the password from standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let cli = Cli::parse();
    let done = match cli.command {
        None => aims_backend::serve(cli.config).await,
        Some(Command::Admin {
            action: AdminAction::Create { email, role, .. },
        }) => {
            let mut password = String::new();
            match std::io::stdin().lock().read_line(&mut password) {
                Ok(_) => {
                    let password = password.trim_end_matches(['\r', '\n']);
                    let role = aims_backend::db::Role::parse(&role).expect("clap checked it");
                    aims_backend::create_account(&cli.config, &email, password, role)
                        .await
                        .map(|()| {
                            println!(
                                "created the {} account {}",
                                role.as_str(),
                                email.trim().to_lowercase()
                            )
                        })
                }
                Err(e) => Err(format!("cannot read the password from standard input: {e}")),
            }
        }
    };
    match done {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("aims-backend: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
