//! The audit log page: HR and administrators only, filtered as typed, paged,
//! and the same selection as CSV.

use reqwest::StatusCode;

use crate::harness::Site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_reads_filters_pages_and_downloads_the_audit_log() {
    let site = Site::start().await;
    let engineer = site.login("engineer@example.com").await;
    assert_eq!(
        site.get(Some(&engineer), "/audit").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        site.get(Some(&engineer), "/audit.csv").await.status,
        StatusCode::FORBIDDEN
    );

    let admin = site.login("admin@example.com").await;
    let all = site.get(Some(&admin), "/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.body.contains(r#"aria-current="page">Audit"#),
        "{}",
        all.body
    );
    assert!(all.body.contains("person hired"), "{}", all.body);
    assert!(all.body.contains(r#"<a href="/people/"#), "{}", all.body);

    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/people/{}/role-changes", site.engineer),
            serde_json::json!({"to_role": "senior-software-engineer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let about_ada = site
        .get(
            Some(&admin),
            "/audit?person=engineer%40example.com&kind=person",
        )
        .await;
    assert!(
        about_ada
            .body
            .contains("role: Software Engineer → Senior Software Engineer"),
        "{}",
        about_ada.body
    );
    assert!(
        about_ada.body.contains("reason: promotion"),
        "{}",
        about_ada.body
    );
    assert_eq!(about_ada.status, StatusCode::OK);
    assert!(
        about_ada.body.contains("Ada Engineer"),
        "{}",
        about_ada.body
    );
    assert!(
        !about_ada.body.contains("Grace Manager</a>"),
        "{}",
        about_ada.body
    );
    // The change in words: the role's title and the manager's name, no ids
    // and no JSON.
    assert!(
        about_ada.body.contains("as Software Engineer from 20"),
        "{}",
        about_ada.body
    );
    assert!(
        about_ada.body.contains(", reporting to Grace Manager"),
        "{}",
        about_ada.body
    );
    assert!(
        !about_ada.body.contains(r#"{&quot;"#) && !about_ada.body.contains("{&#34;"),
        "{}",
        about_ada.body
    );
    assert!(
        about_ada
            .body
            .contains(r#"href="/audit.csv?person=engineer%40example.com&#38;kind=person""#),
        "{}",
        about_ada.body
    );

    let csv = site
        .get(
            Some(&admin),
            "/audit.csv?person=engineer%40example.com&kind=person",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("seq,at,actor,action,subject_kind,subject_id,subject,before,after")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        !rows.is_empty()
            && rows
                .iter()
                .all(|r| r.contains(",person,") && r.contains("Ada Engineer")),
        "{}",
        csv.body
    );

    // A refused filter comes back as typed, with the reason.
    let refused = site
        .get(
            Some(&admin),
            "/audit?person=nobody%40example.com&from=2026-12-31&to=2026-01-01",
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("No one in the company has the email nobody@example.com."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"value="nobody@example.com""#),
        "{}",
        refused.body
    );
    let backwards = site
        .get(Some(&admin), "/audit?from=2026-12-31&to=2026-01-01")
        .await;
    assert!(
        backwards
            .body
            .contains("The first day must not be after the last day."),
        "{}",
        backwards.body
    );
    let nothing = site.get(Some(&admin), "/audit?from=2099-01-01").await;
    assert!(
        nothing.body.contains("No change matches these filters."),
        "{}",
        nothing.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_pages_fifty_at_a_time() {
    let site = Site::start().await;
    for i in 0..55 {
        site.hire_with_login(
            &format!("New Hire {i}"),
            &format!("hire{i}@example.com"),
            "software-engineer",
            None,
        )
        .await;
    }
    let admin = site.login("admin@example.com").await;
    let first = site.get(Some(&admin), "/audit?kind=person").await;
    assert_eq!(
        first.body.matches("<tr>").count(),
        51,
        "a header and 50 events"
    );
    let next = first
        .body
        .split(r#"<a href="/audit?kind=person&amp;cursor="#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older events");
    let second = site
        .get(Some(&admin), &format!("/audit?kind=person&cursor={next}"))
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.matches("<tr>").count() > 1, "{}", second.body);
    assert!(
        !second.body.contains("New Hire 54"),
        "the newest are on the first page"
    );

    // The "When" heading turns the order around; the filters stay.
    assert!(
        first
            .body
            .contains(r#"aria-sort="descending"><a href="/audit?kind=person&#38;sort=oldest""#),
        "{}",
        first.body
    );
    let oldest = site
        .get(Some(&admin), "/audit?kind=person&sort=oldest")
        .await;
    assert_eq!(oldest.status, StatusCode::OK);
    assert!(oldest.body.contains(r#"aria-sort="ascending""#));
    assert!(oldest.body.contains("New Hire 0<") || oldest.body.contains("New Hire 0 "));
    assert!(!oldest.body.contains("New Hire 54"), "the newest are last");
    let later = oldest
        .body
        .split(r#"<a href="/audit?kind=person&#38;sort=oldest&amp;cursor="#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to later events");
    assert!(oldest.body.contains(">Later events</a>"));
    let last = site
        .get(
            Some(&admin),
            &format!("/audit?kind=person&sort=oldest&cursor={later}"),
        )
        .await;
    assert!(last.body.contains("New Hire 54"), "{}", last.body);
    let csv = site
        .get(Some(&admin), "/audit.csv?kind=person&sort=oldest")
        .await;
    let hires: Vec<&str> = csv
        .body
        .lines()
        .filter(|line| line.contains("person.hired"))
        .collect();
    assert!(
        hires
            .first()
            .is_some_and(|l| l.contains("New Hire 0,") || !l.contains("New Hire")),
        "{hires:?}"
    );
    assert!(
        hires.last().is_some_and(|l| l.contains("New Hire 54")),
        "{hires:?}"
    );
}
