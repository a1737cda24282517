//! The review pages over HTTP: HR opens and closes a cycle, the person and
//! their manager fill in and sign their sides, refused forms keep what was
//! typed (422), the review is read-only once signed by both, and reading is
//! refused to whoever the API refuses it to, calibration included.

use reqwest::StatusCode;

use crate::harness::{self, Site};

/// The first `data-review` id on a page.
fn review_id(body: &str) -> i64 {
    let marker = r#"data-review=""#;
    let start = body.find(marker).expect("a review row") + marker.len();
    body[start..]
        .split('"')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("a review id")
}

/// A login for the director (a senior manager: Grace reports to them and
/// has a report of her own), given by the administrator.
async fn director_login(site: &Site, admin: &str) -> String {
    let token = harness::csrf_of(&site.get(Some(admin), "/admin/users").await.body);
    let created = site
        .post_form(
            Some(admin),
            "/admin/users",
            &[
                ("csrf", token.as_str()),
                ("email", "director@example.com"),
                ("kind", "employee"),
                ("password", harness::PASSWORD),
            ],
        )
        .await;
    assert!(created.body.contains("can now log in"), "{}", created.body);
    site.login("director@example.com").await
}

/// Every competency a software engineer is assessed on, at `level`.
fn all_levels(level: &str, evidence: &str) -> Vec<(String, String)> {
    let role = climb_framework::builtin()
        .role("software-engineer")
        .expect("the built-in role");
    role.expectations
        .iter()
        .flat_map(|e| {
            [
                (format!("level.{}", e.competency), level.to_owned()),
                (format!("evidence.{}", e.competency), evidence.to_owned()),
            ]
        })
        .collect()
}

async fn post(
    site: &Site,
    cookie: &str,
    path: &str,
    fields: &[(String, String)],
) -> harness::Answer {
    let token = harness::csrf_of(&site.get(Some(cookie), "/reviews").await.body);
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    site.post_form(Some(cookie), path, &form).await
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_is_opened_filled_in_signed_by_both_calibrated_and_closed_through_the_pages() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let overview = site.get(Some(&admin), "/reviews").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("Open a cycle"), "{}", overview.body);

    // A reversed period is refused by the domain; the form keeps its input.
    let reversed = post(
        &site,
        &admin,
        "/reviews/cycles",
        &fields(&[
            ("name", "Reversed half"),
            ("period_start", "2026-06-30"),
            ("period_end", "2026-01-01"),
            ("scope", "everyone"),
        ]),
    )
    .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reversed.body.contains("before it starts"),
        "{}",
        reversed.body
    );
    assert!(reversed.body.contains(r#"value="Reversed half""#));
    assert!(reversed.body.contains(r#"value="2026-06-30""#));
    let unknown = post(
        &site,
        &admin,
        "/reviews/cycles",
        &fields(&[
            ("name", "Team half"),
            ("period_start", "2026-01-01"),
            ("period_end", "2026-06-30"),
            ("scope", "below"),
            ("manager", "nobody@example.com"),
        ]),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("nobody@example.com"),
        "{}",
        unknown.body
    );

    let opened = post(
        &site,
        &admin,
        "/reviews/cycles",
        &fields(&[
            ("name", "2026 H1"),
            ("period_start", "2026-01-01"),
            ("period_end", "2026-06-30"),
            ("scope", "below"),
            ("manager", "director@example.com"),
        ]),
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let overview = site.get(Some(&admin), "/reviews").await;
    assert!(overview.body.contains("2026 H1"), "{}", overview.body);
    assert!(overview.body.contains("0 of 2 signed"), "{}", overview.body);
    assert!(overview.body.contains("Everyone below Dana Director"));

    // The engineer finds their review and what it waits for.
    let engineer = site.login("engineer@example.com").await;
    let mine = site.get(Some(&engineer), "/reviews").await;
    assert!(!mine.body.contains("Open a cycle"), "HR only");
    assert!(
        mine.body
            .contains("Waiting for your self assessment and Grace Manager’s manager assessment"),
        "the status speaks to the viewer: {}",
        mine.body
    );
    let id = review_id(&mine.body);
    let path = format!("/reviews/{id}");
    let page = site.get(Some(&engineer), &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Your self assessment"), "{}", page.body);
    assert!(
        page.body
            .contains("Designs and builds features independently; picks sensible approaches"),
        "the framework's level names"
    );
    assert!(
        !page.body.contains(r#"id="overall-rating""#),
        "the manager rates"
    );

    // A level without evidence: refused, and everything typed is kept.
    let mut missing = all_levels("2", "Shipped the billing export");
    missing.retain(|(k, _)| k != "evidence.delivery");
    let refused = post(&site, &engineer, &format!("{path}/assessment"), &missing).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The level for Delivery needs evidence."),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("Shipped the billing export</textarea>")
    );
    assert!(refused.body.contains(r#"<option value="2" selected>"#));
    // The person may not give the overall rating.
    let mut rated = all_levels("2", "Shipped the billing export");
    rated.push(("rating".to_owned(), "outstanding".to_owned()));
    let forbidden = post(&site, &engineer, &format!("{path}/assessment"), &rated).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let saved = post(
        &site,
        &engineer,
        &format!("{path}/assessment"),
        &all_levels("2", "Shipped the billing export"),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let signed = post(&site, &engineer, &format!("{path}/sign"), &[]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);

    // The manager sees it waiting for them, cannot sign early, then does.
    let manager = site.login("manager@example.com").await;
    let team = site.get(Some(&manager), "/reviews").await;
    assert!(
        team.body.contains("Your team&#39;s open reviews")
            || team.body.contains("Your team's open reviews"),
        "{}",
        team.body
    );
    assert!(
        team.body.contains("Waiting for your manager assessment"),
        "{}",
        team.body
    );
    let early = post(&site, &manager, &format!("{path}/sign"), &[]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("Cannot sign yet"), "{}", early.body);
    let mut assessment = all_levels("2", "Owned the release train");
    assessment.push(("rating".to_owned(), "meets_expectations".to_owned()));
    let saved = post(&site, &manager, &format!("{path}/assessment"), &assessment).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let signed = post(&site, &manager, &format!("{path}/sign"), &[]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);

    let done = site.get(Some(&engineer), &path).await;
    assert!(done.body.contains("Signed by both"), "{}", done.body);
    assert!(
        done.body.contains("by Ada Engineer on ") && done.body.contains("and by Grace Manager on "),
        "both signers named: {}",
        done.body
    );
    assert!(done.body.contains("read-only"));
    assert!(done.body.contains("Meets expectations"));
    assert!(
        !done.body.contains(r#"id="assessment-form""#),
        "no form left"
    );
    let late = post(
        &site,
        &engineer,
        &format!("{path}/assessment"),
        &all_levels("3", "Second thoughts"),
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("cannot change"), "{}", late.body);

    // The person's page links it; calibration for HR and the senior manager.
    let person = site
        .get(Some(&engineer), &format!("/people/{}", site.engineer))
        .await;
    assert!(person.body.contains(&format!(r#"href="/reviews/{id}""#)));
    let overview = site.get(Some(&admin), "/reviews").await;
    assert!(overview.body.contains("1 of 2 signed"), "{}", overview.body);
    let cycle = {
        let marker = r#"data-cycle=""#;
        let start = overview.body.find(marker).expect("a cycle") + marker.len();
        overview.body[start..]
            .split('"')
            .next()
            .expect("id")
            .to_owned()
    };
    let calibration = format!("/reviews/cycles/{cycle}/calibration");
    let whole = site.get(Some(&admin), &calibration).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert!(
        whole.body.contains("1 rated of 2 reviews"),
        "{}",
        whole.body
    );
    assert!(whole.body.contains(r#"data-role="software-engineer""#));
    let director = director_login(&site, &admin).await;
    let subtree = site.get(Some(&director), &calibration).await;
    assert_eq!(subtree.status, StatusCode::OK, "{}", subtree.body);
    assert!(subtree.body.contains("everyone below"));
    assert!(subtree.body.contains("1 rated of 2 reviews"));
    assert_eq!(
        site.get(Some(&director), &path).await.status,
        StatusCode::OK,
        "the management chain reads the review"
    );
    for (cookie, status) in [
        (&engineer, StatusCode::FORBIDDEN),
        (&manager, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(site.get(Some(cookie), &calibration).await.status, status);
    }
    assert_eq!(
        site.get(Some(&admin), "/reviews/cycles/999/calibration")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let closed = post(
        &site,
        &admin,
        &format!("/reviews/cycles/{cycle}/close"),
        &[],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let overview = site.get(Some(&admin), "/reviews").await;
    assert!(overview.body.contains("closed "), "{}", overview.body);
    let again = post(
        &site,
        &admin,
        &format!("/reviews/cycles/{cycle}/close"),
        &[],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_is_refused_to_whom_the_api_refuses_it() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let opened = post(
        &site,
        &admin,
        "/reviews/cycles",
        &fields(&[
            ("name", "Everyone 2026"),
            ("period_start", "2026-01-01"),
            ("period_end", "2026-12-31"),
            ("scope", "everyone"),
        ]),
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let manager = site.login("manager@example.com").await;
    let engineer = site.login("engineer@example.com").await;
    let own = review_id(&site.get(Some(&manager), "/reviews").await.body);
    let path = format!("/reviews/{own}");
    // The engineer may know Grace but not read her review: the API's 403.
    let page = site.get(Some(&engineer), &path).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let api = site.get(Some(&engineer), &format!("/api/v1{path}")).await;
    assert_eq!(api.status, page.status, "the same answer as the API");
    let write = post(
        &site,
        &engineer,
        &format!("{path}/assessment"),
        &all_levels("1", "Not mine"),
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(
        site.get(Some(&engineer), "/reviews/424242").await.status,
        StatusCode::NOT_FOUND
    );
    let malformed = site.get(Some(&engineer), "/reviews/abc").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(
        malformed.body.contains("the id in it must be a number")
            && malformed.body.contains("</html>"),
        "the site's error page, not plain text: {}",
        malformed.body
    );
    // Grace's page shows her reviews to her and her chain, not to Ada.
    let grace = format!("/people/{}", site.manager);
    assert!(
        !site
            .get(Some(&engineer), &grace)
            .await
            .body
            .contains(r#"id="person-reviews""#)
    );
    assert!(
        site.get(Some(&manager), &grace)
            .await
            .body
            .contains(r#"id="person-reviews""#)
    );
    assert!(
        site.get(Some(&admin), &grace)
            .await
            .body
            .contains(&format!(r#"href="{path}""#))
    );
    // Without a session: the login page, then back.
    let anonymous = site.get(None, &path).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/login?next="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cycle_held_for_calibration_waits_for_hr_to_release_it() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let opened = post(
        &site,
        &admin,
        "/reviews/cycles",
        &fields(&[
            ("name", "2026 H2"),
            ("period_start", "2026-07-01"),
            ("period_end", "2026-12-31"),
            ("scope", "everyone"),
            ("hold", "on"),
        ]),
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let overview = site.get(Some(&admin), "/reviews").await;
    assert!(
        overview.body.contains("held for calibration"),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("Release to the people reviewed"));

    let engineer = site.login("engineer@example.com").await;
    let mine = site.get(Some(&engineer), "/reviews").await;
    let review = format!("/reviews/{}", review_id(&mine.body));
    let page = site.get(Some(&engineer), &review).await;
    assert!(
        page.body.contains("shown when HR releases the cycle"),
        "{}",
        page.body
    );
    let manager = site.login("manager@example.com").await;
    let as_manager = site.get(Some(&manager), &review).await;
    assert!(!as_manager.body.contains("shown when HR releases the cycle"));

    let cycle = overview
        .body
        .split("/reviews/cycles/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a cycle link")
        .to_owned();
    let refused = post(
        &site,
        &engineer,
        &format!("/reviews/cycles/{cycle}/release"),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let released = post(
        &site,
        &admin,
        &format!("/reviews/cycles/{cycle}/release"),
        &[],
    )
    .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.body);
    let overview = site.get(Some(&admin), "/reviews").await;
    assert!(overview.body.contains("released "), "{}", overview.body);
    assert!(!overview.body.contains("Release to the people reviewed"));
    let page = site.get(Some(&engineer), &review).await;
    assert!(!page.body.contains("shown when HR releases the cycle"));
}
