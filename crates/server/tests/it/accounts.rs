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
