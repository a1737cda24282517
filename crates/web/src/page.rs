//! What every page needs to know about the request: who is looking (through
//! the API's own session extractor, so the pages and the API share one
//! authentication and one permission path), the CSRF token for its forms,
//! the time zone its times are shown in, and whether htmx asked for a
//! partial.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use climb_management::inbox::{Counts, Task};
use climb_management::one_on_one::parse_zone;
use climb_people::ActorKind;
use climb_server::ApiError;
use climb_server::AppState;
use climb_server::auth::{Authenticated, cookie, session_cookie};

use crate::csrf::session_token;
use crate::error::PageError;

/// The signed-in visitor of a page.
#[derive(Debug)]
pub(crate) struct Viewer {
    /// The account, with the policy checks [`Authenticated::view`] and
    /// [`Authenticated::act`].
    pub(crate) user: Authenticated,
    /// What the shared layout shows.
    pub(crate) layout: Layout,
    /// Whether htmx asked for a fragment rather than the whole page.
    pub(crate) htmx: bool,
    /// What waits on the visitor, most urgent first, read for the counts
    /// in the navigation; `None` where the layout shows no counts (a
    /// fragment, a form posted).
    pub(crate) tasks: Option<Vec<Task>>,
}

/// The parts of the base layout that depend on the visitor.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Display name of the account.
    pub(crate) name: String,
    /// The account's person, for the "me" link.
    pub(crate) person: Option<i64>,
    /// Whether the account administers climb.
    pub(crate) admin: bool,
    /// Whether the account is HR's.
    pub(crate) hr: bool,
    /// The token every form of the page carries.
    pub(crate) csrf: String,
    /// The section highlighted in the navigation.
    pub(crate) section: &'static str,
    /// The zone times are shown in: the one the person saved, else their
    /// browser's (the [`ZONE_COOKIE`] the page script sets), else UTC.
    pub(crate) zone: Tz,
    /// Whether the person chose [`Layout::zone`] (rather than following
    /// their browser).
    pub(crate) zone_chosen: bool,
    /// The tasks waiting on the visitor, by the section where each is done.
    pub(crate) counts: Counts,
}

/// The cookie the page script sets to the browser's IANA time zone.
pub(crate) const ZONE_COOKIE: &str = "climb_tz";

impl Layout {
    /// `at` in the viewer's zone, e.g. `Mon 7 Dec 2026, 10:00 Europe/Berlin`.
    pub(crate) fn time(&self, at: DateTime<Utc>) -> String {
        format!(
            "{} {}",
            at.with_timezone(&self.zone).format("%a %-d %b %Y, %H:%M"),
            self.zone.name()
        )
    }

    /// `at` in the viewer's zone as `2026-12-07 10:00 Europe/Berlin`, for
    /// tables.
    pub(crate) fn stamp(&self, at: DateTime<Utc>) -> String {
        format!(
            "{} {}",
            at.with_timezone(&self.zone).format("%Y-%m-%d %H:%M"),
            self.zone.name()
        )
    }

    /// Today where the viewer is.
    pub(crate) fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&self.zone).date_naive()
    }
}

impl Layout {
    /// The same layout with `section` highlighted.
    pub(crate) fn at(&self, section: &'static str) -> Self {
        Self {
            section,
            ..self.clone()
        }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let user = match Authenticated::from_request_parts(parts, state).await {
            Ok(user) => user,
            Err(error) if error.status() == StatusCode::UNAUTHORIZED => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                return Err(PageError::Login(next));
            }
            Err(error) => return Err(error.into()),
        };
        let csrf = session_cookie(&parts.headers)
            .map(|s| session_token(&s))
            .unwrap_or_default();
        let saved = state
            .store()
            .account_time_zone(user.account.id)
            .await
            .map_err(ApiError::from)?;
        let zone = saved
            .as_deref()
            .and_then(|name| parse_zone(name).ok())
            .or_else(|| cookie(&parts.headers, ZONE_COOKIE).and_then(|name| parse_zone(&name).ok()))
            .unwrap_or(Tz::UTC);
        let htmx = parts.headers.contains_key("hx-request")
            && !parts.headers.contains_key("hx-history-restore-request");
        let tasks = if parts.method == Method::GET && !htmx {
            waiting_on(state, &user, zone).await
        } else {
            None
        };
        let layout = Layout {
            counts: tasks.as_deref().map(Counts::of).unwrap_or_default(),
            name: user.account.name.clone(),
            person: user.account.person.map(|p| p.0),
            admin: user.account.kind == ActorKind::Admin,
            hr: user.account.kind == ActorKind::Hr,
            csrf,
            section: "",
            zone,
            zone_chosen: saved.is_some(),
        };
        Ok(Self {
            user,
            layout,
            htmx,
            tasks,
        })
    }
}

/// The tasks waiting on `user`, for the navigation's counts. A store that
/// fails here costs the counts, not the page.
async fn waiting_on(state: &AppState, user: &Authenticated, zone: Tz) -> Option<Vec<Task>> {
    let today = Utc::now().with_timezone(&zone).date_naive();
    match climb_server::inbox::tasks_of(state, user.actor(), today, zone).await {
        Ok(tasks) => Some(tasks),
        Err(error) => {
            tracing::warn!(?error, "the navigation's counts could not be read");
            None
        }
    }
}

/// Renders a template as an HTML answer.
pub(crate) fn render<T: Template>(template: &T) -> Result<Response, PageError> {
    Ok(Html(template.render()?).into_response())
}

/// Renders a page that may carry a refused form: 422 when it does, so
/// scripts and tests see the refusal without reading the HTML.
pub(crate) fn render_form<T: Template>(template: &T, refused: bool) -> Result<Response, PageError> {
    let mut response = render(template)?;
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `text` with its first letter in upper case.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A message (an API error's, a domain refusal's) as a sentence for a page:
/// capital first letter and a full stop; empty stays empty.
pub(crate) fn sentence(message: &str) -> String {
    let mut text = capitalised(message);
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// A CSV file as a download named `file`.
pub(crate) fn csv_download(body: Vec<u8>, file: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
