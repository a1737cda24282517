//! Cross-site request forgery protection for every POST of the pages: the
//! form field `csrf` (or the `X-CSRF-Token` header htmx sends) must equal
//! the token of the caller's session, derived from the session id, or,
//! before login, the random value of the `climb_csrf` cookie.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use climb_server::auth::{hash_secret, session_cookie};

use crate::error::PageError;

/// The cookie holding the token of the login form, before there is a session.
pub(crate) const LOGIN_COOKIE: &str = "climb_csrf";
/// The header htmx requests carry the token in.
const HEADER: &str = "x-csrf-token";
/// The largest form body read to find the token.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

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
pub(crate) fn expected(headers: &HeaderMap) -> Option<String> {
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
    let Some(expected) = expected(request.headers()) else {
        return refused();
    };
    if let Some(sent) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same(sent, &expected) {
            next.run(request).await
        } else {
            refused()
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refused();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return PageError::Status(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.")
            .into_response();
    };
    let sent: Option<String> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| {
            fields
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v)
        });
    match sent {
        Some(sent) if same(&sent, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refused(),
    }
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
