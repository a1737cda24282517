//! Single sign-on through the public surface: the site on a socket, signing
//! in with a test OpenID provider on another socket, a client following
//! the login's redirects by hand. Every refused login must answer a page in
//! the site's layout saying why, be recorded, and set no session.

mod provider;
mod site;
// The store's test databases (SQLite file or a fresh PostgreSQL database).
#[path = "../../../store/tests/it/test_db.rs"]
#[allow(dead_code)]
mod test_db;

use provider::Token;
use reqwest::StatusCode;
use serde_json::json;
use site::{Answer, PASSWORD, Site};
use test_db::TestDb;

const ADA: &str = "ada@example.com";

/// The site with Ada Lovelace, who has a login.
async fn site_with_ada(db: TestDb) -> Site {
    let site = Site::start(db, true).await;
    site.person_with_login("Ada Lovelace", ADA).await;
    site
}

/// Logs in through the provider with `token`; the callback's answer.
async fn sign_in(site: &Site, token: Token) -> Answer {
    site.provider.will_sign_in(token);
    let (callback, state) = site.to_provider_and_back("/chart").await;
    site.get(&callback, Some(&state)).await
}

/// A login the provider signed in lands on `next`, with a session that is
/// Ada's.
async fn assert_signed_in_as_ada(site: &Site, answer: &Answer) {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location, "/chart");
    let session = answer.cookie("climb_session").expect("a session cookie");
    let me = site
        .client
        .get(format!("{}/api/v1/me", site.base))
        .header(reqwest::header::COOKIE, &session)
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.expect("json");
    assert_eq!(me["email"], ADA);
    let home = site.get(&format!("{}/", site.base), Some(&session)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Ada Lovelace"), "the home page is Ada's");
}

/// A refused login: a 4xx page in the site's layout with `sentence`, the
/// refusal recorded under `code`, and no session.
async fn assert_refused(site: &Site, answer: &Answer, code: &str, sentence: &str) {
    assert!(
        answer.status.is_client_error(),
        "{}: {}",
        answer.status,
        answer.body
    );
    assert!(
        answer.body.contains(r#"<main id="main" class="login">"#),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Sign-in refused"), "{}", answer.body);
    assert!(
        answer.body.contains(sentence),
        "{sentence} in {}",
        answer.body
    );
    assert_eq!(
        answer.cookie("climb_session"),
        None,
        "no session is started"
    );
    assert_eq!(site.refusals().await.last().map(String::as_str), Some(code));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_with_the_provider_and_lands_where_they_were_going() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let answer = sign_in(&site, Token::for_email(ADA)).await;
    assert_signed_in_as_ada(&site, &answer).await;
    assert!(site.refusals().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_with_the_provider_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let site = site_with_ada(db).await;
    let answer = sign_in(&site, Token::for_email(ADA)).await;
    assert_signed_in_as_ada(&site, &answer).await;
    let refused = sign_in(
        &site,
        Token {
            email_verified: Some(false),
            ..Token::for_email(ADA)
        },
    )
    .await;
    assert_refused(&site, &refused, "unverified_email", "verified").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_still_works_after_the_provider_rotates_its_keys() {
    let site = site_with_ada(TestDb::sqlite()).await;
    assert_signed_in_as_ada(&site, &sign_in(&site, Token::for_email(ADA)).await).await;
    site.provider.rotate_keys();
    assert_signed_in_as_ada(&site, &sign_in(&site, Token::for_email(ADA)).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_for_another_client_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let token = Token {
        audience: "another-app".into(),
        ..Token::for_email(ADA)
    };
    let answer = sign_in(&site, token).await;
    assert_refused(
        &site,
        &answer,
        "wrong_audience",
        "meant for another application",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_id_token_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let token = Token {
        expired: true,
        ..Token::for_email(ADA)
    };
    let answer = sign_in(&site, token).await;
    assert_refused(&site, &answer, "expired_token", "had expired").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_signed_with_another_key_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let token = Token {
        forged: true,
        ..Token::for_email(ADA)
    };
    let answer = sign_in(&site, token).await;
    assert_refused(&site, &answer, "bad_signature", "not signed by its keys").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_from_another_issuer_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let token = Token {
        issuer: Some("https://elsewhere.example.com".into()),
        ..Token::for_email(ADA)
    };
    let answer = sign_in(&site, token).await;
    assert_refused(&site, &answer, "wrong_issuer", "another identity provider").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_carrying_an_earlier_logins_nonce_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    assert_signed_in_as_ada(&site, &sign_in(&site, Token::for_email(ADA)).await).await;
    let token = Token {
        replay_first_nonce: true,
        ..Token::for_email(ADA)
    };
    let answer = sign_in(&site, token).await;
    assert_refused(
        &site,
        &answer,
        "nonce_mismatch",
        "belongs to another sign-in",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_whose_state_is_not_this_browsers_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    site.provider.will_sign_in(Token::for_email(ADA));
    let (callback, _) = site.to_provider_and_back("/chart").await;
    let (_, other_state) = site.to_provider_and_back("/chart").await;
    let answer = site.get(&callback, Some(&other_state)).await;
    assert_refused(
        &site,
        &answer,
        "state_mismatch",
        "not started from this browser",
    )
    .await;
    let answer = site.get(&callback, None).await;
    assert_refused(
        &site,
        &answer,
        "state_mismatch",
        "not started from this browser",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_is_good_for_one_login_only() {
    let site = site_with_ada(TestDb::sqlite()).await;
    site.provider.will_sign_in(Token::for_email(ADA));
    let (callback, state) = site.to_provider_and_back("/chart").await;
    assert_signed_in_as_ada(&site, &site.get(&callback, Some(&state)).await).await;
    let again = site.get(&callback, Some(&state)).await;
    assert_refused(&site, &again, "unknown_state", "used already").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_the_provider_has_not_verified_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    for verified in [Some(false), None] {
        let token = Token {
            email_verified: verified,
            ..Token::for_email(ADA)
        };
        let answer = sign_in(&site, token).await;
        assert_refused(&site, &answer, "unverified_email", "verified").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_without_a_login_is_refused() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let answer = sign_in(&site, Token::for_email("stranger@example.com")).await;
    assert_refused(
        &site,
        &answer,
        "unknown_email",
        "No climb login has your email",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_has_left_is_refused() {
    let site = Site::start(TestDb::sqlite(), true).await;
    let id = site.person_with_login("Lee Left", "lee@example.com").await;
    let (status, body) = site
        .api(&format!("/api/v1/people/{id}/leave"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer = sign_in(&site, Token::for_email("lee@example.com")).await;
    assert_refused(&site, &answer, "person_left", "has left the company").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_offers_the_provider() {
    let site = site_with_ada(TestDb::sqlite()).await;
    let page = site
        .get(&format!("{}/login?next=/chart", site.base), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sign in with Test ID"), "{}", page.body);
    assert!(
        page.body.contains(r#"href="/login/oidc?next=%2Fchart""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"name="password""#),
        "password login is on"
    );
}

/// Logs in with a password through the page's form; the answer.
async fn password_login(site: &Site, email: &str, path: &str) -> Answer {
    let page = site.get(&format!("{}{path}", site.base), None).await;
    let csrf_cookie = page.cookie("climb_csrf").expect("a CSRF cookie");
    let csrf = csrf_cookie
        .split_once('=')
        .map(|(_, v)| v.to_owned())
        .expect("value");
    let response = site
        .client
        .post(format!("{}/login", site.base))
        .header(reqwest::header::COOKIE, &csrf_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("answered");
    let status = response.status();
    let cookies = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    Answer {
        status,
        location: String::new(),
        cookies,
        body: response.text().await.expect("body"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_password_login_off_only_administrators_log_in_with_a_password() {
    let site = Site::start(TestDb::sqlite(), false).await;
    site.person_with_login("Ada Lovelace", ADA).await;
    let page = site.get(&format!("{}/login", site.base), None).await;
    assert!(page.body.contains("Sign in with Test ID"));
    assert!(
        !page.body.contains(r#"name="password""#),
        "no password form"
    );
    assert!(
        page.body.contains(r#"href="/login?local=1""#),
        "the break-glass link"
    );
    let local = site
        .get(&format!("{}/login?local=1", site.base), None)
        .await;
    assert!(
        local.body.contains(r#"name="password""#),
        "the break-glass form"
    );

    let ada = password_login(&site, ADA, "/login?local=1").await;
    assert_eq!(ada.status, StatusCode::FORBIDDEN, "{}", ada.body);
    assert!(
        ada.body.contains("Password login is switched off"),
        "{}",
        ada.body
    );
    assert_eq!(ada.cookie("climb_session"), None);
    assert_eq!(
        site.refusals().await.last().map(String::as_str),
        Some("password_login_off")
    );

    let admin = password_login(&site, "admin@example.com", "/login?local=1").await;
    assert_eq!(admin.status, StatusCode::SEE_OTHER, "{}", admin.body);
    assert!(
        admin.cookie("climb_session").is_some(),
        "the administrator is in"
    );

    // Single sign-on still works for everyone.
    assert_signed_in_as_ada(&site, &sign_in(&site, Token::for_email(ADA)).await).await;
}
