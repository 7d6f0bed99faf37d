//! HTTP: routes, the one error type (RFC 9457 problems), rate limiting and headers.

mod admin;
mod assessments;
pub(crate) mod embed;
mod json;
mod meta;
mod openapi;

use crate::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota};
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The API's routes with their layers.
pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            state
                .config
                .allowed_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim()).ok()),
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            "idempotency-key".parse().expect("valid header name"),
        ])
        .expose_headers([header::LOCATION]);
    Router::new()
        .merge(meta::router(&state.config.widget_dir))
        .merge(embed::router())
        .merge(assessments::router())
        .merge(admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit_posts,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
        // One line per request: method, path, status, latency. Paths and queries carry
        // IDs and filters only; bodies (where contact details live) are never logged.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

/// An RFC 9457 problem: the one error type of the API. 5xx details are logged, never sent.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<serde_json::Value>,
    retry_after: Option<u64>,
}

impl Problem {
    /// A problem with a status, a short title and a detail for the client.
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A validation failure naming one field.
    pub fn field(
        status: StatusCode,
        title: &'static str,
        pointer: &str,
        detail: impl Into<String>,
    ) -> Problem {
        let detail = detail.into();
        let mut p = Problem::new(status, title, detail.clone());
        p.errors
            .push(json!({ "pointer": pointer, "detail": detail }));
        p
    }

    /// An engine error: 400 when the JSON does not have the right shape, 422 when the
    /// answers do not fit the bank.
    pub fn from_engine(e: &aims_engine::Error) -> Problem {
        let malformed = matches!(e.kind(), aims_engine::ProblemKind::Json { .. });
        let (status, title) = if malformed {
            (StatusCode::BAD_REQUEST, "Malformed request body")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "Invalid assessment")
        };
        let mut p = Problem::new(status, title, e.to_string());
        p.errors = e
            .problems()
            .iter()
            .map(|x| json!({ "pointer": x.pointer, "detail": x.to_string() }))
            .collect();
        p
    }

    /// A server-side failure: logged with its cause, shown to the client without it.
    pub fn internal(cause: impl std::fmt::Display) -> Problem {
        tracing::error!(error = %cause, "internal error");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "Something went wrong on our side; nothing was stored.",
        )
    }
}

impl From<crate::db::DbError> for Problem {
    fn from(e: crate::db::DbError) -> Problem {
        match e {
            crate::db::DbError::IdempotencyConflict => Problem::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Idempotency key reused",
                "",
                "This Idempotency-Key was already used for a different request.",
            ),
            other => {
                let mut p = Problem::internal(other);
                p.status = StatusCode::SERVICE_UNAVAILABLE;
                p.title = "Storage unavailable";
                p
            }
        }
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
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// A JSON response serialised into a buffer sized for an evaluation (about 60 KB), so
/// that large bodies are written once instead of being regrown and copied, by the
/// faster writer of [`json`] (the same bytes as `serde_json`).
pub struct BigJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for BigJson<T> {
    fn into_response(self) -> Response {
        match json::to_vec(&self.0, 96 * 1024) {
            Ok(buf) => ([(header::CONTENT_TYPE, "application/json")], buf).into_response(),
            Err(e) => Problem::internal(e).into_response(),
        }
    }
}

/// An `{id}` path segment. A segment that cannot be read (invalid percent-encoding or
/// UTF-8) names nothing, so it is a 404 problem like any unknown ID.
pub struct Id(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Id, Problem> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Id(id)),
            Err(_) => Err(not_found().await),
        }
    }
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        "This address does not take that method; see /api/openapi.json.",
    )
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        "There is nothing at this address.",
    )
}

/// The current time, RFC 3339 UTC with microseconds (sorts as text).
pub fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// RFC 3339 UTC `secs` seconds from now.
pub fn timestamp_in(secs: i64) -> String {
    timestamp(time::OffsetDateTime::now_utc() + time::Duration::seconds(secs))
}

fn timestamp(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    t.format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000000Z".to_string())
}

/// Per-client-IP limiter for POST requests.
pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl RateLimiter {
    /// `per_minute` requests per IP per minute, in bursts up to the same number.
    pub fn new(per_minute: u32) -> RateLimiter {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        RateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)),
        }
    }
}

async fn rate_limit_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if let Err(not_until) = state.limiter.limiter.check_key(&ip) {
            crate::metrics::inc(&state.metrics.rate_limited);
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            let mut p = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                "Too many submissions from your address; try again shortly.",
            );
            p.retry_after = Some(wait.as_secs().max(1));
            return p.into_response();
        }
    }
    next.run(request).await
}

async fn count_responses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let m = &state.metrics;
    match response.status().as_u16() {
        200..=399 => crate::metrics::inc(&m.responses_2xx),
        400..=499 => crate::metrics::inc(&m.responses_4xx),
        _ => crate::metrics::inc(&m.responses_5xx),
    }
    response
}
