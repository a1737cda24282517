//! One-on-ones between a manager and each report: the recurring
//! [`Schedule`], the meetings it generates, the shared agenda that carries
//! undiscussed items to the next meeting, shared and private notes, action
//! items that stay open until done, the manager's overview with overdue
//! pairs flagged, and the iCalendar [`feed`].
//!
//! A schedule belongs to the report, not to the pair: when the report gets
//! a new manager, the new manager takes the schedule over (with its open
//! agenda and action items); the previous manager no longer sees it.

mod feed;
mod meeting;
mod schedule;

pub use feed::{FeedEvent, feed};
pub use meeting::{Overview, Text, carry_over, check_owner, overview};
pub use schedule::{Cadence, MINUTES, Schedule, local_to_utc, parse_zone};

use climb_people::PersonId;

/// A refused one-on-one request; `code()` is the stable string of the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OneOnOneError {
    /// `invalid_cadence`: not `weekly`, `fortnightly` or `monthly`.
    #[error("`{0}` is not a cadence: use weekly, fortnightly or monthly")]
    InvalidCadence(String),
    /// `unknown_time_zone`: not an IANA time zone name.
    #[error("`{0}` is not a time zone: use an IANA name such as Europe/Berlin")]
    UnknownTimeZone(String),
    /// `invalid_duration`: a meeting length outside 5–480 minutes.
    #[error("a one-on-one lasts 5 to 480 minutes, not {0}")]
    InvalidDuration(u16),
    /// `text_blank`: an agenda item, note or action item with no text.
    #[error("the {0} cannot be blank")]
    TextBlank(&'static str),
    /// `invalid_text`: holds a NUL character.
    #[error("the {0} cannot hold a NUL character")]
    TextNul(&'static str),
    /// `text_too_long`: over the length limit.
    #[error("the {what} is {len} characters long; the limit is {max}")]
    TextTooLong {
        /// Which text.
        what: &'static str,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `no_manager`: the person has no manager to meet.
    #[error("{0} has no manager, so no one-on-one")]
    NoManager(PersonId),
    /// `owner_not_in_pair`: an action item's owner must be the report or their manager.
    #[error("an action item belongs to the report or their manager, not {0}")]
    OwnerNotInPair(PersonId),
    /// `meeting_held`: the meeting was already held.
    #[error("this one-on-one was already held")]
    MeetingHeld,
}

impl OneOnOneError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCadence(_) => "invalid_cadence",
            Self::UnknownTimeZone(_) => "unknown_time_zone",
            Self::InvalidDuration(_) => "invalid_duration",
            Self::TextBlank(_) => "text_blank",
            Self::TextTooLong { .. } => "text_too_long",
            Self::TextNul(_) => "invalid_text",
            Self::NoManager(_) => "no_manager",
            Self::OwnerNotInPair(_) => "owner_not_in_pair",
            Self::MeetingHeld => "meeting_held",
        }
    }

    /// Whether the request itself is malformed (400) rather than refused by
    /// a rule (422).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Self::InvalidCadence(_)
                | Self::UnknownTimeZone(_)
                | Self::InvalidDuration(_)
                | Self::TextBlank(_)
                | Self::TextTooLong { .. }
                | Self::TextNul(_)
        )
    }
}
