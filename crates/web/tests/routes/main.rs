//! Every route of the site, proven: the walker lists every route the
//! assembled router holds (the API from its OpenAPI document, the pages from
//! their table) and fails on one the matrix leaves out; then every caller
//! tries every route on every target person over a real socket, on SQLite
//! and on PostgreSQL, and each answer must be what the rule of the route
//! says. The same rules render the table in `SECURITY.md`, which a test
//! keeps equal to them (`CLIMB_BLESS=1` rewrites it).

mod company;
mod matrix;
// The test identity provider of the single sign-on tests.
#[path = "../sso/provider.rs"]
#[allow(dead_code)]
mod provider;
mod report;
// The store's test databases, of which the route walker needs only the
// opening; the writers'-lock helpers serve the store's own tests.
#[path = "../../../store/tests/it/test_db.rs"]
#[allow(dead_code)]
mod test_db;

use std::collections::BTreeSet;

use company::{Auth, Company, Csrf};
use matrix::{Caller, Fresh, Outcome, Rule, Surface, specs};
use reqwest::StatusCode;

#[test]
fn every_route_of_the_site_has_a_row_in_the_matrix() {
    let mut routes: BTreeSet<(String, String)> =
        climb_server::openapi::routes().into_iter().collect();
    routes.extend(
        climb_server::scim::routes()
            .into_iter()
            .map(|(method, path)| (method.as_str().to_owned(), path.to_owned())),
    );
    routes.extend(
        climb_web::page_routes()
            .into_iter()
            .map(|(method, path)| (method.to_owned(), path.to_owned())),
    );
    let covered: BTreeSet<(String, String)> = specs()
        .iter()
        .map(|s| (s.method.to_owned(), s.route.to_owned()))
        .collect();
    let missing: Vec<_> = routes.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&routes).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes without a row in the matrix: {missing:?}\nrows for routes that do not exist: {stale:?}"
    );
    assert!(
        routes.len() > 100,
        "the walker sees {} routes",
        routes.len()
    );
}

#[test]
fn security_md_holds_the_matrix_the_rules_give() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../SECURITY.md");
    let text = std::fs::read_to_string(path).expect("SECURITY.md");
    let rendered = report::render(&specs());
    let updated =
        report::replace_section(&text, &rendered).expect("SECURITY.md has the matrix markers");
    if std::env::var("CLIMB_BLESS").as_deref() == Ok("1") {
        std::fs::write(path, &updated).expect("write SECURITY.md");
        return;
    }
    assert!(
        updated == text,
        "SECURITY.md's matrix differs from the rules of tests/routes/matrix.rs; run with CLIMB_BLESS=1 to regenerate it"
    );
}

/// What an answer means for the matrix; `None` for a server error.
fn classify(route: &str, surface: Surface, status: StatusCode, location: &str) -> Option<Outcome> {
    // SCIM's cross-type search answers 501 as RFC 7644 asks of a server
    // with one resource type: an answer, not a failure.
    if status.is_server_error() && !(route == "/scim/v2/.search" && status.as_u16() == 501) {
        return None;
    }
    Some(match (surface, status.as_u16()) {
        // Logging out of the pages ends on the login page.
        (Surface::Page, 303) if route == "/logout" => Outcome::Allow,
        (_, 401) => Outcome::Login,
        (_, 403 | 404) => Outcome::Deny,
        (Surface::Page, 302 | 303) if location.starts_with("/login") => Outcome::Login,
        _ => Outcome::Allow,
    })
}

/// The security header an answer lacks, if any: every answer says
/// `nosniff` and carries a CSP; every answer to a signed-in caller but a
/// static file is `no-store`.
fn missing_headers(
    route: &str,
    auth: &Auth,
    headers: &reqwest::header::HeaderMap,
) -> Option<&'static str> {
    let has = |name: &str, value: Option<&str>| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| value.is_none_or(|want| v == want))
    };
    if !has("x-content-type-options", Some("nosniff")) {
        return Some("X-Content-Type-Options: nosniff");
    }
    if !has("content-security-policy", None) {
        return Some("Content-Security-Policy");
    }
    let signed_in = !matches!(auth, Auth::None);
    match route {
        "/static/{file}" => None,
        // Calendar apps poll their feed: a private cache only, for minutes.
        "/api/v1/calendar/{token}" => (!has("cache-control", Some("private, max-age=300")))
            .then_some("Cache-Control: private"),
        _ => (signed_in && !has("cache-control", Some("no-store")))
            .then_some("Cache-Control: no-store"),
    }
}

/// Every write of the site, forged: each page form without its CSRF token,
/// and each API write with the session cookie from another site. All must
/// be refused with 403.
async fn forgeries(company: &Company) -> Vec<String> {
    let admin = Auth::Session(company.sessions[&None].clone());
    let mut failures = Vec::new();
    for spec in specs() {
        // The API's login takes JSON, which no cross-site form can send, and
        // no cookie: there is nothing to forge.
        // SCIM takes no cookie, so no other site can borrow one.
        if spec.method == "GET" || spec.route == "/api/v1/login" || spec.rule == Rule::Scim {
            continue;
        }
        let (mut path, body) = (spec.request)(company, company::TARGETS[0]);
        let admin = match spec.fresh {
            Fresh::Nothing => admin.clone(),
            Fresh::Session => Auth::Session(company.login(None).await),
            Fresh::Token => {
                let (id, _) = company.new_token(company::TARGETS[0]).await;
                path = path.replace("{token}", &id.to_string());
                admin.clone()
            }
            Fresh::Webhook => {
                path = path.replace("{webhook}", &company.new_webhook().await.to_string());
                admin.clone()
            }
        };
        let answer = match spec.surface() {
            Surface::Page => {
                company
                    .send(spec.method(), &admin, &path, &body, None)
                    .await
            }
            Surface::Api => {
                company
                    .send_from(
                        "http://elsewhere.example",
                        spec.method(),
                        &admin,
                        &path,
                        &body,
                        None,
                    )
                    .await
            }
        };
        let status = answer.status();
        if status != StatusCode::FORBIDDEN {
            failures.push(format!(
                "{} {path} forged from another site: {status}",
                spec.method
            ));
        }
    }
    failures
}

async fn walk(company: Company) {
    let mut cells = 0;
    let mut unexpected_allows = 0;
    let mut failures = Vec::new();
    for spec in specs() {
        for caller in Caller::ALL {
            for &target in spec.targets() {
                let expected = spec.expect(caller, target);
                let (mut path, body) = (spec.request)(&company, target);
                let mut auth = match caller {
                    Caller::Anonymous => Auth::None,
                    Caller::EveToken => Auth::Bearer(company.eve_token.clone()),
                    Caller::ScimToken => Auth::Bearer(company.scim_token.clone()),
                    other => Auth::Session(company.sessions[&other.person()].clone()),
                };
                match spec.fresh {
                    Fresh::Nothing => {}
                    Fresh::Session => {
                        if let Auth::Session(_) = auth {
                            auth = Auth::Session(company.login(caller.person()).await);
                        }
                    }
                    Fresh::Token => {
                        let (id, _) = company.new_token(target).await;
                        path = path.replace("{token}", &id.to_string());
                    }
                    Fresh::Webhook => {
                        path = path.replace("{webhook}", &company.new_webhook().await.to_string());
                    }
                }
                // The token a browser would send: the session's, or the login
                // form's cookie before a session (and always on the login form).
                let csrf = match (&auth, spec.surface(), spec.method) {
                    (Auth::Session(_) | Auth::None, Surface::Page, "POST")
                        if spec.route == "/login" =>
                    {
                        Some(Csrf::LoginForm("matrix-login-form".to_owned()))
                    }
                    (Auth::Session(id), Surface::Page, "POST") => Some(Csrf::Session(
                        climb_server::auth::hash_secret(&format!("climb csrf token\n{id}")),
                    )),
                    (Auth::None, Surface::Page, "POST") => {
                        Some(Csrf::LoginForm("matrix-login-form".to_owned()))
                    }
                    _ => None,
                };
                let answer = company
                    .send(spec.method(), &auth, &path, &body, csrf.as_ref())
                    .await;
                let status = answer.status();
                let location = answer
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                if let Some(missing) = missing_headers(spec.route, &auth, answer.headers()) {
                    failures.push(format!(
                        "{} {path} as {}: no {missing}",
                        spec.method,
                        caller.label()
                    ));
                }
                let text = answer.text().await.unwrap_or_default();
                cells += 1;
                let got = classify(spec.route, spec.surface(), status, &location);
                if got != Some(expected) {
                    if got == Some(Outcome::Allow) {
                        unexpected_allows += 1;
                    }
                    let excerpt: String = text.chars().take(160).collect();
                    failures.push(format!(
                        "{} {} {path} [{}] as {}: {status} {location} — expected {expected:?}: {excerpt}",
                        spec.method,
                        spec.route,
                        target.name(),
                        caller.label(),
                    ));
                }
            }
        }
    }
    failures.extend(forgeries(&company).await);
    eprintln!(
        "{cells} cells, {} differ, {unexpected_allows} unexpected allows",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ ({unexpected_allows} unexpected allows):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_caller_gets_what_the_matrix_says_on_every_route_sqlite() {
    walk(Company::start(test_db::TestDb::sqlite()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_caller_gets_what_the_matrix_says_on_every_route_postgres() {
    let Some(db) = test_db::TestDb::postgres().await else {
        return;
    };
    walk(Company::start(db).await).await;
}
