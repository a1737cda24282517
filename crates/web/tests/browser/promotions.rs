//! Growth plan and promotions: a manager adds a goal to a report's growth
//! plan and marks it done, drafts a promotion proposal with evidence (a
//! missing piece is refused and what was typed stays), and their own
//! manager approves it with a comment; the report's page then shows the new
//! role and a history entry linking the proposal. At 1280 px and phone width.

use serde_json::json;

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{assert_quiet_console, log_in};

/// The sizes this flow is looked at, with the suffix of their screenshots.
const SIZES: [(u32, u32, &str); 2] = [(1280, 900, "laptop"), (390, 844, "phone")];

/// Scrolls the element matching `css` to the top of the viewport.
async fn scroll_to(browser: &Browser, css: &str) {
    browser.wait_for(css).await;
    browser
        .script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            json!([css]),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_drafted_by_the_manager_and_approved_above_changes_the_role_and_history() {
    let site = Site::start().await;
    site.give_login(site.director).await;
    for (width, height, size) in SIZES {
        let report = site
            .hire_with_login(
                &format!("Rae Report ({size})"),
                &format!("rae-{size}@example.com"),
                "software-engineer",
                Some(site.manager),
            )
            .await;
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url(&format!("/people/{report}"))).await;

        // The growth plan: no signed review yet, so the next roles' expectations.
        browser
            .wait_for_text("#growth", "No signed review yet")
            .await;
        browser
            .wait_for_text("#growth", "Senior Software Engineer")
            .await;
        scroll_to(&browser, "#growth").await;
        browser.screenshot(&format!("growth-plan-{size}")).await;

        // A goal, then marked done.
        let text = browser.wait_for("#goal-text").await;
        browser
            .type_into(&text, "Run the design review of the ledger")
            .await;
        let option = browser
            .wait_for("#goal-competency option[value='delivery']")
            .await;
        browser.click(&option).await;
        browser
            .script(
                "document.querySelector('#goal-date').value = arguments[0];",
                json!(["2030-06-30"]),
            )
            .await;
        let add = browser.wait_for("#goal-form button[type=submit]").await;
        browser.click(&add).await;
        browser
            .wait_for_text("#goals", "Run the design review of the ledger")
            .await;
        let done = browser.wait_for("#goals li.goal form button").await;
        browser.click(&done).await;
        browser.wait_for("#goals li.goal.done").await;
        let goals = browser.wait_for_text("#goals", "done").await;
        assert!(goals.contains("by 2030-06-30"), "{goals}");
        scroll_to(&browser, "#goals").await;
        browser
            .screenshot(&format!("growth-goal-done-{size}"))
            .await;

        // The draft: choose the role (htmx brings its expectations), leave
        // one piece of evidence out and be told, then complete it.
        let propose = browser.wait_for("#propose").await;
        browser.click(&propose).await;
        let option = browser
            .wait_for("#to-role option[value='senior-software-engineer']")
            .await;
        browser.click(&option).await;
        browser.wait_for("#draft-form textarea").await;
        let filled = browser
            .script(
                "var areas = document.querySelectorAll('#draft-form textarea');\
                 areas.forEach(function (a, k) { if (k > 0) { a.value = 'Shown on the ledger rewrite: ' + a.id; } });\
                 return areas.length;",
                json!([]),
            )
            .await;
        assert!(filled.as_u64().unwrap_or(0) > 1, "{filled}");
        browser.screenshot(&format!("promotion-draft-{size}")).await;
        let submit = browser.wait_for("#draft-form button[type=submit]").await;
        browser.click(&submit).await;
        browser
            .wait_for_text("[role=alert]", "Evidence is missing for")
            .await;
        let kept = browser
            .script(
                "return document.querySelectorAll('#draft-form textarea')[1].value;",
                json!([]),
            )
            .await;
        assert!(
            kept.as_str()
                .unwrap_or("")
                .starts_with("Shown on the ledger rewrite"),
            "{kept}"
        );
        browser
            .screenshot(&format!("promotion-draft-refused-{size}"))
            .await;
        // The browser reports the refusal's 422 status, and nothing else.
        let errors = browser.console_errors().await;
        assert!(
            errors.iter().all(|e| e.contains("status of 422")),
            "{errors:#?}"
        );
        let first = browser.wait_for("#draft-form textarea").await;
        browser
            .type_into(
                &first,
                "Designed and shipped the ledger's reconciliation job",
            )
            .await;
        let submit = browser.wait_for("#draft-form button[type=submit]").await;
        browser.click(&submit).await;
        browser.wait_for_text("#status", "pending").await;
        let proposal = browser.url().await;
        let id = proposal
            .rsplit('/')
            .next()
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("a proposal's page, not {proposal}"));
        browser
            .screenshot(&format!("promotion-pending-{size}"))
            .await;
        assert!(
            browser.find("#approve").await.is_none(),
            "the proposer does not decide"
        );
        assert_quiet_console(&browser).await;
        browser.quit().await;

        // The manager's manager finds it awaiting them and approves it.
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "director@example.com").await;
        browser.goto(&site.url("/promotions")).await;
        let row = format!("#awaiting tr[data-proposal='{id}']");
        browser
            .wait_for_text(&row, &format!("Rae Report ({size})"))
            .await;
        browser.screenshot(&format!("promotions-list-{size}")).await;
        let open = browser
            .wait_for(&format!("{row} a[href^='/promotions/']"))
            .await;
        browser.click(&open).await;
        let comment = browser.wait_for("#comment").await;
        browser
            .type_into(
                &comment,
                "Clear evidence across the board. Congratulations!",
            )
            .await;
        scroll_to(&browser, "#decide").await;
        browser
            .screenshot(&format!("promotion-decide-{size}"))
            .await;
        let approve = browser.wait_for("#approve").await;
        browser.click(&approve).await;
        browser.wait_for_text("#status", "approved").await;
        browser.wait_for_text("#decision", "Congratulations!").await;
        browser
            .screenshot(&format!("promotion-approved-{size}"))
            .await;

        // The report's page: the new role, and the history links the proposal.
        browser.goto(&site.url(&format!("/people/{report}"))).await;
        browser
            .wait_for_text(".person-head", "Senior Software Engineer")
            .await;
        let link = browser
            .wait_for(&format!(".timeline a[href='/promotions/{id}']"))
            .await;
        let entry = browser.wait_for_text(".timeline", "Promotion").await;
        assert!(
            entry.contains("Software Engineer → Senior Software Engineer"),
            "{entry}"
        );
        scroll_to(&browser, ".timeline").await;
        browser
            .screenshot(&format!("promotion-history-{size}"))
            .await;
        browser.click(&link).await;
        browser.wait_for_text("#status", "approved").await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
