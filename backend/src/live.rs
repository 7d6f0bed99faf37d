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
///
/// Fields this version does not know are ignored rather than refused, so that an older
/// instance still reads what a newer one saved while both run during an upgrade.
#[derive(Clone, Default, Serialize, Deserialize)]
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
    let mut site = match &settings.site {
        Some(site) => site.clone(),
        None => {
            let mut site = bank.data().site.clone().unwrap_or_default();
            if let Ok(Some(cta)) = config.call_to_action() {
                site.cta = Some(cta);
            }
            site
        }
    };
    site.emails_report = config.mail_enabled();
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
    /// The bank an assessment input is read with: the one its `bank_version` names when
    /// this server has it (a visitor who started before an owner activated another bank
    /// still submits), else the active one (which refuses a version it does not accept).
    pub fn bank_named(&self, version: Option<&str>) -> Arc<Bank> {
        let live = self.live();
        version
            .and_then(|v| live.bank_for(&self.own_bank, v))
            .unwrap_or_else(|| live.bank.clone())
    }

    /// Rebuilds the live settings from the database now (after a change here). One
    /// rebuild at a time, and never an older revision over a newer one: a save here and
    /// the watcher can both be rebuilding.
    pub async fn reload(&self) -> Result<(), DbError> {
        let _one_at_a_time = self.reloading.lock().await;
        let previous = self.live();
        let live = load(&self.db, &self.config, &self.own_bank, Some(&previous)).await?;
        let mut current = self.live.write().unwrap_or_else(|e| e.into_inner());
        if live.revision >= current.revision {
            *current = Arc::new(live);
        }
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

/// What is wrong with a webhook address set in the console, if anything: it must parse
/// as an absolute http(s) URL with a host, and plain http only reaches this machine or a
/// private network (leads are personal data: across the internet they go encrypted).
pub fn webhook_url_problem(url: &str) -> Option<&'static str> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Some("give an absolute https:// address, such as https://crm.example/hooks/aims");
    };
    let local = match parsed.host() {
        None => return Some("give an address with a host name"),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip.is_unique_local(),
    };
    match parsed.scheme() {
        "https" => None,
        "http" if local => None,
        "http" => Some(
            "use https:// for a receiver outside this machine and your private network: leads are personal data",
        ),
        _ => Some("give an https:// address"),
    }
}

/// The contrast an accent needs against white: WCAG 2.1 AA for text, since the widget
/// writes white text on it and links in it on white.
pub const MIN_ACCENT_CONTRAST: f64 = 4.5;

/// Every problem of a site block: the engine's checks of each field, and an accent too
/// light to read (the engine, which also runs in the browser, leaves colour science here).
pub fn site_problems(site: &Site) -> Vec<(&'static str, String)> {
    let mut problems = site.problems();
    if let Some(accent) = &site.accent
        && let Some(contrast) = contrast_on_white(accent)
        && contrast < MIN_ACCENT_CONTRAST
    {
        problems.push((
            "accent",
            format!(
                "{accent} is too light: white text on it, and links in it on white, have a contrast of {:.1}:1, and readable text needs {MIN_ACCENT_CONTRAST}:1; choose a darker shade",
                (contrast * 10.0).floor() / 10.0
            ),
        ));
    }
    problems
}

/// The contrast ratio (WCAG 2.1) of a `#rrggbb` colour against white.
pub fn contrast_on_white(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6)?;
    let mut luminance = 0.0;
    for (i, weight) in [0.2126, 0.7152, 0.0722].into_iter().enumerate() {
        let channel = f64::from(u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?) / 255.0;
        let linear = if channel <= 0.04045 {
            channel / 12.92
        } else {
            ((channel + 0.055) / 1.055).powf(2.4)
        };
        luminance += weight * linear;
    }
    Some(1.05 / (luminance + 0.05))
}

#[cfg(test)]
mod tests {
    use super::{contrast_on_white, site_problems};

    #[test]
    fn accents_too_light_for_white_text_are_refused() {
        // The widget's default blue and the darkest grey that passes AA; a lighter grey
        // and yellow fail.
        assert!(contrast_on_white("#1d4ed8").unwrap() > 4.5);
        assert!(contrast_on_white("#767676").unwrap() > 4.5);
        assert!(contrast_on_white("#999999").unwrap() < 4.5);
        assert!((contrast_on_white("#000000").unwrap() - 21.0).abs() < 1e-9);
        let site = |accent: &str| aims_engine::Site {
            accent: Some(accent.into()),
            ..Default::default()
        };
        let problems = site_problems(&site("#ffff00"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "accent");
        assert!(problems[0].1.contains("1.0:1"), "{}", problems[0].1);
        assert!(site_problems(&site("#0f5132")).is_empty());
        assert_eq!(site_problems(&site("blue"))[0].0, "accent");
    }
}
