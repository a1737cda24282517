//! The demo's performance reviews: the last half-year's cycle for the whole
//! company (everyone below the top), both sides written, signed on their own
//! days near the period's end and closed, with ratings spread around "meets";
//! a cycle still open for the demo manager's team; a goal on the demo
//! engineer's growth plan; and a pending promotion proposal for another
//! report of the manager.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate, Utc};
use climb_framework::{CompetencyId, Framework, graph};
use climb_management::growth::NewGoal;
use climb_management::review::{Edit, NewCycle, Rated, Rating, Review, Scope};
use climb_people::{Actor, PersonId};
use climb_store::Store;

use super::demo_text::{evidence, mix, weekday_on_or_before};

/// Seeds the reviews: the company's closed cycle, then `manager`'s open one;
/// `engineer` reports to `manager`.
pub(crate) async fn seed(
    store: &Store,
    framework: &Framework,
    manager: PersonId,
    engineer: PersonId,
) -> anyhow::Result<()> {
    let hr = Actor::admin(None);
    let today = Utc::now().date_naive();
    let (past, current) = half_years(today).context("a valid demo date")?;
    let top = {
        let org = store.org().await?;
        org.people()
            .filter(|p| p.is_active() && p.manager.is_none())
            .max_by_key(|p| org.reports(p.id).len())
            .map_or(manager, |p| p.id)
    };
    let (cycle, _) = store
        .open_review_cycle(
            framework,
            hr,
            NewCycle {
                name: past.name,
                period_start: past.start,
                period_end: past.end,
                scope: Scope::Below { manager: top },
                hold_until_released: false,
            },
        )
        .await
        .context("cannot open the demo review cycle")?;
    let reviews = store.cycle_reviews(cycle.id).await?;
    let managers: BTreeMap<PersonId, PersonId> = {
        let org = store.org().await?;
        reviews
            .iter()
            .filter_map(|r| org.index().manager(r.person).map(|m| (r.person, m)))
            .collect()
    };
    for review in &reviews {
        let Some(&reviewer) = managers.get(&review.person) else {
            continue;
        };
        let draw = mix(&[review.person.0 as u64]);
        let rating = if review.person == engineer {
            // Their growth plan shows gaps: some levels below the role's.
            Rating::PartlyMeetsExpectations
        } else {
            rating_of(draw)
        };
        let own_signed_on = weekday_on_or_before(past.end - Days::new(8 + draw % 20));
        let manager_signed_on = weekday_on_or_before(own_signed_on + Days::new(1 + draw % 7))
            .max(own_signed_on)
            .min(past.end);
        store
            .edit_review_on(
                framework,
                Actor::employee(review.person),
                review.id,
                vec![
                    Edit::Assess(assessment(framework, review, Side::Own, None)),
                    Edit::Sign,
                ],
                own_signed_on,
            )
            .await
            .context("cannot write a demo self-assessment")?;
        store
            .edit_review_on(
                framework,
                Actor::employee(reviewer),
                review.id,
                vec![
                    Edit::Assess(assessment(framework, review, Side::Manager, Some(rating))),
                    Edit::Rate(rating),
                    Edit::Sign,
                ],
                manager_signed_on,
            )
            .await
            .context("cannot write a demo manager assessment")?;
    }
    store.close_review_cycle(framework, hr, cycle.id).await?;

    store
        .open_review_cycle(
            framework,
            hr,
            NewCycle {
                name: current.name,
                period_start: current.start,
                period_end: current.end,
                scope: Scope::Below { manager },
                hold_until_released: false,
            },
        )
        .await?;
    let me = Actor::employee(engineer);
    store
        .add_goal(
            framework,
            me,
            engineer,
            NewGoal {
                text: "Write the design doc for the next quarter's main project".to_owned(),
                competency: framework.competencies().first().map(|c| c.id.clone()),
                target_date: Some(current.end),
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
            .enumerate()
            .filter_map(|(k, e)| {
                let competency = framework.competency(e.competency.as_str())?;
                let text = evidence(competency, mix(&[person.0 as u64, k as u64, 7]));
                Some((e.competency.clone(), text.to_owned()))
            })
            .collect();
        store
            .draft_proposal(
                framework,
                Actor::employee(manager),
                person,
                target.id.clone(),
                evidence,
            )
            .await?;
    }
    Ok(())
}

/// A named half-year review period.
#[derive(Debug)]
struct HalfYear {
    name: String,
    start: NaiveDate,
    end: NaiveDate,
}

/// The last half-year that has ended before `today`, and the one `today`
/// falls in.
fn half_years(today: NaiveDate) -> Option<(HalfYear, HalfYear)> {
    let year = today.year();
    let half = |y: i32, second: bool| -> Option<HalfYear> {
        let (from, to) = if second { (7, 12) } else { (1, 6) };
        Some(HalfYear {
            name: format!("{y} H{}", if second { 2 } else { 1 }),
            start: NaiveDate::from_ymd_opt(y, from, 1)?,
            end: NaiveDate::from_ymd_opt(y, to, if second { 31 } else { 30 })?,
        })
    };
    if today.month() >= 7 {
        Some((half(year, false)?, half(year, true)?))
    } else {
        Some((half(year - 1, true)?, half(year, false)?))
    }
}

/// A rating drawn from `draw`: mostly "meets", some above, a few below.
fn rating_of(draw: u64) -> Rating {
    match (draw >> 8) % 100 {
        0..4 => Rating::BelowExpectations,
        4..16 => Rating::PartlyMeetsExpectations,
        16..76 => Rating::MeetsExpectations,
        76..94 => Rating::ExceedsExpectations,
        _ => Rating::Outstanding,
    }
}

/// Which side of a review is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Own,
    Manager,
}

/// One side's levels and evidence: the role's expected levels, moved one
/// down or up on some competencies as the rating says (the person's own side
/// a little higher now and then), each with a sentence of evidence.
fn assessment(
    framework: &Framework,
    review: &Review,
    side: Side,
    rating: Option<Rating>,
) -> BTreeMap<CompetencyId, Rated> {
    review
        .expected
        .iter()
        .enumerate()
        .map(|(k, (id, expected))| {
            let draw = mix(&[review.person.0 as u64, k as u64, side as u64]);
            let max = framework
                .competency(id.as_str())
                .map_or(*expected, |c| c.levels.len() as u32);
            let odd = k % 2 == 1;
            let level = match (side, rating) {
                (Side::Own, _) if draw.is_multiple_of(4) => expected + 1,
                (Side::Own, _) => *expected,
                (_, Some(Rating::BelowExpectations)) => expected.saturating_sub(1),
                (_, Some(Rating::PartlyMeetsExpectations)) if odd => expected.saturating_sub(1),
                (_, Some(Rating::ExceedsExpectations)) if !odd => expected + 1,
                (_, Some(Rating::Outstanding)) => expected + 1,
                _ => *expected,
            }
            .clamp(1, max.max(1));
            let text = framework
                .competency(id.as_str())
                .map_or("Worked steadily at the level the role expects.", |c| {
                    evidence(c, draw)
                });
            (
                id.clone(),
                Rated {
                    level,
                    evidence: text.to_owned(),
                },
            )
        })
        .collect()
}
