//! Browser tests: the whole site on a socket, driven in headless Chromium
//! over WebDriver at laptop (1366×900) and phone (390×844) sizes. Each flow
//! saves screenshots under `target/screenshots/` and fails on any console
//! error or CSP violation. Skipped without Chromium unless
//! `CLIMB_REQUIRE_BROWSER=1`.

#[path = "../pages/harness.rs"]
#[allow(dead_code)]
mod harness;
mod webdriver;

mod accessibility;
mod admin;
mod chart;
mod insights;
mod keyboard;
mod login;
mod one_on_ones;
mod org;
mod people;
mod projects;
mod promotions;
mod reviews;
mod sso;
mod users;

use harness::{PASSWORD, Site};
use webdriver::Browser;

/// Laptop and phone viewports, with the suffix of their screenshots.
pub(crate) const SIZES: [(u32, u32, &str); 2] = [(1366, 900, "laptop"), (390, 844, "phone")];

/// Logs in through the login form as `email`.
pub(crate) async fn log_in(browser: &Browser, site: &Site, email: &str) {
    browser.goto(&site.url("/login")).await;
    let field = browser.wait_for("#email").await;
    browser.type_into(&field, email).await;
    let password = browser.wait_for("#password").await;
    browser.type_into(&password, PASSWORD).await;
    let submit = browser.wait_for("form button[type=submit]").await;
    browser.click(&submit).await;
    browser.wait_for(".top .who").await;
}

/// Fails on console errors (CSP violations are reported there too).
pub(crate) async fn assert_quiet_console(browser: &Browser) {
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
