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

/// The built-in framework as version 2026.2 with `software-engineer`
/// renamed and no `[[renames]]` entry: the store would refuse it.
fn renamed_without_entry() -> String {
    include_str!("../../../../frameworks/default.toml")
        .replace("version = \"2026.1\"", "version = \"2026.2\"")
        .replace("\"software-engineer\"", "\"software-engineer-ii\"")
        .replace(
            "title = \"Software Engineer\"",
            "title = \"Software Engineer II\"",
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_rename_is_fixed_with_one_click_and_an_import_is_converted_before_its_check() {
    let site = Site::start().await;
    let files = tempfile::tempdir().expect("temporary directory");
    let renamed = files.path().join("renamed.toml");
    std::fs::write(&renamed, renamed_without_entry()).expect("written");
    let snowflake = std::fs::canonicalize(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../import/tests/fixtures/snowflake/constants.js"
    ))
    .expect("the Snowflake fixture")
    .display()
    .to_string();
    let unclosed = std::fs::canonicalize(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../import/tests/fixtures/snowflake/unclosed.js"
    ))
    .expect("the broken Snowflake fixture")
    .display()
    .to_string();
    for (width, height, size) in SIZES {
        let Some(browser) = Browser::start(width, height).await else {
            return;
        };
        log_in(&browser, &site, "admin@example.com").await;

        // A renamed role: no store button, the lines to add, one click.
        browser.goto(&site.url("/admin")).await;
        let file = browser.wait_for("#framework-file").await;
        browser
            .type_into(&file, &renamed.display().to_string())
            .await;
        let check = browser
            .wait_for("form[action='/admin/framework/check'] button")
            .await;
        browser.click(&check).await;
        browser
            .wait_for_text("pre.suggested-renames", "software-engineer-ii")
            .await;
        assert!(
            browser
                .find("button[formaction='/admin/framework']")
                .await
                .is_none(),
            "no store button while the store would refuse"
        );
        browser
            .screenshot(&format!("admin-framework-refused-{size}"))
            .await;
        let add = browser.wait_for(".fix form button").await;
        browser.click(&add).await;
        let store = browser
            .wait_for("button[formaction='/admin/framework']")
            .await;
        browser
            .wait_for_text("table.affected", "Software Engineer II")
            .await;
        browser
            .screenshot(&format!("admin-framework-fixed-{size}"))
            .await;
        if size == "phone" {
            browser.click(&store).await;
            browser
                .wait_for_text("p.notice", "is stored and in force")
                .await;
        }

        // A Snowflake module: converted, its warnings listed, then checked.
        browser.goto(&site.url("/admin")).await;
        let option = browser
            .wait_for("#framework-format option[value='snowflake']")
            .await;
        browser.click(&option).await;
        let file = browser.wait_for("#framework-file").await;
        browser.type_into(&file, &snowflake).await;
        let check = browser
            .wait_for("form[action='/admin/framework/check'] button")
            .await;
        browser.click(&check).await;
        browser
            .wait_for_text("section.imported h2", "Converted from")
            .await;
        browser.wait_for("#framework-source").await;
        browser
            .screenshot(&format!("admin-framework-import-{size}"))
            .await;
        assert_quiet_console(&browser).await;

        // One that cannot be converted: back on the admin page, located,
        // with 422 (which the console reports, and nothing else).
        browser.goto(&site.url("/admin")).await;
        let option = browser
            .wait_for("#framework-format option[value='snowflake']")
            .await;
        browser.click(&option).await;
        let file = browser.wait_for("#framework-file").await;
        browser.type_into(&file, &unclosed).await;
        let check = browser
            .wait_for("form[action='/admin/framework/check'] button")
            .await;
        browser.click(&check).await;
        browser
            .wait_for_text("p.notice.error", "unclosed.js:7:3")
            .await;
        browser
            .screenshot(&format!("admin-framework-import-error-{size}"))
            .await;
        let errors = browser.console_errors().await;
        assert!(
            errors.iter().all(|e| e.contains("status of 422")),
            "console errors: {errors:#?}"
        );
        browser.quit().await;
    }
}
