//! Response headers that every answer of the server carries, API and error
//! answers included: no MIME sniffing, a Content-Security-Policy that lets
//! nothing run or load from a JSON or SVG answer, no referrer, nothing kept
//! in a cache unless the handler said otherwise (answers hold personal
//! data), and HSTS when the request came over TLS.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// The policy of API answers: they are data, never a document to render.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";
/// One year, the usual HSTS lifetime.
const HSTS: &str = "max-age=31536000";

/// Whether the request reached us over TLS: the server is told so
/// (`--secure-cookies`), or the proxy in front says so.
pub fn behind_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies()
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// Adds `Strict-Transport-Security` to answers of requests that came over TLS.
pub async fn hsts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let tls = behind_tls(&state, request.headers());
    let mut response = next.run(request).await;
    if tls {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// The headers of every API answer (see the module docs).
pub(crate) async fn api(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(API_CSP));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
