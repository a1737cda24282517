//! The bulk path for CSV import and export: validated rows are turned into
//! changes (hires, corrections, manager changes, leavings) and written with
//! their audit events in one transaction. Hires go in multi-row inserts as
//! large as the parameter limit allows, the values shared by every row bound
//! once per statement; ids are assigned in memory, not read back.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use climb_framework::{Framework, RoleId};
use climb_people::{
    Actor, Change, ChangeReason, Email, PeopleError, Person, PersonDetails, PersonId, RoleChange,
    Status,
};
use sqlx::AnyConnection;
use sqlx::any::AnyArguments;

use crate::backend::Backend;
use crate::chain::{self, NewEvent};
use crate::codec::{date_text, time_text, to_json};
use crate::error::StoreError;
use crate::persist::persist;
use crate::store::{Store, apply_changes, apply_to_org, catch_up_in, lock_writers};
use crate::webhooks;
use climb_webhooks::{Event, EventType};

/// Bound parameters one statement may carry: SQLite's limit (PostgreSQL's
/// is 65535). Batches are sized to it, so a million rows take a few hundred
/// statements.
const MAX_PARAMS: usize = 32_766;

/// One validated CSV row. `None` means "no change" for someone already known
/// (a blank cell); a new person needs at least a name and a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPerson {
    /// Who: people are matched by email.
    pub email: Email,
    /// Display name.
    pub name: Option<String>,
    /// Role id (must be a role of the framework in force).
    pub role: Option<RoleId>,
    /// The manager's email: someone already known or elsewhere in the file.
    pub manager_email: Option<Email>,
    /// First day (for a new person; defaults to today).
    pub start_date: Option<NaiveDate>,
    /// Active or left; `left` records the leaving of a known person.
    pub status: Option<Status>,
    /// Last day, for a person who left (defaults to today).
    pub end_date: Option<NaiveDate>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// People created.
    pub created: usize,
    /// Known people with at least one change.
    pub updated: usize,
    /// Known people the file left as they were.
    pub unchanged: usize,
}

/// One person as exported (`climb export`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportPerson {
    /// Database id.
    pub id: PersonId,
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role id.
    pub role: String,
    /// The manager's email.
    pub manager_email: Option<String>,
    /// First day.
    pub start_date: NaiveDate,
    /// Active or left.
    pub status: Status,
    /// Last day.
    pub end_date: Option<NaiveDate>,
}

/// A column value for a multi-row insert.
#[derive(Debug, Clone)]
enum Val<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    /// Text made for this statement (a date, an audit event): moved into
    /// the arguments, not copied.
    Owned(String),
}

/// A query of the Any driver with its arguments.
type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, AnyArguments>;

/// `INSERT INTO table (constants…, columns…)` for `rows` rows of `columns`.
/// The `constants`, the same for every row, are bound once per statement
/// (first), the rows after them: each row then carries only what varies,
/// and binding values is most of the cost of a bulk write.
///
/// SQLite gets anonymous `?` placeholders: it looks numbered ones (`$N`) up
/// by name, one linear scan each, which makes a statement of thousands of
/// parameters quadratic to prepare. PostgreSQL only understands `$N`.
fn insert_sql(
    backend: Backend,
    table: &str,
    constants: &[&str],
    columns: &[&str],
    rows: usize,
) -> String {
    let mut n = 0;
    let mut param = |sql: &mut String| {
        n += 1;
        match backend {
            Backend::Sqlite => sql.push('?'),
            Backend::Postgres => {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
    };
    let names: Vec<&str> = constants.iter().chain(columns).copied().collect();
    let mut sql = format!("INSERT INTO {table} ({}) ", names.join(", "));
    if !constants.is_empty() {
        sql.push_str("SELECT ");
        for _ in constants {
            param(&mut sql);
            sql.push_str(", ");
        }
        let values: Vec<String> = (1..=columns.len()).map(|c| format!("column{c}")).collect();
        sql.push_str(&values.join(", "));
        sql.push_str(" FROM (");
    }
    sql.push_str("VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            param(&mut sql);
        }
        sql.push(')');
    }
    if !constants.is_empty() {
        sql.push_str(") AS v");
    }
    sql
}

fn bind<'q>(query: AnyQuery<'q>, value: Val<'q>) -> AnyQuery<'q> {
    match value {
        Val::Int(v) => query.bind(v),
        Val::Text(v) => query.bind(v),
        Val::Owned(v) => query.bind(v),
    }
}

/// Inserts the row `row` gives for each of `items` (when it gives one) into
/// `table`, as many rows per statement as the parameter limit allows; see
/// [`insert_sql`]. The next statement's arguments are built while the
/// database runs the current one (SQLite runs on a thread of its own), so
/// encoding and writing overlap.
async fn insert_rows<'a, T, const W: usize>(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    constants: &[(&str, Val<'a>)],
    columns: [&str; W],
    items: &'a [T],
    row: impl Fn(&'a T) -> Result<Option<[Val<'a>; W]>, StoreError>,
) -> Result<(), StoreError> {
    let per_statement = (MAX_PARAMS - constants.len()) / W;
    let names: Vec<&str> = constants.iter().map(|(name, _)| *name).collect();
    // Made on first need (a small import never fills a statement). A
    // `OnceLock`, not a `OnceCell`: the future must stay `Send`.
    let full_sql = std::sync::OnceLock::new();
    // The statement for the rows of `items[from..]` that fit in one, and
    // where the next one starts; `None` when no rows are left.
    let build = |from: usize| -> Result<Option<(AnyQuery<'a>, usize)>, StoreError> {
        let mut values = Vec::with_capacity(per_statement.min(items.len() - from) * W);
        let mut rows = 0;
        let mut next = from;
        while next < items.len() && rows < per_statement {
            if let Some(row) = row(&items[next])? {
                values.extend(row);
                rows += 1;
            }
            next += 1;
        }
        if rows == 0 {
            return Ok(None);
        }
        let sql = if rows == per_statement {
            full_sql
                .get_or_init(|| insert_sql(backend, table, &names, &columns, per_statement))
                .clone()
        } else {
            insert_sql(backend, table, &names, &columns, rows)
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (_, value) in constants {
            query = bind(query, value.clone());
        }
        for value in values {
            query = bind(query, value);
        }
        Ok(Some((query, next)))
    };
    let mut pending = build(0)?;
    while let Some((query, next)) = pending.take() {
        // `join!` polls the statement first, which hands it to the
        // database, then builds the next one while it runs.
        let (done, following) = tokio::join!(query.execute(&mut *conn), async { build(next) });
        done?;
        pending = following?;
    }
    Ok(())
}

/// From this many changes on, an import works out the org after it on
/// another thread while the database writes.
const APPLY_ALONGSIDE_FROM: usize = 10_000;

/// Secondary indexes are built after the rows from this many hires on,
/// when the people table starts empty (a company's first import).
const DEFER_INDEXES_FROM: usize = 10_000;

/// Writes the hires' people rows. Into an empty table, its secondary indexes
/// (email, manager, role) are dropped first and built again once the rows
/// are in: one sort each instead of a random B-tree insert per row. The
/// definitions are read from the database's catalog, so they stay those of
/// the migrations.
async fn insert_people(
    conn: &mut AnyConnection,
    backend: Backend,
    hires: &[Change],
) -> Result<(), StoreError> {
    let deferred = if hires.len() >= DEFER_INDEXES_FROM && table_is_empty(conn, "people").await? {
        drop_secondary_indexes(conn, backend, "people").await?
    } else {
        Vec::new()
    };
    insert_rows(
        &mut *conn,
        backend,
        "people",
        &[],
        [
            "id",
            "name",
            "email",
            "status",
            "role",
            "manager_id",
            "start_date",
            "end_date",
        ],
        hires,
        |change| {
            let Change::PersonHired { person, .. } = change else {
                return Ok(None);
            };
            Ok(Some([
                Val::Int(Some(person.id.0)),
                Val::Text(Some(person.name.as_str())),
                Val::Text(Some(person.email.as_str())),
                Val::Text(Some(person.status.as_str())),
                Val::Text(Some(person.role.as_str())),
                Val::Int(person.manager.map(|m| m.0)),
                Val::Owned(date_text(person.start_date)),
                person
                    .end_date
                    .map_or(Val::Text(None), |d| Val::Owned(date_text(d))),
            ]))
        },
    )
    .await?;
    if !deferred.is_empty() && backend == Backend::Postgres {
        // PostgreSQL builds no index on a table with checks still pending:
        // run the deferred manager-reference checks now, every row being in.
        sqlx::query("SET CONSTRAINTS ALL IMMEDIATE")
            .execute(&mut *conn)
            .await?;
    }
    for definition in deferred {
        sqlx::query(sqlx::AssertSqlSafe(definition))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whether `table` has no rows.
async fn table_is_empty(conn: &mut AnyConnection, table: &str) -> Result<bool, StoreError> {
    let any: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT 1 FROM {table} LIMIT 1"
    )))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(any.is_none())
}

/// Drops the indexes of `table` that no key or constraint owns, returning
/// the statements that create them again.
async fn drop_secondary_indexes(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<Vec<String>, StoreError> {
    let catalog = match backend {
        // `sql` is NULL for the indexes SQLite makes for keys itself.
        Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT i.relname::text, pg_get_indexdef(i.oid) FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) \
             ORDER BY i.relname"
        }
    };
    let indexes: Vec<(String, String)> = sqlx::query_as(catalog)
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    for (name, _) in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(indexes
        .into_iter()
        .map(|(_, definition)| definition)
        .collect())
}

fn role_of(framework: &Framework, role: &RoleId) -> Result<(), StoreError> {
    match framework.role(role.as_str()) {
        Some(_) => Ok(()),
        None => Err(PeopleError::UnknownRole {
            role: role.to_string(),
        }
        .into()),
    }
}

impl Store {
    /// Imports validated rows in one transaction: unknown emails are hired
    /// (name and role required), known people get the changes their non-blank
    /// cells ask for (name, role as a correction, manager, leaving). Managers
    /// may appear after their reports. Every change is audited. Fails, writing
    /// nothing, on an unknown role or manager, a duplicate email in the rows,
    /// a new person without name or role, or a database error.
    #[tracing::instrument(skip_all, fields(rows = rows.len()))]
    pub async fn import_people(
        &self,
        framework: &Framework,
        actor: Actor,
        rows: Vec<ImportPerson>,
    ) -> Result<ImportSummary, StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let mut state = self.state.write().await;
        catch_up_in(&mut tx, &mut state).await?;

        let at = Utc::now();
        let today = at.date_naive();
        let mut next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM people")
            .fetch_one(&mut *tx)
            .await?;

        // Pass 1: an id for every email, so managers may come after reports.
        let mut ids: foldhash::HashMap<Email, (PersonId, bool)> =
            foldhash::HashMap::with_capacity_and_hasher(rows.len(), Default::default());
        for row in &rows {
            let known = state.org.person_by_email(&row.email).map(|p| p.id);
            let entry = match known {
                Some(id) => (id, false),
                None => {
                    let id = PersonId(next);
                    next += 1;
                    (id, true)
                }
            };
            if ids.insert(row.email.clone(), entry).is_some() {
                return Err(StoreError::Import {
                    email: row.email.to_string(),
                    message: "the email appears more than once".to_owned(),
                });
            }
        }
        let resolve = |email: &Email, row: &ImportPerson| -> Result<PersonId, StoreError> {
            ids.get(email)
                .map(|(id, _)| *id)
                .or_else(|| state.org.person_by_email(email).map(|p| p.id))
                .ok_or_else(|| StoreError::Import {
                    email: row.email.to_string(),
                    message: format!("the manager {email} is neither known nor in the file"),
                })
        };

        // Pass 2: the changes. Rows are consumed: names and roles move into
        // the changes instead of being copied.
        let mut summary = ImportSummary::default();
        let mut hires = Vec::with_capacity(rows.len());
        let mut others = Vec::new();
        for row in rows {
            let Some(&(id, new)) = ids.get(&row.email) else {
                continue;
            };
            let manager = row
                .manager_email
                .as_ref()
                .map(|m| resolve(m, &row))
                .transpose()?;
            if new {
                let missing = |field: &str| StoreError::Import {
                    email: row.email.to_string(),
                    message: format!("a new person needs a {field}"),
                };
                let name = row.name.ok_or_else(|| missing("name"))?;
                let role = row.role.ok_or_else(|| missing("role"))?;
                role_of(framework, &role)?;
                let start_date = row.start_date.unwrap_or(today);
                let status = row.status.unwrap_or(Status::Active);
                let end_date = match status {
                    Status::Left => Some(row.end_date.unwrap_or(today)),
                    Status::Active => None,
                };
                hires.push(Change::PersonHired {
                    role: RoleChange {
                        person: id,
                        from: None,
                        to: role.clone(),
                        effective_date: start_date,
                        reason: ChangeReason::Hire,
                        note: None,
                        proposal: None,
                    },
                    person: Person {
                        id,
                        name,
                        email: row.email,
                        status,
                        role,
                        manager,
                        start_date,
                        end_date,
                    },
                });
                summary.created += 1;
                continue;
            }
            let Some(person) = state.org.person(id) else {
                continue;
            };
            let before = others.len();
            if let Some(name) = row.name.filter(|n| *n != person.name) {
                others.push(Change::PersonUpdated {
                    person: id,
                    before: PersonDetails {
                        name: person.name.clone(),
                        email: person.email.clone(),
                    },
                    after: PersonDetails {
                        name,
                        email: person.email.clone(),
                    },
                });
            }
            if let Some(role) = row.role.filter(|r| *r != person.role) {
                role_of(framework, &role)?;
                others.push(Change::RoleChanged {
                    change: RoleChange {
                        person: id,
                        from: Some(person.role.clone()),
                        to: role,
                        effective_date: today,
                        reason: ChangeReason::Correction,
                        note: Some("import".to_owned()),
                        proposal: None,
                    },
                });
            }
            if let Some(manager) = manager.filter(|m| Some(*m) != person.manager) {
                others.push(Change::ManagerChanged {
                    person: id,
                    from: person.manager,
                    to: Some(manager),
                });
            }
            match row.status {
                Some(Status::Left) if person.is_active() => others.push(Change::PersonLeft {
                    person: id,
                    date: row.end_date.unwrap_or(today),
                }),
                Some(Status::Active) if !person.is_active() => {
                    return Err(StoreError::Import {
                        email: row.email.to_string(),
                        message: "someone who left cannot be made active again by import"
                            .to_owned(),
                    });
                }
                _ => {}
            }
            if others.len() > before {
                summary.updated += 1;
            } else {
                summary.unchanged += 1;
            }
        }
        drop(ids);

        // For a large import, the org after it is worked out on another
        // thread while the database writes (on a copy, put in place only
        // once the transaction commits); a small one is applied after the
        // commit, which costs less than copying the org.
        let hired = hires.len();
        hires.append(&mut others);
        let changes = Arc::new(hires);
        let next_org = (changes.len() >= APPLY_ALONGSIDE_FROM).then(|| {
            let changes = Arc::clone(&changes);
            let mut org = state.org.clone();
            tokio::task::spawn_blocking(move || {
                apply_to_org(&mut org, &changes);
                org
            })
        });
        let (hires, others) = changes.split_at(hired);

        // Persist: hires in multi-row batches, the rest one by one.
        let backend = self.backend();
        insert_people(&mut tx, backend, hires)
            .await
            .map_err(|e| match e {
                StoreError::Query(ref q) if crate::error::is_email_violation(q) => {
                    StoreError::EmailTaken {
                        email: String::new(),
                    }
                }
                other => other,
            })?;
        // Every hire's history entry has the same shape: only who, into
        // which role and when vary.
        insert_rows(
            &mut tx,
            backend,
            "role_history",
            &[
                ("from_role", Val::Text(None)),
                ("reason", Val::Text(Some(ChangeReason::Hire.as_str()))),
                ("note", Val::Text(None)),
                ("correction", Val::Int(Some(0))),
            ],
            ["person_id", "to_role", "effective_date"],
            hires,
            |change| {
                let Change::PersonHired { role, .. } = change else {
                    return Ok(None);
                };
                Ok(Some([
                    Val::Int(Some(role.person.0)),
                    Val::Text(Some(role.to.as_str())),
                    Val::Owned(date_text(role.effective_date)),
                ]))
            },
        )
        .await?;
        // Every change here is a hire. `before` and `after` are left NULL:
        // the audit reader derives them from the change, which saves a third
        // of the writing. The seals are made here, in order, after the head.
        let at_text = time_text(at);
        let actor_text = to_json(&actor)?;
        let mut prev = chain::head(&mut tx).await?;
        let mut events = Vec::with_capacity(hires.len());
        for change in hires {
            let json = to_json(change)?;
            let seal = NewEvent {
                at: &at_text,
                actor: &actor_text,
                action: "person.hired",
                subject_kind: "person",
                subject_id: change.subject().id(),
                before: None,
                after: None,
                change: Some(&json),
            }
            .seal(&prev);
            prev.clone_from(&seal.digest);
            events.push((change.subject().id(), json, seal));
        }
        insert_rows(
            &mut tx,
            backend,
            "audit_events",
            &[
                ("at", Val::Text(Some(at_text.as_str()))),
                ("actor", Val::Text(Some(actor_text.as_str()))),
                ("action", Val::Text(Some("person.hired"))),
                ("subject_kind", Val::Text(Some("person"))),
                ("before", Val::Text(None)),
                ("after", Val::Text(None)),
            ],
            [
                "subject_id",
                "change",
                "prev_digest",
                "body_digest",
                "digest",
            ],
            &events,
            |(subject, change, seal)| {
                Ok(Some([
                    Val::Int(Some(*subject)),
                    Val::Text(Some(change)),
                    Val::Text(Some(&seal.prev_digest)),
                    Val::Text(Some(&seal.body_digest)),
                    Val::Text(Some(&seal.digest)),
                ]))
            },
        )
        .await?;
        // Each hire is a `person.hired` webhook event: its deliveries go in
        // by the same multi-row statements, one subscriber after the other
        // (none when nobody subscribed). The other changes get theirs from
        // `persist`.
        let subscribers = webhooks::subscribers(&mut tx, EventType::PersonHired).await?;
        if !subscribers.is_empty() {
            let created = at.timestamp_millis();
            let outbox: Vec<(i64, String, String)> = hires
                .iter()
                .zip(&events)
                .filter_map(|(change, (person, _, seal))| {
                    let event = Event::of_change(change)?;
                    Some((*person, webhooks::event_id(&seal.digest), event.body(at)))
                })
                .collect();
            for subscriber in subscribers {
                insert_rows(
                    &mut tx,
                    backend,
                    "webhook_deliveries",
                    &[
                        ("subscription_id", Val::Int(Some(subscriber))),
                        (
                            "event_type",
                            Val::Text(Some(EventType::PersonHired.as_str())),
                        ),
                        ("created_ms", Val::Int(Some(created))),
                        ("status", Val::Text(Some("pending"))),
                        ("attempts", Val::Int(Some(0))),
                        ("next_attempt_ms", Val::Int(Some(created))),
                    ],
                    ["person_id", "event_id", "payload"],
                    &outbox,
                    |(person, id, payload)| {
                        Ok(Some([
                            Val::Int(Some(*person)),
                            Val::Text(Some(id)),
                            Val::Text(Some(payload)),
                        ]))
                    },
                )
                .await?;
            }
        }
        for change in others {
            persist(&mut tx, change, actor, at).await?;
        }
        let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_events")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;

        let applied = match next_org {
            // `None` also when the worker panicked: the changes are applied
            // here instead.
            Some(worker) => worker.await.ok(),
            None => None,
        };
        match applied {
            Some(org) => {
                state.org = org;
                state.seen = state.seen.max(seq);
            }
            None => apply_changes(&mut state, &changes, seq),
        }
        tracing::info!(?summary, "people imported");
        Ok(summary)
    }

    /// Everyone, active or not, by id, for `climb export` (after catching up).
    #[tracing::instrument(skip_all)]
    pub async fn export_people(&self) -> Result<Vec<ExportPerson>, StoreError> {
        let org = self.org().await?;
        let mut people: Vec<ExportPerson> = org
            .people()
            .map(|p| ExportPerson {
                id: p.id,
                email: p.email.to_string(),
                name: p.name.clone(),
                role: p.role.to_string(),
                manager_email: p
                    .manager
                    .and_then(|m| org.person(m))
                    .map(|m| m.email.to_string()),
                start_date: p.start_date,
                status: p.status,
                end_date: p.end_date,
            })
            .collect();
        people.sort_by_key(|p| p.id);
        Ok(people)
    }
}
