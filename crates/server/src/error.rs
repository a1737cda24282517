//! The one error type of the HTTP layer: each variant carries its status and
//! becomes the JSON error of SPEC §5 (`{"error":{"code","message"}}`).
//! Internal causes are logged here, never shown to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use climb_people::{ErrorKind, PeopleError};
use climb_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Why a request failed, with the status it is answered with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (bad JSON, wrong type, unknown field,
    /// bad query or path parameter).
    #[error("{message}")]
    BadRequest {
        /// Stable code, e.g. `invalid_json`, `invalid_email`.
        code: &'static str,
        /// What is wrong, naming the field or position.
        message: String,
    },
    /// 401: no credentials, or credentials that are not (or no longer) valid.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the caller may know the object exists but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such object, or one the caller may not know exists.
    #[error("{message}")]
    NotFound {
        /// Stable code, e.g. `unknown_person`, `not_found`.
        code: &'static str,
        /// What was not found.
        message: String,
    },
    /// 405: the path exists, the method does not.
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// 409: conflicts with existing data (`email_taken`).
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// What conflicts.
        message: String,
    },
    /// 413: the body is larger than the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 422: a domain rule refused the request.
    #[error("{message}")]
    Rule {
        /// The stable code of the rule (`no_such_transition`, …).
        code: &'static str,
        /// Why, naming who and what.
        message: String,
    },
    /// 429: too many failed logins for this account, or from this address.
    #[error("too many failed attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// 503: the store does not answer.
    #[error("the store is not available")]
    Unavailable,
    /// 500: a failure on our side; the cause is logged, not shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The JSON error body of SPEC §5.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The code clients match on and a message for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`no_such_transition`, `email_taken`, …).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// A 400 with a code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// A 404 with a code and message.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    /// A 500 whose cause is logged.
    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(cause))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::NotFound { code, .. }
            | Self::Conflict { code, .. }
            | Self::Rule { code, .. } => code,
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::Unavailable => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The body of SPEC §5.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
            },
        }
    }
}

impl From<PeopleError> for ApiError {
    fn from(error: PeopleError) -> Self {
        let code = error.code();
        let message = error.to_string();
        match error.kind() {
            ErrorKind::Invalid => Self::BadRequest { code, message },
            ErrorKind::Forbidden => Self::Forbidden(message),
            ErrorKind::NotFound => Self::NotFound { code, message },
            ErrorKind::Conflict => Self::Conflict { code, message },
            ErrorKind::Rule => Self::Rule { code, message },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Domain(e) => e.into(),
            StoreError::EmailTaken { .. } => Self::Conflict {
                code: "email_taken",
                message: error.to_string(),
            },
            StoreError::RolesRemoved(_) => Self::Rule {
                code: "roles_removed",
                message: error.to_string(),
            },
            StoreError::OneOnOne(e) => e.into(),
            StoreError::Opening(e) => e.into(),
            StoreError::NotFound(what) => {
                Self::not_found("not_found", format!("there is no such {what}"))
            }
            StoreError::Import { .. } => Self::BadRequest {
                code: "invalid_import",
                message: error.to_string(),
            },
            StoreError::Refused { code, message } => Self::Rule { code, message },
            StoreError::NotYours { message, .. } => Self::Forbidden(message),
            StoreError::Missing { code, message } => Self::NotFound { code, message },
            other => Self::internal(other),
        }
    }
}

impl From<climb_management::one_on_one::OneOnOneError> for ApiError {
    fn from(error: climb_management::one_on_one::OneOnOneError) -> Self {
        let code = error.code();
        let message = error.to_string();
        if error.is_invalid_input() {
            Self::BadRequest { code, message }
        } else {
            Self::Rule { code, message }
        }
    }
}

impl From<climb_management::opening::OpeningError> for ApiError {
    fn from(error: climb_management::opening::OpeningError) -> Self {
        use climb_management::opening::OpeningError;
        let code = error.code();
        let message = error.to_string();
        match error {
            OpeningError::UnknownRole(_) | OpeningError::UnknownPerson(_) => {
                Self::NotFound { code, message }
            }
            OpeningError::Closed(_) => Self::Conflict { code, message },
            OpeningError::ManagerCannotHaveReports(_) | OpeningError::HireOnlyRole(_) => {
                Self::Rule { code, message }
            }
        }
    }
}

impl From<climb_management::update::UpdateError> for ApiError {
    fn from(error: climb_management::update::UpdateError) -> Self {
        Self::BadRequest {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Internal(cause) => tracing::error!(error = %cause, "internal error"),
            Self::Unavailable => tracing::warn!("store unavailable"),
            _ => tracing::debug!(code = self.code(), %status, "request refused"),
        }
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Self::TooManyAttempts { retry_after_secs } = self
            && let Ok(value) = retry_after_secs.to_string().parse()
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

/// The code a bare status is reported with when something outside the
/// handlers (a layer, the router) produced it.
pub(crate) fn code_for_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_attempts",
        503 => "unavailable",
        500..=599 => "internal",
        _ => "error",
    }
}

/// An error and its causes on one line, for a log or a stored outcome.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_refusals_keep_their_code_and_get_their_status() {
        let error: ApiError = PeopleError::CorrectionNeedsReason.into();
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.code(), "correction_needs_reason");
        let error: ApiError = PeopleError::InvalidName(climb_people::NameProblem::Blank).into();
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn internal_errors_do_not_show_their_cause() {
        let error = ApiError::internal(std::io::Error::other("disk on fire at /var/db"));
        assert_eq!(error.body().error.message, "internal error");
    }
}
