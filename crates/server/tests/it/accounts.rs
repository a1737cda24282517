//! Accounts: creating logins, logging in (session cookie and bearer), the
//! login rate limit, logging out, and personal API tokens.

use climb_people::ActorKind;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn a_login_sets_a_session_cookie_that_authenticates_like_a_token(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        let created = server
            .post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee", "password": "correct horse"}))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["email"], "ada.lovelace@example.com");
        let twice = server.post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee"})).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        let login = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})))
            .await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        let cookie = login.headers["set-cookie"].to_str().expect("ascii").to_owned();
        assert!(cookie.starts_with("climb_session=climbs_"), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
        let session = login.body["token"].as_str().expect("token").to_owned();
        assert_eq!(login.body["account"]["person"], ada);

        let pair = cookie.split(';').next().expect("pair").to_owned();
        let by_cookie = server.client.get(server.url("/api/v1/me")).header("cookie", &pair).send().await.expect("answered");
        assert_eq!(by_cookie.status(), StatusCode::OK);
        let by_bearer = server.get(&session, "/api/v1/me").await;
        assert_eq!(by_bearer.body["kind"], "employee");

        let cross_site = server
            .client
            .post(server.url("/api/v1/tokens"))
            .header("cookie", &pair)
            .header("origin", "https://evil.example")
            .json(&json!({"name": "x"}))
            .send()
            .await
            .expect("answered");
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
        let host = server.base.trim_start_matches("http://").to_owned();
        let origin_of = |scheme: &str| format!("{scheme}://{host}");
        for (scheme, expected) in [("https", StatusCode::FORBIDDEN), ("http", StatusCode::CREATED)] {
            let answer = server
                .client
                .post(server.url("/api/v1/tokens"))
                .header("cookie", &pair)
                .header("origin", origin_of(scheme))
                .json(&json!({"name": format!("from {scheme}")}))
                .send()
                .await
                .expect("answered");
            assert_eq!(answer.status(), expected, "Origin {scheme}:// on a plain HTTP server");
        }

        let behind_tls = server
            .client
            .post(server.url("/api/v1/login"))
            .header("x-forwarded-proto", "https")
            .json(&json!({"email": "ada.lovelace@example.com", "password": "correct horse"}))
            .send()
            .await
            .expect("answered");
        let secure = behind_tls.headers()["set-cookie"].to_str().expect("ascii").to_owned();
        assert!(secure.contains("; Secure"), "{secure}");

        let out = server.send(Method::POST, Some(&session), "/api/v1/logout", None).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(server.get(&session, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn one_address_spraying_passwords_over_many_accounts_is_stopped(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        server
            .post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee", "password": "correct horse"}))
            .await;
        let attempt = |email: String| {
            let server = &server;
            async move {
                server
                    .send(Method::POST, None, "/api/v1/login", Some(json!({"email": email, "password": "Summer2026!"})))
                    .await
            }
        };
        let mut refused_at = None;
        for n in 0..60 {
            let answer = attempt(format!("person{n}@example.com")).await;
            if answer.status == StatusCode::TOO_MANY_REQUESTS {
                refused_at = Some(n);
                assert_eq!(answer.code(), "too_many_attempts");
                let wait: u64 = answer.headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After seconds");
                assert!((1..=900).contains(&wait), "{wait}");
                break;
            }
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(refused_at, Some(climb_server::auth::ADDRESS_FAILURES), "the address is stopped after its allowance");
        // Even a right password from that address waits, and a real account
        // is told exactly what an unknown email is.
        let real = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})))
            .await;
        let unknown = attempt("nobody@example.com".to_owned()).await;
        assert_eq!(real.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(unknown.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(real.body["error"]["message"], unknown.body["error"]["message"]);
    }
}

both_backends! {
    async fn ten_failed_logins_lock_the_email_out_with_429(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        server
            .post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee", "password": "correct horse"}))
            .await;
        for _ in 0..10 {
            let wrong = server
                .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "wrong"})))
                .await;
            assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        }
        let locked = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})))
            .await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(locked.code(), "too_many_attempts");
        assert!(locked.headers.get("retry-after").is_some());
        let nobody = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "nobody@example.com", "password": "whatever1"})))
            .await;
        assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn personal_tokens_are_shown_once_listed_and_revoked_at_once(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        let bob = server.hire("Bob Other", "software-engineer", None).await;
        let ada_token = server.token_for(ada, ActorKind::Employee).await;
        let bob_token = server.token_for(bob, ActorKind::Employee).await;
        let created = server.post(&ada_token, "/api/v1/tokens", json!({"name": "script"})).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let secret = created.body["token"].as_str().expect("secret").to_owned();
        assert!(secret.starts_with("climb_"));
        let id = created.body["id"].as_i64().expect("id");
        let listed = server.get(&ada_token, "/api/v1/tokens").await;
        let names: Vec<_> = listed.body["tokens"].as_array().expect("tokens").iter().map(|t| t["name"].clone()).collect();
        assert_eq!(names, vec![json!("test"), json!("script")]);
        assert!(listed.body["tokens"][1].get("token").is_none(), "the secret is never listed");
        assert_eq!(server.get(&secret, "/api/v1/me").await.status, StatusCode::OK);
        let not_yours = server.delete(&bob_token, &format!("/api/v1/tokens/{id}")).await;
        assert_eq!(not_yours.status, StatusCode::NOT_FOUND);
        let revoked = server.delete(&ada_token, &format!("/api/v1/tokens/{id}")).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT);
        assert_eq!(server.get(&secret, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
        let blank = server.post(&ada_token, "/api/v1/tokens", json!({"name": ""})).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    }
}

both_backends! {
    async fn an_administrator_lists_promotes_resets_and_disables_accounts(server) {
        let boss = server.hire("Bo Boss", "engineering-manager", None).await;
        let ada = server.hire("Ada Lovelace", "software-engineer", Some(boss)).await;
        let created = server
            .post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee", "password": "correct horse"}))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().expect("id");
        let boss_token = server.token_for(boss, ActorKind::Employee).await;
        let login = |password: &'static str| {
            let server = &server;
            async move {
                server
                    .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": password})))
                    .await
            }
        };
        let session = login("correct horse").await;
        assert_eq!(session.status, StatusCode::OK, "{}", session.body);
        let session = session.body["token"].as_str().expect("session").to_owned();

        let list = server.get(&server.admin, "/api/v1/accounts").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let accounts = list.body["accounts"].as_array().expect("accounts");
        assert_eq!(accounts.len(), 3, "{}", list.body);
        let ada_row = accounts.iter().find(|a| a["id"] == id).expect("Ada listed");
        assert_eq!(ada_row["kind"], "employee");
        assert_eq!(ada_row["has_password"], true);
        assert_eq!(ada_row["disabled"], false);
        assert!(ada_row["last_login"].is_string(), "{ada_row}");
        assert_eq!(ada_row["tokens"], 0);
        let boss_row = accounts.iter().find(|a| a["person"] == boss).expect("Bo listed");
        assert_eq!(boss_row["direct_reports"], 1);
        assert_eq!(boss_row["tokens"], 1);
        let page = server.get(&server.admin, "/api/v1/accounts?limit=2").await;
        assert_eq!(page.body["accounts"].as_array().map(Vec::len), Some(2));
        let cursor = page.body["next_cursor"].as_str().expect("a next page").to_owned();
        let rest = server.get(&server.admin, &format!("/api/v1/accounts?limit=2&cursor={cursor}")).await;
        assert_eq!(rest.body["accounts"].as_array().map(Vec::len), Some(1));

        // HR: the session sees HR-only records at once.
        let hr = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"kind": "hr"}))).await;
        assert_eq!(hr.status, StatusCode::OK, "{}", hr.body);
        assert_eq!(hr.body["kind"], "hr");
        let me = server.get(&session, "/api/v1/me").await;
        assert_eq!(me.body["kind"], "hr", "{}", me.body);

        // A new password replaces the old one.
        let reset = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"password": "battery staple"}))).await;
        assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
        assert_eq!(login("correct horse").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(login("battery staple").await.status, StatusCode::OK);

        // Disabled: no login, the session stops working at once; enabled again.
        let off = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"disabled": true}))).await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
        assert_eq!(off.body["disabled"], true);
        assert_eq!(server.get(&session, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(login("battery staple").await.status, StatusCode::UNAUTHORIZED);
        let on = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"disabled": false}))).await;
        assert_eq!(on.body["disabled"], false);
        assert_eq!(login("battery staple").await.status, StatusCode::OK);

        // Refusals.
        let weak = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"password": "short"}))).await;
        assert_eq!(weak.code(), "weak_password");
        let empty = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({}))).await;
        assert_eq!(empty.code(), "nothing_to_change");
        let unknown_field = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{id}"), Some(json!({"role": "admin"}))).await;
        assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
        let missing = server.send(Method::PATCH, Some(&server.admin), "/api/v1/accounts/999999", Some(json!({"kind": "hr"}))).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.code(), "unknown_account");
        let me = server.get(&server.admin, "/api/v1/me").await;
        let own = me.body["id"].as_i64().expect("own id");
        let demote = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{own}"), Some(json!({"kind": "employee"}))).await;
        assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(demote.code(), "own_account");
        let by_manager = server.send(Method::PATCH, Some(&boss_token), &format!("/api/v1/accounts/{id}"), Some(json!({"kind": "admin"}))).await;
        assert_eq!(by_manager.status, StatusCode::FORBIDDEN);

        // Every change is in the account events, without the password.
        let events = server.store.account_events(climb_store::AccountId(id)).await.expect("events");
        let actions: Vec<&str> = events.iter().map(|(a, _)| a.as_str()).collect();
        for action in ["account.created", "account.kind_changed", "account.password_set", "account.disabled", "account.enabled"] {
            assert!(actions.contains(&action), "{actions:?}");
        }
        let text = format!("{events:?}");
        assert!(!text.contains("battery"), "{text}");
        let kind_changed = events.iter().find(|(a, _)| a == "account.kind_changed").expect("kind event");
        assert_eq!(kind_changed.1, json!({"from": "employee", "to": "hr"}));
    }
}

both_backends! {
    async fn a_login_ends_the_session_the_client_came_with(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        server
            .post(&server.admin, "/api/v1/accounts", json!({"person": ada, "kind": "employee", "password": "correct horse"}))
            .await;
        let login = |cookie: Option<String>| {
            let server = &server;
            async move {
                let mut request = server
                    .client
                    .post(server.url("/api/v1/login"))
                    .json(&json!({"email": "ada.lovelace@example.com", "password": "correct horse"}));
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                let answer = request.send().await.expect("answered");
                assert_eq!(answer.status(), StatusCode::OK);
                let body: serde_json::Value = answer.json().await.expect("json");
                body["token"].as_str().expect("session").to_owned()
            }
        };
        let first = login(None).await;
        assert_eq!(server.get(&first, "/api/v1/me").await.status, StatusCode::OK);
        let second = login(Some(format!("climb_session={first}"))).await;
        assert_ne!(first, second, "a new id at every login");
        assert_eq!(server.get(&first, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(server.get(&second, "/api/v1/me").await.status, StatusCode::OK);
        let unrelated = login(None).await;
        assert_eq!(server.get(&second, "/api/v1/me").await.status, StatusCode::OK, "other sessions stay");
        assert_eq!(server.get(&unrelated, "/api/v1/me").await.status, StatusCode::OK);
    }
}

/// Seconds, for session limits short enough to test.
fn secs(n: u64) -> std::time::Duration {
    std::time::Duration::from_secs(n)
}

async fn login_session(server: &crate::harness::TestServer) -> String {
    let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
    let created = server
        .post(
            &server.admin,
            "/api/v1/accounts",
            json!({"person": ada, "kind": "employee", "password": "correct horse"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let login = server
        .send(
            Method::POST,
            None,
            "/api/v1/login",
            Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    login.body["token"].as_str().expect("token").to_owned()
}

both_backends! {
    async fn an_unused_session_ends_after_the_idle_limit_and_use_keeps_it(server)
    with_sessions(climb_server::auth::SessionLimits { idle: secs(4), absolute: secs(60) })
    {
        let session = login_session(&server).await;
        // Used every second for 6 s, past the idle limit: it lives on. Each
        // use comes well inside the limit even on a loaded machine.
        for _ in 0..6 {
            assert_eq!(server.get(&session, "/api/v1/me").await.status, StatusCode::OK);
            tokio::time::sleep(secs(1)).await;
        }
        // Then left alone past the limit: gone.
        tokio::time::sleep(std::time::Duration::from_millis(4300)).await;
        let idle = server.get(&session, "/api/v1/me").await;
        assert_eq!(idle.status, StatusCode::UNAUTHORIZED, "{}", idle.body);
    }
}

both_backends! {
    async fn a_session_ends_at_the_absolute_limit_however_much_it_is_used(server)
    with_sessions(climb_server::auth::SessionLimits { idle: secs(60), absolute: secs(6) })
    {
        let before_login = std::time::Instant::now();
        let session = login_session(&server).await;
        let after_login = std::time::Instant::now();
        let login = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})))
            .await;
        let cookie = login.headers["set-cookie"].to_str().expect("ascii").to_owned();
        assert!(cookie.contains("Max-Age=6"), "the cookie lasts as long: {cookie}");
        // Used while it is surely young: the clock runs from before the
        // login, so a slow machine shortens this loop rather than failing it.
        let mut uses = 0;
        while uses == 0 || before_login.elapsed() < secs(4) {
            assert_eq!(server.get(&session, "/api/v1/me").await.status, StatusCode::OK);
            uses += 1;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        // Then refused once it is surely past its limit, however recently used.
        let past_the_limit = after_login + std::time::Duration::from_millis(6300);
        tokio::time::sleep(past_the_limit.saturating_duration_since(std::time::Instant::now())).await;
        assert_eq!(server.get(&session, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    }
}
