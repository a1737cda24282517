//! The permission matrix of SPEC §4: each kind of user × each endpoint ×
//! whose record, with the status expected. Allowed writes send a body the
//! domain refuses (422, 409 or 400), so the table shows what authorization
//! let through without changing the company between rows.
//!
//! The company: Dana (director) manages Max (manager), who manages Eve
//! (employee); Olly (outsider) reports to Dana beside Max; Hana (HR) and
//! Lee (who left) stand apart; the administrator is not a person.

use climb_people::ActorKind;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestServer, both_backends};

/// Who calls.
#[derive(Debug, Clone, Copy)]
enum User {
    Admin,
    Hr,
    Manager,
    Employee,
    Outsider,
}

const USERS: [User; 5] = [
    User::Admin,
    User::Hr,
    User::Manager,
    User::Employee,
    User::Outsider,
];

/// One endpoint: method, path with `{}` for the target person, body.
struct Endpoint {
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
}

const fn ep(method: &'static str, path: &'static str, body: Option<&'static str>) -> Endpoint {
    Endpoint { method, path, body }
}

/// Statuses per target person: Max (manager), Eve (his report), Olly (outsider), Lee (left).
type Row = (User, [u16; 4]);

/// The matrix: for each endpoint, each user's status on each target.
///                                                       Max  Eve  Olly  Lee
fn matrix() -> Vec<(Endpoint, Vec<Row>)> {
    use User::*;
    vec![
        (
            ep("GET", "/api/v1/people/{}", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 200, 404]),
                (Employee, [200, 200, 200, 404]),
                (Outsider, [200, 200, 200, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/people/{}/history", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        // same role: 422 `same_role` once authorized
        (
            ep(
                "POST",
                "/api/v1/people/{}/role-changes",
                Some(r#"{"to_role": "SAME"}"#),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // a correction without a reason: 422 once authorized (administrators only)
        (
            ep(
                "POST",
                "/api/v1/people/{}/role-changes",
                Some(r#"{"to_role": "architect", "correction": true}"#),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [403, 403, 403, 403]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // oneself as manager: 422 `self_manager` (or `person_left`) once authorized
        (
            ep(
                "PUT",
                "/api/v1/people/{}/manager",
                Some(r#"{"manager": SELF}"#),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // a last day before the first: 422 once authorized
        (
            ep(
                "POST",
                "/api/v1/people/{}/leave",
                Some(r#"{"date": "1990-01-01"}"#),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/audit?person={}", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [403, 403, 403, 403]),
                (Employee, [403, 403, 403, 403]),
                (Outsider, [403, 403, 403, 403]),
            ],
        ),
        (
            ep("GET", "/api/v1/org/summary?under={}", None),
            vec![
                (Admin, [200, 200, 200, 404]),
                (Hr, [200, 200, 200, 404]),
                (Manager, [200, 200, 200, 404]),
                (Employee, [200, 200, 200, 404]),
                (Outsider, [200, 200, 200, 404]),
            ],
        ),
        // a subtree's analytics: its root, their managers up, HR and administrators
        (
            ep("GET", "/api/v1/insights/time-in-role?under={}", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/insights/pyramid?under={}", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        // a designation for the target on a closed project: 422 once authorized
        (
            ep(
                "POST",
                "/api/v1/projects/CLOSED/designations",
                Some(r#"{"person": TARGET, "designation": "team-lead"}"#),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [422, 422, 422, 404]),
                (Employee, [403, 403, 403, 403]),
                (Outsider, [403, 403, 403, 403]),
            ],
        ),
        // reviews, growth plans and proposals: the person's records
        (
            ep("GET", "/api/v1/people/{}/reviews", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/people/{}/growth-plan", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/people/{}/promotion-proposals", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        // a blank goal: 422 `invalid_goal` once authorized (the person and their manager)
        (
            ep("POST", "/api/v1/people/{}/goals", Some(r#"{"text": " "}"#)),
            vec![
                (Admin, [403, 403, 403, 403]),
                (Hr, [403, 403, 403, 403]),
                (Manager, [422, 422, 403, 404]),
                (Employee, [403, 422, 403, 404]),
                (Outsider, [403, 403, 422, 404]),
            ],
        ),
        // a proposal toward the current role: 422 `same_role` (or `person_left`)
        // once authorized; the direct manager or HR drafts, as a person
        (
            ep(
                "POST",
                "/api/v1/people/{}/promotion-proposals",
                Some(r#"{"to_role": "SAME", "evidence": {"delivery": "shipped"}}"#),
            ),
            vec![
                (Admin, [403, 403, 403, 403]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [403, 422, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // a reversed period: 422 `invalid_cycle` once authorized (HR and administrators)
        (
            ep(
                "POST",
                "/api/v1/review-cycles",
                Some(
                    r#"{"name": "H1", "period_start": "2026-06-30", "period_end": "2026-01-01", "scope": {"kind": "below", "manager": TARGET}}"#,
                ),
            ),
            vec![
                (Admin, [422, 422, 422, 422]),
                (Hr, [422, 422, 422, 422]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // calibration below the target (no such cycle: 404 once authorized);
        // nobody here but Dana manages managers
        (
            ep(
                "GET",
                "/api/v1/review-cycles/999/calibration?under={}",
                None,
            ),
            vec![
                (Admin, [404, 404, 404, 404]),
                (Hr, [404, 404, 404, 404]),
                (Manager, [403, 403, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        (
            ep("POST", "/api/v1/review-cycles/999/close", None),
            vec![
                (Admin, [404; 4]),
                (Hr, [404; 4]),
                (Manager, [403; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep("GET", "/api/v1/people/{}/one-on-ones", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        (
            ep("GET", "/api/v1/people/{}/one-on-ones/reports", None),
            vec![
                (Admin, [200, 200, 200, 200]),
                (Hr, [200, 200, 200, 200]),
                (Manager, [200, 200, 403, 404]),
                (Employee, [403, 200, 403, 404]),
                (Outsider, [403, 403, 200, 404]),
            ],
        ),
        // a cadence that does not exist: 400 once authorized; 422 `no_manager` for Lee
        (
            ep(
                "PUT",
                "/api/v1/people/{}/one-on-ones/schedule",
                Some(
                    r#"{"cadence": "daily", "first_date": "2027-01-04", "time": "10:00", "time_zone": "UTC"}"#,
                ),
            ),
            vec![
                (Admin, [400, 400, 400, 422]),
                (Hr, [400, 400, 400, 422]),
                (Manager, [403, 400, 403, 404]),
                (Employee, [403, 403, 403, 404]),
                (Outsider, [403, 403, 403, 404]),
            ],
        ),
        // revoking a calendar feed link: oneself only (idempotent)
        (
            ep("DELETE", "/api/v1/people/{}/calendar-feed", None),
            vec![
                (Admin, [403, 403, 403, 403]),
                (Hr, [403, 403, 403, 403]),
                (Manager, [204, 403, 403, 404]),
                (Employee, [403, 204, 403, 404]),
                (Outsider, [403, 403, 204, 404]),
            ],
        ),
        // a hire-only role on the target's team: only administrators may
        // (201 for Max's team); a team needs a manager's role (422)
        (
            ep(
                "POST",
                "/api/v1/openings",
                Some(r#"{"manager": TARGET, "role": "cto"}"#),
            ),
            vec![
                (Admin, [201, 422, 422, 404]),
                (Hr, [422, 422, 422, 404]),
                (Manager, [422, 403, 403, 404]),
                (Employee, [403, 422, 403, 404]),
                (Outsider, [403, 403, 422, 404]),
            ],
        ),
        // endpoints without a target person: the same status in every column
        (
            ep("GET", "/api/v1/openings", None),
            vec![
                (Admin, [200; 4]),
                (Hr, [200; 4]),
                (Manager, [200; 4]),
                (Employee, [200; 4]),
                (Outsider, [200; 4]),
            ],
        ),
        (
            ep("GET", "/api/v1/updates", None),
            vec![
                (Admin, [200; 4]),
                (Hr, [200; 4]),
                (Manager, [200; 4]),
                (Employee, [200; 4]),
                (Outsider, [200; 4]),
            ],
        ),
        // a blank title: 400 once authorized (team: managers; company: HR,
        // and administrators only as a person)
        (
            ep(
                "POST",
                "/api/v1/updates",
                Some(r#"{"title": " ", "body": "b", "audience": "team"}"#),
            ),
            vec![
                (Admin, [403; 4]),
                (Hr, [403; 4]),
                (Manager, [400; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep(
                "POST",
                "/api/v1/updates",
                Some(r#"{"title": " ", "body": "b", "audience": "company"}"#),
            ),
            vec![
                (Admin, [403; 4]),
                (Hr, [400; 4]),
                (Manager, [403; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep("GET", "/api/v1/calendar/climbcal_unknown", None),
            vec![
                (Admin, [404; 4]),
                (Hr, [404; 4]),
                (Manager, [404; 4]),
                (Employee, [404; 4]),
                (Outsider, [404; 4]),
            ],
        ),
        (
            ep(
                "POST",
                "/api/v1/people",
                Some(r#"{"name": "Dup", "email": "eve@example.com", "role": "software-engineer"}"#),
            ),
            vec![
                (Admin, [409; 4]),
                (Hr, [409; 4]),
                (Manager, [403; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep("POST", "/api/v1/projects", Some(r#"{"name": " "}"#)),
            vec![
                (Admin, [400; 4]),
                (Hr, [400; 4]),
                (Manager, [400; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep("POST", "/api/v1/projects/CLOSED/close", None),
            vec![
                (Admin, [422; 4]),
                (Hr, [422; 4]),
                (Manager, [422; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep(
                "POST",
                "/api/v1/accounts",
                Some(r#"{"person": TARGET, "kind": "employee", "password": "short"}"#),
            ),
            vec![
                (Admin, [400; 4]),
                (Hr, [400; 4]),
                (Manager, [400; 4]),
                (Employee, [400; 4]),
                (Outsider, [400; 4]),
            ],
        ),
        (
            ep(
                "POST",
                "/api/v1/accounts",
                Some(r#"{"person": TARGET, "kind": "employee"}"#),
            ),
            vec![
                (Admin, [409, 409, 409, 422]),
                (Hr, [403, 403, 403, 403]),
                (Manager, [403, 403, 403, 403]),
                (Employee, [403, 403, 403, 403]),
                (Outsider, [403, 403, 403, 403]),
            ],
        ),
        (
            ep("GET", "/api/v1/accounts", None),
            vec![
                (Admin, [200; 4]),
                (Hr, [403; 4]),
                (Manager, [403; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            // ACCOUNT: the target's account (Lee has none).
            ep(
                "PATCH",
                "/api/v1/accounts/ACCOUNT",
                Some(r#"{"password": "short"}"#),
            ),
            vec![
                (Admin, [400, 400, 400, 404]),
                (Hr, [403; 4]),
                (Manager, [403; 4]),
                (Employee, [403; 4]),
                (Outsider, [403; 4]),
            ],
        ),
        (
            ep("GET", "/api/v1/people", None),
            vec![
                (Admin, [200; 4]),
                (Hr, [200; 4]),
                (Manager, [200; 4]),
                (Employee, [200; 4]),
                (Outsider, [200; 4]),
            ],
        ),
        (
            ep("GET", "/api/v1/framework", None),
            vec![
                (Admin, [200; 4]),
                (Hr, [200; 4]),
                (Manager, [200; 4]),
                (Employee, [200; 4]),
                (Outsider, [200; 4]),
            ],
        ),
    ]
}

struct Company {
    tokens: [String; 5],
    targets: [i64; 4],
    /// The targets' account ids (0: none).
    accounts: [i64; 4],
    roles: [&'static str; 4],
    closed_project: i64,
}

async fn company(server: &TestServer) -> Company {
    let dana = server.hire("Dana", "director-of-engineering", None).await;
    let max = server.hire("Max", "engineering-manager", Some(dana)).await;
    let eve = server.hire("Eve", "software-engineer", Some(max)).await;
    let olly = server.hire("Olly", "software-engineer", Some(dana)).await;
    let hana = server.hire("Hana", "senior-software-engineer", None).await;
    let lee = server.hire("Lee", "software-engineer", None).await;
    let left = server
        .post(
            &server.admin,
            &format!("/api/v1/people/{lee}/leave"),
            json!({"date": "2025-06-30"}),
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    let project = server
        .post(&server.admin, "/api/v1/projects", json!({"name": "Done"}))
        .await
        .body["id"]
        .as_i64()
        .expect("project");
    server
        .post(
            &server.admin,
            &format!("/api/v1/projects/{project}/close"),
            json!({}),
        )
        .await;
    // Every target except Lee gets an account now (so creating one is a conflict).
    let tokens = [
        server.admin.clone(),
        server.token_for(hana, ActorKind::Hr).await,
        server.token_for(max, ActorKind::Employee).await,
        server.token_for(eve, ActorKind::Employee).await,
        server.token_for(olly, ActorKind::Employee).await,
    ];
    let mut accounts = [0; 4];
    for (slot, person) in accounts.iter_mut().zip([max, eve, olly, lee]) {
        if let Some(account) = server
            .store
            .account_of(climb_people::PersonId(person))
            .await
            .expect("account read")
        {
            *slot = account.id.0;
        }
    }
    Company {
        tokens,
        accounts,
        targets: [max, eve, olly, lee],
        roles: [
            "engineering-manager",
            "software-engineer",
            "software-engineer",
            "software-engineer",
        ],
        closed_project: project,
    }
}

fn fill(text: &str, target: i64, account: i64, role: &str, project: i64) -> String {
    text.replace("{}", &target.to_string())
        .replace("ACCOUNT", &account.to_string())
        .replace("TARGET", &target.to_string())
        .replace("SELF", &target.to_string())
        .replace("SAME", role)
        .replace("CLOSED", &project.to_string())
}

both_backends! {
    async fn every_kind_of_user_gets_the_status_the_matrix_says_on_every_endpoint(server) {
        let company = company(&server).await;
        let mut failures = Vec::new();
        for (endpoint, rows) in matrix() {
            for (user, statuses) in rows {
                let token = &company.tokens[USERS.iter().position(|u| std::mem::discriminant(u) == std::mem::discriminant(&user)).expect("user")];
                for (column, expected) in statuses.iter().enumerate() {
                    let target = company.targets[column];
                    let account = company.accounts[column];
                    let path = fill(endpoint.path, target, account, company.roles[column], company.closed_project);
                    let body: Option<Value> = endpoint.body.map(|b| {
                        serde_json::from_str(&fill(b, target, account, company.roles[column], company.closed_project)).expect("body is JSON")
                    });
                    let method = Method::from_bytes(endpoint.method.as_bytes()).expect("method");
                    let answer = server.send(method, Some(token), &path, body).await;
                    if answer.status.as_u16() != *expected {
                        failures.push(format!(
                            "{:?} {} {} → {} (expected {expected}): {}",
                            user, endpoint.method, path, answer.status.as_u16(), answer.body
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} cell(s) differ:\n{}", failures.len(), failures.join("\n"));
    }
}
