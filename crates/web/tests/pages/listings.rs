//! The long lists sort and page: a manager's open reviews below them and
//! every promotion proposal a viewer may read, each by the column asked
//! for, either way round, a page at a time, with the links keeping the
//! rest of the address.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Site, session_of};

/// Hires `n` engineers under the manager; returns their ids.
async fn hire_team(site: &Site, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (status, body) = site
            .api_post(
                &site.admin,
                "/api/v1/people",
                json!({"name": format!("Eng {i:02}"), "email": format!("eng{i}@example.com"),
                       "role": "software-engineer", "manager": site.manager,
                       "start_date": "2024-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["id"].as_i64().expect("an id"));
    }
    ids
}

/// The text of each row's first cell link in the table `id`, in order.
fn first_cells(body: &str, id: &str) -> Vec<String> {
    let table = body
        .split(&format!(r#"id="{id}""#))
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap_or_else(|| panic!("no table {id} in {body}"));
    table
        .split("<tr data-")
        .skip(1)
        .filter_map(|row| {
            row.split("<a href=")
                .nth(1)
                .and_then(|a| a.split('>').nth(1))
                .and_then(|text| text.split('<').next())
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managers_open_reviews_sort_by_any_column_and_page_by_fifty() {
    let site = Site::start().await;
    hire_team(&site, 52).await;
    site.open_cycle_below_manager("2026 H2", "2026-07-01", "2026-12-31")
        .await;
    let manager = site.login("manager@example.com").await;

    // 53 open reviews below the manager: Ada and the 52 hired.
    let first = site.get(Some(&manager), "/reviews").await;
    assert_eq!(first.status, StatusCode::OK);
    let names = first_cells(&first.body, "team-reviews");
    assert_eq!(names.len(), 50, "{names:?}");
    assert_eq!(names[0], "Ada Engineer");
    assert_eq!(names[1], "Eng 00");
    assert!(
        first.body.contains(r#"aria-sort="ascending"><a href="/reviews?sort=person&#38;dir=desc#team-reviews">Person"#),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("1 to 50 of 53 · page 1 of 2"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains(
            r#"<a href="/reviews?sort=person&#38;dir=asc&#38;page=2#team-reviews" rel="next">"#
        ),
        "{}",
        first.body
    );

    let second = site
        .get(Some(&manager), "/reviews?sort=person&dir=asc&page=2")
        .await;
    assert_eq!(
        first_cells(&second.body, "team-reviews"),
        ["Eng 49", "Eng 50", "Eng 51"]
    );

    let reversed = site
        .get(Some(&manager), "/reviews?sort=person&dir=desc")
        .await;
    let names = first_cells(&reversed.body, "team-reviews");
    assert_eq!(names[..2], ["Eng 51", "Eng 50"]);
    assert!(
        reversed.body.contains(r#"aria-sort="descending""#),
        "{}",
        reversed.body
    );

    // Whatever is typed, the page answers with an order it knows.
    let odd = site
        .get(Some(&manager), "/reviews?sort=salary&dir=up&page=-3")
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(first_cells(&odd.body, "team-reviews")[0], "Ada Engineer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_proposal_lists_by_status_person_or_day_for_hr_and_below_a_manager() {
    let site = Site::start().await;
    let team = hire_team(&site, 3).await;
    let framework = climb_framework::builtin();
    let evidence: Value = framework
        .role("senior-software-engineer")
        .expect("role")
        .expectations
        .iter()
        .map(|e| (e.competency.to_string(), json!("Led the billing rewrite")))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let manager = site.login("manager@example.com").await;
    let mut proposals = Vec::new();
    for person in [team[2], site.engineer, team[0]] {
        let (status, body) = site
            .api(
                Method::POST,
                session_of(&manager),
                &format!("/api/v1/people/{person}/promotion-proposals"),
                Some(json!({"to_role": "senior-software-engineer", "evidence": evidence})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        proposals.push(body["id"].as_i64().expect("an id"));
    }
    let (status, body) = site
        .api_post(
            &site.admin,
            &format!("/api/v1/promotion-proposals/{}/reject", proposals[1]),
            json!({"comment": "Not yet: one more project"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let admin = site.login("admin@example.com").await;
    // Newest first by default.
    let all = site.get(Some(&admin), "/promotions").await;
    assert!(all.body.contains("Every proposal"), "{}", all.body);
    assert_eq!(
        first_cells(&all.body, "all"),
        ["Eng 00", "Ada Engineer", "Eng 02"]
    );
    let by_name = site
        .get(Some(&admin), "/promotions?sort=person&dir=asc")
        .await;
    assert_eq!(
        first_cells(&by_name.body, "all"),
        ["Ada Engineer", "Eng 00", "Eng 02"]
    );
    let rejected = site
        .get(Some(&admin), "/promotions?status=rejected&sort=person")
        .await;
    assert_eq!(first_cells(&rejected.body, "all"), ["Ada Engineer"]);
    // The headers' links keep the status chosen.
    assert!(
        rejected.body.contains(
            r#"href="/promotions?status=rejected&#38;sort=drafted&#38;dir=desc#all-proposals""#
        ),
        "{}",
        rejected.body
    );
    let none = site.get(Some(&admin), "/promotions?status=approved").await;
    assert!(
        none.body.contains("No proposal is approved."),
        "{}",
        none.body
    );

    // An engineer reads only the proposal about them.
    let engineer = site.login("engineer@example.com").await;
    let own = site.get(Some(&engineer), "/promotions").await;
    assert!(own.body.contains("Proposals you can see"), "{}", own.body);
    assert_eq!(first_cells(&own.body, "all"), ["Ada Engineer"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accounts_sort_by_name_email_or_last_login_and_page_by_fifty() {
    let site = Site::start().await;
    for id in hire_team(&site, 50).await {
        site.give_login(id).await;
    }
    // 53 accounts: the administrator, the manager, the engineer and 50.
    let admin = site.login("admin@example.com").await;
    let names = |body: &str| -> Vec<String> {
        body.split(r#"<li class="card account"#)
            .skip(1)
            .filter_map(|card| {
                card.split("<h2>")
                    .nth(1)
                    .and_then(|h| h.split("</h2>").next())
                    .map(|h| {
                        h.rsplit_once("\">")
                            .map_or(h, |(_, name)| name)
                            .trim_end_matches("</a>")
                            .to_owned()
                    })
            })
            .collect()
    };
    let first = site.get(Some(&admin), "/admin/users").await;
    assert_eq!(first.status, StatusCode::OK);
    let shown = names(&first.body);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[..3], ["Ada Engineer", "Alex Admin", "Eng 00"]);
    assert!(
        first.body.contains("53 accounts, sorted by"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("1 to 50 of 53 · page 1 of 2"),
        "{}",
        first.body
    );
    let last = site
        .get(Some(&admin), "/admin/users?sort=name&dir=asc&page=2")
        .await;
    assert_eq!(names(&last.body), ["Eng 48", "Eng 49", "Grace Manager"]);
    let by_email = site
        .get(Some(&admin), "/admin/users?sort=email&dir=desc")
        .await;
    assert_eq!(names(&by_email.body)[0], "Grace Manager");
    // Only the administrator has logged in: first when the latest
    // logins come first.
    let by_login = site.get(Some(&admin), "/admin/users?sort=login").await;
    assert_eq!(names(&by_login.body)[0], "Alex Admin");
    assert!(
        by_login
            .body
            .contains(r#"aria-current="true" data-sorted="descending">Last login"#),
        "{}",
        by_login.body
    );
}
