//! Stored assessments: submit (with an optional lead), read back, and the reports.

use super::Problem;
use crate::AppState;
use crate::db::{NewAssessment, NewLead};
use crate::timestamp::Timestamp;
use aims_engine::{AssessmentInput, Evaluation};
use aims_report::{
    ReportContext, control_register, csv, gap_report, markdown, statement_of_applicability,
};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assessments", post(create))
        .route("/api/v1/assessments/{id}", get(read))
        .route("/api/v1/assessments/{id}/report", get(report_page))
        .route("/api/v1/assessments/{id}/soa.csv", get(soa))
        .route("/api/v1/assessments/{id}/controls.csv", get(controls))
        .layer(super::no_store())
}

fn lead_problem(pointer: &str, detail: &str) -> Problem {
    Problem::field(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Invalid lead",
        pointer,
        detail,
    )
}

fn parse_lead(lead: aims_engine::Lead) -> Result<NewLead, Problem> {
    // The same rules the widget applies as the visitor types; the first broken one is named.
    if let Some(p) = lead.problems().first() {
        return Err(lead_problem(&format!("/lead/{}", p.field), p.message));
    }
    let name = lead.name.trim();
    let email = lead.email.trim();
    let optional = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
    Ok(NewLead {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        email: email.to_string(),
        company: optional(&lead.company),
        phone: optional(&lead.phone),
        role: optional(&lead.role),
        send_report: lead.send_report,
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    let ok = !key.is_empty() && key.len() <= 200 && key.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if ok {
        Ok(Some(key.to_string()))
    } else {
        Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Invalid Idempotency-Key",
            "The Idempotency-Key header must be 1 to 200 visible ASCII characters.",
        ))
    }
}

/// Links to a stored assessment's resources.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Links {
    /// This assessment.
    #[serde(rename = "self")]
    this: String,
    /// HTML report.
    report: String,
    /// Markdown report.
    report_markdown: String,
    /// Statement of Applicability (CSV).
    soa: String,
    /// AI Control Register (CSV).
    controls: String,
}

/// A stored assessment and the evaluation the server computed from its answers.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct StoredAssessment<'a> {
    /// Unguessable ID (UUID v4).
    id: &'a str,
    /// When it was stored.
    created_at: Timestamp,
    /// Related resources.
    links: Links,
    /// The input (on reads only; never the contact details).
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a AssessmentInput>,
    /// Scores, gaps, the estimate and the roadmap.
    #[serde(flatten)]
    evaluation: &'a Evaluation,
}

/// What a submission answers by default: the ID, the links and the headline figures.
/// (The widget already has the whole evaluation; an integrator wants the ID.)
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Created<'a> {
    /// Unguessable ID (UUID v4).
    id: &'a str,
    /// When it was stored.
    created_at: Timestamp,
    /// Related resources.
    links: Links,
    /// The headline figures.
    summary: Summary,
}

/// A submission's `201`: the summary, or with `Prefer: return=representation` the whole
/// evaluation.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub(super) enum CreatedReply<'a> {
    /// The default.
    Summary(Created<'a>),
    /// With `Prefer: return=representation`.
    Representation(StoredAssessment<'a>),
}

/// The headline of an evaluation.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Summary {
    /// Overall readiness, 0-100.
    overall: f64,
    /// The band of the overall score.
    band: aims_engine::Band,
    /// Certification blockers.
    blockers: u32,
    /// Person-days to certification readiness.
    effort_days: aims_engine::Range,
    /// Weeks until ready for the Stage 1 audit.
    weeks_to_ready: aims_engine::Range,
    /// Weeks until the Stage 2 audit is done.
    weeks_to_certification: aims_engine::Range,
}

fn links(id: &str) -> Links {
    Links {
        this: format!("/api/v1/assessments/{id}"),
        report: format!("/api/v1/assessments/{id}/report"),
        report_markdown: format!("/api/v1/assessments/{id}/report?format=md"),
        soa: format!("/api/v1/assessments/{id}/soa.csv"),
        controls: format!("/api/v1/assessments/{id}/controls.csv"),
    }
}

/// The `return` preference of a `Prefer` header (RFC 7240): `Some(true)` for
/// `return=representation`, `Some(false)` for `return=minimal`.
fn prefers_representation(headers: &HeaderMap) -> Option<bool> {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|preference| {
            let token = preference.split(';').next()?.trim();
            let (name, value) = token.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("return") {
                return None;
            }
            match value.trim().trim_matches('"').to_ascii_lowercase().as_str() {
                "representation" => Some(true),
                "minimal" => Some(false),
                _ => None,
            }
        })
}

/// The `201` for a stored assessment: the summary, or with `Prefer:
/// return=representation` the whole evaluation, as `GET` gives it (without the input).
fn created(
    id: &str,
    created_at: Timestamp,
    evaluation: &Evaluation,
    preference: Option<bool>,
) -> Response {
    let reply = if preference == Some(true) {
        CreatedReply::Representation(body(id, created_at, evaluation, None))
    } else {
        let r = &evaluation.result;
        let e = &evaluation.estimate;
        CreatedReply::Summary(Created {
            id,
            created_at,
            links: links(id),
            summary: Summary {
                overall: r.overall,
                band: r.band,
                blockers: r.blockers,
                effort_days: e.effort_days,
                weeks_to_ready: e.weeks_to_ready,
                weeks_to_certification: e.weeks_to_certification,
            },
        })
    };
    let mut response = (StatusCode::CREATED, super::JsonBody(reply)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("prefer"));
    if let Some(representation) = preference {
        headers.insert(
            "preference-applied",
            HeaderValue::from_static(if representation {
                "return=representation"
            } else {
                "return=minimal"
            }),
        );
    }
    response
}

fn body<'a>(
    id: &'a str,
    created_at: Timestamp,
    evaluation: &'a Evaluation,
    input: Option<&'a AssessmentInput>,
) -> StoredAssessment<'a> {
    StoredAssessment {
        id,
        created_at,
        links: links(id),
        input,
        evaluation,
    }
}

/// Recomputes a stored assessment's evaluation with the bank it was made with (the engine
/// is deterministic, so this is what was computed when it was stored).
pub(crate) fn recompute(
    state: &AppState,
    stored: &crate::db::StoredAssessment,
) -> Result<
    (
        std::sync::Arc<aims_engine::Bank>,
        AssessmentInput,
        Evaluation,
    ),
    Problem,
> {
    let live = state.live();
    let bank = live
        .bank_for(&state.own_bank, &stored.bank_version)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::CONFLICT,
                "Bank version not available",
                format!(
                    "This assessment was made with question bank {}, which this server no longer has (it runs {}).",
                    stored.bank_version,
                    live.bank.version()
                ),
            )
        })?;
    let mut input = AssessmentInput::from_json(&stored.input_json).map_err(Problem::internal)?;
    // Stored before control characters and direction overrides were refused: read without
    // them (the engine now refuses them, and no report should show them).
    for answer in &mut input.answers {
        if let Some(j) = &mut answer.justification
            && j.chars().any(|c| aims_engine::forbidden_char(c, true))
        {
            j.retain(|c| !aims_engine::forbidden_char(c, true));
        }
    }
    let evaluation = bank.evaluate_input(&input).map_err(Problem::internal)?;
    Ok((bank, input, evaluation))
}

/// A submission: an assessment input with optional contact details next to it. Read in
/// one pass from the text, so a duplicate key anywhere (also inside `lead`) is refused
/// like any other malformed body.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Submission {
    mode: aims_engine::Mode,
    #[serde(default)]
    bank_version: Option<String>,
    profile: aims_engine::Profile,
    #[serde(default)]
    answers: Vec<aims_engine::AnswerInput>,
    #[serde(default)]
    soa: Option<aims_engine::SoaFields>,
    #[serde(default)]
    lead: Option<aims_engine::Lead>,
}

/// Reads a submission: an assessment input with an optional `lead` next to it.
fn read_submission(text: &str) -> Result<(AssessmentInput, Option<aims_engine::Lead>), Problem> {
    let s: Submission = aims_engine::from_json_str(text).map_err(|e| Problem::from_engine(&e))?;
    let input = AssessmentInput {
        mode: s.mode,
        bank_version: s.bank_version,
        profile: s.profile,
        answers: s.answers,
        soa: s.soa,
    };
    Ok((input, s.lead))
}

/// Evaluates and stores an assessment, with optional contact details (a lead). Answers
/// the ID, links and headline figures; `Prefer: return=representation` answers the whole
/// evaluation. The `Idempotency-Key` header makes a retry return the same assessment.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "assessments",
    request_body(content = Submission, content_type = "application/json"),
    params(("Idempotency-Key" = Option<String>, Header, description = "1-200 visible ASCII characters; a retry with the same key and body returns the stored assessment"),
        ("Prefer" = Option<String>, Header, description = "`return=representation` for the whole evaluation instead of the summary (RFC 7240)")),
    responses(
        (status = 201, description = "Stored: the summary, or the whole evaluation when preferred", body = CreatedReply,
            headers(("Location" = String, description = "The assessment's URL"),
                ("Preference-Applied" = String, description = "`return=representation` or `return=minimal`, when a Prefer header asked for one"))),
        (status = 400, description = "Malformed JSON, wrong shape or bad Idempotency-Key", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 408, description = "The body did not arrive within the body timeout", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB, sent or declared", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json, or a Content-Encoding other than identity", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers or lead, or a reused Idempotency-Key", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit, or the client's daily cap on stored assessments", body = super::ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Storage unavailable; nothing stored", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn create(
    State(state): State<AppState>,
    axum::Extension(client): axum::Extension<super::Client>,
    headers: HeaderMap,
    super::JsonText(text): super::JsonText,
) -> Result<Response, Problem> {
    let key = idempotency_key(&headers)?;
    let preference = prefers_representation(&headers);
    let (input, lead_value) = read_submission(&text)?;
    let live = state.live();
    let bank = state.bank_named(input.bank_version.as_deref());
    let evaluation = bank
        .evaluate_input(&input)
        .map_err(|e| Problem::from_engine(&e))?;
    state.metrics.evaluations.inc();
    let lead = match lead_value {
        None => None,
        Some(l) => Some(parse_lead(l)?),
    };

    if let Err(wait) = state.limits.store(client.key()) {
        state.metrics.daily_cap_refused.inc();
        return Err(super::too_many(
            "Your address has stored as many assessments today as it may; try again tomorrow, or use POST /api/v1/evaluate, which stores nothing.",
            wait,
        ));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let created_at = Timestamp::now();
    let has_lead = lead.is_some();
    let new = NewAssessment {
        id: id.clone(),
        created_at,
        mode: input.mode.as_str().to_string(),
        bank_version: bank.version().to_string(),
        overall: evaluation.result.overall,
        band: evaluation.result.band.as_str().to_string(),
        blockers: i64::from(evaluation.result.blockers),
        input_json: serde_json::to_string(&input).map_err(Problem::internal)?,
        idempotency_key: key,
        request_hash: hex(&Sha256::digest(text.as_bytes())),
        notify: if lead.is_some() {
            let webhook = live.webhook(&state.config).is_some().then_some("webhook");
            let mail = (state.config.mail_enabled()
                && !live.notify_emails(&state.config).is_empty())
            .then_some("mail");
            let report = (state.config.mail_enabled()
                && lead.as_ref().is_some_and(|l| l.send_report))
            .then_some("report");
            webhook.into_iter().chain(mail).chain(report).collect()
        } else {
            Vec::new()
        },
        lead,
    };
    let (stored_id, fresh) = state.writer.insert(new).await?;
    let mut response = if fresh {
        state.metrics.assessments_stored.inc();
        state.metrics.assessments.inc();
        if has_lead {
            state.metrics.leads_stored.inc();
            if live.webhook(&state.config).is_some() {
                state.metrics.webhook_pending.inc();
            }
        }
        created(&id, created_at, &evaluation, preference)
    } else {
        state.metrics.idempotent_replays.inc();
        let stored = state
            .db
            .assessment(&stored_id)
            .await?
            .ok_or_else(|| Problem::internal("idempotent replay lost its assessment"))?;
        let (_, _, evaluation) = recompute(&state, &stored)?;
        let mut r = created(&stored.id, stored.created_at, &evaluation, preference);
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
        r
    };
    let location = HeaderValue::from_str(&format!("/api/v1/assessments/{stored_id}"))
        .map_err(Problem::internal)?;
    response.headers_mut().insert(header::LOCATION, location);
    Ok(response)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Loads a stored assessment; unknown or malformed IDs are 404.
async fn load(state: &AppState, id: &str) -> Result<crate::db::StoredAssessment, Problem> {
    let not_found = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no assessment with this ID.",
        )
    };
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(not_found());
    }
    state.db.assessment(id).await?.ok_or_else(not_found)
}

/// A stored assessment: its input (without contact details) and its evaluation.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "assessments",
    params(("id" = String, Path, description = "Assessment ID")),
    responses(
        (status = 200, description = "The assessment", body = StoredAssessment),
        (status = 404, description = "No such assessment", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn read(
    State(state): State<AppState>,
    super::Id(id): super::Id,
) -> Result<Response, Problem> {
    let stored = load(&state, &id).await?;
    let (_, input, evaluation) = recompute(&state, &stored)?;
    Ok(super::JsonBody(body(
        &stored.id,
        stored.created_at,
        &evaluation,
        Some(&input),
    ))
    .into_response())
}

#[derive(Deserialize)]
struct ReportQuery {
    format: Option<String>,
}

const REPORT_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'none'";

async fn with_report<F>(state: &AppState, id: &str, render: F) -> Result<String, Problem>
where
    F: FnOnce(&ReportContext) -> Result<String, Problem>,
{
    let stored = load(state, id).await?;
    let (bank, input, evaluation) = recompute(state, &stored)?;
    let created_at = stored.created_at.to_string();
    let ctx = ReportContext {
        id: &stored.id,
        created_at: &created_at,
        organisation: stored.company.as_deref().filter(|c| !c.is_empty()),
        bank: &bank,
        input: &input,
        evaluation: &evaluation,
    };
    render(&ctx)
}

/// A stored assessment's Gap Analysis Report as HTML (for the email a visitor asks for).
pub(crate) async fn report_html(state: &AppState, id: &str) -> Result<String, String> {
    let site = state.live().site.clone();
    with_report(state, id, |ctx| {
        crate::report::html(ctx, &site).map_err(Problem::internal)
    })
    .await
    .map_err(|p| format!("{} ({})", p.title, p.status))
}

/// The Gap Analysis Report: print-ready HTML (print to PDF), or Markdown with `format=md`.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/report", tag = "reports",
    params(("id" = String, Path, description = "Assessment ID"),
        ("format" = Option<String>, Query, description = "`html` (default) or `md`")),
    responses(
        (status = 200, description = "The report", content(
            (String = "text/html"),
            (String = "text/markdown"))),
        (status = 400, description = "Unknown format", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such assessment", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn report_page(
    State(state): State<AppState>,
    super::Id(id): super::Id,
    q: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let Query(q) =
        q.map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "Invalid query", e.body_text()))?;
    match q.format.as_deref() {
        None | Some("html") => {
            let site = state.live().site.clone();
            let html = with_report(&state, &id, |ctx| {
                crate::report::html(ctx, &site).map_err(Problem::internal)
            })
            .await?;
            let mut r =
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(REPORT_CSP),
            );
            Ok(r)
        }
        Some("md") | Some("markdown") => {
            let md = with_report(&state, &id, |ctx| Ok(markdown::render(&gap_report(ctx)))).await?;
            Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], md).into_response())
        }
        Some(_) => Err(Problem::field(
            StatusCode::BAD_REQUEST,
            "Unknown report format",
            "/format",
            "format must be html or md",
        )),
    }
}

fn csv_response(name: &str, id: &str, text: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}-{id}.csv\"");
    let mut r = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The Statement of Applicability: one row per Annex A control.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/soa.csv", tag = "reports",
    params(("id" = String, Path, description = "Assessment ID")),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        (status = 404, description = "No such assessment", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn soa(State(state): State<AppState>, super::Id(id): super::Id) -> Result<Response, Problem> {
    let text = with_report(&state, &id, |ctx| {
        Ok(csv::render(&statement_of_applicability(ctx)))
    })
    .await?;
    Ok(csv_response("statement-of-applicability", &id, text))
}

/// The AI Control Register: one row per full-assessment question, with owner, status and task.
#[utoipa::path(get, path = "/api/v1/assessments/{id}/controls.csv", tag = "reports",
    params(("id" = String, Path, description = "Assessment ID")),
    responses(
        (status = 200, description = "CSV", body = String, content_type = "text/csv"),
        (status = 404, description = "No such assessment", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn controls(
    State(state): State<AppState>,
    super::Id(id): super::Id,
) -> Result<Response, Problem> {
    let text = with_report(&state, &id, |ctx| Ok(csv::render(&control_register(ctx)))).await?;
    Ok(csv_response("ai-control-register", &id, text))
}

#[cfg(test)]
mod tests {
    use aims_engine::valid_email;

    #[test]
    fn tells_plausible_email_addresses_apart() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org", "x@exämple.de"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "", "plain", "@b.co", "a@", "a@b", "a@@b.co", "a b@c.de", "a@-b.co", "a@b..co",
            "a@b.co\n",
        ] {
            assert!(!valid_email(bad), "{bad:?}");
        }
    }
}
