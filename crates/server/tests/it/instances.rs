//! Several instances on one database: access taken away on one (a logout,
//! a revoked token, a disabled account, a demotion) holds on the others
//! from their very next request, whatever they remembered.

use climb_people::ActorKind;
use climb_store::Backend;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{TestServer, both_backends};

/// SQLite instances catch up at most every 250 ms (other processes rarely
/// write there); PostgreSQL ones before every request, so no wait at all.
async fn let_other_instances_see(server: &TestServer) {
    if server.store.backend() == Backend::Sqlite {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

async fn account_id(server: &TestServer, token: &str) -> i64 {
    let me = server.get(token, "/api/v1/me").await;
    me.body["id"].as_i64().expect("account id")
}

both_backends! {
    async fn access_taken_away_on_one_instance_is_gone_on_the_other(server) {
        let other = server.second_instance().await;
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        let bob = server.hire("Bob Stone", "software-engineer", None).await;
        let hire = || Some(json!({"name": "Cy New", "email": "cy@example.com", "role": "software-engineer", "start_date": "2024-02-01"}));

        // A demoted administrator can no longer hire through the other instance.
        let ada_token = server.token_for(ada, ActorKind::Admin).await;
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::GET, &ada_token, "/api/v1/accounts", None).await, StatusCode::OK);
        let ada_account = account_id(&server, &ada_token).await;
        let demoted = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{ada_account}"), Some(json!({"kind": "employee"}))).await;
        assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::POST, &ada_token, "/api/v1/people", hire()).await, StatusCode::FORBIDDEN);
        assert_eq!(server.post(&ada_token, "/api/v1/people", hire().expect("body")).await.status, StatusCode::FORBIDDEN);

        // A revoked token.
        let created = server.post(&ada_token, "/api/v1/tokens", json!({"name": "script"})).await;
        let secret = created.body["token"].as_str().expect("secret").to_owned();
        let token_id = created.body["id"].as_i64().expect("token id");
        assert_eq!(other.status(Method::GET, &secret, "/api/v1/me", None).await, StatusCode::OK);
        let revoked = server.delete(&ada_token, &format!("/api/v1/tokens/{token_id}")).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::GET, &secret, "/api/v1/me", None).await, StatusCode::UNAUTHORIZED);

        // A session logged out.
        let password = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{ada_account}"), Some(json!({"password": "correct horse"}))).await;
        assert_eq!(password.status, StatusCode::OK, "{}", password.body);
        let login = server
            .send(Method::POST, None, "/api/v1/login", Some(json!({"email": "ada.lovelace@example.com", "password": "correct horse"})))
            .await;
        let session = login.body["token"].as_str().expect("session").to_owned();
        assert_eq!(other.status(Method::GET, &session, "/api/v1/me", None).await, StatusCode::OK);
        let out = server.send(Method::POST, Some(&session), "/api/v1/logout", None).await;
        assert!(out.status.is_success(), "{}", out.status);
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::GET, &session, "/api/v1/me", None).await, StatusCode::UNAUTHORIZED);

        // A disabled account.
        let bob_token = server.token_for(bob, ActorKind::Employee).await;
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::GET, &bob_token, "/api/v1/me", None).await, StatusCode::OK);
        let bob_account = account_id(&server, &bob_token).await;
        let off = server.send(Method::PATCH, Some(&server.admin), &format!("/api/v1/accounts/{bob_account}"), Some(json!({"disabled": true}))).await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.body);
        let_other_instances_see(&server).await;
        assert_eq!(other.status(Method::GET, &bob_token, "/api/v1/me", None).await, StatusCode::UNAUTHORIZED);
    }
}
