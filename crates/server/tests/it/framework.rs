//! The framework in force: JSON, chart, roles, paths, designations, versions.

use reqwest::StatusCode;

use crate::harness::both_backends;

both_backends! {
    async fn the_framework_and_its_chart_are_served(server) {
        let framework = server.get(&server.admin, "/api/v1/framework").await;
        assert_eq!(framework.status, StatusCode::OK);
        assert!(framework.body["framework"]["name"].is_string());
        assert!(framework.body["roles"].as_array().is_some_and(|r| r.len() > 5));
        let chart = server
            .client
            .get(server.url("/api/v1/framework/chart.svg"))
            .bearer_auth(&server.admin)
            .send()
            .await
            .expect("answered");
        assert_eq!(chart.status(), StatusCode::OK);
        assert_eq!(chart.headers()["content-type"], "image/svg+xml");
        let svg = chart.text().await.expect("text");
        assert!(svg.contains("data-role=\"software-engineer\""));
        let versions = server.get(&server.admin, "/api/v1/framework/versions").await;
        assert_eq!(versions.status, StatusCode::OK);
        assert_eq!(versions.body["versions"], serde_json::json!([]));
        let designations = server.get(&server.admin, "/api/v1/designations").await;
        assert_eq!(designations.body["designations"][0]["id"], "team-lead");
    }
}

both_backends! {
    async fn a_role_shows_its_next_steps_and_headcount(server) {
        server.hire("Ada Lovelace", "senior-software-engineer", None).await;
        let role = server.get(&server.admin, "/api/v1/roles/senior-software-engineer").await;
        assert_eq!(role.status, StatusCode::OK);
        assert_eq!(role.body["headcount"], 1);
        assert_eq!(role.body["next"][0]["to"], "staff-engineer");
        assert_eq!(role.body["next"][0]["kind"], "promotion");
        let unknown = server.get(&server.admin, "/api/v1/roles/wizard").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.code(), "unknown_role");
        let list = server.get(&server.admin, "/api/v1/roles?limit=2").await;
        assert_eq!(list.body["roles"].as_array().map(Vec::len), Some(2));
        assert!(list.body["next_cursor"].is_string());
    }
}

both_backends! {
    async fn paths_are_the_shortest_sequence_or_404_no_path(server) {
        let path = server.get(&server.admin, "/api/v1/paths?from=software-engineer&to=staff-engineer").await;
        assert_eq!(path.status, StatusCode::OK);
        assert_eq!(path.body["steps"].as_array().map(Vec::len), Some(2));
        assert_eq!(path.body["steps"][0]["from"], "software-engineer");
        let cto = server.get(&server.admin, "/api/v1/paths?from=software-engineer&to=cto").await;
        assert_eq!(cto.status, StatusCode::NOT_FOUND);
        assert_eq!(cto.code(), "no_path");
        let unknown = server.get(&server.admin, "/api/v1/paths?from=wizard&to=cto").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.code(), "unknown_role");
    }
}

both_backends! {
    async fn a_framework_version_another_process_loads_is_in_force_without_restart(server) {
        let before = server.get(&server.admin, "/api/v1/framework").await;
        assert_eq!(before.body["framework"]["version"], "2026.1");
        // Another process (its own store on the same database) loads v2.
        let other = climb_store::Store::open(&server.db_url()).await.expect("second store");
        let source = include_str!("../../../../frameworks/default.toml")
            .replace("version = \"2026.1\"", "version = \"2026.2\"")
            .replace("title = \"Software Engineer\"", "title = \"Software Engineer II\"");
        let v2 = climb_framework::load(&source).expect("v2 checks");
        other
            .load_framework(&v2, &source, climb_people::Actor::admin(None))
            .await
            .expect("v2 loads");
        // SQLite instances look at most every 250 ms; PostgreSQL ones at once.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let after = server.get(&server.admin, "/api/v1/framework").await;
        assert_eq!(after.body["framework"]["version"], "2026.2", "{}", after.body);
        let role = server.get(&server.admin, "/api/v1/roles/software-engineer").await;
        assert_eq!(role.body["title"], "Software Engineer II", "{}", role.body);
        let chart = server.get_text("/api/v1/framework/chart.svg").await;
        assert!(chart.contains("Software Engineer II"));
    }
}
