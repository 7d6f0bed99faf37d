//! `/embed`: a bare page holding one widget, for sites that prefer an iframe to the
//! script snippet. Who may frame it is the `--frame-ancestors` setting.

use crate::AppState;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/embed", get(embed))
        .route(
            "/embed/height.js",
            get(|| script(include_str!("embed-height.js"))),
        )
        .route(
            "/embed/frame.js",
            get(|| script(include_str!("embed-frame.js"))),
        )
}

/// One of the two small scripts that size an iframe to the widget: `height.js` runs in
/// the embed page, `frame.js` on the page that frames it (any site: it is public).
async fn script(text: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        text,
    )
        .into_response()
}

/// Checks a `frame-ancestors` source list: `*`, `'self'`, `'none'` or scheme/host sources
/// separated by spaces; nothing that could end the directive or the header (no `;`, no
/// control characters such as a line break).
pub fn check_frame_ancestors(list: &str) -> Result<(), String> {
    let sources: Vec<&str> = list.split(' ').filter(|s| !s.is_empty()).collect();
    let ok = !sources.is_empty()
        && sources.iter().all(|s| {
            matches!(*s, "*" | "'self'" | "'none'")
                || s.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'.' | b'-' | b'*')
                })
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--frame-ancestors {list:?} is not a CSP source list (use *, 'self', 'none' or origins such as https://consultancy.example, separated by spaces)"
        ))
    }
}

/// The embed page. `?mode=full` for the full assessment, anything else gives the quick quiz;
/// `analytics=off` keeps the widget from counting the funnel.
#[utoipa::path(get, path = "/embed", tag = "widget",
    params(("mode" = Option<String>, Query, description = "`quick` (default) or `full`"),
        ("analytics" = Option<String>, Query, description = "`off`: the widget counts no funnel step")),
    responses((status = 200, description = "A page holding one widget, for an iframe", content_type = "text/html")))]
async fn embed(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let given = |wanted: &str| {
        query
            .as_deref()
            .is_some_and(|q| q.split('&').any(|pair| pair == wanted))
    };
    let mode = if given("mode=full") { "full" } else { "quick" };
    let analytics = if given("analytics=off") {
        " data-analytics=\"off\""
    } else {
        ""
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ISO/IEC 42001 readiness</title>\n<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<main>\n\
         <div data-aims-readiness data-api=\"\" data-mode=\"{mode}\"{analytics}></div>\n</main>\n\
         <script type=\"module\" src=\"/widget/aims-readiness.js\"></script>\n\
         <script src=\"/embed/height.js\" defer></script>\n</body>\n</html>\n"
    );
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self'; img-src 'self' data: https:; base-uri 'none'; form-action 'self'; \
         frame-ancestors {}",
        state.config.frame_ancestors
    );
    let mut response = Html(page).into_response();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::check_frame_ancestors;

    #[test]
    fn frame_ancestors_accepts_source_lists_only() {
        assert!(check_frame_ancestors("*").is_ok());
        assert!(check_frame_ancestors("'self' https://consultancy.example").is_ok());
        assert!(check_frame_ancestors("https://*.example.org").is_ok());
        assert!(check_frame_ancestors("").is_err());
        assert!(check_frame_ancestors("'self'; script-src *").is_err());
        assert!(check_frame_ancestors("https://a.example\r\nX-Evil: 1").is_err());
    }
}
