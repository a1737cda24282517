//! The openings page: a manager opens and cancels roles on their team, HR
//! fills one with a hire, refused forms come back as typed, and each viewer
//! sees only the actions they may take.

use reqwest::StatusCode;

use crate::harness::{Site, csrf_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_opens_hr_fills_and_refusals_keep_what_was_typed() {
    let site = Site::start().await;
    let manager = site.login("manager@example.com").await;
    let page = site.get(Some(&manager), "/openings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("No role is open right now."),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"aria-current="page">Openings"#));
    let token = csrf_of(&page.body);

    let opened = site
        .post_form(
            Some(&manager),
            "/openings",
            &[
                ("csrf", token.as_str()),
                ("role", "senior-software-engineer"),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let list = site.get(Some(&manager), "/openings").await;
    assert!(
        list.body.contains("Senior Software Engineer"),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("Team of <a href=\"/people/"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Cancel this opening"), "{}", list.body);
    assert!(
        !list.body.contains("Fill with a hire"),
        "a manager does not hire"
    );
    let id: i64 = list
        .body
        .split("id=\"opening-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|id| id.parse().ok())
        .expect("an opening");

    // A role the framework does not have is refused on the same page.
    let refused = site
        .post_form(
            Some(&manager),
            "/openings",
            &[("csrf", token.as_str()), ("role", "no-such-role")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"role="alert""#), "{}", refused.body);

    // An engineer sees the opening, and no form.
    let engineer = site.login("engineer@example.com").await;
    let seen = site.get(Some(&engineer), "/openings").await;
    assert!(seen.body.contains("Senior Software Engineer"));
    assert!(!seen.body.contains("Open this role") && !seen.body.contains("Cancel this opening"));

    // HR fills it: it waits on their home page; a bad email comes back as
    // typed; a good one hires.
    let admin = site.login("admin@example.com").await;
    let home = site.get(Some(&admin), "/").await;
    assert!(
        home.body
            .contains("Fill the Senior Software Engineer opening on Grace Manager’s team")
            && home
                .body
                .contains(&format!(r#"href="/openings#opening-{id}""#)),
        "{}",
        home.body
    );
    let admin_page = site.get(Some(&admin), "/openings").await;
    let admin_token = csrf_of(&admin_page.body);
    assert!(admin_page.body.contains("Fill with a hire"));
    let bad = site
        .post_form(
            Some(&admin),
            &format!("/openings/{id}/fill"),
            &[
                ("csrf", admin_token.as_str()),
                ("name", "Lin Park"),
                ("email", "not-an-email"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains(r#"value="Lin Park""#) && bad.body.contains(r#"value="not-an-email""#),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("<details open>"), "{}", bad.body);
    let hired = site
        .post_form(
            Some(&admin),
            &format!("/openings/{id}/fill"),
            &[
                ("csrf", admin_token.as_str()),
                ("name", "Lin Park"),
                ("email", "lin.park@example.com"),
            ],
        )
        .await;
    assert_eq!(hired.status, StatusCode::SEE_OTHER, "{}", hired.body);
    let person = site.get(Some(&admin), &hired.location()).await;
    assert!(person.body.contains("Lin Park") && person.body.contains("Senior Software Engineer"));
    let filled = site.get(Some(&manager), "/openings?status=filled").await;
    assert!(
        filled.body.contains("hired <a href=\"/people/"),
        "{}",
        filled.body
    );

    // The manager opens another and cancels it.
    site.post_form(
        Some(&manager),
        "/openings",
        &[("csrf", token.as_str()), ("role", "software-engineer")],
    )
    .await;
    let list = site.get(Some(&manager), "/openings").await;
    let second: i64 = list
        .body
        .split("id=\"opening-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|id| id.parse().ok())
        .expect("the second opening");
    let cancelled = site
        .post_form(
            Some(&manager),
            &format!("/openings/{second}/cancel"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let open_now = site.get(Some(&manager), "/openings").await;
    assert!(
        open_now.body.contains("No role is open right now."),
        "{}",
        open_now.body
    );
    let gone = site.get(Some(&manager), "/openings?status=cancelled").await;
    assert!(gone.body.contains("Software Engineer"));
    // An engineer may not cancel a team's opening.
    let refused = site
        .post_form(
            Some(&engineer),
            &format!("/openings/{second}/cancel"),
            &[("csrf", csrf_of(&seen.body).as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
