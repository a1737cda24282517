//! `GET /api/v1/audit?person=ID`: the audit log, newest first (or oldest
//! first), for HR and administrators, narrowed by the person it is about,
//! the person who made the change, the action or its family, and a range of
//! days; paginated by sequence number.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use climb_people::PersonId;
use climb_people::policy::Resource;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::pagination::{Page, encode};
use crate::state::AppState;
use climb_store::AuditFilter;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Filter and paging of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Only events about this person.
    person: Option<i64>,
    /// Only changes made by this person's accounts.
    actor: Option<i64>,
    /// Only this action (`person.role_changed`) or family of actions
    /// (`person`, `review`, `one_on_one`…): lowercase letters, `_` and `.`.
    #[param(pattern = "^[a-z_]+(\\.[a-z_]+)*$", max_length = 64)]
    action: Option<String>,
    /// Only events recorded on or after this day (UTC).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<NaiveDate>,
    /// Only events recorded on or before this day (UTC).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<NaiveDate>,
    /// `newest` first (the default) or `oldest` first.
    #[param(inline)]
    order: Option<AuditOrder>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page (in the same order).
    cursor: Option<String>,
}

/// The order the audit log lists events in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AuditOrder {
    /// The newest first.
    Newest,
    /// The oldest first.
    Oldest,
}

/// Who made a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActorView {
    /// The person behind the account, if any.
    pub person: Option<i64>,
    /// `admin`, `hr`, `employee`, or `scim` for an identity provider's
    /// SCIM connection.
    pub kind: String,
    /// The name of the SCIM connection, when `kind` is `scim`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_connection: Option<String>,
}

/// What an event is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectView {
    /// `person` or `project`.
    pub kind: String,
    /// Its id.
    pub id: i64,
}

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Position in the log.
    pub seq: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who made the change.
    pub actor: ActorView,
    /// Stable action name, e.g. `person.role_changed`.
    pub action: String,
    /// What it is about.
    pub subject: SubjectView,
    /// State before (`null` when there was none).
    #[schema(value_type = Option<Object>)]
    pub before: serde_json::Value,
    /// State after.
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

/// Audit events, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    /// Events, newest first (oldest first when asked).
    pub events: Vec<AuditEventView>,
    /// Cursor of the next page, in the same order.
    pub next_cursor: Option<String>,
}

/// The audit log, newest first or oldest first (HR and administrators).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of events", body = AuditList),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and administrators read the audit log", body = ErrorBody),
        (status = 404, description = "`unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    user: Authenticated,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    let page = Page::parse(query.limit, query.cursor.as_deref())?;
    let filter = AuditFilter {
        person: query.person.map(PersonId),
        actor: query.actor.map(PersonId),
        action: query.action,
        from: query.from,
        to: query.to,
        oldest_first: query.order == Some(AuditOrder::Oldest),
    };
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Audit)?;
        for person in [filter.person, filter.actor].into_iter().flatten() {
            user.view(&org, &Resource::Person(person))?;
        }
    }
    if let Some(action) = &filter.action
        && !is_action_name(action)
    {
        return Err(ApiError::bad_request(
            "invalid_action",
            "an action is lowercase words joined by `_`, in families joined by `.`, such as `person.role_changed`",
        ));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(ApiError::bad_request(
            "invalid_range",
            "`from` must not be after `to`",
        ));
    }
    let events = audit_page(&state, &filter, &page).await?;
    Ok(Json(events))
}

/// Whether `action` names an action or a family of them.
fn is_action_name(action: &str) -> bool {
    action.len() <= 64
        && action.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

/// One page of the audit events matching `filter`, the caller having been
/// allowed to read them.
pub async fn audit_page(
    state: &AppState,
    filter: &AuditFilter,
    page: &Page,
) -> Result<AuditList, ApiError> {
    let limit = u32::try_from(page.limit + 1).unwrap_or(u32::MAX);
    let mut events = state
        .store()
        .audit_filtered(filter, limit, page.after)
        .await?;
    let next_cursor = if events.len() > page.limit {
        events.truncate(page.limit);
        events.last().map(|e| encode(e.seq))
    } else {
        None
    };
    // The names of the SCIM connections that acted, read once.
    let connections: std::collections::HashMap<i64, String> =
        if events.iter().any(|e| e.actor.scim_connection().is_some()) {
            state
                .store()
                .scim_tokens()
                .await?
                .into_iter()
                .map(|t| (t.id.0, t.name))
                .collect()
        } else {
            std::collections::HashMap::new()
        };
    Ok(AuditList {
        events: events
            .into_iter()
            .map(|e| AuditEventView {
                seq: e.seq,
                at: e.at,
                actor: ActorView {
                    person: e.actor.person.map(|p| p.0),
                    kind: e.actor.kind.as_str().to_owned(),
                    scim_connection: e.actor.scim_connection().map(|id| {
                        connections
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| format!("SCIM connection {id}"))
                    }),
                },
                action: e.action,
                subject: SubjectView {
                    kind: e.subject.kind().to_owned(),
                    id: e.subject.id(),
                },
                before: e.before,
                after: e.after,
            })
            .collect(),
        next_cursor,
    })
}
