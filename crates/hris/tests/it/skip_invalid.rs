//! What `skip_invalid` imports: the good rows only, minus the rows that
//! depend on a rejected row (their manager's row), transitively.

use climb_hris::{Existing, RowErrorKind};

use crate::{accepted, errors, plan_lines};

#[test]
fn rows_whose_manager_row_was_rejected_are_skipped_with_a_reason() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "vp@example.com,Vp,vp-engineering,,,,",
            "em@example.com,Em,engineering-manager,vp@example.com,not-a-date,,",
            "dev@example.com,Dev,software-engineer,em@example.com,,,",
            "ok@example.com,Ok,software-engineer,vp@example.com,,,",
            "junior@example.com,Jr,associate-software-engineer,dev2@example.com,,,",
            "dev2@example.com,Dev2,software-engineer,em@example.com,,,",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![
            (2, 3, "invalid_date"),
            (3, 4, "manager_row_rejected"),
            (5, 6, "manager_row_rejected"),
            (6, 7, "manager_row_rejected"),
        ]
    );
    assert_eq!(
        plan.errors[1].kind,
        RowErrorKind::ManagerRowRejected {
            manager: "em@example.com".into(),
            manager_row: 2
        }
    );
    assert_eq!(accepted(&plan), ["vp@example.com", "ok@example.com"]);
}

#[test]
fn a_clean_file_plans_every_row() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "vp@example.com,Vp,vp-engineering,,,,",
            "ok@example.com,Ok,software-engineer,vp@example.com,,,",
        ],
    );
    assert!(plan.is_clean());
    assert_eq!(plan.rows.len(), 2);
}
