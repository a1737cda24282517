//! People: hiring, the directory with filters and pages, one person with
//! history, role changes, manager changes and leaving, with the SPEC's
//! error codes.

use climb_people::ActorKind;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn a_hire_answers_201_with_the_person_and_a_duplicate_email_409(server) {
        let boss = server.hire("Grace Hopper", "engineering-manager", None).await;
        let answer = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Ada Lovelace", "email": "Ada@Example.com", "role": "software-engineer", "manager": boss}))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert_eq!(answer.body["email"], "ada@example.com");
        assert_eq!(answer.body["status"], "active");
        assert_eq!(answer.body["role"], "software-engineer");
        assert_eq!(answer.body["manager"], boss);
        assert_eq!(answer.body["reports"], json!([]));
        assert_eq!(answer.body["history"][0]["reason"], "hire");
        let again = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Ada Two", "email": "ada@example.com", "role": "software-engineer"}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.code(), "email_taken");
        let bad_email = server
            .post(&server.admin, "/api/v1/people", json!({"name": "X", "email": "nope", "role": "software-engineer"}))
            .await;
        assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad_email.code(), "invalid_email");
        let unknown_role = server
            .post(&server.admin, "/api/v1/people", json!({"name": "X", "email": "x@example.com", "role": "wizard"}))
            .await;
        assert_eq!(unknown_role.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown_role.code(), "unknown_role");
        let ic_manager = server
            .post(&server.admin, "/api/v1/people", json!({"name": "Y", "email": "y@example.com", "role": "software-engineer", "manager": answer.body["id"]}))
            .await;
        assert_eq!(ic_manager.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ic_manager.code(), "manager_cannot_have_reports");
    }
}

both_backends! {
    async fn the_directory_filters_and_pages_by_id(server) {
        let boss = server.hire("Grace Hopper", "engineering-manager", None).await;
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(server.hire(&format!("Engineer {i}"), "software-engineer", Some(boss)).await);
        }
        let architect = server.hire("Ann Architect", "architect", None).await;
        let first = server.get(&server.admin, "/api/v1/people?limit=3").await;
        assert_eq!(first.status, StatusCode::OK);
        let page: Vec<i64> = first.body["people"].as_array().expect("people").iter().map(|p| p["id"].as_i64().expect("id")).collect();
        assert_eq!(page, vec![boss, ids[0], ids[1]]);
        let cursor = first.body["next_cursor"].as_str().expect("a next page").to_owned();
        let second = server.get(&server.admin, &format!("/api/v1/people?limit=3&cursor={cursor}")).await;
        let page: Vec<i64> = second.body["people"].as_array().expect("people").iter().map(|p| p["id"].as_i64().expect("id")).collect();
        assert_eq!(page, vec![ids[2], ids[3], ids[4]]);

        let q = server.get(&server.admin, "/api/v1/people?q=ENGINEER%203").await;
        assert_eq!(q.body["people"].as_array().map(Vec::len), Some(1));
        assert_eq!(q.body["next_cursor"], serde_json::Value::Null);
        let by_role = server.get(&server.admin, "/api/v1/people?role=architect").await;
        assert_eq!(by_role.body["people"][0]["id"], architect);
        let by_stream = server.get(&server.admin, "/api/v1/people?stream=management").await;
        assert_eq!(by_stream.body["people"][0]["id"], boss);
        assert_eq!(by_stream.body["people"].as_array().map(Vec::len), Some(1));
        let reports = server.get(&server.admin, &format!("/api/v1/people?manager={boss}&limit=500")).await;
        assert_eq!(reports.body["people"].as_array().map(Vec::len), Some(7));
        let holders = server.get(&server.admin, "/api/v1/roles/software-engineer/people?limit=2").await;
        assert_eq!(holders.body["people"].as_array().map(Vec::len), Some(2));
        assert!(holders.body["next_cursor"].is_string());
    }
}

both_backends! {
    async fn role_changes_follow_the_framework_or_are_refused_with_its_codes(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        let path = format!("/api/v1/people/{ada}/role-changes");
        let promoted = server
            .post(&server.admin, &path, json!({"to_role": "senior-software-engineer", "effective_date": "2025-01-01"}))
            .await;
        assert_eq!(promoted.status, StatusCode::CREATED, "{}", promoted.body);
        assert_eq!(promoted.body["role"], "senior-software-engineer");
        assert_eq!(promoted.body["history"][1]["reason"], "promotion");
        let jump = server.post(&server.admin, &path, json!({"to_role": "vp-engineering"})).await;
        assert_eq!(jump.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(jump.code(), "no_such_transition");
        let cto = server.post(&server.admin, &path, json!({"to_role": "cto"})).await;
        assert_eq!(cto.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(cto.code(), "hire_only_role");
        let correction = server
            .post(&server.admin, &path, json!({"to_role": "principal-software-engineer", "correction": true, "reason": "mis-entered at import"}))
            .await;
        assert_eq!(correction.status, StatusCode::CREATED, "{}", correction.body);
        assert_eq!(correction.body["history"][2]["reason"], "correction");
        let unknown = server.post(&server.admin, "/api/v1/people/424242/role-changes", json!({"to_role": "staff-engineer"})).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn manager_changes_refuse_ics_as_managers_and_cycles(server) {
        let director = server.hire("Dana Director", "director-of-engineering", None).await;
        let manager = server.hire("Max Manager", "engineering-manager", Some(director)).await;
        let ic = server.hire("Ivy Engineer", "software-engineer", None).await;
        let set = server.put(&server.admin, &format!("/api/v1/people/{ic}/manager"), json!({"manager": manager})).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        assert_eq!(set.body["manager"], manager);
        let ic_boss = server.put(&server.admin, &format!("/api/v1/people/{director}/manager"), json!({"manager": ic})).await;
        assert_eq!(ic_boss.code(), "manager_cannot_have_reports");
        let cycle = server.put(&server.admin, &format!("/api/v1/people/{director}/manager"), json!({"manager": manager})).await;
        assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(cycle.code(), "reporting_cycle");
        let cleared = server.put(&server.admin, &format!("/api/v1/people/{ic}/manager"), json!({"manager": null})).await;
        assert_eq!(cleared.status, StatusCode::OK);
        assert_eq!(cleared.body["manager"], serde_json::Value::Null);
        let missing = server.put(&server.admin, &format!("/api/v1/people/{ic}/manager"), json!({})).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(missing.body["error"]["message"].as_str().unwrap_or_default().contains("manager"));
    }
}

both_backends! {
    async fn a_person_who_leaves_loses_their_login_at_once(server) {
        let manager = server.hire("Max Manager", "engineering-manager", None).await;
        let ada = server.hire("Ada Lovelace", "software-engineer", Some(manager)).await;
        let token = server.token_for(ada, ActorKind::Employee).await;
        assert_eq!(server.get(&token, "/api/v1/me").await.status, StatusCode::OK);
        let blocked = server.post(&server.admin, &format!("/api/v1/people/{manager}/leave"), json!({})).await;
        assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(blocked.code(), "has_reports");
        let left = server.post(&server.admin, &format!("/api/v1/people/{ada}/leave"), json!({"date": "2026-01-31"})).await;
        assert_eq!(left.status, StatusCode::OK, "{}", left.body);
        assert_eq!(left.body["status"], "left");
        assert_eq!(left.body["end_date"], "2026-01-31");
        let after = server.get(&token, "/api/v1/me").await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        let listed = server.get(&server.admin, "/api/v1/people?status=left").await;
        assert_eq!(listed.body["people"][0]["id"], ada);
    }
}

both_backends! {
    async fn the_org_summary_counts_everyone_below_a_person(server) {
        let director = server.hire("Dana Director", "director-of-engineering", None).await;
        let manager = server.hire("Max Manager", "engineering-manager", Some(director)).await;
        server.hire("Ivy Engineer", "software-engineer", Some(manager)).await;
        server.hire("Sam Engineer", "senior-software-engineer", Some(manager)).await;
        server.hire("Out Sider", "software-engineer", None).await;
        let all = server.get(&server.admin, "/api/v1/org/summary").await;
        assert_eq!(all.body["total"], 5);
        let below = server.get(&server.admin, &format!("/api/v1/org/summary?under={director}")).await;
        assert_eq!(below.status, StatusCode::OK);
        assert_eq!(below.body["total"], 3);
        assert_eq!(below.body["by_stream"], json!([{"id": "engineering", "count": 2}, {"id": "management", "count": 1}]));
        let unknown = server.get(&server.admin, "/api/v1/org/summary?under=9999").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn names_that_are_huge_or_hold_control_characters_are_refused_and_nothing_is_written(server) {
        let hire = |name: String| json!({"name": name, "email": "zed@example.com", "role": "software-engineer", "start_date": "2024-01-01"});
        let cases = [
            ("a".repeat(100 * 1024), "at most 200 characters"),
            ("Ada\u{0}Lovelace".to_owned(), "control characters"),
            ("Ada\nLovelace".to_owned(), "control characters"),
        ];
        for (name, message) in cases {
            let answer = server.post(&server.admin, "/api/v1/people", hire(name)).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
            assert_eq!(answer.code(), "invalid_name");
            assert!(answer.body["error"]["message"].as_str().unwrap_or("").contains(message), "{}", answer.body);
        }
        let longest = server.post(&server.admin, "/api/v1/people", hire("é".repeat(200))).await;
        assert_eq!(longest.status, StatusCode::CREATED, "200 characters (400 bytes) fit: {}", longest.body);
        let id = longest.body["id"].as_i64().expect("id");
        let person = server.get(&server.admin, &format!("/api/v1/people/{id}")).await;
        assert_eq!(person.body["name"], "é".repeat(200));

        let project = server.post(&server.admin, "/api/v1/projects", json!({"name": "p".repeat(1000)})).await;
        assert_eq!(project.code(), "invalid_name", "{}", project.body);
        let nul_project = server.post(&server.admin, "/api/v1/projects", json!({"name": "Apollo\u{0}"})).await;
        assert_eq!(nul_project.code(), "invalid_name", "{}", nul_project.body);
        let projects = server.get(&server.admin, "/api/v1/projects").await;
        assert_eq!(projects.body["projects"].as_array().map(Vec::len), Some(0), "{}", projects.body);
    }
}
