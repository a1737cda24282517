//! Re-import: a blank cell means "no change" (SPEC §4), for existing people only.

use climb_hris::{Existing, ExistingPerson, PersonRow};
use climb_people::{Email, Status};

use crate::{errors, plan_lines};

fn existing() -> Existing {
    let email = |raw| Email::parse(raw).expect("email");
    let mut existing = Existing::new();
    existing.insert(
        email("em@example.com"),
        ExistingPerson {
            role: "engineering-manager".parse().expect("role"),
            manager_email: None,
            status: Status::Active,
            start_date: chrono::NaiveDate::from_ymd_opt(2018, 1, 1).expect("date"),
            end_date: None,
        },
    );
    existing.insert(
        email("ada@example.com"),
        ExistingPerson {
            role: "software-engineer".parse().expect("role"),
            manager_email: Some(email("em@example.com")),
            status: Status::Active,
            start_date: chrono::NaiveDate::from_ymd_opt(2019, 1, 1).expect("date"),
            end_date: None,
        },
    );
    existing
}

#[test]
fn blank_cells_of_an_existing_person_mean_no_change() {
    let plan = plan_lines(&existing(), &["ada@example.com,,,,,,"]);
    assert_eq!(errors(&plan), vec![]);
    let email = Email::parse("ada@example.com").expect("email");
    assert_eq!(plan.rows, vec![PersonRow::new(email)]);
}

#[test]
fn only_the_filled_cells_change() {
    let plan = plan_lines(
        &existing(),
        &["ADA@example.com,,senior-software-engineer,,,,"],
    );
    assert_eq!(errors(&plan), vec![]);
    let row = &plan.rows[0];
    assert_eq!(
        row.role.as_ref().map(|r| r.as_str()),
        Some("senior-software-engineer")
    );
    assert_eq!(
        (
            row.name.as_ref(),
            row.manager_email.as_ref(),
            row.start_date,
            row.status
        ),
        (None, None, None, None)
    );
}

#[test]
fn a_new_person_in_the_same_file_still_needs_name_and_role() {
    let plan = plan_lines(
        &existing(),
        &["ada@example.com,,,,,,", "new@example.com,,,,,,"],
    );
    assert_eq!(
        errors(&plan),
        vec![(2, 3, "missing_field"), (2, 3, "missing_field")]
    );
}

#[test]
fn leaving_with_a_blank_start_date_checks_against_the_stored_one() {
    let plan = plan_lines(&existing(), &["ada@example.com,,,,,left,2024-06-30"]);
    assert_eq!(errors(&plan), vec![]);
}

/// The warnings as `(row, line, email, code)`.
fn warnings(plan: &climb_hris::ImportPlan) -> Vec<(u64, u64, &str, &'static str)> {
    plan.warnings
        .iter()
        .map(|w| (w.row, w.line, w.email.as_str(), w.code()))
        .collect()
}

#[test]
fn a_move_into_a_hire_only_role_or_past_a_level_is_accepted_with_a_warning() {
    let plan = plan_lines(
        &existing(),
        &[
            "em@example.com,,cto,,,,",
            "ada@example.com,,staff-engineer,,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![]);
    assert_eq!(plan.rows.len(), 2, "both are still recorded");
    assert_eq!(
        warnings(&plan),
        vec![
            (1, 2, "em@example.com", "hire_only_role"),
            (2, 3, "ada@example.com", "no_such_transition"),
        ]
    );
    let message = plan.warnings[1].to_string();
    assert!(
        message.contains("row 2 (line 3) [ada@example.com]")
            && message.contains("`software-engineer` -> `staff-engineer`")
            && message.contains("correction"),
        "{message}"
    );
}

#[test]
fn a_transition_of_the_framework_a_hire_or_an_unchanged_role_warns_nothing() {
    let plan = plan_lines(
        &existing(),
        &[
            "ada@example.com,,senior-software-engineer,,,,",
            "em@example.com,,engineering-manager,,,,",
            "boss@example.com,Boss,cto,,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![]);
    assert_eq!(warnings(&plan), vec![]);
}

#[test]
fn a_rejected_row_is_not_warned_about() {
    let plan = plan_lines(&existing(), &["ada@example.com,,cto,,not-a-date,,"]);
    assert_eq!(errors(&plan), vec![(1, 2, "invalid_date")]);
    assert_eq!(warnings(&plan), vec![]);
}
