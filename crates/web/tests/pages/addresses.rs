//! Addresses that hold no page: an unknown one gets the site's 404 page
//! (the API keeps its JSON), and a GET on an address that only takes a
//! form's POST leads to the page that holds the form.

use reqwest::StatusCode;

use crate::harness::Site;

/// Whether `path` is an address of the page template `template`.
fn matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_gets_the_sites_404_page_and_the_api_keeps_json() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let page = site.get(Some(&session), "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.header("content-type").starts_with("text/html"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("There is no page at this address"),
        "{}",
        page.body
    );
    assert!(
        page.header("content-security-policy")
            .contains("script-src 'self'")
    );

    let api = site.get(Some(&session), "/api/v1/no-such-thing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.header("content-type").starts_with("application/json"));
    assert!(api.body.contains("\"not_found\""), "{}", api.body);
}

/// Every address of the page table that takes a POST and no GET answers a
/// GET with a redirect to a page of the table, which then shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_on_every_form_only_address_leads_to_the_page_holding_the_form() {
    let site = Site::start().await;
    let session = site.login("admin@example.com").await;
    let routes = climb_web::page_routes();
    let pages: Vec<&str> = routes
        .iter()
        .filter(|(method, _)| *method == "GET")
        .map(|(_, path)| *path)
        .collect();
    let forms: Vec<&str> = routes
        .iter()
        .filter(|(method, path)| *method == "POST" && !pages.contains(path))
        .map(|(_, path)| *path)
        .collect();
    assert!(forms.len() > 20, "only {} form-only addresses", forms.len());
    for form in forms {
        let address = form
            .split('/')
            .map(|s| if s.starts_with('{') { "1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let answer = site.get(Some(&session), &address).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "GET {address}");
        let target = answer.location();
        assert!(
            pages.iter().any(|page| matches(page, &target)),
            "GET {address} leads to {target}, which is no page"
        );
        assert!(
            target.len() < address.len() && address.starts_with(target.trim_end_matches('/')),
            "GET {address} leads to {target}, not a page above it"
        );
    }
    let goals = site
        .get(Some(&session), &format!("/people/{}/goals", site.engineer))
        .await;
    assert_eq!(goals.location(), format!("/people/{}", site.engineer));
    let shown = site.get(Some(&session), &goals.location()).await;
    assert_eq!(shown.status, StatusCode::OK);
}
