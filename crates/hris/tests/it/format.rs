//! The file format: header rules, BOM, CRLF, quoting, line numbers, and
//! export → import round trips.

use climb_hris::{Column, Existing, HrisError, NoProgress, PersonRow, read_plan, write_rows};

use crate::{HEADER, accepted, errors, plan_csv, plan_lines};

#[test]
fn a_bom_crlf_and_quoted_fields_with_commas_and_newlines_are_read() {
    let text = "\u{feff}email,name,role,manager_email,start_date,status,end_date\r\n\
        boss@example.com,\"Lovelace, Ada\",engineering-manager,,2020-01-02,active,\r\n\
        dev@example.com,\"Grace\r\nHopper\",software-engineer,boss@example.com,2021-03-04,,\r\n\
        \"quoted@example.com\",\"Say \"\"hi\"\"\",software-engineer,boss@example.com,,,\r\n";
    let plan = plan_csv(&Existing::new(), text);
    // The quoted line break is read as one cell (the next row is still row
    // 3, on line 5); a name may not hold one, as through the API.
    assert_eq!(errors(&plan), vec![(2, 3, "invalid_name")]);
    let names: Vec<_> = plan
        .rows
        .iter()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Lovelace, Ada", "Say \"hi\""]);
}

#[test]
fn header_names_are_case_insensitive_in_any_order_and_may_omit_columns() {
    let text = "Role,EMAIL,Name\nsoftware-engineer,ada@example.com,Ada\n";
    let plan = plan_csv(&Existing::new(), text);
    assert_eq!(errors(&plan), vec![]);
    assert_eq!(
        plan.rows[0].role.as_ref().map(|r| r.as_str()),
        Some("software-engineer")
    );
    assert_eq!(plan.rows[0].manager_email, None);
}

#[test]
fn an_unknown_column_is_refused_with_a_clear_message() {
    let err = read_plan(
        climb_framework::builtin(),
        &Existing::new(),
        "email,name,salary\n".as_bytes(),
        None,
        &NoProgress,
    )
    .expect_err("unknown column");
    assert!(matches!(err, HrisError::UnknownColumn { ref name, position: 3 } if name == "salary"));
    let message = err.to_string();
    assert!(message.contains("unknown column `salary`"), "{message}");
    assert!(
        message.contains("email,name,role,manager_email,start_date,status,end_date"),
        "{message}"
    );
}

#[test]
fn an_empty_file_has_no_header() {
    let err = read_plan(
        climb_framework::builtin(),
        &Existing::new(),
        "".as_bytes(),
        None,
        &NoProgress,
    );
    assert!(matches!(err, Err(HrisError::MissingHeader)));
}

#[test]
fn rows_after_a_multi_line_cell_report_their_physical_line() {
    let text = format!(
        "{HEADER}a@example.com,\"Ada\nof\nLovelace\",software-engineer,,,,\r\nb@example.com,Bo,wizard,,,,\r\n"
    );
    let plan = plan_csv(&Existing::new(), &text);
    // The name may not keep its line breaks, but they are one cell's.
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "invalid_name"), (2, 5, "unknown_role")]
    );
}

#[test]
fn export_then_import_loses_nothing() {
    let boss = PersonRow {
        email: climb_people::Email::parse("boss@example.com").expect("email"),
        name: Some("Zoë \"Z\" Núñez, PhD".to_owned()),
        role: climb_framework::RoleId::parse("engineering-manager").ok(),
        manager_email: None,
        start_date: chrono::NaiveDate::from_ymd_opt(2019, 5, 6),
        status: Some(climb_people::Status::Active),
        end_date: None,
    };
    let left = PersonRow {
        email: climb_people::Email::parse("left@example.com").expect("email"),
        name: Some("Comma, \"Quote\" and 'Apostrophe'".to_owned()),
        role: climb_framework::RoleId::parse("software-engineer").ok(),
        manager_email: Some(boss.email.clone()),
        start_date: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
        status: Some(climb_people::Status::Left),
        end_date: chrono::NaiveDate::from_ymd_opt(2022, 12, 31),
    };
    let mut bytes = Vec::new();
    write_rows(&mut bytes, [&boss, &left]).expect("writes");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with(HEADER), "{text}");
    assert!(text.contains("\"Zoë \"\"Z\"\" Núñez, PhD\""), "{text}");
    let plan = plan_csv(&Existing::new(), &text);
    assert_eq!(errors(&plan), vec![]);
    assert_eq!(plan.rows, vec![boss, left]);
}

#[test]
fn every_column_has_a_documented_name() {
    let names: Vec<_> = Column::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(names.join(","), Column::ALL_NAMES);
}

#[test]
fn managers_may_come_after_their_reports_and_are_planned_first() {
    let plan = plan_lines(
        &Existing::new(),
        &[
            "dev@example.com,Dev,software-engineer,em@example.com,,,",
            "em@example.com,Em,engineering-manager,vp@example.com,,,",
            "vp@example.com,Vp,vp-engineering,,,,",
        ],
    );
    assert_eq!(errors(&plan), vec![]);
    assert_eq!(
        accepted(&plan),
        ["vp@example.com", "em@example.com", "dev@example.com"]
    );
}

#[test]
fn a_quoted_newline_after_a_blank_is_part_of_the_cell_not_a_wrong_field_count() {
    // Written by hand or by tools that put a space after each comma: the
    // quote still opens the cell, so its newline and comma stay inside.
    let text = format!(
        "{HEADER}ada@example.com, \"Lovelace,\nAda\", software-engineer,,2020-01-02,active,\r\n\
         bo@example.com, Bo, wizard,,,,\r\n"
    );
    let plan = plan_csv(&Existing::new(), &text);
    // Not a wrong field count: the newline is the name's (which a name may
    // not hold), and the next row is on line 4.
    assert_eq!(
        errors(&plan),
        vec![(1, 2, "invalid_name"), (2, 4, "unknown_role")]
    );
}
