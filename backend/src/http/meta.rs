//! Health, readiness, metrics, the question bank, stateless evaluation, the demo page
//! and the built widget.

use super::Problem;
use crate::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::services::ServeDir;

pub fn router(widget_dir: &std::path::Path) -> Router<AppState> {
    Router::new()
        .route("/", get(demo))
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/v1/bank", get(bank))
        .route("/api/v1/evaluate", post(evaluate).layer(super::no_store()))
        .nest_service("/widget", widget_service(widget_dir))
}

/// The built widget: precompressed files, long caching for content-hashed names.
fn widget_service(dir: &std::path::Path) -> axum::routing::MethodRouter {
    let serve = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    axum::routing::get_service(serve).layer(middleware::from_fn(cache_headers))
}

/// `name.0123abcd.js`: a content hash in the name means the file never changes.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The widget's files are public, as on a CDN: any site may embed them. Writes to the
    // API stay limited to `--allowed-origins` (the CORS layer sets those origins instead).
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    // The same name is served as brotli, gzip or plain by the request's Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

const DEMO_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: https:; frame-ancestors 'self'";

async fn demo() -> Response {
    let mut r = Html(include_str!("demo.html")).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DEMO_CSP),
    );
    r
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = String, content_type = "text/plain")))]
async fn healthz() -> &'static str {
    "ok"
}

async fn openapi(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.live().openapi_json.clone(),
    )
        .into_response()
}

/// Readiness: the database is reachable.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready", body = String, content_type = "text/plain"),
    (status = 503, description = "Database unreachable", body = super::ProblemDetails, content_type = "application/problem+json")))]
async fn readyz(State(state): State<AppState>) -> Result<&'static str, Problem> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "database not reachable");
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not ready",
            "The database is not reachable.",
        )
    })?;
    Ok("ready")
}

/// Counters and gauges in the OpenMetrics text format (Prometheus reads it).
#[utoipa::path(get, path = "/metrics", tag = "operations", responses(
    (status = 200, description = "OpenMetrics text exposition", body = String, content_type = "application/openmetrics-text")))]
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state
            .metrics
            .render(state.limits.tracked(), state.connections.open()),
    )
        .into_response()
}

/// Response header of `GET /api/v1/bank`: `yes` when the requesting page's origin may
/// send results (same origin, or in `--allowed-origins`), `no` otherwise, so the widget
/// can say so before a visitor fills in the lead form.
pub(super) const ORIGIN_ALLOWED: &str = "aims-origin-allowed";

/// The active question bank: requirements, questions (quick and full), frameworks, sectors
/// and every assumption of the estimator. Public, like the widget, to every origin.
#[utoipa::path(get, path = "/api/v1/bank", tag = "assessments",
    params(("if-none-match" = Option<String>, Header, description = "The entity tag of a copy held; a 304 when it is still current")),
    responses(
        (status = 200, description = "The question bank, with the consultancy's branding and call to action in `site`", body = aims_engine::BankData,
            headers(("aims-origin-allowed" = String,
                description = "`yes` when the requesting page's origin may send results (same origin or in `--allowed-origins`), otherwise `no`"),
                ("etag" = String, description = "Changes whenever the bank or the console's settings change"))),
        (status = 304, description = "The copy held (`If-None-Match`) is current")))]
async fn bank(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = super::page_origin(&state, &headers) != Some(super::PageOrigin::Other);
    let live = state.live();
    let etag = HeaderValue::from_str(&live.bank_etag).expect("a hex entity tag");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == live.bank_etag));
    let common = [
        (
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
        (
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(ORIGIN_ALLOWED),
        ),
        (
            HeaderName::from_static(ORIGIN_ALLOWED),
            HeaderValue::from_static(if allowed { "yes" } else { "no" }),
        ),
        // Kept by the browser and checked each time (a 304 when unchanged), so that a
        // change in the console shows on the next visit.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::ETAG, etag),
        (header::VARY, HeaderValue::from_static("origin")),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(header::CONTENT_TYPE, "application/json")],
        live.bank_json.clone(),
    )
        .into_response()
}

/// Evaluates an assessment without storing anything: readiness, gaps, estimate, roadmap.
#[utoipa::path(post, path = "/api/v1/evaluate", tag = "assessments",
    request_body(content = aims_engine::AssessmentInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The evaluation", body = aims_engine::Evaluation),
        (status = 400, description = "Malformed JSON or wrong shape", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 408, description = "The body did not arrive within the body timeout", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body over 64 KiB, sent or declared", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json, or a Content-Encoding other than identity", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Answers that do not fit the bank", body = super::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Rate limit", body = super::ProblemDetails, content_type = "application/problem+json"),
    ))]
async fn evaluate(
    State(state): State<AppState>,
    super::JsonText(text): super::JsonText,
) -> Result<Response, Problem> {
    let input =
        aims_engine::AssessmentInput::from_json(&text).map_err(|e| Problem::from_engine(&e))?;
    let evaluation = state
        .bank_named(input.bank_version.as_deref())
        .evaluate_input(&input)
        .map_err(|e| Problem::from_engine(&e))?;
    state.metrics.evaluations.inc();
    Ok(super::JsonBody(evaluation).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn recognises_content_hashed_names() {
        assert!(super::is_hashed("/widget/aims-readiness.3f2a9c1b.js"));
        assert!(super::is_hashed("app_bg.0123456789abcdef.wasm"));
        assert!(!super::is_hashed("/widget/aims-readiness.js"));
        assert!(!super::is_hashed("/widget/readme.txt"));
    }
}
