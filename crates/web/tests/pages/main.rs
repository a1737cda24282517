//! The pages over a real socket, without a browser: status codes, the login
//! flow and its cookies, CSRF refusals, permissions per page, and forms
//! that work without JavaScript.

mod addresses;
mod audit;
mod directory;
mod framework_upload;
mod harness;
mod home;
mod insights;
mod listings;
mod openings;
mod palette;
mod projection;
mod promotions;
mod reviews;
mod time_zones;

use harness::{Site, cookie_value};
use reqwest::StatusCode;
use reqwest::header;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_without_a_session_is_sent_to_the_login_page() {
    let site = Site::start().await;
    let answer = site.get(None, "/people?q=ada").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/login?next=/people%3Fq%3Dada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_labels_its_fields_and_sets_a_strict_csrf_cookie() {
    let site = Site::start().await;
    let answer = site.get(None, "/login").await;
    assert_eq!(answer.status, StatusCode::OK);
    let set = answer.set_cookies().join("\n");
    assert!(
        set.contains("climb_csrf=") && set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(
        answer.body.contains(r#"<label for="email">"#),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(r#"<label for="password">"#));
    assert!(answer.body.contains(r#"name="csrf""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_the_security_headers() {
    let site = Site::start().await;
    let answer = site.get(None, "/login").await;
    let csp = answer.header(header::CONTENT_SECURITY_POLICY.as_str());
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(answer.header("x-content-type-options"), "nosniff");
    assert_eq!(answer.header("referrer-policy"), "same-origin");
    assert_eq!(answer.header("cache-control"), "no-store");
    assert_eq!(answer.header("strict-transport-security"), "");

    let session = site.login("admin@example.com").await;
    let people = site.get(Some(&session), "/people").await;
    assert_eq!(people.header("cache-control"), "no-store", "personal data");
    let over_tls = site
        .client
        .get(site.url("/login"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("answered");
    let hsts = over_tls
        .headers()
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_in_with_the_form_sets_an_httponly_lax_session_cookie_and_returns_to_next() {
    let site = Site::start().await;
    let (csrf_cookie, token) = site.login_form().await;
    let answer = site
        .post_form(
            Some(&csrf_cookie),
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", "admin@example.com"),
                ("password", harness::PASSWORD),
                ("next", "/people"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), "/people");
    let session = answer
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("climb_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "no TLS here: {session}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_behind_tls() {
    let site = Site::start().await;
    let (csrf_cookie, token) = site.login_form().await;
    let response = site
        .client
        .post(site.url("/login"))
        .header(header::COOKIE, &csrf_cookie)
        .header("x-forwarded-proto", "https")
        .form(&[
            ("csrf", token.as_str()),
            ("email", "admin@example.com"),
            ("password", harness::PASSWORD),
        ])
        .send()
        .await
        .expect("answered");
    let cookies: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("climb_session=") && c.contains("Secure")),
        "{cookies:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_shows_the_form_again_with_the_reason() {
    let site = Site::start().await;
    let (csrf_cookie, token) = site.login_form().await;
    let answer = site
        .post_form(
            Some(&csrf_cookie),
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", "admin@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(
        answer.body.contains("Wrong email or password"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(r#"value="admin@example.com""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_its_csrf_token_is_refused() {
    let site = Site::start().await;
    let (csrf_cookie, _) = site.login_form().await;
    let answer = site
        .post_form(
            Some(&csrf_cookie),
            "/login",
            &[
                ("email", "admin@example.com"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer
            .set_cookies()
            .iter()
            .all(|c| !c.starts_with("climb_session="))
    );

    let session = site.login("admin@example.com").await;
    let answer = site
        .post_form(Some(&session), "/logout", &[("csrf", "forged")])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.get(Some(&session), "/").await.status,
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_cookie_the_server_no_longer_knows_is_cleared_and_does_not_block_login() {
    let site = Site::start().await;
    let ended = site.login("admin@example.com").await;
    let page = site.get(Some(&ended), "/").await;
    let token = harness::csrf_of(&page.body);
    site.post_form(Some(&ended), "/logout", &[("csrf", token.as_str())])
        .await;

    // The page sends the browser to the login form and drops the stale cookie.
    let bounced = site.get(Some(&ended), "/people").await;
    assert_eq!(bounced.status, StatusCode::SEE_OTHER);
    assert!(
        bounced.location().starts_with("/login"),
        "{}",
        bounced.location()
    );
    assert!(
        bounced
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("climb_session=;") && c.contains("Max-Age=0")),
        "{:?}",
        bounced.set_cookies()
    );

    // A browser that kept the stale cookie anyway still logs in.
    let (csrf_cookie, token) = site.login_form().await;
    let both = format!("{ended}; {csrf_cookie}");
    let answer = site
        .post_form(
            Some(&both),
            "/login",
            &[
                ("csrf", token.as_str()),
                ("email", "admin@example.com"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let fresh = answer
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("climb_session="))
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .expect("a new session cookie");
    assert_ne!(fresh, ended);
    assert_eq!(site.get(Some(&fresh), "/").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_ends_the_session() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let page = site.get(Some(&session), "/").await;
    let token = harness::csrf_of(&page.body);
    let answer = site
        .post_form(Some(&session), "/logout", &[("csrf", token.as_str())])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/login");
    assert!(
        answer
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("climb_session=;") || c.contains("Max-Age=0"))
    );
    assert_eq!(
        site.get(Some(&session), "/").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_page_embeds_the_svg_and_links_every_role_to_its_page() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let page = site.get(Some(&session), "/chart").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<g class="role" data-role="staff-engineer""#)
            || page.body.contains(r#"data-role="staff-engineer""#)
    );
    assert!(page.body.contains(r#"href="/roles/staff-engineer""#));
    assert!(page.body.contains(r#"<label for="path-from">"#));
    assert!(
        !page.body.contains(" style=\""),
        "no inline style attributes under the CSP"
    );
    assert!(
        !page.body.contains("<style"),
        "no inline style elements under the CSP"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_answers_htmx_with_the_panel_and_a_plain_request_with_the_page() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let page = site
        .get(Some(&session), "/roles/senior-software-engineer")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.starts_with("<!doctype html>"));
    for part in [
        "Senior Software Engineer",
        "Responsibilities",
        "Expectations",
        "Next steps",
        "Staff Engineer",
    ] {
        assert!(page.body.contains(part), "{part} missing");
    }
    let panel = site.htmx(&session, "/roles/senior-software-engineer").await;
    assert_eq!(panel.status, StatusCode::OK);
    assert!(
        panel.body.trim_start().starts_with("<article"),
        "{}",
        panel.body
    );
    assert!(panel.body.contains("Next steps"));
    assert_eq!(
        site.get(Some(&session), "/roles/no-such-role").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_path_form_works_without_javascript_and_says_when_there_is_no_path() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let page = site
        .get(
            Some(&session),
            "/path?from=software-engineer&to=principal-software-engineer",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"data-from="software-engineer" data-to="senior-software-engineer""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("3 steps"), "{}", page.body);
    let none = site
        .htmx(&session, "/path?from=cto&to=software-engineer")
        .await;
    assert!(none.body.contains("No sequence"), "{}", none.body);
    assert!(none.body.contains("promotions only go up"), "{}", none.body);
    // Into a hire-only role, the page says why, as the CLI does.
    let hire_only = site
        .htmx(&session, "/path?from=vp-engineering&to=cto")
        .await;
    assert!(
        hire_only.body.contains("it is hire-only")
            && hire_only.body.contains("Chief Technology Officer"),
        "{}",
        hire_only.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_finds_people_by_part_of_a_name_and_filters_by_role() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let page = site.get(Some(&session), "/people?q=grace").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Grace Manager"), "{}", page.body);
    assert!(!page.body.contains("Ada Engineer"));
    let partial = site.htmx(&session, "/people?role=software-engineer").await;
    assert!(!partial.body.contains("<html"));
    assert!(partial.body.contains("Ada Engineer") && partial.body.contains("1 person"));
    let reports = site
        .get(Some(&session), &format!("/people?manager={}", site.manager))
        .await;
    assert!(
        reports.body.contains("Ada Engineer")
            && reports.body.contains("Reporting to Grace Manager"),
        "{}",
        reports.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_page_shows_history_only_to_those_allowed_to_see_it() {
    let site = Site::start().await;
    let engineer = site.login("engineer@example.com").await;
    let manager_page = site
        .get(Some(&engineer), &format!("/people/{}", site.manager))
        .await;
    assert_eq!(manager_page.status, StatusCode::OK);
    assert!(
        manager_page.body.contains("Ada Engineer"),
        "reports are public"
    );
    assert!(
        !manager_page.body.contains("History"),
        "another person's history is private"
    );
    let own = site
        .get(Some(&engineer), &format!("/people/{}", site.engineer))
        .await;
    assert!(own.body.contains("History") && own.body.contains("Joined as Software Engineer"));
    let manager = site.login("manager@example.com").await;
    let report = site
        .get(Some(&manager), &format!("/people/{}", site.engineer))
        .await;
    assert!(
        report.body.contains("History"),
        "a manager sees their report's history"
    );
    assert_eq!(
        site.get(Some(&engineer), "/people/999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.get(Some(&engineer), "/people/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_served_from_the_binary_with_their_types() {
    let site = Site::start().await;
    for (path, kind) in [
        ("/static/app.css", "text/css"),
        ("/static/app.js", "text/javascript"),
        ("/static/htmx.min.js", "text/javascript"),
    ] {
        let answer = site.get(None, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer.header("content-type").starts_with(kind), "{path}");
    }
    assert_eq!(
        site.get(None, "/static/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_is_served_beside_the_pages() {
    let site = Site::start().await;
    let answer = site.get(None, "/healthz").await;
    assert_eq!(answer.status, StatusCode::OK);
    let session = site.login("engineer@example.com").await;
    let me = site.get(Some(&session), "/api/v1/me").await;
    assert_eq!(
        me.status,
        StatusCode::OK,
        "the page session works for the API too"
    );
    let _ = cookie_value;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_chart_sends_one_level_at_a_time_with_subtree_headcounts() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let top = site.get(Some(&session), "/org").await;
    assert_eq!(top.status, StatusCode::OK);
    assert!(top.body.contains("Dana Director"), "{}", top.body);
    assert!(
        top.body.contains("1 direct · 2 in all"),
        "one direct report, two below: {}",
        top.body
    );
    assert!(
        !top.body.contains("Grace Manager</span>"),
        "the second level is not sent yet"
    );
    let level = site
        .htmx(&session, &format!("/org/{}/reports", site.director))
        .await;
    assert!(
        level.body.contains("Grace Manager") && level.body.contains("1 direct · 1 in all"),
        "{}",
        level.body
    );
    let leaf = site
        .htmx(&session, &format!("/org/{}/reports", site.manager))
        .await;
    assert!(
        leaf.body
            .contains(&format!(r#"href="/people/{}""#, site.engineer))
    );
    let without_js = site
        .get(Some(&session), &format!("/org?under={}", site.manager))
        .await;
    assert!(
        without_js.body.contains("Grace Manager’s organisation")
            && without_js.body.contains("Ada Engineer")
    );
    assert_eq!(
        site.htmx(&session, "/org/424242/reports").await.status,
        StatusCode::NOT_FOUND
    );
    // The fragment opened on its own is the org chart under that manager.
    let alone = site
        .get(Some(&session), &format!("/org/{}/reports", site.manager))
        .await;
    assert_eq!(alone.status, StatusCode::SEE_OTHER);
    assert_eq!(alone.location(), format!("/org?under={}", site.manager));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_runs_a_project_and_a_junior_team_lead_is_noted_not_refused() {
    let site = Site::start().await;
    let session = site.login("manager@example.com").await;
    let list = site.get(Some(&session), "/projects").await;
    assert!(list.body.contains(r#"<label for="project-name">"#));
    let token = harness::csrf_of(&list.body);
    let created = site
        .post_form(
            Some(&session),
            "/projects",
            &[("csrf", token.as_str()), ("name", "Checkout rewrite")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page_path = created.location();
    let added = site
        .post_form(
            Some(&session),
            &format!("{page_path}/members"),
            &[("csrf", token.as_str()), ("email", "engineer@example.com")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let engineer = site.engineer.to_string();
    let assigned = site
        .post_form(
            Some(&session),
            &format!("{page_path}/designations"),
            &[
                ("csrf", token.as_str()),
                ("person", engineer.as_str()),
                ("designation", "team-lead"),
            ],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    let page = site.get(Some(&session), &page_path).await;
    assert!(
        page.body.contains("Ada Engineer") && page.body.contains("Team Lead"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Below the usual seniority"),
        "{}",
        page.body
    );
    let closed = site
        .post_form(
            Some(&session),
            &format!("{page_path}/close"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let page = site.get(Some(&session), &page_path).await;
    assert!(
        page.body
            .contains("Closing the project ended its designations."),
        "{}",
        page.body
    );
    assert!(!page.body.contains(r#"action="/projects/"#) || !page.body.contains("/close\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engineer_sees_projects_but_may_not_create_one() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let list = site.get(Some(&session), "/projects").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list.body.contains("project-name"),
        "no form for those who may not"
    );
    let token = harness::csrf_of(&list.body);
    let refused = site
        .post_form(
            Some(&session),
            "/projects",
            &[("csrf", token.as_str()), ("name", "Mine")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.get(Some(&session), "/projects/77").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A framework file that does not check: `version` is missing.
const BROKEN_FRAMEWORK: &str = "[framework]\nname = \"Broken\"\n\n[[streams]]\nid = \"engineering\"\nname = \"Engineering\"\ntrack = \"ic\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_framework_upload_shows_the_diagnostic_with_its_source_line() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let admin = site.get(Some(&session), "/admin").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.body.contains(r#"<label for="framework-source">"#));
    let token = harness::csrf_of(&admin.body);
    let checked = site
        .post_form(
            Some(&session),
            "/admin/framework/check",
            &[("csrf", token.as_str()), ("source", BROKEN_FRAMEWORK)],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("does not check"), "{}", checked.body);
    assert!(checked.body.contains("E002"), "{}", checked.body);
    assert!(
        checked.body.contains("[framework]"),
        "the source line is shown: {}",
        checked.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_framework_upload_shows_the_diff_before_anything_is_stored() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let source = include_str!("../../../../frameworks/default.toml")
        .replace("version = \"2026.1\"", "version = \"2026.2\"");
    let checked = site
        .post_form(
            Some(&session),
            "/admin/framework/check",
            &[("csrf", token.as_str()), ("source", source.as_str())],
        )
        .await;
    assert!(checked.body.contains("2026.2 checks"), "{}", checked.body);
    assert!(checked.body.contains("Store version 2026.2"));
    let stored = site
        .post_form(
            Some(&session),
            "/admin/framework",
            &[("csrf", token.as_str()), ("source", source.as_str())],
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert!(
        stored
            .body
            .contains("Version 2026.2 is stored and in force"),
        "{}",
        stored.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_framework_version_is_in_force_at_once() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let before = site.get(Some(&session), "/chart").await;
    assert!(before.body.contains("version 2026.1"), "{}", before.body);
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let source = include_str!("../../../../frameworks/default.toml")
        .replace("version = \"2026.1\"", "version = \"2026.2\"")
        .replace(
            "title = \"Software Engineer\"",
            "title = \"Software Engineer II\"",
        );
    let stored = site
        .post_form(
            Some(&session),
            "/admin/framework",
            &[("csrf", token.as_str()), ("source", source.as_str())],
        )
        .await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);

    // No restart: the chart, its SVG, the role page and the API follow v2.
    let chart = site.get(Some(&session), "/chart").await;
    assert!(chart.body.contains("version 2026.2"), "{}", chart.body);
    assert!(chart.body.contains("Software Engineer II"));
    let role = site.get(Some(&session), "/roles/software-engineer").await;
    assert!(role.body.contains("Software Engineer II"), "{}", role.body);
    let engineer = site.login("engineer@example.com").await;
    let api = site.get(Some(&engineer), "/api/v1/framework").await;
    let api: serde_json::Value = serde_json::from_str(&api.body).expect("JSON");
    assert_eq!(api["framework"]["version"], "2026.2", "{api}");
    let svg = site
        .get(Some(&engineer), "/api/v1/framework/chart.svg")
        .await;
    assert!(svg.body.contains("Software Engineer II"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_import_with_a_bad_row_lists_it_and_writes_nothing() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let csv = "email,name,role,manager_email,start_date,status,end_date\n\
               lin@example.com,Lin New,software-engineer,manager@example.com,2025-01-06,active,\n\
               bad@example.com,Bad Row,no-such-role,,2025-01-06,active,\n";
    let checked = site
        .post_form(
            Some(&session),
            "/admin/import/check",
            &[("csrf", token.as_str()), ("csv", csv)],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("rejected: 1"), "{}", checked.body);
    assert!(
        checked.body.contains("bad@example.com") && checked.body.contains("no-such-role"),
        "{}",
        checked.body
    );
    let directory = site.get(Some(&session), "/people?q=lin").await;
    assert!(!directory.body.contains("Lin New"), "nothing was written");
    let good = csv.lines().take(2).collect::<Vec<_>>().join("\n");
    let imported = site
        .post_form(
            Some(&session),
            "/admin/import",
            &[("csrf", token.as_str()), ("csv", good.as_str())],
        )
        .await;
    assert!(imported.body.contains("1 created"), "{}", imported.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_administrators_reach_the_admin_pages() {
    let site = Site::start().await;
    let session = site.login("manager@example.com").await;
    assert_eq!(
        site.get(Some(&session), "/admin").await.status,
        StatusCode::FORBIDDEN
    );
    let token = harness::csrf_of(&site.get(Some(&session), "/").await.body);
    let refused = site
        .post_form(
            Some(&session),
            "/admin/import/check",
            &[("csrf", token.as_str()), ("csv", "email\n")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.get(Some(&session), "/admin/users").await.status,
        StatusCode::FORBIDDEN
    );
    let promote = site
        .post_form(
            Some(&session),
            "/admin/users/1",
            &[
                ("csrf", token.as_str()),
                ("what", "kind"),
                ("kind", "admin"),
            ],
        )
        .await;
    assert_eq!(promote.status, StatusCode::FORBIDDEN);
    let create = site
        .post_form(
            Some(&session),
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("email", "director@example.com"),
                ("kind", "admin"),
                ("password", "long enough"),
            ],
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_gives_logins_makes_hr_resets_and_disables_on_the_users_page() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let list = site.get(Some(&admin), "/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("engineer@example.com"), "{}", list.body);
    assert!(list.body.contains("This is you"), "{}", list.body);
    // Grace manages Ada: the reporting tree makes her a manager.
    assert!(list.body.contains(">Manager</span>"), "{}", list.body);
    let token = harness::csrf_of(&list.body);

    // A login for the director, with an initial password.
    let created = site
        .post_form(
            Some(&admin),
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("email", "director@example.com"),
                ("kind", "employee"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert!(
        created.body.contains("Dana Director can now log in"),
        "{}",
        created.body
    );
    site.login("director@example.com").await;
    let unknown = site
        .post_form(
            Some(&admin),
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("email", "nobody@example.com"),
                ("kind", "hr"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert!(
        unknown.body.contains("no one in the company has the email"),
        "{}",
        unknown.body
    );
    // The refused form comes back as it was typed (the password aside).
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains(r#"value="nobody@example.com""#)
            && unknown.body.contains(r#"<option value="hr" selected>"#),
        "{}",
        unknown.body
    );

    let accounts = site.get(Some(&admin), "/api/v1/accounts").await;
    let accounts: serde_json::Value = serde_json::from_str(&accounts.body).expect("JSON");
    let ada = accounts["accounts"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["email"] == "engineer@example.com"))
        .and_then(|a| a["id"].as_i64())
        .expect("Ada's account");
    let path = format!("/admin/users/{ada}");
    let engineer = site.login("engineer@example.com").await;

    let hr = site
        .post_form(
            Some(&admin),
            &path,
            &[("csrf", token.as_str()), ("what", "kind"), ("kind", "hr")],
        )
        .await;
    assert!(hr.body.contains("Ada Engineer is now HR."), "{}", hr.body);
    let short = site
        .post_form(
            Some(&admin),
            &path,
            &[
                ("csrf", token.as_str()),
                ("what", "password"),
                ("password", "short"),
            ],
        )
        .await;
    assert!(
        short.body.contains("at least 8 characters"),
        "{}",
        short.body
    );

    let off = site
        .post_form(
            Some(&admin),
            &path,
            &[("csrf", token.as_str()), ("what", "disable")],
        )
        .await;
    assert!(
        off.body.contains("Ada Engineer is disabled."),
        "{}",
        off.body
    );
    assert!(off.body.contains("Enable login"));
    let refused = site.get(Some(&engineer), "/").await;
    assert_eq!(
        refused.status,
        StatusCode::SEE_OTHER,
        "a disabled login's session ends"
    );
    let on = site
        .post_form(
            Some(&admin),
            &path,
            &[("csrf", token.as_str()), ("what", "enable")],
        )
        .await;
    assert!(on.body.contains("is enabled again"), "{}", on.body);
    site.login("engineer@example.com").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_api_token_is_shown_once_works_for_the_api_and_can_be_revoked() {
    let site = Site::start().await;
    let session = site.login("engineer@example.com").await;
    let page = site.get(Some(&session), "/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<label for="token-name">"#));
    let token = harness::csrf_of(&page.body);
    let created = site
        .post_form(
            Some(&session),
            "/tokens",
            &[("csrf", token.as_str()), ("name", "laptop script")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let start = created.body.find("climb_").expect("the secret is shown");
    let secret: String = created.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let me = site
        .client
        .get(site.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), StatusCode::OK);
    let listed = site.get(Some(&session), "/tokens").await;
    assert!(
        listed.body.contains("laptop script") && !listed.body.contains(&secret),
        "shown once"
    );
    let action = listed.body.find("/revoke").expect("a revoke form");
    let id: String = listed.body[..action]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let revoked = site
        .post_form(
            Some(&session),
            &format!("/tokens/{id}/revoke"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let me = site
        .client
        .get(site.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn framework_and_csv_files_are_checked_like_pasted_text() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    let csrf = ("csrf", None, token.as_bytes());

    let broken = site
        .post_multipart(
            &session,
            "/admin/framework/check",
            &[
                csrf,
                (
                    "file",
                    Some("broken.toml"),
                    b"[framework]\nname = \"Broken\"\n",
                ),
                ("source", None, b""),
            ],
        )
        .await;
    assert_eq!(broken.status, StatusCode::OK, "{}", broken.body);
    assert!(broken.body.contains("E002"), "{}", broken.body);
    assert!(
        broken.body.contains("name = &#34;Broken&#34;"),
        "{}",
        broken.body
    );

    // A chosen file wins over pasted text.
    let v2 = include_str!("../../../../frameworks/default.toml")
        .replace("version = \"2026.1\"", "version = \"2026.2\"");
    let valid = site
        .post_multipart(
            &session,
            "/admin/framework/check",
            &[
                csrf,
                ("file", Some("v2.toml"), v2.as_bytes()),
                ("source", None, b"not toml at all"),
            ],
        )
        .await;
    assert!(valid.body.contains("2026.2 checks"), "{}", valid.body);

    let csv = "email,name,role,manager_email,start_date,status,end_date\n\
               filed@example.com,Filed Row,no-such-role,,2025-01-06,active,\n";
    let rows = site
        .post_multipart(
            &session,
            "/admin/import/check",
            &[
                csrf,
                ("file", Some("people.csv"), csv.as_bytes()),
                ("csv", None, b""),
            ],
        )
        .await;
    assert_eq!(rows.status, StatusCode::OK, "{}", rows.body);
    assert!(rows.body.contains("filed@example.com"), "{}", rows.body);
    assert!(rows.body.contains("rejected: 1"), "{}", rows.body);

    let latin1 = site
        .post_multipart(
            &session,
            "/admin/import/check",
            &[
                csrf,
                (
                    "file",
                    Some("latin1.csv"),
                    b"email,name\nb\xe9@example.com,B\xe9\n",
                ),
            ],
        )
        .await;
    assert_eq!(latin1.status, StatusCode::BAD_REQUEST, "{}", latin1.body);
    assert!(
        latin1.body.contains("latin1.csv is not UTF-8"),
        "{}",
        latin1.body
    );

    let nothing = site
        .post_multipart(
            &session,
            "/admin/import/check",
            &[csrf, ("file", Some(""), b""), ("csv", None, b"  ")],
        )
        .await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST, "{}", nothing.body);
    assert!(nothing.body.contains("choose a file"), "{}", nothing.body);

    // Without the token a multipart form is refused like any other.
    let forged = site
        .post_multipart(
            &session,
            "/admin/import/check",
            &[("file", Some("people.csv"), csv.as_bytes())],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_upload_routes_take_bodies_over_two_mib() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let token = harness::csrf_of(&site.get(Some(&session), "/admin").await.body);
    // A 3 MiB CSV: over the 2 MiB of other forms, under the CSV limit.
    let mut csv = String::from("email,name,role,manager_email,start_date,status,end_date\n");
    let mut n = 0;
    while csv.len() < 3 * 1024 * 1024 {
        csv.push_str(&format!(
            "person{n}@example.com,Person {n},no-such-role,,2025-01-06,active,\n"
        ));
        n += 1;
    }
    let big = site
        .post_multipart(
            &session,
            "/admin/import/check",
            &[
                ("csrf", None, token.as_bytes()),
                ("file", Some("big.csv"), csv.as_bytes()),
            ],
        )
        .await;
    assert_eq!(
        big.status,
        StatusCode::OK,
        "{}",
        &big.body[..big.body.len().min(500)]
    );
    assert!(big.body.contains(&format!("Rows read: {n} ")));
    let other = site
        .send_oversized(|client| {
            client
                .post(site.url("/projects"))
                .header(header::COOKIE, session.as_str())
                .form(&[("csrf", token.as_str()), ("name", csv.as_str())])
        })
        .await;
    assert_eq!(other.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Over the framework file limit.
    let huge = "#".repeat(5 * 1024 * 1024);
    let refused = site
        .post_multipart(
            &session,
            "/admin/framework/check",
            &[
                ("csrf", None, token.as_bytes()),
                ("file", Some("huge.toml"), huge.as_bytes()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body.contains("4 MiB"), "{}", refused.body);
}
