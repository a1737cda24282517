//! The audit log over HTTP: newest first, by person, paginated.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn the_audit_log_is_newest_first_filtered_by_person_and_paginated(server) {
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        server.hire("Bob Other", "software-engineer", None).await;
        server
            .post(&server.admin, &format!("/api/v1/people/{ada}/role-changes"), json!({"to_role": "senior-software-engineer"}))
            .await;
        let all = server.get(&server.admin, "/api/v1/audit").await;
        assert_eq!(all.status, StatusCode::OK);
        assert_eq!(all.body["events"][0]["action"], "person.role_changed");
        let mine = server.get(&server.admin, &format!("/api/v1/audit?person={ada}&limit=1")).await;
        assert_eq!(mine.body["events"].as_array().map(Vec::len), Some(1));
        assert_eq!(mine.body["events"][0]["subject"], json!({"kind": "person", "id": ada}));
        let cursor = mine.body["next_cursor"].as_str().expect("older events").to_owned();
        let older = server.get(&server.admin, &format!("/api/v1/audit?person={ada}&limit=1&cursor={cursor}")).await;
        assert_eq!(older.body["events"][0]["action"], "person.hired");
        assert_eq!(older.body["next_cursor"], serde_json::Value::Null);

        // Oldest first, its cursor going forward in time.
        let first = server.get(&server.admin, &format!("/api/v1/audit?person={ada}&order=oldest&limit=1")).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(first.body["events"][0]["action"], "person.hired");
        let cursor = first.body["next_cursor"].as_str().expect("later events").to_owned();
        let later = server.get(&server.admin, &format!("/api/v1/audit?person={ada}&order=oldest&limit=1&cursor={cursor}")).await;
        assert_eq!(later.body["events"][0]["action"], "person.role_changed");
        assert_eq!(later.body["next_cursor"], serde_json::Value::Null);
        let newest = server.get(&server.admin, "/api/v1/audit?order=newest").await;
        assert_eq!(newest.body["events"], all.body["events"]);
    }
}

both_backends! {
    async fn the_audit_log_filters_by_actor_action_and_days_and_refuses_bad_filters(server) {
        let grace = server.hire("Grace Hopper", "engineering-manager", None).await;
        let ada = server.hire("Ada Lovelace", "software-engineer", None).await;
        let hr = server.token_for(grace, climb_people::ActorKind::Hr).await;
        let moved = server.put(&hr, &format!("/api/v1/people/{ada}/manager"), json!({"manager": grace})).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

        let by_grace = server.get(&server.admin, &format!("/api/v1/audit?actor={grace}&action=person")).await;
        assert_eq!(by_grace.status, StatusCode::OK, "{}", by_grace.body);
        let actions: Vec<&str> = by_grace.body["events"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, ["person.manager_changed"]);
        let hires = server.get(&server.admin, "/api/v1/audit?action=person.hired").await;
        assert_eq!(hires.body["events"].as_array().map(Vec::len), Some(2));
        let today = chrono::Utc::now().date_naive();
        let tomorrow = today.succ_opt().expect("a day");
        let none = server.get(&server.admin, &format!("/api/v1/audit?from={tomorrow}")).await;
        assert_eq!(none.body["events"], json!([]));
        let all_today = server.get(&server.admin, &format!("/api/v1/audit?from={today}&to={today}&action=person")).await;
        assert_eq!(all_today.body["events"].as_array().map(Vec::len), Some(3));

        for (query, code) in [
            ("action=person%25", "invalid_action"),
            ("action=Person.Hired", "invalid_action"),
            (&*format!("from={tomorrow}&to={today}"), "invalid_range"),
            ("from=yesterday", "invalid_query"),
            ("order=sideways", "invalid_query"),
        ] {
            let refused = server.get(&server.admin, &format!("/api/v1/audit?{query}")).await;
            assert_eq!((refused.status, refused.code()), (StatusCode::BAD_REQUEST, code), "{query}: {}", refused.body);
        }
        let unknown = server.get(&server.admin, "/api/v1/audit?actor=999999").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}
