//! The validated, lowercase-normalised email address people are known by.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::PeopleError;

/// An email address: trimmed, lowercased, one `@` with a non-empty local part
/// and a dotted domain, no whitespace, at most 254 bytes. Two people never
/// share one (compared after normalisation).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Normalises and validates; fails with [`PeopleError::InvalidEmail`].
    pub fn parse(raw: &str) -> Result<Self, PeopleError> {
        let normalised = raw.trim().to_lowercase();
        let invalid = || PeopleError::InvalidEmail {
            email: raw.to_owned(),
        };
        if normalised.len() > 254
            || normalised
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let Some((local, domain)) = normalised.split_once('@') else {
            return Err(invalid());
        };
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty());
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(normalised))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = PeopleError;
    fn try_from(raw: String) -> Result<Self, PeopleError> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ada.Lovelace@Example.COM ").map(|e| e.to_string()),
            Ok("ada.lovelace@example.com".to_owned())
        );
    }

    #[test]
    fn malformed_emails_are_refused_as_invalid_email() {
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a da@example.com",
            "a@b@c.com",
            "ada@example..com",
        ] {
            let err = Email::parse(bad).expect_err(bad);
            assert_eq!(err.code(), "invalid_email", "{bad:?}");
        }
    }

    #[test]
    fn an_email_round_trips_through_json() {
        let email = Email::parse("ada@example.com").expect("valid");
        let json = serde_json::to_string(&email).expect("serialises");
        assert_eq!(json, "\"ada@example.com\"");
        assert_eq!(serde_json::from_str::<Email>(&json).ok(), Some(email));
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
    }
}
