//! Writes one decided [`Change`] to the tables and appends its audit event,
//! inside the caller's transaction. The audit row carries the change as JSON
//! so other instances can replay it when they catch up. A change that is a
//! webhook event also gets its deliveries in the outbox, in the same
//! transaction (see the `webhooks` module).

use chrono::{DateTime, NaiveDate, Utc};
use climb_people::{Actor, Change, ChangeReason, PersonDetails, PersonId, RoleChange, Status};
use sqlx::AnyConnection;

use crate::chain::{self, Deliveries, NewEvent};
use crate::codec::{date_text, time_text, to_json};
use crate::error::StoreError;
use crate::webhooks;
use climb_webhooks::Event;

/// Persists `change` and its audit event; returns the event's sequence number.
pub(crate) async fn persist(
    conn: &mut AnyConnection,
    change: &Change,
    actor: Actor,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    write_tables(conn, change, at).await?;
    append_audit(conn, change, actor, at).await
}

/// Appends the audit event of `change`, and its webhook deliveries when it
/// is an event (on PostgreSQL in the same statement); returns the event's
/// sequence number.
async fn append_audit(
    conn: &mut AnyConnection,
    change: &Change,
    actor: Actor,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let webhook = Event::of_change(change);
    let record = change.audit();
    let (at_text, actor) = (time_text(at), to_json(&actor)?);
    let (before, after) = (to_json(&record.before)?, to_json(&record.after)?);
    let change = to_json(change)?;
    let event = NewEvent {
        at: &at_text,
        actor: &actor,
        action: record.action,
        subject_kind: record.subject.kind(),
        subject_id: record.subject.id(),
        before: Some(&before),
        after: Some(&after),
        change: Some(&change),
    };
    let Some(webhook) = webhook else {
        return chain::append(conn, &event).await;
    };
    if conn.backend_name() == "PostgreSQL" {
        let payload = webhook.body(at);
        let deliveries = Deliveries {
            event_type: webhook.kind.as_str(),
            person: webhooks::person_of(&webhook),
            payload: &payload,
            created_ms: at.timestamp_millis(),
        };
        return Ok(chain::append_with_deliveries(conn, &event, &deliveries)
            .await?
            .0);
    }
    let (seq, digest) = chain::append_sealed(conn, &event).await?;
    webhooks::enqueue(conn, &webhook, &webhooks::event_id(&digest), at).await?;
    Ok(seq)
}

/// Inserts a history entry.
pub(crate) async fn insert_history(
    conn: &mut AnyConnection,
    entry: &RoleChange,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO role_history (person_id, from_role, to_role, effective_date, reason, note, correction, proposal_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.person.0)
    .bind(entry.from.as_ref().map(|r| r.as_str().to_owned()))
    .bind(entry.to.as_str())
    .bind(date_text(entry.effective_date))
    .bind(entry.reason.as_str())
    .bind(entry.note.clone())
    .bind(i64::from(entry.reason == ChangeReason::Correction))
    .bind(entry.proposal)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn end_designations_of(
    conn: &mut AnyConnection,
    person: PersonId,
    date: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE designations SET end_date = $1 WHERE person_id = $2 AND end_date IS NULL")
        .bind(date_text(date))
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn update_details(
    conn: &mut AnyConnection,
    person: PersonId,
    after: &PersonDetails,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE people SET name = $1, email = $2 WHERE id = $3")
        .bind(after.name.as_str())
        .bind(after.email.as_str())
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn write_tables(
    conn: &mut AnyConnection,
    change: &Change,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        Change::PersonHired { person, role } => {
            sqlx::query(
                "INSERT INTO people (id, name, email, status, role, manager_id, start_date, end_date) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(person.id.0)
            .bind(person.name.as_str())
            .bind(person.email.as_str())
            .bind(person.status.as_str())
            .bind(person.role.as_str())
            .bind(person.manager.map(|m| m.0))
            .bind(date_text(person.start_date))
            .bind(person.end_date.map(date_text))
            .execute(&mut *conn)
            .await?;
            insert_history(conn, role).await?;
        }
        Change::RoleChanged { change } => {
            sqlx::query("UPDATE people SET role = $1 WHERE id = $2")
                .bind(change.to.as_str())
                .bind(change.person.0)
                .execute(&mut *conn)
                .await?;
            insert_history(conn, change).await?;
        }
        Change::ManagerChanged { person, to, .. } => {
            sqlx::query("UPDATE people SET manager_id = $1 WHERE id = $2")
                .bind(to.map(|m| m.0))
                .bind(person.0)
                .execute(&mut *conn)
                .await?;
        }
        Change::PersonLeft { person, date } => {
            sqlx::query("UPDATE people SET status = $1, end_date = $2 WHERE id = $3")
                .bind(Status::Left.as_str())
                .bind(date_text(*date))
                .bind(person.0)
                .execute(&mut *conn)
                .await?;
            // The domain also ends them one by one; this keeps the tables
            // right whatever order the changes come in.
            end_designations_of(conn, *person, *date).await?;
        }
        Change::PersonUpdated { person, after, .. } => update_details(conn, *person, after).await?,
        Change::PersonErased { person, after } => {
            update_details(conn, *person, after).await?;
            crate::erase::erase_records(conn, *person, after).await?;
        }
        Change::ProjectCreated { project, name } => {
            sqlx::query("INSERT INTO projects (id, name, status, created, closed) VALUES ($1, $2, 'open', $3, NULL)")
                .bind(project.0)
                .bind(name.as_str())
                .bind(date_text(at.date_naive()))
                .execute(&mut *conn)
                .await?;
        }
        Change::MemberAdded { project, person } => add_member(conn, project.0, person.0).await?,
        Change::DesignationStarted { assignment } => {
            add_member(conn, assignment.project.0, assignment.person.0).await?;
            sqlx::query(
                "INSERT INTO designations (project_id, person_id, designation, start_date, end_date, flags) \
                 VALUES ($1, $2, $3, $4, NULL, $5)",
            )
            .bind(assignment.project.0)
            .bind(assignment.person.0)
            .bind(assignment.designation.as_str())
            .bind(date_text(assignment.start_date))
            .bind(to_json(&assignment.flags)?)
            .execute(&mut *conn)
            .await?;
        }
        Change::DesignationEnded {
            assignment,
            end_date,
            ..
        } => {
            sqlx::query(
                "UPDATE designations SET end_date = $1 \
                 WHERE project_id = $2 AND person_id = $3 AND designation = $4 AND end_date IS NULL",
            )
            .bind(date_text(*end_date))
            .bind(assignment.project.0)
            .bind(assignment.person.0)
            .bind(assignment.designation.as_str())
            .execute(&mut *conn)
            .await?;
        }
        Change::ProjectClosed { project, date } => {
            sqlx::query("UPDATE projects SET status = 'closed', closed = $1 WHERE id = $2")
                .bind(date_text(*date))
                .bind(project.0)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "UPDATE designations SET end_date = $1 WHERE project_id = $2 AND end_date IS NULL",
            )
            .bind(date_text(*date))
            .bind(project.0)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

async fn add_member(conn: &mut AnyConnection, project: i64, person: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO project_members (project_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(project)
    .bind(person)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
