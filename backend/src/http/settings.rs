//! The console's settings pages, for owners (viewers see them and change nothing):
//! branding and call to action with the new-lead recipients, the webhook with a test
//! delivery and its latest deliveries, and the question banks (upload, check, preview,
//! activate; every version kept). A change is stored in the settings row and reaches
//! every instance (see [`crate::live`]).

use super::console::{Signed, clock, message, render, storage_failed};
use crate::AppState;
use crate::live::{Settings, Webhook, webhook_url_problem};
use aims_engine::{Bank, CallToAction, GroupKind, Site};
use askama::Template;
use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use secrecy::ExposeSecret;
use serde::Deserialize;

/// Largest bank file accepted (the embedded one is about 130 KB).
pub const MAX_BANK_BYTES: usize = 1024 * 1024;
/// Largest upload request: the bank file and the form around it.
pub const MAX_UPLOAD_BYTES: usize = MAX_BANK_BYTES + 16 * 1024;
/// The name the server's own bank goes by in the console's addresses.
const OWN: &str = "own";
/// Most new-lead recipients.
const MAX_RECIPIENTS: usize = 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(settings_page).post(save_settings))
        .route("/admin/webhook", get(webhook_page).post(save_webhook))
        .route("/admin/webhook/test", post(test_webhook))
        .route(
            "/admin/banks",
            get(banks_page)
                .post(upload_bank)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/admin/banks/{version}", get(bank_page))
        .route("/admin/banks/{version}/activate", post(activate_bank))
}

/// Changes the stored settings and rebuilds this instance's live settings. With
/// `expected`, only if they are still at that revision (a form that showed them);
/// without, from their latest revision, retrying when another save came in between.
/// `Ok(false)`: `expected` was no longer the latest. Stored settings that do not read
/// back are left alone, never replaced by defaults.
async fn update(
    state: &AppState,
    by: &str,
    expected: Option<i64>,
    change: impl Fn(&mut Settings),
) -> Result<bool, crate::db::DbError> {
    for _ in 0..5 {
        let row = state.db.settings().await?;
        let revision = row.as_ref().map_or(0, |r| r.revision);
        if expected.is_some_and(|e| e != revision) {
            return Ok(false);
        }
        let mut settings: Settings = match row {
            Some(row) => serde_json::from_str(&row.body)
                .map_err(|_| crate::db::DbError::Unreadable("settings"))?,
            None => Settings::default(),
        };
        change(&mut settings);
        let body = serde_json::to_string(&settings).expect("settings serialise");
        if state.db.save_settings(revision, &body, by).await? {
            state.reload().await?;
            return Ok(true);
        }
        if expected.is_some() {
            return Ok(false);
        }
    }
    Err(crate::db::DbError::Sqlx(sqlx::Error::Protocol(
        "the settings kept changing while being saved".into(),
    )))
}

/// An uploaded bank by version, looked for again after a reload when this instance has
/// not seen it yet (another instance took the upload a moment ago).
async fn uploaded_bank(state: &AppState, version: &str) -> Option<std::sync::Arc<Bank>> {
    let find = || {
        state
            .live()
            .uploaded
            .iter()
            .find(|b| b.version() == version)
            .cloned()
    };
    match find() {
        Some(bank) => Some(bank),
        None => {
            state.reload().await.ok()?;
            find()
        }
    }
}

fn not_owner(signed: &Signed, what: &str) -> Response {
    message(
        StatusCode::FORBIDDEN,
        Some(&signed.session),
        "Only an owner can change this",
        &format!("Your account can see the {what} but not change them. Ask an owner."),
    )
}

/// A form field's message, by the field's `id`.
struct FieldError {
    field: &'static str,
    text: String,
}

fn error_for<'e>(errors: &'e [FieldError], field: &str) -> Option<&'e str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.text.as_str())
}

// ---- branding, call to action and recipients ----

#[derive(Deserialize, Default, Clone)]
struct SiteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    logo_url: String,
    #[serde(default)]
    accent: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    privacy_url: String,
    #[serde(default)]
    cta_label: String,
    #[serde(default)]
    cta_url: String,
    #[serde(default)]
    notify_emails: String,
    #[serde(default)]
    revision: i64,
    #[serde(default)]
    csrf: String,
}

#[derive(Template)]
#[template(path = "console/settings.html")]
struct SettingsPage<'a> {
    user: Option<&'a crate::db::SessionRow>,
    nav: &'a str,
    owner: bool,
    form: SiteForm,
    errors: Vec<FieldError>,
    saved: bool,
    mail_enabled: bool,
    updated: String,
    from_flags: bool,
}

impl SettingsPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn form_of(state: &AppState) -> (SiteForm, bool) {
    let live = state.live();
    let site = &live.site;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    (
        SiteForm {
            name: text(&site.name),
            logo_url: text(&site.logo_url),
            accent: text(&site.accent),
            intro: text(&site.intro),
            privacy_url: text(&site.privacy_url),
            cta_label: site
                .cta
                .as_ref()
                .map(|c| c.label.clone())
                .unwrap_or_default(),
            cta_url: site.cta.as_ref().map(|c| c.url.clone()).unwrap_or_default(),
            notify_emails: live.notify_emails(&state.config).join(", "),
            revision: live.revision,
            csrf: String::new(),
        },
        live.settings.site.is_none(),
    )
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn settings_page(
    State(state): State<AppState>,
    signed: Signed,
    saved: Result<Query<Saved>, QueryRejection>,
) -> Response {
    let (form, from_flags) = form_of(&state);
    let live = state.live();
    render(
        StatusCode::OK,
        &SettingsPage {
            user: Some(&signed.session),
            nav: "settings",
            owner: signed.owner(),
            form,
            errors: Vec::new(),
            saved: saved.is_ok_and(|Query(s)| s.saved.is_some()),
            mail_enabled: state.config.mail_enabled(),
            updated: live
                .updated
                .as_ref()
                .map(|(at, by)| format!("{} UTC by {by}", clock(*at)))
                .unwrap_or_default(),
            from_flags,
        },
    )
}

/// The site block and recipients a form asks for, or every field's problem.
fn check_site(form: &SiteForm) -> Result<(Site, Vec<String>), Vec<FieldError>> {
    let given = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let mut errors = Vec::new();
    let cta = match (given(&form.cta_label), given(&form.cta_url)) {
        (_, Some(url)) => Some(CallToAction {
            label: given(&form.cta_label).unwrap_or_else(|| aims_engine::DEFAULT_CTA_LABEL.into()),
            url,
        }),
        (Some(_), None) => {
            errors.push(FieldError {
                field: "cta_url",
                text: "Give the address the button leads to, or clear its words.".into(),
            });
            None
        }
        (None, None) => None,
    };
    let site = Site {
        cta,
        name: given(&form.name),
        logo_url: given(&form.logo_url),
        accent: given(&form.accent).map(|a| a.to_lowercase()),
        intro: given(&form.intro).map(|t| t.replace("\r\n", "\n")),
        privacy_url: given(&form.privacy_url),
        emails_report: false,
    };
    for (field, reason) in crate::live::site_problems(&site) {
        let field = match field {
            "cta/label" => "cta_label",
            "cta/url" => "cta_url",
            "name" => "name",
            "logo_url" => "logo_url",
            "accent" => "accent",
            "intro" => "intro",
            _ => "privacy_url",
        };
        errors.push(FieldError {
            field,
            text: capitalised(&reason),
        });
    }
    let emails: Vec<String> = form
        .notify_emails
        .split([',', ';', '\n'])
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    // The mailer must take each one too, or the new-lead emails would silently skip it.
    if let Some(bad) = emails
        .iter()
        .find(|e| !aims_engine::valid_email(e) || e.parse::<lettre::message::Mailbox>().is_err())
    {
        errors.push(FieldError {
            field: "notify_emails",
            text: format!("“{bad}” is not an email address."),
        });
    } else if emails.len() > MAX_RECIPIENTS {
        errors.push(FieldError {
            field: "notify_emails",
            text: format!("Give at most {MAX_RECIPIENTS} addresses."),
        });
    }
    if errors.is_empty() {
        Ok((site, emails))
    } else {
        Err(errors)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

async fn save_settings(
    State(state): State<AppState>,
    signed: Signed,
    form: Result<Form<SiteForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&form.csrf) {
        return refusal;
    }
    if !signed.owner() {
        return not_owner(&signed, "settings");
    }
    let page = |status, errors, form: SiteForm| {
        render(
            status,
            &SettingsPage {
                user: Some(&signed.session),
                nav: "settings",
                owner: true,
                form,
                errors,
                saved: false,
                mail_enabled: state.config.mail_enabled(),
                updated: String::new(),
                from_flags: state.live().settings.site.is_none(),
            },
        )
    };
    let (site, emails) = match check_site(&form) {
        Ok(checked) => checked,
        Err(errors) => return page(StatusCode::UNPROCESSABLE_ENTITY, errors, form),
    };
    let email = signed.session.email.clone();
    let saved = update(&state, &email, Some(form.revision), |s| {
        s.site = Some(site.clone());
        s.notify_emails = Some(emails.clone());
    })
    .await;
    match saved {
        Ok(true) => {
            tracing::info!("console: branding and call to action saved");
            Redirect::to("/admin/settings?saved=1").into_response()
        }
        Ok(false) => {
            // Show what the other save stored, not what this instance had.
            if let Err(e) = state.reload().await {
                return storage_failed(e);
            }
            let (fresh, _) = form_of(&state);
            page(
                StatusCode::CONFLICT,
                vec![FieldError {
                    field: "name",
                    text: "Someone saved the settings after you opened this page. The form now shows what they saved: make your changes again.".into(),
                }],
                fresh,
            )
        }
        Err(e) => storage_failed(e),
    }
}

// ---- the webhook ----

/// One delivery as the webhook page lists it.
struct DeliveryView {
    id: String,
    status: String,
    attempts: i64,
    error: String,
}

#[derive(Template)]
#[template(path = "console/webhook.html")]
struct WebhookPage<'a> {
    user: Option<&'a crate::db::SessionRow>,
    nav: &'a str,
    owner: bool,
    /// Where deliveries go, shown as scheme and host only (the path can hold a token).
    target: Option<String>,
    source: &'static str,
    url: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    test: Option<Result<String, String>>,
    deliveries: Vec<DeliveryView>,
}

impl WebhookPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// `https://hooks.example/…`: enough to recognise the receiver, not its token.
fn host_only(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    format!("{scheme}://{host}/…")
}

async fn webhook_view(
    state: &AppState,
    signed: &Signed,
    errors: Vec<FieldError>,
    notice: Option<String>,
    test: Option<Result<String, String>>,
) -> Result<String, Response> {
    let live = state.live();
    let target = live.webhook(&state.config);
    let deliveries = state
        .db
        .recent_deliveries(20)
        .await
        .map_err(storage_failed)?
        .into_iter()
        .map(|d| DeliveryView {
            status: match (d.delivered_at, &d.last_error) {
                (Some(at), _) => format!("Delivered {} UTC", clock(at)),
                (None, Some(_)) => format!("Failed; next try {} UTC", clock(d.next_attempt_at)),
                (None, None) => "Waiting".into(),
            },
            error: d.last_error.unwrap_or_default(),
            attempts: d.attempts,
            id: d.id,
        })
        .collect();
    let page = WebhookPage {
        user: Some(&signed.session),
        nav: "webhook",
        owner: signed.owner(),
        target: target
            .as_ref()
            .map(|(url, _)| host_only(url.expose_secret())),
        source: match (&target, live.webhook_from_console()) {
            (None, true) => "turned off in the console",
            (None, false) => "off (no --webhook-url)",
            (Some(_), true) => "set in the console",
            (Some(_), false) => "set by the server's --webhook-url",
        },
        url: String::new(),
        errors,
        notice,
        test,
        deliveries,
    };
    page.render()
        .map_err(|e| storage_failed(format!("render: {e}")))
}

async fn webhook_page(State(state): State<AppState>, signed: Signed) -> Response {
    match webhook_view(&state, &signed, Vec::new(), None, None).await {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
struct WebhookForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    off: Option<String>,
    #[serde(default)]
    csrf: String,
}

async fn save_webhook(
    State(state): State<AppState>,
    signed: Signed,
    form: Result<Form<WebhookForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&form.csrf) {
        return refusal;
    }
    if !signed.owner() {
        return not_owner(&signed, "webhook settings");
    }
    let (url, secret) = (form.url.trim().to_string(), form.secret.trim().to_string());
    let webhook = if form.off.is_some() {
        Webhook::default()
    } else {
        let mut errors = Vec::new();
        if let Some(problem) = webhook_url_problem(&url) {
            errors.push(FieldError {
                field: "url",
                text: capitalised(problem),
            });
        }
        // An empty secret keeps the one in use.
        let kept = state
            .live()
            .webhook(&state.config)
            .map(|(_, s)| s.expose_secret().to_string());
        let secret = if secret.is_empty() {
            kept
        } else {
            Some(secret)
        };
        match &secret {
            None => errors.push(FieldError {
                field: "secret",
                text: format!(
                    "Give a signing secret of at least {} characters.",
                    crate::MIN_SECRET_CHARS
                ),
            }),
            Some(s) if s.chars().count() < crate::MIN_SECRET_CHARS => errors.push(FieldError {
                field: "secret",
                text: format!(
                    "The secret is {} characters long; use at least {} random characters.",
                    s.chars().count(),
                    crate::MIN_SECRET_CHARS
                ),
            }),
            Some(_) => {}
        }
        if !errors.is_empty() {
            let page = webhook_view(&state, &signed, errors, None, None).await;
            return match page {
                Ok(html) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(html)).into_response()
                }
                Err(r) => r,
            };
        }
        Webhook {
            url: Some(url),
            secret,
        }
    };
    let email = signed.session.email.clone();
    let off = webhook.url.is_none();
    if let Err(e) = update(&state, &email, None, |s| s.webhook = Some(webhook.clone())).await {
        return storage_failed(e);
    }
    tracing::info!(off, "console: webhook saved");
    let notice = if off {
        "The webhook is off: new leads are not sent anywhere."
    } else {
        "Saved. New leads are sent to this receiver from now on."
    };
    match webhook_view(&state, &signed, Vec::new(), Some(notice.into()), None).await {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn test_webhook(
    State(state): State<AppState>,
    signed: Signed,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&form.csrf) {
        return refusal;
    }
    if !signed.owner() {
        return not_owner(&signed, "webhook settings");
    }
    let result = match state.live().webhook(&state.config) {
        None => Err("There is no receiver to test: set one first.".to_string()),
        Some((url, secret)) => crate::webhook::send_test(url.expose_secret(), &secret)
            .await
            .map(|ok| format!("Test delivered: {ok}."))
            .map_err(|e| format!("Test failed: {e}.")),
    };
    match webhook_view(&state, &signed, Vec::new(), None, Some(result)).await {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(r) => r,
    }
}

// ---- question banks ----

/// One bank as the list shows it.
struct BankView {
    /// Its address in the console (`own` for the server's own).
    slug: String,
    version: String,
    title: String,
    quick: usize,
    full: usize,
    origin: String,
    active: bool,
}

fn bank_view(bank: &Bank, slug: &str, origin: String, active: bool) -> BankView {
    let questions = &bank.data().questions;
    BankView {
        slug: slug.to_string(),
        version: bank.version().to_string(),
        title: bank.data().title.clone(),
        quick: questions.iter().filter(|q| q.quick).count(),
        full: questions.iter().filter(|q| !q.quick).count(),
        origin,
        active,
    }
}

#[derive(Template)]
#[template(path = "console/banks.html")]
struct BanksPage<'a> {
    user: Option<&'a crate::db::SessionRow>,
    nav: &'a str,
    owner: bool,
    csrf: &'a str,
    banks: Vec<BankView>,
    /// (pointer, message) of a refused upload.
    problems: Vec<(String, String)>,
    error: Option<String>,
    notice: Option<String>,
}

async fn banks_list(state: &AppState) -> Result<Vec<BankView>, Response> {
    let live = state.live();
    let rows = state.db.banks().await.map_err(storage_failed)?;
    let mut views = Vec::new();
    for row in rows {
        if let Some(bank) = live.uploaded.iter().find(|b| b.version() == row.version) {
            views.push(bank_view(
                bank,
                &row.version,
                format!(
                    "Uploaded {} UTC by {}",
                    clock(row.uploaded_at),
                    row.uploaded_by
                ),
                live.settings.active_bank.as_deref() == Some(&row.version),
            ));
        }
    }
    let own = if state.config.bank.is_some() {
        "The server's --bank file"
    } else {
        "Built in"
    };
    views.push(bank_view(
        &state.own_bank,
        OWN,
        own.into(),
        live.settings.active_bank.is_none(),
    ));
    Ok(views)
}

async fn banks_response(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    problems: Vec<(String, String)>,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let banks = match banks_list(state).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    render(
        status,
        &BanksPage {
            user: Some(&signed.session),
            nav: "banks",
            owner: signed.owner(),
            csrf: &signed.session.csrf,
            banks,
            problems,
            error,
            notice,
        },
    )
}

#[derive(Deserialize)]
struct BanksNotice {
    activated: Option<String>,
}

async fn banks_page(
    State(state): State<AppState>,
    signed: Signed,
    notice: Result<Query<BanksNotice>, QueryRejection>,
) -> Response {
    // The version in use now, not the one the address names.
    let notice = notice.ok().and_then(|Query(n)| n.activated).map(|_| {
        format!(
            "Bank {} is active: the widget asks its questions from the next page load.",
            state.bank().version()
        )
    });
    banks_response(&state, &signed, StatusCode::OK, Vec::new(), None, notice).await
}

/// Reads the upload form: its CSRF token and the file's text.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Option<String>), String> {
    let (mut csrf, mut text) = (String::new(), None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(format!(
                    "The file is larger than {} KiB.",
                    MAX_BANK_BYTES / 1024
                ));
            }
            Err(_) => return Err("The upload did not arrive whole; try again.".into()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| "The upload did not arrive whole; try again.".to_string())?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "bank" => {
                if bytes.len() > MAX_BANK_BYTES {
                    return Err(format!(
                        "The file is larger than {} KiB.",
                        MAX_BANK_BYTES / 1024
                    ));
                }
                let body = String::from_utf8(bytes.to_vec())
                    .map_err(|_| "The file is not UTF-8 text: save the bank as JSON.")?;
                text = Some(body).filter(|t| !t.trim().is_empty());
            }
            _ => {}
        }
    }
    Ok((csrf, text))
}

async fn upload_bank(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let read = match multipart {
        Ok(m) => read_upload(m).await,
        Err(_) => Err("Send the bank with this page's upload form.".into()),
    };
    let (csrf, text) = match read {
        Ok(r) => r,
        Err(e) => {
            return banks_response(
                &state,
                &signed,
                StatusCode::BAD_REQUEST,
                Vec::new(),
                Some(e),
                None,
            )
            .await;
        }
    };
    if let Some(refusal) = signed.refuse_forged(&csrf) {
        return refusal;
    }
    if !signed.owner() {
        return not_owner(&signed, "question banks");
    }
    let Some(text) = text else {
        return banks_response(
            &state,
            &signed,
            StatusCode::BAD_REQUEST,
            Vec::new(),
            Some("Choose a bank file (JSON) to upload.".into()),
            None,
        )
        .await;
    };
    // Checking a large bank takes a while: off the request threads.
    let (checked, text) =
        match tokio::task::spawn_blocking(move || (Bank::from_json(&text), text)).await {
            Ok(done) => done,
            Err(e) => return super::Problem::internal(e).into_response(),
        };
    let bank = match checked {
        Ok(bank) => bank,
        Err(e) => {
            let problems = e
                .problems()
                .iter()
                .map(|p| {
                    let pointer = if p.pointer.is_empty() {
                        "/"
                    } else {
                        &p.pointer
                    };
                    (pointer.to_string(), p.kind.to_string())
                })
                .collect();
            return banks_response(
                &state,
                &signed,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
                Some("The bank was not stored: fix these problems and upload it again.".into()),
                None,
            )
            .await;
        }
    };
    let too_light: Vec<(String, String)> = bank
        .data()
        .site
        .as_ref()
        .map(crate::live::site_problems)
        .unwrap_or_default()
        .into_iter()
        .map(|(field, reason)| (format!("/site/{field}"), reason))
        .collect();
    if !too_light.is_empty() {
        return banks_response(
            &state,
            &signed,
            StatusCode::UNPROCESSABLE_ENTITY,
            too_light,
            Some("The bank was not stored: fix these problems and upload it again.".into()),
            None,
        )
        .await;
    }
    let version = bank.version().to_string();
    let live = state.live();
    let taken = state.own_bank.version() == version
        || Bank::embedded().version() == version
        || live.uploaded.iter().any(|b| b.version() == version);
    let stored = if taken {
        Ok(false)
    } else {
        state
            .db
            .store_bank(&version, &text, &signed.session.email)
            .await
    };
    match stored {
        Ok(true) => {
            // A new revision, so that every instance reloads and knows the bank.
            if let Err(e) = update(&state, &signed.session.email, None, |_| {}).await {
                return storage_failed(e);
            }
            tracing::info!(%version, "console: bank uploaded");
            Redirect::to(&format!("/admin/banks/{version}?uploaded=1")).into_response()
        }
        Ok(false) => {
            banks_response(
                &state,
                &signed,
                StatusCode::CONFLICT,
                vec![(
                    "/version".into(),
                    format!("version {version} is taken: every version is kept, so that stored assessments are read with their own; give this bank a new version"),
                )],
                Some("The bank was not stored: fix these problems and upload it again.".into()),
                None,
            )
            .await
        }
        Err(e) => storage_failed(e),
    }
}

/// One group of the preview: its questions' words.
struct GroupPreview {
    title: String,
    clause: bool,
    quick: Vec<String>,
    full: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/bank.html")]
struct BankPage<'a> {
    user: Option<&'a crate::db::SessionRow>,
    nav: &'a str,
    owner: bool,
    csrf: &'a str,
    bank: BankView,
    groups: Vec<GroupPreview>,
    uploaded: bool,
}

#[derive(Deserialize)]
struct Uploaded {
    uploaded: Option<String>,
}

async fn bank_page(
    State(state): State<AppState>,
    signed: Signed,
    Path(version): Path<String>,
    uploaded: Result<Query<Uploaded>, QueryRejection>,
) -> Response {
    let bank = if version == OWN {
        state.own_bank.clone()
    } else {
        match uploaded_bank(&state, &version).await {
            Some(b) => b,
            None => {
                return message(
                    StatusCode::NOT_FOUND,
                    Some(&signed.session),
                    "No such bank",
                    "No bank of this version was uploaded.",
                );
            }
        }
    };
    let live = state.live();
    let active = if version == OWN {
        live.settings.active_bank.is_none()
    } else {
        live.settings.active_bank.as_deref() == Some(&version)
    };
    let data = bank.data();
    let groups = data
        .groups
        .iter()
        .map(|g| {
            let of = |quick: bool| {
                data.questions
                    .iter()
                    .filter(|q| q.quick == quick)
                    .filter(|q| {
                        q.refs.first().is_some_and(|r| {
                            data.requirements
                                .iter()
                                .any(|req| &req.id == r && req.group == g.id)
                        })
                    })
                    .map(|q| q.text.clone())
                    .collect()
            };
            GroupPreview {
                title: format!("{} {}", g.id, g.title),
                clause: g.kind == GroupKind::Clause,
                quick: of(true),
                full: of(false),
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &BankPage {
            user: Some(&signed.session),
            nav: "banks",
            owner: signed.owner(),
            csrf: &signed.session.csrf,
            bank: bank_view(&bank, &version, String::new(), active),
            groups,
            uploaded: uploaded.is_ok_and(|Query(u)| u.uploaded.is_some()),
        },
    )
}

async fn activate_bank(
    State(state): State<AppState>,
    signed: Signed,
    Path(version): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&form.csrf) {
        return refusal;
    }
    if !signed.owner() {
        return not_owner(&signed, "question banks");
    }
    let active = if version == OWN {
        None
    } else if uploaded_bank(&state, &version).await.is_some() {
        Some(version.clone())
    } else {
        return message(
            StatusCode::NOT_FOUND,
            Some(&signed.session),
            "No such bank",
            "No bank of this version was uploaded.",
        );
    };
    let email = signed.session.email.clone();
    if let Err(e) = update(&state, &email, None, |s| s.active_bank = active.clone()).await {
        return storage_failed(e);
    }
    let shown = state.bank().version().to_string();
    tracing::info!(version = %shown, "console: bank activated");
    Redirect::to(&format!("/admin/banks?activated={shown}")).into_response()
}
