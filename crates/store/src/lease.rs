//! The lease both outboxes (webhook deliveries and mail) are claimed with:
//! a worker marks up to a batch of due, pending rows as its own until a
//! time, so that several instances never send the same row at once, and a
//! lone SQLite process can take back what a previous run left claimed.

use sqlx::{Any, AnyConnection};

use crate::backend::Backend;
use crate::error::StoreError;

/// The outbox tables claimed with a lease.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outbox {
    WebhookDeliveries,
    Mail,
}

impl Outbox {
    fn table(self) -> &'static str {
        match self {
            Self::WebhookDeliveries => "webhook_deliveries",
            Self::Mail => "mail_outbox",
        }
    }
}

/// A claimed row: its id, the two columns named in `returning`, the JSON
/// or text body, the attempts so far and when it was queued.
pub(crate) type ClaimedRow = (i64, i64, String, String, i64, i64);

/// Claims up to `limit` rows of `outbox` due at `now_ms` for `owner` until
/// `now_ms + lease_ms`: pending, due, and not under a lease still running,
/// oldest due first. On PostgreSQL rows another instance is claiming are
/// skipped. `returning` names the row's columns after its id, as
/// [`ClaimedRow`] types them.
pub(crate) async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    outbox: Outbox,
    returning: &str,
    owner: &str,
    (now_ms, lease_ms, limit): (i64, i64, u32),
) -> Result<Vec<ClaimedRow>, StoreError> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let table = outbox.table();
    Ok(
        sqlx::query_as::<Any, ClaimedRow>(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET lease_owner = $1, lease_until_ms = $2 \
         WHERE id IN (SELECT id FROM {table} \
         WHERE status = 'pending' AND next_attempt_ms <= $3 \
         AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
         ORDER BY next_attempt_ms, id LIMIT $4{lock}) \
         RETURNING id, {returning}, attempts, created_ms"
        )))
        .bind(owner)
        .bind(now_ms.saturating_add(lease_ms))
        .bind(now_ms)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?,
    )
}

/// Drops every lease on the pending rows of `outbox`; answers how many.
pub(crate) async fn release_all(
    conn: &mut AnyConnection,
    outbox: Outbox,
) -> Result<u64, StoreError> {
    let table = outbox.table();
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET lease_owner = NULL, lease_until_ms = NULL \
         WHERE lease_owner IS NOT NULL AND status = 'pending'"
    )))
    .execute(conn)
    .await?
    .rows_affected())
}
