//! Openings, leaving with a reason and company updates over HTTP.

use climb_people::ActorKind;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn an_opening_is_filled_by_a_hire_on_the_managers_team(server) {
        let dana = server.hire("Dana", "director-of-engineering", None).await;
        let max = server.hire("Max", "engineering-manager", Some(dana)).await;
        let eve = server.hire("Eve", "software-engineer", Some(max)).await;
        let max_token = server.token_for(max, ActorKind::Employee).await;
        let eve_token = server.token_for(eve, ActorKind::Employee).await;
        let hana = server.hire("Hana", "software-engineer", None).await;
        let hr = server.token_for(hana, ActorKind::Hr).await;

        let opened = server.post(&max_token, "/api/v1/openings", json!({"manager": max, "role": "software-engineer"})).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        assert_eq!(opened.body["status"], "open");
        let id = opened.body["id"].as_i64().expect("id");
        let cto = server.post(&max_token, "/api/v1/openings", json!({"manager": max, "role": "cto"})).await;
        assert_eq!((cto.status, cto.code()), (StatusCode::UNPROCESSABLE_ENTITY, "hire_only_role"));
        let admin_cto = server.post(&server.admin, "/api/v1/openings", json!({"manager": dana, "role": "cto"})).await;
        assert_eq!(admin_cto.status, StatusCode::CREATED);
        let unknown = server.post(&max_token, "/api/v1/openings", json!({"manager": max, "role": "astronaut"})).await;
        assert_eq!(unknown.code(), "unknown_role");
        let not_mine = server.post(&max_token, "/api/v1/openings", json!({"manager": dana, "role": "software-engineer"})).await;
        assert_eq!(not_mine.status, StatusCode::FORBIDDEN);
        let no_team = server.post(&hr, "/api/v1/openings", json!({"manager": eve, "role": "software-engineer"})).await;
        assert_eq!(no_team.code(), "manager_cannot_have_reports");

        let listed = server.get(&eve_token, "/api/v1/openings?status=open").await;
        assert_eq!(listed.body["openings"].as_array().map(Vec::len), Some(2));
        assert_eq!(server.get(&eve_token, "/api/v1/openings?status=nope").await.code(), "invalid_status");

        let fill = format!("/api/v1/openings/{id}/fill");
        let body = json!({"name": "Nia New", "email": "nia@example.com", "start_date": "2026-12-01"});
        assert_eq!(server.post(&max_token, &fill, body.clone()).await.status, StatusCode::FORBIDDEN);
        let bad = server.post(&hr, &fill, json!({"name": "Nia", "email": "not-an-email"})).await;
        assert_eq!((bad.status, bad.code()), (StatusCode::BAD_REQUEST, "invalid_email"));
        let taken = server.post(&hr, &fill, json!({"name": "Eve Two", "email": "eve@example.com"})).await;
        assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "email_taken"));
        assert_eq!(server.get(&hr, "/api/v1/openings?status=open").await.body["openings"].as_array().map(Vec::len), Some(2));

        let filled = server.post(&hr, &fill, body.clone()).await;
        assert_eq!(filled.status, StatusCode::CREATED, "{}", filled.body);
        let nia = filled.body["person"].as_i64().expect("person");
        assert_eq!(filled.body["opening"]["status"], "filled");
        assert_eq!(filled.body["opening"]["hire"], nia);
        let person = server.get(&hr, &format!("/api/v1/people/{nia}")).await;
        assert_eq!((person.body["manager"].as_i64(), person.body["role"].as_str()), (Some(max), Some("software-engineer")));
        let audit = server.get(&hr, &format!("/api/v1/audit?person={nia}")).await;
        let actions: Vec<&str> = audit.body["events"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, ["opening.filled", "person.hired"]);
        let twice = server.post(&hr, &fill, json!({"name": "Other", "email": "other@example.com"})).await;
        assert_eq!((twice.status, twice.code()), (StatusCode::CONFLICT, "opening_closed"));
        let cancel = server.post(&max_token, &format!("/api/v1/openings/{id}/cancel"), json!({})).await;
        assert_eq!(cancel.code(), "opening_closed");
        let other = admin_cto.body["id"].as_i64().expect("id");
        assert_eq!(server.post(&max_token, &format!("/api/v1/openings/{other}/cancel"), json!({})).await.status, StatusCode::FORBIDDEN);
        let cancelled = server.post(&server.admin, &format!("/api/v1/openings/{other}/cancel"), json!({})).await;
        assert_eq!(cancelled.body["status"], "cancelled");
    }
}

both_backends! {
    async fn leaving_keeps_its_reason_and_needs_reports_reassigned_first(server) {
        let dana = server.hire("Dana", "director-of-engineering", None).await;
        let max = server.hire("Max", "engineering-manager", Some(dana)).await;
        let eve = server.hire("Eve", "software-engineer", Some(max)).await;
        let leave = format!("/api/v1/people/{max}/leave");
        let refused = server.post(&server.admin, &leave, json!({"reason": "Moving abroad"})).await;
        assert_eq!((refused.status, refused.code()), (StatusCode::UNPROCESSABLE_ENTITY, "has_reports"));
        let long = server.post(&server.admin, &leave, json!({"reason": "x".repeat(501)})).await;
        assert_eq!(long.code(), "reason_too_long");
        server.put(&server.admin, &format!("/api/v1/people/{eve}/manager"), json!({"manager": dana})).await;
        let left = server.post(&server.admin, &leave, json!({"date": "2026-11-30", "reason": "Moving abroad"})).await;
        assert_eq!(left.status, StatusCode::OK, "{}", left.body);
        assert_eq!(left.body["status"], "left");
        let audit = server.get(&server.admin, &format!("/api/v1/audit?person={max}")).await;
        let events = audit.body["events"].as_array().expect("events");
        let reasons: Vec<_> = events.iter().filter(|e| e["action"] == "person.leave_reason").collect();
        assert_eq!(reasons.len(), 1, "{}", audit.body);
        assert_eq!(reasons[0]["after"]["reason"], "Moving abroad");
    }
}

both_backends! {
    async fn updates_reach_the_team_below_the_poster_or_the_whole_company(server) {
        let dana = server.hire("Dana", "director-of-engineering", None).await;
        let max = server.hire("Max", "engineering-manager", Some(dana)).await;
        let eve = server.hire("Eve", "software-engineer", Some(max)).await;
        let olly = server.hire("Olly", "software-engineer", Some(dana)).await;
        let hana = server.hire("Hana", "software-engineer", None).await;
        let max_token = server.token_for(max, ActorKind::Employee).await;
        let eve_token = server.token_for(eve, ActorKind::Employee).await;
        let olly_token = server.token_for(olly, ActorKind::Employee).await;
        let hr = server.token_for(hana, ActorKind::Hr).await;

        let team = server.post(&max_token, "/api/v1/updates", json!({"title": "Sprint demo", "body": "Friday <b>3pm</b>", "audience": "team"})).await;
        assert_eq!(team.status, StatusCode::CREATED, "{}", team.body);
        assert_eq!(team.body["body"], "Friday <b>3pm</b>");
        let company = server.post(&hr, "/api/v1/updates", json!({"title": "Holiday", "body": "Office closed Monday", "audience": "company"})).await;
        assert_eq!(company.status, StatusCode::CREATED);
        let titles = |body: &serde_json::Value| -> Vec<String> {
            body["updates"].as_array().expect("updates").iter().filter_map(|u| u["title"].as_str().map(str::to_owned)).collect()
        };
        assert_eq!(titles(&server.get(&eve_token, "/api/v1/updates").await.body), ["Holiday", "Sprint demo"]);
        assert_eq!(titles(&server.get(&olly_token, "/api/v1/updates").await.body), ["Holiday"]);
        assert_eq!(titles(&server.get(&max_token, "/api/v1/updates").await.body), ["Holiday", "Sprint demo"]);

        let too_long = server.post(&max_token, "/api/v1/updates", json!({"title": "t".repeat(121), "body": "b", "audience": "team"})).await;
        assert_eq!((too_long.status, too_long.code()), (StatusCode::BAD_REQUEST, "title_too_long"));
        assert!(too_long.body["error"]["message"].as_str().expect("message").contains("120"));
        let blank = server.post(&max_token, "/api/v1/updates", json!({"title": "t", "body": "  ", "audience": "team"})).await;
        assert_eq!(blank.code(), "body_blank");
        let wrong = server.post(&max_token, "/api/v1/updates", json!({"title": "t", "body": "b", "audience": "everyone"})).await;
        assert_eq!(wrong.code(), "invalid_audience");
        let not_hr = server.post(&max_token, "/api/v1/updates", json!({"title": "t", "body": "b", "audience": "company"})).await;
        assert_eq!(not_hr.status, StatusCode::FORBIDDEN);
        let no_team = server.post(&eve_token, "/api/v1/updates", json!({"title": "t", "body": "b", "audience": "team"})).await;
        assert_eq!(no_team.status, StatusCode::FORBIDDEN);
        assert_eq!(titles(&server.get(&eve_token, "/api/v1/updates").await.body).len(), 2);
    }
}
