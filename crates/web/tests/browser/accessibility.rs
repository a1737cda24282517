//! Accessibility: axe-core, the accessibility engine from npm (pinned and
//! installed under `target/axe` by `scripts/test`), runs on every page of the
//! site at laptop and phone sizes, and on the phone in the dark colour
//! scheme, with records behind every id in the page table; no page may have
//! a serious or critical violation.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::{Value, json};

use crate::SIZES;
use crate::harness::{Site, session_of};
use crate::log_in;
use crate::webdriver::Browser;

/// axe-core's browser build: `CLIMB_AXE_JS`, or where `scripts/test` puts it.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("CLIMB_AXE_JS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(error) => {
            assert!(
                std::env::var("CLIMB_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "CLIMB_REQUIRE_BROWSER=1 but axe-core is not at {}: {error}",
                path.display()
            );
            eprintln!("skipped: axe-core is not installed (run scripts/test)");
            None
        }
    }
}

/// Runs axe on the page shown; returns its serious and critical violations.
async fn violations(browser: &Browser, axe: &str) -> Vec<Value> {
    let script = format!(
        "{axe}\n;return window.axe.run(document, {{resultTypes: ['violations']}}).then(r => \
         r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => \
         ({{id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}})));"
    );
    browser
        .script(&script, json!([]))
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Records for the ids of the page table: a project, a review cycle (and
/// with it reviews), a one-on-one schedule (and its next meeting), a
/// promotion proposal. Returns each page address to visit.
async fn addresses(site: &Site) -> Vec<String> {
    let (_, project) = site
        .api(
            Method::POST,
            &site.admin,
            "/api/v1/projects",
            Some(json!({"name": "Checkout"})),
        )
        .await;
    let project = project["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a project: {project}"));
    let (_, cycle) = site
        .api(
            Method::POST,
            &site.admin,
            "/api/v1/review-cycles",
            Some(
                json!({"name": "2026 H2", "period_start": "2026-07-01", "period_end": "2026-12-31",
                "scope": {"kind": "below", "manager": site.manager}}),
            ),
        )
        .await;
    let cycle = cycle["cycle"]["id"]
        .as_i64()
        .or_else(|| cycle["id"].as_i64())
        .unwrap_or_else(|| panic!("a cycle: {cycle}"));
    let (_, reviews) = site
        .api(
            Method::GET,
            &site.admin,
            &format!("/api/v1/people/{}/reviews", site.engineer),
            None,
        )
        .await;
    let review = reviews["reviews"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a review: {reviews}"));
    let manager = site.login("manager@example.com").await;
    let (_, schedule) = site
        .api(
            Method::PUT,
            session_of(&manager),
            &format!("/api/v1/people/{}/one-on-ones/schedule", site.engineer),
            Some(
                json!({"cadence": "weekly", "first_date": "2026-11-02", "time": "10:00",
                "time_zone": "Europe/Berlin", "minutes": 30}),
            ),
        )
        .await;
    let meeting = schedule["next"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a meeting: {schedule}"));

    let mut pages = Vec::new();
    for (method, path) in climb_web::page_routes() {
        if method != "GET" || path.starts_with("/static") || path.ends_with(".csv") {
            continue;
        }
        let address = path
            .replace("/roles/{id}", "/roles/senior-software-engineer")
            .replace("/org/{id}", &format!("/org/{}", site.director))
            .replace("/projects/{id}", &format!("/projects/{project}"))
            .replace(
                "/one-on-ones/with/{report}",
                &format!("/one-on-ones/with/{}", site.engineer),
            )
            .replace("/one-on-ones/{id}", &format!("/one-on-ones/{meeting}"))
            .replace("/reviews/cycles/{id}", &format!("/reviews/cycles/{cycle}"))
            .replace("/reviews/{id}", &format!("/reviews/{review}"))
            .replace("/people/{id}", &format!("/people/{}", site.engineer));
        if address.contains('{') {
            // A record this test does not make (a promotion proposal):
            // its address shows the site's error page, checked below.
            pages.push(address.replace("{id}", "999999"));
        } else {
            pages.push(address);
        }
    }
    pages.push("/path?from=software-engineer&to=staff-engineer".to_owned());
    pages.push("/people?q=a".to_owned());
    pages.push("/no/such/page".to_owned());
    pages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_no_serious_or_critical_accessibility_violation() {
    let Some(axe) = axe_source() else {
        return;
    };
    let site = Site::start().await;
    let pages = addresses(&site).await;
    let mut found = Vec::new();
    let schemes = SIZES
        .iter()
        .map(|&(width, height, size)| (width, height, size, false))
        .chain([(390, 844, "phone, dark", true)]);
    for (width, height, size, dark) in schemes {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        if dark {
            browser.prefer_dark().await;
        }
        log_in(&browser, &site, "admin@example.com").await;
        for page in &pages {
            eprintln!("axe: {page} ({size})");
            browser.goto(&site.url(page)).await;
            browser.wait_for("body").await;
            if dark && (page == "/" || page == "/chart" || page == "/audit") {
                let name = if page == "/" { "home" } else { &page[1..] };
                browser.screenshot(&format!("{name}-phone-dark")).await;
            }
            for violation in violations(&browser, &axe).await {
                found.push(format!("{page} ({size}): {violation}"));
            }
        }
        browser.goto(&site.url("/login")).await;
        browser.quit().await;
    }
    // The login page, signed out.
    if let Some(browser) = Browser::start(390, 844).await {
        browser.goto(&site.url("/login")).await;
        browser.wait_for("main").await;
        for violation in violations(&browser, &axe).await {
            found.push(format!("/login (signed out): {violation}"));
        }
        browser.quit().await;
    }
    assert!(
        found.is_empty(),
        "{} serious or critical violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
