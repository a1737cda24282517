//! One-on-ones: a manager sees the report flagged overdue, sets a weekly
//! schedule, puts two items on the agenda, marks one discussed and the
//! meeting held; the other carries over to the next meeting, where the
//! report finds it and adds a note. The manager's update to the team
//! shows on the report's home page.

use serde_json::json;

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_holds_a_one_on_one_and_the_undiscussed_item_carries_over() {
    let site = Site::start().await;
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "manager@example.com").await;
        browser.goto(&site.url("/one-on-ones")).await;
        let row = format!("#reports tr[data-report='{}']", site.engineer);
        if size == "laptop" {
            // No schedule yet: flagged.
            browser.wait_for_text(&row, "overdue").await;
            browser.screenshot("one-on-ones-overview-laptop").await;
        }
        let link = browser.wait_for(&format!("{row} a")).await;
        browser.click(&link).await;
        browser.wait_for("#time-zone").await;
        browser
            .script(
                "document.querySelector('#time-zone').value = arguments[0];",
                json!(["Europe/Berlin"]),
            )
            .await;
        let save = browser.wait_for("form[action$='/schedule'] button").await;
        browser.click(&save).await;
        browser.wait_for_text("#schedule", "Europe/Berlin").await;
        browser
            .screenshot(&format!("one-on-ones-pair-{size}"))
            .await;
        let next = browser.wait_for("#meetings li:first-child a").await;
        browser.click(&next).await;

        for item in [
            format!("Conference budget ({size})"),
            format!("Career path ({size})"),
        ] {
            let field = browser.wait_for("#agenda-text").await;
            browser.type_into(&field, &item).await;
            let add = browser.wait_for("form[action$='/agenda'] button").await;
            browser.click(&add).await;
            browser.wait_for_text("#agenda", &item).await;
        }
        // Our two items are last (an item carried over from before comes first).
        let tick = browser
            .wait_for("#agenda li:nth-last-child(2) form button")
            .await;
        browser.click(&tick).await;
        browser.wait_for("#agenda li.discussed").await;
        browser
            .screenshot(&format!("one-on-ones-agenda-{size}"))
            .await;
        let held_meeting = browser.url().await;
        let hold = browser.wait_for("#hold").await;
        browser.click(&hold).await;
        for _ in 0..100 {
            if browser.url().await != held_meeting {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_ne!(
            browser.url().await,
            held_meeting,
            "holding opens the next meeting"
        );

        // The next meeting: only the undiscussed item is on its agenda.
        let agenda = browser
            .wait_for_text("#agenda", &format!("Career path ({size})"))
            .await;
        assert!(!agenda.contains("Conference budget"), "{agenda}");
        browser.wait_for_text("#status", "next").await;
        browser
            .screenshot(&format!("one-on-ones-next-{size}"))
            .await;

        // A company update to the team, shown on the report's home page.
        browser.goto(&site.url("/")).await;
        let open = browser.wait_for(".updates summary").await;
        browser.click(&open).await;
        let title = browser.wait_for("#update-title").await;
        browser
            .type_into(&title, &format!("Team offsite ({size})"))
            .await;
        let body = browser.wait_for("#update-body").await;
        browser
            .type_into(&body, "Thursday in the big room. Bring <ideas>.")
            .await;
        let post = browser.wait_for("form[action='/updates'] button").await;
        browser.click(&post).await;
        browser
            .wait_for_text(".updates", &format!("Team offsite ({size})"))
            .await;
        assert_quiet_console(&browser).await;
        browser.quit().await;

        // The report sees the carried-over item and adds a shared note.
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "engineer@example.com").await;
        browser.goto(&site.url("/")).await;
        let news = browser
            .wait_for_text(".updates", &format!("Team offsite ({size})"))
            .await;
        assert!(news.contains("Bring <ideas>."), "shown as text: {news}");
        browser.screenshot(&format!("updates-home-{size}")).await;
        browser
            .goto(&site.url(&format!("/one-on-ones/with/{}", site.engineer)))
            .await;
        let next = browser.wait_for("#meetings li:first-child a").await;
        browser.click(&next).await;
        browser
            .wait_for_text("#agenda", &format!("Career path ({size})"))
            .await;
        let note = browser.wait_for("#note-text").await;
        browser
            .type_into(&note, "Let us look at the staff path")
            .await;
        let add = browser.wait_for("form[action$='/notes'] button").await;
        browser.click(&add).await;
        browser.wait_for_text("#notes", "staff path").await;
        browser
            .screenshot(&format!("one-on-ones-report-{size}"))
            .await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
