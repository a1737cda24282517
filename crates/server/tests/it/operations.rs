//! Health and metrics, for load balancers and Prometheus.

use reqwest::{Method, StatusCode};

use crate::harness::both_backends;

both_backends! {
    async fn health_needs_no_token_and_metrics_count_requests_by_route(server) {
        let health = server.send(Method::GET, None, "/healthz", None).await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.body["status"], "ok");
        server.hire("Ada Lovelace", "software-engineer", None).await;
        server.get(&server.admin, "/api/v1/people/1").await;
        let metrics = server
            .client
            .get(server.url("/metrics"))
            .bearer_auth(&server.admin)
            .send()
            .await
            .expect("answered");
        assert_eq!(metrics.status(), StatusCode::OK);
        let text = metrics.text().await.expect("text");
        assert!(text.contains("climb_http_requests_total{route=\"/api/v1/people/{id}\",method=\"GET\",status=\"200\"} 1"), "{text}");
        assert!(text.contains("climb_http_request_duration_seconds_bucket{route=\"/api/v1/people\""), "{text}");
        assert!(text.contains("climb_people{status=\"active\"} 1"), "{text}");
        assert!(text.contains("climb_audit_seq "), "{text}");
    }
}
