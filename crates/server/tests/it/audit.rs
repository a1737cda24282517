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
    }
}
