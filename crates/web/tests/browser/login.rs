//! Logging in as each kind of user, and the login page at both sizes.

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_the_manager_and_the_engineer_each_log_in_and_see_their_name() {
    let site = Site::start().await;
    for (email, name) in [
        ("admin@example.com", "Alex Admin"),
        ("manager@example.com", "Grace Manager"),
        ("engineer@example.com", "Ada Engineer"),
    ] {
        let Some(browser) = Browser::start(1366, 900).await else {
            return;
        };
        log_in(&browser, &site, email).await;
        let who = browser.wait_for_text(".top .who", name).await;
        assert!(who.contains(name), "{who}");
        assert!(browser.url().await.ends_with('/'), "home comes first");
        browser.wait_for("#inbox-title").await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_reads_well_at_laptop_and_phone_sizes() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        browser.goto(&site.url("/login")).await;
        browser.wait_for("#email").await;
        browser.screenshot(&format!("login-{size}")).await;
        let email = browser.wait_for("#email").await;
        browser.type_into(&email, "admin@example.com").await;
        let password = browser.wait_for("#password").await;
        browser.type_into(&password, "wrong password").await;
        let submit = browser.wait_for("form button[type=submit]").await;
        browser.click(&submit).await;
        browser
            .wait_for_text(".notice.error", "Wrong email or password")
            .await;
        browser.screenshot(&format!("login-refused-{size}")).await;
        // The 401 of the refused login is the only console entry expected.
        let errors: Vec<String> = browser
            .console_errors()
            .await
            .into_iter()
            .filter(|e| !e.contains("401"))
            .collect();
        assert!(errors.is_empty(), "console errors: {errors:#?}");
        browser.quit().await;
    }
}
