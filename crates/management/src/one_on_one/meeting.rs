//! What happens around a meeting: checked texts, which agenda items carry
//! over, who may own an action item, and the manager's overview of their
//! reports with overdue pairs flagged.

use chrono::{DateTime, Utc};
use climb_people::PersonId;
use serde::Serialize;

use super::{OneOnOneError, Schedule};

/// A trimmed, non-blank text of at most `max` characters (an agenda item,
/// a note, an action item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Longest agenda item or action item.
    pub const ITEM_MAX: usize = 500;
    /// Longest note.
    pub const NOTE_MAX: usize = 10_000;

    /// Checks `raw` as the `what` (named in errors): `text_blank` or `text_too_long`.
    pub fn parse(raw: &str, what: &'static str, max: usize) -> Result<Self, OneOnOneError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(OneOnOneError::TextBlank(what));
        }
        if text.contains('\0') {
            return Err(OneOnOneError::TextNul(what));
        }
        let len = text.chars().count();
        if len > max {
            return Err(OneOnOneError::TextTooLong { what, len, max });
        }
        Ok(Self(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Which agenda items move to the next meeting when one is held: those not
/// marked discussed, in their order. `items` are `(id, discussed)`.
pub fn carry_over<Id: Copy>(items: &[(Id, bool)]) -> Vec<Id> {
    items
        .iter()
        .filter(|(_, discussed)| !discussed)
        .map(|(id, _)| *id)
        .collect()
}

/// An action item belongs to one of the pair; `owner_not_in_pair` otherwise.
pub fn check_owner(
    owner: PersonId,
    report: PersonId,
    manager: PersonId,
) -> Result<(), OneOnOneError> {
    if owner == report || owner == manager {
        Ok(())
    } else {
        Err(OneOnOneError::OwnerNotInPair(owner))
    }
}

/// One report as their manager's overview shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// The last one-on-one held.
    pub last_held: Option<DateTime<Utc>>,
    /// The next meeting.
    pub next: Option<DateTime<Utc>>,
    /// No schedule, or no one-on-one held for longer than the cadence allows.
    pub overdue: bool,
}

/// A report's standing at `now`: overdue when they have no schedule, or when
/// the last held meeting (or, before any, the schedule's first occurrence)
/// lies more than the cadence's interval in the past.
pub fn overview(
    schedule: Option<&Schedule>,
    last_held: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Overview {
    let overdue = match schedule {
        None => true,
        Some(s) => match last_held.or_else(|| s.occurrence(0)) {
            Some(since) => now - since > s.cadence().interval(),
            None => false,
        },
    };
    Overview {
        last_held,
        next,
        overdue,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};

    use super::*;
    use crate::one_on_one::{Cadence, parse_zone};

    fn weekly() -> Schedule {
        Schedule::new(
            Cadence::Weekly,
            NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"),
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            parse_zone("UTC").expect("zone"),
            30,
        )
        .expect("valid")
    }

    #[test]
    fn texts_are_trimmed_and_limited() {
        assert_eq!(
            Text::parse("  roadmap ", "agenda item", 10).map(Text::into_string),
            Ok("roadmap".to_owned())
        );
        assert_eq!(
            Text::parse(" \n", "note", 10).map_err(|e| e.code()),
            Err("text_blank")
        );
        let err = Text::parse(&"é".repeat(11), "note", 10).expect_err("too long");
        assert_eq!(err.code(), "text_too_long");
        assert_eq!(
            err.to_string(),
            "the note is 11 characters long; the limit is 10"
        );
    }

    #[test]
    fn undiscussed_items_carry_over_in_order() {
        assert_eq!(carry_over(&[(1, true), (2, false), (3, false)]), [2, 3]);
    }

    #[test]
    fn action_items_belong_to_the_pair() {
        assert!(check_owner(PersonId(2), PersonId(2), PersonId(1)).is_ok());
        assert_eq!(
            check_owner(PersonId(3), PersonId(2), PersonId(1)).map_err(|e| e.code()),
            Err("owner_not_in_pair")
        );
    }

    #[test]
    fn a_report_without_schedule_or_recent_meeting_is_overdue() {
        let s = weekly();
        let first = s.occurrence(0).expect("exists");
        assert!(overview(None, None, None, first).overdue);
        assert!(!overview(Some(&s), None, Some(first), first - Duration::days(3)).overdue);
        assert!(!overview(Some(&s), Some(first), None, first + Duration::days(7)).overdue);
        assert!(overview(Some(&s), Some(first), None, first + Duration::days(8)).overdue);
        assert!(
            overview(
                Some(&s),
                None,
                None,
                Utc.with_ymd_and_hms(2027, 2, 1, 0, 0, 0)
                    .single()
                    .expect("t")
            )
            .overdue
        );
    }
}
