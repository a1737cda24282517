//! The review flow with the keyboard alone: an engineer reaches every field
//! of their self assessment with Tab, picks levels with the arrow keys,
//! types evidence, saves and signs with Enter, without the mouse or a
//! script setting any field.

use serde_json::json;

use crate::harness::Site;
use crate::webdriver::{ARROW_DOWN, Browser, ENTER};
use crate::{assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engineer_writes_and_signs_their_self_assessment_with_the_keyboard_alone() {
    let site = Site::start().await;
    let cycle = site
        .open_cycle_below_manager("2026 H2", "2026-07-01", "2026-12-31")
        .await;
    assert!(cycle.is_object());
    let Some(browser) = Browser::start(1366, 900).await else {
        return;
    };
    log_in(&browser, &site, "engineer@example.com").await;
    // Home lists the review to write; Tab reaches its link and Enter opens it.
    browser.goto(&site.url("/")).await;
    browser
        .wait_for_text(".tasks", "Write your self-review")
        .await;
    let link_id = browser
        .script(
            "const a = document.querySelector('.tasks a'); a.id = 'first-task'; return a.id;",
            json!([]),
        )
        .await;
    assert_eq!(link_id, json!("first-task"));
    browser.tab_to("first-task", 40).await;
    browser.press(ENTER).await;
    browser.wait_for("#assessment-form").await;

    let competencies: Vec<String> = browser
        .script(
            "return [...document.querySelectorAll('#assessment-form select[name^=\"level.\"]')]\
               .map(s => s.name.slice(6));",
            json!([]),
        )
        .await
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(competencies.len(), 6, "six competencies to assess");
    for competency in &competencies {
        browser.tab_to(&format!("level-{competency}"), 60).await;
        // The first option is the blank choice: two steps down is level 2.
        browser.press(&format!("{ARROW_DOWN}{ARROW_DOWN}")).await;
        browser.tab_to(&format!("evidence-{competency}"), 5).await;
        browser
            .press("Paired on the release and wrote its runbook.")
            .await;
    }
    browser.tab_to("save-assessment", 10).await;
    browser.press(ENTER).await;
    browser
        .wait_for_text("#assessments .side.self", "Level 2")
        .await;
    browser.tab_to("sign", 80).await;
    browser.press(ENTER).await;
    browser
        .wait_for_text("#status", "Waiting for Grace Manager’s manager assessment")
        .await;
    let evidence = browser
        .wait_for_text("#assessments", "wrote its runbook")
        .await;
    assert!(evidence.contains("Paired on the release"), "{evidence}");
    browser.screenshot("review-keyboard-signed").await;
    assert_quiet_console(&browser).await;
    browser.quit().await;
}

/// The decision on a promotion with the keyboard alone: the director reaches
/// the comment, types it, and approves with Enter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_approves_a_promotion_with_the_keyboard_alone() {
    let site = Site::start().await;
    let manager = site.login("manager@example.com").await;
    let framework = climb_framework::builtin();
    let target = framework
        .role("senior-software-engineer")
        .expect("the built-in senior role");
    let evidence: serde_json::Map<String, serde_json::Value> = target
        .expectations
        .iter()
        .map(|e| {
            (
                e.competency.to_string(),
                json!("Led the billing rewrite from plan to launch."),
            )
        })
        .collect();
    let (status, proposal) = site
        .api(
            reqwest::Method::POST,
            crate::harness::session_of(&manager),
            &format!("/api/v1/people/{}/promotion-proposals", site.engineer),
            Some(json!({"to_role": "senior-software-engineer", "evidence": evidence})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{proposal}");
    let id = proposal["id"].as_i64().expect("a proposal");
    site.give_login(site.director).await;

    let Some(browser) = Browser::start(390, 844).await else {
        return;
    };
    log_in(&browser, &site, "director@example.com").await;
    browser.goto(&site.url(&format!("/promotions/{id}"))).await;
    browser.wait_for("#decide").await;
    browser.tab_to("comment", 60).await;
    browser.press("Ready: the rewrite shows it.").await;
    browser.tab_to("approve", 5).await;
    browser.press(ENTER).await;
    let status = browser.wait_for_text("#status", "approved").await;
    assert!(status.contains("approved"), "{status}");
    let decision = browser
        .wait_for_text("#decision", "Ready: the rewrite shows it.")
        .await;
    assert!(decision.contains("now holds"), "{decision}");
    assert_quiet_console(&browser).await;
    browser.quit().await;
}
