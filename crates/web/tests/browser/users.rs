//! The users page: an administrator gives the director a login and makes
//! the engineer HR through the forms; every field on the page is labelled.

use serde_json::json;

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{assert_quiet_console, log_in};

/// Laptop and phone viewports for the users page.
const SIZES: [(u32, u32, &str); 2] = [(1280, 800, "laptop"), (390, 844, "phone")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_gives_a_login_and_makes_someone_hr_on_the_users_page() {
    let site = Site::start().await;
    for (round, (width, height, size)) in SIZES.into_iter().enumerate() {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "admin@example.com").await;
        browser.goto(&site.url("/admin")).await;
        let link = browser.wait_for("main a[href='/admin/users']").await;
        browser.click(&link).await;
        browser.wait_for_text("main", "engineer@example.com").await;
        let unlabelled = browser
            .script(
                "return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]\
                 .filter(f => !(f.id && document.querySelector(`label[for=\"${f.id}\"]`)))\
                 .map(f => f.name);",
                json!([]),
            )
            .await;
        assert_eq!(unlabelled, json!([]), "fields without a label");
        browser.screenshot(&format!("admin-users-{size}")).await;

        if round == 0 {
            let email = browser.wait_for("#login-email").await;
            browser.type_into(&email, "director@example.com").await;
            let password = browser.wait_for("#login-password").await;
            browser.type_into(&password, "a long password").await;
            let give = browser.wait_for("form[action='/admin/users'] button").await;
            browser.click(&give).await;
            browser
                .wait_for_text("p.notice", "Dana Director can now log in")
                .await;

            let kind = browser
                .script(
                    "const card = [...document.querySelectorAll('li.account')]\
                       .find(li => li.textContent.includes('engineer@example.com'));\
                     const select = card.querySelector('select[name=kind]');\
                     select.value = 'hr';\
                     return select.id;",
                    json!([]),
                )
                .await;
            let kind = kind
                .as_str()
                .expect("the engineer's kind select")
                .to_owned();
            let save = browser.wait_for(&format!("#{kind} ~ button")).await;
            browser.click(&save).await;
            browser
                .wait_for_text("p.notice", "Ada Engineer is now HR.")
                .await;
            browser
                .screenshot(&format!("admin-users-changed-{size}"))
                .await;
        }
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
