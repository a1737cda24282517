//! The framework upload never dead-ends: a version the store would refuse
//! offers no store button and shows the fix (the `[[renames]]` lines, added
//! by one button), a refused store comes back to the check page with the
//! source, the people affected are listed by name and role title fifty at a
//! time, and every importer format is converted, checked and stored.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{self, Answer, Site};

/// The built-in framework as version 2026.2, with `software-engineer`
/// renamed to `software-engineer-ii` and no `[[renames]]` entry.
fn renamed_without_entry() -> String {
    include_str!("../../../../frameworks/default.toml")
        .replace("version = \"2026.1\"", "version = \"2026.2\"")
        .replace("\"software-engineer\"", "\"software-engineer-ii\"")
        .replace(
            "title = \"Software Engineer\"",
            "title = \"Software Engineer II\"",
        )
}

/// Undoes the HTML escaping of a template.
fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of the first textarea whose opening tag starts with `opening`.
fn textarea(body: &str, opening: &str) -> String {
    let start = body
        .find(opening)
        .unwrap_or_else(|| panic!("{opening} in {body}"));
    let after = &body[start..];
    let content = &after[after.find('>').expect("tag end") + 1..];
    unescape(&content[..content.find("</textarea>").expect("textarea end")])
}

async fn check(site: &Site, session: &str, token: &str, source: &str) -> Answer {
    site.post_form(
        Some(session),
        "/admin/framework/check",
        &[("csrf", token), ("source", source)],
    )
    .await
}

async fn store(site: &Site, session: &str, token: &str, source: &str) -> Answer {
    site.post_form(
        Some(session),
        "/admin/framework",
        &[("csrf", token), ("source", source)],
    )
    .await
}

async fn role_of(site: &Site, person: i64) -> String {
    let (status, body) = site
        .api(
            reqwest::Method::GET,
            &site.admin,
            &format!("/api/v1/people/{person}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["role"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_without_its_entry_offers_no_store_button_and_the_suggested_lines_store_it() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let source = renamed_without_entry();

    let checked = check(&site, &session, &token, &source).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        !checked.body.contains("Store version"),
        "no store button for a version the store refuses: {}",
        checked.body
    );
    assert!(
        !checked.body.contains("formaction=\"/admin/framework\""),
        "{}",
        checked.body
    );
    assert!(
        checked.body.contains("cannot be stored yet"),
        "{}",
        checked.body
    );
    assert!(
        checked.body.contains(
            "[[renames]]\nfrom = &#34;software-engineer&#34;\nto = &#34;software-engineer-ii&#34;"
        ),
        "the suggested lines: {}",
        checked.body
    );
    assert!(
        checked
            .body
            .contains("Software Engineer → Software Engineer II"),
        "{}",
        checked.body
    );

    // The button posts the source with the lines added; it checks and stores.
    let fixed = textarea(&checked.body, "<textarea name=\"source\" hidden");
    assert!(fixed.starts_with(source.trim_end()), "the source is kept");
    assert!(
        fixed.ends_with(
            "[[renames]]\nfrom = \"software-engineer\"\nto = \"software-engineer-ii\"\n"
        ),
        "{fixed}"
    );
    let rechecked = check(&site, &session, &token, &fixed).await;
    assert_eq!(rechecked.status, StatusCode::OK);
    assert!(
        rechecked.body.contains("Store version 2026.2"),
        "{}",
        rechecked.body
    );
    assert!(
        rechecked
            .body
            .contains("Moves to Software Engineer II with the rename."),
        "{}",
        rechecked.body
    );
    let stored = store(&site, &session, &token, &fixed).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert!(
        stored
            .body
            .contains("Version 2026.2 is stored and in force (1 person moved with a rename)"),
        "{}",
        stored.body
    );
    assert_eq!(role_of(&site, site.engineer).await, "software-engineer-ii");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_store_comes_back_to_the_check_page_with_its_reason_and_the_source() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let source = renamed_without_entry();

    let refused = store(&site, &session, &token, &source).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("<header class=\"top\">"),
        "the site's layout: {}",
        refused.body
    );
    assert!(
        refused.body.contains(
            "Version 2026.2 was not stored: 1 person still holds a role it removes without a [[renames]] entry (Software Engineer)."
        ),
        "{}",
        refused.body
    );
    assert_eq!(
        textarea(&refused.body, "<textarea id=\"framework-source\""),
        source,
        "the source is kept in the form"
    );
    assert!(!refused.body.contains("Store version"), "{}", refused.body);
    assert!(refused.body.contains("from = &#34;software-engineer&#34;"));
    assert_eq!(role_of(&site, site.engineer).await, "software-engineer");

    // A file that does not check comes back the same way.
    let broken = "[framework]\nname = \"Broken\"\n";
    let refused = store(&site, &session, &token, broken).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("<header class=\"top\">"));
    assert!(
        refused
            .body
            .contains("Nothing was stored: the file has 1 error."),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("E002"), "{}", refused.body);
    assert_eq!(
        textarea(&refused.body, "<textarea id=\"framework-source\""),
        broken
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_people_affected_are_named_with_their_role_titles_fifty_at_a_time() {
    let site = Site::start().await;
    for n in 0..60 {
        let (status, body) = site
            .api_post(
                &site.admin,
                "/api/v1/people",
                serde_json::json!({
                    "name": format!("Engineer {n:02}"),
                    "email": format!("engineer{n:02}@example.com"),
                    "role": "software-engineer",
                    "start_date": "2024-01-01",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let source = renamed_without_entry();

    let first = check(&site, &session, &token, &source).await;
    assert!(
        first
            .body
            .contains("People 1 to 50 of 61, 61 of them in a removed role."),
        "{}",
        first.body
    );
    assert_eq!(first.body.matches("data-outcome=\"removed\"").count(), 50);
    assert!(
        first
            .body
            .contains("<span class=\"cell-label\">Role now: </span>Software Engineer</td>"),
        "titles, not ids: {}",
        first.body
    );
    assert!(!first.body.contains("</span>software-engineer</td>"));
    assert!(first.body.contains("Ada Engineer"), "{}", first.body);
    assert!(
        first.body.contains("name=\"page\" value=\"2\""),
        "{}",
        first.body
    );

    let second = site
        .post_form(
            Some(&session),
            "/admin/framework/check",
            &[
                ("csrf", token.as_str()),
                ("source", source.as_str()),
                ("page", "2"),
            ],
        )
        .await;
    assert!(
        second.body.contains("People 51 to 61 of 61"),
        "{}",
        second.body
    );
    assert_eq!(second.body.matches("data-outcome=\"removed\"").count(), 11);
    assert!(second.body.contains("name=\"page\" value=\"1\""));
    assert!(!second.body.contains("Store version"));
}

/// A fixture of `climb_import`'s tests.
fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../import/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_importer_format_uploaded_as_files_is_converted_checked_and_stored() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let cases: [(&str, &[&str]); 4] = [
        ("snowflake", &["snowflake/constants.js"]),
        ("progression-yaml", &["progression-yaml/progression.yml"]),
        ("matrix-csv", &["matrix-csv/matrix.csv"]),
        (
            "progression-markdown",
            &[
                "progression-markdown/good/backend.md",
                "progression-markdown/good/design.md",
                "progression-markdown/good/engineering-management.md",
                "progression-markdown/good/README.txt",
            ],
        ),
    ];
    for (format, paths) in cases {
        let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
        let files: Vec<(String, Vec<u8>)> = paths
            .iter()
            .map(|path| {
                let name = path.rsplit('/').next().unwrap_or(path).to_owned();
                (name, fixture(path))
            })
            .collect();
        let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("csrf", None, token.as_bytes()),
            ("format", None, format.as_bytes()),
        ];
        for (name, bytes) in &files {
            parts.push(("file", Some(name.as_str()), bytes.as_slice()));
        }
        parts.push(("source", None, b""));
        let converted = site
            .post_multipart(&session, "/admin/framework/check", &parts)
            .await;
        assert_eq!(
            converted.status,
            StatusCode::OK,
            "{format}: {}",
            converted.body
        );
        assert!(
            converted.body.contains("Converted from"),
            "{format}: {}",
            converted.body
        );
        assert!(
            converted.body.contains(&files[0].0),
            "{format}: the files read are named"
        );
        if format == "progression-markdown" {
            assert!(
                converted.body.contains("<code>README.txt:1:1</code>"),
                "{}",
                converted.body
            );
        }
        // The converted file is in the form, as climb's TOML.
        let source = textarea(&converted.body, "<textarea id=\"framework-source\"");
        assert!(source.contains("[framework]"), "{format}: {source}");
        assert!(
            converted.body.contains("checks"),
            "{format}: {}",
            converted.body
        );

        // The company's people hold the built-in roles, which an imported
        // framework replaces: the suggested renames carry them over.
        let fixed = if converted.body.contains("Store version") {
            source
        } else {
            let fixed = textarea(&converted.body, "<textarea name=\"source\" hidden");
            let rechecked = check(&site, &session, &token, &fixed).await;
            assert!(
                rechecked.body.contains("Store version"),
                "{format}: {}",
                rechecked.body
            );
            fixed
        };
        let stored = store(&site, &session, &token, &fixed).await;
        assert_eq!(stored.status, StatusCode::OK, "{format}: {}", stored.body);
        assert!(
            stored.body.contains("is stored and in force"),
            "{format}: {}",
            stored.body
        );
        let (_, framework): (StatusCode, Value) = site
            .api(reqwest::Method::GET, &site.admin, "/api/v1/framework", None)
            .await;
        assert_ne!(framework["framework"]["version"], "2026.1", "{format}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_importer_file_comes_back_to_the_admin_page_with_its_located_error() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let cases = [
        ("snowflake", "snowflake/unclosed.js", "unclosed.js:7:3"),
        (
            "progression-yaml",
            "progression-yaml/unclosed.yml",
            "unclosed.yml:6:1",
        ),
        (
            "matrix-csv",
            "matrix-csv/unclosed-quote.csv",
            "unclosed-quote.csv:2:25",
        ),
        (
            "progression-markdown",
            "progression-markdown/bad-front-matter.md",
            "bad-front-matter.md:4:1",
        ),
    ];
    for (format, path, place) in cases {
        let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
        let bytes = fixture(path);
        let name = path.rsplit('/').next().unwrap_or(path);
        let answer = site
            .post_multipart(
                &session,
                "/admin/framework/check",
                &[
                    ("csrf", None, token.as_bytes()),
                    ("format", None, format.as_bytes()),
                    ("file", Some(name), &bytes),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{format}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("<h1>Administration</h1>"),
            "{}",
            answer.body
        );
        assert!(
            answer.body.contains(&format!("At {place}: ")),
            "{format}: {}",
            answer.body
        );
        assert!(answer.body.contains("nothing was checked or stored"));
        assert!(
            answer
                .body
                .contains(&format!("<option value=\"{format}\" selected>")),
            "the format chosen is kept: {}",
            answer.body
        );
        assert!(answer.body.contains("The version in force is 2026.1."));
    }
}
