//! Conversions between domain values and the plain column types the Any
//! driver carries: dates as `YYYY-MM-DD` text, timestamps as RFC 3339 UTC
//! text, enums by their stable spelling, JSON as text.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use climb_framework::RoleId;
use climb_people::{ChangeReason, Email, Status};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::StoreError;

/// A timestamp as stored: RFC 3339, UTC, microseconds.
pub(crate) fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The current time as stored.
pub(crate) fn now_text() -> String {
    time_text(Utc::now())
}

/// A date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Reads a stored date.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("date `{text}`: {e}")))
}

/// Reads an optional stored date.
pub(crate) fn parse_opt_date(text: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(parse_date).transpose()
}

/// Reads a stored timestamp.
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp `{text}`: {e}")))
}

/// Reads a stored role id.
pub(crate) fn parse_role(text: &str) -> Result<RoleId, StoreError> {
    RoleId::parse(text).map_err(|e| StoreError::Corrupt(format!("role `{text}`: {e}")))
}

/// Reads a stored email.
pub(crate) fn parse_email(text: &str) -> Result<Email, StoreError> {
    Email::parse(text).map_err(|e| StoreError::Corrupt(format!("email `{text}`: {e}")))
}

/// Reads a stored status.
pub(crate) fn parse_status(text: &str) -> Result<Status, StoreError> {
    match text {
        "active" => Ok(Status::Active),
        "left" => Ok(Status::Left),
        other => Err(StoreError::Corrupt(format!("status `{other}`"))),
    }
}

/// Reads a stored role-change reason.
pub(crate) fn parse_reason(text: &str) -> Result<ChangeReason, StoreError> {
    match text {
        "hire" => Ok(ChangeReason::Hire),
        "promotion" => Ok(ChangeReason::Promotion),
        "lateral" => Ok(ChangeReason::Lateral),
        "correction" => Ok(ChangeReason::Correction),
        other => Err(StoreError::Corrupt(format!("reason `{other}`"))),
    }
}

/// A value as JSON text.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("to JSON: {e}")))
}

/// A value read from JSON text.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("JSON: {e}")))
}

/// JSON text read as a value; `null` for a missing column.
pub(crate) fn json_value(text: Option<&str>) -> Result<serde_json::Value, StoreError> {
    text.map_or(Ok(serde_json::Value::Null), from_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_round_trip_through_their_text() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid date");
        assert_eq!(date_text(date), "2026-03-09");
        assert_eq!(parse_date("2026-03-09").ok(), Some(date));
        let now = Utc::now();
        let text = time_text(now);
        assert!(text.ends_with('Z'), "{text}");
        let back = parse_time(&text).expect("parses");
        assert_eq!(time_text(back), text);
    }
}
