//! Demo data for the manager's side: weekly one-on-ones between the demo
//! manager and each direct report (three held, with notes, an agenda item
//! carried over and an open action item with the demo engineer), an
//! opening on the manager's team and an update to the team.

use anyhow::Context;
use chrono::{Duration, NaiveTime, Utc};
use climb_management::one_on_one::{Cadence, Schedule, Text, parse_zone};
use climb_management::update::{Audience, Post};
use climb_people::{Actor, PersonId};
use climb_store::Store;

/// Seeds one-on-ones for `manager`'s direct reports; `engineer` gets the
/// fullest history.
pub(crate) async fn seed(
    store: &Store,
    manager: PersonId,
    engineer: PersonId,
) -> anyhow::Result<()> {
    let actor = Actor::admin(None);
    let text = |t: &str| Text::parse(t, "demo text", Text::NOTE_MAX).context("demo text");
    let reports = store.org().await?.reports(manager);
    let today = Utc::now().date_naive();
    for report in reports {
        let schedule = Schedule::new(
            Cadence::Weekly,
            today - Duration::days(21),
            NaiveTime::from_hms_opt(10, 0, 0).context("time")?,
            parse_zone("Europe/Berlin")?,
            30,
        )?;
        let first = schedule.occurrence(0).context("first occurrence")?;
        let mut meeting = store
            .set_schedule(actor, report, &schedule, first - Duration::hours(1))
            .await?;
        if report != engineer {
            continue;
        }
        let topics = [
            (
                "How the migration project is going",
                "Agreed to pair on the rollout plan.",
            ),
            (
                "Feedback on the design review",
                "Good structure; shorter slides next time.",
            ),
            (
                "Conference budget for next year",
                "Budget approved for one conference.",
            ),
        ];
        for (n, (topic, note)) in topics.into_iter().enumerate() {
            let item = store
                .add_agenda_item(actor, meeting.id, report, text(topic)?)
                .await?;
            store.set_discussed(actor, item.id, true).await?;
            if n == 2 {
                store
                    .add_agenda_item(
                        actor,
                        meeting.id,
                        manager,
                        text("Path towards senior engineer")?,
                    )
                    .await?;
                store
                    .add_action(
                        actor,
                        meeting.id,
                        report,
                        text("Write down two goals for the next quarter")?,
                        today + Duration::days(5),
                    )
                    .await?;
            }
            store
                .add_note(actor, meeting.id, manager, false, text(note)?)
                .await?;
            meeting = store
                .hold_meeting(
                    actor,
                    meeting.id,
                    manager,
                    &schedule,
                    meeting.starts_at + Duration::minutes(30),
                )
                .await?;
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
