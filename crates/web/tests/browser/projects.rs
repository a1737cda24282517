//! Projects: create one, add a member, make them team lead (noted below the
//! usual seniority), then close the project.

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_assigns_a_team_lead_and_closes_the_project() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url("/projects")).await;
        let name = browser.wait_for("#project-name").await;
        browser
            .type_into(&name, &format!("Payments ({size})"))
            .await;
        let create = browser.wait_for("form[action='/projects'] button").await;
        browser.click(&create).await;
        let email = browser.wait_for("#member-email").await;
        browser.type_into(&email, "engineer@example.com").await;
        let add = browser.wait_for("form[action$='/members'] button").await;
        browser.click(&add).await;
        let holder = browser
            .wait_for(&format!("#holder option[value='{}']", site.engineer))
            .await;
        browser.click(&holder).await;
        let assign = browser
            .wait_for("form[action$='/designations'] button")
            .await;
        browser.click(&assign).await;
        browser
            .wait_for_text(".note", "Below the usual seniority")
            .await;
        browser.screenshot(&format!("project-lead-{size}")).await;
        let close = browser.wait_for("form[action$='/close'] button").await;
        browser.click(&close).await;
        browser.wait_for_text("main h1", "closed").await;
        browser.screenshot(&format!("project-closed-{size}")).await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
