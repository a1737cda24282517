//! "What needs me", read from the store: the reviews, sign-offs,
//! one-on-ones, action items, promotion decisions and openings waiting on
//! one account, most urgent first. Which facts are tasks and their order
//! are decided by `climb_management::inbox`; this module reads the facts.
//! The home page and the weekly digest mail both list what [`tasks_of`]
//! returns, worded by `climb_management::inbox::describe`.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use climb_management::inbox::{self, Task};
use climb_management::promotion::ProposalId;
use climb_people::policy::{self, Access, Action};
use climb_people::{Actor, PersonId};

use crate::error::ApiError;
use crate::state::AppState;

/// At most this many proposals are read to list decisions.
const DECISIONS_SHOWN: usize = 20;

/// The pending proposals `actor` may decide, oldest first. Who may decide
/// is asked of each pending proposal's parties (`reports` are the actor's
/// direct reports, whose proposals a manager sees); only the ones shown are
/// read whole afterwards.
pub async fn awaiting_decision(
    state: &AppState,
    actor: Actor,
    reports: &[PersonId],
) -> Result<Vec<ProposalId>, ApiError> {
    let pending: Vec<(ProposalId, PersonId, PersonId)> = if actor.is_admin_or_hr() {
        state.store().pending_proposal_parties().await?
    } else {
        state
            .store()
            .pending_proposals_by(reports)
            .await?
            .iter()
            .map(|p| (p.id, p.person, p.proposer))
            .collect()
    };
    let framework = state.framework();
    let org = state.org().await?;
    Ok(pending
        .iter()
        .filter(|(_, person, proposer)| {
            policy::may_do(
                &org,
                &framework,
                actor,
                &Action::DecidePromotion {
                    person: *person,
                    proposer: *proposer,
                },
            ) == Access::Allowed
        })
        .map(|(id, _, _)| *id)
        .collect())
}

/// Everything waiting on `actor` on `today` (their day, in `zone`), sorted
/// most urgent first.
pub async fn tasks_of(
    state: &AppState,
    actor: Actor,
    today: NaiveDate,
    zone: Tz,
) -> Result<Vec<Task>, ApiError> {
    let me = actor.person;
    let reports = match me {
        Some(me) => state.org().await?.reports(me),
        None => Vec::new(),
    };
    let mut tasks = match me {
        Some(me) => person_tasks(state, me, &reports, today, zone).await?,
        None => Vec::new(),
    };
    let decisions = awaiting_decision(state, actor, &reports).await?;
    let read = state
        .store()
        .proposals(&decisions[..decisions.len().min(DECISIONS_SHOWN)])
        .await?;
    tasks.extend(
        read.iter()
            .map(|p| inbox::decision_task(p.id, p.person, p.created_on)),
    );
    if actor.is_admin_or_hr() {
        let open = state
            .store()
            .openings(Some(climb_management::opening::OpeningStatus::Open))
            .await?;
        tasks.extend(
            open.into_iter()
                .map(|o| inbox::opening_task(o.id, o.role, o.manager, o.opened_at.date_naive())),
        );
    }
    inbox::sort(&mut tasks);
    Ok(tasks)
}

/// The tasks of a person of the company: their reviews and their reports',
/// their one-on-ones, and the action items they own.
async fn person_tasks(
    state: &AppState,
    me: PersonId,
    reports: &[PersonId],
    today: NaiveDate,
    zone: Tz,
) -> Result<Vec<Task>, ApiError> {
    let store = state.store();
    let mut reviews = store.person_reviews(me).await?;
    reviews.extend(store.open_reviews_of(reports).await?);
    let mut tasks = inbox::review_tasks(me, reports, &reviews);
    let now = Utc::now();
    // Their own one-on-one with their manager, then one per report; only a
    // manager keeps the cadence, so only theirs can be overdue.
    for (report, keeps_cadence) in
        std::iter::once((me, false)).chain(reports.iter().map(|r| (*r, true)))
    {
        let schedule = store.schedule(report).await?;
        let (last, next) = store.last_and_next(report).await?;
        let standing = climb_management::one_on_one::overview(
            schedule.as_ref(),
            last.and_then(|m| m.held_at),
            next.as_ref().map(|m| m.starts_at),
            now,
        );
        let meeting = next.map(|m| {
            // The person's day, as `today` is.
            let day = m.starts_at.with_timezone(&zone).date_naive();
            (m.id, day)
        });
        let overdue = keeps_cadence && schedule.is_some() && standing.overdue;
        if report == me && schedule.is_none() {
            continue;
        }
        tasks.extend(inbox::one_on_one_task(report, meeting, overdue, today));
        for action in store.actions(report).await? {
            if action.owner != me {
                continue;
            }
            tasks.extend(inbox::action_task(
                action.id,
                report,
                action.meeting,
                &action.text,
                action.due,
                action.done_on.is_some(),
                today,
            ));
        }
    }
    Ok(tasks)
}
