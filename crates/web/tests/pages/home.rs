//! The home page lists what waits on the viewer, most urgent first, each
//! linking to where it is done, and says so when nothing does; a refused
//! update comes back as it was typed.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Site, session_of};

fn days_ago(n: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(n)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_lists_what_needs_the_viewer_most_urgent_first() {
    let site = Site::start().await;
    let engineer = site.login("engineer@example.com").await;
    let manager = site.login("manager@example.com").await;

    let calm = site.get(Some(&engineer), "/").await;
    assert_eq!(calm.status, StatusCode::OK);
    assert!(
        calm.body.contains("Nothing is waiting on you"),
        "{}",
        calm.body
    );
    assert!(
        calm.body.contains(r#"href="/" aria-current="page">Home"#),
        "{}",
        calm.body
    );

    site.open_cycle_below_manager("2026 H2", "2026-07-01", "2026-12-31")
        .await;
    let (status, body) = site
        .api(
            Method::PUT,
            session_of(&manager),
            &format!("/api/v1/people/{}/one-on-ones/schedule", site.engineer),
            Some(
                json!({"cadence": "weekly", "first_date": days_ago(14), "time": "10:00",
                "time_zone": "Europe/Berlin", "minutes": 30}),
            ),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let meeting = body["next"]["id"].as_i64().expect("the next meeting");
    let (status, body) = site
        .api(
            Method::POST,
            session_of(&manager),
            &format!("/api/v1/one-on-ones/{meeting}/actions"),
            Some(json!({"text": "Find Ada a mentor", "owner": site.manager, "due": days_ago(1)})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let mine = site.get(Some(&engineer), "/").await;
    let review = mine
        .body
        .split(r#"<a href="/reviews/"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a review link");
    assert!(
        mine.body.contains("Write your self-review"),
        "{}",
        mine.body
    );
    assert!(!mine.body.contains("Nothing is waiting on you"));
    // Only the manager keeps the cadence: the report's one-on-one is never
    // overdue on their list.
    assert!(!mine.body.contains("is overdue"), "{}", mine.body);

    let theirs = site.get(Some(&manager), "/").await;
    let body = &theirs.body;
    let at = |text: &str| {
        body.find(text)
            .unwrap_or_else(|| panic!("{text} missing from {body}"))
    };
    let overdue_meeting = at("One-on-one with Ada Engineer is overdue");
    let action = at("Action: Find Ada a mentor");
    let write = at("Write Ada Engineer’s review");
    assert!(
        overdue_meeting < write && action < write,
        "overdue work comes first"
    );
    assert!(
        body.contains(&format!(r#"href="/reviews/{review}""#)),
        "{body}"
    );
    assert!(
        body.contains(&format!(r#"href="/one-on-ones/{meeting}""#)),
        "{body}"
    );
    assert!(body.contains("due yesterday"), "{body}");

    // The link leads to the page where the work is done.
    let page = site
        .get(Some(&engineer), &format!("/reviews/{review}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);

    // Every page's navigation counts what waits, by where it is done.
    let nav = |body: &str| {
        body.split(r#"<nav aria-label="Main">"#)
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .expect("the main navigation")
            .to_owned()
    };
    let engineer_nav = nav(&site.get(Some(&engineer), "/people").await.body);
    assert!(
        engineer_nav.contains(
            r#"Home <span class="badge">1<span class="visually-hidden"> waiting on you</span>"#
        ),
        "{engineer_nav}"
    );
    assert!(
        engineer_nav.contains(
            r#"Reviews <span class="badge">1<span class="visually-hidden"> to write or sign"#
        ),
        "{engineer_nav}"
    );
    assert!(!engineer_nav.contains("to decide"), "{engineer_nav}");
    let manager_nav = nav(&site.get(Some(&manager), "/chart").await.body);
    assert!(
        manager_nav.contains(
            r#"<span class="badge late">3<span class="visually-hidden"> waiting on you, 2 overdue"#
        ),
        "{manager_nav}"
    );
    assert!(
        manager_nav.contains(r#"1:1s <span class="badge">2<span class="visually-hidden"> due"#),
        "{manager_nav}"
    );
    // Nothing waits on the administrator: no counts at all.
    let calm_nav = nav(&site
        .get(Some(&site.login("admin@example.com").await), "/people")
        .await
        .body);
    assert!(!calm_nav.contains("badge"), "{calm_nav}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_update_comes_back_on_home_as_typed() {
    let site = Site::start().await;
    let manager = site.login("manager@example.com").await;
    let home = site.get(Some(&manager), "/").await;
    let token = crate::harness::csrf_of(&home.body);
    let refused = site
        .post_form(
            Some(&manager),
            "/updates",
            &[
                ("csrf", token.as_str()),
                ("title", "  "),
                ("body", "The offsite moves to Thursday."),
                ("audience", "team"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The offsite moves to Thursday.</textarea>"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"role="alert""#), "{}", refused.body);
    assert!(
        refused.body.contains("<details class=\"card\" open>"),
        "{}",
        refused.body
    );
    let posted = site
        .post_form(
            Some(&manager),
            "/updates",
            &[
                ("csrf", token.as_str()),
                ("title", "Offsite"),
                ("body", "The offsite moves to Thursday."),
                ("audience", "team"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let home = site.get(Some(&manager), "/").await;
    assert!(home.body.contains("<h3>Offsite</h3>"), "{}", home.body);
}

/// An engineer's own page is "Me": highlighted as such, with their time in
/// the role and their growth plan before everything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_own_page_is_me_and_opens_on_growth() {
    let site = Site::start().await;
    let engineer = site.login("engineer@example.com").await;
    let mine = site
        .get(Some(&engineer), &format!("/people/{}", site.engineer))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    let body = &mine.body;
    assert!(body.contains(r#"aria-current="page">Me"#), "{body}");
    assert!(!body.contains(r#"aria-current="page">People"#), "{body}");
    assert!(body.contains("in this role for"), "{body}");
    let growth = body.find(r#"id="growth""#).expect("a growth plan");
    let line = body.find("Reporting line").expect("the reporting line");
    assert!(growth < line, "growth comes first on my own page");

    let manager = site.login("manager@example.com").await;
    let theirs = site
        .get(Some(&manager), &format!("/people/{}", site.engineer))
        .await;
    assert!(theirs.body.contains(r#"aria-current="page">People"#));
    let growth = theirs.body.find(r#"id="growth""#).expect("a growth plan");
    let line = theirs
        .body
        .find("Reporting line")
        .expect("the reporting line");
    assert!(line < growth, "someone else's page keeps its order");
}
