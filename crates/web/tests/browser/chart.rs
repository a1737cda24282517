//! The chart: its role titles are drawn at 12px or more on a laptop and a
//! phone (a phone pans the chart, with a hint saying so), a role clicked
//! (or reached by keyboard) opens its panel, and two roles chosen highlight
//! the path between them.

use serde_json::json;

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_a_role_in_the_chart_opens_its_panel() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "engineer@example.com").await;
        browser.goto(&site.url("/chart")).await;
        browser.screenshot(&format!("chart-{size}")).await;
        let role = browser
            .wait_for(r#"#chart g.role[data-role="senior-software-engineer"]"#)
            .await;
        browser.click(&role).await;
        browser
            .wait_for_text("#panel h2", "Senior Software Engineer")
            .await;
        let panel = browser.wait_for_text("#panel", "Next steps").await;
        assert!(panel.contains("Staff Engineer"), "{panel}");
        assert!(panel.contains("Expectations"), "{panel}");
        browser.screenshot(&format!("chart-panel-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}

/// The size a 13px role title of the chart is drawn at, in CSS pixels.
async fn role_title_px(browser: &Browser) -> f64 {
    browser
        .script(
            "var svg = document.querySelector('#chart svg'); \
             return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 13;",
            json!([]),
        )
        .await
        .as_f64()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_charts_titles_stay_12px_or_more_and_a_phone_pans_with_a_hint() {
    let site = Site::start().await;
    for (width, height, pans) in [(1280, 900, false), (1366, 900, false), (390, 844, true)] {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "engineer@example.com").await;
        browser.goto(&site.url("/chart")).await;
        browser.wait_for("#chart g.role").await;
        let px = role_title_px(&browser).await;
        assert!(px >= 12.0, "role titles at {px:.1}px at {width} wide");
        let hint = browser
            .script(
                "return !document.getElementById('chart-hint').hidden;",
                json!([]),
            )
            .await;
        assert_eq!(hint, json!(pans), "the pan hint at {width} wide");
        if pans {
            let moved = browser
                .script(
                    "var c = document.getElementById('chart'); c.scrollLeft = 400; return c.scrollLeft;",
                    json!([]),
                )
                .await;
            assert!(moved.as_f64().unwrap_or_default() > 0.0, "the chart pans");
            browser.screenshot("chart-panned-phone").await;
        }
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_of_the_chart_opens_with_the_keyboard() {
    let site = Site::start().await;
    let Some(browser) = Browser::start(1366, 900).await else {
        return;
    };
    log_in(&browser, &site, "engineer@example.com").await;
    browser.goto(&site.url("/chart")).await;
    let role = browser
        .wait_for(r#"#chart g.role[data-role="staff-engineer"]"#)
        .await;
    browser
        .script("arguments[0].focus();", json!([role.as_argument()]))
        .await;
    browser.type_into(&role, "\u{E007}").await;
    browser.wait_for_text("#panel h2", "Staff Engineer").await;
    assert_quiet_console(&browser).await;
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_two_roles_highlights_the_path_between_them() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url("/chart")).await;
        let from = browser
            .wait_for(r#"#path-from option[value="software-engineer"]"#)
            .await;
        browser.click(&from).await;
        let to = browser
            .wait_for(r#"#path-to option[value="principal-software-engineer"]"#)
            .await;
        browser.click(&to).await;
        let show = browser.wait_for(".chart-area .path-form button").await;
        browser.click(&show).await;
        browser.wait_for_text("#path-result", "3 steps").await;
        browser.wait_for("#chart.has-path").await;
        let highlighted = browser
            .script(
                "return [document.querySelectorAll('#chart .transition.on-path').length, \
                 document.querySelectorAll('#chart g.role.on-path').length];",
                json!([]),
            )
            .await;
        assert_eq!(highlighted, json!([3, 4]), "three arrows and four roles");
        browser.screenshot(&format!("chart-path-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
