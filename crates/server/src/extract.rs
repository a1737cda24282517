//! Request extractors whose failures are [`ApiError`]s in the SPEC shape:
//! JSON bodies (malformed JSON with its line and column, wrong types and
//! unknown fields naming the field, bodies over the limit as 413), query
//! strings and path parameters.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest request body accepted (1 MiB).
pub const BODY_LIMIT: usize = 1 << 20;

/// A JSON body parsed into `T` (whose fields are usually
/// `#[serde(deny_unknown_fields)]`).
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses JSON bytes into `T`, with errors naming the position or the field.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let message = if path == "." || path.is_empty() {
                inner.to_string()
            } else {
                format!("field `{path}`: {inner}")
            };
            ApiError::bad_request("invalid_field", message)
        } else {
            ApiError::bad_request("invalid_json", format!("malformed JSON: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request("invalid_json", format!("malformed JSON: {e}")))?;
    Ok(value)
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !is_json(content_type) {
            return Err(ApiError::bad_request(
                "invalid_content_type",
                "the body must be JSON (Content-Type: application/json)",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(BODY_LIMIT)
            } else {
                ApiError::bad_request("invalid_body", rejection.body_text())
            }
        })?;
        // Every body is an object; serde would also take a struct from an
        // array of its fields in order, which no client means to send.
        if bytes.trim_ascii_start().first() == Some(&b'[') {
            return Err(ApiError::bad_request(
                "invalid_body",
                "the body must be a JSON object, not an array",
            ));
        }
        parse_json(&bytes).map(Self)
    }
}

/// A query string parsed into `T`.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let message = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Err(ApiError::bad_request(
                    "invalid_query",
                    format!("invalid query string: {message}"),
                ))
            }
        }
    }
}

/// Path parameters parsed into `T`.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::bad_request(
                "invalid_path",
                format!("invalid path parameter: {}", rejection.body_text()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        manager: Option<i64>,
    }

    fn message(bytes: &[u8]) -> (String, String) {
        match parse_json::<Body>(bytes) {
            Ok(body) => panic!("parsed {body:?}"),
            Err(e) => (e.code().to_owned(), e.to_string()),
        }
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let (code, text) = message(b"{\n  \"name\": \"x\",,\n}");
        assert_eq!(code, "invalid_json");
        assert!(text.contains("line 2 column"), "{text}");
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let (code, text) = message(br#"{"name": "x", "manager": "boss"}"#);
        assert_eq!(code, "invalid_field");
        assert!(text.contains("manager"), "{text}");
    }

    #[test]
    fn an_unknown_field_is_named() {
        let (_, text) = message(br#"{"name": "x", "salary": 3}"#);
        assert!(text.contains("salary"), "{text}");
    }

    #[test]
    fn json_content_types_are_recognised() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json(""));
    }
}
