//! The Insights page over a small team hired through the API: a manager
//! sees their team with small groups hidden as "fewer than 5", HR sees the
//! same figures in full, an engineer sees the company's pyramid only, and a
//! refused filter comes back as typed.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{PASSWORD, Site};

/// Adds four engineers under Grace on 2020-01-01: Al promoted on
/// 2020-04-10, Bea leaving on 2020-07-19, Cai and Dev staying. Grace's
/// team today: Grace (engineering manager), Ada, Cai and Dev (software
/// engineers) and Al (senior). Returns the login of Hana, HR.
async fn team(site: &Site) -> String {
    let mut ids = Vec::new();
    for name in ["Al", "Bea", "Cai", "Dev"] {
        let (status, body) = site
            .api_post(
                &site.admin,
                "/api/v1/people",
                json!({"name": name, "email": format!("{}@example.com", name.to_lowercase()), "role": "software-engineer", "manager": site.manager, "start_date": "2020-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["id"].as_i64().expect("id"));
    }
    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/people/{}/role-changes", ids[0]),
            json!({"to_role": "senior-software-engineer", "effective_date": "2020-04-10"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/people/{}/leave", ids[1]),
            json!({"date": "2020-07-19"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = site
        .api_post(
            &site.admin,
            "/api/v1/people",
            json!({"name": "Hana HR", "email": "hana@example.com", "role": "architect", "start_date": "2020-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let hana = body["id"].as_i64().expect("id");
    let (status, body) = site
        .api_post(
            &site.admin,
            "/api/v1/accounts",
            json!({"person": hana, "kind": "hr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    site.login("hana@example.com").await
}

/// The pyramid bar of `role` on the page, as `data-headcount="N"`.
fn bar(body: &str, role: &str) -> String {
    let marker = format!(r#"class="pyramid-role" data-role="{role}" data-headcount=""#);
    body.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("none")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sees_their_team_with_small_groups_as_fewer_than_5() {
    let site = Site::start().await;
    team(&site).await;
    let manager = site.login("manager@example.com").await;
    let page = site.get(Some(&manager), "/insights").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"aria-current="page">Insights"#));
    assert!(page.body.contains("for your team"), "{}", page.body);
    assert_eq!(bar(&page.body, "software-engineer"), "3");
    assert_eq!(bar(&page.body, "senior-software-engineer"), "1");
    assert_eq!(bar(&page.body, "engineering-manager"), "1");
    assert_eq!(bar(&page.body, "cto"), "0");
    assert!(
        page.body
            .contains(r#"data-role="cto" data-headcount="0" data-hire-only="true""#)
    );
    // Time in role: one senior engineer and one manager are too few to show.
    assert!(
        page.body.contains(r#"<td class="num">fewer than 5</td>"#),
        "{}",
        page.body
    );
    // The quartile ranges per role, the small groups reading their note.
    assert!(page.body.contains(r#"class="climb-ranges""#));
    assert!(
        page.body
            .contains(r#"<g class="range" data-id="software-engineer""#)
    );
    // The flow chart is the framework chart inline, arrows nobody took dotted.
    assert!(page.body.contains(r#"data-unused="true""#));
    assert!(!page.body.contains("<img"));
    assert!(!page.body.contains(" style=\"") && !page.body.contains("<style"));
    // Span of control: one manager is too few for the distribution.
    assert!(page.body.contains("fewer than 5 managers"), "{}", page.body);
    // Each section links its CSV with the same scope, which the session may read.
    let csv = format!("/api/v1/insights/pyramid.csv?under={}", site.manager);
    assert!(page.body.contains(&csv), "{}", page.body);
    let download = site.get(Some(&manager), &csv).await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(
        download.body.contains("software-engineer"),
        "{}",
        download.body
    );
    // Manager habits: Grace's four reports are too few for her cadence rate.
    assert!(page.body.contains(r#"id="habits-heading">Manager habits"#));
    let habits = page
        .body
        .split(r#"class="insights-habits""#)
        .nth(1)
        .unwrap_or_default();
    assert!(
        habits.contains(&format!(
            r#"<a href="/people/{}">Grace Manager</a></td><td class="num">4</td><td class="num">fewer than 5</td><td class="num">4</td>"#,
            site.manager
        )),
        "{habits}"
    );
    for section in ["time-in-role.csv", "flow.csv", "span.csv", "habits.csv"] {
        let link = format!("/api/v1/insights/{section}?under={}", site.manager);
        assert!(page.body.contains(&link), "{link}");
        assert_eq!(
            site.get(Some(&manager), &link).await.status,
            StatusCode::OK,
            "{link}"
        );
    }
    // The team as it was: five software engineers on 2020-02-01.
    let then = site
        .get(
            Some(&manager),
            "/insights?as_of=2020-02-01&stream=engineering",
        )
        .await;
    assert_eq!(then.status, StatusCode::OK);
    assert_eq!(bar(&then.body, "software-engineer"), "4");
    assert_eq!(
        bar(&then.body, "engineering-manager"),
        "none",
        "one stream only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_sees_the_whole_company_and_the_small_groups_in_full() {
    let site = Site::start().await;
    let hr = team(&site).await;
    let page = site.get(Some(&hr), "/insights").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("for the whole company"), "{}", page.body);
    assert_eq!(bar(&page.body, "software-engineer"), "3");
    assert_eq!(bar(&page.body, "director-of-engineering"), "1");
    assert!(!page.body.contains(r#">fewer than 5<"#), "{}", page.body);
    assert!(!page.body.contains("fewer than 5 managers"));
    assert!(page.body.contains(r#"<datalist id="insights-managers">"#));
    // The subtree field suggests the managers, in order, and no one else.
    let suggested: Vec<&str> = page
        .body
        .split(r#"<datalist id="insights-managers">"#)
        .nth(1)
        .and_then(|rest| rest.split("</datalist>").next())
        .unwrap_or_default()
        .split(r#"<option value=""#)
        .skip(1)
        .filter_map(|option| option.split('"').next())
        .collect();
    assert!(suggested.contains(&"manager@example.com"), "{suggested:?}");
    assert!(
        !suggested.contains(&"engineer@example.com"),
        "{suggested:?}"
    );
    assert!(suggested.is_sorted(), "{suggested:?}");
    // HR sees every manager's cadence, none of Grace's four on a schedule.
    assert!(
        page.body.contains(r#"Grace Manager</a></td><td class="num">4</td><td class="num">0%</td><td class="num">4</td>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("manager@example.com"));
    // HR narrows to Grace's team by her email.
    let team = site
        .get(Some(&hr), "/insights?manager=manager%40example.com")
        .await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(
        team.body.contains("Grace Manager&#39;s team")
            || team.body.contains("Grace Manager's team"),
        "{}",
        team.body
    );
    assert_eq!(bar(&team.body, "director-of-engineering"), "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engineer_sees_the_company_pyramid_and_no_one_elses_team() {
    let site = Site::start().await;
    team(&site).await;
    let engineer = site.login("engineer@example.com").await;
    let page = site.get(Some(&engineer), "/insights").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("for the whole company"));
    assert_eq!(bar(&page.body, "software-engineer"), "3");
    assert!(!page.body.contains("Time in role before promotion"));
    assert!(page.body.contains("shown to managers for their own teams"));
    let forbidden = site
        .get(Some(&engineer), "/insights?manager=manager%40example.com")
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let manager = site.login("manager@example.com").await;
    let above = site
        .get(Some(&manager), "/insights?manager=director%40example.com")
        .await;
    assert_eq!(above.status, StatusCode::FORBIDDEN, "not Grace's to see");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_filter_comes_back_as_typed_with_a_sentence() {
    let site = Site::start().await;
    let manager = site.login("manager@example.com").await;
    let page = site
        .get(
            Some(&manager),
            "/insights?as_of=2026-13-45&stream=engineering",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(r#"role="alert""#), "{}", page.body);
    assert!(
        page.body.contains("must be a date such as"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="2026-13-45""#));
    assert!(
        page.body
            .contains(r#"<option value="engineering" selected>"#)
    );
    let unknown = site
        .get(Some(&manager), "/insights?manager=nobody%40example.com")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("No one in the company has the email"));
    let backwards = site
        .get(Some(&manager), "/insights?from=2026-01-01&to=2025-01-01")
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
}
