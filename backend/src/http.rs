//! HTTP routes: health, the question bank, stateless evaluation and the demo page.
//! Errors are RFC 9457 `application/problem+json`.

use crate::AppState;
use aims_engine::{AssessmentInput, Error as EngineError};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The API's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(demo))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/bank", get(bank))
        .route("/api/v1/evaluate", post(evaluate))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// An RFC 9457 problem.
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<serde_json::Value>,
}

impl Problem {
    fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            title,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    fn from_engine(e: &EngineError) -> Problem {
        let status = match e.kind() {
            aims_engine::ProblemKind::Json { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let title = if status == StatusCode::BAD_REQUEST {
            "Malformed request body"
        } else {
            "Invalid assessment"
        };
        let mut p = Problem::new(status, title, e.to_string());
        p.errors = e
            .problems()
            .iter()
            .map(|x| json!({ "pointer": x.pointer, "detail": x.to_string() }))
            .collect();
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let slug = self.title.to_ascii_lowercase().replace(' ', "-");
        let mut body = json!({
            "type": format!("/problems/{slug}"),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.errors.is_empty() {
            body["errors"] = serde_json::Value::Array(self.errors);
        }
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

async fn demo() -> Html<&'static str> {
    Html(include_str!("demo.html"))
}

async fn bank(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.bank_json.to_string(),
    )
        .into_response()
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        "There is nothing at this address.",
    )
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

async fn evaluate(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, Problem> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large",
                format!("The body must be at most {MAX_BODY_BYTES} bytes."),
            )
        } else {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Unreadable request body",
                r.body_text(),
            )
        }
    })?;
    if !is_json(&headers) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send the assessment as application/json.",
        ));
    }
    let text = std::str::from_utf8(&body).map_err(|_| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Malformed request body",
            "The body is not valid UTF-8.",
        )
    })?;
    let input = AssessmentInput::from_json(text).map_err(|e| Problem::from_engine(&e))?;
    let evaluation = state
        .bank
        .evaluate_input(&input)
        .map_err(|e| Problem::from_engine(&e))?;
    Ok(axum::Json(evaluation).into_response())
}
