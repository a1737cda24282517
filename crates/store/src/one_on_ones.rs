//! One-on-ones in the database: a schedule per report, the meetings it
//! generates (the next one is always there), agenda items, shared and
//! private notes, action items and calendar feed tokens. Each write and its
//! audit event (about the report; never a private note's text) commit in
//! one transaction. The caller has checked the policy.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use climb_management::one_on_one::{self, Cadence, OneOnOneError, Schedule, Text};
use climb_people::{Actor, PersonId};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::AnyConnection;

use crate::chain::{self, NewEvent};
use crate::codec::{date_text, parse_date, parse_opt_date, parse_time, time_text, to_json};
use crate::error::StoreError;
use crate::store::{Store, lock_writers};

/// One meeting of a pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    /// Database id.
    pub id: i64,
    /// Whose one-on-one.
    pub report: PersonId,
    /// When it starts (or started).
    pub starts_at: DateTime<Utc>,
    /// When it was marked held; `None` for the next meeting.
    pub held_at: Option<DateTime<Utc>>,
    /// The manager who held it.
    pub held_with: Option<PersonId>,
}

/// An item on a meeting's shared agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    /// Database id.
    pub id: i64,
    /// The meeting it is on now (it moves on when not discussed).
    pub meeting: i64,
    /// Who added it.
    pub author: PersonId,
    /// The text.
    pub text: String,
    /// Marked discussed.
    pub discussed: bool,
}

/// A note on a meeting, shared by the pair or private to its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Database id.
    pub id: i64,
    /// The meeting.
    pub meeting: i64,
    /// Who wrote it.
    pub author: PersonId,
    /// Only its author may read it.
    pub private: bool,
    /// The text.
    pub text: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// An action item: open until done, shown at every meeting until then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// Database id.
    pub id: i64,
    /// Whose one-on-ones.
    pub report: PersonId,
    /// The meeting it was raised in.
    pub meeting: i64,
    /// Who does it.
    pub owner: PersonId,
    /// What.
    pub text: String,
    /// By when.
    pub due: NaiveDate,
    /// The day it was done.
    pub done_on: Option<NaiveDate>,
}

type MeetingRow = (i64, i64, String, Option<String>, Option<i64>);
type ScheduleRow = (String, String, String, String, i64);
type ActionRow = (i64, i64, i64, i64, String, String, Option<String>);

const MEETING_COLUMNS: &str = "id, report_id, starts_at, held_at, manager_id";
const ACTION_COLUMNS: &str = "id, report_id, meeting_id, owner_id, body, due_date, done_on";

fn meeting(row: MeetingRow) -> Result<Meeting, StoreError> {
    let (id, report, starts_at, held_at, held_with) = row;
    Ok(Meeting {
        id,
        report: PersonId(report),
        starts_at: parse_time(&starts_at)?,
        held_at: held_at.as_deref().map(parse_time).transpose()?,
        held_with: held_with.map(PersonId),
    })
}

fn action(row: ActionRow) -> Result<ActionItem, StoreError> {
    let (id, report, meeting, owner, text, due, done_on) = row;
    Ok(ActionItem {
        id,
        report: PersonId(report),
        meeting,
        owner: PersonId(owner),
        text,
        due: parse_date(&due)?,
        done_on: parse_opt_date(done_on.as_deref())?,
    })
}

fn schedule(row: ScheduleRow) -> Result<Schedule, StoreError> {
    let (cadence, first, time, zone, minutes) = row;
    let corrupt = |e: OneOnOneError| StoreError::Corrupt(format!("one-on-one schedule: {e}"));
    let time = NaiveTime::parse_from_str(&time, "%H:%M")
        .map_err(|e| StoreError::Corrupt(format!("local time `{time}`: {e}")))?;
    let minutes = u16::try_from(minutes)
        .map_err(|_| StoreError::Corrupt(format!("meeting length {minutes}")))?;
    Schedule::new(
        Cadence::parse(&cadence).map_err(corrupt)?,
        parse_date(&first)?,
        time,
        one_on_one::parse_zone(&zone).map_err(corrupt)?,
        minutes,
    )
    .map_err(corrupt)
}

// What the manager-habits analytics read: every schedule's cadence, and the
// days one-on-ones were held.
impl Store {
    /// Every report's one-on-one cadence and first day.
    #[tracing::instrument(skip_all)]
    pub async fn one_on_one_cadences(
        &self,
    ) -> Result<Vec<(PersonId, Cadence, NaiveDate)>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT report_id, cadence, first_date FROM one_on_one_schedules")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(report, cadence, first)| {
                let cadence = Cadence::parse(&cadence)
                    .map_err(|e| StoreError::Corrupt(format!("one-on-one schedule: {e}")))?;
                Ok((PersonId(report), cadence, parse_date(&first)?))
            })
            .collect()
    }

    /// The one-on-ones held on or after `since`, as the report and the
    /// (UTC) day each was marked held.
    #[tracing::instrument(skip_all)]
    pub async fn one_on_ones_held_since(
        &self,
        since: NaiveDate,
    ) -> Result<Vec<(PersonId, NaiveDate)>, StoreError> {
        let since = time_text(since.and_time(NaiveTime::MIN).and_utc());
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT report_id, held_at FROM one_on_one_meetings \
             WHERE held_at IS NOT NULL AND held_at >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(report, held)| Ok((PersonId(report), parse_time(&held)?.date_naive())))
            .collect()
    }
}

/// Appends an audit event about `person` that carries no people change (so
/// catching up skips it); returns its sequence number. The caller's
/// transaction holds the writers' lock.
pub(crate) async fn append_note_event(
    conn: &mut AnyConnection,
    actor: Actor,
    at: DateTime<Utc>,
    action: &str,
    person: PersonId,
    before: Value,
    after: Value,
) -> Result<i64, StoreError> {
    let (at, actor) = (time_text(at), to_json(&actor)?);
    let (before, after) = (to_json(&before)?, to_json(&after)?);
    chain::append(
        conn,
        &NewEvent {
            at: &at,
            actor: &actor,
            action,
            subject_kind: "person",
            subject_id: person.0,
            before: Some(&before),
            after: Some(&after),
            change: None,
        },
    )
    .await
}

async fn open_meeting_in(
    conn: &mut AnyConnection,
    report: PersonId,
) -> Result<Option<Meeting>, StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM one_on_one_meetings \
         WHERE report_id = $1 AND held_at IS NULL ORDER BY id DESC LIMIT 1"
    );
    sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(sql))
        .bind(report.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(meeting)
        .transpose()
}

async fn meeting_in(conn: &mut AnyConnection, id: i64) -> Result<Meeting, StoreError> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM one_on_one_meetings WHERE id = $1");
    sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(meeting)
        .transpose()?
        .ok_or(StoreError::NotFound("one-on-one meeting"))
}

async fn insert_meeting(
    conn: &mut AnyConnection,
    report: PersonId,
    starts_at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO one_on_one_meetings (report_id, starts_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(report.0)
    .bind(time_text(starts_at))
    .fetch_one(&mut *conn)
    .await?)
}

/// The first occurrence after `after`, or the last one the calendar has.
fn next_start(schedule: &Schedule, after: DateTime<Utc>) -> DateTime<Utc> {
    schedule.next_after(after).map_or(after, |(_, at)| at)
}

impl Store {
    /// Sets (or replaces) `report`'s schedule and moves their next meeting
    /// to the first occurrence after `now` and after the last meeting held,
    /// creating it when there is none.
    #[tracing::instrument(skip_all)]
    pub async fn set_schedule(
        &self,
        actor: Actor,
        report: PersonId,
        schedule: &Schedule,
        now: DateTime<Utc>,
    ) -> Result<Meeting, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let before = self.schedule_in(&mut tx, report).await?;
        sqlx::query("DELETE FROM one_on_one_schedules WHERE report_id = $1")
            .bind(report.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO one_on_one_schedules (report_id, cadence, first_date, local_time, time_zone, minutes, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(report.0)
        .bind(schedule.cadence().as_str())
        .bind(date_text(schedule.first()))
        .bind(schedule.time().format("%H:%M").to_string())
        .bind(schedule.zone().name())
        .bind(i64::from(schedule.minutes()))
        .bind(time_text(now))
        .execute(&mut *tx)
        .await?;
        // After the last meeting held, so one held early is not repeated.
        let last_held: Option<String> = sqlx::query_scalar(
            "SELECT MAX(starts_at) FROM one_on_one_meetings WHERE report_id = $1 AND held_at IS NOT NULL",
        )
        .bind(report.0)
        .fetch_one(&mut *tx)
        .await?;
        let after = match last_held.as_deref().map(parse_time).transpose()? {
            Some(last) => last.max(now),
            None => now,
        };
        let starts_at = next_start(schedule, after);
        let id = match open_meeting_in(&mut tx, report).await? {
            Some(open) => {
                sqlx::query("UPDATE one_on_one_meetings SET starts_at = $1 WHERE id = $2")
                    .bind(time_text(starts_at))
                    .bind(open.id)
                    .execute(&mut *tx)
                    .await?;
                open.id
            }
            None => insert_meeting(&mut tx, report, starts_at).await?,
        };
        append_note_event(
            &mut tx,
            actor,
            now,
            "one_on_one.scheduled",
            report,
            before.map_or(Value::Null, |s| json!(s)),
            json!(schedule),
        )
        .await?;
        let next = meeting_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(next)
    }

    async fn schedule_in(
        &self,
        conn: &mut AnyConnection,
        report: PersonId,
    ) -> Result<Option<Schedule>, StoreError> {
        sqlx::query_as::<_, ScheduleRow>(
            "SELECT cadence, first_date, local_time, time_zone, minutes FROM one_on_one_schedules WHERE report_id = $1",
        )
        .bind(report.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(schedule)
        .transpose()
    }

    /// `report`'s schedule, if they have one.
    #[tracing::instrument(skip_all)]
    pub async fn schedule(&self, report: PersonId) -> Result<Option<Schedule>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        self.schedule_in(&mut conn, report).await
    }

    /// `report`'s meetings, newest first, at most `limit`.
    #[tracing::instrument(skip_all)]
    pub async fn meetings(&self, report: PersonId, limit: u32) -> Result<Vec<Meeting>, StoreError> {
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM one_on_one_meetings WHERE report_id = $1 \
             ORDER BY starts_at DESC, id DESC LIMIT $2"
        );
        sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(sql))
            .bind(report.0)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(meeting)
            .collect()
    }

    /// One meeting; [`StoreError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all)]
    pub async fn meeting(&self, id: i64) -> Result<Meeting, StoreError> {
        let mut conn = self.pool.acquire().await?;
        meeting_in(&mut conn, id).await
    }

    /// `report`'s last held meeting and their next one.
    #[tracing::instrument(skip_all)]
    pub async fn last_and_next(
        &self,
        report: PersonId,
    ) -> Result<(Option<Meeting>, Option<Meeting>), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM one_on_one_meetings \
             WHERE report_id = $1 AND held_at IS NOT NULL ORDER BY held_at DESC LIMIT 1"
        );
        let last = sqlx::query_as::<_, MeetingRow>(sqlx::AssertSqlSafe(sql))
            .bind(report.0)
            .fetch_optional(&mut *conn)
            .await?
            .map(meeting)
            .transpose()?;
        let next = open_meeting_in(&mut conn, report).await?;
        Ok((last, next))
    }

    /// Adds `text` by `author` to the agenda of a meeting not yet held.
    #[tracing::instrument(skip_all)]
    pub async fn add_agenda_item(
        &self,
        actor: Actor,
        meeting: i64,
        author: PersonId,
        text: Text,
    ) -> Result<AgendaItem, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let m = meeting_in(&mut tx, meeting).await?;
        if m.held_at.is_some() {
            return Err(OneOnOneError::MeetingHeld.into());
        }
        let now = Utc::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO one_on_one_agenda (meeting_id, author_id, body, discussed, created_at) \
             VALUES ($1, $2, $3, 0, $4) RETURNING id",
        )
        .bind(meeting)
        .bind(author.0)
        .bind(text.as_str())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        append_note_event(
            &mut tx,
            actor,
            now,
            "one_on_one.agenda_added",
            m.report,
            Value::Null,
            json!({ "meeting": meeting, "item": id, "text": text.as_str() }),
        )
        .await?;
        tx.commit().await?;
        Ok(AgendaItem {
            id,
            meeting,
            author,
            text: text.into_string(),
            discussed: false,
        })
    }

    /// One agenda item; [`StoreError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all)]
    pub async fn agenda_item(&self, id: i64) -> Result<AgendaItem, StoreError> {
        let row: Option<(i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, meeting_id, author_id, body, discussed FROM one_on_one_agenda WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let (id, meeting, author, text, discussed) =
            row.ok_or(StoreError::NotFound("agenda item"))?;
        Ok(AgendaItem {
            id,
            meeting,
            author: PersonId(author),
            text,
            discussed: discussed != 0,
        })
    }

    /// Marks an agenda item of a meeting not yet held discussed or not.
    #[tracing::instrument(skip_all)]
    pub async fn set_discussed(
        &self,
        actor: Actor,
        item: i64,
        discussed: bool,
    ) -> Result<AgendaItem, StoreError> {
        let current = self.agenda_item(item).await?;
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let m = meeting_in(&mut tx, current.meeting).await?;
        if m.held_at.is_some() {
            return Err(OneOnOneError::MeetingHeld.into());
        }
        sqlx::query("UPDATE one_on_one_agenda SET discussed = $1 WHERE id = $2")
            .bind(i64::from(discussed))
            .bind(item)
            .execute(&mut *tx)
            .await?;
        append_note_event(
            &mut tx,
            actor,
            Utc::now(),
            "one_on_one.agenda_marked",
            m.report,
            json!({ "item": item, "discussed": current.discussed }),
            json!({ "item": item, "discussed": discussed }),
        )
        .await?;
        tx.commit().await?;
        Ok(AgendaItem {
            discussed,
            ..current
        })
    }

    /// A meeting's agenda, in the order added.
    #[tracing::instrument(skip_all)]
    pub async fn agenda(&self, meeting: i64) -> Result<Vec<AgendaItem>, StoreError> {
        let rows: Vec<(i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT id, meeting_id, author_id, body, discussed FROM one_on_one_agenda \
             WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, meeting, author, text, discussed)| AgendaItem {
                id,
                meeting,
                author: PersonId(author),
                text,
                discussed: discussed != 0,
            })
            .collect())
    }

    /// Adds a note by `author` to a meeting (held or not).
    #[tracing::instrument(skip_all)]
    pub async fn add_note(
        &self,
        actor: Actor,
        meeting: i64,
        author: PersonId,
        private: bool,
        text: Text,
    ) -> Result<Note, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let m = meeting_in(&mut tx, meeting).await?;
        let now = Utc::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO one_on_one_notes (meeting_id, author_id, private, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(meeting)
        .bind(author.0)
        .bind(i64::from(private))
        .bind(text.as_str())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        // A private note's text stays out of the audit log: it is its author's alone.
        let after = if private {
            json!({ "meeting": meeting, "note": id, "private": true })
        } else {
            json!({ "meeting": meeting, "note": id, "private": false, "text": text.as_str() })
        };
        append_note_event(
            &mut tx,
            actor,
            now,
            "one_on_one.note_added",
            m.report,
            Value::Null,
            after,
        )
        .await?;
        tx.commit().await?;
        Ok(Note {
            id,
            meeting,
            author,
            private,
            text: text.into_string(),
            created_at: parse_time(&time_text(now))?,
        })
    }

    /// A meeting's notes, oldest first, private ones included: the caller
    /// keeps those whose author is not the reader out.
    #[tracing::instrument(skip_all)]
    pub async fn notes(&self, meeting: i64) -> Result<Vec<Note>, StoreError> {
        let rows: Vec<(i64, i64, i64, i64, String, String)> = sqlx::query_as(
            "SELECT id, meeting_id, author_id, private, body, created_at FROM one_on_one_notes \
             WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, meeting, author, private, text, created_at)| {
                Ok(Note {
                    id,
                    meeting,
                    author: PersonId(author),
                    private: private != 0,
                    text,
                    created_at: parse_time(&created_at)?,
                })
            })
            .collect()
    }

    /// Adds an action item raised in `meeting` for `owner`, due on `due`.
    #[tracing::instrument(skip_all)]
    pub async fn add_action(
        &self,
        actor: Actor,
        meeting: i64,
        owner: PersonId,
        text: Text,
        due: NaiveDate,
    ) -> Result<ActionItem, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let m = meeting_in(&mut tx, meeting).await?;
        let now = Utc::now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO one_on_one_actions (report_id, meeting_id, owner_id, body, due_date, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(m.report.0)
        .bind(meeting)
        .bind(owner.0)
        .bind(text.as_str())
        .bind(date_text(due))
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        append_note_event(
            &mut tx,
            actor,
            now,
            "one_on_one.action_added",
            m.report,
            Value::Null,
            json!({ "action": id, "owner": owner, "text": text.as_str(), "due": due }),
        )
        .await?;
        tx.commit().await?;
        Ok(ActionItem {
            id,
            report: m.report,
            meeting,
            owner,
            text: text.into_string(),
            due,
            done_on: None,
        })
    }

    /// One action item; [`StoreError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all)]
    pub async fn action(&self, id: i64) -> Result<ActionItem, StoreError> {
        let sql = format!("SELECT {ACTION_COLUMNS} FROM one_on_one_actions WHERE id = $1");
        sqlx::query_as::<_, ActionRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(action)
            .transpose()?
            .ok_or(StoreError::NotFound("action item"))
    }

    /// Marks an action item done on `on` (or open again with `None`).
    #[tracing::instrument(skip_all)]
    pub async fn set_action_done(
        &self,
        actor: Actor,
        id: i64,
        on: Option<NaiveDate>,
    ) -> Result<ActionItem, StoreError> {
        let current = self.action(id).await?;
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        sqlx::query("UPDATE one_on_one_actions SET done_on = $1 WHERE id = $2")
            .bind(on.map(date_text))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append_note_event(
            &mut tx,
            actor,
            Utc::now(),
            "one_on_one.action_marked",
            current.report,
            json!({ "action": id, "done_on": current.done_on }),
            json!({ "action": id, "done_on": on }),
        )
        .await?;
        tx.commit().await?;
        Ok(ActionItem {
            done_on: on,
            ..current
        })
    }

    /// `report`'s action items: the open ones (they carry over until done),
    /// then those done, newest first.
    #[tracing::instrument(skip_all)]
    pub async fn actions(&self, report: PersonId) -> Result<Vec<ActionItem>, StoreError> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM one_on_one_actions WHERE report_id = $1 \
             ORDER BY CASE WHEN done_on IS NULL THEN 0 ELSE 1 END, due_date, id"
        );
        sqlx::query_as::<_, ActionRow>(sqlx::AssertSqlSafe(sql))
            .bind(report.0)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(action)
            .collect()
    }

    /// Marks the meeting held by `manager` at `now`, generates the next one
    /// from `schedule` and moves the agenda items not discussed to it.
    /// Returns the next meeting. `meeting_held` when it already was.
    #[tracing::instrument(skip_all)]
    pub async fn hold_meeting(
        &self,
        actor: Actor,
        meeting: i64,
        manager: PersonId,
        schedule: &Schedule,
        now: DateTime<Utc>,
    ) -> Result<Meeting, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let m = meeting_in(&mut tx, meeting).await?;
        if m.held_at.is_some() {
            return Err(OneOnOneError::MeetingHeld.into());
        }
        let held = sqlx::query(
            "UPDATE one_on_one_meetings SET held_at = $1, manager_id = $2 WHERE id = $3 AND held_at IS NULL",
        )
        .bind(time_text(now))
        .bind(manager.0)
        .bind(meeting)
        .execute(&mut *tx)
        .await?;
        if held.rows_affected() != 1 {
            return Err(OneOnOneError::MeetingHeld.into());
        }
        let next = insert_meeting(
            &mut tx,
            m.report,
            next_start(schedule, m.starts_at.max(now)),
        )
        .await?;
        let items: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, discussed FROM one_on_one_agenda WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting)
        .fetch_all(&mut *tx)
        .await?;
        let flags: Vec<(i64, bool)> = items.into_iter().map(|(id, d)| (id, d != 0)).collect();
        let moved = one_on_one::carry_over(&flags);
        for id in &moved {
            sqlx::query("UPDATE one_on_one_agenda SET meeting_id = $1 WHERE id = $2")
                .bind(next)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        append_note_event(
            &mut tx,
            actor,
            now,
            "one_on_one.held",
            m.report,
            json!({ "meeting": meeting }),
            json!({ "meeting": meeting, "manager": manager, "next": next, "carried_over": moved }),
        )
        .await?;
        let next = meeting_in(&mut tx, next).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Stores `hash` as `person`'s calendar feed token, replacing (and so
    /// revoking) the previous one.
    #[tracing::instrument(skip_all)]
    pub async fn set_feed_token(
        &self,
        actor: Actor,
        person: PersonId,
        hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let now = Utc::now();
        let removed = sqlx::query("DELETE FROM calendar_feeds WHERE person_id = $1")
            .bind(person.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if let Some(hash) = hash {
            sqlx::query(
                "INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)",
            )
            .bind(person.0)
            .bind(hash)
            .bind(time_text(now))
            .execute(&mut *tx)
            .await?;
        }
        append_note_event(
            &mut tx,
            actor,
            now,
            if hash.is_some() {
                "calendar_feed.created"
            } else {
                "calendar_feed.revoked"
            },
            person,
            json!({ "feed": removed > 0 }),
            json!({ "feed": hash.is_some() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whose feed a token hash opens, and since when; `None` when revoked or unknown.
    #[tracing::instrument(skip_all)]
    pub async fn feed_owner(
        &self,
        hash: &str,
    ) -> Result<Option<(PersonId, DateTime<Utc>)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT person_id, created_at FROM calendar_feeds WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(p, at)| Ok((PersonId(p), parse_time(&at)?)))
            .transpose()
    }

    /// When `person`'s feed token was made, if they have one.
    #[tracing::instrument(skip_all)]
    pub async fn feed_created(
        &self,
        person: PersonId,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> =
            sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE person_id = $1")
                .bind(person.0)
                .fetch_optional(&self.pool)
                .await?;
        at.as_deref().map(parse_time).transpose()
    }
}
