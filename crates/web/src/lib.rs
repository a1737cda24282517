//! climb's web pages: server-rendered HTML (askama templates, htmx for
//! partial updates) over the same cookie sessions and permission policy as
//! the JSON API. [`router`] holds every page and the embedded static files;
//! merge it with `climb_server::app` to serve both from one listener.

mod admin;
mod assets;
mod chart;
mod csrf;
mod error;
mod growth;
mod login;
mod one_on_ones;
mod org;
mod page;
mod people;
mod projects;
mod promotions;
mod reviews;
mod security;
mod tokens;
mod updates;
mod users;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use climb_server::AppState;

/// Every page and static file. CSRF is checked on every POST and the
/// security headers (CSP, nosniff, referrer policy, no framing) are set on
/// every answer of this router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(chart::chart_page))
        .route("/login", get(login::login_page).post(login::login))
        .route("/logout", post(login::logout))
        .route("/roles/{id}", get(chart::role_page))
        .route("/path", get(chart::path_page))
        .route("/people", get(people::directory))
        .route("/people/{id}", get(people::person_page))
        .route("/org", get(org::org_page))
        .route("/org/{id}/reports", get(org::reports))
        .route("/projects", get(projects::list).post(projects::create))
        .route("/projects/{id}", get(projects::show))
        .route("/projects/{id}/members", post(projects::add_member))
        .route("/projects/{id}/designations", post(projects::assign))
        .route("/projects/{id}/close", post(projects::close))
        .route("/admin", get(admin::admin_page))
        .route(
            "/admin/framework/check",
            post(admin::check_framework).layer(DefaultBodyLimit::max(admin::FRAMEWORK_LIMIT)),
        )
        .route(
            "/admin/framework",
            post(admin::store_framework).layer(DefaultBodyLimit::max(admin::FRAMEWORK_LIMIT)),
        )
        .route(
            "/admin/import/check",
            post(admin::check_import).layer(DefaultBodyLimit::max(admin::CSV_LIMIT)),
        )
        .route(
            "/admin/import",
            post(admin::run_import).layer(DefaultBodyLimit::max(admin::CSV_LIMIT)),
        )
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", post(users::change))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/one-on-ones", get(one_on_ones::overview))
        .route("/one-on-ones/with/{report}", get(one_on_ones::pair))
        .route(
            "/one-on-ones/with/{report}/schedule",
            post(one_on_ones::set_schedule),
        )
        .route(
            "/one-on-ones/with/{report}/feed",
            post(one_on_ones::new_feed),
        )
        .route("/one-on-ones/{id}", get(one_on_ones::meeting))
        .route("/one-on-ones/{id}/agenda", post(one_on_ones::add_agenda))
        .route("/one-on-ones/{id}/notes", post(one_on_ones::add_note))
        .route("/one-on-ones/{id}/actions", post(one_on_ones::add_action))
        .route("/one-on-ones/{id}/hold", post(one_on_ones::hold))
        .route(
            "/one-on-ones/agenda/{item}/toggle",
            post(one_on_ones::toggle_agenda),
        )
        .route(
            "/one-on-ones/actions/{id}/done",
            post(one_on_ones::action_done),
        )
        .route("/people/{id}/goals", post(growth::add_goal))
        .route("/people/{id}/goals/{goal}/done", post(growth::goal_done))
        .route("/promotions", get(promotions::list))
        .route("/promotions/{id}", get(promotions::show))
        .route("/promotions/{id}/decision", post(promotions::decide))
        .route("/people/{id}/promotions/new", get(promotions::new_draft))
        .route("/people/{id}/promotions", post(promotions::draft))
        .route("/reviews", get(reviews::overview))
        .route("/reviews/cycles", post(reviews::open_cycle))
        .route("/reviews/cycles/{id}/close", post(reviews::close_cycle))
        .route(
            "/reviews/cycles/{id}/calibration",
            get(reviews::calibration),
        )
        .route("/reviews/{id}", get(reviews::show))
        .route("/reviews/{id}/assessment", post(reviews::assess))
        .route("/reviews/{id}/sign", post(reviews::sign))
        .route("/updates", post(updates::post))
        .route("/static/{file}", get(assets::asset))
        .layer(middleware::from_fn(csrf::check))
        .layer(middleware::from_fn(security::headers))
}

/// The whole site: the pages of [`router`] and everything of
/// `climb_server::app` (API, health, metrics), on one router.
pub fn site(state: AppState) -> Router {
    router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            climb_server::headers::hsts,
        ))
        .with_state(state.clone())
        .merge(climb_server::app(state))
}

/// Serves [`site`] on `listener` until `shutdown` resolves; requests in
/// flight then finish. Fails only when accepting fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = site(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
