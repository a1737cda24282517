//! The projection page: HR runs it as a plain GET form or through htmx,
//! a changed hiring plan redraws the chart, refused options come back as a
//! sentence with the form as typed, and it is HR's and administrators'
//! only, as the API's projection is.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{PASSWORD, Site};

async fn hr(site: &Site) -> String {
    let (status, body) = site
        .api_post(
            &site.admin,
            "/api/v1/people",
            json!({"name": "Hana HR", "email": "hana@example.com", "role": "architect", "start_date": "2020-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = site
        .api_post(
            &site.admin,
            "/api/v1/accounts",
            json!({"person": body["id"], "kind": "hr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    site.login("hana@example.com").await
}

/// The bands chart of a page or partial.
fn chart(body: &str) -> &str {
    let start = body.find(r#"<svg"#).unwrap_or(0);
    let end = body.rfind("</svg>").unwrap_or(body.len());
    &body[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_projects_headcount_and_a_hiring_plan_redraws_the_chart() {
    let site = Site::start().await;
    let hr = hr(&site).await;
    let page = site.get(Some(&hr), "/insights/projection").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(r#"class="climb-bands""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"<label for="projection-hire">"#));
    assert!(
        page.body
            .contains("/api/v1/insights/projection.csv?years=3&#38;runs=500"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(" style=\"") && !page.body.contains("<style"));
    let csv = site
        .get(
            Some(&hr),
            "/api/v1/insights/projection.csv?years=3&runs=500&seed=2026&step=month&window=3y",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);

    let plain = "/insights/projection?years=2&runs=50&seed=7&step=month&window=3y&hire=";
    let hiring = "/insights/projection?years=2&runs=50&seed=7&step=month&window=3y&hire=software-engineer%3D3%2Fmonth";
    let before = site.htmx(&hr, plain).await;
    let after = site.htmx(&hr, hiring).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(!after.body.contains("<html"), "a partial");
    assert!(after.body.contains(r#"id="projection-result""#));
    assert_ne!(
        chart(&before.body),
        chart(&after.body),
        "the plan shows in the chart"
    );
    assert!(
        after
            .body
            .contains("&#38;hire=software-engineer%3D3%2Fmonth"),
        "the links carry the plan"
    );
    let again = site.htmx(&hr, hiring).await;
    assert_eq!(
        chart(&again.body),
        chart(&after.body),
        "the same seed, the same chart"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_options_come_back_as_a_sentence_with_the_form_as_typed() {
    let site = Site::start().await;
    let hr = hr(&site).await;
    let page = site
        .get(
            Some(&hr),
            "/insights/projection?years=2&runs=lots&hire=software-engineer%3D2%2Fmonth",
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(r#"role="alert""#), "{}", page.body);
    assert!(
        page.body.contains("must be a whole number"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="lots""#));
    assert!(
        page.body.contains("software-engineer=2/month</textarea>"),
        "{}",
        page.body
    );
    let unknown = site
        .get(
            Some(&hr),
            "/insights/projection?hire=no-such-role%3D1%2Fmonth",
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains(r#"role="alert""#), "{}", unknown.body);
    let partial = site.htmx(&hr, "/insights/projection?years=0").await;
    assert_eq!(partial.status, StatusCode::OK, "htmx swaps only a success");
    assert!(partial.body.contains(r#"role="alert""#), "{}", partial.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projection_is_refused_to_managers_and_engineers() {
    let site = Site::start().await;
    for email in ["manager@example.com", "engineer@example.com"] {
        let session = site.login(email).await;
        let page = site.get(Some(&session), "/insights/projection").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
        let insights = site.get(Some(&session), "/insights").await;
        assert!(!insights.body.contains("/insights/projection"), "{email}");
    }
}
