//! The directory: searching as you type, then a person's page.

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searching_the_directory_as_you_type_finds_a_person_and_opens_their_page() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url("/people")).await;
        let search = browser.wait_for("#q").await;
        browser.type_into(&search, "ada").await;
        browser.wait_for_text("#results .count", "1 person").await;
        let results = browser.wait_for_text("#results", "Ada Engineer").await;
        assert!(!results.contains("Grace Manager\n"), "{results}");
        browser.screenshot(&format!("people-search-{size}")).await;
        let link = browser.wait_for("#results tbody a").await;
        browser.click(&link).await;
        browser.wait_for_text("main h1", "Ada Engineer").await;
        browser.wait_for_text("main", "History").await;
        browser.screenshot(&format!("person-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
