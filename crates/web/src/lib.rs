//! climb's web pages: server-rendered HTML (askama templates, htmx for
//! partial updates) over the same cookie sessions and permission policy as
//! the JSON API. [`router`] holds every page and the embedded static files;
//! merge it with `climb_server::app` to serve both from one listener.

mod admin;
mod assets;
mod audit;
mod chart;
mod csrf;
mod error;
mod fallback;
mod growth;
mod home;
mod insights;
mod listing;
mod login;
mod one_on_ones;
mod openings;
mod org;
mod page;
mod people;
mod projection;
mod projects;
mod promotions;
mod reviews;
mod scim_tokens;
mod security;
mod sso;
mod tokens;
mod users;
mod webhooks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::middleware;
use axum::routing::{MethodRouter, get, post};
use climb_server::AppState;

/// Every page and static file, and for each address that only takes a
/// form's POST a GET that leads to the page holding the form. CSRF is
/// checked on every POST and the security headers (CSP, nosniff, referrer
/// policy, no framing) are set on every answer of this router.
pub fn router() -> Router<AppState> {
    let Pages { mut router, routes } = pages();
    for (path, redirect) in fallback::form_redirects(&routes) {
        router = router.route(path, redirect);
    }
    router
        .layer(middleware::from_fn(csrf::check))
        .layer(middleware::from_fn(security::headers))
}

/// Every page route as `(METHOD, path template)`, from the same table that
/// builds [`router`], so that a test can walk them all and none is missed.
pub fn page_routes() -> Vec<(&'static str, &'static str)> {
    pages().routes
}

fn pages() -> Pages {
    Pages::default()
        .get("/", home::home)
        .get("/chart", chart::chart_page)
        .get("/login", login::login_page)
        .post("/login", login::login)
        .post("/logout", login::logout)
        // Single sign-on
        .get("/login/oidc", sso::start)
        .get("/login/oidc/callback", sso::callback)
        .get("/roles/{id}", chart::role_page)
        .get("/path", chart::path_page)
        .get("/people", people::directory)
        .get("/people.csv", people::directory_csv)
        .get("/people/{id}", people::person_page)
        .get("/org", org::org_page)
        .get("/org/{id}/reports", org::reports)
        .get("/projects", projects::list)
        .post("/projects", projects::create)
        .get("/projects/{id}", projects::show)
        .post("/projects/{id}/members", projects::add_member)
        .post("/projects/{id}/designations", projects::assign)
        .post("/projects/{id}/close", projects::close)
        .get("/openings", openings::list)
        .post("/openings", openings::open)
        .post("/openings/{id}/cancel", openings::cancel)
        .post("/openings/{id}/fill", openings::fill)
        .get("/insights", insights::insights)
        .get("/insights/projection", projection::projection)
        .get("/audit", audit::audit)
        .get("/audit.csv", audit::audit_csv)
        .get("/admin", admin::admin_page)
        .post_limited(
            "/admin/framework/check",
            admin::check_framework,
            admin::FRAMEWORK_LIMIT,
        )
        .post_limited(
            "/admin/framework",
            admin::store_framework,
            admin::FRAMEWORK_LIMIT,
        )
        .post_limited("/admin/import/check", admin::check_import, admin::CSV_LIMIT)
        .post_limited("/admin/import", admin::run_import, admin::CSV_LIMIT)
        .get("/admin/users", users::list)
        .post("/admin/users", users::create)
        .post("/admin/users/{id}", users::change)
        .get("/admin/scim", scim_tokens::list)
        .post("/admin/scim", scim_tokens::issue)
        .post("/admin/scim/{id}/revoke", scim_tokens::revoke)
        .get("/admin/webhooks", webhooks::list)
        .post("/admin/webhooks", webhooks::create)
        .post("/admin/webhooks/{id}/delete", webhooks::delete)
        .post(
            "/admin/webhooks/{id}/deliveries/{delivery}/replay",
            webhooks::replay,
        )
        .get("/tokens", tokens::list)
        .post("/tokens", tokens::create)
        .post("/tokens/time-zone", tokens::set_time_zone)
        .post("/tokens/mail", tokens::set_mail)
        .post("/tokens/{id}/revoke", tokens::revoke)
        .get("/one-on-ones", one_on_ones::overview)
        .get("/one-on-ones/with/{report}", one_on_ones::pair)
        .post(
            "/one-on-ones/with/{report}/schedule",
            one_on_ones::set_schedule,
        )
        .post("/one-on-ones/with/{report}/feed", one_on_ones::new_feed)
        .get("/one-on-ones/{id}", one_on_ones::meeting)
        .post("/one-on-ones/{id}/agenda", one_on_ones::add_agenda)
        .post("/one-on-ones/{id}/notes", one_on_ones::add_note)
        .post("/one-on-ones/{id}/actions", one_on_ones::add_action)
        .post("/one-on-ones/{id}/hold", one_on_ones::hold)
        .post(
            "/one-on-ones/agenda/{item}/toggle",
            one_on_ones::toggle_agenda,
        )
        .post("/one-on-ones/actions/{id}/done", one_on_ones::action_done)
        .post("/people/{id}/goals", growth::add_goal)
        .post("/people/{id}/goals/{goal}/done", growth::goal_done)
        .get("/promotions", promotions::list)
        .get("/promotions/{id}", promotions::show)
        .post("/promotions/{id}/decision", promotions::decide)
        .get("/people/{id}/promotions/new", promotions::new_draft)
        .post("/people/{id}/promotions", promotions::draft)
        .get("/reviews", reviews::overview)
        .post("/reviews/cycles", reviews::open_cycle)
        .post("/reviews/cycles/{id}/close", reviews::close_cycle)
        .post("/reviews/cycles/{id}/release", reviews::release_cycle)
        .get("/reviews/cycles/{id}/calibration", reviews::calibration)
        .get("/reviews/cycles/{id}/results.csv", reviews::results_csv)
        .get("/reviews/{id}", reviews::show)
        .post("/reviews/{id}/assessment", reviews::assess)
        .post("/reviews/{id}/sign", reviews::sign)
        .post("/updates", home::post_update)
        .get("/static/{file}", assets::asset)
}

/// The page table under construction: the router and the list of what it
/// routes, built together so that they cannot disagree.
#[derive(Default)]
struct Pages {
    router: Router<AppState>,
    routes: Vec<(&'static str, &'static str)>,
}

impl Pages {
    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.routes.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("GET", path, get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("POST", path, post(handler))
    }

    /// A POST whose body may be larger than a form's (uploads).
    fn post_limited<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
        limit: usize,
    ) -> Self {
        self.add(
            "POST",
            path,
            post(handler).layer(DefaultBodyLimit::max(limit)),
        )
    }
}

/// The whole site: the pages of [`router`] and everything of
/// `climb_server::app` (API, health, metrics), on one router.
pub fn site(state: AppState) -> Router {
    let api = climb_server::app(state.clone());
    router()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            climb_server::headers::hsts,
        ))
        .with_state(state.clone())
        .merge(api.clone())
        .fallback_service(fallback::not_found(api, state))
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
