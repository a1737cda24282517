//! Group commit: the commands concurrent callers submit
//! ([`crate::Store::submit`]) are written in batches by one writer task per
//! store, one transaction per batch, so one sync to disk is shared by every
//! command of the batch.
//!
//! What holds for each command is what held when each had a transaction of
//! its own:
//! - it is decided by the domain against the org as every earlier command of
//!   the queue left it: the writer decides and applies the commands one after
//!   the other to a working copy of the org, never to the org readers see;
//! - a command the rules refuse writes nothing and is answered with its
//!   refusal; its batch-mates go on. A command whose writes fail (the database
//!   refuses an email, an opening was filled meanwhile) is answered with that
//!   error and the batch is written again without it;
//! - nobody is answered before the batch commits; when it cannot begin or
//!   commit, every command of the batch gets the error
//!   ([`StoreError::Batch`]) and the org readers see is unchanged;
//! - its changes and their audit events are written in one transaction,
//!   under the writers' lock, in the order the commands are decided, so the
//!   hash chain's order is the commit order.
//!
//! After the commit the working copy becomes the readers' org in one swap
//! (readers wait for the swap, not for the batch), and the org it replaces
//! is brought up to date to be the next working copy: with the batch's
//! changes when it was where the batch started, otherwise from the audit log
//! at the next batch, as another instance catches up.
//!
//! The working copy is a second org in memory. It is made on the first batch
//! of more than one command; until then (and in a process that never writes
//! two commands at once) a lone command is decided against the readers' org,
//! as [`crate::Store::execute`] does.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use chrono::Utc;
use climb_framework::Framework;
use climb_people::{Actor, Change, Command, Org, PeopleError};
use sqlx::{AnyConnection, AnyPool};
use tokio::sync::{Mutex, RwLock, mpsc, oneshot};

use crate::error::StoreError;
use crate::openings::FollowUp;
use crate::persist::persist;
use crate::store::{
    State, apply_changes, apply_to_org, catch_up_in, email_error, lock_writers, reserve_ids,
};

/// How many commands a batch holds at most unless the store is told otherwise.
pub(crate) const DEFAULT_BATCH_LIMIT: usize = 64;

/// How many submitted commands may wait for the writer before submitting waits.
const QUEUE_DEPTH: usize = 4096;

/// What the queue's writer has done since the store opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteBatches {
    /// Batches taken from the queue (each written in one transaction, or
    /// again without a command whose writes failed).
    pub batches: u64,
    /// Commands in them, answered whatever their outcome.
    pub commands: u64,
}

/// The counters behind [`WriteBatches`].
#[derive(Debug, Default)]
pub(crate) struct BatchCounters {
    batches: AtomicU64,
    commands: AtomicU64,
}

impl BatchCounters {
    fn taken(&self, commands: usize) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.commands.fetch_add(commands as u64, Ordering::Relaxed);
    }

    pub(crate) fn read(&self) -> WriteBatches {
        WriteBatches {
            batches: self.batches.load(Ordering::Relaxed),
            commands: self.commands.load(Ordering::Relaxed),
        }
    }
}

/// The answer to one command: its changes, or why it failed.
pub(crate) type Outcome = Result<Vec<Change>, StoreError>;

/// A command waiting for the writer.
pub(crate) struct Submitted {
    pub(crate) framework: Arc<Framework>,
    pub(crate) actor: Actor,
    pub(crate) command: Command,
    pub(crate) follow_up: FollowUp,
    pub(crate) reply: oneshot::Sender<Outcome>,
}

/// What one command needs to be written.
pub(crate) struct Item<'a> {
    pub(crate) framework: &'a Framework,
    pub(crate) actor: Actor,
    pub(crate) command: &'a Command,
    pub(crate) follow_up: &'a FollowUp,
}

impl Submitted {
    fn item(&self) -> Item<'_> {
        Item {
            framework: &self.framework,
            actor: self.actor,
            command: &self.command,
            follow_up: &self.follow_up,
        }
    }
}

/// What writing one command inside a transaction came to.
enum Written {
    /// Written (possibly no changes, when the command changes nothing).
    Changes(Vec<Change>),
    /// Refused by the rules; nothing was written.
    Refused(PeopleError),
}

/// Why a batch did not commit.
enum Failure {
    /// One command's writes failed: it alone is answered with the error.
    Command { index: usize, error: StoreError },
    /// The transaction failed: every command of the batch gets the error.
    Batch(StoreError),
}

/// Reserves the ids the command needs, lets the domain decide it against
/// `org` and writes its changes, audit events and follow-up; `seq` becomes
/// the last audit sequence number written. Fails when a write fails (the
/// transaction then holds part of the command and must not commit).
async fn write_command(
    conn: &mut AnyConnection,
    org: &Org,
    item: Item<'_>,
    seq: &mut i64,
) -> Result<Written, StoreError> {
    let command = reserve_ids(conn, item.command.clone()).await?;
    let changes = match org.decide(item.framework, item.actor, command) {
        Ok(changes) => changes,
        Err(refusal) => return Ok(Written::Refused(refusal)),
    };
    let at = Utc::now();
    for change in &changes {
        *seq = persist(conn, change, item.actor, at)
            .await
            .map_err(|e| email_error(e, change))?;
    }
    if let Some(last) = item.follow_up.write(conn, item.actor, &changes, at).await? {
        *seq = last;
    }
    Ok(Written::Changes(changes))
}

/// Writes one command in a transaction of its own, decided against the
/// readers' org, which stays locked for writing until the changes are
/// applied. The caller holds the process's writer lock.
pub(crate) async fn write_alone(
    pool: &AnyPool,
    state: &RwLock<State>,
    item: Item<'_>,
) -> Result<Vec<Change>, StoreError> {
    let mut tx = pool.begin().await?;
    lock_writers(&mut tx).await?;
    let mut state = state.write().await;
    catch_up_in(&mut tx, &mut state).await?;
    let mut seq = state.seen;
    match write_command(&mut tx, &state.org, item, &mut seq).await? {
        Written::Refused(refusal) => Err(refusal.into()),
        Written::Changes(changes) => {
            tx.commit().await?;
            apply_changes(&mut state, &changes, seq);
            Ok(changes)
        }
    }
}

/// The sending side of a store's queue, and the writer task behind it.
#[derive(Debug)]
pub(crate) struct Queue {
    sender: mpsc::Sender<Submitted>,
}

impl Queue {
    /// Starts the writer task over the store's shared parts.
    pub(crate) fn start(
        pool: AnyPool,
        state: Arc<RwLock<State>>,
        writer: Arc<Mutex<()>>,
        limit: Arc<AtomicUsize>,
        counters: Arc<BatchCounters>,
    ) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
        let task = GroupWriter {
            pool,
            state,
            writer,
            limit,
            counters,
            working: None,
            replay: None,
        };
        tokio::spawn(task.run(receiver));
        Self { sender }
    }

    /// Queues a command and waits for the commit of its batch.
    pub(crate) async fn submit(
        &self,
        framework: Arc<Framework>,
        actor: Actor,
        command: Command,
        follow_up: FollowUp,
    ) -> Outcome {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Submitted {
                framework,
                actor,
                command,
                follow_up,
                reply,
            })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }
}

/// The one writer task of a store.
struct GroupWriter {
    pool: AnyPool,
    state: Arc<RwLock<State>>,
    /// The process's writer lock, shared with the store's other writers.
    writer: Arc<Mutex<()>>,
    limit: Arc<AtomicUsize>,
    counters: Arc<BatchCounters>,
    /// The org commands are decided against, a replica of the readers' one
    /// (`None` until a batch of more than one command needs it, and after a
    /// failed batch left it holding changes that did not commit).
    working: Option<State>,
    /// The last batch's changes, for the working copy when it is the
    /// readers' previous org and was where that batch started.
    replay: Option<Replay>,
}

/// A committed batch, to bring the readers' previous org up to date.
struct Replay {
    /// The audit position the batch started from.
    from: i64,
    /// The last audit sequence number it wrote.
    to: i64,
    /// Each written command's changes, in order.
    changes: Vec<Vec<Change>>,
}

impl GroupWriter {
    /// Takes what is queued, up to the limit, as one batch, until the store
    /// is dropped.
    async fn run(mut self, mut queue: mpsc::Receiver<Submitted>) {
        let mut batch = Vec::new();
        loop {
            let limit = self.limit.load(Ordering::Relaxed).max(1);
            if queue.recv_many(&mut batch, limit).await == 0 {
                break;
            }
            self.write_batch(std::mem::take(&mut batch)).await;
        }
    }

    /// Writes a batch and answers every command of it.
    async fn write_batch(&mut self, mut batch: Vec<Submitted>) {
        self.counters.taken(batch.len());
        let writer = Arc::clone(&self.writer);
        let _writer = writer.lock().await;
        while !batch.is_empty() {
            if batch.len() == 1 && self.working.is_none() {
                let Some(lone) = batch.pop() else { return };
                let outcome = write_alone(&self.pool, &self.state, lone.item()).await;
                let _ = lone.reply.send(outcome);
                return;
            }
            match self.write_together(&batch).await {
                Ok(outcomes) => {
                    for (submitted, outcome) in batch.drain(..).zip(outcomes) {
                        // A caller that went away does not need its answer.
                        let _ = submitted.reply.send(outcome);
                    }
                    self.replay_last_batch();
                }
                Err(Failure::Command { index, error }) => {
                    let failed = batch.remove(index);
                    let _ = failed.reply.send(Err(error));
                }
                Err(Failure::Batch(error)) => {
                    tracing::warn!(%error, commands = batch.len(), "a batch of writes failed");
                    let error = Arc::new(error);
                    for submitted in batch.drain(..) {
                        let _ = submitted
                            .reply
                            .send(Err(StoreError::Batch(Arc::clone(&error))));
                    }
                }
            }
        }
    }

    /// Writes the batch in one transaction against the working copy and,
    /// once it commits, makes the working copy the readers' org. The answers
    /// are in the batch's order.
    async fn write_together(&mut self, batch: &[Submitted]) -> Result<Vec<Outcome>, Failure> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|e| Failure::Batch(e.into()))?;
        lock_writers(&mut tx).await.map_err(Failure::Batch)?;
        let mut working = match self.working.take() {
            Some(working) => working,
            None => self.state.read().await.clone(),
        };
        // Until a change is applied to it, the working copy holds only what
        // committed and can be kept whatever happens to the batch.
        let mut touched = false;
        let result = async {
            catch_up_in(&mut tx, &mut working)
                .await
                .map_err(Failure::Batch)?;
            let mut seq = working.seen;
            let mut outcomes = Vec::with_capacity(batch.len());
            let mut written = Vec::with_capacity(batch.len());
            for (index, submitted) in batch.iter().enumerate() {
                match write_command(&mut tx, &working.org, submitted.item(), &mut seq).await {
                    Ok(Written::Changes(changes)) => {
                        if !changes.is_empty() {
                            touched = true;
                            apply_to_org(&mut working.org, &changes);
                            written.push(changes.clone());
                        }
                        outcomes.push(Ok(changes));
                    }
                    Ok(Written::Refused(refusal)) => outcomes.push(Err(refusal.into())),
                    Err(error) => return Err(Failure::Command { index, error }),
                }
            }
            Ok((outcomes, written, seq))
        }
        .await;
        let (outcomes, written, seq) = match result {
            Ok(done) => done,
            Err(failure) => {
                if !touched {
                    self.working = Some(working);
                }
                return Err(failure);
            }
        };
        let start = working.seen;
        if let Err(error) = tx.commit().await {
            if !touched {
                self.working = Some(working);
            }
            return Err(Failure::Batch(error.into()));
        }
        working.seen = working.seen.max(seq);
        let mut readers = self.state.write().await;
        // A reader may have caught up with this batch from the log already
        // (events of one transaction show all at once, so it has all of them).
        if readers.seen < working.seen {
            std::mem::swap(&mut *readers, &mut working);
            self.replay = Some(Replay {
                from: start,
                to: seq,
                changes: written,
            });
        }
        drop(readers);
        self.working = Some(working);
        Ok(outcomes)
    }

    /// Applies the last batch to the working copy when it is the readers'
    /// previous org and stood where the batch started; otherwise it catches
    /// up from the audit log at the next batch.
    fn replay_last_batch(&mut self) {
        let (Some(replay), Some(working)) = (self.replay.take(), self.working.as_mut()) else {
            return;
        };
        if working.seen == replay.from {
            for changes in &replay.changes {
                apply_to_org(&mut working.org, changes);
            }
            working.seen = replay.to;
        }
    }
}
