//! One broken file per error kind: each asserts the exact row, physical line
//! and code of every rejected row.

use climb_hris::{Existing, ExistingPerson, RowErrorKind};
use climb_people::{Email, Status};

use crate::{HEADER, errors, plan_csv, plan_lines};

const BOSS: &str = "boss@example.com,Boss,engineering-manager,,2020-01-01,active,";

fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid email")
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The store holds a manager with one report.
fn existing_team() -> Existing {
    let mut existing = Existing::new();
    existing.insert(
        email("em@example.com"),
        ExistingPerson {
            role: "engineering-manager".parse().expect("role id"),
            manager_email: None,
            status: Status::Active,
            start_date: date(2018, 1, 1),
            end_date: None,
        },
    );
    existing.insert(
        email("ic@example.com"),
        ExistingPerson {
            role: "software-engineer".parse().expect("role id"),
            manager_email: Some(email("em@example.com")),
            status: Status::Active,
            start_date: date(2019, 1, 1),
            end_date: None,
        },
    );
    existing
}

#[test]
fn an_unknown_role_is_reported_on_its_row() {
    let plan = plan_lines(&Existing::new(), &[BOSS, "a@example.com,A,wizard,,,,"]);
    assert_eq!(errors(&plan), vec![(2, 3, "unknown_role")]);
    assert_eq!(
        plan.errors[0].kind,
        RowErrorKind::UnknownRole {
            role: "wizard".into()
        }
    );
    assert_eq!(
        plan.errors[0].to_string(),
        "row 2 (line 3) [a@example.com]: unknown role `wizard` (unknown_role)"
    );
}

#[test]
fn an_unknown_manager_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            BOSS,
            "a@example.com,A,software-engineer,ghost@example.com,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![(2, 3, "unknown_manager")]);
}

#[test]
fn an_individual_contributor_as_manager_is_manager_cannot_have_reports() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "ic@example.com,Ic,software-engineer,,,,",
            "a@example.com,A,software-engineer,ic@example.com,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![(2, 3, "manager_cannot_have_reports")]);
}

#[test]
fn an_existing_individual_contributor_as_manager_is_refused_too() {
    let plan = plan_lines(
        &existing_team(),
        &["a@example.com,A,software-engineer,ic@example.com,,,"],
    );
    assert_eq!(errors(&plan), vec![(1, 2, "manager_cannot_have_reports")]);
}

#[test]
fn demoting_a_manager_who_keeps_reports_is_refused() {
    let plan = plan_lines(&existing_team(), &["em@example.com,,staff-engineer,,,,"]);
    assert_eq!(errors(&plan), vec![(1, 2, "manager_cannot_have_reports")]);
    // Reassigning the report in the same file makes it fine.
    let plan = plan_lines(
        &existing_team(),
        &[
            "em@example.com,,staff-engineer,,,,",
            "ic@example.com,,,boss@example.com,,,",
            BOSS,
        ],
    );
    assert_eq!(errors(&plan), vec![]);
}

#[test]
fn every_row_on_a_reporting_cycle_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "a@example.com,A,engineering-manager,b@example.com,,,",
            "x@example.com,X,software-engineer,a@example.com,,,",
            "b@example.com,B,engineering-manager,c@example.com,,,",
            "c@example.com,C,director-of-engineering,a@example.com,,,",
            "self@example.com,S,engineering-manager,self@example.com,,,",
        ],
    );
    // x reports into the cycle without being on it: skipped? No — its
    // manager row is rejected but a exists nowhere else, so it depends on it.
    assert_eq!(
        errors(&plan),
        vec![
            (1, 2, "reporting_cycle"),
            (2, 3, "manager_row_rejected"),
            (3, 4, "reporting_cycle"),
            (4, 5, "reporting_cycle"),
            (5, 6, "reporting_cycle"),
        ]
    );
    assert_eq!(
        plan.errors[0].kind,
        RowErrorKind::ReportingCycle {
            cycle: vec![
                "a@example.com".into(),
                "b@example.com".into(),
                "c@example.com".into(),
                "a@example.com".into()
            ]
        }
    );
}

#[test]
fn a_cycle_through_existing_people_is_found() {
    // em (existing) gets a manager who reports to ic... via the file: em -> new -> em.
    let plan = plan_lines(
        &existing_team(),
        &[
            "em@example.com,,,new@example.com,,,",
            "new@example.com,New,director-of-engineering,em@example.com,,,",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "reporting_cycle"), (2, 3, "reporting_cycle")]
    );
}

#[test]
fn a_duplicate_email_is_reported_on_the_later_row() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            BOSS,
            "a@example.com,A,software-engineer,,,,",
            "A@Example.COM,A2,software-engineer,,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![(3, 4, "duplicate_email")]);
    assert_eq!(
        plan.errors[0].kind,
        RowErrorKind::DuplicateEmail { first_row: 2 }
    );
    assert_eq!(plan.rows.len(), 2);
}

#[test]
fn a_bad_email_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            BOSS,
            "not-an-email,A,software-engineer,,,,",
            "b@example.com,B,software-engineer,also bad,,,",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![(2, 3, "invalid_email"), (3, 4, "invalid_email")]
    );
}

#[test]
fn a_missing_email_is_reported() {
    let plan = plan_lines(&Existing::new(), &[",A,software-engineer,,,,"]);
    assert_eq!(errors(&plan), vec![(1, 2, "missing_field")]);
}

#[test]
fn bad_dates_are_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "a@example.com,A,software-engineer,,2024-13-01,,",
            "b@example.com,B,software-engineer,,01/02/2024,,",
            "c@example.com,C,software-engineer,,2024-01-01,left,2024-02-30",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![
            (1, 2, "invalid_date"),
            (2, 3, "invalid_date"),
            (3, 4, "invalid_date")
        ]
    );
}

#[test]
fn a_bad_status_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &["a@example.com,A,software-engineer,,,gone,"],
    );
    assert_eq!(errors(&plan), vec![(1, 2, "invalid_status")]);
}

#[test]
fn an_end_date_before_the_start_date_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &["a@example.com,A,software-engineer,,2024-05-01,left,2024-04-30"],
    );
    assert_eq!(errors(&plan), vec![(1, 2, "end_before_start")]);
    // Against the stored start date when the cell is blank.
    let plan = plan_lines(&existing_team(), &["ic@example.com,,,,,left,2018-12-31"]);
    assert_eq!(errors(&plan), vec![(1, 2, "end_before_start")]);
}

#[test]
fn leaving_needs_an_end_date_and_an_end_date_needs_leaving() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "a@example.com,A,software-engineer,,2024-05-01,left,",
            "b@example.com,B,software-engineer,,2024-05-01,active,2025-01-01",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "missing_end_date"), (2, 3, "end_date_while_active")]
    );
}

#[test]
fn a_new_person_needs_a_name_and_a_role() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "a@example.com,,software-engineer,,,,",
            "b@example.com,B,,,,,",
        ],
    );
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "missing_field"), (2, 3, "missing_field")]
    );
    assert_eq!(
        plan.errors[1].kind,
        RowErrorKind::MissingField {
            column: "role",
            for_new_person: true
        }
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_reported() {
    let plan = plan_lines(
        &Existing::new(),
        &["a@example.com,A,software-engineer", BOSS],
    );
    assert_eq!(errors(&plan), vec![(1, 2, "wrong_field_count")]);
}

#[test]
fn a_row_that_is_not_utf8_is_reported() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"a@example.com,\xff\xfe,software-engineer,,,,\r\n");
    bytes.extend_from_slice(BOSS.as_bytes());
    let plan = climb_hris::read_plan(
        climb_framework::builtin(),
        &Existing::new(),
        bytes.as_slice(),
        None,
        &climb_hris::NoProgress,
    )
    .expect("readable");
    assert_eq!(errors(&plan), vec![(1, 2, "not_utf8")]);
}

#[test]
fn a_manager_who_left_cannot_take_reports() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "gone@example.com,Gone,engineering-manager,,2020-01-01,left,2021-01-01",
            "a@example.com,A,software-engineer,gone@example.com,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![(2, 3, "manager_left")]);
}

#[test]
fn a_manager_cannot_leave_while_people_still_report_to_them() {
    let plan = plan_lines(&existing_team(), &["em@example.com,,,,,left,2024-01-01"]);
    assert_eq!(errors(&plan), vec![(1, 2, "has_reports")]);
}

#[test]
fn a_whole_file_check_reports_every_bad_row_not_just_the_first() {
    let text = format!(
        "{HEADER}a@example.com,A,wizard,,,,\r\nb@example.com,B,software-engineer,,bad,,\r\nc@example.com,C,software-engineer,,,,\r\n"
    );
    let plan = plan_csv(&Existing::new(), &text);
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "unknown_role"), (2, 3, "invalid_date")]
    );
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(plan.rows_read, 3);
}

#[test]
fn someone_who_left_cannot_be_made_active_again() {
    let plan = plan_lines(&existing_team(), &["ic@example.com,,,,,left,2024-01-01"]);
    assert_eq!(errors(&plan), vec![]);
    let mut existing = existing_team();
    existing.insert(
        email("gone@example.com"),
        ExistingPerson {
            role: "software-engineer".parse().expect("role id"),
            manager_email: None,
            status: Status::Left,
            start_date: date(2019, 1, 1),
            end_date: Some(date(2020, 1, 1)),
        },
    );
    let plan = plan_lines(&existing, &["gone@example.com,,,,,active,"]);
    assert_eq!(errors(&plan), vec![(1, 2, "cannot_reactivate")]);
}

#[test]
fn a_name_with_a_line_break_a_tab_or_over_200_characters_is_invalid_name() {
    let long = "N".repeat(201);
    let text = format!(
        "{HEADER}{BOSS}\n\
         ana@example.com,\"Ana\nMaria\",software-engineer,boss@example.com,,,\n\
         tab@example.com,Tab\tName,software-engineer,boss@example.com,,,\n\
         long@example.com,{long},software-engineer,boss@example.com,,,\n\
         ok@example.com,Ok,software-engineer,boss@example.com,,,\n"
    );
    let plan = plan_csv(&Existing::new(), &text);
    // The quoted line break is one cell, so the rows after it keep their
    // numbers and their physical lines move down by one.
    assert_eq!(
        errors(&plan),
        vec![
            (2, 3, "invalid_name"),
            (3, 5, "invalid_name"),
            (4, 6, "invalid_name")
        ]
    );
    assert_eq!(
        plan.errors[0].to_string(),
        "row 2 (line 3) [ana@example.com]: a name cannot hold control characters (such as NUL, a tab or a line break) (invalid_name)"
    );
    assert_eq!(
        plan.errors[2].kind,
        RowErrorKind::InvalidName {
            problem: climb_people::NameProblem::TooLong(201)
        }
    );
}
