//! The widget's funnel: `POST /api/v1/events` counts a view, a start, a completion or a
//! lead per day, embedding site and mode. Anonymous by construction: the body has two
//! words and nothing else is kept (no cookie, no address, no identifier), and only the
//! server's own pages and `--allowed-origins` may count.

use super::{JsonText, Problem};
use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/events", post(count).layer(super::no_store()))
}

/// A step of the visitor's journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FunnelEvent {
    /// The widget was shown.
    View,
    /// The visitor started (left the first screen).
    Start,
    /// The results were shown.
    Complete,
    /// A lead was left.
    Lead,
}

impl FunnelEvent {
    /// Every step, in the funnel's order.
    pub const ALL: [FunnelEvent; 4] = [
        FunnelEvent::View,
        FunnelEvent::Start,
        FunnelEvent::Complete,
        FunnelEvent::Lead,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FunnelEvent::View => "view",
            FunnelEvent::Start => "start",
            FunnelEvent::Complete => "complete",
            FunnelEvent::Lead => "lead",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            FunnelEvent::View => "Saw the widget",
            FunnelEvent::Start => "Started",
            FunnelEvent::Complete => "Saw their results",
            FunnelEvent::Lead => "Left their details",
        }
    }
}

/// What the widget sends.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Which step.
    pub event: FunnelEvent,
    /// Which widget mode.
    pub mode: aims_engine::Mode,
}

/// What the server's own pages (the demo page, `/embed`) are counted as.
pub const OWN_PAGES: &str = "this server's pages";

/// The site a step is counted for: a listed origin, or [`OWN_PAGES`] for a page of this
/// server. Only those: a client could write any origin, so the funnel holds at most one
/// row per listed site (plus one) per day, mode and step.
fn countable_origin(state: &AppState, headers: &HeaderMap) -> Option<String> {
    match super::page_origin(state, headers)? {
        super::PageOrigin::Listed(origin) => Some(origin.to_string()),
        super::PageOrigin::Own => Some(OWN_PAGES.to_string()),
        super::PageOrigin::Other => None,
    }
}

/// Counts one step of the funnel. Only pages of this server and of `--allowed-origins`
/// count (a browser sends its page's origin; other clients can claim a listed one, which
/// the per-client rate limit bounds); the body names the step and the mode, nothing else.
#[utoipa::path(post, path = "/api/v1/events", tag = "assessments",
    params(("Origin" = String, Header, description = "The embedding page's origin (browsers send it): this server's own, or one of `--allowed-origins`")),
    request_body(content = EventInput, content_type = "application/json"),
    responses(
        (status = 204, description = "Counted"),
        (status = 400, description = "Malformed JSON, an unknown step or mode, or another field", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "No origin, or one that may not count", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 408, description = "The body did not arrive within the body timeout", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB, sent or declared", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json, or a Content-Encoding other than identity", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Storage unavailable", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn count(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonText(body): JsonText,
) -> Result<Response, Problem> {
    let input: EventInput = serde_json::from_str(&body).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Malformed request body",
            format!("Send {{\"event\": \"view\" | \"start\" | \"complete\" | \"lead\", \"mode\": \"quick\" | \"full\"}} and nothing else ({e})."),
        )
    })?;
    let Some(origin) = countable_origin(&state, &headers) else {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Origin not allowed",
            "Only this server's pages and the sites in --allowed-origins are counted.",
        ));
    };
    let day = time::OffsetDateTime::now_utc().date();
    state
        .db
        .count_event(
            &day.to_string(),
            &origin,
            input.mode.as_str(),
            input.event.as_str(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
