//! Cross-site request forgery protection for every POST of the pages: the
//! form field `csrf` (or the `X-CSRF-Token` header htmx sends) must equal
//! the token of the caller's session, derived from the session id, or,
//! before login, the random value of the `climb_csrf` cookie. Forms that
//! upload a file (`multipart/form-data`) carry it as their first field.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use climb_server::auth::{hash_secret, session_cookie};

use crate::error::PageError;

/// The cookie holding the token of the login form, before there is a session.
pub(crate) const LOGIN_COOKIE: &str = "climb_csrf";
/// The header htmx requests carry the token in.
const HEADER: &str = "x-csrf-token";
/// The largest form body read to find the token, but for the upload routes.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The largest body a POST to `path` may have.
fn limit(path: &str) -> usize {
    match path {
        "/admin/framework/check" | "/admin/framework" => crate::admin::FRAMEWORK_LIMIT,
        "/admin/import/check" | "/admin/import" => crate::admin::CSV_LIMIT,
        _ => FORM_LIMIT,
    }
}

/// The `csrf` field of a multipart body, looked for among its first fields
/// in the body's first 64 KiB (our forms send it first).
async fn multipart_token(headers: &HeaderMap, bytes: &Bytes) -> Option<String> {
    let head = bytes.slice(..bytes.len().min(64 * 1024));
    let mut request = Request::new(Body::from(head));
    *request.headers_mut() = headers.clone();
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    for _ in 0..4 {
        let field = form.next_field().await.ok()??;
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// The token of a session: a hash of its id under a purpose of its own, so
/// that the page never shows the session id itself.
pub(crate) fn session_token(session: &str) -> String {
    hash_secret(&format!("climb csrf token\n{session}"))
}

/// The value of cookie `name`, if sent.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The token a POST must carry: the session's, else the login cookie's.
/// The login form always carries the login cookie's, so a session cookie
/// the server no longer knows cannot stand in the way of logging in again.
pub(crate) fn expected(headers: &HeaderMap, path: &str) -> Option<String> {
    if path == "/login" {
        return cookie(headers, LOGIN_COOKIE);
    }
    session_cookie(headers)
        .filter(|s| !s.is_empty())
        .map(|s| session_token(&s))
        .or_else(|| cookie(headers, LOGIN_COOKIE))
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Lets GETs through; refuses a POST (403) whose token is missing or wrong.
pub(crate) async fn check(request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(expected) = expected(request.headers(), request.uri().path()) else {
        return refused();
    };
    if let Some(sent) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same(sent, &expected) {
            next.run(request).await
        } else {
            refused()
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !(is_form || is_multipart) {
        return refused();
    }
    let limit = limit(request.uri().path());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return too_large(limit);
    };
    let sent: Option<String> = if is_multipart {
        multipart_token(&parts.headers, &bytes).await
    } else {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|fields| {
                fields
                    .into_iter()
                    .find(|(k, _)| k == "csrf")
                    .map(|(_, v)| v)
            })
    };
    match sent {
        Some(sent) if same(&sent, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refused(),
    }
}

fn too_large(limit: usize) -> Response {
    let message = if limit >= crate::admin::CSV_LIMIT {
        "The file is too large: the limit is 50 MiB."
    } else if limit >= crate::admin::FRAMEWORK_LIMIT {
        "The file is too large: the limit is 4 MiB."
    } else {
        "The form is too large."
    };
    PageError::Status(StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}

fn refused() -> Response {
    PageError::Status(
        StatusCode::FORBIDDEN,
        "This form has expired or did not come from climb. Go back, reload the page and try again.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_stable_and_differs_from_the_session_id() {
        let a = session_token("climbs_abc");
        assert_eq!(a, session_token("climbs_abc"));
        assert_ne!(a, session_token("climbs_abd"));
        assert!(!a.contains("climbs_abc"));
    }

    #[test]
    fn tokens_compare_equal_only_when_identical() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
