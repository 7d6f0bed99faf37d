//! HTTP: routes, the one error type (RFC 9457 problems), rate limiting and headers.

mod admin;
mod assessments;
pub mod console;
pub(crate) mod embed;
mod events;
mod meta;
mod openapi;
mod settings;

pub(crate) use assessments::report_html;
pub(crate) use openapi::document as openapi_document;

use crate::AppState;
use crate::clients::ClientKey;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

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
        .expose_headers([
            header::LOCATION,
            meta::ORIGIN_ALLOWED.parse().expect("valid header name"),
        ]);
    Router::new()
        .merge(meta::router(&state.config.widget_dir))
        .merge(embed::router())
        .merge(assessments::router())
        .merge(admin::router())
        .merge(console::router())
        .merge(events::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), read_bodies))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit_posts,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            identify_client,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .layer(cors)
        // One line per request: method, path, status, latency. Paths carry IDs only; the
        // query (the console's search can hold an email) and bodies (where contact details
        // live) are never logged.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|r: &Request| {
                    tracing::info_span!("request", method = %r.method(), path = %r.uri().path())
                })
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

/// Where a browser's request comes from, by its `Origin` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageOrigin<'h> {
    /// A page of this server (`http(s)://` and the request's own `Host`).
    Own,
    /// One of `--allowed-origins`.
    Listed(&'h str),
    /// Any other site.
    Other,
}

/// The origin of the page that sent a request, or `None` without an `Origin` header
/// (not a browser's cross-origin request).
pub(super) fn page_origin<'h>(
    state: &AppState,
    headers: &'h axum::http::HeaderMap,
) -> Option<PageOrigin<'h>> {
    let origin = headers
        .get(header::ORIGIN)?
        .to_str()
        .unwrap_or_default()
        .trim();
    if state
        .config
        .allowed_origins
        .iter()
        .any(|o| o.trim() == origin)
    {
        return Some(PageOrigin::Listed(origin));
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let own = host.is_some_and(|h| {
        ["http://", "https://"]
            .iter()
            .any(|scheme| origin.strip_prefix(scheme) == Some(h))
    });
    Some(if own {
        PageOrigin::Own
    } else {
        PageOrigin::Other
    })
}

/// `Cache-Control: no-store` on what a route answers (assessments, reports, leads: they
/// are for whoever holds the link or the token, not for caches on the way).
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

/// An RFC 9457 problem: the one error type of the API. 5xx details are logged, never sent.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<FieldProblem>,
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
        p.errors.push(FieldProblem {
            pointer: pointer.to_string(),
            detail,
        });
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
            .map(|x| FieldProblem {
                pointer: x.pointer.clone(),
                detail: x.to_string(),
            })
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

/// One offending field of a problem.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// JSON Pointer to the field (`/answers/3/level`).
    pointer: String,
    /// What was wrong with it.
    detail: String,
}

/// An RFC 9457 problem as sent: how every error is reported.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProblemDetails<'a> {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    kind: String,
    /// Short summary.
    title: &'a str,
    /// HTTP status.
    status: u16,
    /// What was wrong, for a person.
    detail: &'a str,
    /// For validation failures: each offending field.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldProblem],
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let slug = self.title.to_ascii_lowercase().replace(' ', "-");
        let body = ProblemDetails {
            kind: format!("/problems/{slug}"),
            title: self.title,
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
        };
        let body = serde_json::to_string(&body).unwrap_or_default();
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
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

/// A JSON response written by `serde_json` into a buffer sized for an evaluation (about
/// 60 KB), so that a large body is written once instead of regrown and copied.
pub struct JsonBody<T>(pub T);

impl<T: serde::Serialize> IntoResponse for JsonBody<T> {
    fn into_response(self) -> Response {
        let mut buf = Vec::with_capacity(96 * 1024);
        match serde_json::to_writer(&mut buf, &self.0) {
            Ok(()) => ([(header::CONTENT_TYPE, "application/json")], buf).into_response(),
            Err(e) => Problem::internal(e).into_response(),
        }
    }
}

/// A request body that is JSON text: `application/json`, within the size limit, UTF-8.
/// Anything else is refused with the problem that says so (413, 400, 415) before the
/// handler runs.
pub struct JsonText(pub String);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JsonText {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<JsonText, Problem> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| match r.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(MAX_BODY_BYTES),
                _ => Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Unreadable request body",
                    r.body_text(),
                ),
            })?;
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "Send the assessment as application/json.",
            ));
        }
        String::from_utf8(body.into()).map(JsonText).map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Malformed request body",
                "The body is not valid UTF-8.",
            )
        })
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

/// The client a request is from, as the limits count it: its address behind the trusted
/// proxies (set on every request by [`identify_client`]).
#[derive(Clone, Copy, Debug)]
pub struct Client(pub IpAddr);

impl Client {
    /// The key the per-client limits use.
    pub fn key(self) -> ClientKey {
        ClientKey::of(self.0)
    }
}

async fn identify_client(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = state.proxies.client_address(peer, request.headers());
    request.extensions_mut().insert(Client(client));
    next.run(request).await
}

/// A 429 problem that says when to come back.
pub fn too_many(detail: &str, wait: Duration) -> Problem {
    let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests", detail);
    p.retry_after = Some(wait.as_secs().max(1));
    p
}

async fn rate_limit_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let client = request
            .extensions()
            .get::<Client>()
            .copied()
            .unwrap_or(Client(IpAddr::from([0, 0, 0, 0])));
        if let Err(wait) = state.limits.post(client.key()) {
            state.metrics.rate_limited.inc();
            return too_many(
                "Too many submissions from your address; try again shortly.",
                wait,
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// A refusal after which the connection is closed: the rest of the body is not read.
fn closing(problem: Problem) -> Response {
    let mut response = problem.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

pub(super) fn too_large(limit: usize) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Request body too large",
        format!("The body must be at most {limit} bytes."),
    )
}

/// Request bodies: a declared length over the limit is refused at once (413), a body in
/// an encoding we do not decode is refused (415) rather than stored as if plain, and a
/// POST body must arrive whole within `--body-timeout-secs` (408), so that a client
/// sending a byte every few seconds cannot hold a connection. Other methods take no body:
/// theirs is not read, and the connection is closed after the response.
async fn read_bodies(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    if !chunked && declared.unwrap_or(0) == 0 {
        return next.run(request).await;
    }
    // A question bank uploaded in the console is the one larger body, and only a
    // signed-in owner may send it: nobody else makes the server hold a megabyte.
    let bank_upload = request.method() == Method::POST && request.uri().path() == "/admin/banks";
    let limit = if bank_upload && console::owner_session(&state, headers).await {
        settings::MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return closing(too_large(limit));
    }
    if let Some(encoding) = headers.get(header::CONTENT_ENCODING) {
        let plain = encoding
            .to_str()
            .is_ok_and(|e| e.trim().eq_ignore_ascii_case("identity"));
        if !plain {
            return closing(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported content encoding",
                "Send the body uncompressed (no Content-Encoding, or identity).",
            ));
        }
    }
    if request.method() != Method::POST {
        let mut response = next.run(request).await;
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    let (parts, body) = request.into_parts();
    let timeout = Duration::from_secs(state.config.body_timeout_secs.max(1));
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Ok(Err(e)) => {
            let too_big = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_big {
                closing(too_large(limit))
            } else {
                closing(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Unreadable request body",
                    "The request body could not be read.",
                ))
            }
        }
        Err(_) => closing(Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "Request body too slow",
            format!(
                "The body did not arrive within {} seconds.",
                timeout.as_secs()
            ),
        )),
    }
}

async fn count_responses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    state.metrics.response(response.status().as_u16());
    response
}
