//! The demo's performance reviews: a closed-loop review of the demo engineer
//! signed by them and their manager (so their growth plan shows real gaps),
//! a goal on that plan, a second cycle still open for the manager's team,
//! and a pending promotion proposal for another report of the manager.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{Datelike, NaiveDate, Utc};
use climb_framework::{Framework, graph};
use climb_management::growth::NewGoal;
use climb_management::review::{Edit, NewCycle, Rated, Rating, Scope};
use climb_people::{Actor, PersonId};
use climb_store::Store;

/// Seeds the reviews of `manager`'s team; `engineer` reports to them.
pub(crate) async fn seed(
    store: &Store,
    framework: &Framework,
    manager: PersonId,
    engineer: PersonId,
) -> anyhow::Result<()> {
    let hr = Actor::admin(None);
    let year = Utc::now().year();
    let period =
        |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).context("a valid demo date");
    let (past, _) = store
        .open_review_cycle(
            framework,
            hr,
            NewCycle {
                name: format!("{} H2", year - 1),
                period_start: period(year - 1, 7, 1)?,
                period_end: period(year - 1, 12, 31)?,
                scope: Scope::Below { manager },
                hold_until_released: false,
            },
        )
        .await
        .context("cannot open the demo review cycle")?;
    let review = store
        .cycle_reviews(past.id)
        .await?
        .into_iter()
        .find(|r| r.person == engineer)
        .context("the demo engineer has a review")?;
    let assess = |below: u32, what: &str| {
        Edit::Assess(
            review
                .expected
                .iter()
                .enumerate()
                .map(|(k, (c, level))| {
                    let level = if k % 2 == 1 {
                        level.saturating_sub(below).max(1)
                    } else {
                        *level
                    };
                    (
                        c.clone(),
                        Rated {
                            level,
                            evidence: format!("{what}: {c} shown in the payments migration"),
                        },
                    )
                })
                .collect(),
        )
    };
    let me = Actor::employee(engineer);
    let boss = Actor::employee(manager);
    store
        .edit_review(framework, me, review.id, assess(0, "Self"))
        .await?;
    store
        .edit_review_all(
            framework,
            boss,
            review.id,
            vec![assess(1, "Manager"), Edit::Rate(Rating::MeetsExpectations)],
        )
        .await?;
    store
        .edit_review(framework, me, review.id, Edit::Sign)
        .await?;
    store
        .edit_review(framework, boss, review.id, Edit::Sign)
        .await?;
    store.close_review_cycle(framework, hr, past.id).await?;

    store
        .open_review_cycle(
            framework,
            hr,
            NewCycle {
                name: format!("{year} H1"),
                period_start: period(year, 1, 1)?,
                period_end: period(year, 6, 30)?,
                scope: Scope::Below { manager },
                hold_until_released: false,
            },
        )
        .await?;
    store
        .add_goal(
            framework,
            me,
            engineer,
            NewGoal {
                text: "Write the design doc for the next quarter's main project".to_owned(),
                competency: framework.competencies().first().map(|c| c.id.clone()),
                target_date: period(year, 12, 31).ok(),
            },
        )
        .await?;

    // A pending proposal for another report, toward their first promotion.
    let org = store.org().await?;
    let other = org
        .reports(manager)
        .into_iter()
        .filter(|id| *id != engineer)
        .filter_map(|id| org.person(id).cloned())
        .find_map(|p| {
            graph::next_steps(framework, p.role.as_str())
                .into_iter()
                .filter_map(|t| framework.role(t.to.as_str()))
                .find(|r| !r.hire_only && org.check_transition(framework, p.id, &r.id).is_ok())
                .map(|r| (p.id, r.clone()))
        });
    drop(org);
    if let Some((person, target)) = other {
        let evidence: BTreeMap<_, _> = target
            .expectations
            .iter()
            .map(|e| {
                (
                    e.competency.clone(),
                    format!(
                        "Has worked at this level of {} for two quarters",
                        e.competency
                    ),
                )
            })
            .collect();
        store
            .draft_proposal(framework, boss, person, target.id.clone(), evidence)
            .await?;
    }
    Ok(())
}
