//! Admin endpoints (bearer token): leads list, CSV export and erasure. With no admin
//! token configured they are off, never open.

use super::Problem;
use crate::AppState;
use crate::clients::ClientKey;
use crate::db::{LeadFilter, LeadRow};
use crate::timestamp::Timestamp;
use aims_report::csv::cell as csv_cell;
use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/leads", get(list))
        .route("/api/v1/leads.csv", get(export))
        .route("/api/v1/leads/{id}", delete(erase))
        .layer(super::no_store())
}

/// An admin request: the bearer token checked in constant time (hashing first, so the
/// length leaks nothing). Failed attempts are counted per client; after a burst of them
/// the client is locked out for a while (429), whatever token it sends.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, Problem> {
        let Some(expected) = state.config.admin_token.as_ref() else {
            return Err(Problem::new(
                StatusCode::NOT_FOUND,
                "Not found",
                "The admin API is off: no admin token is configured.",
            ));
        };
        let client = parts
            .extensions
            .get::<super::Client>()
            .map(|c| c.key())
            .unwrap_or(ClientKey::of(std::net::IpAddr::from([0, 0, 0, 0])));
        let locked = |wait| {
            state.metrics.admin_auth_failed.inc();
            super::too_many(
                "Too many failed attempts from your address; wait before trying again.",
                wait,
            )
        };
        if let Some(wait) = state.limits.admin_lockout(client) {
            return Err(locked(wait));
        }
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        let same: bool = Sha256::digest(given.as_bytes())
            .ct_eq(&Sha256::digest(expected.expose_secret().as_bytes()))
            .into();
        if same && !given.is_empty() {
            return Ok(Admin);
        }
        if let Some(wait) = state.limits.admin_failed(client) {
            return Err(locked(wait));
        }
        state.metrics.admin_auth_failed.inc();
        Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Send the admin token as `Authorization: Bearer <token>`.",
        ))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
    band: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// A `from`/`to` filter: a date (`YYYY-MM-DD`, as an end the whole day included) or an
/// RFC 3339 time, on a day the API takes (2000–2199).
pub(crate) fn date_bound(
    value: Option<String>,
    field: &str,
    end: bool,
) -> Result<Option<Timestamp>, Problem> {
    let Some(v) = value else { return Ok(None) };
    let invalid = || {
        Problem::field(
            StatusCode::BAD_REQUEST,
            "Invalid filter",
            &format!("/{field}"),
            format!(
                "{field} must be a date (YYYY-MM-DD) or an RFC 3339 time such as 2027-01-04T09:30:00Z"
            ),
        )
    };
    v.get(..10)
        .map(aims_engine::Date::parse)
        .and_then(Result::ok)
        .ok_or_else(invalid)?;
    if v.len() > 10 {
        return v.parse().map(Some).map_err(|_| invalid());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(&v, format).map_err(|_| invalid())?;
    let day = if end {
        day.next_day().ok_or_else(invalid)?
    } else {
        day
    };
    Ok(Some(Timestamp::start_of(day)))
}

fn filter_of(q: ListQuery) -> Result<(LeadFilter, i64, i64), Problem> {
    if let Some(b) = &q.band
        && b.parse::<aims_engine::Band>().is_err()
    {
        return Err(Problem::field(
            StatusCode::BAD_REQUEST,
            "Invalid filter",
            "/band",
            format!(
                "band must be one of {}",
                aims_engine::Band::NAMES.join(", ")
            ),
        ));
    }
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(Problem::field(
            StatusCode::BAD_REQUEST,
            "Invalid filter",
            "/page",
            "page is 1 to 1000000",
        ));
    }
    if !(1..=500).contains(&per_page) {
        return Err(Problem::field(
            StatusCode::BAD_REQUEST,
            "Invalid filter",
            "/per_page",
            "per_page is 1 to 500",
        ));
    }
    let filter = LeadFilter {
        band: q.band,
        from: date_bound(q.from, "from", false)?,
        to: date_bound(q.to, "to", true)?,
    };
    Ok((filter, page, per_page))
}

/// The last page number accepted (a million pages of 500 is more leads than any
/// consultancy has; the bound keeps the offset arithmetic far from overflow).
pub(crate) const MAX_PAGE: i64 = 1_000_000;

fn query_problem(e: axum::extract::rejection::QueryRejection) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "Invalid filter", e.body_text())
}

/// Leads, newest first, paginated; filter by band and date. Admin token required.
#[utoipa::path(get, path = "/api/v1/leads", tag = "admin", security(("admin_token" = [])),
    params(("page" = Option<i64>, Query, description = "1 to 1000000"),
        ("per_page" = Option<i64>, Query, description = "1-500, default 50"),
        ("band" = Option<String>, Query, description = "early, developing, advanced or audit_ready"),
        ("from" = Option<String>, Query, description = "Created at or after (YYYY-MM-DD or RFC 3339)"),
        ("to" = Option<String>, Query, description = "Created up to (a bare date includes that day)")),
    responses(
        (status = 200, description = "A page of leads", body = LeadsPage),
        (status = 400, description = "Invalid filter", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Locked out after too many failed attempts", body = super::ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "Admin API off (no token configured)", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn list(
    State(state): State<AppState>,
    _: Admin,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) = q.map_err(query_problem)?;
    let (filter, page, per_page) = filter_of(q)?;
    let (items, total) = state
        .db
        .leads(&filter, per_page, (page - 1) * per_page)
        .await?;
    let page = LeadsPage {
        items,
        page,
        per_page,
        total,
    };
    Ok(axum::Json(page).into_response())
}

/// A page of leads.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct LeadsPage {
    /// Newest first.
    items: Vec<LeadRow>,
    /// This page, from 1.
    page: i64,
    /// Page size.
    per_page: i64,
    /// Leads matching the filter.
    total: i64,
}

/// CSV lines for `rows`, after the header line when `header`.
fn csv_rows(rows: &[LeadRow], header: bool) -> Result<Vec<u8>, csv::Error> {
    // Every text cell quoted, so that a `;` in a cell cannot split it in spreadsheets of
    // locales that separate with `;` (formula characters are neutralised by `csv_cell`).
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(Vec::new());
    if header {
        w.write_record([
            "id",
            "created_at",
            "name",
            "email",
            "company",
            "phone",
            "role",
            "assessment_id",
            "mode",
            "overall",
            "band",
            "erased_at",
        ])?;
    }
    for r in rows {
        let overall = r.overall.to_string();
        let (created_at, erased_at) =
            (r.created_at.to_string(), r.erased_at.map(|t| t.to_string()));
        w.write_record([
            csv_cell(&r.id).as_ref(),
            created_at.as_str(),
            csv_cell(r.name.as_deref().unwrap_or("")).as_ref(),
            csv_cell(r.email.as_deref().unwrap_or("")).as_ref(),
            csv_cell(r.company.as_deref().unwrap_or("")).as_ref(),
            csv_cell(r.phone.as_deref().unwrap_or("")).as_ref(),
            csv_cell(r.role.as_deref().unwrap_or("")).as_ref(),
            csv_cell(&r.assessment_id).as_ref(),
            r.mode.as_str(),
            overall.as_str(),
            r.band.as_str(),
            erased_at.as_deref().unwrap_or(""),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Leads read and sent a page at a time.
const EXPORT_PAGE: i64 = 1000;

/// The leads the filter (and search) select as a CSV download that streams: a page of
/// rows is read by keyset, written and sent before the next is read, so memory stays
/// flat however many leads there are.
pub(crate) async fn leads_csv_download(
    db: crate::db::Database,
    filter: LeadFilter,
    search: Option<String>,
) -> Result<Response, crate::db::DbError> {
    // The first page is read before the answer starts, so that a storage failure is a
    // 503 rather than a cut-short 200.
    let first = db
        .lead_page(&filter, search.as_deref(), None, EXPORT_PAGE)
        .await?;
    struct Export {
        db: crate::db::Database,
        filter: LeadFilter,
        search: Option<String>,
        after: Option<crate::db::LeadCursor>,
        /// The first page, read already.
        read: Option<Vec<LeadRow>>,
        first: bool,
        done: bool,
    }
    let start = Export {
        db,
        filter,
        search,
        after: None,
        read: Some(first),
        first: true,
        done: false,
    };
    let pages = futures_util::stream::unfold(start, |mut e| async move {
        if e.done {
            return None;
        }
        let page = match e.read.take() {
            Some(rows) => Ok(rows),
            None => {
                e.db.lead_page(
                    &e.filter,
                    e.search.as_deref(),
                    e.after.as_ref(),
                    EXPORT_PAGE,
                )
                .await
            }
        };
        let mut rows = match page {
            Ok(rows) => rows,
            Err(err) => {
                tracing::error!(error = %err, "lead export: storage failed; the download is cut short");
                e.done = true;
                return Some((Err(std::io::Error::other("storage failed")), e));
            }
        };
        e.done = rows.len() as i64 <= EXPORT_PAGE;
        rows.truncate(EXPORT_PAGE as usize);
        e.after = rows.last().map(|l| crate::db::LeadCursor {
            created_at: l.created_at,
            id: l.id.clone(),
        });
        let chunk = csv_rows(&rows, e.first).map_err(std::io::Error::other);
        e.first = false;
        Some((chunk.map(axum::body::Bytes::from), e))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leads.csv\"",
            ),
        ],
        axum::body::Body::from_stream(pages),
    )
        .into_response())
}

/// All leads (with the same filters) as CSV, safe to open in a spreadsheet. Admin token required.
#[utoipa::path(get, path = "/api/v1/leads.csv", tag = "admin", security(("admin_token" = [])),
    params(("band" = Option<String>, Query, description = "early, developing, advanced or audit_ready"),
        ("from" = Option<String>, Query, description = "Created at or after"),
        ("to" = Option<String>, Query, description = "Created up to")),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        (status = 400, description = "Invalid filter", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Locked out after too many failed attempts", body = super::ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "Admin API off (no token configured)", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn export(
    State(state): State<AppState>,
    _: Admin,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(mut q) = q.map_err(query_problem)?;
    q.page = None;
    q.per_page = None;
    let (filter, _, _) = filter_of(q)?;
    Ok(leads_csv_download(state.db.clone(), filter, None).await?)
}

/// Erases a lead's personal data; the anonymous assessment stays. Admin token required.
#[utoipa::path(delete, path = "/api/v1/leads/{id}", tag = "admin", security(("admin_token" = [])),
    params(("id" = String, Path, description = "Lead ID")),
    responses(
        (status = 204, description = "Erased"),
        (status = 401, description = "Missing or wrong token", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Locked out after too many failed attempts", body = super::ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 404, description = "No such lead, or admin API off", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn erase(
    State(state): State<AppState>,
    _: Admin,
    super::Id(id): super::Id,
) -> Result<Response, Problem> {
    let not_found = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no lead with this ID.",
        )
    };
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(not_found());
    }
    match state.db.erase_lead(&id, Timestamp::now()).await? {
        Some(pending) => {
            state.metrics.leads_erased.inc();
            state.metrics.webhook_pending.dec_by(pending);
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        None => Err(not_found()),
    }
}
