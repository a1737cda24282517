//! The mail outbox and each account's mail settings. Notices are written by
//! [`enqueue`] inside the transaction of the review or proposal change they
//! tell about, one row per recipient whose account has notices on, so an
//! acknowledged change never loses its mail and a refused one has none; a
//! week's digest is claimed in `mail_digests` (one row per person and ISO
//! week, so only one instance sends it, once) in the transaction that
//! queues it. The mail worker (in the server) claims due rows with a lease
//! ([`Store::claim_mail`], `FOR UPDATE SKIP LOCKED` on PostgreSQL) and
//! records each attempt ([`Store::finish_mail`]); a sent row keeps no
//! content. Nothing is queued unless the server has mail configured
//! ([`Store::set_mail_enabled`]).

use std::sync::atomic::Ordering;

use climb_notify::{Addressed, Digest};
use climb_people::{ActorKind, PersonId};
use sqlx::AnyConnection;

use crate::accounts::{AccountId, parse_kind};
use crate::error::StoreError;
use crate::lease::{self, Outbox};
use crate::store::Store;

/// Rows written per statement when notices are queued.
const CHUNK: usize = 400;

/// What a queued mail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// An immediate notice (the body is a `climb_notify::Notice`).
    Notice,
    /// The weekly digest (the body is a `climb_notify::Digest`).
    Digest,
}

impl MailKind {
    /// `notice` or `digest`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Notice => "notice",
            Self::Digest => "digest",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "notice" => Ok(Self::Notice),
            "digest" => Ok(Self::Digest),
            other => Err(StoreError::Corrupt(format!("mail kind `{other}`"))),
        }
    }
}

/// A mail claimed for an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    /// The outbox row.
    pub id: i64,
    /// The recipient.
    pub person: PersonId,
    /// Notice or digest.
    pub kind: MailKind,
    /// The JSON body.
    pub body: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When it was queued (milliseconds since the epoch).
    pub created_ms: i64,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailOutcome {
    /// The SMTP server accepted it.
    Sent,
    /// Failed; try again at `next_ms`.
    Retry {
        /// When.
        next_ms: i64,
        /// Why.
        error: String,
    },
    /// Failed for the last time (or cannot ever be sent).
    Failed {
        /// Why.
        error: String,
    },
    /// Not sent on purpose: the person left, has no account any more, or
    /// switched this kind of mail off since it was queued.
    Dropped {
        /// Why.
        reason: String,
    },
}

/// Which mail an account receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailSettings {
    /// Immediate notices of review and proposal events.
    pub notices: bool,
    /// The weekly digest.
    pub digest: bool,
}

impl Default for MailSettings {
    /// Both on.
    fn default() -> Self {
        Self {
            notices: true,
            digest: true,
        }
    }
}

/// An account that may receive mail, with what the mail worker needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAccount {
    /// The account.
    pub account: AccountId,
    /// The person behind it.
    pub person: PersonId,
    /// Admin, HR or employee (what they may decide differs).
    pub kind: ActorKind,
    /// The time zone they chose, if any.
    pub time_zone: Option<String>,
    /// What they receive.
    pub settings: MailSettings,
}

/// Queues `notices` in the caller's transaction: one row per recipient
/// whose account is enabled and has notices on; others are left out.
pub(crate) async fn enqueue(
    conn: &mut AnyConnection,
    notices: &[Addressed],
    now_ms: i64,
) -> Result<(), StoreError> {
    for chunk in notices.chunks(CHUNK) {
        let mut values = String::new();
        for n in 0..chunk.len() {
            if n > 0 {
                values.push_str(", ");
            }
            values.push_str(&format!(
                "(CAST(${} AS BIGINT), CAST(${} AS TEXT))",
                2 * n + 2,
                2 * n + 3
            ));
        }
        let sql = format!(
            "INSERT INTO mail_outbox (person_id, kind, body, created_ms, status, attempts, next_attempt_ms) \
             SELECT v.column1, 'notice', v.column2, $1, 'pending', 0, $1 \
             FROM (VALUES {values}) AS v JOIN accounts a ON a.person_id = v.column1 \
             WHERE a.mail_notices = 1 AND a.disabled_at IS NULL"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms);
        for addressed in chunk {
            let body = serde_json::to_string(&addressed.notice)
                .map_err(|e| StoreError::Corrupt(format!("notice: {e}")))?;
            query = query.bind(addressed.to.0).bind(body);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Erasure: the mail still queued for `person` goes, in the erasing
/// transaction (a person who left is sent nothing anyway).
pub(crate) async fn scrub(conn: &mut AnyConnection, person: PersonId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM mail_outbox WHERE person_id = $1")
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn flag(on: bool) -> i64 {
    i64::from(on)
}

impl Store {
    /// Turns the queueing of mail on (the server does when SMTP is
    /// configured) or off (the default: nothing is queued, so nothing waits
    /// for a mail server that does not exist).
    pub fn set_mail_enabled(&self, on: bool) {
        self.mail_enabled.store(on, Ordering::Relaxed);
    }

    /// Whether mail is queued.
    pub fn mail_enabled(&self) -> bool {
        self.mail_enabled.load(Ordering::Relaxed)
    }

    /// Queues `notices` in the transaction `conn` when mail is on.
    pub(crate) async fn notify(
        &self,
        conn: &mut AnyConnection,
        notices: &[Addressed],
    ) -> Result<(), StoreError> {
        if !self.mail_enabled() || notices.is_empty() {
            return Ok(());
        }
        enqueue(conn, notices, chrono::Utc::now().timestamp_millis()).await
    }

    /// Which mail account `id` receives (both, for an unknown account).
    pub async fn mail_settings(&self, id: AccountId) -> Result<MailSettings, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT mail_notices, mail_digest FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            row.map_or_else(MailSettings::default, |(notices, digest)| MailSettings {
                notices: notices != 0,
                digest: digest != 0,
            }),
        )
    }

    /// Saves which mail account `id` receives. A preference: no credential
    /// epoch, no audit event.
    pub async fn set_mail_settings(
        &self,
        id: AccountId,
        settings: MailSettings,
    ) -> Result<(), StoreError> {
        let changed =
            sqlx::query("UPDATE accounts SET mail_notices = $1, mail_digest = $2 WHERE id = $3")
                .bind(flag(settings.notices))
                .bind(flag(settings.digest))
                .bind(id.0)
                .execute(&self.pool)
                .await?
                .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("account"));
        }
        Ok(())
    }

    /// The enabled account of `person` with its mail settings; `None` when
    /// they have none (or it is disabled).
    pub async fn mail_account(&self, person: PersonId) -> Result<Option<MailAccount>, StoreError> {
        let row: Option<MailAccountRow> = sqlx::query_as(
            "SELECT id, person_id, kind, time_zone, mail_notices, mail_digest FROM accounts \
             WHERE person_id = $1 AND disabled_at IS NULL",
        )
        .bind(person.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(mail_account).transpose()
    }

    /// Every enabled account of a person with the digest on, by id.
    pub async fn digest_accounts(&self) -> Result<Vec<MailAccount>, StoreError> {
        let rows: Vec<MailAccountRow> = sqlx::query_as(
            "SELECT id, person_id, kind, time_zone, mail_notices, mail_digest FROM accounts \
             WHERE person_id IS NOT NULL AND disabled_at IS NULL AND mail_digest = 1 ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(mail_account).collect()
    }

    /// Whether the digest of `week` (`2026-W50`) is already claimed for `person`.
    pub async fn digest_claimed(&self, person: PersonId, week: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT claimed_ms FROM mail_digests WHERE person_id = $1 AND week = $2",
        )
        .bind(person.0)
        .bind(week)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Claims the digest of `digest.week` for `person` and queues it (when
    /// it has lines), in one transaction; `false` when another instance or
    /// an earlier run claimed that week already, and nothing is queued.
    pub async fn claim_digest(
        &self,
        person: PersonId,
        digest: &Digest,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO mail_digests (person_id, week, claimed_ms) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(person.0)
        .bind(digest.week.key.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(false);
        }
        if !digest.lines.is_empty() {
            let body = serde_json::to_string(digest)
                .map_err(|e| StoreError::Corrupt(format!("digest: {e}")))?;
            sqlx::query(
                "INSERT INTO mail_outbox (person_id, kind, body, created_ms, status, attempts, next_attempt_ms) \
                 VALUES ($1, 'digest', $2, $3, 'pending', 0, $3)",
            )
            .bind(person.0)
            .bind(body)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Claims up to `limit` mails due at `now_ms` for `owner` until
    /// `now_ms + lease_ms`; on PostgreSQL rows another instance is claiming
    /// are skipped.
    pub async fn claim_mail(
        &self,
        owner: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<ClaimedMail>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let rows = lease::claim(
            &mut tx,
            self.backend(),
            Outbox::Mail,
            "person_id, kind, body",
            owner,
            (now_ms, lease_ms, limit),
        )
        .await?;
        tx.commit().await?;
        let mut claimed = rows
            .into_iter()
            .map(|(id, person, kind, body, attempts, created_ms)| {
                Ok(ClaimedMail {
                    id,
                    person: PersonId(person),
                    kind: MailKind::parse(&kind)?,
                    body,
                    attempts,
                    created_ms,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Records the outcome of attempts made at `at_ms` by `owner`, in one
    /// transaction; an outcome for a mail whose lease `owner` lost is
    /// dropped. A sent or dropped mail keeps no body. Returns how many were
    /// recorded as sent.
    pub async fn finish_mail(
        &self,
        owner: &str,
        at_ms: i64,
        outcomes: &[(i64, MailOutcome)],
    ) -> Result<u64, StoreError> {
        if outcomes.is_empty() {
            return Ok(0);
        }
        let mut sent = 0;
        let mut tx = self.pool.begin().await?;
        for (id, outcome) in outcomes {
            let (status, next_ms, error) = match outcome {
                MailOutcome::Sent => ("sent", None, None),
                MailOutcome::Retry { next_ms, error } => {
                    ("pending", Some(*next_ms), Some(clip(error)))
                }
                MailOutcome::Failed { error } => ("failed", None, Some(clip(error))),
                MailOutcome::Dropped { reason } => ("dropped", None, Some(clip(reason))),
            };
            let emptied = matches!(outcome, MailOutcome::Sent | MailOutcome::Dropped { .. });
            let recorded = sqlx::query(
                "UPDATE mail_outbox SET status = $1, attempts = attempts + 1, \
                 next_attempt_ms = COALESCE($2, next_attempt_ms), last_attempt_ms = $3, \
                 last_error = $4, lease_owner = NULL, lease_until_ms = NULL, \
                 body = CASE WHEN $5 = 1 THEN '{}' ELSE body END \
                 WHERE id = $6 AND lease_owner = $7",
            )
            .bind(status)
            .bind(next_ms)
            .bind(at_ms)
            .bind(error)
            .bind(i64::from(emptied))
            .bind(*id)
            .bind(owner)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if status == "sent" {
                sent += recorded;
            }
        }
        tx.commit().await?;
        Ok(sent)
    }

    /// Drops every lease on queued mail: for a SQLite database at start,
    /// where this process is the only sender.
    pub async fn release_mail_leases(&self) -> Result<u64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        lease::release_all(&mut conn, Outbox::Mail).await
    }

    /// How many queued mails are in each state, for metrics and tests:
    /// `(pending, sent, failed, dropped)`.
    pub async fn mail_counts(&self) -> Result<(i64, i64, i64, i64), StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM mail_outbox GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        let count = |s: &str| {
            rows.iter()
                .find(|(status, _)| status == s)
                .map_or(0, |(_, n)| *n)
        };
        Ok((
            count("pending"),
            count("sent"),
            count("failed"),
            count("dropped"),
        ))
    }
}

type MailAccountRow = (i64, i64, String, Option<String>, i64, i64);

fn mail_account(row: MailAccountRow) -> Result<MailAccount, StoreError> {
    let (id, person, kind, time_zone, notices, digest) = row;
    Ok(MailAccount {
        account: AccountId(id),
        person: PersonId(person),
        kind: parse_kind(&kind)?,
        time_zone,
        settings: MailSettings {
            notices: notices != 0,
            digest: digest != 0,
        },
    })
}

/// An error's text cut to what an outbox row keeps.
fn clip(error: &str) -> String {
    error.chars().take(500).collect()
}
