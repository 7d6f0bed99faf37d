//! The one module that talks to the API (only when the host page set `data-api`).

use crate::json::{self, Node};
use aims_engine::Bank;
use gloo_net::http::{Request, Response};

/// Why a request to the API did not give what was asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, CORS refused, connection reset).
    Network,
    /// The server refused the request as invalid (4xx except 408/429), with its reasons.
    Refused {
        /// The problem's detail, for the visitor.
        detail: String,
        /// Field messages: `("email", "Give a valid email address…")`.
        fields: Vec<(String, String)>,
    },
    /// The server is busy or failed (429, 408, 5xx): trying again later may work.
    Unavailable {
        /// The HTTP status.
        status: u16,
    },
    /// The server answered something this widget cannot read.
    Unexpected(String),
}

impl ApiError {
    /// A sentence for the visitor.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network => "The server could not be reached. Your answers are kept in this browser; check the connection and try again.".into(),
            ApiError::Refused { detail, .. } => format!("The server did not accept the submission: {detail}"),
            ApiError::Unavailable { status: 429 } => "The server is busy. Your answers are kept; try again in a minute.".into(),
            ApiError::Unavailable { status } => format!("The server could not store the submission (HTTP {status}). Your answers are kept; try again."),
            ApiError::Unexpected(what) => format!("The server sent an unexpected answer ({what})."),
        }
    }

    /// Whether trying again may help.
    pub fn retryable(&self) -> bool {
        matches!(self, ApiError::Network | ApiError::Unavailable { .. })
    }
}

/// A refusal (a 4xx) from the RFC 9457 problem in its body: the problem's detail (or its
/// title), and for each field problem the last segment of its pointer with its message.
pub fn refused(body: &str) -> ApiError {
    let text_or_empty = |n: Node| n.or(String::new(), Node::string);
    let (detail, fields) = json::read(body, |n| {
        let detail = [n.field("detail"), n.field("title")]
            .into_iter()
            .map(text_or_empty)
            .find(|t| !t.is_empty());
        let fields = n.field("errors").or(Vec::new(), |errors| {
            errors.list(|e| {
                let pointer = text_or_empty(e.field("pointer"));
                let field = pointer.rsplit('/').next().unwrap_or_default().to_string();
                (field, text_or_empty(e.field("detail")))
            })
        });
        (detail, fields)
    })
    .unwrap_or_default();
    ApiError::Refused {
        detail: detail.unwrap_or_else(|| "the request was refused".into()),
        fields,
    }
}

fn url(api: &str, path: &str) -> String {
    format!("{}{path}", api.trim_end_matches('/'))
}

async fn check(response: Response) -> Result<Response, ApiError> {
    let status = response.status();
    if response.ok() {
        return Ok(response);
    }
    if status == 408 || status == 429 || status >= 500 {
        return Err(ApiError::Unavailable { status });
    }
    Err(refused(&response.text().await.unwrap_or_default()))
}

/// Sends a request and returns the body of a successful response.
async fn send(request: gloo_net::http::Request) -> Result<String, ApiError> {
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    check(response)
        .await?
        .text()
        .await
        .map_err(|_| ApiError::Network)
}

/// The API's question bank (checked by the server; read here into the engine's form), and whether the API accepts results
/// from this page's origin (its `aims-origin-allowed` header; the bank itself is public).
pub async fn fetch_bank(api: &str) -> Result<(Bank, bool), ApiError> {
    let request = Request::get(&url(api, "/api/v1/bank"))
        .build()
        .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let response = check(request.send().await.map_err(|_| ApiError::Network)?).await?;
    let allowed = response.headers().get("aims-origin-allowed").as_deref() != Some("no");
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    let data = crate::bank::read(&text).map_err(ApiError::Unexpected)?;
    let bank = Bank::new(data).map_err(|e| ApiError::Unexpected(e.to_string()))?;
    Ok((bank, allowed))
}

/// Stores the answers and the lead; returns the assessment's ID. The same
/// `idempotency_key` on a retry returns the same assessment instead of a second one.
pub async fn submit(api: &str, body: String, idempotency_key: &str) -> Result<String, ApiError> {
    let request = Request::post(&url(api, "/api/v1/assessments"))
        .header("Idempotency-Key", idempotency_key)
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let text = send(request).await?;
    json::read(&text, |n| n.field("id").string())
        .map_err(|_| ApiError::Unexpected("no assessment id in the response".into()))
}

/// Counts a step of the visitor's journey (`view`, `start`, `complete`, `lead`) on the
/// consultancy's funnel, without waiting for it: the step and the mode only (the browser
/// adds the page's origin; no cookies are sent). Off without `data-api` and with
/// `data-analytics="off"` on the host element.
pub fn funnel(host: &web_sys::Element, event: &str, mode: aims_engine::Mode) {
    let Some(api) = host.get_attribute("data-api") else {
        return;
    };
    if host.get_attribute("data-analytics").as_deref() == Some("off") {
        return;
    }
    let body = format!(r#"{{"event":"{event}","mode":"{}"}}"#, mode.as_str());
    if let Ok(request) = Request::post(&url(api.trim(), "/api/v1/events"))
        .header("Content-Type", "application/json")
        .body(body)
    {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = request.send().await;
        });
    }
}

/// A fresh random key for `Idempotency-Key` (128 bits from the browser's CSPRNG when
/// available).
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
