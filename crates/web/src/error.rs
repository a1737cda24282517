//! What a page answers when it cannot show what was asked: the login page
//! for a visitor without a session, an error page with the status
//! otherwise. Internal causes are logged, never shown.

use askama::Template;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use climb_server::ApiError;
use climb_server::auth::SESSION_COOKIE;
use serde::de::DeserializeOwned;

/// Why a page failed.
#[derive(Debug)]
pub(crate) enum PageError {
    /// No valid session: go to the login page, then back to this path.
    Login(String),
    /// An API-layer refusal (403, 404, 422…), shown with its message.
    Api(ApiError),
    /// A status and a message for the visitor.
    Status(StatusCode, &'static str),
    /// A template failed to render.
    Render(askama::Error),
}

/// Ids from the path (`/reviews/{id}`): an address whose id is not a number
/// gets the site's error page (400) rather than the router's plain text.
#[derive(Debug)]
pub(crate) struct IdPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for IdPath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(_) => Err(PageError::Status(
                StatusCode::BAD_REQUEST,
                "This address is not valid: the id in it must be a number.",
            )),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        Self::Render(error)
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    reason: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Self::Login(next) => {
                let target = format!("/login?next={}", encode(&next));
                let mut response = StatusCode::SEE_OTHER.into_response();
                if let Ok(value) = HeaderValue::from_str(&target) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
                // htmx follows this header with a full page load.
                if let Ok(value) = HeaderValue::from_str(&target) {
                    response.headers_mut().insert("hx-redirect", value);
                }
                // Whatever session cookie came along is not one the server
                // knows (ended, expired, or from before a restore): drop it.
                if let Ok(clear) = HeaderValue::from_str(&format!(
                    "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
                )) {
                    response.headers_mut().insert(header::SET_COOKIE, clear);
                }
                return response;
            }
            Self::Api(error) => {
                let status = error.status();
                if status.is_server_error() {
                    tracing::error!(%error, "page failed");
                    (status, "Something went wrong on our side.".to_owned())
                } else {
                    (status, error.to_string())
                }
            }
            Self::Status(status, message) => (status, message.to_owned()),
            Self::Render(error) => {
                tracing::error!(%error, "template failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side.".to_owned(),
                )
            }
        };
        let page = ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("Error").to_owned(),
            message,
        };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => status.into_response(),
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
