//! Openings on a manager's team, company updates, and leaving with a
//! reason: each write commits with its audit event. Filling an opening
//! hires through the store's queue with a [`FollowUp`], so the hire and the
//! closed opening commit together (as a leave and its reason do).

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use climb_framework::{Framework, RoleId};
use climb_management::opening::{self, OpeningStatus};
use climb_management::update::{Audience, Post};
use climb_people::{Actor, Change, Command, Email, PersonId};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::AnyConnection;

use crate::codec::{parse_role, parse_time, time_text};
use crate::error::StoreError;
use crate::one_on_ones::append_note_event;
use crate::store::{Store, lock_writers};

/// What a command's transaction writes besides its changes, so that both
/// commit together or not at all.
#[derive(Debug)]
pub(crate) enum FollowUp {
    /// Nothing more.
    Nothing,
    /// The opening the hire fills: closed, linked to the hire.
    FillOpening {
        /// The opening's id.
        opening: i64,
        /// Whose team it is on.
        manager: PersonId,
    },
    /// Why a person leaves, as an audit event beside the leave.
    LeaveReason {
        /// Who leaves.
        person: PersonId,
        /// Their last day.
        date: NaiveDate,
        /// Why.
        reason: String,
    },
}

impl FollowUp {
    /// Writes it after the command's `changes`, at `at`; returns the
    /// sequence number of the last audit event it appended, if any. Fails
    /// with `opening_closed` when the opening is no longer open.
    pub(crate) async fn write(
        &self,
        conn: &mut AnyConnection,
        actor: Actor,
        changes: &[Change],
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        match self {
            Self::Nothing => Ok(None),
            Self::FillOpening { opening, manager } => {
                let hire = hired(changes)?;
                let done = sqlx::query(
                    "UPDATE openings SET status = 'filled', closed_at = $1, hire_id = $2 \
                     WHERE id = $3 AND status = 'open'",
                )
                .bind(time_text(at))
                .bind(hire.0)
                .bind(*opening)
                .execute(&mut *conn)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(opening::OpeningError::Closed("closed").into());
                }
                let seq = append_note_event(
                    conn,
                    actor,
                    at,
                    "opening.filled",
                    hire,
                    json!({ "opening": opening, "status": "open" }),
                    json!({ "opening": opening, "status": "filled", "hire": hire, "manager": manager }),
                )
                .await?;
                Ok(Some(seq))
            }
            Self::LeaveReason {
                person,
                date,
                reason,
            } => {
                if changes.is_empty() {
                    return Ok(None);
                }
                let seq = append_note_event(
                    conn,
                    actor,
                    at,
                    "person.leave_reason",
                    *person,
                    Value::Null,
                    json!({ "end_date": date, "reason": reason }),
                )
                .await?;
                Ok(Some(seq))
            }
        }
    }
}

/// The person a hire's changes hired.
fn hired(changes: &[Change]) -> Result<PersonId, StoreError> {
    changes
        .iter()
        .find_map(|c| match c {
            Change::PersonHired { person, .. } => Some(person.id),
            _ => None,
        })
        .ok_or_else(|| StoreError::Corrupt("a hire without a person".to_owned()))
}

/// A role to fill on a manager's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opening {
    /// Database id.
    pub id: i64,
    /// Whose team.
    pub manager: PersonId,
    /// The role.
    pub role: RoleId,
    /// Open, filled or cancelled.
    pub status: OpeningStatus,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// When it was filled or cancelled.
    pub closed_at: Option<DateTime<Utc>>,
    /// The person hired into it.
    pub hire: Option<PersonId>,
}

/// A company update as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyUpdate {
    /// Database id.
    pub id: i64,
    /// Who posted it.
    pub author: PersonId,
    /// Who it is for.
    pub audience: Audience,
    /// Title and text.
    #[serde(flatten)]
    pub post: Post,
    /// When it was posted.
    pub posted_at: DateTime<Utc>,
}

type OpeningRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);
const OPENING_COLUMNS: &str = "id, manager_id, role, status, opened_at, closed_at, hire_id";

fn opening_of(row: OpeningRow) -> Result<Opening, StoreError> {
    let (id, manager, role, status, opened_at, closed_at, hire) = row;
    Ok(Opening {
        id,
        manager: PersonId(manager),
        role: parse_role(&role)?,
        status: OpeningStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("opening status `{status}`")))?,
        opened_at: parse_time(&opened_at)?,
        closed_at: closed_at.as_deref().map(parse_time).transpose()?,
        hire: hire.map(PersonId),
    })
}

type UpdateRow = (i64, i64, String, Option<i64>, String, String, String);

fn update_of(row: UpdateRow) -> Result<CompanyUpdate, StoreError> {
    let (id, author, audience, manager, title, body, posted_at) = row;
    let audience = match (audience.as_str(), manager) {
        ("company", _) => Audience::Company,
        ("team", Some(m)) => Audience::Team {
            manager: PersonId(m),
        },
        (other, _) => return Err(StoreError::Corrupt(format!("update audience `{other}`"))),
    };
    Ok(CompanyUpdate {
        id,
        author: PersonId(author),
        audience,
        post: Post { title, body },
        posted_at: parse_time(&posted_at)?,
    })
}

impl Store {
    /// Opens `role` on `manager`'s team (checked by
    /// [`opening::check_opening`] beforehand).
    #[tracing::instrument(skip_all)]
    pub async fn open_position(
        &self,
        actor: Actor,
        manager: PersonId,
        role: &RoleId,
    ) -> Result<Opening, StoreError> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO openings (manager_id, role, status, opened_at) VALUES ($1, $2, 'open', $3) RETURNING id",
        )
        .bind(manager.0)
        .bind(role.as_str())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        append_note_event(
            &mut tx,
            actor,
            now,
            "opening.opened",
            manager,
            Value::Null,
            json!({ "opening": id, "role": role }),
        )
        .await?;
        tx.commit().await?;
        self.opening(id).await
    }

    /// One opening; [`StoreError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all)]
    pub async fn opening(&self, id: i64) -> Result<Opening, StoreError> {
        let sql = format!("SELECT {OPENING_COLUMNS} FROM openings WHERE id = $1");
        sqlx::query_as::<_, OpeningRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(opening_of)
            .transpose()?
            .ok_or(StoreError::NotFound("opening"))
    }

    /// Openings, newest first; only those in `status` when given.
    #[tracing::instrument(skip_all)]
    pub async fn openings(
        &self,
        status: Option<OpeningStatus>,
    ) -> Result<Vec<Opening>, StoreError> {
        let sql = format!(
            "SELECT {OPENING_COLUMNS} FROM openings WHERE ($1 = '' OR status = $1) ORDER BY id DESC"
        );
        sqlx::query_as::<_, OpeningRow>(sqlx::AssertSqlSafe(sql))
            .bind(status.map_or("", OpeningStatus::as_str))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(opening_of)
            .collect()
    }

    /// Cancels an open opening; `opening_closed` when it is not open.
    #[tracing::instrument(skip_all)]
    pub async fn cancel_opening(&self, actor: Actor, id: i64) -> Result<Opening, StoreError> {
        let current = self.opening(id).await?;
        opening::check_open(current.status)?;
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let done = sqlx::query(
            "UPDATE openings SET status = 'cancelled', closed_at = $1 WHERE id = $2 AND status = 'open'",
        )
        .bind(time_text(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(opening::OpeningError::Closed("closed").into());
        }
        append_note_event(
            &mut tx,
            actor,
            now,
            "opening.cancelled",
            current.manager,
            json!({ "opening": id, "status": "open" }),
            json!({ "opening": id, "status": "cancelled" }),
        )
        .await?;
        tx.commit().await?;
        self.opening(id).await
    }

    /// Hires `name` <`email`> into the opening's role on its manager's team
    /// and closes it, linking the hire: one transaction, through the queue
    /// of [`Store::submit`]. Fails like [`Store::execute`] for the hire, or
    /// `opening_closed`.
    #[tracing::instrument(skip_all)]
    pub async fn fill_opening(
        &self,
        framework: Arc<Framework>,
        actor: Actor,
        id: i64,
        name: String,
        email: Email,
        start_date: NaiveDate,
    ) -> Result<(Opening, PersonId), StoreError> {
        let current = self.opening(id).await?;
        opening::check_open(current.status)?;
        let command = Command::Hire {
            id: PersonId(0),
            name,
            email,
            role: current.role.clone(),
            manager: Some(current.manager),
            start_date,
        };
        let follow_up = FollowUp::FillOpening {
            opening: id,
            manager: current.manager,
        };
        let changes = self
            .submit_with(framework, actor, command, follow_up)
            .await?;
        let hire = hired(&changes)?;
        Ok((self.opening(id).await?, hire))
    }

    /// Records that `person` leaves on `date` for `reason`: the leave and
    /// the reason's audit event commit together, through the queue of
    /// [`Store::submit`]. Fails like [`Store::execute`] (`has_reports` while
    /// they still have reports).
    #[tracing::instrument(skip_all)]
    pub async fn leave_with_reason(
        &self,
        framework: Arc<Framework>,
        actor: Actor,
        person: PersonId,
        date: NaiveDate,
        reason: Option<String>,
    ) -> Result<Vec<Change>, StoreError> {
        let command = Command::Leave { person, date };
        let follow_up = match reason {
            Some(reason) => FollowUp::LeaveReason {
                person,
                date,
                reason,
            },
            None => FollowUp::Nothing,
        };
        self.submit_with(framework, actor, command, follow_up).await
    }

    /// Posts an update by `author` to `audience`.
    #[tracing::instrument(skip_all)]
    pub async fn post_update(
        &self,
        actor: Actor,
        author: PersonId,
        audience: Audience,
        post: Post,
    ) -> Result<CompanyUpdate, StoreError> {
        let now = Utc::now();
        let (kind, manager) = match audience {
            Audience::Company => ("company", None),
            Audience::Team { manager } => ("team", Some(manager.0)),
        };
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO company_updates (author_id, audience, manager_id, title, body, posted_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(author.0)
        .bind(kind)
        .bind(manager)
        .bind(post.title.as_str())
        .bind(post.body.as_str())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        append_note_event(
            &mut tx,
            actor,
            now,
            "update.posted",
            author,
            Value::Null,
            json!({ "update": id, "audience": audience, "title": post.title }),
        )
        .await?;
        tx.commit().await?;
        Ok(CompanyUpdate {
            id,
            author,
            audience,
            post,
            posted_at: parse_time(&time_text(now))?,
        })
    }

    /// The newest updates, at most `limit`, newest first (the caller keeps
    /// those addressed to the reader).
    #[tracing::instrument(skip_all)]
    pub async fn updates(&self, limit: u32) -> Result<Vec<CompanyUpdate>, StoreError> {
        sqlx::query_as::<_, UpdateRow>(
            "SELECT id, author_id, audience, manager_id, title, body, posted_at FROM company_updates \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(update_of)
        .collect()
    }
}
