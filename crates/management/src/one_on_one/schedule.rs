//! A one-on-one's recurrence: a cadence, a first day, a wall-clock time and
//! an IANA time zone. Occurrences keep the same local time across daylight
//! saving changes; a monthly schedule on a day a month lacks falls on that
//! month's last day.

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::OneOnOneError;

/// How often a pair meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Every week on the first day's weekday.
    Weekly,
    /// Every other week on the first day's weekday.
    Fortnightly,
    /// Every month on the first day's day of the month (or the month's last day).
    Monthly,
}

impl Cadence {
    /// The stable spelling: `weekly`, `fortnightly`, `monthly`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Fortnightly => "fortnightly",
            Self::Monthly => "monthly",
        }
    }

    /// Reads the stable spelling; `invalid_cadence` otherwise.
    pub fn parse(text: &str) -> Result<Self, OneOnOneError> {
        match text {
            "weekly" => Ok(Self::Weekly),
            "fortnightly" => Ok(Self::Fortnightly),
            "monthly" => Ok(Self::Monthly),
            other => Err(OneOnOneError::InvalidCadence(other.to_owned())),
        }
    }

    /// The longest gap between two meetings: after this long without a held
    /// one-on-one, the pair is overdue.
    pub fn interval(self) -> Duration {
        match self {
            Self::Weekly => Duration::days(7),
            Self::Fortnightly => Duration::days(14),
            Self::Monthly => Duration::days(31),
        }
    }
}

/// Reads an IANA time zone name (`Europe/Berlin`); `unknown_time_zone` otherwise.
pub fn parse_zone(name: &str) -> Result<Tz, OneOnOneError> {
    Tz::from_str(name).map_err(|_| OneOnOneError::UnknownTimeZone(name.to_owned()))
}

/// Shortest and longest meeting, in minutes.
pub const MINUTES: std::ops::RangeInclusive<u16> = 5..=480;

/// When a pair meets. Build it with [`Schedule::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    cadence: Cadence,
    first: NaiveDate,
    time: NaiveTime,
    #[serde(serialize_with = "zone_name")]
    zone: Tz,
    minutes: u16,
}

fn zone_name<S: serde::Serializer>(zone: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(zone.name())
}

impl Schedule {
    /// A schedule whose first meeting is on `first` at `time` in `zone`,
    /// lasting `minutes`; `invalid_duration` outside [`MINUTES`].
    pub fn new(
        cadence: Cadence,
        first: NaiveDate,
        time: NaiveTime,
        zone: Tz,
        minutes: u16,
    ) -> Result<Self, OneOnOneError> {
        if !MINUTES.contains(&minutes) {
            return Err(OneOnOneError::InvalidDuration(minutes));
        }
        Ok(Self {
            cadence,
            first,
            time,
            zone,
            minutes,
        })
    }

    /// How often.
    pub fn cadence(&self) -> Cadence {
        self.cadence
    }

    /// The first meeting's day.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The local start time.
    pub fn time(&self) -> NaiveTime {
        self.time
    }

    /// The time zone the local time is in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// How long each meeting lasts.
    pub fn minutes(&self) -> u16 {
        self.minutes
    }

    /// The local day of occurrence `n` (0 is the first); `None` past the
    /// calendar's end.
    pub fn local_date(&self, n: u32) -> Option<NaiveDate> {
        match self.cadence {
            Cadence::Weekly => self.first.checked_add_signed(Duration::weeks(i64::from(n))),
            Cadence::Fortnightly => self
                .first
                .checked_add_signed(Duration::weeks(2 * i64::from(n))),
            Cadence::Monthly => {
                let months = i64::from(self.first.month0()) + i64::from(n);
                let year = i32::try_from(i64::from(self.first.year()) + months / 12).ok()?;
                let month = u32::try_from(months % 12).ok()? + 1;
                let last = last_day_of_month(year, month)?;
                NaiveDate::from_ymd_opt(year, month, self.first.day().min(last))
            }
        }
    }

    /// The instant occurrence `n` starts.
    pub fn occurrence(&self, n: u32) -> Option<DateTime<Utc>> {
        let date = self.local_date(n)?;
        Some(local_to_utc(self.zone, date.and_time(self.time)))
    }

    /// The first occurrence starting strictly after `after`, with its number.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<(u32, DateTime<Utc>)> {
        // Jump close to the answer, then step: occurrences never lie more
        // than a day from their local date.
        let days = (after.date_naive() - self.first).num_days() - 2;
        let step = match self.cadence {
            Cadence::Weekly => 7,
            Cadence::Fortnightly => 14,
            Cadence::Monthly => 31,
        };
        let mut n = u32::try_from(days.max(0) / step).ok()?;
        loop {
            let at = self.occurrence(n)?;
            if at > after {
                return Some((n, at));
            }
            n = n.checked_add(1)?;
        }
    }

    /// Up to `count` occurrences starting strictly after `after`.
    pub fn upcoming(&self, after: DateTime<Utc>, count: usize) -> Vec<DateTime<Utc>> {
        let Some((n, _)) = self.next_after(after) else {
            return Vec::new();
        };
        (n..)
            .take(count)
            .map_while(|k| self.occurrence(k))
            .collect()
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Some(NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()?.day())
}

/// The instant a local wall-clock time names in `zone`. In the autumn
/// overlap the earlier instant is taken; a time skipped in spring moves
/// forward by the gap (02:30 on the day clocks go from 02:00 to 03:00 is
/// 03:30), as calendar clients do.
pub fn local_to_utc(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            // Read the skipped time with the offset in force before the gap.
            let before = (1..=48).find_map(|k| {
                zone.from_local_datetime(&(local - Duration::minutes(30 * k)))
                    .earliest()
            });
            let offset = before.map_or(0, |t| t.offset().fix().local_minus_utc());
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset))))
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Timelike, Weekday};
    use proptest::prelude::*;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    fn schedule(cadence: Cadence, first: NaiveDate, time: NaiveTime, zone: &str) -> Schedule {
        Schedule::new(cadence, first, time, parse_zone(zone).expect("zone"), 30).expect("valid")
    }

    #[test]
    fn monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() {
        let s = schedule(Cadence::Monthly, day(2027, 1, 31), at(10, 0), "UTC");
        let days: Vec<_> = (0..6).filter_map(|n| s.local_date(n)).collect();
        assert_eq!(
            days,
            [
                day(2027, 1, 31),
                day(2027, 2, 28),
                day(2027, 3, 31),
                day(2027, 4, 30),
                day(2027, 5, 31),
                day(2027, 6, 30)
            ]
        );
    }

    #[test]
    fn monthly_on_the_29th_meets_on_february_29th_in_a_leap_year_only() {
        let s = schedule(Cadence::Monthly, day(2027, 12, 29), at(10, 0), "UTC");
        assert_eq!(s.local_date(2), Some(day(2028, 2, 29)));
        assert_eq!(s.local_date(14), Some(day(2029, 2, 28)));
        assert_eq!(s.local_date(15), Some(day(2029, 3, 29)));
    }

    #[test]
    fn a_weekly_berlin_meeting_keeps_its_local_time_across_the_spring_change() {
        // Clocks go forward on 2027-03-28 in Europe/Berlin.
        let s = schedule(
            Cadence::Weekly,
            day(2027, 3, 22),
            at(9, 30),
            "Europe/Berlin",
        );
        let before = s.occurrence(0).expect("exists");
        let after = s.occurrence(1).expect("exists");
        assert_eq!((before.hour(), before.minute()), (8, 30));
        assert_eq!((after.hour(), after.minute()), (7, 30));
        assert_eq!(after - before, Duration::hours(7 * 24 - 1));
    }

    #[test]
    fn a_time_skipped_by_the_spring_change_moves_forward_by_the_gap() {
        // 2027-03-14 02:30 does not exist in New York.
        let zone = parse_zone("America/New_York").expect("zone");
        let t = local_to_utc(zone, day(2027, 3, 14).and_time(at(2, 30)));
        assert_eq!(t.with_timezone(&zone).time(), at(3, 30));
    }

    #[test]
    fn next_after_finds_the_first_occurrence_strictly_later() {
        let s = schedule(Cadence::Fortnightly, day(2027, 1, 4), at(15, 0), "UTC");
        let first = s.occurrence(0).expect("exists");
        assert_eq!(
            s.next_after(first),
            Some((1, s.occurrence(1).expect("exists")))
        );
        let early = first - Duration::days(400);
        assert_eq!(s.next_after(early), Some((0, first)));
        let later = s.occurrence(30).expect("exists") - Duration::minutes(1);
        assert_eq!(s.next_after(later).map(|(n, _)| n), Some(30));
    }

    #[test]
    fn durations_and_zones_and_cadences_are_checked() {
        let zone = parse_zone("UTC").expect("zone");
        let err = Schedule::new(Cadence::Weekly, day(2027, 1, 1), at(9, 0), zone, 0);
        assert_eq!(err.map_err(|e| e.code()), Err("invalid_duration"));
        assert_eq!(
            parse_zone("Mars/Olympus").map_err(|e| e.code()),
            Err("unknown_time_zone")
        );
        assert_eq!(
            Cadence::parse("daily").map_err(|e| e.code()),
            Err("invalid_cadence")
        );
    }

    fn zones() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("Europe/Berlin"),
            Just("America/New_York"),
            Just("Australia/Sydney"),
            Just("UTC")
        ]
    }

    fn cadences() -> impl Strategy<Value = Cadence> {
        prop_oneof![
            Just(Cadence::Weekly),
            Just(Cadence::Fortnightly),
            Just(Cadence::Monthly)
        ]
    }

    proptest! {
        #[test]
        fn every_occurrence_is_at_the_same_local_wall_clock_time(
            zone in zones(),
            cadence in cadences(),
            first in 0i64..3000,
            hour in 0u32..24,
            minute in prop_oneof![Just(0u32), Just(15), Just(30), Just(45)],
            n in 0u32..120,
        ) {
            let first = day(2024, 1, 1) + Duration::days(first);
            // Times inside a DST gap move; every other time stays.
            let s = schedule(cadence, first, at(hour, minute), zone);
            let date = s.local_date(n).expect("in range");
            let local = s.occurrence(n).expect("in range").with_timezone(&s.zone()).naive_local();
            let wanted = date.and_time(at(hour, minute));
            let tz = s.zone();
            if tz.from_local_datetime(&wanted).single().is_some()
                || matches!(tz.from_local_datetime(&wanted), LocalResult::Ambiguous(..)) {
                prop_assert_eq!(local, wanted);
            } else {
                prop_assert!(local > wanted && local - wanted <= Duration::hours(1));
            }
        }

        #[test]
        fn weekly_and_fortnightly_keep_the_weekday_and_the_spacing(
            first in 0i64..3000,
            fortnightly in any::<bool>(),
            n in 0u32..200,
        ) {
            let first = day(2024, 1, 1) + Duration::days(first);
            let cadence = if fortnightly { Cadence::Fortnightly } else { Cadence::Weekly };
            let s = schedule(cadence, first, at(11, 0), "America/New_York");
            let a = s.local_date(n).expect("in range");
            let b = s.local_date(n + 1).expect("in range");
            let weekday: Weekday = first.weekday();
            prop_assert_eq!(a.weekday(), weekday);
            prop_assert_eq!((b - a).num_days(), if fortnightly { 14 } else { 7 });
        }

        #[test]
        fn monthly_meets_once_a_month_on_the_day_or_the_months_last_day(
            first in 0i64..3000,
            n in 0u32..120,
        ) {
            let first = day(2024, 1, 1) + Duration::days(first);
            let s = schedule(Cadence::Monthly, first, at(9, 0), "Europe/Berlin");
            let a = s.local_date(n).expect("in range");
            let b = s.local_date(n + 1).expect("in range");
            let months = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
            prop_assert_eq!(months(b) - months(a), 1);
            let last = last_day_of_month(a.year(), a.month()).expect("valid");
            prop_assert_eq!(a.day(), first.day().min(last));
        }

        #[test]
        fn next_after_is_the_earliest_occurrence_later_than_the_instant(
            zone in zones(),
            cadence in cadences(),
            first in 0i64..2000,
            offset_hours in -2000i64..40000,
        ) {
            let first = day(2024, 1, 1) + Duration::days(first);
            let s = schedule(cadence, first, at(8, 0), zone);
            let instant = Utc.from_utc_datetime(&first.and_time(at(0, 0))) + Duration::hours(offset_hours);
            let (n, t) = s.next_after(instant).expect("exists");
            prop_assert!(t > instant);
            prop_assert_eq!(s.occurrence(n), Some(t));
            if n > 0 {
                prop_assert!(s.occurrence(n - 1).expect("exists") <= instant);
            }
        }
    }
}
