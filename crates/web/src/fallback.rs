//! What the site answers where no page is: an unknown address gets the
//! site's own 404 page (the API keeps its JSON 404 under `/api/`), and a
//! GET on an address that only takes a form's POST (a bookmarked or
//! reloaded action, a link copied from the address bar) is sent to the page
//! that holds the form instead of a bare 405.

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{MethodRouter, get};
use climb_server::AppState;
use tower::ServiceExt;

use crate::error::PageError;
use crate::security;

/// The paths the API router answers, whose unknown addresses keep the
/// API's JSON error.
const API_PREFIXES: [&str; 3] = ["/api/", "/healthz", "/metrics"];

/// The site's fallback: unknown API addresses go to `api` (its own JSON
/// 404 and headers), every other one gets the 404 page with the pages'
/// security headers.
pub(crate) fn not_found(api: Router, state: AppState) -> Router {
    let page = Router::new()
        .fallback(|| async {
            PageError::Status(
                StatusCode::NOT_FOUND,
                "There is no page at this address. It may have moved, or the link may be mistyped.",
            )
        })
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn_with_state(
            state,
            climb_server::headers::hsts,
        ));
    Router::new().fallback(move |request: Request| {
        let target = if API_PREFIXES
            .iter()
            .any(|prefix| request.uri().path().starts_with(prefix))
        {
            api.clone()
        } else {
            page.clone()
        };
        async move {
            match target.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    })
}

/// For every path of `routes` that takes a POST but no GET, a GET that
/// redirects to the page holding its form: the nearest ancestor path that
/// is a GET page (`/people/{id}/goals` → `/people/{id}`, `/updates` → `/`).
pub(crate) fn form_redirects(
    routes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, MethodRouter<AppState>)> {
    let pages: Vec<&str> = routes
        .iter()
        .filter(|(method, _)| *method == "GET")
        .map(|(_, path)| *path)
        .collect();
    routes
        .iter()
        .filter(|(method, path)| *method == "POST" && !pages.contains(path))
        .map(|(_, path)| {
            let up = segments_up_to_form_page(path, &pages);
            let route = get(move |uri: Uri| async move {
                Redirect::to(&ancestor(uri.path(), up)).into_response()
            });
            (*path, route)
        })
        .collect()
}

/// How many trailing segments to drop from `template` to reach a GET page
/// of `pages`; dropping all of them reaches the home page.
fn segments_up_to_form_page(template: &str, pages: &[&str]) -> usize {
    let segments = template.trim_start_matches('/').split('/').count();
    (1..segments)
        .find(|&up| pages.contains(&ancestor(template, up).as_str()))
        .unwrap_or(segments)
}

/// `path` without its last `up` segments (`/` when none is left).
fn ancestor(path: &str, up: usize) -> String {
    let segments: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let keep = segments.len().saturating_sub(up);
    format!("/{}", segments[..keep].join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_path_redirects_to_its_nearest_page() {
        let pages = ["/", "/people/{id}", "/reviews", "/admin"];
        assert_eq!(segments_up_to_form_page("/people/{id}/goals", &pages), 1);
        assert_eq!(
            ancestor(
                "/people/42/goals",
                segments_up_to_form_page("/people/{id}/goals", &pages)
            ),
            "/people/42"
        );
        assert_eq!(
            segments_up_to_form_page("/reviews/cycles/{id}/close", &pages),
            3
        );
        assert_eq!(ancestor("/reviews/cycles/7/close", 3), "/reviews");
        assert_eq!(
            ancestor("/updates", segments_up_to_form_page("/updates", &pages)),
            "/"
        );
        assert_eq!(ancestor("/admin/framework/check", 2), "/admin");
    }
}
