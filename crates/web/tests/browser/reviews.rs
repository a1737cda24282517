//! A whole performance review in the browser: HR opens a cycle, the
//! engineer fills in and signs the self assessment, the manager fills in
//! the manager assessment and the overall rating and signs, the review is
//! then read-only and signed by both, and the calibration page counts the
//! rating. Screenshots at 1280 wide and at phone width.

use serde_json::json;

use crate::harness::{self, Site};
use crate::webdriver::Browser;
use crate::{assert_quiet_console, log_in};

/// The widths the review pages are looked at.
const SIZES: [(u32, u32, &str); 2] = [(1280, 900, "laptop"), (390, 844, "phone")];

/// Makes Dana, the director, HR through the users page.
async fn director_is_hr(site: &Site) {
    let admin = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&admin), "/admin/users").await.body);
    let created = site
        .post_form(
            Some(&admin),
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("email", "director@example.com"),
                ("kind", "hr"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert!(created.body.contains("can now log in"), "{}", created.body);
}

/// Sets a form control's value as if chosen (selects, dates).
async fn set(browser: &Browser, css: &str, value: &str) {
    let done = browser
        .script(
            "const e = document.querySelector(arguments[0]); if (!e) { return false; } \
             e.value = arguments[1]; return e.value === arguments[1];",
            json!([css, value]),
        )
        .await;
    assert_eq!(done, json!(true), "set {css} to {value}");
}

/// Follows the link in `scope` whose row mentions `text`.
async fn open_row(browser: &Browser, scope: &str, text: &str) {
    let href = browser
        .script(
            "const row = [...document.querySelectorAll(arguments[0] + ' tr')]\
               .find(r => r.textContent.includes(arguments[1])); \
             return row ? row.querySelector('a').href : null;",
            json!([scope, text]),
        )
        .await;
    let href = href
        .as_str()
        .unwrap_or_else(|| panic!("no row of {scope} mentions {text}"));
    browser.goto(href).await;
}

/// Fills every competency of the writer's form at `level` with evidence.
async fn fill(browser: &Browser, level: &str, evidence: &str) {
    let ids = browser
        .script(
            "return [...document.querySelectorAll('#assessment-form select[name^=\"level.\"]')]\
               .map(s => s.name.slice(6));",
            json!([]),
        )
        .await;
    let ids: Vec<String> = ids
        .as_array()
        .expect("competency ids")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        ids.len(),
        6,
        "a software engineer is assessed on six competencies"
    );
    for id in ids {
        set(browser, &format!("#level-{id}"), level).await;
        let field = browser.wait_for(&format!("#evidence-{id}")).await;
        browser
            .type_into(&field, &format!("{evidence} ({id})"))
            .await;
    }
}

async fn scroll_to(browser: &Browser, css: &str) {
    browser
        .script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            json!([css]),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_opens_a_cycle_and_a_review_is_completed_signed_by_both_and_calibrated() {
    let site = Site::start().await;
    director_is_hr(&site).await;
    for (n, (width, height, size)) in SIZES.into_iter().enumerate() {
        let cycle = format!("Review {size} 2026");
        let (start, end) = if n == 0 {
            ("2026-01-01", "2026-06-30")
        } else {
            ("2026-07-01", "2026-12-31")
        };

        // HR opens the cycle for everyone.
        let Some(hr) = Browser::start(width, height).await else {
            return;
        };
        log_in(&hr, &site, "director@example.com").await;
        hr.goto(&site.url("/reviews")).await;
        hr.wait_for("#open-cycle").await;
        set(&hr, "#cycle-name", &cycle).await;
        set(&hr, "#period-start", start).await;
        set(&hr, "#period-end", end).await;
        let open = hr.wait_for("#open-cycle button[type=submit]").await;
        hr.click(&open).await;
        let cycles = hr.wait_for_text("#cycles", &cycle).await;
        assert!(cycles.contains("0 of 3 signed"), "{cycles}");
        hr.screenshot(&format!("reviews-hr-{size}")).await;
        scroll_to(&hr, "#open-cycle").await;
        hr.screenshot(&format!("reviews-open-form-{size}")).await;
        assert_quiet_console(&hr).await;

        // The engineer fills in and signs the self assessment.
        let Some(engineer) = Browser::start(width, height).await else {
            return;
        };
        log_in(&engineer, &site, "engineer@example.com").await;
        engineer.goto(&site.url("/reviews")).await;
        engineer
            .wait_for_text("#my-reviews", "Waiting for your self assessment")
            .await;
        engineer.screenshot(&format!("reviews-mine-{size}")).await;
        open_row(&engineer, "#my-reviews", &cycle).await;
        let review = engineer.url().await;
        engineer.wait_for("#assessment-form").await;
        fill(&engineer, "2", "Shipped the invoice export end to end").await;
        scroll_to(&engineer, "#write").await;
        engineer
            .screenshot(&format!("review-self-form-{size}"))
            .await;
        let save = engineer.wait_for("#save-assessment").await;
        engineer.click(&save).await;
        engineer
            .wait_for_text("#assessments .side.self", "Level 2")
            .await;
        let sign = engineer.wait_for("#sign").await;
        engineer.click(&sign).await;
        engineer
            .wait_for_text("#status", "Waiting for Grace Manager’s manager assessment")
            .await;
        assert!(
            engineer.find("#assessment-form").await.is_none(),
            "a signed side has no form"
        );
        engineer
            .screenshot(&format!("review-self-signed-{size}"))
            .await;
        assert_quiet_console(&engineer).await;
        engineer.quit().await;

        // The manager assesses, rates and signs.
        let Some(manager) = Browser::start(width, height).await else {
            return;
        };
        log_in(&manager, &site, "manager@example.com").await;
        manager.goto(&site.url("/reviews")).await;
        manager
            .wait_for_text("#team-reviews", "Waiting for your manager assessment")
            .await;
        manager.screenshot(&format!("reviews-team-{size}")).await;
        open_row(&manager, "#team-reviews", &cycle).await;
        assert_eq!(manager.url().await, review, "the same review");
        manager.wait_for("#overall-rating").await;
        fill(&manager, "2", "Led the release train for two quarters").await;
        set(&manager, "#level-impact", "1").await;
        set(&manager, "#overall-rating", "meets_expectations").await;
        let save = manager.wait_for("#save-assessment").await;
        manager.click(&save).await;
        manager.wait_for_text("#rating", "Meets expectations").await;
        scroll_to(&manager, "#assessments").await;
        manager
            .screenshot(&format!("review-both-sides-{size}"))
            .await;
        let sign = manager.wait_for("#sign").await;
        manager.click(&sign).await;
        let status = manager.wait_for_text("#status", "Signed by both").await;
        assert!(status.contains("read-only"), "{status}");
        assert!(manager.find("#assessment-form").await.is_none());
        assert!(manager.find("#sign").await.is_none());
        manager.screenshot(&format!("review-signed-{size}")).await;
        assert_quiet_console(&manager).await;
        manager.quit().await;

        // HR's calibration counts the rating.
        hr.goto(&site.url("/reviews")).await;
        let progress = hr.wait_for_text("#cycles", &cycle).await;
        assert!(progress.contains("1 of 3 signed"), "{progress}");
        let link = hr
            .wait_for("#cycles li:first-child a[href$='/calibration']")
            .await;
        hr.click(&link).await;
        hr.wait_for_text("h1", &cycle).await;
        hr.wait_for_text("#distribution tr[data-rating='3'] .num", "1")
            .await;
        let row = hr
            .wait_for_text(
                "#by-role tr[data-role='software-engineer']",
                "Software Engineer",
            )
            .await;
        assert!(row.contains("3.00"), "the mean of one rating of 3: {row}");
        hr.screenshot(&format!("review-calibration-{size}")).await;
        scroll_to(&hr, "#by-role").await;
        hr.screenshot(&format!("review-calibration-roles-{size}"))
            .await;
        assert_quiet_console(&hr).await;
        hr.quit().await;
    }
}
