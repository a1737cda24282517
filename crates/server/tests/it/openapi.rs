//! The OpenAPI document: valid OpenAPI 3, generated from the same router
//! that serves, and nothing is answered outside it.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::harness::both_backends;

/// Every route, by hand: the document must list exactly these.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/framework"),
    ("GET", "/api/v1/framework/chart.svg"),
    ("GET", "/api/v1/framework/versions"),
    ("GET", "/api/v1/designations"),
    ("GET", "/api/v1/roles"),
    ("GET", "/api/v1/roles/{id}"),
    ("GET", "/api/v1/roles/{id}/people"),
    ("GET", "/api/v1/paths"),
    ("GET", "/api/v1/people"),
    ("POST", "/api/v1/people"),
    ("GET", "/api/v1/people/{id}"),
    ("GET", "/api/v1/people/{id}/history"),
    ("POST", "/api/v1/people/{id}/role-changes"),
    ("PUT", "/api/v1/people/{id}/manager"),
    ("POST", "/api/v1/people/{id}/leave"),
    ("POST", "/api/v1/people/{id}/erase"),
    ("GET", "/api/v1/org/summary"),
    ("GET", "/api/v1/insights/pyramid"),
    ("GET", "/api/v1/insights/pyramid.csv"),
    ("GET", "/api/v1/insights/time-in-role"),
    ("GET", "/api/v1/insights/time-in-role.csv"),
    ("GET", "/api/v1/insights/flow"),
    ("GET", "/api/v1/insights/flow.csv"),
    ("GET", "/api/v1/insights/flow.svg"),
    ("GET", "/api/v1/insights/habits"),
    ("GET", "/api/v1/insights/habits.csv"),
    ("GET", "/api/v1/insights/span"),
    ("GET", "/api/v1/insights/span.csv"),
    ("GET", "/api/v1/insights/projection"),
    ("GET", "/api/v1/insights/projection.csv"),
    ("GET", "/api/v1/projects"),
    ("POST", "/api/v1/projects"),
    ("GET", "/api/v1/projects/{id}"),
    ("POST", "/api/v1/projects/{id}/designations"),
    ("POST", "/api/v1/projects/{id}/close"),
    ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/review-cycles"),
    ("POST", "/api/v1/review-cycles"),
    ("POST", "/api/v1/review-cycles/{id}/close"),
    ("POST", "/api/v1/review-cycles/{id}/release"),
    ("GET", "/api/v1/review-cycles/{id}/calibration"),
    ("GET", "/api/v1/people/{id}/reviews"),
    ("GET", "/api/v1/reviews/{id}"),
    ("PUT", "/api/v1/reviews/{id}/assessment"),
    ("POST", "/api/v1/reviews/{id}/sign"),
    ("GET", "/api/v1/people/{id}/growth-plan"),
    ("POST", "/api/v1/people/{id}/goals"),
    ("POST", "/api/v1/people/{id}/goals/{goal}/done"),
    ("GET", "/api/v1/people/{id}/promotion-proposals"),
    ("POST", "/api/v1/people/{id}/promotion-proposals"),
    ("GET", "/api/v1/promotion-proposals/{id}"),
    ("POST", "/api/v1/promotion-proposals/{id}/approve"),
    ("POST", "/api/v1/promotion-proposals/{id}/reject"),
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{id}"),
    ("POST", "/api/v1/login"),
    ("POST", "/api/v1/logout"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/accounts"),
    ("POST", "/api/v1/accounts"),
    ("GET", "/api/v1/people/{id}/one-on-ones"),
    ("PUT", "/api/v1/people/{id}/one-on-ones/schedule"),
    ("GET", "/api/v1/people/{id}/one-on-ones/reports"),
    ("GET", "/api/v1/one-on-ones/{id}"),
    ("POST", "/api/v1/one-on-ones/{id}/agenda"),
    ("PUT", "/api/v1/one-on-ones/agenda/{id}"),
    ("POST", "/api/v1/one-on-ones/{id}/notes"),
    ("POST", "/api/v1/one-on-ones/{id}/actions"),
    ("PUT", "/api/v1/one-on-ones/actions/{id}"),
    ("POST", "/api/v1/one-on-ones/{id}/hold"),
    ("POST", "/api/v1/people/{id}/calendar-feed"),
    ("DELETE", "/api/v1/people/{id}/calendar-feed"),
    ("GET", "/api/v1/calendar/{token}"),
    ("GET", "/api/v1/openings"),
    ("POST", "/api/v1/openings"),
    ("POST", "/api/v1/openings/{id}/cancel"),
    ("POST", "/api/v1/openings/{id}/fill"),
    ("GET", "/api/v1/updates"),
    ("POST", "/api/v1/updates"),
    ("PATCH", "/api/v1/accounts/{id}"),
    ("GET", "/api/v1/webhooks"),
    ("POST", "/api/v1/webhooks"),
    ("DELETE", "/api/v1/webhooks/{id}"),
    ("GET", "/api/v1/webhooks/{id}/deliveries"),
    ("POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/replay"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
];

#[test]
fn the_document_lists_exactly_the_routes_the_router_serves() {
    let mut documented = climb_server::openapi::routes();
    documented.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);
}

#[test]
fn every_schema_reference_resolves() {
    let document = serde_json::to_value(climb_server::openapi::document()).expect("serializable");
    let schemas = &document["components"]["schemas"];
    let mut references = Vec::new();
    collect_references(&document, &mut references);
    assert!(!references.is_empty());
    let unresolved: Vec<&String> = references
        .iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| schemas.get(name).is_none())
        })
        .collect();
    assert!(
        unresolved.is_empty(),
        "unresolved references: {unresolved:?}"
    );
}

/// A query struct documented without `parameter_in = Query` lands in the
/// path, where no client can send it: the document must place each
/// parameter where the router reads it.
#[test]
fn every_path_parameter_is_a_placeholder_of_its_path_and_back() {
    let document = serde_json::to_value(climb_server::openapi::document()).expect("serializable");
    let paths = document["paths"].as_object().expect("paths");
    let mut misplaced = Vec::new();
    for (path, item) in paths {
        let placeholders: Vec<&str> = path
            .split('/')
            .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, operation) in item.as_object().expect("path item") {
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|parameters| {
                    parameters
                        .iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for name in &declared {
                if !placeholders.contains(name) {
                    misplaced.push(format!("{method} {path}: `{name}` is not in the path"));
                }
            }
            for name in &placeholders {
                if !declared.contains(name) {
                    misplaced.push(format!("{method} {path}: `{{{name}}}` is undocumented"));
                }
            }
        }
    }
    assert!(misplaced.is_empty(), "{misplaced:#?}");
}

fn collect_references(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => into.push(target.clone()),
                    _ => collect_references(inner, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_references(item, into)),
        _ => {}
    }
}

both_backends! {
    async fn the_served_document_is_valid_openapi_3_with_errors_described(server) {
        let answer = server.send(Method::GET, None, "/api/v1/openapi.json", None).await;
        assert_eq!(answer.status, StatusCode::OK);
        let doc = answer.body;
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);
        assert!(doc["info"]["title"].is_string());
        assert!(doc["info"]["version"].is_string());
        let paths = doc["paths"].as_object().expect("paths");
        for (method, path) in ROUTES {
            let op = &paths[*path][method.to_lowercase()];
            assert!(op.is_object(), "{method} {path} is documented");
            let responses = op["responses"].as_object().expect("responses");
            assert!(!responses.is_empty(), "{method} {path} has responses");
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status}");
                }
            }
            if let Some(parameters) = op["parameters"].as_array() {
                for p in parameters {
                    assert!(p["name"].is_string() && p["in"].is_string(), "{method} {path}: {p}");
                }
            }
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        let parsed: Result<utoipa::openapi::OpenApi, _> = serde_json::from_value(doc.clone());
        assert!(parsed.is_ok(), "the document parses back: {:?}", parsed.err());
        let _: &Value = &doc;
    }
}

both_backends! {
    async fn paths_outside_the_document_answer_404(server) {
        for path in ["/", "/api", "/api/v1", "/api/v2/people", "/api/v1/people/1/secrets", "/admin", "/api/v1/openapi.yaml"] {
            let answer = server.get(&server.admin, path).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(answer.code(), "not_found", "{path}");
        }
    }
}
