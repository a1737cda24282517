//! The Insights page for a manager with a small team: the pyramid drawn
//! inline, the sections below it, at laptop and phone sizes and in dark
//! mode, with no console error or CSP violation.

use reqwest::Method;
use serde_json::json;

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

/// Six more people under Grace since 2021, two of them promoted and one
/// gone, so every section has something to show.
async fn team(site: &Site) {
    let mut ids = Vec::new();
    for (name, role) in [
        ("Al", "software-engineer"),
        ("Bea", "software-engineer"),
        ("Cai", "software-engineer"),
        ("Dev", "associate-software-engineer"),
        ("Eli", "senior-software-engineer"),
        ("Fox", "software-engineer"),
    ] {
        let email = format!("{}@example.com", name.to_lowercase());
        let (_, body) = site
            .api(
                Method::POST,
                &site.admin,
                "/api/v1/people",
                Some(json!({"name": name, "email": email, "role": role, "manager": site.manager, "start_date": "2021-03-01"})),
            )
            .await;
        ids.push(
            body["id"]
                .as_i64()
                .unwrap_or_else(|| panic!("hired: {body}")),
        );
    }
    for (id, to, day) in [
        (ids[0], "senior-software-engineer", "2025-04-01"),
        (ids[3], "software-engineer", "2026-02-01"),
    ] {
        site.api(
            Method::POST,
            &site.admin,
            &format!("/api/v1/people/{id}/role-changes"),
            Some(json!({"to_role": to, "effective_date": day})),
        )
        .await;
    }
    site.api(
        Method::POST,
        &site.admin,
        &format!("/api/v1/people/{}/leave", ids[1]),
        Some(json!({"date": "2026-06-30"})),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_their_teams_insights_on_a_laptop_and_a_phone() {
    let site = Site::start().await;
    team(&site).await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url("/insights")).await;
        browser
            .wait_for(r#".insights-chart svg g.pyramid-role[data-role="software-engineer"]"#)
            .await;
        browser.wait_for(".insights-flow svg").await;
        browser.screenshot(&format!("insights-{size}")).await;
        browser
            .script(
                "document.getElementById('time-heading').scrollIntoView(); return true;",
                json!([]),
            )
            .await;
        browser.screenshot(&format!("insights-time-{size}")).await;
        browser
            .script(
                "document.getElementById('flow-heading').scrollIntoView(); return true;",
                json!([]),
            )
            .await;
        browser.screenshot(&format!("insights-flow-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.prefer_dark().await;
        browser.goto(&site.url("/insights")).await;
        browser.wait_for(".insights-chart svg").await;
        browser.screenshot(&format!("insights-dark-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_changes_the_hiring_plan_and_the_projection_redraws() {
    let site = Site::start().await;
    team(&site).await;
    let (_, hana) = site
        .api(
            Method::POST,
            &site.admin,
            "/api/v1/people",
            Some(json!({"name": "Hana HR", "email": "hana@example.com", "role": "architect", "start_date": "2020-01-01"})),
        )
        .await;
    site.api(
        Method::POST,
        &site.admin,
        "/api/v1/accounts",
        Some(json!({"person": hana["id"], "kind": "hr", "password": crate::harness::PASSWORD})),
    )
    .await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "hana@example.com").await;
        browser
            .goto(&site.url("/insights/projection?runs=200"))
            .await;
        browser.wait_for(".projection-chart svg .panel").await;
        let before = browser
            .script(
                "return document.querySelector('.projection-chart').innerHTML;",
                json!([]),
            )
            .await;
        let hire = browser.wait_for("#projection-hire").await;
        browser.type_into(&hire, "software-engineer=4/month").await;
        let years = browser.wait_for("#projection-years").await;
        browser.click(&years).await;
        // The change event fires on leaving the field; htmx swaps the result.
        let mut redrawn = false;
        for _ in 0..50 {
            let now = browser
                .script(
                    "return document.querySelector('.projection-chart').innerHTML;",
                    json!([]),
                )
                .await;
            if now != before && now.as_str().is_some_and(|s| s.contains("panel")) {
                redrawn = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(redrawn, "the chart answers the hiring plan");
        assert!(browser.url().await.contains("hire=software-engineer"));
        browser
            .script(
                "document.querySelector('.projection-chart').scrollIntoView(); return true;",
                json!([]),
            )
            .await;
        browser.screenshot(&format!("projection-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
