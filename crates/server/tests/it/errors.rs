//! Bad input never hurts: every error is in the SPEC shape with the right
//! status, whatever a client sends.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn requests_without_a_token_or_with_a_bad_one_are_unauthorized(server) {
        let none = server.send(Method::GET, None, "/api/v1/people", None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.code(), "unauthorized");
        let bad = server.get("climb_not-a-real-token", "/api/v1/people").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        let garbage = server.get("garbage", "/api/v1/people").await;
        assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
        let basic = server
            .client
            .get(server.url("/api/v1/people"))
            .header("authorization", "Basic dXNlcjpwYXNz")
            .send()
            .await
            .expect("answered");
        assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn malformed_json_is_a_400_with_its_line_and_column(server) {
        let answer = server
            .client
            .post(server.url("/api/v1/people"))
            .bearer_auth(&server.admin)
            .header("content-type", "application/json")
            .body("{\n  \"name\": \"Ada\",,\n}")
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = answer.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_json");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("line 2 column"), "{message}");
    }
}

both_backends! {
    async fn a_wrong_type_or_an_unknown_field_is_a_400_naming_the_field(server) {
        let wrong = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Ada", "email": "ada@example.com", "role": "software-engineer", "manager": "boss"}))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body["error"]["message"].as_str().unwrap_or_default().contains("manager"), "{}", wrong.body);
        let unknown = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Ada", "email": "ada@example.com", "role": "software-engineer", "salary": 1}))
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert!(unknown.body["error"]["message"].as_str().unwrap_or_default().contains("salary"), "{}", unknown.body);
        let missing = server.post(&server.admin, "/api/v1/people", json!({"name": "Ada"})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(missing.body["error"]["message"].as_str().unwrap_or_default().contains("email"), "{}", missing.body);
    }
}

both_backends! {
    async fn an_array_in_place_of_an_object_is_a_400_and_changes_nothing(server) {
        let hired = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Ada", "email": "ada@example.com", "role": "software-engineer"}))
            .await;
        assert_eq!(hired.status, StatusCode::CREATED, "{}", hired.body);
        let id = hired.body["id"].as_i64().expect("an id");
        for (path, body) in [
            (format!("/api/v1/people/{id}/leave"), "[null, null]"),
            ("/api/v1/projects".to_owned(), "[\"Apollo\"]"),
        ] {
            let answer = server
                .client
                .post(server.url(&path))
                .bearer_auth(&server.admin)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("answered");
            assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{path}");
            let error: serde_json::Value = answer.json().await.expect("json");
            assert_eq!(error["error"]["code"], "invalid_body", "{path}");
        }
        let person = server.get(&server.admin, &format!("/api/v1/people/{id}")).await;
        assert_eq!(person.body["status"], "active", "{}", person.body);
    }
}

both_backends! {
    async fn a_body_over_one_mebibyte_is_a_413_in_the_error_shape(server) {
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(1 << 20));
        let answer = server
            .client
            .post(server.url("/api/v1/projects"))
            .bearer_auth(&server.admin)
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body: serde_json::Value = answer.json().await.expect("json");
        assert_eq!(body["error"]["code"], "payload_too_large");
    }
}

both_backends! {
    async fn unknown_routes_methods_and_ids_answer_in_the_error_shape(server) {
        let route = server.get(&server.admin, "/api/v1/nowhere").await;
        assert_eq!(route.status, StatusCode::NOT_FOUND);
        assert_eq!(route.code(), "not_found");
        let method = server.delete(&server.admin, "/api/v1/people").await;
        assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(method.code(), "method_not_allowed");
        let id = server.get(&server.admin, "/api/v1/people/999999").await;
        assert_eq!(id.status, StatusCode::NOT_FOUND);
        assert_eq!(id.code(), "unknown_person");
        let malformed = server.get(&server.admin, "/api/v1/people/abc").await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.code(), "invalid_path");
        let huge = server.get(&server.admin, "/api/v1/people/99999999999999999999999").await;
        assert_eq!(huge.status, StatusCode::BAD_REQUEST);
    }
}

both_backends! {
    async fn bad_query_strings_and_content_types_are_400s(server) {
        for path in [
            "/api/v1/people?limit=0",
            "/api/v1/people?limit=501",
            "/api/v1/people?limit=abc",
            "/api/v1/people?cursor=%21%21",
            "/api/v1/people?colour=blue",
            "/api/v1/people?manager=x",
            "/api/v1/paths?from=software-engineer",
        ] {
            let answer = server.get(&server.admin, path).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}: {}", answer.body);
        }
        let text = server
            .client
            .post(server.url("/api/v1/projects"))
            .bearer_auth(&server.admin)
            .header("content-type", "text/plain")
            .body("{\"name\": \"x\"}")
            .send()
            .await
            .expect("answered");
        assert_eq!(text.status(), StatusCode::BAD_REQUEST);
    }
}

both_backends! {
    async fn every_answer_carries_a_request_id(server) {
        let answer = server.get(&server.admin, "/api/v1/me").await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.headers.get("x-request-id").is_some());
        let error = server.get(&server.admin, "/api/v1/nowhere").await;
        assert!(error.headers.get("x-request-id").is_some());
    }
}

both_backends! {
    async fn overlong_or_nul_text_is_a_400_naming_the_field_and_stores_nothing(server) {
        let em = server.hire("Emma", "engineering-manager", None).await;
        let ada = server.hire("Ada", "software-engineer", Some(em)).await;
        let path = format!("/api/v1/people/{ada}/role-changes");
        let long_note = "n".repeat(climb_people::MAX_NOTE_CHARS + 1);
        let refused = server
            .post(&server.admin, &path, json!({"to_role": "senior-software-engineer", "reason": long_note}))
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(refused.code(), "text_too_long");
        let message = refused.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("the note is at most 4000 characters; this one has 4001"), "{message}");
        let nul = server
            .post(&server.admin, &path, json!({"to_role": "senior-software-engineer", "reason": "a\u{0}b"}))
            .await;
        assert_eq!(nul.status, StatusCode::BAD_REQUEST, "{}", nul.body);
        assert_eq!(nul.code(), "invalid_text");
        let person = server.get(&server.admin, &format!("/api/v1/people/{ada}")).await;
        assert_eq!(person.body["role"], "software-engineer", "nothing changed: {}", person.body);

        let em_token = server.token_for(em, climb_people::ActorKind::Employee).await;
        let fw = climb_framework::builtin();
        let mut evidence = serde_json::Map::new();
        for e in &fw.role("senior-software-engineer").expect("role").expectations {
            evidence.insert(e.competency.to_string(), json!("shipped"));
        }
        let first = evidence.keys().next().cloned().expect("a competency");
        evidence.insert(first.clone(), json!("e".repeat(4001)));
        let drafted = server
            .post(&em_token, &format!("/api/v1/people/{ada}/promotion-proposals"), json!({
                "to_role": "senior-software-engineer", "evidence": evidence
            }))
            .await;
        assert_eq!(drafted.status, StatusCode::BAD_REQUEST, "{}", drafted.body);
        assert_eq!(drafted.code(), "text_too_long");
        let message = drafted.body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("the evidence for `{first}`")), "{message}");
        let listed = server.get(&em_token, &format!("/api/v1/people/{ada}/promotion-proposals")).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        assert!(!listed.body.to_string().contains("eeeeeeeeee"), "no proposal was stored: {}", listed.body);
    }
}
