//! What-ifs over the estimated rates: validation, off-graph pairs, stay.

use climb_insights::{InsightsError, LeaveOverride, Model, MoveOverride, RateSource, Step, WhatIf};
use rstest::rstest;

use crate::support::{three_roles, unobserved};

fn set(from: &str, to: &str, probability: f64) -> MoveOverride {
    MoveOverride {
        from: from.to_owned(),
        to: to.to_owned(),
        probability,
    }
}

fn leave(role: &str, probability: f64) -> LeaveOverride {
    LeaveOverride {
        role: role.to_owned(),
        probability,
    }
}

fn model(what_if: &WhatIf) -> Result<Model, InsightsError> {
    let framework = three_roles();
    Model::new(&framework, &unobserved(&framework, Step::Month), what_if)
}

#[test]
fn the_stay_probability_is_what_the_moves_and_leaving_leave() {
    let model = model(&WhatIf {
        moves: vec![set("engineer", "senior", 0.25)],
        leaving: vec![leave("engineer", 0.125)],
    })
    .expect("valid what-if");
    assert_eq!(model.roles[0].stay, 0.625);
    assert_eq!(model.probability("engineer", "senior"), Some(0.25));
    assert_eq!(model.probability("engineer", "engineer"), Some(0.625));
    assert_eq!(model.roles[2].stay, 1.0);
}

#[test]
fn rates_from_one_role_summing_past_one_are_refused() {
    let refused = model(&WhatIf {
        moves: vec![
            set("senior", "manager", 0.75),
            set("senior", "engineer", 0.125),
        ],
        leaving: vec![leave("senior", 0.25)],
    });
    assert_eq!(
        refused,
        Err(InsightsError::RatesExceedOne {
            role: "senior".to_owned(),
            total: 1.125
        })
    );
    assert_eq!(refused.map_err(|e| e.code()), Err("rates_exceed_one"));
}

#[test]
fn rates_summing_to_exactly_one_leave_nobody_staying() {
    let model = model(&WhatIf {
        moves: vec![set("senior", "manager", 0.75)],
        leaving: vec![leave("senior", 0.25)],
    })
    .expect("exactly one is allowed");
    assert_eq!(model.roles[1].stay, 0.0);
}

#[test]
fn a_what_if_between_roles_the_framework_does_not_connect_is_marked_off_graph() {
    let model = model(&WhatIf {
        moves: vec![
            set("senior", "engineer", 0.01),
            set("senior", "manager", 0.02),
        ],
        leaving: vec![],
    })
    .expect("valid what-if");
    let senior = &model.roles[1];
    let demotion = senior
        .moves
        .iter()
        .find(|m| m.to.as_str() == "engineer")
        .expect("the what-if's move");
    assert!(demotion.off_graph);
    assert_eq!(demotion.kind, None);
    assert_eq!(demotion.rate.source, RateSource::WhatIf { estimated: None });
    let lateral = senior
        .moves
        .iter()
        .find(|m| m.to.as_str() == "manager")
        .expect("the framework's move");
    assert!(!lateral.off_graph);
    assert!(matches!(
        lateral.rate.source,
        RateSource::WhatIf { estimated: Some(_) }
    ));
    assert_eq!(senior.stay, 0.97);
}

#[rstest]
#[case::above_one(1.5)]
#[case::negative(-0.1)]
#[case::not_a_number(f64::NAN)]
#[case::infinite(f64::INFINITY)]
fn a_probability_outside_zero_to_one_is_refused(#[case] value: f64) {
    let moved = model(&WhatIf {
        moves: vec![set("engineer", "senior", value)],
        leaving: vec![],
    });
    assert_eq!(moved.map_err(|e| e.code()), Err("rate_out_of_range"));
    let left = model(&WhatIf {
        moves: vec![],
        leaving: vec![leave("manager", value)],
    });
    assert_eq!(left.map_err(|e| e.code()), Err("rate_out_of_range"));
}

#[test]
fn unknown_roles_self_moves_and_rates_set_twice_are_refused() {
    let unknown = model(&WhatIf {
        moves: vec![set("engineer", "wizard", 0.1)],
        leaving: vec![],
    });
    assert_eq!(
        unknown,
        Err(InsightsError::UnknownRole("wizard".to_owned()))
    );
    let to_itself = model(&WhatIf {
        moves: vec![set("engineer", "engineer", 0.1)],
        leaving: vec![],
    });
    assert_eq!(to_itself.map_err(|e| e.code()), Err("rate_to_itself"));
    let twice = model(&WhatIf {
        moves: vec![],
        leaving: vec![leave("manager", 0.1), leave("manager", 0.2)],
    });
    assert_eq!(twice.map_err(|e| e.code()), Err("duplicate_rate"));
}

#[test]
fn a_what_if_into_a_hire_only_role_is_refused() {
    let framework = climb_framework::builtin();
    let refused = Model::new(
        framework,
        &unobserved(framework, Step::Month),
        &WhatIf {
            moves: vec![set("vp-engineering", "cto", 0.01)],
            leaving: vec![],
        },
    );
    assert_eq!(refused.map_err(|e| e.code()), Err("hire_only_role"));
}
