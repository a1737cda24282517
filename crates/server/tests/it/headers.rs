//! The headers every API answer carries, successes, refusals, the router's
//! own 404 and the chart SVG alike.

use reqwest::StatusCode;

use crate::harness::both_backends;

both_backends! {
    async fn every_api_answer_is_not_sniffed_not_rendered_and_not_cached(server) {
        let paths = [
            ("/api/v1/me", Some(server.admin.as_str()), StatusCode::OK),
            ("/api/v1/framework/chart.svg", Some(server.admin.as_str()), StatusCode::OK),
            ("/api/v1/people/999999", Some(server.admin.as_str()), StatusCode::NOT_FOUND),
            ("/api/v1/people", None, StatusCode::UNAUTHORIZED),
            ("/no/such/address", None, StatusCode::NOT_FOUND),
        ];
        for (path, token, status) in paths {
            let mut request = server.client.get(server.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let answer = request.send().await.expect("answered");
            assert_eq!(answer.status(), status, "{path}");
            let header = |name: &str| {
                answer.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
            };
            assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
            assert!(header("content-security-policy").contains("default-src 'none'"), "{path}");
            assert_eq!(header("cache-control"), "no-store", "{path}");
            assert_eq!(header("strict-transport-security"), "", "plain HTTP: {path}");
        }
        let over_tls = server
            .client
            .get(server.url("/api/v1/me"))
            .bearer_auth(&server.admin)
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .expect("answered");
        let hsts = over_tls.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(hsts.starts_with("max-age="), "{hsts}");
    }
}
