//! The expected stock against a hand-computed three-role example, and the
//! Monte Carlo against the expected stock.

use climb_insights::{
    Headcount, Hires, HiringPlan, LeaveOverride, Model, MoveOverride, ProjectionSettings, Step,
    Target, WhatIf, expected_stock, project,
};

use crate::support::{day, three_roles, unobserved};

/// Monthly: engineer -> senior 1/4, engineer leaves 1/8; senior -> manager
/// 1/8, senior leaves 1/8; manager leaves 1/4. Powers of two, so that the
/// arithmetic below is exact in floating point too.
fn rates() -> WhatIf {
    let set = |from: &str, to: &str, probability| MoveOverride {
        from: from.to_owned(),
        to: to.to_owned(),
        probability,
    };
    let leave = |role: &str, probability| LeaveOverride {
        role: role.to_owned(),
        probability,
    };
    WhatIf {
        moves: vec![
            set("engineer", "senior", 0.25),
            set("senior", "manager", 0.125),
        ],
        leaving: vec![
            leave("engineer", 0.125),
            leave("senior", 0.125),
            leave("manager", 0.25),
        ],
    }
}

fn hires(role: &str, count: f64, per: Step) -> Hires {
    Hires {
        role: role.to_owned(),
        count,
        per,
    }
}

fn eight_engineers_a_month() -> HiringPlan {
    HiringPlan {
        hires: vec![hires("engineer", 8.0, Step::Month)],
        targets: vec![],
    }
}

fn start(per_role: [u64; 3]) -> Headcount {
    Headcount {
        date: day("2026-01-01"),
        per_role: per_role.to_vec(),
        outside_framework: 0,
    }
}

fn settings(steps: u32, runs: u32, seed: u64) -> ProjectionSettings {
    ProjectionSettings { steps, runs, seed }
}

#[test]
fn the_expected_stock_matches_the_three_role_example_worked_by_hand() {
    // From (64, 32, 16) with 8 engineers hired a month:
    // month 1: engineer 64·5/8 + 8 = 48; senior 64/4 + 32·3/4 = 40;
    //          manager 32/8 + 16·3/4 = 16
    // month 2: engineer 48·5/8 + 8 = 38; senior 48/4 + 40·3/4 = 42;
    //          manager 40/8 + 16·3/4 = 17
    // month 3: engineer 38·5/8 + 8 = 31.75; senior 38/4 + 42·3/4 = 41;
    //          manager 42/8 + 17·3/4 = 18
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let stock = expected_stock(
        &framework,
        &model,
        &[64.0, 32.0, 16.0],
        &eight_engineers_a_month(),
        3,
    )
    .expect("valid plan");
    assert_eq!(
        stock,
        [
            vec![64.0, 32.0, 16.0],
            vec![48.0, 40.0, 16.0],
            vec![38.0, 42.0, 17.0],
            vec![31.75, 41.0, 18.0],
        ]
    );

    let projection = project(
        &framework,
        &model,
        &start([64, 32, 16]),
        &eight_engineers_a_month(),
        settings(3, 10, 1),
    )
    .expect("valid projection");
    assert_eq!(projection.roles[0].expected, [64.0, 48.0, 38.0, 31.75]);
    assert_eq!(projection.streams[0].expected, [96.0, 88.0, 80.0, 72.75]);
    assert_eq!(projection.total.expected, [112.0, 104.0, 97.0, 90.75]);
    assert_eq!(
        projection.dates,
        [
            day("2026-01-01"),
            day("2026-02-01"),
            day("2026-03-01"),
            day("2026-04-01")
        ]
    );
}

/// The runs' mean is held to the expected stock within 1.5% or half a
/// person, whichever is larger, at every role and month: with 4,000 runs
/// the standard error of a mean near 40 people is about 0.1, so this is
/// five standard errors or more.
#[test]
fn the_monte_carlo_mean_converges_to_the_expected_stock_for_a_fixed_seed() {
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let plan = HiringPlan {
        hires: vec![
            hires("engineer", 8.0, Step::Month),
            hires("manager", 0.5, Step::Month),
        ],
        targets: vec![],
    };
    let projection = project(
        &framework,
        &model,
        &start([64, 32, 16]),
        &plan,
        settings(24, 4_000, 2026),
    )
    .expect("valid projection");
    for series in projection.roles.iter().chain([&projection.total]) {
        for (month, (expected, band)) in series.expected.iter().zip(&series.simulated).enumerate() {
            let tolerance = (0.015 * expected).max(0.5);
            assert!(
                (band.mean - expected).abs() <= tolerance,
                "{} month {month}: mean {} against expected {expected}",
                series.id,
                band.mean
            );
            assert!(band.p10 <= band.p50 && band.p50 <= band.p90, "{band:?}");
            assert!(
                (band.p10 as f64) <= *expected && *expected <= band.p90 as f64,
                "{} month {month}: {expected} outside {band:?}",
                series.id
            );
        }
    }
    // The bands are not degenerate: people really move at random.
    let last = projection.roles[1].simulated.last().expect("24 months");
    assert!(last.p90 > last.p10, "{last:?}");
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_seed_others() {
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let run = |seed| {
        project(
            &framework,
            &model,
            &start([64, 32, 16]),
            &eight_engineers_a_month(),
            settings(12, 200, seed),
        )
        .expect("valid projection")
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).roles[1].simulated, run(8).roles[1].simulated);
}

#[test]
fn yearly_steps_take_monthly_hiring_as_twelve_a_year() {
    let framework = three_roles();
    let model = Model::new(
        &framework,
        &unobserved(&framework, Step::Year),
        &WhatIf::default(),
    )
    .expect("no what-ifs");
    let plan = HiringPlan {
        hires: vec![
            hires("engineer", 1.0, Step::Month),
            hires("manager", 2.0, Step::Year),
        ],
        targets: vec![],
    };
    let stock = expected_stock(&framework, &model, &[0.0, 0.0, 0.0], &plan, 2).expect("valid");
    assert_eq!(stock[2], [24.0, 0.0, 4.0]);
}

#[test]
fn a_target_is_filled_by_hiring_after_the_moves() {
    // Of 16 managers 12 stay and 32/8 = 4 seniors join: 16, below the
    // target of 20, so 4 are hired.
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let plan = HiringPlan {
        hires: vec![],
        targets: vec![Target {
            role: "manager".to_owned(),
            headcount: 20,
        }],
    };
    let stock = expected_stock(&framework, &model, &[0.0, 32.0, 16.0], &plan, 1).expect("valid");
    assert_eq!(stock[1], [0.0, 24.0, 20.0]);
    let projection = project(
        &framework,
        &model,
        &start([0, 32, 16]),
        &plan,
        settings(6, 100, 3),
    )
    .expect("valid projection");
    assert!(
        projection.roles[2]
            .simulated
            .iter()
            .skip(1)
            .all(|b| b.p10 >= 20)
    );
}

#[test]
fn an_empty_company_with_no_hiring_stays_empty() {
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let projection = project(
        &framework,
        &model,
        &start([0, 0, 0]),
        &HiringPlan::default(),
        settings(12, 5, 0),
    )
    .expect("valid projection");
    assert!(projection.total.expected.iter().all(|&n| n == 0.0));
    assert!(projection.total.simulated.iter().all(|b| b.p90 == 0));
}

#[test]
fn invalid_settings_and_plans_are_refused_with_their_code() {
    let framework = three_roles();
    let model = Model::new(&framework, &unobserved(&framework, Step::Month), &rates())
        .expect("valid rates");
    let attempt = |plan: &HiringPlan, settings| {
        project(&framework, &model, &start([1, 1, 1]), plan, settings).map_err(|e| e.code())
    };
    let none = HiringPlan::default();
    assert_eq!(
        attempt(&none, settings(0, 10, 0)).err(),
        Some("empty_horizon")
    );
    assert_eq!(
        attempt(&none, settings(5_000, 10, 0)).err(),
        Some("horizon_too_long")
    );
    assert_eq!(
        attempt(&none, settings(12, 0, 0)).err(),
        Some("invalid_runs")
    );
    assert_eq!(
        attempt(&none, settings(12, 1_000_000, 0)).err(),
        Some("invalid_runs")
    );
    for count in [-1.0, f64::NAN, f64::INFINITY, 1e12] {
        let plan = HiringPlan {
            hires: vec![hires("engineer", count, Step::Month)],
            targets: vec![],
        };
        assert_eq!(
            attempt(&plan, settings(12, 10, 0)).err(),
            Some("invalid_hires")
        );
    }
    let unknown = HiringPlan {
        hires: vec![hires("wizard", 1.0, Step::Month)],
        targets: vec![],
    };
    assert_eq!(
        attempt(&unknown, settings(12, 10, 0)).err(),
        Some("unknown_role")
    );
    let wrong_stock = project(
        &framework,
        &model,
        &Headcount {
            date: day("2026-01-01"),
            per_role: vec![1, 2],
            outside_framework: 0,
        },
        &none,
        settings(12, 10, 0),
    );
    assert_eq!(
        wrong_stock.map_err(|e| e.code()).err(),
        Some("stock_mismatch")
    );
}

#[test]
fn hiring_into_the_entry_roles_shares_the_pace_among_them() {
    let framework = climb_framework::builtin();
    let hires = HiringPlan::into_entry_roles(framework, 6.0, Step::Month).expect("entry roles");
    let entry = framework.roles().iter().filter(|r| r.entry).count();
    assert_eq!(hires.len(), entry);
    let total: f64 = hires.iter().map(|h| h.count).sum();
    assert!((total - 6.0).abs() < 1e-12);
    assert_eq!(
        HiringPlan::into_entry_roles(&three_roles(), 2.0, Step::Month)
            .expect("engineer is an entry role")
            .len(),
        1
    );
}
