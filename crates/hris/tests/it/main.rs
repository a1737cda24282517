//! Integration tests of climb-hris: CSV reading and writing, whole-file
//! validation, and the demo generator, against the built-in framework.

mod corpus;
mod demo;
mod demo_load;
mod format;
mod reimport;
mod row_errors;
mod skip_invalid;
mod store;

use climb_hris::{Existing, ImportPlan, NoProgress, read_plan};

/// The documented header, CRLF-terminated.
pub const HEADER: &str = "email,name,role,manager_email,start_date,status,end_date\r\n";

/// Validates a CSV text against the built-in framework.
pub fn plan_csv(existing: &Existing, text: &str) -> ImportPlan {
    read_plan(
        climb_framework::builtin(),
        existing,
        text.as_bytes(),
        None,
        &NoProgress,
    )
    .expect("the file is readable")
}

/// Validates a header plus data lines (each given without line end).
pub fn plan_lines(existing: &Existing, lines: &[&str]) -> ImportPlan {
    let mut text = HEADER.to_owned();
    for line in lines {
        text.push_str(line);
        text.push_str("\r\n");
    }
    plan_csv(existing, &text)
}

/// The errors as `(row, line, code)`, for exact assertions.
pub fn errors(plan: &ImportPlan) -> Vec<(u64, u64, &'static str)> {
    plan.errors
        .iter()
        .map(|e| (e.row, e.line, e.code()))
        .collect()
}

/// The emails of the accepted rows, in plan order.
pub fn accepted(plan: &ImportPlan) -> Vec<String> {
    plan.rows.iter().map(|r| r.email.to_string()).collect()
}
