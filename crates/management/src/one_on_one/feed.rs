//! The iCalendar feed (RFC 5545) a calendar client subscribes to: one
//! `VEVENT` per meeting, times in UTC, written by the `icalendar` crate
//! (CRLF line ends, lines folded at 75 octets, text escaped).

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

/// One meeting in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable across refreshes while the meeting keeps its time.
    pub uid: String,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// How long it lasts.
    pub minutes: u16,
    /// The title (`One-on-one: Ada Lovelace / Grace Hopper`).
    pub summary: String,
    /// Free text: the agenda so far.
    pub description: String,
}

/// The calendar named `name` holding `events`; `stamp` is the feed's
/// DTSTAMP (the domain reads no clock).
pub fn feed(name: &str, events: &[FeedEvent], stamp: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//climb//one-on-ones//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(name);
    for e in events {
        calendar.push(
            Event::new()
                .uid(&e.uid)
                .timestamp(stamp)
                .starts(e.start)
                .ends(e.start + Duration::minutes(i64::from(e.minutes)))
                .summary(&e.summary)
                .description(&e.description)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(n: u32, description: &str) -> FeedEvent {
        FeedEvent {
            uid: format!("one-on-one-7-{n}@climb"),
            start: Utc
                .with_ymd_and_hms(2027, 3, 1 + n, 9, 30, 0)
                .single()
                .expect("t"),
            minutes: 45,
            summary: "One-on-one: Ada Lovelace / Grace Hopper".to_owned(),
            description: description.to_owned(),
        }
    }

    fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let calendar = parser.next().expect("one calendar").expect("parses");
        assert!(parser.next().is_none(), "a single calendar");
        calendar
    }

    fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.as_deref())
    }

    #[test]
    fn the_feed_is_valid_icalendar_that_an_independent_parser_reads_back() {
        let long = "Agenda: roadmap, hiring; budget\\notes\nsecond line ".repeat(6);
        let stamp = Utc
            .with_ymd_and_hms(2027, 2, 1, 12, 0, 0)
            .single()
            .expect("t");
        let text = feed(
            "climb one-on-ones",
            &[event(0, &long), event(1, "short")],
            stamp,
        );

        // CRLF everywhere, no content line over 75 octets.
        assert!(text.ends_with("\r\n"));
        for line in text.split("\r\n") {
            assert!(!line.contains('\n'), "bare LF in {line:?}");
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        assert!(text.contains("\r\n "), "long lines are folded");

        let calendar = parse(&text);
        assert_eq!(prop(&calendar.properties, "VERSION"), Some("2.0"));
        assert!(prop(&calendar.properties, "PRODID").is_some());
        assert_eq!(calendar.events.len(), 2);
        let first = &calendar.events[0].properties;
        assert_eq!(prop(first, "UID"), Some("one-on-one-7-0@climb"));
        assert_eq!(prop(first, "DTSTAMP"), Some("20270201T120000Z"));
        assert_eq!(prop(first, "DTSTART"), Some("20270301T093000Z"));
        assert_eq!(prop(first, "DTEND"), Some("20270301T101500Z"));
        // Escaped on the way out: the raw value keeps RFC 5545's escapes.
        let description = prop(first, "DESCRIPTION").expect("description");
        assert!(
            description.starts_with("Agenda: roadmap\\, hiring\\; budget\\\\notes\\nsecond line")
        );
    }
}
