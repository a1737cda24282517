//! Demo data for the manager's side: one-on-one schedules for every manager
//! and report, on weekdays, mostly within their cadence (the demo manager's
//! team and some others met this period, the others' meeting is just due, a
//! few managers' are overdue), with agenda items and notes written as
//! sentences; the demo manager's engineer has the fullest history (three
//! weekly meetings, an agenda item carried over and an open action item).
//! Also an opening on the demo manager's team and an update to the team.

use anyhow::Context;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use climb_management::one_on_one::{Cadence, Schedule, Text, parse_zone};
use climb_management::update::{Audience, Post};
use climb_people::{Actor, PersonId};
use climb_store::Store;

use super::demo_text::{action, agenda_item, mix, note, weekday_on_or_before};

/// One manager in this many lets their one-on-ones fall overdue.
const OVERDUE_ONE_IN: u64 = 9;

/// Seeds one-on-ones for every report in the company; `manager` is the demo
/// manager and `engineer` their report with the fullest history.
pub(crate) async fn seed(
    store: &Store,
    manager: PersonId,
    engineer: PersonId,
) -> anyhow::Result<()> {
    let actor = Actor::admin(None);
    let now = Utc::now();
    let today = now.date_naive();
    let zone = parse_zone("Europe/Berlin")?;
    let pairs: Vec<(PersonId, PersonId)> = {
        let org = store.org().await?;
        org.people()
            .filter(|p| p.is_active())
            .filter_map(|p| p.manager.map(|m| (m, p.id)))
            .collect()
    };
    for (boss, report) in pairs {
        let draw = mix(&[boss.0 as u64]);
        let cadence = if boss != manager && draw.is_multiple_of(3) {
            Cadence::Fortnightly
        } else {
            Cadence::Weekly
        };
        let interval = cadence.interval().num_days().max(7) as u64;
        let time = NaiveTime::from_hms_opt(9 + (draw >> 8) as u32 % 7, 0, 0).context("time")?;
        let overdue = boss != manager && (draw >> 16).is_multiple_of(OVERDUE_ONE_IN);
        let first = if report == engineer {
            weekday_on_or_before(today - Days::new(15))
        } else if overdue {
            weekday_on_or_before(today - Days::new(interval + 10))
        } else {
            let back = 1 + mix(&[report.0 as u64]) % (interval - 3);
            weekday_on_or_before(today - Days::new(back))
        };
        let schedule = Schedule::new(cadence, first, time, zone, 30)?;
        let start = schedule.occurrence(0).context("first occurrence")?;
        let meeting = store
            .set_schedule(actor, report, &schedule, start - Duration::hours(1))
            .await?;
        if overdue {
            continue;
        }
        if report == engineer {
            engineer_history(store, &schedule, meeting.id, boss, report, today).await?;
            continue;
        }
        // The demo manager's team and one pair in eight elsewhere have met
        // this period (a third of those already have a topic for next
        // time); the others' meeting is just due. Few writes keep
        // `climb serve --demo` quick to start.
        let pick = mix(&[report.0 as u64, 1]);
        if boss == manager || pick.is_multiple_of(8) {
            let next = store
                .hold_meeting(actor, meeting.id, boss, &schedule, held_at(start))
                .await?;
            if pick.is_multiple_of(3) {
                store
                    .add_agenda_item(actor, next.id, report, text(agenda_item(pick))?)
                    .await?;
            }
        }
    }
    let role = store
        .person(engineer)
        .await?
        .map(|p| p.role)
        .context("the demo engineer")?;
    store.open_position(actor, manager, &role).await?;
    let post = Post::parse(
        "Team offsite next month",
        "We meet in person for two days.\nBring one idea you would like the team to try.",
    )?;
    store
        .post_update(actor, manager, Audience::Team { manager }, post)
        .await?;
    Ok(())
}

/// Three weekly meetings held between the demo manager and engineer, each
/// with an agenda item discussed and a note; at the last, an agenda item
/// left for next time and an action item for the engineer.
async fn engineer_history(
    store: &Store,
    schedule: &Schedule,
    first_meeting: i64,
    manager: PersonId,
    engineer: PersonId,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let actor = Actor::admin(None);
    let mut meeting = first_meeting;
    for n in 0..3u64 {
        let starts_at = schedule
            .occurrence(n as u32)
            .context("a meeting of the schedule")?;
        let item = store
            .add_agenda_item(actor, meeting, engineer, text(agenda_item(n))?)
            .await?;
        store.set_discussed(actor, item.id, true).await?;
        if n == 2 {
            store
                .add_agenda_item(actor, meeting, manager, text(agenda_item(4))?)
                .await?;
            store
                .add_action(
                    actor,
                    meeting,
                    engineer,
                    text(action(0))?,
                    today + Duration::days(5),
                )
                .await?;
        }
        store
            .add_note(actor, meeting, manager, false, text(note(n))?)
            .await?;
        meeting = store
            .hold_meeting(actor, meeting, manager, schedule, held_at(starts_at))
            .await?
            .id;
    }
    Ok(())
}

/// When a meeting starting at `starts_at` is marked held: at its end.
fn held_at(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    starts_at + Duration::minutes(30)
}

fn text(sentence: &str) -> anyhow::Result<Text> {
    Text::parse(sentence, "demo text", Text::NOTE_MAX).context("demo text")
}
