//! The OpenAPI document, generated from the handlers' annotations through
//! `utoipa-axum`: the routes and the document come from one
//! [`OpenApiRouter`], so a route cannot exist undocumented.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ErrorBody;
use crate::state::AppState;

/// The document's fixed parts: info, security schemes, tags.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "climb",
        description = "The JSON API of climb, the career-progression platform. Errors are `{\"error\": {\"code\", \"message\"}}`.",
    ),
    modifiers(&Security),
    security(("bearer" = []), ("session_cookie" = [])),
    components(schemas(ErrorBody)),
    tags(
        (name = "framework", description = "The career framework in force: roles, paths, chart"),
        (name = "people", description = "The directory, hiring, role and manager changes, leaving"),
        (name = "org", description = "Headcounts from the org index"),
        (name = "insights", description = "Analytics over a subtree, a stream and a day; the workforce projection"),
        (name = "projects", description = "Projects and designations"),
        (name = "reviews", description = "Review cycles, reviews, calibration, growth plans and goals"),
        (name = "promotions", description = "Promotion proposals: drafted, approved or rejected"),
        (name = "audit", description = "The audit log"),
        (name = "accounts", description = "Logins, sessions, API tokens and accounts"),
        (name = "webhooks", description = "Signed webhooks out: subscriptions, deliveries, replay"),
        (name = "operations", description = "Health, metrics, this document"),
    )
)]
pub(crate) struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token (`climb_…`) or a session id from `POST /api/v1/login` (`climbs_…`)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("climb_session"))),
        );
    }
}

/// Every route with its documentation.
pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::api::router())
        .routes(routes!(crate::health::healthz))
        .routes(routes!(crate::metrics::metrics))
        .routes(routes!(openapi_json))
}

/// The OpenAPI document of this server.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, mut doc) = router().split_for_parts();
        doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
        doc
    })
}

/// Every route the server answers, as `(METHOD, path template)`, from the document.
pub fn routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for (path, item) in &document().paths.paths {
        let ops = [
            ("GET", item.get.is_some()),
            ("PUT", item.put.is_some()),
            ("POST", item.post.is_some()),
            ("DELETE", item.delete.is_some()),
            ("PATCH", item.patch.is_some()),
        ];
        for (method, present) in ops {
            if present {
                routes.push((method.to_owned(), path.clone()));
            }
        }
    }
    routes
}

/// This document, as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    security(()),
    responses((status = 200, description = "The OpenAPI 3 document", body = Object))
)]
pub(crate) async fn openapi_json() -> impl IntoResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| document().to_json().unwrap_or_else(|_| "{}".to_owned()));
    ([(header::CONTENT_TYPE, "application/json")], json.as_str())
}
