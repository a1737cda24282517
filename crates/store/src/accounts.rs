//! Accounts: who may log in (email, argon2id password hash chosen by the
//! caller), personal API tokens and web sessions. Secrets are never stored:
//! the caller hashes the random token or session id (SHA-256) and the store
//! keeps and looks up the hash. Every account write appends an event to the
//! append-only `account_events` log, with no password or token material.
//!
//! The tables come from `migrations/*/0002_accounts.sql` and
//! `0003_account_disabled.sql` (`0005_account_erasure.sql` lets erasure
//! scrub the events of the erased person's account), applied by [`Store::migrate_accounts`] and
//! recorded in their own `accounts_migrations` table, so that the people
//! migrations' numbering is left alone.
//!
//! Administrators manage accounts: change their kind, set a password,
//! disable and enable them. A disabled account cannot log in and its
//! tokens and sessions are refused until it is enabled again.

use chrono::{DateTime, Utc};
use climb_people::{Actor, ActorKind, Email, PersonId};
use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, Executor};

use crate::backend::Backend;
use crate::codec::{parse_time, time_text, to_json};
use crate::error::StoreError;
use crate::store::Store;

/// The accounts migrations: version, name, SQLite and PostgreSQL scripts.
const MIGRATIONS: [(i64, &str, &str, &str); 8] = [
    (
        2,
        "0002_accounts.sql",
        include_str!("../migrations/sqlite/0002_accounts.sql"),
        include_str!("../migrations/postgres/0002_accounts.sql"),
    ),
    (
        3,
        "0003_account_disabled.sql",
        include_str!("../migrations/sqlite/0003_account_disabled.sql"),
        include_str!("../migrations/postgres/0003_account_disabled.sql"),
    ),
    (
        5,
        "0005_account_erasure.sql",
        include_str!("../migrations/sqlite/0005_account_erasure.sql"),
        include_str!("../migrations/postgres/0005_account_erasure.sql"),
    ),
    (
        7,
        "0007_account_credential_epoch.sql",
        include_str!("../migrations/sqlite/0007_account_credential_epoch.sql"),
        include_str!("../migrations/postgres/0007_account_credential_epoch.sql"),
    ),
    (
        8,
        "0008_account_session_idle.sql",
        include_str!("../migrations/sqlite/0008_account_session_idle.sql"),
        include_str!("../migrations/postgres/0008_account_session_idle.sql"),
    ),
    (
        13,
        "0013_account_time_zone.sql",
        include_str!("../migrations/sqlite/0013_account_time_zone.sql"),
        include_str!("../migrations/postgres/0013_account_time_zone.sql"),
    ),
    (
        14,
        "0014_account_mail.sql",
        include_str!("../migrations/sqlite/0014_account_mail.sql"),
        include_str!("../migrations/postgres/0014_account_mail.sql"),
    ),
    (
        15,
        "0015_account_sessions_index.sql",
        include_str!("../migrations/sqlite/0015_account_sessions_index.sql"),
        include_str!("../migrations/postgres/0015_account_sessions_index.sql"),
    ),
];

/// Identifies an account (database id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

/// Identifies a personal API token (database id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TokenId(pub i64);

/// A login: an administrator, HR or an employee, usually a person of the company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Database id.
    pub id: AccountId,
    /// Login email (normalised, unique among accounts).
    pub email: Email,
    /// Display name.
    pub name: String,
    /// The person behind the account; `None` for an administrator who is
    /// not a person of the company.
    pub person: Option<PersonId>,
    /// Admin, HR or employee.
    pub kind: ActorKind,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Account {
    /// The actor requests made with this account act as.
    pub fn actor(&self) -> Actor {
        Actor {
            person: self.person,
            kind: self.kind,
        }
    }
}

/// What it takes to create an account.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// Login email.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// The person behind it, if any (at most one account per person).
    pub person: Option<PersonId>,
    /// Admin, HR or employee.
    pub kind: ActorKind,
    /// The password hash in PHC format (argon2id), or `None` for an account
    /// that only uses API tokens.
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for NewAccount {
    /// Leaves the password hash out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("person", &self.person)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A personal API token as listed (the secret itself is shown once, by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Database id.
    pub id: TokenId,
    /// Whose token it is.
    pub account: AccountId,
    /// The name its owner gave it.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The orders the accounts list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountOrder {
    /// By name, whatever its case.
    Name,
    /// By email.
    Email,
    /// By the start of the latest session.
    LastLogin,
    /// By when the login was given.
    Created,
}

/// An account as administrators see it in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountOverview {
    /// The account.
    pub account: Account,
    /// Whether it can log in with a password.
    pub has_password: bool,
    /// Whether an administrator disabled it.
    pub disabled: bool,
    /// When it last logged in (started a session), if ever.
    pub last_login: Option<DateTime<Utc>>,
    /// How many API tokens it holds (not revoked).
    pub tokens: i64,
}

/// A change an administrator makes to an account.
#[derive(Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// Make it an administrator, HR or an employee.
    Kind(ActorKind),
    /// Set its password (argon2id PHC string).
    Password(String),
    /// Disable (`true`) or enable (`false`) it.
    Disabled(bool),
}

impl std::fmt::Debug for AccountChange {
    /// Leaves the password hash out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Kind(kind) => f.debug_tuple("Kind").field(kind).finish(),
            Self::Password(_) => f.write_str("Password(..)"),
            Self::Disabled(disabled) => f.debug_tuple("Disabled").field(disabled).finish(),
        }
    }
}

type AccountRow = (i64, String, String, Option<i64>, String, String);
/// An account row with password presence, disabled time, last login and tokens.
type OverviewRow = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    i64,
);

const OVERVIEW_COLUMNS: &str = "a.id, a.email, a.name, a.person_id, a.kind, a.created_at, \
     CAST(CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT), a.disabled_at, \
     (SELECT MAX(s.created_at) FROM sessions s WHERE s.account_id = a.id), \
     (SELECT COUNT(*) FROM api_tokens t WHERE t.account_id = a.id AND t.revoked_at IS NULL)";

fn overview(row: OverviewRow) -> Result<AccountOverview, StoreError> {
    let (id, email, name, person, kind, created, password, disabled, login, tokens) = row;
    Ok(AccountOverview {
        account: account((id, email, name, person, kind, created))?,
        has_password: password != 0,
        disabled: disabled.is_some(),
        last_login: login.as_deref().map(parse_time).transpose()?,
        tokens,
    })
}
/// An account row followed by one more column.
type AccountRowAnd<T> = (i64, String, String, Option<i64>, String, String, T);

const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.name, a.person_id, a.kind, a.created_at";

fn kind_text(kind: ActorKind) -> &'static str {
    kind.as_str()
}

pub(crate) fn parse_kind(text: &str) -> Result<ActorKind, StoreError> {
    match text {
        "admin" => Ok(ActorKind::Admin),
        "hr" => Ok(ActorKind::Hr),
        "employee" => Ok(ActorKind::Employee),
        other => Err(StoreError::Corrupt(format!("account kind `{other}`"))),
    }
}

fn account(row: AccountRow) -> Result<Account, StoreError> {
    let (id, email, name, person, kind, created_at) = row;
    Ok(Account {
        id: AccountId(id),
        email: Email::parse(&email)
            .map_err(|e| StoreError::Corrupt(format!("account email `{email}`: {e}")))?,
        name,
        person: person.map(PersonId),
        kind: parse_kind(&kind)?,
        created_at: parse_time(&created_at)?,
    })
}

/// Appends an account event inside the caller's transaction.
async fn append_event(
    conn: &mut AnyConnection,
    actor: Actor,
    action: &str,
    account: AccountId,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_events (at, actor, action, account_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(time_text(Utc::now()))
    .bind(to_json(&actor)?)
    .bind(action)
    .bind(account.0)
    .bind(to_json(&detail)?)
    .execute(&mut *conn)
    .await?;
    if takes_access_away(action) {
        // Inside the writing transaction: the row lock orders the bumps as
        // their transactions commit, so no instance can miss one.
        sqlx::query("UPDATE credential_epoch SET epoch = epoch + 1 WHERE id = 1")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whether an account event ends or narrows access that a credential
/// validated earlier would still grant (creations and logins do not).
fn takes_access_away(action: &str) -> bool {
    !matches!(
        action,
        "account.created" | "session.started" | "token.created" | "account.enabled"
    )
}

/// Whether a database error is a unique violation (an email or a person
/// already holding an account).
fn is_unique_violation(error: &StoreError) -> bool {
    matches!(error, StoreError::Query(sqlx::Error::Database(db)) if db.is_unique_violation())
}

/// The highest accounts migration this build carries.
pub(crate) fn known_accounts_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

impl Store {
    /// Creates the account tables when the database lacks them. Safe to call
    /// at every start and from several instances at once (PostgreSQL takes
    /// an advisory lock). Fails when the database cannot be migrated.
    #[tracing::instrument(skip_all)]
    pub async fn migrate_accounts(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend() == Backend::Postgres {
            tx.execute("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7312650114)) AS l")
                .await?;
        }
        tx.execute(
            "CREATE TABLE IF NOT EXISTS accounts_migrations (\
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .await?;
        for (version, name, sqlite, postgres) in MIGRATIONS {
            let applied: Option<i64> =
                sqlx::query_scalar("SELECT version FROM accounts_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if applied.is_some() {
                continue;
            }
            let sql = match self.backend() {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            tracing::info!(name, "migrating accounts");
            let failed = |source| StoreError::Migration {
                version,
                name,
                source,
            };
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(failed)?;
            sqlx::query(
                "INSERT INTO accounts_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(version)
            .bind(name)
            .bind(time_text(Utc::now()))
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account on behalf of `actor` and records it. Fails with
    /// [`StoreError::EmailTaken`] when the email, or the person, already has one.
    #[tracing::instrument(skip_all, fields(kind = ?new.kind))]
    pub async fn create_account(
        &self,
        actor: Actor,
        new: NewAccount,
    ) -> Result<Account, StoreError> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let inserted: Result<i64, StoreError> = sqlx::query_scalar(
            "INSERT INTO accounts (email, name, person_id, kind, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.email.as_str())
        .bind(new.name.as_str())
        .bind(new.person.map(|p| p.0))
        .bind(kind_text(new.kind))
        .bind(new.password_hash.clone())
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from);
        let id = match inserted {
            Ok(id) => AccountId(id),
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::EmailTaken {
                    email: new.email.to_string(),
                });
            }
            Err(e) => return Err(e),
        };
        append_event(
            &mut tx,
            actor,
            "account.created",
            id,
            json!({
                "email": new.email.as_str(),
                "name": new.name,
                "person": new.person,
                "kind": kind_text(new.kind),
                "password": new.password_hash.is_some(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(Account {
            id,
            email: new.email,
            name: new.name,
            person: new.person,
            kind: new.kind,
            created_at: parse_time(&time_text(now))?,
        })
    }

    /// The account with this id.
    pub async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1");
        let row: Option<AccountRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(account).transpose()
    }

    /// The account of a person, if they have one.
    pub async fn account_of(&self, person: PersonId) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.person_id = $1");
        let row: Option<AccountRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(account).transpose()
    }

    /// The account logging in with `email`, with its password hash (PHC
    /// string; `None` when it has no password).
    pub async fn login_account(
        &self,
        email: &Email,
    ) -> Result<Option<(Account, Option<String>)>, StoreError> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM accounts a WHERE a.email = $1 AND a.disabled_at IS NULL"
        );
        let row: Option<AccountRowAnd<Option<String>>> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(id, email, name, person, kind, created, hash)| {
            Ok((account((id, email, name, person, kind, created))?, hash))
        })
        .transpose()
    }

    /// Records a new personal API token whose secret hashes to `token_hash`.
    pub async fn create_api_token(
        &self,
        account: AccountId,
        name: &str,
        token_hash: &str,
    ) -> Result<ApiToken, StoreError> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (account_id, name, token_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(account.0)
        .bind(name)
        .bind(token_hash)
        .bind(time_text(now))
        .fetch_one(&mut *tx)
        .await?;
        let actor = self.actor_of(&mut tx, account).await?;
        append_event(
            &mut tx,
            actor,
            "token.created",
            account,
            json!({ "token": id, "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(ApiToken {
            id: TokenId(id),
            account,
            name: name.to_owned(),
            created_at: parse_time(&time_text(now))?,
        })
    }

    /// An account's tokens that are not revoked, by id, after `after`, at most `limit`.
    pub async fn api_tokens(
        &self,
        account: AccountId,
        after: Option<TokenId>,
        limit: u32,
    ) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, created_at FROM api_tokens \
             WHERE account_id = $1 AND revoked_at IS NULL AND id > $2 ORDER BY id LIMIT $3",
        )
        .bind(account.0)
        .bind(after.map_or(0, |t| t.0))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, created_at)| {
                Ok(ApiToken {
                    id: TokenId(id),
                    account,
                    name,
                    created_at: parse_time(&created_at)?,
                })
            })
            .collect()
    }

    /// Revokes one of the account's tokens; `false` when it has no such
    /// (unrevoked) token.
    pub async fn revoke_api_token(
        &self,
        account: AccountId,
        token: TokenId,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(time_text(Utc::now()))
        .bind(token.0)
        .bind(account.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        let actor = self.actor_of(&mut tx, account).await?;
        append_event(
            &mut tx,
            actor,
            "token.revoked",
            account,
            json!({ "token": token.0 }),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The account owning the unrevoked token whose secret hashes to `token_hash`.
    pub async fn account_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Account, TokenId)>, StoreError> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, t.id FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL"
        );
        let row: Option<AccountRowAnd<i64>> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(id, email, name, person, kind, created, token)| {
            Ok((
                account((id, email, name, person, kind, created))?,
                TokenId(token),
            ))
        })
        .transpose()
    }

    /// Starts a web session whose random id hashes to `session_hash`, valid
    /// until `expires_at`.
    pub async fn create_session(
        &self,
        account: AccountId,
        session_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (account_id, session_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account.0)
        .bind(session_hash)
        .bind(time_text(Utc::now()))
        .bind(time_text(expires_at))
        .execute(&mut *tx)
        .await?;
        let actor = self.actor_of(&mut tx, account).await?;
        append_event(&mut tx, actor, "session.started", account, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account of the session whose id hashes to `session_hash`, with
    /// the moment it lapses if not used again, when it has not ended, passed
    /// its absolute expiry or been idle for `idle` by `now`. Records the use
    /// when the last one recorded is older than a quarter of `idle` (at most
    /// once a minute), so that most reads write nothing.
    pub async fn account_by_session(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
        idle: chrono::Duration,
    ) -> Result<Option<(Account, DateTime<Utc>)>, StoreError> {
        // Timestamps are fixed-width RFC 3339 UTC text, so they compare as text.
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, s.expires_at, COALESCE(s.last_seen_at, s.created_at) \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.session_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 \
             AND COALESCE(s.last_seen_at, s.created_at) > $3 AND a.disabled_at IS NULL"
        );
        type SessionRow = (
            i64,
            String,
            String,
            Option<i64>,
            String,
            String,
            String,
            String,
        );
        let row: Option<SessionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(session_hash)
            .bind(time_text(now))
            .bind(time_text(now - idle))
            .fetch_optional(&self.pool)
            .await?;
        let Some((id, email, name, person, kind, created, expires, seen)) = row else {
            return Ok(None);
        };
        let (expires, mut seen) = (parse_time(&expires)?, parse_time(&seen)?);
        let touch_every = (idle / 4).min(chrono::Duration::minutes(1));
        if now - seen >= touch_every {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE session_hash = $2")
                .bind(time_text(now))
                .bind(session_hash)
                .execute(&self.pool)
                .await?;
            seen = now;
        }
        Ok(Some((
            account((id, email, name, person, kind, created))?,
            expires.min(seen + idle),
        )))
    }

    /// Ends the session whose id hashes to `session_hash` (logout); `false`
    /// when there was no such running session.
    pub async fn end_session(&self, session_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let account: Option<i64> = sqlx::query_scalar(
            "SELECT account_id FROM sessions WHERE session_hash = $1 AND ended_at IS NULL",
        )
        .bind(session_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(account) = account.map(AccountId) else {
            return Ok(false);
        };
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE session_hash = $2")
            .bind(time_text(Utc::now()))
            .bind(session_hash)
            .execute(&mut *tx)
            .await?;
        let actor = self.actor_of(&mut tx, account).await?;
        append_event(&mut tx, actor, "session.ended", account, json!({})).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Accounts by id after `after`, at most `limit`, as administrators see them.
    pub async fn account_overviews(
        &self,
        after: Option<AccountId>,
        limit: u32,
    ) -> Result<Vec<AccountOverview>, StoreError> {
        let sql = format!(
            "SELECT {OVERVIEW_COLUMNS} FROM accounts a WHERE a.id > $1 ORDER BY a.id LIMIT $2"
        );
        let rows: Vec<OverviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after.map_or(0, |a| a.0))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(overview).collect()
    }

    /// How many accounts there are.
    pub async fn account_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The accounts in `order` (`descending` turns it round; ties go by
    /// id), `limit` of them after the first `offset`, as administrators
    /// see them.
    pub async fn sorted_account_overviews(
        &self,
        order: AccountOrder,
        descending: bool,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<AccountOverview>, StoreError> {
        let key = match order {
            AccountOrder::Name => "LOWER(a.name)",
            AccountOrder::Email => "a.email",
            // Never logged in sorts as the earliest.
            AccountOrder::LastLogin => {
                "COALESCE((SELECT MAX(s.created_at) FROM sessions s WHERE s.account_id = a.id), '')"
            }
            // Ids are given in the order logins are.
            AccountOrder::Created => "a.id",
        };
        let direction = if descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {OVERVIEW_COLUMNS} FROM accounts a \
             ORDER BY {key} {direction}, a.id {direction} LIMIT $1 OFFSET $2"
        );
        let rows: Vec<OverviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(overview).collect()
    }

    /// One account as administrators see it.
    pub async fn account_overview(
        &self,
        id: AccountId,
    ) -> Result<Option<AccountOverview>, StoreError> {
        let sql = format!("SELECT {OVERVIEW_COLUMNS} FROM accounts a WHERE a.id = $1");
        let row: Option<OverviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(overview).transpose()
    }

    /// Changes an account on behalf of `actor` and records it (never the
    /// password itself). Disabling ends its running sessions. Answers
    /// `false` when there is no such account; a change to what it already
    /// is writes nothing.
    #[tracing::instrument(skip_all, fields(account = id.0))]
    pub async fn change_account(
        &self,
        actor: Actor,
        id: AccountId,
        change: AccountChange,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT kind, disabled_at FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((kind, disabled_at)) = row else {
            return Ok(false);
        };
        let now = time_text(Utc::now());
        let (action, detail) = match change {
            AccountChange::Kind(new) => {
                let old = parse_kind(&kind)?;
                if old == new {
                    return Ok(true);
                }
                sqlx::query("UPDATE accounts SET kind = $1 WHERE id = $2")
                    .bind(kind_text(new))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                (
                    "account.kind_changed",
                    json!({ "from": kind_text(old), "to": kind_text(new) }),
                )
            }
            AccountChange::Password(hash) => {
                sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                ("account.password_set", json!({}))
            }
            AccountChange::Disabled(disable) => {
                if disable == disabled_at.is_some() {
                    return Ok(true);
                }
                sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2")
                    .bind(disable.then_some(now.clone()))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                if disable {
                    sqlx::query(
                        "UPDATE sessions SET ended_at = $1 WHERE account_id = $2 AND ended_at IS NULL",
                    )
                    .bind(now.as_str())
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                    ("account.disabled", json!({}))
                } else {
                    ("account.enabled", json!({}))
                }
            }
        };
        append_event(&mut tx, actor, action, id, detail).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The account events of one account, oldest first: action and detail.
    pub async fn account_events(
        &self,
        id: AccountId,
    ) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT action, detail FROM account_events WHERE account_id = $1 ORDER BY seq",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(action, detail)| Ok((action, crate::codec::from_json(&detail)?)))
            .collect()
    }

    /// The IANA time zone an account chose to see times in, as saved; `None`
    /// when it follows the browser (or for an unknown account).
    pub async fn account_time_zone(&self, id: AccountId) -> Result<Option<String>, StoreError> {
        let zone: Option<Option<String>> =
            sqlx::query_scalar("SELECT time_zone FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(zone.flatten())
    }

    /// Saves the time zone an account sees times in (`None`: follow the
    /// browser). The caller checks the name is a zone; this is a
    /// preference, so it takes no credential epoch and no audit event.
    pub async fn set_account_time_zone(
        &self,
        id: AccountId,
        zone: Option<&str>,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query("UPDATE accounts SET time_zone = $1 WHERE id = $2")
            .bind(zone)
            .bind(id.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("account"));
        }
        Ok(())
    }

    /// Whether any account exists (a fresh database has none).
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// The actor an account acts as, read inside a transaction (for events
    /// the account causes itself).
    async fn actor_of(&self, conn: &mut AnyConnection, id: AccountId) -> Result<Actor, StoreError> {
        let (person, kind): (Option<i64>, String) =
            sqlx::query_as("SELECT person_id, kind FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await?;
        Ok(Actor {
            person: person.map(PersonId),
            kind: parse_kind(&kind)?,
        })
    }
}
