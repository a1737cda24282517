//! Database identifiers of people and projects. The store assigns them; the
//! domain only compares and carries them.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! db_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw database value.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            /// Written as `#42`, the way messages name records.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "#{}"), self.0)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    };
}

db_id!(
    /// Identifies a person (database id).
    PersonId,
    ""
);
db_id!(
    /// Identifies a project (database id).
    ProjectId,
    "project "
);
