//! People: the directory (list with filters, one person), hiring, role
//! changes, manager changes, leaving, and a person's history.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use climb_people::policy::{Action, Resource};
use climb_people::{Change, Command, Email, PersonId, Status};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{
    HistoryEntry, PeopleList, PersonDetail, PersonSummary, person_detail, role_id, today,
};
use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::Page;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people, hire))
        .routes(routes!(get_person))
        .routes(routes!(get_history))
        .routes(routes!(change_role))
        .routes(routes!(set_manager))
        .routes(routes!(leave))
        .routes(routes!(erase))
}

/// Which people a list shows by status.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// People who work here (the default).
    #[default]
    Active,
    /// People who left (administrators and HR only).
    Left,
    /// Everyone (others see only the active).
    All,
}

/// Filters and paging of the people list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeopleQuery {
    /// Case-insensitive substring of the name or email.
    q: Option<String>,
    /// Only holders of this role.
    role: Option<String>,
    /// Only people whose role is in this stream.
    stream: Option<String>,
    /// Only direct reports of this person.
    manager: Option<i64>,
    /// `active` (default), `left` or `all`.
    #[param(inline)]
    status: Option<StatusFilter>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The people of the directory, by id, filtered and paginated.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    tag = "people",
    params(PeopleQuery),
    responses(
        (status = 200, description = "One page of people", body = PeopleList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_people(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> Result<Json<PeopleList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let framework = &*state.framework();
    let org = state.org().await?;
    user.view(&org, &Resource::Directory)?;
    let privileged = user.actor().is_admin_or_hr();
    let status = query.status.unwrap_or_default();
    let needle = query
        .q
        .as_deref()
        .map(str::to_lowercase)
        .filter(|q| !q.is_empty());
    let stream_roles: Option<Vec<&str>> = query.stream.as_deref().map(|stream| {
        framework
            .roles()
            .iter()
            .filter(|r| r.stream.as_str() == stream)
            .map(|r| r.id.as_str())
            .collect()
    });
    let matches = |id: &PersonId| -> bool {
        let Some(person) = org.person(*id) else {
            return false;
        };
        let status_ok = match (status, person.status) {
            (StatusFilter::All, Status::Active) | (StatusFilter::Active, Status::Active) => true,
            (StatusFilter::All | StatusFilter::Left, Status::Left) => privileged,
            _ => false,
        };
        status_ok
            && query
                .role
                .as_deref()
                .is_none_or(|r| person.role.as_str() == r)
            && stream_roles
                .as_ref()
                .is_none_or(|roles| roles.contains(&person.role.as_str()))
            && query
                .manager
                .is_none_or(|m| person.manager == Some(PersonId(m)))
            && needle.as_deref().is_none_or(|q| {
                person.email.as_str().contains(q) || person.name.to_lowercase().contains(q)
            })
    };
    let (ids, next_cursor) = match query.manager {
        // Direct reports come from the index, not a scan.
        Some(manager) if status == StatusFilter::Active => {
            let reports = org.reports(PersonId(manager));
            page.take(reports.into_iter().filter(|id| matches(id)), |id| id.0)
        }
        _ => {
            let sorted = state.sorted_people(&org);
            page.take(sorted.iter().copied().filter(|id| matches(id)), |id| id.0)
        }
    };
    let people = ids
        .iter()
        .filter_map(|id| org.person(*id))
        .map(|p| PersonSummary::of(p, framework))
        .collect();
    Ok(Json(PeopleList {
        people,
        next_cursor,
    }))
}

/// One person: their directory entry, reports and active designations, and
/// their history when the caller may see it.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = PersonDetail),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 404, description = "No such person, or one the caller may not know", body = ErrorBody),
    )
)]
pub(crate) async fn get_person(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonDetail>, ApiError> {
    let id = PersonId(id);
    detail(&state, &user, id).await.map(Json)
}

/// A person's detail as `user` may see it.
pub(crate) async fn detail(
    state: &AppState,
    user: &Authenticated,
    id: PersonId,
) -> Result<PersonDetail, ApiError> {
    let records = {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
        user.view(&org, &Resource::Records(id)).is_ok()
    };
    let ended = if records {
        Some(state.ended_designations(id).await?)
    } else {
        None
    };
    let org = state.org().await?;
    person_detail(
        &org,
        &state.framework(),
        id,
        ended.as_deref().map(Vec::as_slice),
    )
}

/// A person's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    /// Role changes and ended designations, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// A person's history: private to them, everyone above them in the current
/// reporting tree, HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/history",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The history", body = HistoryList),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
pub(crate) async fn get_history(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HistoryList>, ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
        user.view(&org, &Resource::Records(id))?;
    }
    let ended = state.ended_designations(id).await?;
    let org = state.org().await?;
    let detail = person_detail(&org, &state.framework(), id, Some(ended.as_slice()))?;
    Ok(Json(HistoryList {
        history: detail.history.unwrap_or_default(),
    }))
}

/// A hire.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HireRequest {
    /// Display name (not blank).
    pub name: String,
    /// Email, unique.
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// The first role's id.
    #[schema(example = "software-engineer")]
    pub role: String,
    /// The manager's id.
    #[serde(default)]
    pub manager: Option<i64>,
    /// First day (default: today).
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
}

impl HireRequest {
    fn into_command(self) -> Result<Command, ApiError> {
        Ok(Command::Hire {
            id: PersonId(0),
            email: Email::parse(&self.email)?,
            role: role_id(&self.role)?,
            name: self.name,
            manager: self.manager.map(PersonId),
            start_date: self.start_date.unwrap_or_else(today),
        })
    }
}

/// Hires a person (administrators and HR).
#[utoipa::path(
    post,
    path = "/api/v1/people",
    tag = "people",
    request_body = HireRequest,
    responses(
        (status = 201, description = "Hired", body = PersonDetail),
        (status = 400, description = "Malformed body or invalid email or name", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators and HR hire", body = ErrorBody),
        (status = 404, description = "Unknown role or manager", body = ErrorBody),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "A rule refused it (`manager_cannot_have_reports`, `person_left`, …)", body = ErrorBody),
    )
)]
pub(crate) async fn hire(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<HireRequest>,
) -> Result<(StatusCode, Json<PersonDetail>), ApiError> {
    let command = body.into_command()?;
    {
        let org = state.org().await?;
        user.act(&org, &state.framework(), &Action::Hire, "hire people")?;
        if let Command::Hire {
            manager: Some(manager),
            ..
        } = &command
        {
            user.view(&org, &Resource::Person(*manager))?;
        }
    }
    let changes = state.execute(user.actor(), command).await?;
    let id = changes
        .iter()
        .find_map(|c| match c {
            Change::PersonHired { person, .. } => Some(person.id),
            _ => None,
        })
        .ok_or_else(|| ApiError::internal(std::io::Error::other("a hire recorded no person")))?;
    Ok((StatusCode::CREATED, Json(detail(&state, &user, id).await?)))
}

/// A role change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChangeRequest {
    /// The new role's id.
    #[schema(example = "senior-software-engineer")]
    pub to_role: String,
    /// The new role's first day (default: today).
    #[serde(default)]
    pub effective_date: Option<NaiveDate>,
    /// Why (required for a correction).
    #[serde(default)]
    pub reason: Option<String>,
    /// An administrator's correction outside the framework's transitions.
    #[serde(default)]
    pub correction: Option<bool>,
}

/// Changes a person's role along the framework, or records an
/// administrator's correction.
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/role-changes",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    request_body = RoleChangeRequest,
    responses(
        (status = 201, description = "Changed; the person after the change", body = PersonDetail),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators and HR change roles", body = ErrorBody),
        (status = 404, description = "Unknown person or role", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`no_such_transition`, `hire_only_role`, `same_role`, …", body = ErrorBody),
    )
)]
pub(crate) async fn change_role(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoleChangeRequest>,
) -> Result<(StatusCode, Json<PersonDetail>), ApiError> {
    let person = PersonId(id);
    let correction = body.correction.unwrap_or(false);
    let command = Command::ChangeRole {
        person,
        to_role: role_id(&body.to_role)?,
        effective_date: body.effective_date.unwrap_or_else(today),
        note: body.reason,
        correction,
    };
    {
        let org = state.org().await?;
        let (action, what) = if correction {
            (
                Action::RecordCorrection { person },
                "record role corrections",
            )
        } else {
            (Action::ChangeRole { person }, "change roles")
        };
        user.act_on_person(&org, &state.framework(), person, &action, what)?;
    }
    state.execute(user.actor(), command).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &user, person).await?),
    ))
}

/// Requires a field to be present even when its value may be `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<i64>::deserialize(d)
}

/// A new manager.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerRequest {
    /// The new manager's id, or `null` for none. Required.
    #[serde(deserialize_with = "present")]
    #[schema(required = true)]
    pub manager: Option<i64>,
}

/// Sets or clears a person's manager.
#[utoipa::path(
    put,
    path = "/api/v1/people/{id}/manager",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    request_body = ManagerRequest,
    responses(
        (status = 200, description = "The person after the change", body = PersonDetail),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators and HR change managers", body = ErrorBody),
        (status = 404, description = "Unknown person or manager", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`manager_cannot_have_reports`, `reporting_cycle`, `self_manager`, …", body = ErrorBody),
    )
)]
pub(crate) async fn set_manager(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ManagerRequest>,
) -> Result<Json<PersonDetail>, ApiError> {
    let person = PersonId(id);
    let manager = body.manager.map(PersonId);
    {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            person,
            &Action::SetManager { person },
            "change managers",
        )?;
        if let Some(manager) = manager {
            user.view(&org, &Resource::Person(manager))?;
        }
    }
    state
        .execute(user.actor(), Command::SetManager { person, manager })
        .await?;
    Ok(Json(detail(&state, &user, person).await?))
}

/// A leaving.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequest {
    /// The last day (default: today).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Why they leave (kept in the audit log; at most 500 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Records that a person leaves: their login ends at once.
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/leave",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    request_body = LeaveRequest,
    responses(
        (status = 200, description = "The person after leaving", body = PersonDetail),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators and HR record leavings", body = ErrorBody),
        (status = 404, description = "Unknown person", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`has_reports`, `person_left`, …", body = ErrorBody),
    )
)]
pub(crate) async fn leave(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LeaveRequest>,
) -> Result<Json<PersonDetail>, ApiError> {
    let person = PersonId(id);
    {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            person,
            &Action::Leave { person },
            "record leavings",
        )?;
    }
    let date = body.date.unwrap_or_else(today);
    let reason = body
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(reason) = &reason
        && reason.chars().count() > 500
    {
        return Err(ApiError::bad_request(
            "reason_too_long",
            "a leaving reason is at most 500 characters",
        ));
    }
    let result = state
        .store()
        .leave_with_reason(state.framework(), user.actor(), person, date, reason)
        .await;
    state.changed();
    result?;
    Ok(Json(detail(&state, &user, person).await?))
}

/// Erases a person who left (administrators): their name and email become
/// anonymous and what was written about them goes; ratings, levels, states
/// and counts stay (SPEC §4). What goes is listed in the store's `erase` module.
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/erase",
    tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person after erasure", body = PersonDetail),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only administrators erase people", body = ErrorBody),
        (status = 404, description = "Unknown person", body = ErrorBody),
        (status = 422, description = "`still_active`: only a person who left is erased", body = ErrorBody),
    )
)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PersonDetail>, ApiError> {
    let person = PersonId(id);
    {
        let org = state.org().await?;
        user.act_on_person(
            &org,
            &state.framework(),
            person,
            &Action::Erase { person },
            "erase people",
        )?;
    }
    state
        .execute(user.actor(), Command::Erase { person })
        .await?;
    Ok(Json(detail(&state, &user, person).await?))
}
