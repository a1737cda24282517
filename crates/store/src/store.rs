//! The [`Store`]: opens the database, keeps the domain [`Org`] in memory in
//! step with it, and carries out commands (lock, catch up, decide, persist
//! with audit, commit, apply): one transaction each through
//! [`Store::execute`], one per batch of queued commands through
//! [`Store::submit`] (see the `group_commit` module).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use climb_framework::Framework;
use climb_people::{
    Actor, AuditEvent, Change, Command, Org, Person, PersonId, ProjectId, RoleChange, Subject,
};
use sqlx::{AnyConnection, AnyPool, Executor};
use tokio::sync::{Mutex, RwLock, RwLockReadGuard};

use crate::backend::{self, Backend};
use crate::codec::{from_json, json_value, parse_time};
use crate::error::{StoreError, is_email_violation};
use crate::group_commit::{self, BatchCounters, DEFAULT_BATCH_LIMIT, Item, Queue, WriteBatches};
use crate::load::load_org;
use crate::migrate;
use crate::openings::FollowUp;

/// The in-memory state and how far into the audit log it is.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub(crate) org: Org,
    /// The highest audit sequence number applied to `org`.
    pub(crate) seen: i64,
}

/// Read access to the in-memory org; hold it briefly (writers wait for it).
pub type OrgGuard<'a> = tokio::sync::RwLockReadGuard<'a, Org>;

/// What [`Store::catch_up_for_serving`] read and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// Audit events applied to the in-memory org.
    pub applied: usize,
    /// The id of the active framework version (0: none ever loaded).
    pub framework: i64,
    /// The credential epoch: it moves whenever access is taken away.
    pub credential_epoch: i64,
}

/// The people side persisted in SQLite or PostgreSQL. Share it as
/// `Arc<Store>`; every method takes `&self`.
#[derive(Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    pub(crate) state: Arc<RwLock<State>>,
    /// Serializes this process's writers before they reach the database lock.
    pub(crate) writer: Arc<Mutex<()>>,
    /// The group-commit writer, started on the first [`Store::submit`].
    queue: OnceLock<Queue>,
    /// How many queued commands one transaction writes at most.
    batch_limit: Arc<AtomicUsize>,
    batch_counters: Arc<BatchCounters>,
    /// Whether review and proposal changes queue mail (see the `mail` module).
    pub(crate) mail_enabled: Arc<std::sync::atomic::AtomicBool>,
    /// Who signed each review of the cycle last asked about (see `kept`).
    pub(crate) kept_signatures: crate::kept::Kept<Vec<climb_management::review::Signatures>>,
    /// The calibration's counts of the whole cycle last asked about.
    pub(crate) kept_calibration: crate::kept::Kept<Vec<climb_management::calibration::RatingCount>>,
}

type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Opens the database `url` names (`sqlite://FILE`, created on first use;
    /// `sqlite::memory:`; `postgres://…`), runs the migrations it lacks and
    /// loads the people side into memory. Fails when the database cannot be
    /// reached, migrated or read.
    #[tracing::instrument(skip_all, fields(url = %backend::redact(url)))]
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let (backend, pool) = backend::connect(url).await?;
        migrate::run(&pool, backend).await?;
        // One snapshot for the log position and the tables, so that no
        // change is both loaded and replayed.
        let mut tx = pool.begin().await?;
        if backend == Backend::Postgres {
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .await?;
        }
        let (org, seen) = load_org(&mut tx).await?;
        tx.commit().await?;
        tracing::info!(people = org.people_count(), seen, "store opened");
        Ok(Self {
            pool,
            backend,
            state: Arc::new(RwLock::new(State { org, seen })),
            writer: Arc::new(Mutex::new(())),
            queue: OnceLock::new(),
            batch_limit: Arc::new(AtomicUsize::new(DEFAULT_BATCH_LIMIT)),
            batch_counters: Arc::default(),
            mail_enabled: Arc::default(),
            kept_signatures: Default::default(),
            kept_calibration: Default::default(),
        })
    }

    /// The audit log's last sequence number (0 when empty): what the kept
    /// reads are versioned by.
    pub(crate) async fn audit_head(&self) -> Result<i64, StoreError> {
        let (head,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM audit_events")
            .fetch_one(&self.pool)
            .await?;
        Ok(head)
    }

    /// Closes the connections (SQLite folds its write-ahead log into the
    /// database file here) and ends the store without freeing the in-memory
    /// org piece by piece: for a command whose process exits next, where
    /// freeing a million people would add seconds and gain nothing.
    pub async fn close_before_exit(self) {
        let Self { pool, state, .. } = self;
        pool.close().await;
        std::mem::forget(state);
    }

    /// Which database this store uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for adapters that add their own tables by their
    /// own migrations (accounts, sessions).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Catches up with changes other instances wrote, then gives read access
    /// to the org. Fails only when the database cannot be read.
    #[tracing::instrument(skip_all)]
    pub async fn org(&self) -> Result<OrgGuard<'_>, StoreError> {
        self.catch_up().await?;
        Ok(RwLockReadGuard::map(self.state.read().await, |s| &s.org))
    }

    /// The org as this instance last saw it, without asking the database.
    pub async fn org_cached(&self) -> OrgGuard<'_> {
        RwLockReadGuard::map(self.state.read().await, |s| &s.org)
    }

    /// Applies the audit events written since this instance last looked (by
    /// another instance or process); returns how many were applied.
    #[tracing::instrument(skip_all)]
    pub async fn catch_up(&self) -> Result<usize, StoreError> {
        self.catch_up_with_framework()
            .await
            .map(|(applied, _)| applied)
    }

    /// [`Store::catch_up`], also answering the id of the active framework
    /// version (0 when none was ever loaded), read in the same round trip,
    /// so that a server notices a version another instance loaded.
    #[tracing::instrument(skip_all)]
    pub async fn catch_up_with_framework(&self) -> Result<(usize, i64), StoreError> {
        let (latest, framework): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_events), \
             (SELECT COALESCE(MAX(id), 0) FROM framework_versions WHERE active = 1)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((self.apply_up_to(latest).await?, framework))
    }

    /// What a server reads before it answers a request, in one round trip:
    /// [`Store::catch_up_with_framework`] plus the credential epoch, which
    /// every transaction that takes access away moves (see the accounts
    /// module). Needs [`Store::migrate_accounts`] to have run.
    #[tracing::instrument(skip_all)]
    pub async fn catch_up_for_serving(&self) -> Result<CatchUp, StoreError> {
        let (latest, framework, credential_epoch): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_events), \
             (SELECT COALESCE(MAX(id), 0) FROM framework_versions WHERE active = 1), \
             (SELECT epoch FROM credential_epoch WHERE id = 1)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(CatchUp {
            applied: self.apply_up_to(latest).await?,
            framework,
            credential_epoch,
        })
    }

    /// Applies the audit events after the last one seen, up to `latest`.
    async fn apply_up_to(&self, latest: i64) -> Result<usize, StoreError> {
        if latest <= self.state.read().await.seen {
            return Ok(0);
        }
        // Connection first, then the state lock: the order writers take
        // them in, so an in-memory database's single connection cannot deadlock.
        let mut conn = self.pool.acquire().await?;
        let mut state = self.state.write().await;
        catch_up_in(&mut conn, &mut state).await
    }

    /// Carries out a command in a transaction of its own: takes the
    /// database's writer lock, catches up, lets the domain decide with
    /// `framework`, persists the changes and an audit event each, commits,
    /// then applies them in memory. Returns the changes (none when the
    /// command changes nothing). For a lone writer (a loader, a script); a
    /// server, where writes come at once, uses [`Store::submit`].
    ///
    /// The id in [`Command::Hire`] and [`Command::CreateProject`] is ignored:
    /// the store reserves the next free id and puts it there (pass
    /// `PersonId(0)` / `ProjectId(0)`); read it back from the returned change.
    ///
    /// Fails with [`StoreError::Domain`] when a rule refuses the command (then
    /// nothing is written), [`StoreError::EmailTaken`] on a duplicate email
    /// the database caught, or a database error.
    #[tracing::instrument(skip_all, fields(actor = ?actor.kind))]
    pub async fn execute(
        &self,
        framework: &Framework,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Change>, StoreError> {
        let _writer = self.writer.lock().await;
        let item = Item {
            framework,
            actor,
            command: &command,
            follow_up: &FollowUp::Nothing,
        };
        group_commit::write_alone(&self.pool, &self.state, item).await
    }

    /// Carries out a command like [`Store::execute`], through the store's
    /// queue: the commands submitted while a batch is being written are
    /// written together in the next transaction, each decided against the
    /// org as the commands before it in the queue left it, and each answered
    /// once that transaction has committed (see the `group_commit` module).
    ///
    /// Fails as [`Store::execute`] does for this command alone, or with
    /// [`StoreError::Batch`] when its batch could not commit (then nothing of
    /// the batch is written).
    #[tracing::instrument(skip_all, fields(actor = ?actor.kind))]
    pub async fn submit(
        &self,
        framework: Arc<Framework>,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Change>, StoreError> {
        self.submit_with(framework, actor, command, FollowUp::Nothing)
            .await
    }

    /// [`Store::submit`], with what the command's transaction also writes.
    pub(crate) async fn submit_with(
        &self,
        framework: Arc<Framework>,
        actor: Actor,
        command: Command,
        follow_up: FollowUp,
    ) -> Result<Vec<Change>, StoreError> {
        let queue = self.queue.get_or_init(|| {
            Queue::start(
                self.pool.clone(),
                Arc::clone(&self.state),
                Arc::clone(&self.writer),
                Arc::clone(&self.batch_limit),
                Arc::clone(&self.batch_counters),
            )
        });
        queue.submit(framework, actor, command, follow_up).await
    }

    /// Sets how many queued commands one transaction writes at most (at
    /// least 1; 1 writes each alone, as [`Store::execute`] does). Larger
    /// batches share a commit among more commands; each waits for its whole
    /// batch.
    pub fn set_write_batch_limit(&self, limit: usize) {
        self.batch_limit.store(limit.max(1), Ordering::Relaxed);
    }

    /// How many batches the writer of [`Store::submit`] has taken from its
    /// queue and how many commands they held.
    pub fn write_batches(&self) -> WriteBatches {
        self.batch_counters.read()
    }

    /// A person, active or not (after catching up); `None` for an unknown id.
    #[tracing::instrument(skip_all)]
    pub async fn person(&self, id: PersonId) -> Result<Option<Person>, StoreError> {
        Ok(self.org().await?.person(id).cloned())
    }

    /// A person's role history, oldest first (after catching up).
    #[tracing::instrument(skip_all)]
    pub async fn history(&self, person: PersonId) -> Result<Vec<RoleChange>, StoreError> {
        Ok(self.org().await?.history(person).to_vec())
    }

    /// Audit events, newest first: all of them or those about one person, at
    /// most `limit`, only those before `before_seq` when given (for paging).
    #[tracing::instrument(skip_all)]
    pub async fn audit(
        &self,
        person: Option<PersonId>,
        limit: u32,
        before_seq: Option<i64>,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let filter = AuditFilter {
            person,
            ..AuditFilter::default()
        };
        self.audit_filtered(&filter, limit, before_seq).await
    }

    /// Audit events matching `filter`, newest first (oldest first when the
    /// filter asks), at most `limit`, only those past `past_seq` in that
    /// order when given (for paging).
    #[tracing::instrument(skip_all)]
    pub async fn audit_filtered(
        &self,
        filter: &AuditFilter,
        limit: u32,
        past_seq: Option<i64>,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let mut sql = String::from(
            "SELECT seq, at, actor, action, subject_kind, subject_id, before, after, change FROM audit_events WHERE 1 = 1",
        );
        let mut binds: Vec<AuditBind> = Vec::new();
        fn placeholder(bind: AuditBind, binds: &mut Vec<AuditBind>) -> String {
            binds.push(bind);
            format!("${}", binds.len())
        }
        if let Some(person) = filter.person {
            let p = placeholder(AuditBind::Int(person.0), &mut binds);
            sql.push_str(&format!(
                " AND subject_kind = 'person' AND subject_id = {p}"
            ));
        }
        if let Some(actor) = filter.actor {
            // The actor column holds the actor as JSON with `person` first.
            let p = placeholder(
                AuditBind::Text(format!("{{\"person\":{},%", actor.0)),
                &mut binds,
            );
            sql.push_str(&format!(" AND actor LIKE {p}"));
        }
        if let Some(action) = &filter.action {
            let p = placeholder(AuditBind::Text(action.clone()), &mut binds);
            let q = placeholder(AuditBind::Text(format!("{action}.%")), &mut binds);
            sql.push_str(&format!(" AND (action = {p} OR action LIKE {q})"));
        }
        if let Some(from) = filter.from {
            let p = placeholder(AuditBind::Text(from.to_string()), &mut binds);
            sql.push_str(&format!(" AND at >= {p}"));
        }
        if let Some(to) = filter.to {
            // `at` is RFC 3339 text: every instant of `to` sorts before the next day.
            let next = to.succ_opt().unwrap_or(to);
            let p = placeholder(AuditBind::Text(next.to_string()), &mut binds);
            sql.push_str(&format!(" AND at < {p}"));
        }
        let (past, order) = if filter.oldest_first {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        if let Some(seq) = past_seq {
            let p = placeholder(AuditBind::Int(seq), &mut binds);
            sql.push_str(&format!(" AND seq {past} {p}"));
        }
        let p = placeholder(AuditBind::Int(i64::from(limit)), &mut binds);
        sql.push_str(&format!(" ORDER BY seq {order} LIMIT {p}"));
        let mut query = sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql));
        for bind in binds {
            query = match bind {
                AuditBind::Int(value) => query.bind(value),
                AuditBind::Text(value) => query.bind(value),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.into_iter().map(audit_event).collect()
    }
}

/// Which audit events to list; every field given narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only events about this person.
    pub person: Option<PersonId>,
    /// Only changes made by this person's accounts.
    pub actor: Option<PersonId>,
    /// Only this action (`person.role_changed`) or family of actions
    /// (`person`, `review`, `one_on_one`…).
    pub action: Option<String>,
    /// Only events recorded on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Only events recorded on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// The oldest first, instead of the newest.
    pub oldest_first: bool,
}

/// A value bound to a filter's placeholder.
enum AuditBind {
    Int(i64),
    Text(String),
}

fn audit_event(row: AuditRow) -> Result<AuditEvent, StoreError> {
    let (seq, at, actor, action, kind, id, before, after, change) = row;
    let subject = match kind.as_str() {
        "person" => Subject::Person(PersonId(id)),
        "project" => Subject::Project(ProjectId(id)),
        "review_cycle" => Subject::ReviewCycle(id),
        other => return Err(StoreError::Corrupt(format!("audit subject kind `{other}`"))),
    };
    // Bulk imports store only the change; its audit record gives both sides.
    let (before, after) = match (before, after, change) {
        (None, None, Some(change)) => {
            let record = from_json::<Change>(&change)?.audit();
            (record.before, record.after)
        }
        (before, after, _) => (
            json_value(before.as_deref())?,
            json_value(after.as_deref())?,
        ),
    };
    Ok(AuditEvent {
        seq,
        actor: from_json(&actor)?,
        at: parse_time(&at)?,
        action,
        subject,
        before,
        after,
    })
}

/// Takes the writers' lock of the database for the rest of the transaction:
/// the row lock in PostgreSQL, the write lock in SQLite.
pub(crate) async fn lock_writers(conn: &mut AnyConnection) -> Result<(), StoreError> {
    conn.execute("UPDATE store_lock SET n = n + 1 WHERE id = 1")
        .await?;
    Ok(())
}

/// Applies, inside the caller's transaction, the audit events after
/// `state.seen`. An event without a change (none are written today) is skipped.
pub(crate) async fn catch_up_in(
    conn: &mut AnyConnection,
    state: &mut State,
) -> Result<usize, StoreError> {
    let rows: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, change FROM audit_events WHERE seq > $1 ORDER BY seq")
            .bind(state.seen)
            .fetch_all(&mut *conn)
            .await?;
    let Some(&(last, _)) = rows.last() else {
        return Ok(0);
    };
    let changes = rows
        .iter()
        .filter_map(|(_, change)| change.as_deref())
        .map(from_json::<Change>)
        .collect::<Result<Vec<_>, _>>()?;
    tracing::debug!(count = changes.len(), last, "catching up");
    apply_changes(state, &changes, last);
    Ok(rows.len())
}

/// Applies persisted changes in memory and records the log position.
pub(crate) fn apply_changes(state: &mut State, changes: &[Change], seen: i64) {
    apply_to_org(&mut state.org, changes);
    state.seen = state.seen.max(seen);
}

/// Applies written changes to an org.
pub(crate) fn apply_to_org(org: &mut Org, changes: &[Change]) {
    // The org index is updated leaf by leaf for a short run of changes, which
    // assumes each hire is active and its manager already placed: true for
    // what `decide` returns, not for an import (managers after reports,
    // people who already left), so the index is built once after those.
    let hires = changes
        .iter()
        .filter(|c| matches!(c, Change::PersonHired { .. }))
        .count();
    let hired_inactive = changes
        .iter()
        .any(|c| matches!(c, Change::PersonHired { person, .. } if !person.is_active()));
    if hires > 1 || hired_inactive {
        org.apply_all_and_rebuild(changes);
    } else {
        org.apply_all(changes);
    }
}

/// Puts the next free ids into commands that create records.
pub(crate) async fn reserve_ids(
    conn: &mut AnyConnection,
    command: Command,
) -> Result<Command, StoreError> {
    Ok(match command {
        Command::Hire {
            name,
            email,
            role,
            manager,
            start_date,
            ..
        } => Command::Hire {
            id: PersonId(next_id(conn, "SELECT COALESCE(MAX(id), 0) + 1 FROM people").await?),
            name,
            email,
            role,
            manager,
            start_date,
        },
        Command::CreateProject { name, .. } => Command::CreateProject {
            id: ProjectId(next_id(conn, "SELECT COALESCE(MAX(id), 0) + 1 FROM projects").await?),
            name,
        },
        other => other,
    })
}

async fn next_id(conn: &mut AnyConnection, sql: &'static str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *conn).await?)
}

/// Maps the database's unique violation on the email to `email_taken`.
pub(crate) fn email_error(error: StoreError, change: &Change) -> StoreError {
    match &error {
        StoreError::Query(e) if is_email_violation(e) => {
            let email = match change {
                Change::PersonHired { person, .. } => person.email.to_string(),
                Change::PersonUpdated { after, .. } | Change::PersonErased { after, .. } => {
                    after.email.to_string()
                }
                _ => String::new(),
            };
            StoreError::EmailTaken { email }
        }
        _ => error,
    }
}
