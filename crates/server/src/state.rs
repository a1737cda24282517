//! The state every handler shares: the store (and through it the in-memory
//! org), the framework in force, the credential cache, the login limiter,
//! metrics and settings.
//!
//! The framework in force can change while the server runs: a version
//! loaded through this instance is switched to at once, one loaded by
//! another process is noticed when the org catches up. The framework and
//! what is drawn from it (the chart) are swapped together as one
//! [`Arc`]; a request that took the framework keeps that version to its end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use climb_framework::Framework;
use climb_people::{
    Actor, Assignment, AuditEvent, Change, Command, DirectoryOrder, Org, PersonId, directory,
};
use climb_store::{Backend, OrgGuard, Store, StoreError};

use crate::api::HistoryEntry;
use crate::auth::{CredentialCache, LoginLimiter, SessionLimits};
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
    current: RwLock<Arc<Current>>,
    credentials: CredentialCache,
    limiter: LoginLimiter,
    metrics: Metrics,
    started: Instant,
    /// Milliseconds after `started` of the last catch-up (SQLite).
    caught_up_at: AtomicU64,
    /// People ids in increasing order, with the people count they were taken at.
    sorted: Mutex<(usize, Arc<Vec<PersonId>>)>,
    /// The directory's orders of the whole company, for one org revision
    /// and framework.
    directory: Mutex<Option<Arc<DirectoryOrders>>>,
    /// Bumped whenever this instance writes or catches up with others.
    generation: AtomicU64,
    /// The database's credential epoch as last read; only ever grows.
    credential_epoch: AtomicI64,
    /// Ended designations per person, read from the audit log once per generation.
    ended: Mutex<HashMap<PersonId, Ended>>,
    secure_cookies: bool,
    session_limits: SessionLimits,
    /// Single sign-on, when configured.
    oidc: Option<Arc<crate::oidc::Oidc>>,
    /// Whether people other than administrators may log in with a password.
    password_login: bool,
    /// SCIM's settings (where roles come from) and memory.
    scim: crate::scim::ScimShared,
}

/// Every active person's id in each of the directory's orders, each sorted
/// on first use, for the org at `revision` with `framework` in force (kept
/// here, so it cannot be freed and its address reused by another).
#[derive(Debug)]
struct DirectoryOrders {
    revision: u64,
    framework: Arc<Framework>,
    orders: [OnceLock<Arc<[PersonId]>>; 3],
}

/// The framework in force and what is derived from it, swapped as one.
#[derive(Debug)]
struct Current {
    framework: Arc<Framework>,
    /// The database id of the version it came from, or of the version
    /// active when the server started with another framework (0: none).
    version: i64,
    /// The chart, drawn on first use.
    chart: OnceLock<Arc<str>>,
}

impl Current {
    fn new(framework: Arc<Framework>, version: i64) -> Arc<Self> {
        Arc::new(Self {
            framework,
            version,
            chart: OnceLock::new(),
        })
    }
}

impl AppState {
    /// State over `store` with `framework` in force. Creates the account
    /// tables if the database lacks them; fails when it cannot.
    ///
    /// A framework version loaded into the database later (by this server
    /// or another process) replaces `framework`.
    pub async fn new(store: Arc<Store>, framework: Framework) -> Result<Self, StoreError> {
        store.migrate_accounts().await?;
        let caught = store.catch_up_for_serving().await?;
        Ok(Self(Arc::new(Inner {
            store,
            current: RwLock::new(Current::new(Arc::new(framework), caught.framework)),
            credentials: CredentialCache::default(),
            limiter: LoginLimiter::default(),
            metrics: Metrics::default(),
            started: Instant::now(),
            caught_up_at: AtomicU64::new(0),
            sorted: Mutex::new((usize::MAX, Arc::new(Vec::new()))),
            directory: Mutex::new(None),
            generation: AtomicU64::new(0),
            credential_epoch: AtomicI64::new(caught.credential_epoch),
            ended: Mutex::new(HashMap::new()),
            secure_cookies: false,
            session_limits: SessionLimits::default(),
            oidc: None,
            password_login: true,
            scim: crate::scim::ScimShared::default(),
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

    /// Sets how long web sessions last. Call before sharing.
    pub fn with_session_limits(mut self, limits: SessionLimits) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.session_limits = limits;
        }
        self
    }

    /// Turns single sign-on on with a discovered provider. Call before sharing.
    pub fn with_oidc(mut self, oidc: crate::oidc::Oidc) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.oidc = Some(Arc::new(oidc));
        }
        self
    }

    /// Lets only administrators log in with a password (`false`), or
    /// everyone with one (`true`, the default). Call before sharing.
    pub fn with_password_login(mut self, on: bool) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.password_login = on;
        }
        self
    }

    /// The identity provider, when single sign-on is on.
    pub fn oidc(&self) -> Option<&Arc<crate::oidc::Oidc>> {
        self.0.oidc.as_ref()
    }

    /// Whether everyone with a password may log in with it; when `false`,
    /// only administrators may (the break-glass login).
    pub fn password_login(&self) -> bool {
        self.0.password_login
    }

    /// Reads roles from `attribute` in SCIM requests (`title` by default).
    pub fn with_scim_role_attribute(mut self, attribute: crate::scim::RoleAttribute) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.scim = crate::scim::ScimShared::new(attribute);
        }
        self
    }

    /// SCIM's settings and memory.
    pub(crate) fn scim(&self) -> &crate::scim::ScimShared {
        &self.0.scim
    }

    /// How long web sessions last.
    pub fn session_limits(&self) -> SessionLimits {
        self.0.session_limits
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    fn current(&self) -> Arc<Current> {
        match self.0.current.read() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The framework in force. Take it once per request: a version loaded
    /// meanwhile does not change the one already taken.
    pub fn framework(&self) -> Arc<Framework> {
        Arc::clone(&self.current().framework)
    }

    /// The framework in force with its chart (SVG), drawn once per version.
    pub fn framework_and_chart(&self) -> (Arc<Framework>, Arc<str>) {
        let current = self.current();
        let chart = Arc::clone(current.chart.get_or_init(|| {
            climb_chart::render_svg(&current.framework, &climb_chart::ChartOptions::default())
                .into()
        }));
        (Arc::clone(&current.framework), chart)
    }

    /// The chart of the framework in force.
    pub(crate) fn chart_svg(&self) -> Arc<str> {
        self.framework_and_chart().1
    }

    /// Puts `framework`, stored as version `version`, in force, unless a
    /// newer version already is. Requests under way keep the framework
    /// they took.
    pub fn use_framework(&self, framework: Arc<Framework>, version: i64) {
        let mut current = match self.0.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        if version > current.version {
            tracing::info!(
                version,
                name = %framework.meta().name,
                label = %framework.meta().version,
                "framework in force"
            );
            *current = Current::new(framework, version);
        }
    }

    /// Switches to the database's active framework version when it is newer
    /// than the one in force (loaded by another process).
    async fn follow_framework(&self, active: i64) -> Result<(), ApiError> {
        if active <= self.current().version {
            return Ok(());
        }
        let Some((version, source)) = self.0.store.active_framework().await? else {
            return Ok(());
        };
        match climb_framework::load(&source) {
            Ok(framework) => self.use_framework(Arc::new(framework), version.id),
            Err(report) => {
                // Only checked files are stored; should one not check now,
                // keep serving the current version and do not retry it.
                tracing::warn!(
                    version = version.id,
                    errors = report.error_count(),
                    "the active framework version does not check; keeping the one in force"
                );
                let framework = self.framework();
                self.use_framework(framework, version.id);
            }
        }
        Ok(())
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
        self.catch_up().await?;
        Ok(self.0.store.org_cached().await)
    }

    /// The org as this instance last caught up with it.
    pub(crate) async fn org_cached(&self) -> OrgGuard<'_> {
        self.0.store.org_cached().await
    }

    /// Catches up with what other instances wrote: the people side, the
    /// framework in force and the credential epoch. Always on PostgreSQL,
    /// where several instances share a database; at most every 250 ms on
    /// SQLite, where other processes rarely write.
    pub(crate) async fn catch_up(&self) -> Result<(), ApiError> {
        let store = &self.0.store;
        if store.backend() != Backend::Postgres {
            let now = u64::try_from(self.0.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let last = self.0.caught_up_at.load(Ordering::Relaxed);
            let due = now.saturating_sub(last) >= SQLITE_CATCH_UP_EVERY.as_millis() as u64
                && self
                    .0
                    .caught_up_at
                    .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok();
            if !due {
                return Ok(());
            }
        }
        let caught = store.catch_up_for_serving().await?;
        if caught.applied > 0 {
            self.0.generation.fetch_add(1, Ordering::Relaxed);
        }
        // Two catch-ups may finish out of order: keep the larger epoch.
        self.0
            .credential_epoch
            .fetch_max(caught.credential_epoch, Ordering::AcqRel);
        self.follow_framework(caught.framework).await
    }

    /// The credential epoch as of the last catch-up.
    pub(crate) fn credential_epoch(&self) -> i64 {
        self.0.credential_epoch.load(Ordering::Acquire)
    }

    /// Carries out a command as `actor` with the framework in force,
    /// through the store's queue: written with the commands other requests
    /// submit meanwhile, answered once they commit.
    pub async fn execute(&self, actor: Actor, command: Command) -> Result<Vec<Change>, ApiError> {
        let framework = self.framework();
        let result = self.0.store.submit(framework, actor, command).await;
        self.0.generation.fetch_add(1, Ordering::Relaxed);
        Ok(result?)
    }

    /// Approves or rejects a promotion proposal as `actor`; an approval
    /// changes a role, so the caches keyed on writes are renewed.
    pub async fn decide_proposal(
        &self,
        actor: Actor,
        id: climb_management::promotion::ProposalId,
        decision: climb_store::Decision,
    ) -> Result<climb_management::promotion::Proposal, ApiError> {
        let framework = self.framework();
        let result = self
            .0
            .store
            .decide_proposal(&framework, actor, id, decision)
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

impl AppState {
    /// Every active person's id in the directory's `order`, sorted once per
    /// revision of the org and framework in force: a directory page in any
    /// order then reads only its own people.
    pub fn directory_order(
        &self,
        org: &Org,
        framework: &Arc<Framework>,
        order: DirectoryOrder,
    ) -> Arc<[PersonId]> {
        let fresh = || {
            Arc::new(DirectoryOrders {
                revision: org.revision(),
                framework: Arc::clone(framework),
                orders: Default::default(),
            })
        };
        let orders = match self.0.directory.lock() {
            Ok(mut kept) => match &*kept {
                Some(orders)
                    if orders.revision == org.revision()
                        && Arc::ptr_eq(&orders.framework, framework) =>
                {
                    Arc::clone(orders)
                }
                _ => {
                    let orders = fresh();
                    *kept = Some(Arc::clone(&orders));
                    orders
                }
            },
            Err(_) => fresh(),
        };
        Arc::clone(orders.orders[order.index()].get_or_init(|| {
            directory::sorted(
                framework,
                org,
                order,
                org.people().filter(|p| p.is_active()),
            )
            .iter()
            .map(|p| p.id)
            .collect()
        }))
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
        proposal: None,
    })
}
