//! The state every handler shares: the store (and through it the in-memory
//! org), the framework in force, the credential cache, the login limiter,
//! metrics and settings.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use climb_framework::Framework;
use climb_people::{Actor, Assignment, AuditEvent, Change, Command, Org, PersonId};
use climb_store::{Backend, OrgGuard, Store, StoreError};

use crate::api::HistoryEntry;
use crate::auth::{CredentialCache, LoginLimiter};
use crate::error::ApiError;
use crate::metrics::Metrics;

/// How stale the in-memory org may be on SQLite, where other processes
/// (an import, say) rarely write; PostgreSQL instances always catch up.
const SQLITE_CATCH_UP_EVERY: Duration = Duration::from_millis(250);

/// A person's ended designations, with the generation they were read at.
type Ended = (u64, Arc<Vec<HistoryEntry>>);

/// Shared state of the server; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Arc<Store>,
    framework: Arc<Framework>,
    chart: OnceLock<String>,
    credentials: CredentialCache,
    limiter: LoginLimiter,
    metrics: Metrics,
    started: Instant,
    /// Milliseconds after `started` of the last catch-up (SQLite).
    caught_up_at: AtomicU64,
    /// People ids in increasing order, with the people count they were taken at.
    sorted: Mutex<(usize, Arc<Vec<PersonId>>)>,
    /// Bumped whenever this instance writes or catches up with others.
    generation: AtomicU64,
    /// Ended designations per person, read from the audit log once per generation.
    ended: Mutex<HashMap<PersonId, Ended>>,
    secure_cookies: bool,
}

impl AppState {
    /// State over `store` with `framework` in force. Creates the account
    /// tables if the database lacks them; fails when it cannot.
    pub async fn new(store: Arc<Store>, framework: Framework) -> Result<Self, StoreError> {
        store.migrate_accounts().await?;
        Ok(Self(Arc::new(Inner {
            store,
            framework: Arc::new(framework),
            chart: OnceLock::new(),
            credentials: CredentialCache::default(),
            limiter: LoginLimiter::default(),
            metrics: Metrics::default(),
            started: Instant::now(),
            caught_up_at: AtomicU64::new(0),
            sorted: Mutex::new((usize::MAX, Arc::new(Vec::new()))),
            generation: AtomicU64::new(0),
            ended: Mutex::new(HashMap::new()),
            secure_cookies: false,
        })))
    }

    /// Marks session cookies `Secure` always (set it when serving behind
    /// TLS that does not send `X-Forwarded-Proto`). Call before sharing.
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.secure_cookies = secure;
        }
        self
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The framework in force.
    pub fn framework(&self) -> &Framework {
        &self.0.framework
    }

    /// The chart of the framework in force, drawn once.
    pub(crate) fn chart_svg(&self) -> &str {
        self.0.chart.get_or_init(|| {
            climb_chart::render_svg(&self.0.framework, &climb_chart::ChartOptions::default())
        })
    }

    pub(crate) fn credentials(&self) -> &CredentialCache {
        &self.0.credentials
    }

    pub(crate) fn limiter(&self) -> &LoginLimiter {
        &self.0.limiter
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub(crate) fn secure_cookies(&self) -> bool {
        self.0.secure_cookies
    }

    /// Read access to the org, caught up with other instances' writes
    /// (always on PostgreSQL; at most every 250 ms on SQLite).
    pub async fn org(&self) -> Result<OrgGuard<'_>, ApiError> {
        let store = &self.0.store;
        if store.backend() == Backend::Postgres {
            if store.catch_up().await? > 0 {
                self.0.generation.fetch_add(1, Ordering::Relaxed);
            }
            return Ok(store.org_cached().await);
        }
        let now = u64::try_from(self.0.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.0.caught_up_at.load(Ordering::Relaxed);
        if now.saturating_sub(last) >= SQLITE_CATCH_UP_EVERY.as_millis() as u64
            && self
                .0
                .caught_up_at
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            && store.catch_up().await? > 0
        {
            self.0.generation.fetch_add(1, Ordering::Relaxed);
        }
        Ok(store.org_cached().await)
    }

    /// Carries out a command as `actor` with the framework in force.
    pub async fn execute(&self, actor: Actor, command: Command) -> Result<Vec<Change>, ApiError> {
        let result = self
            .0
            .store
            .execute(&self.0.framework, actor, command)
            .await;
        self.0.generation.fetch_add(1, Ordering::Relaxed);
        Ok(result?)
    }

    /// Notes that this instance wrote to the people side outside
    /// [`AppState::execute`] (a hire filling an opening, a leave with a reason).
    pub(crate) fn changed(&self) {
        self.0.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// A person's ended designations as history entries, from the audit log
    /// (remembered until the next write or catch-up).
    pub(crate) async fn ended_designations(
        &self,
        person: PersonId,
    ) -> Result<Arc<Vec<HistoryEntry>>, ApiError> {
        let generation = self.0.generation.load(Ordering::Relaxed);
        if let Ok(ended) = self.0.ended.lock()
            && let Some((at, entries)) = ended.get(&person)
            && *at == generation
        {
            return Ok(Arc::clone(entries));
        }
        let events = self.0.store.audit(Some(person), 1000, None).await?;
        let mut entries: Vec<HistoryEntry> = events
            .iter()
            .filter(|e| e.action == "project.designation_ended")
            .filter_map(ended_entry)
            .collect();
        entries.reverse();
        let entries = Arc::new(entries);
        if let Ok(mut ended) = self.0.ended.lock() {
            if ended.len() > 100_000 {
                ended.clear();
            }
            ended.insert(person, (generation, Arc::clone(&entries)));
        }
        Ok(entries)
    }

    /// Everyone's id, in increasing order (rebuilt when someone is hired).
    pub(crate) fn sorted_people(&self, org: &Org) -> Arc<Vec<PersonId>> {
        let count = org.people_count();
        if let Ok(sorted) = self.0.sorted.lock()
            && sorted.0 == count
        {
            return Arc::clone(&sorted.1);
        }
        let mut ids: Vec<PersonId> = org.people().map(|p| p.id).collect();
        ids.sort_unstable();
        let ids = Arc::new(ids);
        if let Ok(mut sorted) = self.0.sorted.lock() {
            *sorted = (count, Arc::clone(&ids));
        }
        ids
    }
}

/// The history entry of a `project.designation_ended` audit event.
fn ended_entry(event: &AuditEvent) -> Option<HistoryEntry> {
    let assignment: Assignment = serde_json::from_value(event.before.clone()).ok()?;
    let end_date = serde_json::from_value(event.after.get("end_date")?.clone()).ok()?;
    let reason = event.after.get("reason")?.as_str()?.to_owned();
    Some(HistoryEntry {
        kind: "designation_ended".to_owned(),
        date: end_date,
        from: None,
        to: None,
        reason,
        note: None,
        project: Some(assignment.project.0),
        designation: Some(assignment.designation.to_string()),
        start_date: Some(assignment.start_date),
    })
}
