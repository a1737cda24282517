//! What the two outbox workers (webhook deliveries and mail) share: the
//! handle that stops one and counts what it got done, the token a worker
//! claims rows under, the clock in milliseconds the leases are kept in, and
//! the jitter of the retry schedule.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

/// A running worker; [`WorkerHandle::stop`] ends it after the round in
/// flight.
#[derive(Debug)]
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    done: Arc<AtomicU64>,
}

impl WorkerHandle {
    /// Spawns `run`, which works until the receiver it is given turns
    /// `true`, counting what it gets done in `done`.
    pub(crate) fn spawn<F, Fut>(done: Arc<AtomicU64>, run: F) -> Self
    where
        F: FnOnce(watch::Receiver<bool>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(stopped));
        Self { stop, task, done }
    }

    /// How many items the worker has got done so far: webhook deliveries
    /// recorded as delivered (2xx), or mails sent.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Stops claiming, lets the round in flight finish and record its
    /// outcomes, and waits for the worker to end.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// A fresh random token to claim rows under, as hex.
pub(crate) fn claim_owner() -> Result<String, getrandom::Error> {
    let mut token = [0u8; 12];
    getrandom::fill(&mut token)?;
    Ok(token.iter().map(|b| format!("{b:02x}")).collect())
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A number in `[0, 1]` for the retry jitter.
pub(crate) fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    }
}
