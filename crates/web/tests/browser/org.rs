//! The org chart, opened two levels deep.

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_chart_opens_two_levels_deep_on_demand() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "engineer@example.com").await;
        browser.goto(&site.url("/org")).await;
        let director = browser
            .wait_for(&format!(
                r#"li[data-person="{}"] > details > summary"#,
                site.director
            ))
            .await;
        browser.click(&director).await;
        let manager = browser
            .wait_for(&format!(
                r#"li[data-person="{}"] > details > summary"#,
                site.manager
            ))
            .await;
        browser.click(&manager).await;
        browser
            .wait_for_text(
                &format!(r#"li[data-person="{}"] .children"#, site.manager),
                "Ada Engineer",
            )
            .await;
        browser.screenshot(&format!("org-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
