//! Rebuilds the in-memory [`Org`] from the tables at start: each stored fact
//! is turned back into the [`Change`] that records it and replayed once, with
//! the org index built at the end.

use std::collections::HashMap;

use climb_framework::DesignationId;
use climb_people::{
    Assignment, Change, DesignationFlag, Org, Person, PersonId, ProjectId, RoleChange,
};
use sqlx::AnyConnection;

use crate::codec::{
    from_json, parse_date, parse_email, parse_opt_date, parse_reason, parse_role, parse_status,
};
use crate::error::StoreError;

type PersonRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);
type HistoryRow = (
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);

/// Reads every table of the people side and builds the org; also returns the
/// highest audit sequence number, which the org is up to date with. Call it
/// inside a transaction that reads one snapshot.
#[tracing::instrument(skip_all)]
pub(crate) async fn load_org(conn: &mut AnyConnection) -> Result<(Org, i64), StoreError> {
    // The caller reads everything in one snapshot, so the tables hold
    // exactly the changes up to this position.
    let seen: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_events")
        .fetch_one(&mut *conn)
        .await?;
    let people: Vec<PersonRow> = sqlx::query_as(
        "SELECT id, name, email, status, role, manager_id, start_date, end_date FROM people ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let history: Vec<HistoryRow> = sqlx::query_as(
        "SELECT person_id, from_role, to_role, effective_date, reason, note, proposal_id FROM role_history ORDER BY person_id, id",
    )
    .fetch_all(&mut *conn)
    .await?;

    let mut entries: HashMap<i64, Vec<RoleChange>> = HashMap::with_capacity(people.len());
    for (person, from, to, date, reason, note, proposal) in history {
        entries.entry(person).or_default().push(RoleChange {
            person: PersonId(person),
            from: from.as_deref().map(parse_role).transpose()?,
            to: parse_role(&to)?,
            effective_date: parse_date(&date)?,
            reason: parse_reason(&reason)?,
            note,
            proposal,
        });
    }

    let mut changes = Vec::with_capacity(people.len() * 2);
    let mut later = Vec::new();
    for (id, name, email, status, role, manager, start, end) in people {
        let role = parse_role(&role)?;
        let start_date = match start {
            Some(text) => parse_date(&text)?,
            None => chrono::NaiveDate::MIN,
        };
        let person = Person {
            id: PersonId(id),
            name,
            email: parse_email(&email)?,
            status: parse_status(&status)?,
            role: role.clone(),
            manager: manager.map(PersonId),
            start_date,
            end_date: parse_opt_date(end.as_deref())?,
        };
        let mut own = entries.remove(&id).unwrap_or_default().into_iter();
        let first = own.next().unwrap_or(RoleChange {
            person: person.id,
            from: None,
            to: role,
            effective_date: start_date,
            reason: climb_people::ChangeReason::Hire,
            note: None,
            proposal: None,
        });
        changes.push(Change::PersonHired {
            person,
            role: first,
        });
        later.extend(own.map(|change| Change::RoleChanged { change }));
    }
    changes.append(&mut later);

    let projects: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, name, status, closed FROM projects ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    for (id, name, status, closed) in projects {
        let project = ProjectId(id);
        changes.push(Change::ProjectCreated { project, name });
        if status == "closed" {
            let date = parse_opt_date(closed.as_deref())?.unwrap_or(chrono::NaiveDate::MIN);
            changes.push(Change::ProjectClosed { project, date });
        }
    }
    let members: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT project_id, person_id FROM project_members ORDER BY project_id, person_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    changes.extend(
        members
            .into_iter()
            .map(|(project, person)| Change::MemberAdded {
                project: ProjectId(project),
                person: PersonId(person),
            }),
    );
    let held: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT project_id, person_id, designation, start_date, flags FROM designations \
         WHERE end_date IS NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (project, person, designation, start, flags) in held {
        let flags: Vec<DesignationFlag> = from_json(&flags)?;
        changes.push(Change::DesignationStarted {
            assignment: Assignment {
                project: ProjectId(project),
                person: PersonId(person),
                designation: DesignationId::parse(designation.as_str()).map_err(|e| {
                    StoreError::Corrupt(format!("designation `{designation}`: {e}"))
                })?,
                start_date: parse_date(&start)?,
                flags,
            },
        });
    }

    // Hires are replayed by id, so a manager may come after their reports,
    // and people who left are among them: build the index once from the
    // whole instead of updating it change by change.
    let mut org = Org::new();
    org.apply_all_and_rebuild(&changes);
    Ok((org, seen))
}
