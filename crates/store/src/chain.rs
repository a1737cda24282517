//! The audit log's hash chain: every event is sealed, as it is appended,
//! with the digest of the event before it, so that editing, deleting,
//! reordering or inserting an event out of band breaks the chain where it
//! happened, and `climb audit verify` can name that event.
//!
//! An event's seal has three parts, kept in columns beside it:
//! - `body_digest`: SHA-256 of its erasable content (`before`, `after`,
//!   `change`), the only columns erasure may rewrite;
//! - `prev_digest`: the previous event's `digest` (empty for the first);
//! - `digest`: SHA-256 of `prev_digest`, the fixed fields (`at`, `actor`,
//!   `action`, the subject) and `body_digest`.
//!
//! Erasure blanks the content but keeps `body_digest`, so the chain still
//! verifies through the erased events: their fixed fields and their place
//! are checked as for any event, and a content that no longer matches its
//! digest is accepted only for a person whose erasure is itself in the log.
//! What the erased text was cannot be checked any more, by design.
//!
//! The sequence number is not hashed: the chain, not the numbering, fixes
//! the order. Anyone who can write the database can recompute a whole
//! chain, so an administrator exports checkpoints (the head's sequence
//! number and digest) to keep elsewhere; `verify` checks them too.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::error::StoreError;
use crate::store::Store;

const BODY_DOMAIN: &[u8] = b"climb audit body v1\0";
const EVENT_DOMAIN: &[u8] = b"climb audit event v1\0";

/// The fields of an event about to be appended, as stored.
pub(crate) struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: i64,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub change: Option<&'a str>,
}

/// The seal of one event: the three digest columns, in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seal {
    pub prev_digest: String,
    pub body_digest: String,
    pub digest: String,
}

/// Feeds one optional text to the hash, length-prefixed so that no two
/// different field lists give the same bytes.
fn feed(hash: &mut Sha256, value: Option<&str>) {
    match value {
        None => hash.update([0]),
        Some(text) => {
            hash.update([1]);
            hash.update((text.len() as u64).to_le_bytes());
            hash.update(text.as_bytes());
        }
    }
}

/// The digest of an event's erasable content.
pub(crate) fn body_digest(
    before: Option<&str>,
    after: Option<&str>,
    change: Option<&str>,
) -> String {
    let mut hash = Sha256::new();
    hash.update(BODY_DOMAIN);
    feed(&mut hash, before);
    feed(&mut hash, after);
    feed(&mut hash, change);
    format!("{:x}", hash.finalize())
}

/// The digest of an event given its predecessor's digest and its body digest.
fn event_digest(prev: &str, fixed: &FixedFields<'_>, body: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(EVENT_DOMAIN);
    feed(&mut hash, Some(prev));
    feed(&mut hash, Some(fixed.at));
    feed(&mut hash, Some(fixed.actor));
    feed(&mut hash, Some(fixed.action));
    feed(&mut hash, Some(fixed.subject_kind));
    hash.update(fixed.subject_id.to_le_bytes());
    feed(&mut hash, Some(body));
    format!("{:x}", hash.finalize())
}

/// The fields erasure never touches.
struct FixedFields<'a> {
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    subject_kind: &'a str,
    subject_id: i64,
}

impl NewEvent<'_> {
    fn fixed(&self) -> FixedFields<'_> {
        FixedFields {
            at: self.at,
            actor: self.actor,
            action: self.action,
            subject_kind: self.subject_kind,
            subject_id: self.subject_id,
        }
    }

    /// Seals the event to follow the event whose digest is `prev`.
    pub(crate) fn seal(&self, prev: &str) -> Seal {
        let body = body_digest(self.before, self.after, self.change);
        let digest = event_digest(prev, &self.fixed(), &body);
        Seal {
            prev_digest: prev.to_owned(),
            body_digest: body,
            digest,
        }
    }
}

/// The digest of the last event, or the empty string before the first.
/// Inside a transaction that holds the writers' lock, so no other writer
/// can append between this read and the caller's insert.
pub(crate) async fn head(conn: &mut AnyConnection) -> Result<String, StoreError> {
    let last: Option<Option<String>> =
        sqlx::query_scalar("SELECT digest FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(last.flatten().unwrap_or_default())
}

/// Appends `event` sealed after the current head; returns its sequence
/// number. The caller's transaction must hold the writers' lock.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    event: &NewEvent<'_>,
) -> Result<i64, StoreError> {
    Ok(append_sealed(conn, event).await?.0)
}

/// [`append`], also returning the event's digest (the webhook event id is
/// made from it).
pub(crate) async fn append_sealed(
    conn: &mut AnyConnection,
    event: &NewEvent<'_>,
) -> Result<(i64, String), StoreError> {
    let seal = event.seal(&head(conn).await?);
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO audit_events \
         (at, actor, action, subject_kind, subject_id, before, after, change, prev_digest, body_digest, digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq",
    )
    .bind(event.at)
    .bind(event.actor)
    .bind(event.action)
    .bind(event.subject_kind)
    .bind(event.subject_id)
    .bind(event.before)
    .bind(event.after)
    .bind(event.change)
    .bind(seal.prev_digest)
    .bind(seal.body_digest)
    .bind(&seal.digest)
    .fetch_one(&mut *conn)
    .await?;
    Ok((seq, seal.digest))
}

/// The outbox rows an event's webhook deliveries are, written by
/// [`append_with_deliveries`] in the statement that appends the event.
pub(crate) struct Deliveries<'a> {
    /// The webhook event's type (subscribers to it get a row).
    pub(crate) event_type: &'a str,
    /// The person it is about, for erasure.
    pub(crate) person: Option<i64>,
    /// The body.
    pub(crate) payload: &'a str,
    /// When the change was written (milliseconds since the epoch).
    pub(crate) created_ms: i64,
}

/// [`append_sealed`], writing the event's webhook deliveries in the same
/// statement (a data-modifying `WITH`, PostgreSQL only): one round trip to
/// the server instead of two, which is most of what the outbox costs a
/// change there. The event id comes from the seal, as `webhooks::event_id`
/// makes it.
pub(crate) async fn append_with_deliveries(
    conn: &mut AnyConnection,
    event: &NewEvent<'_>,
    deliveries: &Deliveries<'_>,
) -> Result<(i64, String), StoreError> {
    let seal = event.seal(&head(conn).await?);
    let seq: i64 = sqlx::query_scalar(
        "WITH appended AS (INSERT INTO audit_events \
         (at, actor, action, subject_kind, subject_id, before, after, change, prev_digest, body_digest, digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq), \
         outbox AS (INSERT INTO webhook_deliveries \
         (subscription_id, event_id, event_type, person_id, payload, created_ms, status, attempts, next_attempt_ms) \
         SELECT subscription_id, CAST($12 AS TEXT), CAST($13 AS TEXT), CAST($14 AS BIGINT), CAST($15 AS TEXT), \
         CAST($16 AS BIGINT), 'pending', 0, CAST($16 AS BIGINT) \
         FROM webhook_subscription_events WHERE event_type = CAST($13 AS TEXT)) \
         SELECT seq FROM appended",
    )
    .bind(event.at)
    .bind(event.actor)
    .bind(event.action)
    .bind(event.subject_kind)
    .bind(event.subject_id)
    .bind(event.before)
    .bind(event.after)
    .bind(event.change)
    .bind(&seal.prev_digest)
    .bind(&seal.body_digest)
    .bind(&seal.digest)
    .bind(crate::webhooks::event_id(&seal.digest))
    .bind(deliveries.event_type)
    .bind(deliveries.person)
    .bind(deliveries.payload)
    .bind(deliveries.created_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok((seq, seal.digest))
}

/// Seals every event in sequence order, for the migration that adds the
/// chain to a log written before it. Runs once, inside that migration.
pub(crate) async fn seal_existing(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let rows: Vec<StoredRow> = sqlx::query_as(STORED_SELECT).fetch_all(&mut *conn).await?;
    let mut prev = String::new();
    for row in &rows {
        let seal = row.event().seal(&prev);
        sqlx::query(
            "UPDATE audit_events SET prev_digest = $1, body_digest = $2, digest = $3 WHERE seq = $4",
        )
        .bind(&seal.prev_digest)
        .bind(&seal.body_digest)
        .bind(&seal.digest)
        .bind(row.0)
        .execute(&mut *conn)
        .await?;
        prev = seal.digest;
    }
    Ok(rows.len() as u64)
}

const STORED_SELECT: &str = "SELECT seq, at, actor, action, subject_kind, subject_id, before, after, change, \
     prev_digest, body_digest, digest FROM audit_events ORDER BY seq";

/// One stored event with its seal columns, as read back.
type StoredRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

trait Stored {
    fn event(&self) -> NewEvent<'_>;
}

impl Stored for StoredRow {
    fn event(&self) -> NewEvent<'_> {
        NewEvent {
            at: &self.1,
            actor: &self.2,
            action: &self.3,
            subject_kind: &self.4,
            subject_id: self.5,
            before: self.6.as_deref(),
            after: self.7.as_deref(),
            change: self.8.as_deref(),
        }
    }
}

/// A point of the chain an administrator keeps outside the database: the
/// sequence number and digest of the head when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    /// The event's sequence number.
    pub seq: i64,
    /// Its digest (lowercase hex SHA-256).
    pub digest: String,
}

impl Checkpoint {
    const PREFIX: &'static str = "climb-audit-checkpoint v1";

    /// Reads a line written by [`Checkpoint`]'s `Display`; `None` when the
    /// line is not one.
    pub fn parse(line: &str) -> Option<Self> {
        let rest = line.trim().strip_prefix(Self::PREFIX)?;
        let mut seq = None;
        let mut digest = None;
        for part in rest.split_whitespace() {
            if let Some(value) = part.strip_prefix("seq=") {
                seq = value.parse().ok();
            } else if let Some(value) = part.strip_prefix("digest=") {
                digest = is_digest(value).then(|| value.to_owned());
            }
        }
        Some(Self {
            seq: seq?,
            digest: digest?,
        })
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} seq={} digest={}",
            Self::PREFIX,
            self.seq,
            self.digest
        )
    }
}

fn is_digest(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// What is wrong with one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tamper {
    /// Its content or fixed fields no longer match its seal.
    Edited {
        /// Which part: `content` (before, after, change) or `fields` (time,
        /// actor, action, subject).
        part: &'static str,
    },
    /// It carries no valid seal, or the chain skips over it: it was put in
    /// without going through climb.
    InsertedOutOfBand,
    /// The events that came before it in the chain are gone.
    Deleted {
        /// The event it now follows (`None`: it is now the first).
        now_after: Option<i64>,
    },
    /// It is not where the chain puts it.
    Reordered {
        /// The event the chain says it follows.
        chain_follows: i64,
    },
    /// A checkpoint names this event with another digest: the log was
    /// rewritten up to here.
    CheckpointMismatch,
    /// A checkpoint names this event and the log no longer has it.
    CheckpointMissing,
}

/// One finding of a verification: the event and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The event's sequence number.
    pub seq: i64,
    /// What is wrong.
    #[serde(flatten)]
    pub tamper: Tamper,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seq = self.seq;
        match &self.tamper {
            Tamper::Edited { part: "content" } => {
                write!(
                    f,
                    "event {seq} was edited: its content no longer matches its seal"
                )
            }
            Tamper::Edited { .. } => write!(
                f,
                "event {seq} was edited: its time, actor, action or subject no longer match its seal"
            ),
            Tamper::InsertedOutOfBand => write!(
                f,
                "event {seq} was inserted out of band: the chain does not lead through it"
            ),
            Tamper::Deleted {
                now_after: Some(after),
            } => write!(
                f,
                "events were deleted between event {after} and event {seq}: its predecessor is gone"
            ),
            Tamper::Deleted { now_after: None } => {
                write!(f, "events were deleted before event {seq}, now the first")
            }
            Tamper::Reordered { chain_follows } => write!(
                f,
                "event {seq} was reordered: the chain puts it after event {chain_follows}"
            ),
            Tamper::CheckpointMismatch => write!(
                f,
                "event {seq} differs from its checkpoint: the log was rewritten up to it"
            ),
            Tamper::CheckpointMissing => {
                write!(
                    f,
                    "event {seq} of a checkpoint is gone: events were deleted"
                )
            }
        }
    }
}

/// What [`Store::verify_audit`] found.
#[derive(Debug, Clone, Serialize)]
pub struct AuditVerification {
    /// Events read.
    pub events: u64,
    /// Events whose content erasure replaced (checked by their seal only).
    pub erased: u64,
    /// Checkpoints checked.
    pub checkpoints: usize,
    /// The head of the chain, to keep as a checkpoint.
    pub head: Option<Checkpoint>,
    /// What is wrong, in sequence order; the first is where tampering begins.
    pub findings: Vec<Finding>,
}

impl AuditVerification {
    /// Whether the log is intact.
    pub fn is_intact(&self) -> bool {
        self.findings.is_empty()
    }
}

/// What a verification keeps of each event once its content is checked.
struct Link {
    seq: i64,
    prev: Option<String>,
    digest: Option<String>,
}

impl Store {
    /// Walks the whole audit log and checks its chain and `checkpoints`.
    /// One query, so the log is read as of one moment while writers go on.
    #[tracing::instrument(skip_all)]
    pub async fn verify_audit(
        &self,
        checkpoints: &[Checkpoint],
    ) -> Result<AuditVerification, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<StoredRow> = sqlx::query_as(STORED_SELECT).fetch_all(&mut *conn).await?;
        let erased: HashSet<i64> = rows
            .iter()
            .filter(|r| r.3 == "person.erased" && r.4 == "person")
            .map(|r| r.5)
            .collect();
        Ok(verify_rows(&rows, &erased, checkpoints))
    }
}

fn verify_rows(
    rows: &[StoredRow],
    erased: &HashSet<i64>,
    checkpoints: &[Checkpoint],
) -> AuditVerification {
    let mut findings = Vec::new();
    let mut erased_events = 0;
    let mut links = Vec::with_capacity(rows.len());
    for row in rows {
        let event = row.event();
        let (prev, body, digest) = (&row.9, &row.10, &row.11);
        let sealed = match (prev, body, digest) {
            (Some(prev), Some(body), Some(digest))
                if (prev.is_empty() || is_digest(prev)) && is_digest(body) && is_digest(digest) =>
            {
                Some((prev, body, digest))
            }
            _ => None,
        };
        let Some((prev, body, digest)) = sealed else {
            findings.push(Finding {
                seq: row.0,
                tamper: Tamper::InsertedOutOfBand,
            });
            links.push(Link {
                seq: row.0,
                prev: None,
                digest: None,
            });
            continue;
        };
        if body_digest(event.before, event.after, event.change) != *body {
            let erasable = event.subject_kind == "person" && erased.contains(&event.subject_id);
            if erasable {
                erased_events += 1;
            } else {
                findings.push(Finding {
                    seq: row.0,
                    tamper: Tamper::Edited { part: "content" },
                });
            }
        }
        if event_digest(prev, &event.fixed(), body) != *digest {
            findings.push(Finding {
                seq: row.0,
                tamper: Tamper::Edited { part: "fields" },
            });
        }
        links.push(Link {
            seq: row.0,
            prev: Some(prev.clone()),
            digest: Some(digest.clone()),
        });
    }
    check_links(&links, &mut findings);
    check_checkpoints(&links, checkpoints, &mut findings);
    findings.sort_by_key(|f| f.seq);
    findings.dedup_by_key(|f| f.seq);
    let head = links.last().and_then(|last| {
        Some(Checkpoint {
            seq: last.seq,
            digest: last.digest.clone()?,
        })
    });
    AuditVerification {
        events: rows.len() as u64,
        erased: erased_events,
        checkpoints: checkpoints.len(),
        head,
        findings,
    }
}

/// Follows the `prev_digest` links: each event must name the one stored
/// before it. A broken link says which of deleted, reordered or inserted
/// happened by where the link points instead.
fn check_links(links: &[Link], findings: &mut Vec<Finding>) {
    let mut by_digest: HashMap<&str, i64> = HashMap::with_capacity(links.len());
    let mut flagged: HashSet<i64> = findings.iter().map(|f| f.seq).collect();
    for link in links {
        let Some(digest) = link.digest.as_deref() else {
            continue;
        };
        if by_digest.contains_key(digest) {
            // A seal copied from an earlier event, which was written first.
            findings.push(Finding {
                seq: link.seq,
                tamper: Tamper::InsertedOutOfBand,
            });
            flagged.insert(link.seq);
        } else {
            by_digest.insert(digest, link.seq);
        }
    }
    for (k, link) in links.iter().enumerate() {
        let Some(prev) = link.prev.as_deref() else {
            continue;
        };
        if flagged.contains(&link.seq) {
            continue;
        }
        let expected = match k.checked_sub(1) {
            Some(before) => links[before].digest.as_deref(),
            None => Some(""),
        };
        if Some(prev) == expected {
            continue;
        }
        let skipped = k
            .checked_sub(2)
            .and_then(|i| links[i].digest.as_deref())
            .is_some_and(|d| d == prev);
        let tamper = if skipped {
            // The chain goes from k-2 straight to k: k-1 was slipped in.
            let inserted = links[k - 1].seq;
            if !flagged.contains(&inserted) {
                findings.push(Finding {
                    seq: inserted,
                    tamper: Tamper::InsertedOutOfBand,
                });
            }
            continue;
        } else if let Some(&follows) = by_digest.get(prev).filter(|_| !prev.is_empty()) {
            Tamper::Reordered {
                chain_follows: follows,
            }
        } else if prev.is_empty() {
            // It claims to be the first event, yet events precede it.
            Tamper::InsertedOutOfBand
        } else {
            Tamper::Deleted {
                now_after: k.checked_sub(1).map(|i| links[i].seq),
            }
        };
        findings.push(Finding {
            seq: link.seq,
            tamper,
        });
    }
}

fn check_checkpoints(links: &[Link], checkpoints: &[Checkpoint], findings: &mut Vec<Finding>) {
    for checkpoint in checkpoints {
        let found = links
            .binary_search_by_key(&checkpoint.seq, |l| l.seq)
            .ok()
            .map(|i| &links[i]);
        let tamper = match found {
            None => Tamper::CheckpointMissing,
            Some(link) if link.digest.as_deref() == Some(checkpoint.digest.as_str()) => continue,
            Some(_) => Tamper::CheckpointMismatch,
        };
        findings.push(Finding {
            seq: checkpoint.seq,
            tamper,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(action: &'a str, change: Option<&'a str>) -> NewEvent<'a> {
        NewEvent {
            at: "2026-01-01T00:00:00Z",
            actor: "\"system\"",
            action,
            subject_kind: "person",
            subject_id: 1,
            before: None,
            after: None,
            change,
        }
    }

    /// A sealed log of `n` events, as stored rows.
    fn log(n: i64) -> Vec<StoredRow> {
        let mut rows: Vec<StoredRow> = Vec::new();
        for seq in 1..=n {
            let prev = rows.last().and_then(|r| r.11.clone()).unwrap_or_default();
            rows.push(sealed_row(seq, &format!("{{\"n\":{seq}}}"), &prev));
        }
        rows
    }

    fn sealed_row(seq: i64, change: &str, prev: &str) -> StoredRow {
        let e = event("person.hired", Some(change));
        let seal = e.seal(prev);
        (
            seq,
            e.at.to_owned(),
            e.actor.to_owned(),
            e.action.to_owned(),
            e.subject_kind.to_owned(),
            e.subject_id,
            None,
            None,
            Some(change.to_owned()),
            Some(seal.prev_digest),
            Some(seal.body_digest),
            Some(seal.digest),
        )
    }

    fn first(rows: &[StoredRow]) -> Option<Finding> {
        verify_rows(rows, &HashSet::new(), &[])
            .findings
            .first()
            .cloned()
    }

    #[test]
    fn an_untouched_log_verifies() {
        let rows = log(5);
        let result = verify_rows(&rows, &HashSet::new(), &[]);
        assert!(result.is_intact(), "{:?}", result.findings);
        assert_eq!(result.head.map(|h| h.seq), Some(5));
    }

    #[test]
    fn each_kind_of_tampering_is_named_at_its_event() {
        let mut edited = log(5);
        edited[2].8 = Some("{\"x\":1}".to_owned());
        assert_eq!(
            first(&edited).map(|f| (f.seq, f.tamper)),
            Some((3, Tamper::Edited { part: "content" }))
        );

        let mut actor = log(5);
        actor[1].2 = "\"someone\"".to_owned();
        assert_eq!(
            first(&actor).map(|f| (f.seq, f.tamper)),
            Some((2, Tamper::Edited { part: "fields" }))
        );

        let mut deleted = log(5);
        deleted.remove(2);
        assert_eq!(
            first(&deleted).map(|f| (f.seq, f.tamper)),
            Some((4, Tamper::Deleted { now_after: Some(2) }))
        );

        let mut swapped = log(5);
        swapped.swap(1, 2);
        swapped[1].0 = 2;
        swapped[2].0 = 3;
        assert_eq!(
            first(&swapped).map(|f| (f.seq, f.tamper)),
            Some((2, Tamper::Reordered { chain_follows: 3 }))
        );

        // A forger seals their own event after event 2 but cannot re-seal
        // the events after it.
        let mut inserted = log(5);
        let after_two = inserted[1].11.clone().unwrap_or_default();
        inserted.insert(2, sealed_row(3, "{\"forged\":true}", &after_two));
        for (i, row) in inserted.iter_mut().enumerate() {
            row.0 = i as i64 + 1;
        }
        assert_eq!(
            first(&inserted).map(|f| (f.seq, f.tamper)),
            Some((3, Tamper::InsertedOutOfBand))
        );

        let mut copied = log(5);
        let mut copy = copied[4].clone();
        copy.0 = 6;
        copied.push(copy);
        assert_eq!(
            first(&copied).map(|f| (f.seq, f.tamper)),
            Some((6, Tamper::InsertedOutOfBand))
        );

        let mut unsealed = log(5);
        unsealed[3].11 = None;
        assert_eq!(
            first(&unsealed).map(|f| (f.seq, f.tamper)),
            Some((4, Tamper::InsertedOutOfBand))
        );
    }

    #[test]
    fn erased_content_verifies_only_for_an_erased_person() {
        let mut rows = log(3);
        rows[0].8 = Some("{\"name\":\"Erased person\"}".to_owned());
        let erased = HashSet::from([1]);
        let result = verify_rows(&rows, &erased, &[]);
        assert!(result.is_intact(), "{:?}", result.findings);
        assert_eq!(result.erased, 1);
        assert!(!verify_rows(&rows, &HashSet::new(), &[]).is_intact());
    }

    #[test]
    fn a_recomputed_chain_is_caught_by_a_checkpoint() {
        let rows = log(4);
        let checkpoint = Checkpoint {
            seq: 4,
            digest: rows[3].11.clone().unwrap_or_default(),
        };
        let line = checkpoint.to_string();
        assert_eq!(Checkpoint::parse(&line), Some(checkpoint.clone()));
        assert!(verify_rows(&rows, &HashSet::new(), std::slice::from_ref(&checkpoint)).is_intact());

        // Rewrite event 2 and re-seal everything after it.
        let mut rewritten = rows.clone();
        let mut prev = rewritten[0].11.clone().unwrap_or_default();
        for row in rewritten.iter_mut().skip(1) {
            row.2 = "\"forger\"".to_owned();
            let seal = row.event().seal(&prev);
            prev = seal.digest.clone();
            (row.9, row.10, row.11) = (
                Some(seal.prev_digest),
                Some(seal.body_digest),
                Some(seal.digest),
            );
        }
        assert!(verify_rows(&rewritten, &HashSet::new(), &[]).is_intact());
        let caught = verify_rows(&rewritten, &HashSet::new(), &[checkpoint]);
        assert_eq!(
            caught.findings.first().map(|f| &f.tamper),
            Some(&Tamper::CheckpointMismatch)
        );

        let truncated = &rows[..2];
        let gone = verify_rows(
            truncated,
            &HashSet::new(),
            &[Checkpoint {
                seq: 4,
                digest: prev,
            }],
        );
        assert_eq!(
            gone.findings.first().map(|f| &f.tamper),
            Some(&Tamper::CheckpointMissing)
        );
    }
}
