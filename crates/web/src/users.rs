//! Administration of logins: every account with what it may do (its kind,
//! and whether its person manages anyone, which the reporting tree decides),
//! its last login and tokens, sorted by name, email, last login or when the
//! login was given and paged; giving a person a login with an initial
//! password; making an account HR, administrator or employee; setting a new
//! password; disabling and enabling a login. The list reads the store after
//! the same administrator check as the API, and shows each account as the
//! API's `summary` does; every change goes through the API's account
//! endpoints inside the process with the visitor's session, so the policy,
//! the audit events and the credential cache are the API's.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use climb_people::Email;
use climb_people::policy::Action;
use climb_server::api::accounts::{AccountSummary, summary};
use climb_server::{ApiError, AppState};
use climb_store::AccountOrder;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::PageError;
use crate::listing::{Column, ListQuery, Listing, Table};
use crate::page::{Layout, Viewer, render};
use crate::tokens::api;

/// An account in the list.
#[derive(Debug)]
struct Row {
    id: i64,
    name: String,
    email: String,
    person: Option<i64>,
    kind: String,
    reports: u64,
    has_password: bool,
    disabled: bool,
    last_login: String,
    tokens: i64,
}

impl Row {
    fn of(a: AccountSummary, layout: &Layout) -> Self {
        Self {
            id: a.id,
            name: a.name,
            email: a.email,
            person: a.person,
            kind: a.kind,
            reports: u64::try_from(a.direct_reports).unwrap_or(u64::MAX),
            has_password: a.has_password,
            disabled: a.disabled,
            last_login: a.last_login.map(|t| layout.stamp(t)).unwrap_or_default(),
            tokens: a.tokens,
        }
    }

    /// What the account may do, in words.
    fn kind_label(&self) -> &'static str {
        kind_label(&self.kind, self.reports)
    }
}

/// What an account of `kind` whose person has `reports` may do, in words.
fn kind_label(kind: &str, reports: u64) -> &'static str {
    match kind {
        "admin" => "Administrator",
        "hr" => "HR",
        _ if reports > 0 => "Manager",
        _ => "Employee",
    }
}

/// The accounts: 50 a page, by name unless asked.
const ACCOUNTS_TABLE: Table = Table {
    columns: &[
        Column {
            key: "name",
            label: "Name",
            descending_first: false,
        },
        Column {
            key: "email",
            label: "Email",
            descending_first: false,
        },
        Column {
            key: "login",
            label: "Last login",
            descending_first: true,
        },
        Column {
            key: "created",
            label: "Login given",
            descending_first: true,
        },
    ],
    default: "name",
    per_page: 50,
};

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    me: i64,
    rows: Vec<Row>,
    listing: Listing,
    notice: Option<String>,
    problem: Option<String>,
    /// What the give-a-login form held when it was refused, shown again.
    typed: Typed,
}

/// The give-a-login form's fields as typed (never the password).
#[derive(Debug, Default)]
struct Typed {
    email: String,
    kind: String,
}

async fn page(
    state: &AppState,
    viewer: Viewer,
    list: &ListQuery,
    notice: Option<String>,
    problem: Option<String>,
    typed: Typed,
) -> Result<Response, PageError> {
    administrator(state, &viewer).await?;
    let refused = problem.is_some();
    let store = state.store();
    let total = store.account_count().await.map_err(ApiError::from)?;
    let listing = Listing::read(
        list,
        &ACCOUNTS_TABLE,
        usize::try_from(total).unwrap_or(usize::MAX),
        "/admin/users",
        &[],
        "#accounts",
    );
    let order = match listing.sort {
        "email" => AccountOrder::Email,
        "login" => AccountOrder::LastLogin,
        "created" => AccountOrder::Created,
        _ => AccountOrder::Name,
    };
    let offset = u64::try_from(listing.first() - 1).unwrap_or(0);
    let per_page = u32::try_from(ACCOUNTS_TABLE.per_page).unwrap_or(u32::MAX);
    let found = store
        .sorted_account_overviews(order, listing.descending, offset, per_page)
        .await
        .map_err(ApiError::from)?;
    let rows = {
        let org = state.org().await?;
        found
            .into_iter()
            .map(|overview| Row::of(summary(&org, overview), &viewer.layout))
            .collect()
    };
    let mut response = render(&UsersPage {
        me: viewer.user.account.id.0,
        layout: viewer.layout.at("admin"),
        rows,
        listing,
        notice,
        problem,
        typed,
    })?;
    if refused {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Refuses (403) anyone but an administrator before a form is looked at.
async fn administrator(state: &AppState, viewer: &Viewer) -> Result<(), PageError> {
    let org = state.org().await?;
    viewer.user.act(
        &org,
        &state.framework(),
        &Action::Administer,
        "administer accounts",
    )?;
    Ok(())
}

/// The message of an API error answer.
fn message(answer: &Value, fallback: &str) -> String {
    answer["error"]["message"]
        .as_str()
        .unwrap_or(fallback)
        .to_owned()
}

/// `GET /admin/users`: the accounts, 50 a page, sorted as asked.
pub(crate) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    page(&state, viewer, &query, None, None, Typed::default()).await
}

/// The give-a-login form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewLogin {
    email: String,
    kind: String,
    password: String,
}

/// `POST /admin/users`: gives the person with that email a login.
pub(crate) async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<NewLogin>,
) -> Result<Response, PageError> {
    administrator(&state, &viewer).await?;
    let person = match Email::parse(form.email.trim()) {
        Err(error) => Err(error.to_string()),
        Ok(email) => state
            .org()
            .await?
            .person_by_email(&email)
            .map(|p| p.id.0)
            .ok_or_else(|| format!("no one in the company has the email {email}")),
    };
    let (notice, problem) = match person {
        Err(problem) => (None, Some(problem)),
        Ok(person) => {
            let body = json!({ "person": person, "kind": form.kind, "password": form.password });
            let (status, answer) = api(
                &state,
                &headers,
                Method::POST,
                "/api/v1/accounts",
                Some(body),
            )
            .await?;
            if status.is_success() {
                let name = answer["name"].as_str().unwrap_or("");
                (
                    Some(format!(
                        "{name} can now log in as {} with the password you chose.",
                        answer["email"].as_str().unwrap_or("")
                    )),
                    None,
                )
            } else {
                (
                    None,
                    Some(message(&answer, "The login could not be created.")),
                )
            }
        }
    };
    let typed = if problem.is_some() {
        Typed {
            email: form.email,
            kind: form.kind,
        }
    } else {
        Typed::default()
    };
    page(
        &state,
        viewer,
        &ListQuery::default(),
        notice,
        problem,
        typed,
    )
    .await
}

/// One change to an account: `what` is `kind`, `password`, `disable` or `enable`.
#[derive(Debug, Deserialize)]
pub(crate) struct Change {
    what: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// `POST /admin/users/{id}`: changes one account.
pub(crate) async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<Change>,
) -> Result<Response, PageError> {
    administrator(&state, &viewer).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::Status(StatusCode::NOT_FOUND, "There is no such account."))?;
    let (body, done) = match form.what.as_str() {
        "kind" => (json!({ "kind": form.kind.unwrap_or_default() }), "is now"),
        "password" => (
            json!({ "password": form.password.unwrap_or_default() }),
            "has a new password",
        ),
        "disable" => (json!({ "disabled": true }), "is disabled"),
        "enable" => (json!({ "disabled": false }), "is enabled again"),
        _ => {
            return Err(PageError::Status(
                StatusCode::BAD_REQUEST,
                "That change is not known.",
            ));
        }
    };
    let (status, answer) = api(
        &state,
        &headers,
        Method::PATCH,
        &format!("/api/v1/accounts/{id}"),
        Some(body),
    )
    .await?;
    let (notice, problem) = if status.is_success() {
        let name = answer["name"].as_str().unwrap_or("The account");
        let text = if done == "is now" {
            let label = kind_label(
                answer["kind"].as_str().unwrap_or(""),
                answer["direct_reports"].as_u64().unwrap_or(0),
            );
            format!("{name} is now {label}.")
        } else {
            format!("{name} {done}.")
        };
        (Some(text), None)
    } else if status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED {
        return Err(PageError::Status(
            status,
            "Only administrators change accounts.",
        ));
    } else {
        (
            None,
            Some(message(&answer, "The account could not be changed.")),
        )
    };
    page(
        &state,
        viewer,
        &ListQuery::default(),
        notice,
        problem,
        Typed::default(),
    )
    .await
}
