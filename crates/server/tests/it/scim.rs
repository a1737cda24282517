//! SCIM provisioning: the Okta and Entra request sequences of
//! `tests/fixtures/scim` replayed over a socket, who may reach `/scim/v2`,
//! and what a SCIM change leaves in the audit log and the logins.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use climb_people::ActorKind;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestServer, both_backends};

const SCIM_JSON: &str = "application/scim+json";

/// A SCIM token for a new connection named `name`.
async fn scim_token(server: &TestServer, name: &str) -> String {
    climb_server::scim::create_token(&server.store, name)
        .await
        .expect("token issued")
        .1
}

/// Sends a SCIM request; answers the status, headers and JSON body.
async fn scim(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(String, String)],
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = server
        .client
        .request(method, server.url(path))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(body) = body {
        request = request
            .header("content-type", SCIM_JSON)
            .body(body.to_string());
    }
    let response = request.send().await.expect("answered");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// `text` with every `{{name}}` replaced by its saved value.
fn fill(text: &str, saved: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in saved {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

fn fill_value(value: &Value, saved: &HashMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(fill(s, saved)),
        Value::Array(items) => items.iter().map(|v| fill_value(v, saved)).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), fill_value(v, saved)))
            .collect(),
        other => other.clone(),
    }
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scim");
    let mut files = Vec::new();
    for provider in ["okta", "entra"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(provider))
            .expect("fixture folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        assert!(!found.is_empty(), "no {provider} fixtures");
        files.extend(found);
    }
    files
}

/// Replays one fixture against a fresh company; panics naming the step
/// that went otherwise.
async fn replay(server: &TestServer, file: &Path) {
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("readable")).expect("JSON");
    let token = scim_token(server, "fixture").await;
    let mut saved: HashMap<String, String> = HashMap::new();
    let steps = fixture["steps"].as_array().expect("steps");
    for (n, step) in steps.iter().enumerate() {
        let at = format!("{} step {}", file.display(), n + 1);
        let method = Method::from_bytes(step["method"].as_str().expect("method").as_bytes())
            .expect("a method");
        let path = fill(step["path"].as_str().expect("path"), &saved);
        let body = step.get("body").map(|b| fill_value(b, &saved));
        let headers: Vec<(String, String)> = step["headers"]
            .as_object()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), fill(v.as_str().unwrap_or(""), &saved)))
                    .collect()
            })
            .unwrap_or_default();
        let (status, answer_headers, answer) =
            scim(server, &token, method, &path, body.as_ref(), &headers).await;
        let wanted = step["status"].as_u64().expect("status");
        assert_eq!(u64::from(status.as_u16()), wanted, "{at}: {answer}");
        if status != StatusCode::NO_CONTENT {
            let content_type = answer_headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert_eq!(content_type, SCIM_JSON, "{at}");
        }
        if let Some(expect) = step["expect"].as_object() {
            for (pointer, value) in expect {
                let wanted = fill_value(value, &saved);
                let found = answer
                    .pointer(&pointer.replace('~', "~0"))
                    .cloned()
                    .unwrap_or(Value::Null);
                assert_eq!(found, wanted, "{at}: {pointer} in {answer}");
            }
        }
        if let Some(save) = step["save"].as_object() {
            for (name, pointer) in save {
                let pointer = pointer.as_str().expect("pointer");
                let value = if pointer == "etag" {
                    answer_headers
                        .get("etag")
                        .and_then(|v| v.to_str().ok())
                        .expect("an ETag")
                        .to_owned()
                } else {
                    match answer.pointer(pointer) {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => panic!("{at}: nothing at {pointer} in {answer}"),
                    }
                };
                saved.insert(name.clone(), value);
            }
        }
    }
}

both_backends! {
    async fn every_okta_and_entra_fixture_replays_as_written(server) {
        let files = fixtures();
        for file in &files {
            // Each sequence starts from an empty company: the people of one
            // are let go and deleted before the next.
            replay(&server, file).await;
            let token = scim_token(&server, "cleanup").await;
            let (_, _, all) = scim(&server, &token, Method::GET, "/scim/v2/Users", None, &[]).await;
            // Leaves first those who manage nobody, until nobody is left.
            let mut ids: Vec<String> = all["Resources"].as_array().expect("list").iter()
                .filter_map(|u| u["id"].as_str().map(str::to_owned)).collect();
            for _ in 0..5 {
                let mut left = Vec::new();
                for id in &ids {
                    let (status, _, _) = scim(&server, &token, Method::DELETE, &format!("/scim/v2/Users/{id}"), None, &[]).await;
                    if status != StatusCode::NO_CONTENT {
                        left.push(id.clone());
                    }
                }
                ids = left;
            }
            assert!(ids.is_empty(), "could not clean up after {}", file.display());
        }
    }
}

both_backends! {
    async fn only_a_scim_token_reaches_scim_and_it_reaches_nothing_else(server) {
        let token = scim_token(&server, "Okta").await;
        let (status, _, body) = scim(&server, &server.admin, Method::GET, "/scim/v2/Users", None, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["status"], "401");
        let api = server.get(&token, "/api/v1/people").await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        let (status, _, _) = scim(&server, &token, Method::GET, "/scim/v2/Users", None, &[]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, _) = scim(&server, "", Method::GET, "/scim/v2/Schemas", None, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn a_revoked_scim_token_is_refused_at_once(server) {
        let (issued, secret) = climb_server::scim::create_token(&server.store, "Entra").await.expect("issued");
        let (status, _, _) = scim(&server, &secret, Method::GET, "/scim/v2/Users", None, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(server.store.revoke_scim_token(issued.id).await.expect("revokes"));
        let (status, _, _) = scim(&server, &secret, Method::GET, "/scim/v2/Users", None, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let listed = server.store.scim_tokens().await.expect("listed");
        assert!(listed[0].last_used_at.is_some() && listed[0].revoked_at.is_some());
    }
}

both_backends! {
    async fn a_scim_deactivation_ends_the_person_s_logins_and_is_audited_as_the_connection(server) {
        let token = scim_token(&server, "Okta").await;
        let user = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ada@example.com", "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "title": "Software Engineer"
        });
        let (status, _, created) = scim(&server, &token, Method::POST, "/scim/v2/Users", Some(&user), &[]).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id: i64 = created["id"].as_str().expect("id").parse().expect("number");
        let login = server.token_for(id, ActorKind::Employee).await;
        assert_eq!(server.get(&login, "/api/v1/people").await.status, StatusCode::OK);
        let off = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
        let (status, _, body) = scim(&server, &token, Method::PATCH, &format!("/scim/v2/Users/{id}"), Some(&off), &[]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(server.get(&login, "/api/v1/people").await.status, StatusCode::UNAUTHORIZED);
        let audit = server.get(&server.admin, &format!("/api/v1/audit?person={id}")).await;
        let events = audit.body["events"].as_array().expect("events");
        assert!(events.len() >= 2, "{}", audit.body);
        for event in events {
            assert_eq!(event["actor"]["kind"], "scim", "{event}");
            assert_eq!(event["actor"]["scim_connection"], "Okta", "{event}");
        }
    }
}
