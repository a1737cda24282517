//! Times in the viewer's zone: the browser's (from the cookie the page
//! script sets) until the person chooses one on their account page, UTC
//! without either; a meeting in another zone also says its own time.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Site, csrf_of, session_of};

/// The zone the audit page's first time is written in.
fn audit_zone(body: &str) -> String {
    let cell = body
        .split(r#"<td class="nowrap">"#)
        .nth(1)
        .unwrap_or_default();
    ["America/New_York", "Asia/Tokyo", "UTC"]
        .into_iter()
        .find(|zone| cell.split("</").next().unwrap_or_default().contains(zone))
        .unwrap_or("none")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_follow_the_browser_until_the_person_chooses_a_zone() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let in_new_york = format!("{admin}; climb_tz=America/New_York");

    let plain = site.get(Some(&admin), "/audit").await;
    assert_eq!(audit_zone(&plain.body), "UTC", "{}", plain.body);
    let browser = site.get(Some(&in_new_york), "/audit").await;
    assert_eq!(audit_zone(&browser.body), "America/New_York");
    let nonsense = site
        .get(Some(&format!("{admin}; climb_tz=Mars/Olympus")), "/audit")
        .await;
    assert_eq!(
        audit_zone(&nonsense.body),
        "UTC",
        "an unknown zone is ignored"
    );

    let account = site.get(Some(&in_new_york), "/tokens").await;
    assert!(
        account.body.contains("your browser&#39;s zone")
            || account.body.contains("your browser's zone"),
        "{}",
        account.body
    );
    let csrf = csrf_of(&account.body);
    let chosen = site
        .post_form(
            Some(&in_new_york),
            "/tokens/time-zone",
            &[("csrf", csrf.as_str()), ("time_zone", " Asia/Tokyo ")],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    let now = site.get(Some(&in_new_york), "/audit").await;
    assert_eq!(
        audit_zone(&now.body),
        "Asia/Tokyo",
        "the choice beats the browser"
    );

    let refused = site
        .post_form(
            Some(&in_new_york),
            "/tokens/time-zone",
            &[("csrf", csrf.as_str()), ("time_zone", "Nowhere/Else")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("is not a time zone climb knows"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(r#"value="Nowhere/Else""#),
        "kept as typed"
    );
    assert!(
        refused.body.contains("<h1>Your account</h1>"),
        "in the site's layout"
    );
    let still = site.get(Some(&in_new_york), "/audit").await;
    assert_eq!(
        audit_zone(&still.body),
        "Asia/Tokyo",
        "a refused zone changes nothing"
    );

    let cleared = site
        .post_form(
            Some(&in_new_york),
            "/tokens/time-zone",
            &[("csrf", csrf.as_str()), ("time_zone", "")],
        )
        .await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    let back = site.get(Some(&in_new_york), "/audit").await;
    assert_eq!(
        audit_zone(&back.body),
        "America/New_York",
        "empty follows the browser again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_in_another_zone_also_says_its_own_time() {
    let site = Site::start().await;
    let manager = site.login("manager@example.com").await;
    let first = chrono::Utc::now().date_naive() + chrono::Duration::days(3);
    let (status, body) = site
        .api(
            Method::PUT,
            session_of(&manager),
            &format!("/api/v1/people/{}/one-on-ones/schedule", site.engineer),
            Some(json!({"cadence": "weekly", "first_date": first.to_string(), "time": "10:00", "time_zone": "Europe/Berlin", "minutes": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let berlin = site
        .get(
            Some(&format!("{manager}; climb_tz=Europe/Berlin")),
            "/one-on-ones",
        )
        .await;
    assert!(
        berlin.body.contains("10:00 Europe/Berlin"),
        "{}",
        berlin.body
    );
    assert!(
        !berlin.body.contains("for the meeting"),
        "same zone: said once"
    );

    let new_york = site
        .get(
            Some(&format!("{manager}; climb_tz=America/New_York")),
            "/one-on-ones",
        )
        .await;
    assert!(
        new_york
            .body
            .contains("04:00 America/New_York (10:00 Europe/Berlin for the meeting)"),
        "{}",
        new_york.body
    );
    let pair = site
        .get(
            Some(&format!("{manager}; climb_tz=America/New_York")),
            &format!("/one-on-ones/with/{}", site.engineer),
        )
        .await;
    assert!(
        pair.body
            .contains("04:00 America/New_York (10:00 Europe/Berlin for the meeting)"),
        "the pair page agrees with the overview: {}",
        pair.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_switches_notices_and_the_digest_off_each_on_its_own() {
    let site = Site::start().await;
    let admin = site.login("admin@example.com").await;
    let page = site.get(Some(&admin), "/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="mail""#), "{}", page.body);
    for name in ["notices", "digest"] {
        assert!(
            page.body
                .contains(&format!(r#"name="{name}" value="on" checked"#)),
            "both are on at first: {}",
            page.body
        );
    }
    assert!(
        page.body.contains("This server sends no mail yet"),
        "the page says when no mail server is set up"
    );
    let csrf = csrf_of(&page.body);
    // A checkbox left unticked sends nothing: notices off, digest on.
    let saved = site
        .post_form(
            Some(&admin),
            "/tokens/mail",
            &[("csrf", csrf.as_str()), ("digest", "on")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/tokens#mail");
    let page = site.get(Some(&admin), "/tokens").await;
    assert!(
        page.body.contains(r#"name="notices" value="on">"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"name="digest" value="on" checked"#));
    let unsent = site
        .post_form(Some(&admin), "/tokens/mail", &[("digest", "on")])
        .await;
    assert_eq!(
        unsent.status,
        StatusCode::FORBIDDEN,
        "a form without its CSRF token"
    );
}
