//! The consultancy's console under `/admin`: server-rendered pages (askama, escaping by
//! default, no script) to sign in and work the leads. Accounts sign in with email and
//! password (argon2id); a session is a random token in an `HttpOnly`, `SameSite=Strict`
//! cookie, stored in the database by its hash so that several instances share it; every
//! form carries the session's CSRF token. The bearer-token API stays for integrations.
//! The funnel page shows what the widget counted (`POST /api/v1/events`).

use super::Client;
use super::admin::{date_bound, leads_csv_download};
use crate::AppState;
use crate::db::{LeadCursor, LeadFilter, LeadRow, Role, SessionRow};
use crate::timestamp::Timestamp;
use aims_engine::Band;
use aims_engine::num::one_decimal;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use subtle::ConstantTimeEq;
use tower_http::set_header::SetResponseHeaderLayer;

const SESSION_COOKIE: &str = "aims_session";
const SIGN_IN_COOKIE: &str = "aims_signin";
/// Leads per page.
const PAGE: i64 = 50;
/// Shortest password `admin create` accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::to("/admin/leads") }))
        .route("/admin/sign-in", get(sign_in_page).post(sign_in))
        .route("/admin/sign-out", post(sign_out))
        .route("/admin/leads", get(leads))
        .route("/admin/leads.csv", get(export))
        .route("/admin/leads/{id}", get(lead))
        .route("/admin/leads/{id}/erase", post(erase))
        .route("/admin/funnel", get(funnel))
        .route("/admin/console.css", get(stylesheet))
        .merge(super::settings::router())
        .layer(super::no_store())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../templates/console.css"),
    )
}

// ---- passwords, tokens and cookies ----

/// The argon2id hash (PHC string) of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| format!("salt: {e}"))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored hash.
fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to check unknown emails against, so that they take as long as known ones
/// (made at start: [`prepare`]).
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no account has this password").unwrap_or_default());

/// Password checks running at once.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Work done once at start rather than in the first sign-in.
pub fn prepare() {
    LazyLock::force(&DECOY_HASH);
}

/// Two version-4 UUIDs from the OS's generator (244 random bits), URL-safe.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a session token.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn same(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes())
        .ct_eq(&Sha256::digest(b.as_bytes()))
        .into()
        && !a.is_empty()
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, and `Secure` unless the server
/// runs plain HTTP on loopback (the operator's own machine: it listens on loopback and no
/// TLS proxy is configured in front of it with `--trusted-proxies`). `max_age` 0
/// deletes it.
fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let secure =
        if state.config.listen.ip().is_loopback() && state.config.trusted_proxies.is_empty() {
            ""
        } else {
            "; Secure"
        };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("cookie values are URL-safe")
}

// ---- pages ----

/// A page of the console: its template rendered, or the error page.
pub(super) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "console page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "console/message.html")]
struct Message<'a> {
    user: Option<&'a SessionRow>,
    nav: &'a str,
    title: &'a str,
    detail: &'a str,
    back: &'a str,
}

pub(super) fn message(
    status: StatusCode,
    user: Option<&SessionRow>,
    title: &str,
    detail: &str,
) -> Response {
    render(
        status,
        &Message {
            user,
            nav: "",
            title,
            detail,
            back: "/admin/leads",
        },
    )
}

pub(super) fn storage_failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "console: storage failed");
    message(
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        "Storage unavailable",
        "The database did not answer. Try again in a moment.",
    )
}

/// Whether a request carries the session of a signed-in owner (found the way [`Signed`]
/// finds it): only such a request may send a body larger than the API's.
pub(super) async fn owner_session(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return false;
    };
    matches!(
        state.db.session(&token_hash(token)).await,
        Ok(Some(session)) if Role::parse(&session.role) == Some(Role::Owner)
    )
}

/// A signed-in request. Without a live session the browser is sent to the sign-in page.
pub struct Signed {
    pub(super) session: SessionRow,
    token_hash: String,
}

impl Signed {
    pub(super) fn owner(&self) -> bool {
        Role::parse(&self.session.role) == Some(Role::Owner)
    }

    /// The refusal of a form whose CSRF token is not this session's; `None` when it is.
    pub(super) fn refuse_forged(&self, given: &str) -> Option<Response> {
        if same(given, &self.session.csrf) {
            None
        } else {
            Some(message(
                StatusCode::FORBIDDEN,
                Some(&self.session),
                "The form has expired",
                "This form does not belong to your current session. Go back, reload the page and try again.",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Signed, Response> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/admin/sign-in").into_response());
        };
        let token_hash = token_hash(token);
        match state.db.session(&token_hash).await {
            Ok(Some(session)) => Ok(Signed {
                session,
                token_hash,
            }),
            Ok(None) => {
                let mut r = Redirect::to("/admin/sign-in").into_response();
                r.headers_mut().insert(
                    header::SET_COOKIE,
                    set_cookie(state, SESSION_COOKIE, "", "/admin", 0),
                );
                Err(r)
            }
            Err(e) => Err(storage_failed(e)),
        }
    }
}

#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage<'a> {
    user: Option<&'a SessionRow>,
    nav: &'a str,
    csrf: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

/// The sign-in form, with a fresh token in a cookie of its own (double submit: a page of
/// another site can neither read it nor, with `SameSite=Strict`, send it).
fn sign_in_form(
    state: &AppState,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
) -> Response {
    let csrf = random_token();
    let mut r = render(
        status,
        &SignInPage {
            user: None,
            nav: "",
            csrf: &csrf,
            email,
            error,
        },
    );
    r.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(state, SIGN_IN_COOKIE, &csrf, "/admin/sign-in", 3600),
    );
    r
}

async fn sign_in_page(State(state): State<AppState>) -> Response {
    sign_in_form(&state, StatusCode::OK, "", None)
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn sign_in(
    State(state): State<AppState>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return sign_in_form(
            &state,
            StatusCode::BAD_REQUEST,
            "",
            Some("Send the form from this page: enter your email and password."),
        );
    };
    let email = form.email.trim().to_lowercase();
    if !same(&form.csrf, cookie(&headers, SIGN_IN_COOKIE).unwrap_or("")) {
        return sign_in_form(
            &state,
            StatusCode::FORBIDDEN,
            &email,
            Some("The sign-in form had expired. Enter your email and password again."),
        );
    }
    let client = client.map_or(
        crate::clients::ClientKey::of(std::net::IpAddr::from([0, 0, 0, 0])),
        |c| c.key(),
    );
    let locked_out = |wait: std::time::Duration| {
        state.metrics.admin_auth_failed.inc();
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let mut r = sign_in_form(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            Some(&format!(
                "Too many failed sign-ins from your address. Try again in {minutes} minute(s)."
            )),
        );
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        r
    };
    if let Some(wait) = state.limits.admin_lockout(client) {
        return locked_out(wait);
    }
    // Counted before the password is checked, so that guesses sent at once count too.
    if let Err(wait) = state.sign_ins.attempt(&email, client) {
        return locked_out(wait);
    }
    let account = match state.db.account_by_email(&email).await {
        Ok(a) => a,
        Err(e) => return storage_failed(e),
    };
    let hash = account
        .as_ref()
        .map_or_else(|| DECOY_HASH.clone(), |a| a.password_hash.clone());
    let password = form.password;
    // At most a few hashes at once: each takes about 19 MiB and a core for a while.
    let Ok(Ok(_permit)) =
        tokio::time::timeout(std::time::Duration::from_secs(5), HASHING.acquire()).await
    else {
        return message(
            StatusCode::SERVICE_UNAVAILABLE,
            None,
            "Busy",
            "Too many sign-ins at once. Try again in a moment.",
        );
    };
    let matches = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .unwrap_or(false);
    match account {
        Some(account) if matches => {
            state.sign_ins.succeeded(&email, client);
            let token = random_token();
            let lifetime = i64::from(state.config.session_hours.max(1)) * 3600;
            if let Err(e) = state
                .db
                .open_session(
                    &account.id,
                    &token_hash(&token),
                    &random_token(),
                    Timestamp::in_secs(lifetime),
                )
                .await
            {
                return storage_failed(e);
            }
            let mut r = Redirect::to("/admin/leads").into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &token, "/admin", lifetime),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, SIGN_IN_COOKIE, "", "/admin/sign-in", 0),
            );
            r
        }
        _ => {
            if let Some(wait) = state.limits.admin_failed(client) {
                return locked_out(wait);
            }
            state.metrics.admin_auth_failed.inc();
            let error = if state.sign_ins.locked_now(&email, client) {
                "The email or the password is not right. That was the last try from your address for 15 minutes."
            } else {
                "The email or the password is not right."
            };
            sign_in_form(&state, StatusCode::UNAUTHORIZED, &email, Some(error))
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    signed: Signed,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let given = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&given) {
        return refusal;
    }
    if let Err(e) = state.db.close_session(&signed.token_hash).await {
        return storage_failed(e);
    }
    let mut r = Redirect::to("/admin/sign-in").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", "/admin", 0),
    );
    r
}

/// `2027-01-04 09:30` from a time.
pub(super) fn clock(t: Timestamp) -> String {
    let text = t.to_string();
    text.get(..16).unwrap_or(&text).replacen('T', " ", 1)
}

fn mailto_address(email: &str) -> String {
    email
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'+' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A lead as a row of the list.
struct LeadView {
    id: String,
    assessment_id: String,
    received: String,
    heading: String,
    name: String,
    email: String,
    /// `mailto:` and the address with everything but its plain characters percent-encoded
    /// (an address may hold `?` or `&`, which would add headers to the mail).
    mailto: String,
    company: String,
    phone: String,
    role: String,
    erased: bool,
    erased_at: String,
    score: String,
    band: String,
    band_label: &'static str,
    mode: String,
}

impl From<&LeadRow> for LeadView {
    fn from(r: &LeadRow) -> LeadView {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let company = text(&r.company);
        LeadView {
            id: r.id.clone(),
            assessment_id: r.assessment_id.clone(),
            received: format!("{} UTC", clock(r.created_at)),
            heading: if company.is_empty() {
                text(&r.name)
            } else {
                format!("{} · {company}", text(&r.name))
            },
            name: text(&r.name),
            email: text(&r.email),
            mailto: format!("mailto:{}", mailto_address(&text(&r.email))),
            company,
            phone: text(&r.phone),
            role: text(&r.role),
            erased: r.erased_at.is_some(),
            erased_at: r.erased_at.map(clock).unwrap_or_default(),
            score: one_decimal(r.overall),
            band_label: r.band.parse::<Band>().map_or("", Band::label),
            band: r.band.clone(),
            mode: if r.mode == "quick" {
                "Quick quiz".into()
            } else {
                "Full assessment".into()
            },
        }
    }
}

/// The list's filters as given (echoed back into the form).
#[derive(Deserialize, Default, serde::Serialize)]
struct LeadsQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    band: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    after: String,
}

impl LeadsQuery {
    /// The filter it names, or what is wrong with it.
    fn filter(&self) -> Result<(LeadFilter, Option<LeadCursor>), String> {
        let band = match self.band.as_str() {
            "" => None,
            b if b.parse::<Band>().is_ok() => Some(b.to_string()),
            _ => return Err("Choose a band from the list.".into()),
        };
        let bound = |v: &str, field, end| {
            date_bound((!v.is_empty()).then(|| v.to_string()), field, end)
                .map_err(|_| format!("Give the “{field}” date as YYYY-MM-DD."))
        };
        let filter = LeadFilter {
            band,
            from: bound(&self.from, "from", false)?,
            to: bound(&self.to, "to", true)?,
        };
        let after = match self.after.split_once('~') {
            None if self.after.is_empty() => None,
            Some((t, id)) if t.parse::<Timestamp>().is_ok() => Some(LeadCursor {
                created_at: t.parse().expect("checked"),
                id: id.to_string(),
            }),
            _ => return Err("That page link is not valid; start from the first page.".into()),
        };
        Ok((filter, after))
    }

    /// `?…` for these filters (no page position), or "" when there are none.
    fn query_string(&self, after: Option<String>) -> String {
        let q = LeadsQuery {
            after: after.unwrap_or_default(),
            q: self.q.clone(),
            band: self.band.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        };
        let text = serde_urlencoded::to_string(&q).unwrap_or_default();
        if text.is_empty() {
            text
        } else {
            format!("?{text}")
        }
    }
}

#[derive(Template)]
#[template(path = "console/leads.html")]
struct LeadsPage<'a> {
    user: Option<&'a SessionRow>,
    nav: &'a str,
    /// (wire name, label, chosen)
    bands: Vec<(&'static str, &'static str, bool)>,
    query: &'a LeadsQuery,
    query_string: String,
    filtered: bool,
    rows: Vec<LeadView>,
    next: Option<String>,
    notice: Option<&'a str>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Notice {
    erased: Option<String>,
}

async fn leads(
    State(state): State<AppState>,
    signed: Signed,
    query: Result<Query<LeadsQuery>, QueryRejection>,
    notice: Result<Query<Notice>, QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let mut page = LeadsPage {
        user: Some(&signed.session),
        nav: "leads",
        bands: Band::ALL
            .iter()
            .map(|b| (b.as_str(), b.label(), query.band == b.as_str()))
            .collect(),
        query: &query,
        query_string: query.query_string(None),
        filtered: !(query.q.is_empty()
            && query.band.is_empty()
            && query.from.is_empty()
            && query.to.is_empty()),
        rows: Vec::new(),
        next: None,
        notice: notice
            .ok()
            .and_then(|Query(n)| n.erased)
            .map(|_| "The lead's personal data is erased."),
        error: None,
    };
    let (filter, after) = match query.filter() {
        Ok(f) => f,
        Err(e) => {
            page.error = Some(e);
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    let mut rows = match state
        .db
        .lead_page(&filter, Some(&query.q), after.as_ref(), PAGE)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return storage_failed(e),
    };
    if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        let last = rows.last().expect("a full page");
        page.next = Some(query.query_string(Some(format!("{}~{}", last.created_at, last.id))));
    }
    page.rows = rows.iter().map(LeadView::from).collect();
    render(StatusCode::OK, &page)
}

/// The CSV of the leads the filters select (the same columns as the API's export),
/// streamed.
async fn export(
    State(state): State<AppState>,
    _signed: Signed,
    query: Result<Query<LeadsQuery>, QueryRejection>,
) -> Response {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let Ok((filter, _)) = query.filter() else {
        return message(
            StatusCode::BAD_REQUEST,
            None,
            "Invalid filter",
            "Fix the filters on the leads page, then export again.",
        );
    };
    let search = Some(query.q).filter(|q| !q.trim().is_empty());
    leads_csv_download(state.db.clone(), filter, search)
        .await
        .unwrap_or_else(storage_failed)
}

/// What the lead page shows of the assessment, recomputed by the engine.
struct Summary {
    profile: String,
    effort: String,
    weeks: String,
    blockers: u32,
    /// (severity name, label, title, reference)
    gaps: Vec<(&'static str, &'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "console/lead.html")]
struct LeadPage<'a> {
    user: Option<&'a SessionRow>,
    nav: &'a str,
    lead: LeadView,
    summary: Option<Summary>,
    owner: bool,
    csrf: &'a str,
}

async fn lead(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> Response {
    let row = match state.db.lead(&id).await {
        Ok(Some(row)) => row,
        Ok(None) => {
            return message(
                StatusCode::NOT_FOUND,
                Some(&signed.session),
                "No such lead",
                "There is no lead with this address.",
            );
        }
        Err(e) => return storage_failed(e),
    };
    let summary = match state.db.assessment(&row.assessment_id).await {
        Ok(Some(stored)) => {
            super::assessments::recompute(&state, &stored)
                .ok()
                .map(|(_, input, ev)| {
                    let e = &ev.estimate;
                    let range = |r: aims_engine::Range, unit: &str| {
                        format!("{} {unit} (range {}–{})", r.likely, r.low, r.high)
                    };
                    Summary {
                        profile: format!(
                            "{} people, {} AI system(s)",
                            input.profile.size.label(),
                            input.profile.systems.as_ref().map_or(0, Vec::len)
                        ),
                        effort: range(e.effort_days, "person-days"),
                        weeks: range(e.weeks_to_certification, "weeks"),
                        blockers: ev.result.blockers,
                        gaps: ev
                            .result
                            .gaps
                            .iter()
                            .take(5)
                            .map(|g| {
                                (
                                    g.severity.as_str(),
                                    g.severity.label(),
                                    g.title.to_string(),
                                    g.reference.to_string(),
                                )
                            })
                            .collect(),
                    }
                })
        }
        Ok(None) => None,
        Err(e) => return storage_failed(e),
    };
    render(
        StatusCode::OK,
        &LeadPage {
            user: Some(&signed.session),
            nav: "leads",
            owner: signed.owner(),
            csrf: &signed.session.csrf,
            lead: LeadView::from(&row),
            summary,
        },
    )
}

async fn erase(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let given = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if let Some(refusal) = signed.refuse_forged(&given) {
        return refusal;
    }
    if !signed.owner() {
        return message(
            StatusCode::FORBIDDEN,
            Some(&signed.session),
            "Only an owner can erase",
            "Your account can read the leads but not change them. Ask an owner to erase this lead.",
        );
    }
    match state.db.erase_lead(&id, Timestamp::now()).await {
        Ok(Some(pending)) => {
            state.metrics.leads_erased.inc();
            state.metrics.webhook_pending.dec_by(pending);
            tracing::info!(lead = %id, "lead erased from the console");
            Redirect::to("/admin/leads?erased=1").into_response()
        }
        Ok(None) => message(
            StatusCode::NOT_FOUND,
            Some(&signed.session),
            "No such lead",
            "There is no lead with this address.",
        ),
        Err(e) => storage_failed(e),
    }
}

/// One bar of the funnel.
struct Step {
    label: &'static str,
    count: i64,
    /// Its bar's length in the chart (of 400).
    width: i64,
    /// Its row's top in the chart.
    y: usize,
    of_previous: String,
    of_views: String,
}

/// One site's row: its counts in the funnel's order and its leads per view.
struct SiteRow {
    origin: String,
    counts: [i64; 4],
    rate: String,
}

#[derive(Template)]
#[template(path = "console/funnel.html")]
struct FunnelPage<'a> {
    user: Option<&'a SessionRow>,
    nav: &'a str,
    from: String,
    to: String,
    /// (value, label, chosen)
    modes: Vec<(&'static str, &'static str, bool)>,
    steps: Vec<Step>,
    chart_height: usize,
    summary: String,
    sites: Vec<SiteRow>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct FunnelQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    mode: String,
}

/// `part` as a whole percentage of `of`, or a dash when there is nothing to divide by.
fn percent(part: i64, of: i64) -> String {
    if of <= 0 {
        "–".into()
    } else {
        format!("{} %", (part * 100 + of / 2) / of)
    }
}

async fn funnel(
    State(state): State<AppState>,
    signed: Signed,
    query: Result<Query<FunnelQuery>, QueryRejection>,
) -> Response {
    use super::events::FunnelEvent;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let today = time::OffsetDateTime::now_utc().date();
    let day = |text: &str, default: time::Date| {
        if text.is_empty() {
            return Ok(default);
        }
        time::Date::parse(text, &time::format_description::well_known::Iso8601::DATE)
            .map_err(|_| format!("Give the dates as YYYY-MM-DD (not “{text}”)."))
    };
    let period = day(&query.from, today - time::Duration::days(29))
        .and_then(|from| Ok((from, day(&query.to, today)?)));
    let mode = aims_engine::Mode::ALL
        .iter()
        .find(|m| m.as_str() == query.mode)
        .copied();
    let mut page = FunnelPage {
        user: Some(&signed.session),
        nav: "funnel",
        from: query.from.clone(),
        to: query.to.clone(),
        modes: std::iter::once(("", "Both", mode.is_none()))
            .chain(
                aims_engine::Mode::ALL
                    .iter()
                    .map(|m| (m.as_str(), m.label(), Some(*m) == mode)),
            )
            .collect(),
        steps: Vec::new(),
        chart_height: 4 * 36,
        summary: String::new(),
        sites: Vec::new(),
        error: None,
    };
    let (from, to) = match period {
        Ok((from, to)) if from <= to => (from, to),
        Ok(_) => {
            page.error = Some("The period ends before it starts.".into());
            return render(StatusCode::BAD_REQUEST, &page);
        }
        Err(e) => {
            page.error = Some(e);
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    (page.from, page.to) = (from.to_string(), to.to_string());
    let counts = match state
        .db
        .funnel(&page.from, &page.to, mode.map(|m| m.as_str()))
        .await
    {
        Ok(c) => c,
        Err(e) => return storage_failed(e),
    };
    let step_of = |name: &str| FunnelEvent::ALL.iter().position(|e| e.as_str() == name);
    let mut totals = [0i64; 4];
    for c in &counts {
        let Some(i) = step_of(&c.event) else { continue };
        totals[i] += c.count;
        match page.sites.iter_mut().find(|s| s.origin == c.origin) {
            Some(site) => site.counts[i] += c.count,
            None => {
                let mut row = SiteRow {
                    origin: c.origin.clone(),
                    counts: [0; 4],
                    rate: String::new(),
                };
                row.counts[i] = c.count;
                page.sites.push(row);
            }
        }
    }
    for site in &mut page.sites {
        site.rate = percent(site.counts[3], site.counts[0]);
    }
    page.sites.sort_by(|a, b| b.counts[0].cmp(&a.counts[0]));
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    page.steps = FunnelEvent::ALL
        .iter()
        .enumerate()
        .map(|(i, e)| Step {
            label: e.label(),
            count: totals[i],
            width: totals[i] * 400 / max,
            y: i * 36,
            of_previous: if i == 0 {
                "–".into()
            } else {
                percent(totals[i], totals[i - 1])
            },
            of_views: percent(totals[i], totals[0]),
        })
        .collect();
    page.summary = format!(
        "From {} to {}: {} views, {} starts, {} results, {} leads ({} of views).",
        page.from,
        page.to,
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        percent(totals[3], totals[0])
    );
    render(StatusCode::OK, &page)
}
