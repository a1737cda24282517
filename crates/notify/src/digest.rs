//! The weekly digest: when it is due for a person (Monday from 08:00 in
//! their own time zone; a week in which no instance ran from then to the
//! end of Tuesday is skipped rather than sent late), the key that records
//! it as sent (the ISO week, e.g. `2026-W50`), and its words from the lines
//! of the home page's "what needs me".

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::words::{Item, Reason, Words};

/// The hour (local) on Monday from which the digest is sent.
pub const DIGEST_HOUR: u32 = 8;

/// One line of a digest, as the home page words a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestLine {
    /// What to do, e.g. "Write your self-review".
    pub text: String,
    /// Where it is done, a site path.
    pub path: String,
    /// The due day or how long it has waited, in words (may be empty).
    pub when: String,
}

/// The week a digest covers, in the recipient's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestWeek {
    /// The ISO week, e.g. `2026-W50`: one digest per person and key.
    pub key: String,
    /// Its Monday.
    pub monday: NaiveDate,
}

/// A week's digest as the mail outbox keeps it until it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// The week it covers.
    pub week: DigestWeek,
    /// What waits, most urgent first.
    pub lines: Vec<DigestLine>,
}

/// The week `now` falls in, seen in `zone`.
pub fn week_of(now: DateTime<Utc>, zone: Tz) -> DigestWeek {
    let local = now.with_timezone(&zone);
    let day = local.date_naive();
    let iso = day.iso_week();
    DigestWeek {
        key: format!("{}-W{:02}", iso.year(), iso.week()),
        monday: day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
    }
}

/// The week whose digest is due at `now` for a person in `zone`: from
/// Monday 08:00 local to the end of Tuesday; `None` at other times.
pub fn due(now: DateTime<Utc>, zone: Tz) -> Option<DigestWeek> {
    let local = now.with_timezone(&zone);
    let sending = match local.weekday() {
        Weekday::Mon => local.hour() >= DIGEST_HOUR,
        Weekday::Tue => true,
        _ => false,
    };
    sending.then(|| week_of(now, zone))
}

/// The words of a digest of `lines` for `week`; `None` when nothing waits
/// (no mail is sent then).
pub fn digest_words(lines: &[DigestLine], week: &DigestWeek) -> Option<Words> {
    if lines.is_empty() {
        return None;
    }
    let count = lines.len();
    let things = if count == 1 { "thing" } else { "things" };
    Some(Words {
        subject: format!("Your week in climb: {count} {things} to do"),
        intro: format!(
            "Here is what waits on you in climb this week (the week of {}), most urgent first:",
            week.monday.format("%-d %B %Y")
        ),
        items: lines
            .iter()
            .map(|line| Item {
                text: if line.when.is_empty() {
                    line.text.clone()
                } else {
                    format!("{} ({})", line.text, line.when)
                },
                path: line.path.clone(),
            })
            .collect(),
        closing: Some("Your home page always shows what waits on you.".to_owned()),
        reason: Reason::Digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_else(|| panic!("valid test time"))
    }

    #[test]
    fn the_digest_is_due_from_monday_eight_in_the_persons_own_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        // Monday 7 December 2026: 07:59 in Berlin is 06:59 UTC.
        assert_eq!(due(at(2026, 12, 7, 6, 59), berlin), None);
        let week = due(at(2026, 12, 7, 7, 0), berlin).map(|w| w.key);
        assert_eq!(week.as_deref(), Some("2026-W50"));
        // Still on Tuesday, no longer on Wednesday.
        assert!(due(at(2026, 12, 8, 22, 0), berlin).is_some());
        assert_eq!(due(at(2026, 12, 9, 9, 0), berlin), None);
        // Sunday 23:30 UTC is already Monday 08:30 in Tokyo.
        let tokyo = due(at(2026, 12, 6, 23, 30), chrono_tz::Asia::Tokyo);
        assert_eq!(tokyo.map(|w| w.key).as_deref(), Some("2026-W50"));
        assert_eq!(due(at(2026, 12, 6, 23, 30), chrono_tz::UTC), None);
    }

    #[test]
    fn weeks_are_iso_weeks_across_the_new_year() {
        let utc = chrono_tz::UTC;
        assert_eq!(week_of(at(2026, 12, 28, 9, 0), utc).key, "2026-W53");
        assert_eq!(week_of(at(2027, 1, 4, 9, 0), utc).key, "2027-W01");
        let week = week_of(at(2026, 12, 10, 9, 0), utc);
        assert_eq!(
            week.monday,
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default()
        );
    }

    #[test]
    fn an_empty_digest_is_not_sent_and_a_full_one_counts_its_lines() {
        let week = week_of(at(2026, 12, 7, 9, 0), chrono_tz::UTC);
        assert_eq!(digest_words(&[], &week), None);
        let lines = vec![
            DigestLine {
                text: "Write your self-review".into(),
                path: "/reviews/3".into(),
                when: "waiting 2 days".into(),
            },
            DigestLine {
                text: "One-on-one with Emma".into(),
                path: "/one-on-ones/8".into(),
                when: String::new(),
            },
        ];
        let Some(words) = digest_words(&lines, &week) else {
            panic!("two lines make a digest")
        };
        assert_eq!(words.subject, "Your week in climb: 2 things to do");
        assert_eq!(
            words.items[0].text,
            "Write your self-review (waiting 2 days)"
        );
        assert_eq!(words.items[1].text, "One-on-one with Emma");
        assert!(words.intro.contains("the week of 7 December 2026"));
    }
}
