//! Administration: a broken framework shows its diagnostic, and a CSV with
//! a bad row shows it in a table before anything is written, whether the
//! text is pasted or chosen as a file.

use crate::harness::Site;
use crate::webdriver::Browser;
use crate::{SIZES, assert_quiet_console, log_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_framework_shows_its_diagnostic_and_a_bad_csv_row_is_reported() {
    let site = Site::start().await;
    let files = tempfile::tempdir().expect("temporary directory");
    let broken = files.path().join("broken.toml");
    std::fs::write(&broken, "[framework]\nname = \"Broken\"\n").expect("written");
    let bad_csv = files.path().join("people.csv");
    std::fs::write(
        &bad_csv,
        "email,name,role,manager_email,start_date,status,end_date\n\
         filed@example.com,Filed Row,no-such-role,,2025-01-06,active,\n",
    )
    .expect("written");
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "admin@example.com").await;
        browser.goto(&site.url("/admin")).await;
        let source = browser.wait_for("#framework-source").await;
        browser
            .type_into(&source, "[framework]\nname = \"Broken\"\n")
            .await;
        let check = browser
            .wait_for("form[action='/admin/framework/check'] button")
            .await;
        browser.click(&check).await;
        browser.wait_for_text("pre.diagnostics", "E002").await;
        browser.screenshot(&format!("admin-framework-{size}")).await;

        browser.goto(&site.url("/admin")).await;
        let csv = browser.wait_for("#import-csv").await;
        browser
            .type_into(
                &csv,
                "email,name,role,manager_email,start_date,status,end_date\n\
                 bad@example.com,Bad Row,no-such-role,,2025-01-06,active,\n",
            )
            .await;
        let check = browser
            .wait_for("form[action='/admin/import/check'] button")
            .await;
        browser.click(&check).await;
        browser
            .wait_for_text("table.import-errors", "bad@example.com")
            .await;
        browser.screenshot(&format!("admin-import-{size}")).await;

        // The same through files chosen in the file inputs.
        browser.goto(&site.url("/admin")).await;
        let file = browser.wait_for("#framework-file").await;
        browser
            .type_into(&file, &broken.display().to_string())
            .await;
        let check = browser
            .wait_for("form[action='/admin/framework/check'] button")
            .await;
        browser.click(&check).await;
        browser.wait_for_text("pre.diagnostics", "E002").await;
        browser.goto(&site.url("/admin")).await;
        browser.screenshot(&format!("admin-{size}")).await;
        let file = browser.wait_for("#import-file").await;
        browser
            .type_into(&file, &bad_csv.display().to_string())
            .await;
        let check = browser
            .wait_for("form[action='/admin/import/check'] button")
            .await;
        browser.click(&check).await;
        browser
            .wait_for_text("table.import-errors", "filed@example.com")
            .await;
        browser
            .screenshot(&format!("admin-import-file-{size}"))
            .await;
        assert_quiet_console(&browser).await;
        browser.quit().await;
    }
}
