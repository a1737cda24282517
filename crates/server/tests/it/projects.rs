//! Projects and designations: create, assign (flagged below the usual
//! seniority), replace, close, and the refusals.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::both_backends;

both_backends! {
    async fn a_team_lead_below_the_usual_seniority_is_flagged_and_closing_ends_it(server) {
        let junior = server.hire("Jo Junior", "software-engineer", None).await;
        let senior = server.hire("Sam Senior", "senior-software-engineer", None).await;
        let created = server.post(&server.admin, "/api/v1/projects", json!({"name": "Apollo"})).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["status"], "open");
        let project = created.body["id"].as_i64().expect("id");
        let path = format!("/api/v1/projects/{project}/designations");
        let flagged = server
            .post(&server.admin, &path, json!({"person": junior, "designation": "team-lead", "start_date": "2025-01-01"}))
            .await;
        assert_eq!(flagged.status, StatusCode::CREATED, "{}", flagged.body);
        assert_eq!(flagged.body["flags"], json!(["below_usual_seniority"]));
        let replaced = server
            .post(&server.admin, &path, json!({"person": senior, "designation": "team-lead", "start_date": "2025-02-01"}))
            .await;
        assert_eq!(replaced.status, StatusCode::CREATED);
        assert_eq!(replaced.body["flags"], json!([]));
        let junior_now = server.get(&server.admin, &format!("/api/v1/people/{junior}")).await;
        assert_eq!(junior_now.body["designations"], json!([]));
        let ended: Vec<_> = junior_now.body["history"].as_array().expect("history").iter().filter(|e| e["kind"] == "designation_ended").collect();
        assert_eq!(ended.len(), 1, "{}", junior_now.body);
        assert_eq!(ended[0]["reason"], "replaced");

        let closed = server.post(&server.admin, &format!("/api/v1/projects/{project}/close"), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert_eq!(closed.body["status"], "closed");
        assert_eq!(closed.body["designations"], json!([]));
        let again = server.post(&server.admin, &path, json!({"person": junior, "designation": "team-lead"})).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.code(), "project_closed");
        let list = server.get(&server.admin, "/api/v1/projects").await;
        assert_eq!(list.body["projects"][0]["id"], project);
        let one = server.get(&server.admin, &format!("/api/v1/projects/{project}")).await;
        assert_eq!(one.body["members"], json!([junior, senior]));
    }
}

both_backends! {
    async fn designations_outside_their_streams_and_unknown_ids_are_refused(server) {
        let manager = server.hire("Max Manager", "engineering-manager", None).await;
        let project = server.post(&server.admin, "/api/v1/projects", json!({"name": "Gemini"})).await.body["id"].as_i64().expect("id");
        let path = format!("/api/v1/projects/{project}/designations");
        let ineligible = server.post(&server.admin, &path, json!({"person": manager, "designation": "team-lead"})).await;
        assert_eq!(ineligible.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", ineligible.body);
        assert_eq!(ineligible.code(), "designation_not_eligible");
        let unknown = server.post(&server.admin, &path, json!({"person": manager, "designation": "captain"})).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.code(), "unknown_designation");
        let no_project = server.post(&server.admin, "/api/v1/projects/999/designations", json!({"person": manager, "designation": "team-lead"})).await;
        assert_eq!(no_project.status, StatusCode::NOT_FOUND);
        assert_eq!(no_project.code(), "unknown_project");
        let blank = server.post(&server.admin, "/api/v1/projects", json!({"name": "  "})).await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        assert_eq!(blank.code(), "invalid_name");
        let close_unknown = server.post(&server.admin, "/api/v1/projects/999/close", json!({})).await;
        assert_eq!(close_unknown.status, StatusCode::NOT_FOUND);
    }
}
