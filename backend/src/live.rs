//! What owners change in the console while the server runs: the branding and call to
//! action the widget is given with the bank, who is told of new leads, the webhook, and
//! which question bank is active.
//!
//! The settings live in the database (one row with a revision); every instance keeps a
//! [`Live`] built from them and rebuilds it when the revision moves ([`watch`] looks every
//! two seconds; the instance that saved rebuilds at once). A uploaded bank is stored
//! for good, so a stored assessment is always read with the bank it was made with.

use crate::db::{Database, DbError};
use crate::timestamp::Timestamp;
use crate::{AppState, Config};
use aims_engine::{Bank, Site};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// How often an instance looks for settings changed by another.
const WATCH: Duration = Duration::from_secs(2);

/// The settings as stored. A field left out keeps the server's configuration (its flags
/// and the bank's own site block); once saved from the console, it replaces them.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Branding and call to action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// Who is told of each new lead by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_emails: Option<Vec<String>>,
    /// Where new leads are POSTed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Webhook>,
    /// The version of the uploaded bank in use; none: the server's own bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_bank: Option<String>,
}

/// The webhook as set in the console: no URL turns it off. Not `Debug`: the URL and the
/// secret are secrets.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// The receiver (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The signing key, at least [`crate::MIN_SECRET_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// What the server runs with now.
pub struct Live {
    /// The settings' revision these were built from (0: never saved).
    pub revision: i64,
    /// The settings as stored.
    pub settings: Settings,
    /// When and by whom they were last saved.
    pub updated: Option<(Timestamp, String)>,
    /// The active bank.
    pub bank: Arc<Bank>,
    /// The site block the widget is given (branding and call to action).
    pub site: Site,
    /// `GET /api/v1/bank`'s body: the active bank with the site block, serialised once.
    pub bank_json: axum::body::Bytes,
    /// Its entity tag (a hash of the body).
    pub bank_etag: String,
    /// `GET /api/openapi.json`'s body, for the active bank.
    pub openapi_json: axum::body::Bytes,
    /// Every uploaded bank, parsed (a stored assessment may name any of them).
    pub uploaded: Vec<Arc<Bank>>,
}

impl Live {
    /// The addresses new-lead emails go to: the console's, else `--notify-email`.
    pub fn notify_emails(&self, config: &Config) -> Vec<String> {
        self.settings
            .notify_emails
            .clone()
            .unwrap_or_else(|| config.notify_email.clone())
    }

    /// The webhook's receiver and signing key: the console's, else the flags'.
    pub fn webhook(&self, config: &Config) -> Option<(SecretString, SecretString)> {
        match &self.settings.webhook {
            Some(Webhook {
                url: Some(url),
                secret: Some(secret),
            }) => Some((url.as_str().into(), secret.as_str().into())),
            Some(_) => None,
            None => Some((config.webhook_url.clone()?, config.webhook_secret.clone()?)),
        }
    }

    /// Whether the webhook is set from the console rather than by the flags.
    pub fn webhook_from_console(&self) -> bool {
        self.settings.webhook.is_some()
    }

    /// The bank a stored assessment was made with: the active one, an uploaded one, the
    /// server's own, or the embedded default; by exact version first, then by the
    /// versions a bank says it accepts.
    pub fn bank_for(&self, own: &Arc<Bank>, version: &str) -> Option<Arc<Bank>> {
        static EMBEDDED: std::sync::LazyLock<Arc<Bank>> =
            std::sync::LazyLock::new(|| Arc::new(Bank::embedded().clone()));
        let all = || {
            std::iter::once(&self.bank)
                .chain(self.uploaded.iter())
                .chain([own, &*EMBEDDED])
        };
        all()
            .find(|b| b.version() == version)
            .or_else(|| all().find(|b| b.accepts_version(version)))
            .cloned()
    }
}

/// The site block the widget gets: the console's, else the bank's own with the flags'
/// call to action over it.
fn effective_site(settings: &Settings, bank: &Bank, config: &Config) -> Site {
    if let Some(site) = &settings.site {
        return site.clone();
    }
    let mut site = bank.data().site.clone().unwrap_or_default();
    if let Ok(Some(cta)) = config.call_to_action() {
        site.cta = Some(cta);
    }
    site
}

/// Builds what the server runs with from the stored settings and banks, reusing what
/// `previous` had parsed already.
pub async fn load(
    db: &Database,
    config: &Config,
    own: &Arc<Bank>,
    previous: Option<&Live>,
) -> Result<Live, DbError> {
    let row = db.settings().await?;
    let (revision, settings, updated) = match &row {
        None => (0, Settings::default(), None),
        Some(row) => {
            let settings = serde_json::from_str(&row.body).unwrap_or_else(|e| {
                tracing::error!(error = %e, "stored settings unreadable; using the configuration's");
                Settings::default()
            });
            (
                row.revision,
                settings,
                Some((row.updated_at, row.updated_by.clone())),
            )
        }
    };
    let mut uploaded = Vec::new();
    for stored in db.banks().await? {
        let known = previous.and_then(|p| {
            p.uploaded
                .iter()
                .find(|b| b.version() == stored.version)
                .cloned()
        });
        let bank = match known {
            Some(bank) => bank,
            None => {
                let Some(text) = db.bank_text(&stored.version).await? else {
                    continue;
                };
                match Bank::from_json(&text) {
                    Ok(bank) => Arc::new(bank),
                    Err(e) => {
                        tracing::error!(version = %stored.version, error = %e, "stored bank unreadable");
                        continue;
                    }
                }
            }
        };
        uploaded.push(bank);
    }
    let bank = settings
        .active_bank
        .as_ref()
        .and_then(|v| uploaded.iter().find(|b| b.version() == v))
        .cloned()
        .unwrap_or_else(|| own.clone());
    let site = effective_site(&settings, &bank, config);
    let mut published = bank.data().clone();
    published.site = (site != Site::default()).then(|| site.clone());
    let bank_json = serde_json::to_string(&published).expect("banks serialise");
    let bank_etag = format!(
        "\"{}\"",
        Sha256::digest(bank_json.as_bytes())
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let openapi_json = match previous {
        Some(p) if p.bank.version() == bank.version() => p.openapi_json.clone(),
        _ => crate::http::openapi_document(&bank).into(),
    };
    Ok(Live {
        revision,
        settings,
        updated,
        bank,
        site,
        bank_json: bank_json.into(),
        bank_etag,
        openapi_json,
        uploaded,
    })
}

impl AppState {
    /// Rebuilds the live settings from the database now (after a change here).
    pub async fn reload(&self) -> Result<(), DbError> {
        let previous = self.live();
        let live = load(&self.db, &self.config, &self.own_bank, Some(&previous)).await?;
        *self.live.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(live);
        Ok(())
    }
}

/// Rebuilds the live settings whenever another instance has changed them.
pub async fn watch(state: AppState) {
    loop {
        tokio::time::sleep(WATCH).await;
        match state.db.settings_revision().await {
            Ok(revision) if revision != state.live().revision => {
                if let Err(e) = state.reload().await {
                    tracing::warn!(error = %e, "settings could not be reloaded");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "settings revision could not be read"),
        }
    }
}

/// Whether an address is one a webhook may be sent to (http or https, with a host).
pub fn webhook_url_problem(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !rest.contains(|c: char| c.is_whitespace() || c.is_control()) =>
        {
            None
        }
        _ => Some("give an absolute https:// or http:// address without spaces"),
    }
}
