//! The webhook delivery worker, a thin adapter around the store's outbox
//! and `climb_webhooks`: it claims due deliveries (a lease, so an instance
//! that dies lets go of them when the lease runs out), posts each one signed
//! as Standard Webhooks say, several at once over pooled connections, and
//! records how each attempt ended: a 2xx answer delivers; anything else
//! (another status, a timeout, a refused connection) is tried again after
//! the schedule's wait, or marked failed once the next try would fall past
//! the give-up time. Redirects are not followed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use climb_store::{Attempt, Claimed, Store, StoreError};
use climb_webhooks::{Next, Schedule, Secret};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::error::error_chain;
pub use crate::worker::WorkerHandle;
use crate::worker::{claim_owner, jitter, now_ms};

/// How the worker delivers.
#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// Retry waits and when to give up.
    pub schedule: Schedule,
    /// The longest one attempt may take (connect, send, answer).
    pub timeout: Duration,
    /// How long to wait before looking again when nothing was due.
    pub poll: Duration,
    /// Most deliveries claimed at once.
    pub batch: u32,
    /// Most attempts in flight at once.
    pub concurrency: usize,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            schedule: Schedule::default(),
            timeout: Duration::from_secs(10),
            poll: Duration::from_millis(500),
            batch: 256,
            concurrency: 64,
        }
    }
}

impl WorkerConfig {
    /// How long a claim holds: every wave of a batch at its longest, and
    /// a margin for writing the outcomes.
    fn lease(&self) -> Duration {
        let concurrency = u32::try_from(self.concurrency.max(1)).unwrap_or(u32::MAX);
        let waves = self.batch.div_ceil(concurrency).max(1);
        self.timeout.saturating_mul(waves) + Duration::from_secs(30)
    }
}

/// Why the worker could not start.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The HTTP client could not be built.
    #[error("cannot build the webhook HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    /// The database could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No randomness for the worker's claim token.
    #[error("no randomness for the webhook worker: {0}")]
    Random(getrandom::Error),
}

/// Starts the worker over `store`. On SQLite, where this process is the
/// only one delivering, the leases a previous run left are dropped first.
pub async fn spawn(store: Arc<Store>, config: WorkerConfig) -> Result<WorkerHandle, WorkerError> {
    if store.backend() == climb_store::Backend::Sqlite {
        let released = store.release_webhook_leases().await?;
        if released > 0 {
            tracing::info!(
                released,
                "webhook deliveries claimed by a previous run taken back"
            );
        }
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.timeout)
        .pool_max_idle_per_host(config.concurrency.max(1))
        .user_agent(concat!("climb-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let owner = claim_owner().map_err(WorkerError::Random)?;
    let delivered = Arc::new(AtomicU64::new(0));
    let worker = Worker {
        store,
        client,
        config,
        owner,
        delivered: Arc::clone(&delivered),
    };
    Ok(WorkerHandle::spawn(delivered, |stopped| {
        worker.run(stopped)
    }))
}

struct Worker {
    store: Arc<Store>,
    client: reqwest::Client,
    config: WorkerConfig,
    owner: String,
    delivered: Arc<AtomicU64>,
}

impl Worker {
    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let lease = i64::try_from(self.config.lease().as_millis()).unwrap_or(i64::MAX);
        while !*stopped.borrow() {
            let claimed = match self
                .store
                .claim_webhook_deliveries(&self.owner, now_ms(), lease, self.config.batch)
                .await
            {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, "cannot claim webhook deliveries");
                    Vec::new()
                }
            };
            let full = claimed.len() >= self.config.batch as usize;
            if !claimed.is_empty() {
                self.deliver(claimed).await;
            }
            if !full {
                tokio::select! {
                    () = tokio::time::sleep(self.config.poll) => {}
                    _ = stopped.changed() => {}
                }
            }
        }
    }

    /// Attempts every claimed delivery, at most `concurrency` at once, and
    /// records the outcomes in one transaction.
    async fn deliver(&self, claimed: Vec<Claimed>) {
        let mut running = JoinSet::new();
        let mut outcomes = Vec::with_capacity(claimed.len());
        for delivery in claimed {
            while running.len() >= self.config.concurrency.max(1) {
                if let Some(Ok(outcome)) = running.join_next().await {
                    outcomes.push(outcome);
                }
            }
            running.spawn(attempt(self.client.clone(), self.config, delivery));
        }
        while let Some(done) = running.join_next().await {
            match done {
                Ok(outcome) => outcomes.push(outcome),
                // Its lease runs out and another round takes it again.
                Err(error) => tracing::error!(%error, "a webhook attempt panicked"),
            }
        }
        match self
            .store
            .finish_webhook_deliveries(&self.owner, now_ms(), &outcomes)
            .await
        {
            Ok(delivered) => {
                self.delivered.fetch_add(delivered, Ordering::Relaxed);
            }
            // The leases run out and the deliveries are tried again.
            Err(error) => tracing::warn!(%error, "cannot record webhook attempts"),
        }
    }
}

/// Reads and drops up to 64 KiB of an answer, so its connection can be
/// reused; a longer answer closes it.
async fn drain(mut response: reqwest::Response) {
    let mut read = 0;
    while let Ok(Some(chunk)) = response.chunk().await {
        read += chunk.len();
        if read > 64 * 1024 {
            break;
        }
    }
}

/// One attempt of one delivery, and what follows it.
async fn attempt(
    client: reqwest::Client,
    config: WorkerConfig,
    delivery: Claimed,
) -> (i64, Attempt) {
    let failed = |status: Option<u16>, error: String| {
        let failures = u32::try_from(delivery.attempts.saturating_add(1)).unwrap_or(u32::MAX);
        let age = u64::try_from(now_ms().saturating_sub(delivery.created_ms)).unwrap_or(0);
        match config
            .schedule
            .after_failure(failures, Duration::from_millis(age), jitter())
        {
            Next::RetryAfter(wait) => Attempt::Retry {
                next_ms: now_ms()
                    .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)),
                status,
                error,
            },
            Next::GiveUp => Attempt::Failed { status, error },
        }
    };
    let secret = match Secret::parse(&delivery.secret) {
        Ok(secret) => secret,
        Err(error) => {
            let error = format!("the subscription's secret is unreadable: {error}");
            return (
                delivery.id,
                Attempt::Failed {
                    status: None,
                    error,
                },
            );
        }
    };
    let timestamp = chrono::Utc::now().timestamp();
    let signature = secret.sign(&delivery.event_id, timestamp, &delivery.payload);
    let sent = client
        .post(&delivery.url)
        .timeout(config.timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &delivery.event_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone())
        .send()
        .await;
    let outcome = match sent {
        Ok(response) if response.status().is_success() => {
            let status = response.status().as_u16();
            drain(response).await;
            Attempt::Delivered { status }
        }
        Ok(response) => {
            let status = response.status();
            drain(response).await;
            failed(Some(status.as_u16()), format!("answered {status}"))
        }
        Err(error) if error.is_timeout() => failed(
            None,
            format!("no answer within {} s", config.timeout.as_secs_f64()),
        ),
        Err(error) => failed(None, error_chain(&error.without_url())),
    };
    (delivery.id, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_outlasts_a_whole_batch() {
        let config = WorkerConfig::default();
        // 256 claimed, 64 at once: four waves of at most 10 s each.
        assert_eq!(config.lease(), Duration::from_secs(70));
        let one = WorkerConfig {
            concurrency: 0,
            batch: 3,
            ..config
        };
        assert_eq!(one.lease(), Duration::from_secs(60));
    }

    #[test]
    fn jitter_stays_in_range() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..=1.0).contains(&j));
        }
    }
}
