//! Identifier newtypes: kebab-case strings (`[a-z0-9-]+`) that name streams,
//! roles, competencies and designations in a framework file.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string is empty.
    #[error("an id cannot be empty")]
    Empty,
    /// The string holds a character outside `[a-z0-9-]`.
    #[error("`{0}` is not a valid id: use lowercase letters, digits and `-` only")]
    Invalid(String),
}

/// Checks the kebab-case id grammar shared by every id type.
pub fn validate_id(raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    if raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(IdError::Invalid(raw.to_owned()))
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses a kebab-case id; fails on anything outside `[a-z0-9-]+`.
            pub fn parse(raw: impl Into<String>) -> Result<Self, IdError> {
                let raw = raw.into();
                validate_id(&raw)?;
                Ok(Self(raw))
            }

            /// The id as written in the framework file.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(raw: &str) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }
    };
}

id_type!(
    /// Identifies a stream (a row of the chart).
    StreamId
);
id_type!(
    /// Identifies a role.
    RoleId
);
id_type!(
    /// Identifies a competency.
    CompetencyId
);
id_type!(
    /// Identifies a designation such as `team-lead`.
    DesignationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids_parse() {
        assert_eq!(
            RoleId::parse("staff-engineer-2").map(|r| r.to_string()),
            Ok("staff-engineer-2".into())
        );
    }

    #[test]
    fn ids_with_uppercase_spaces_or_underscores_are_refused() {
        for bad in ["Staff", "staff engineer", "staff_engineer", "é", ""] {
            assert!(RoleId::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
