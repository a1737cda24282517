//! Rates counted from a seven-person history over six months, by hand.

use climb_insights::{Step, Window, estimate, headcount};

use crate::support::{Company, day, three_roles};

/// Observed on the first of each month, 2025-01-01 to 2025-07-01:
///
/// - Ana: engineer since 2024-06, senior from 2025-03-15: 3 engineer steps
///   (the third ends in the promotion), then 3 senior steps.
/// - Bo: engineer, last day 2025-02-10: 2 engineer steps, the second ends
///   in leaving.
/// - Cy: senior from 2025-02-15: 4 senior steps (from 03-01).
/// - Di: manager throughout: 6 manager steps.
/// - Ed: senior, corrected back to engineer on 2025-05-20: 5 senior steps,
///   the fifth ends in the off-graph move, then 1 engineer step.
/// - Fe: engineer from 2025-06-30: counted on 07-01, never a trial.
/// - Gu: manager whose last day is 2025-07-01: still there that day, 6
///   manager steps, no leaving.
///
/// Engineer: 6 trials, 1 promotion, 1 leaver. Senior: 12 trials, 1 move
/// back to engineer. Manager: 12 trials, nothing.
fn seven_people() -> climb_people::Org {
    let framework = three_roles();
    let mut company = Company::new(&framework);
    let ana = company.hire("Ana", "engineer", "2024-06-01");
    company.change_role(ana, "senior", "2025-03-15");
    let bo = company.hire("Bo", "engineer", "2024-01-10");
    company.leave(bo, "2025-02-10");
    company.hire("Cy", "senior", "2025-02-15");
    company.hire("Di", "manager", "2023-01-01");
    let ed = company.hire("Ed", "senior", "2024-01-01");
    company.correct_role(ed, "engineer", "2025-05-20");
    company.hire("Fe", "engineer", "2025-06-30");
    let gu = company.hire("Gu", "manager", "2024-01-01");
    company.leave(gu, "2025-07-01");
    company.org
}

fn six_months() -> Window {
    Window {
        end: day("2025-07-01"),
        months: 6,
        step: Step::Month,
    }
}

#[test]
fn promotions_and_leavers_are_counted_per_person_month_in_the_role_left() {
    let framework = three_roles();
    let org = seven_people();
    let estimate = estimate(&framework, &org, six_months()).expect("a valid window");
    assert_eq!(estimate.start, day("2025-01-01"));

    let promotion = &estimate.transitions[0];
    assert_eq!(
        (promotion.from.as_str(), promotion.to.as_str()),
        ("engineer", "senior")
    );
    assert_eq!((promotion.rate.events, promotion.rate.exposure), (1, 6));
    assert_eq!(promotion.rate.probability, 1.0 / 6.0);

    let leaving: Vec<_> = estimate
        .leaving
        .iter()
        .map(|l| (l.role.as_str(), l.rate.events, l.rate.exposure))
        .collect();
    assert_eq!(
        leaving,
        [("engineer", 1, 6), ("senior", 0, 12), ("manager", 0, 12)]
    );
}

#[test]
fn a_transition_nobody_took_is_listed_with_probability_zero_and_an_upper_bound() {
    let framework = three_roles();
    let estimate = estimate(&framework, &seven_people(), six_months()).expect("valid");
    let lateral = &estimate.transitions[1];
    assert_eq!(
        (lateral.from.as_str(), lateral.to.as_str()),
        ("senior", "manager")
    );
    assert_eq!((lateral.rate.events, lateral.rate.exposure), (0, 12));
    assert_eq!(lateral.rate.probability, 0.0);
    let interval = lateral.rate.interval.expect("there were trials");
    assert_eq!(interval.low, 0.0);
    assert!(interval.high > 0.1 && interval.high < 0.2, "{interval:?}");
}

#[test]
fn a_correction_outside_the_graph_is_reported_apart_and_not_as_a_transition() {
    let framework = three_roles();
    let estimate = estimate(&framework, &seven_people(), six_months()).expect("valid");
    assert_eq!(estimate.off_graph.len(), 1);
    let correction = &estimate.off_graph[0];
    assert_eq!(
        (correction.from.as_str(), correction.to.as_str()),
        ("senior", "engineer")
    );
    assert_eq!((correction.rate.events, correction.rate.exposure), (1, 12));
    assert_eq!(estimate.outside_framework, 0);
}

#[test]
fn yearly_steps_observe_the_org_once_a_year() {
    // Observed on 2024-07-01 and 2025-07-01: Ana engineer -> senior, Bo
    // engineer -> gone, Di and Gu managers stay, Ed senior -> engineer.
    let framework = three_roles();
    let window = Window {
        end: day("2025-07-01"),
        months: 12,
        step: Step::Year,
    };
    let estimate = estimate(&framework, &seven_people(), window).expect("valid");
    let promotion = &estimate.transitions[0];
    assert_eq!((promotion.rate.events, promotion.rate.exposure), (1, 2));
    assert_eq!(
        (
            estimate.leaving[0].rate.events,
            estimate.leaving[0].rate.exposure
        ),
        (1, 2)
    );
    assert_eq!(estimate.leaving[2].rate.exposure, 2);
    assert_eq!(estimate.off_graph[0].rate.exposure, 1);
}

#[test]
fn headcount_counts_who_held_each_role_on_the_day() {
    let framework = three_roles();
    let org = seven_people();
    assert_eq!(
        headcount(&framework, &org, day("2025-07-01")).per_role,
        [2, 2, 2]
    );
    // Ana and Bo engineers, Ed senior, Di and Gu managers.
    assert_eq!(
        headcount(&framework, &org, day("2025-01-01")).per_role,
        [2, 1, 2]
    );
    assert_eq!(
        headcount(&framework, &org, day("2022-12-31")).per_role,
        [0, 0, 0]
    );
}

#[test]
fn an_empty_org_estimates_zero_everywhere_without_intervals() {
    let framework = three_roles();
    let estimate =
        estimate(&framework, &climb_people::Org::new(), six_months()).expect("valid window");
    assert!(
        estimate
            .transitions
            .iter()
            .all(|t| t.rate.probability == 0.0 && t.rate.interval.is_none())
    );
    assert!(estimate.off_graph.is_empty());
}
