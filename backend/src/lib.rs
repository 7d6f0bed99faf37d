//! The AIMS Readiness API. Every score it returns or stores is computed by `aims-engine`
//! from the answers; nothing the browser computed is trusted.
//!
//! `build(config)` gives an [`Application`] bound to its address (port 0 works), so
//! tests start the real server; `main.rs` only parses the configuration and runs it.
#![forbid(unsafe_code)]

pub mod clients;
pub mod db;
mod embedded_widget;
mod housekeeping;
mod http;
pub mod live;
mod mail;
pub mod metrics;
pub mod report;
pub mod server;
pub mod timestamp;
mod webhook;

use aims_engine::Bank;
use clap::Parser;
use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::sync::Arc;

pub use axum::Router;
pub use http::router;

/// Server configuration: every flag is also an environment variable. Secrets are never
/// printed (`Debug` hides them: they are `SecretString`s, the database URL's password left out).
#[derive(Clone, Debug, Parser)]
#[command(name = "aims-backend", version, about = "The AIMS Readiness API")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "AIMS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// `sqlite://path` (default: a file under ./data/) or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/aims.db")]
    pub database_url: DatabaseUrl,
    /// Bearer token for the admin endpoints (at least 32 characters); without it they are
    /// off. Prefer the environment or `--admin-token-file`: a command-line value shows in `ps`.
    #[arg(long, env = "AIMS_ADMIN_TOKEN", hide_env_values = true, value_parser = secret)]
    pub admin_token: Option<SecretString>,
    /// A file holding the admin token (surrounding whitespace ignored).
    #[arg(long, env = "AIMS_ADMIN_TOKEN_FILE", conflicts_with = "admin_token")]
    pub admin_token_file: Option<std::path::PathBuf>,
    /// Origins allowed to call the API from a browser (comma-separated).
    #[arg(long, env = "AIMS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// A custom question bank (JSON, same format as the embedded one); checked at start.
    #[arg(long, env = "AIMS_BANK")]
    pub bank: Option<std::path::PathBuf>,
    /// Where new leads are POSTed (http or https URL), from a durable outbox with retries.
    /// A secret: such URLs often carry the receiver's token.
    #[arg(long, env = "AIMS_WEBHOOK_URL", requires = "webhook_secret", hide_env_values = true, value_parser = secret)]
    pub webhook_url: Option<SecretString>,
    /// The key every webhook delivery is signed with (HMAC-SHA256, at least 32 characters).
    #[arg(long, env = "AIMS_WEBHOOK_SECRET", hide_env_values = true, value_parser = secret)]
    pub webhook_secret: Option<SecretString>,
    /// POST requests allowed per client per minute.
    #[arg(long, env = "AIMS_RATE_LIMIT_PER_MINUTE", default_value_t = 120)]
    pub rate_limit_per_minute: u32,
    /// Assessments one client may store per day (a 429 after that).
    #[arg(long, env = "AIMS_DAILY_ASSESSMENTS_PER_CLIENT", default_value_t = 200)]
    pub daily_assessments_per_client: u32,
    /// Failed admin authentications from one client, in a burst, before it is locked out
    /// (then one more attempt every 30 seconds).
    #[arg(long, env = "AIMS_ADMIN_LOCKOUT_AFTER", default_value_t = 10)]
    pub admin_lockout_after: u32,
    /// Days an assessment without a lead is kept; 0 keeps them for ever.
    #[arg(long, env = "AIMS_RETENTION_DAYS", default_value_t = 365)]
    pub retention_days: u32,
    /// Proxies whose forwarding header names the client (comma-separated addresses or
    /// CIDRs, such as `10.0.0.0/8,::1`). Nobody's by default.
    #[arg(long, env = "AIMS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,
    /// The header the trusted proxies write the client's address into.
    #[arg(
        long,
        env = "AIMS_PROXY_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub proxy_header: clients::ProxyHeader,
    /// Most connections open at once (lowered at start to fit the open-file limit).
    #[arg(long, env = "AIMS_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Most connections open at once from one client (trusted proxies are exempt).
    #[arg(long, env = "AIMS_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 64)]
    pub max_connections_per_client: usize,
    /// Seconds a client may take to send a request's head (also the idle keep-alive time).
    #[arg(long, env = "AIMS_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, env = "AIMS_BODY_TIMEOUT_SECS", default_value_t = 15)]
    pub body_timeout_secs: u64,
    /// Folder with the built widget, served under /widget/. A binary built with the
    /// `embedded-widget` feature serves its own copy when this folder does not exist.
    #[arg(long, env = "AIMS_WIDGET_DIR", default_value = "target/widget")]
    pub widget_dir: std::path::PathBuf,
    /// Who may frame the /embed page (CSP frame-ancestors), e.g. `https://consultancy.example`.
    #[arg(long, env = "AIMS_FRAME_ANCESTORS", default_value = "*")]
    pub frame_ancestors: String,
    /// The words of the results' call to action (default "Book a call"); needs `--cta-url`.
    #[arg(long, env = "AIMS_CTA_LABEL", requires = "cta_url")]
    pub cta_label: Option<String>,
    /// Where the results' call to action leads (an http or https address, such as a
    /// booking page); `{band}` and `{score}` in it become the visitor's band and score.
    /// Without it the results show no link of their own.
    #[arg(long, env = "AIMS_CTA_URL")]
    pub cta_url: Option<String>,
    /// The mail server for new-lead emails: `smtp://host:port` (plain, or
    /// `?tls=required` for STARTTLS), `smtps://host:port` (TLS); `user:password@` for
    /// authentication. A secret: it can hold a password.
    #[arg(long, env = "AIMS_SMTP_URL", hide_env_values = true, value_parser = secret)]
    pub smtp_url: Option<SecretString>,
    /// The sender of the emails, e.g. `AIMS Readiness <readiness@consultancy.example>`.
    #[arg(long, env = "AIMS_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Who is told of each new lead by email (comma-separated addresses).
    #[arg(long, env = "AIMS_NOTIFY_EMAIL", value_delimiter = ',')]
    pub notify_email: Vec<String>,
    /// This server's public address (`https://readiness.consultancy.example`), for the
    /// links in emails; without it they are paths.
    #[arg(long, env = "AIMS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Hours a console session lasts after signing in.
    #[arg(long, env = "AIMS_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,
    /// Failed console sign-ins in a row, for one email from one client, after which that
    /// client may not try that email for 15 minutes.
    #[arg(long, env = "AIMS_CONSOLE_LOCKOUT_AFTER", default_value_t = 5)]
    pub console_lockout_after: u32,
}

impl Config {
    /// Whether emails can be sent (a mail server and a sender); new-lead emails also need
    /// recipients, from `--notify-email` or the console.
    pub fn mail_enabled(&self) -> bool {
        self.smtp_url.is_some() && self.mail_from.is_some()
    }

    /// The call to action the widget is given with the bank, checked.
    pub fn call_to_action(&self) -> Result<Option<aims_engine::CallToAction>, String> {
        let Some(url) = &self.cta_url else {
            return Ok(None);
        };
        aims_engine::CallToAction::checked(self.cta_label.as_deref(), url)
            .map(Some)
            .map_err(|(field, reason)| format!("--cta-{field}: {reason}"))
    }
}

fn secret(text: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(text))
}

/// Shortest admin token and webhook secret accepted.
pub const MIN_SECRET_CHARS: usize = 32;

/// A database URL; its `Debug` leaves out the password.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl From<String> for DatabaseUrl {
    fn from(url: String) -> DatabaseUrl {
        DatabaseUrl(url)
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(&self.0))
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

    /// Reads `--admin-token-file` into the admin token, and checks the secrets' lengths
    /// and the webhook settings, so that a weak or half configuration stops the server at
    /// start with a message saying what to change.
    fn resolve_secrets(&mut self) -> Result<(), String> {
        if let Some(path) = &self.admin_token_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the admin token file {}: {e}", path.display()))?;
            self.admin_token = Some(SecretString::from(text.trim()));
        }
        let check = |what: &str, s: &Option<SecretString>| match s {
            Some(s) if s.expose_secret().chars().count() < MIN_SECRET_CHARS => Err(format!(
                "{what} is {} characters long; use at least {MIN_SECRET_CHARS} random characters (for example `openssl rand -hex 32`)",
                s.expose_secret().chars().count()
            )),
            _ => Ok(()),
        };
        check("the admin token", &self.admin_token)?;
        check("the webhook secret", &self.webhook_secret)?;
        if self.smtp_url.is_some() != self.mail_from.is_some()
            || (!self.notify_email.is_empty() && !self.mail_enabled())
        {
            return Err(
                "emails need both --smtp-url and --mail-from (and --notify-email, or recipients set in the console, for new-lead emails)"
                    .into(),
            );
        }
        if self.mail_enabled() {
            mail::check(self)?;
        }
        if self.webhook_url.is_some() && self.webhook_secret.is_none() {
            return Err("--webhook-url needs --webhook-secret (AIMS_WEBHOOK_SECRET): every delivery is signed".into());
        }
        Ok(())
    }
}

/// What every request handler can reach: one reference-counted [`Shared`], so that a
/// clone (axum makes several per request, one per middleware layer) is one counter.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The server's state, shared by every request.
pub struct Shared {
    /// The server's own question bank (`--bank`, or the embedded one): active unless an
    /// owner has activated an uploaded one.
    pub own_bank: Arc<Bank>,
    /// What the console can change, rebuilt when it does ([`live`]).
    live: std::sync::RwLock<Arc<live::Live>>,
    /// Held while `live` is rebuilt.
    reloading: tokio::sync::Mutex<()>,
    /// Storage.
    pub db: db::Database,
    /// The write queue for assessments (group commit).
    pub writer: db::Writer,
    /// Configuration.
    pub config: Arc<Config>,
    /// Counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// The per-client limits (POSTs, stored assessments, failed admin sign-ins).
    pub limits: Arc<clients::Limits>,
    /// Console sign-in attempts per email and client.
    pub sign_ins: Arc<clients::SignIns>,
    /// Whose forwarding headers are believed.
    pub proxies: Arc<clients::TrustedProxies>,
    /// The open connections.
    pub connections: server::Connections,
}

impl Shared {
    /// The settings, the active bank and what is served from them, as of now.
    pub fn live(&self) -> Arc<live::Live> {
        self.live.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The active question bank.
    pub fn bank(&self) -> Arc<Bank> {
        self.live().bank.clone()
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
    pub async fn build(mut config: Config) -> Result<Application, String> {
        config.resolve_secrets()?;
        let bank = load_bank(&config)?;
        http::console::prepare();
        config.call_to_action()?;
        http::embed::check_frame_ancestors(&config.frame_ancestors)?;
        // A release binary carries the widget: served when `--widget-dir` is not there.
        if !config.widget_dir.is_dir() && embedded_widget::present() {
            config.widget_dir = embedded_widget::extract(&std::env::temp_dir())?;
        }
        let proxies = clients::TrustedProxies::parse(&config.trusted_proxies, config.proxy_header)?;
        let db = db::Database::connect(&config.database_url.0)
            .await
            .map_err(|e| {
                format!(
                    "cannot open the database {}: {e}",
                    redact_url(&config.database_url.0)
                )
            })?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let own_bank = Arc::new(bank);
        let live = live::load(&db, &config, &own_bank, None)
            .await
            .map_err(|e| format!("cannot read the settings: {e}"))?;
        let metrics = Arc::new(metrics::Metrics::default());
        metrics
            .refresh_gauges(&db)
            .await
            .map_err(|e| format!("cannot read the database: {e}"))?;
        let connections = server::Connections::new(server::ConnectionLimits {
            max_connections: server::fit_to_file_limit(config.max_connections.max(1)),
            max_per_client: config.max_connections_per_client.max(1),
            header_timeout: std::time::Duration::from_secs(config.header_timeout_secs.max(1)),
        });
        let state = AppState(Arc::new(Shared {
            own_bank,
            live: std::sync::RwLock::new(Arc::new(live)),
            reloading: tokio::sync::Mutex::new(()),
            writer: db::Writer::start(db.clone()),
            db,
            limits: Arc::new(clients::Limits::new(
                config.rate_limit_per_minute,
                config.daily_assessments_per_client,
                config.admin_lockout_after,
            )),
            sign_ins: Arc::new(clients::SignIns::new(config.console_lockout_after)),
            proxies: Arc::new(proxies),
            connections,
            config: Arc::new(config),
            metrics,
        }));
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
        tracing::info!(%address, engine = state.db.engine(), bank_version = state.bank().version(),
            "AIMS Readiness API listening; demo page at http://{address}/");
        let mut background = vec![
            tokio::spawn(housekeeping::run_forever(state.clone())),
            tokio::spawn(live::watch(state.clone())),
            tokio::spawn(webhook::deliver_forever(state.clone())),
        ];
        if state.config.mail_enabled() {
            match mail::Mailer::new(&state.config) {
                Ok(mailer) => {
                    background.push(tokio::spawn(mail::deliver_forever(state.clone(), mailer)))
                }
                Err(e) => tracing::error!(error = %e, "new-lead emails are off"),
            }
        }
        let db = state.db.clone();
        let connections = state.connections.clone();
        let proxies = state.proxies.clone();
        let app = router(state);
        server::serve(self.listener, app, connections, proxies, shutdown).await;
        for task in background {
            task.abort();
        }
        db.close().await;
        Ok(())
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run(self) -> Result<(), String> {
        self.run_until(shutdown_signal()).await
    }
}

/// Creates a console account (`aims-backend admin create`): the email checked and stored
/// lower-case, the password at least [`http::console::MIN_PASSWORD_CHARS`] characters and
/// kept only as its argon2id hash. Runs the migrations first, so it works on a new database.
pub async fn create_account(
    config: &Config,
    email: &str,
    password: &str,
    role: db::Role,
) -> Result<(), String> {
    let email = email.trim().to_lowercase();
    if !aims_engine::valid_email(&email) {
        return Err(format!("{email:?} is not an email address"));
    }
    let chars = password.chars().count();
    if chars < http::console::MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password is {chars} characters long; use at least {}",
            http::console::MIN_PASSWORD_CHARS
        ));
    }
    let hash = http::console::hash_password(password)?;
    let db = db::Database::connect(&config.database_url.0)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                redact_url(&config.database_url.0)
            )
        })?;
    let created = db
        .create_account(&email, &hash, role)
        .await
        .map_err(|e| e.to_string());
    db.close().await;
    match created? {
        true => Ok(()),
        false => Err(format!("an account with the email {email} exists already")),
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

#[cfg(test)]
mod tests {
    use super::Config;
    use clap::Parser;

    #[test]
    fn the_logged_configuration_holds_no_secret() {
        let config = Config::parse_from([
            "aims-backend",
            "--database-url=postgres://aims:hunter2-db@db.internal/aims",
            "--admin-token=admin-token-0123456789-0123456789-x",
            "--webhook-url=https://hooks.example/T0K3N-in-the-path",
            "--webhook-secret=webhook-secret-0123456789-012345678",
        ]);
        let logged = format!("{config:?}");
        assert!(
            logged.contains("postgres://***@db.internal/aims"),
            "{logged}"
        );
        for secret in ["hunter2", "admin-token-", "T0K3N", "webhook-secret-"] {
            assert!(!logged.contains(secret), "{secret} in {logged}");
        }
    }
}
