//! Account administration (administrators only): the list of logins with
//! what they may do, when they last logged in and how many tokens they hold,
//! and changing one: its kind (administrator, HR, employee), its password,
//! disabled or not. Every change is recorded in the account events; a
//! change takes effect at once on this instance (the credential cache
//! forgets the account) and within seconds on others.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use climb_people::policy::Action;
use climb_people::{ActorKind, Org};
use climb_store::{AccountChange, AccountId, AccountOverview};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::framework::PageQuery;
use crate::api::session::KindRequest;
use crate::auth::{Authenticated, hash_password};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, encode};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts))
        .routes(routes!(update_account))
}

/// An account as administrators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountSummary {
    /// Id.
    pub id: i64,
    /// Login email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// The person behind it, if any.
    pub person: Option<i64>,
    /// `admin`, `hr` or `employee`: what the account was made.
    #[schema(example = "employee")]
    pub kind: String,
    /// How many people report to its person directly (a manager's rights
    /// over them come from the reporting tree, not from the account).
    pub direct_reports: usize,
    /// Whether it can log in with a password.
    pub has_password: bool,
    /// Whether an administrator disabled it.
    pub disabled: bool,
    /// When it last logged in, if ever.
    pub last_login: Option<DateTime<Utc>>,
    /// How many API tokens it holds (not revoked).
    pub tokens: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

fn kind_text(kind: ActorKind) -> &'static str {
    kind.as_str()
}

/// An account as the API and the users page show it.
pub fn summary(org: &Org, overview: AccountOverview) -> AccountSummary {
    let account = overview.account;
    AccountSummary {
        id: account.id.0,
        email: account.email.to_string(),
        name: account.name,
        person: account.person.map(|p| p.0),
        kind: kind_text(account.kind).to_owned(),
        direct_reports: account.person.map_or(0, |p| {
            org.reports(p)
                .into_iter()
                .filter(|r| org.person(*r).is_some_and(|r| r.is_active()))
                .count()
        }),
        has_password: overview.has_password,
        disabled: overview.disabled,
        last_login: overview.last_login,
        tokens: overview.tokens,
        created_at: account.created_at,
    }
}

/// Accounts, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountList {
    /// Accounts by id.
    pub accounts: Vec<AccountSummary>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Every account, by id (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of accounts", body = AccountList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators see accounts", body = ErrorBody),
    )
)]
pub(crate) async fn list_accounts(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<AccountList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::Administer,
            "see accounts",
        )?;
    }
    let limit = u32::try_from(page.limit + 1).unwrap_or(u32::MAX);
    let mut found = state
        .store()
        .account_overviews(page.after.map(AccountId), limit)
        .await?;
    let next_cursor = if found.len() > page.limit {
        found.truncate(page.limit);
        found.last().map(|a| encode(a.account.id.0))
    } else {
        None
    };
    let org = state.org().await?;
    Ok(Json(AccountList {
        accounts: found.into_iter().map(|a| summary(&org, a)).collect(),
        next_cursor,
    }))
}

/// What to change; every field is optional, at least one is needed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    /// The new kind.
    #[serde(default)]
    pub kind: Option<KindRequest>,
    /// A new password (at least 8 characters).
    #[serde(default)]
    pub password: Option<String>,
    /// `true` disables the login (its tokens and sessions stop working),
    /// `false` enables it again.
    #[serde(default)]
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for AccountUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountUpdate")
            .field("kind", &self.kind)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// Changes an account's kind, password or whether it is disabled
/// (administrators). Administrators cannot demote or disable themselves.
#[utoipa::path(
    patch,
    path = "/api/v1/accounts/{id}",
    tag = "accounts",
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountUpdate,
    responses(
        (status = 200, description = "The account as changed", body = AccountSummary),
        (status = 400, description = "Malformed body, nothing to change, or `weak_password`", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators change accounts", body = ErrorBody),
        (status = 404, description = "`unknown_account`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`own_account`: an administrator cannot demote or disable themselves", body = ErrorBody),
    )
)]
pub(crate) async fn update_account(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AccountUpdate>,
) -> Result<Json<AccountSummary>, ApiError> {
    {
        let org = state.org().await?;
        user.act(
            &org,
            &state.framework(),
            &Action::Administer,
            "change accounts",
        )?;
    }
    let id = AccountId(id);
    if state.store().account(id).await?.is_none() {
        return Err(ApiError::not_found(
            "unknown_account",
            format!("there is no account {}", id.0),
        ));
    }
    if body.kind.is_none() && body.password.is_none() && body.disabled.is_none() {
        return Err(ApiError::bad_request(
            "nothing_to_change",
            "send at least one of `kind`, `password` and `disabled`",
        ));
    }
    if let Some(password) = &body.password
        && password.chars().count() < 8
    {
        return Err(ApiError::bad_request(
            "weak_password",
            "a password has at least 8 characters",
        ));
    }
    let kind = body.kind.map(|k| match k {
        KindRequest::Admin => ActorKind::Admin,
        KindRequest::Hr => ActorKind::Hr,
        KindRequest::Employee => ActorKind::Employee,
    });
    if id == user.account.id
        && (kind.is_some_and(|k| k != ActorKind::Admin) || body.disabled == Some(true))
    {
        return Err(ApiError::Rule {
            code: "own_account",
            message: "you cannot demote or disable your own account: ask another administrator"
                .to_owned(),
        });
    }
    let mut changes = Vec::new();
    if let Some(kind) = kind {
        changes.push(AccountChange::Kind(kind));
    }
    if let Some(password) = body.password {
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(ApiError::internal)??;
        changes.push(AccountChange::Password(hash));
    }
    if let Some(disabled) = body.disabled {
        changes.push(AccountChange::Disabled(disabled));
    }
    for change in changes {
        state
            .store()
            .change_account(user.actor(), id, change)
            .await?;
    }
    state.credentials().forget_account(id);
    let overview = state.store().account_overview(id).await?.ok_or_else(|| {
        ApiError::not_found("unknown_account", format!("there is no account {}", id.0))
    })?;
    let org = state.org().await?;
    Ok(Json(summary(&org, overview)))
}
