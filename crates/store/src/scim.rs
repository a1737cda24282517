//! SCIM provisioning's own records: the bearer tokens identity providers
//! use (one per connection; only the SHA-256 of the secret is kept), and the
//! link between a person and what a provider calls them (`userName`,
//! `externalId`). The people themselves change only through commands; this
//! module keeps what SCIM needs beside them. Tables from
//! `migrations/*/0011_scim.sql`.

use chrono::{DateTime, Utc};
use climb_people::PersonId;
use serde::Serialize;

use crate::codec::{parse_time, time_text};
use crate::error::StoreError;
use crate::store::{Store, lock_writers};

/// Identifies a SCIM token, and so the connection using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ScimTokenId(pub i64);

/// A SCIM token as listed (its secret is shown once, by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScimToken {
    /// Database id.
    pub id: ScimTokenId,
    /// The connection's name, given by the administrator.
    pub name: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When a request last used it (to the minute), if ever.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a provider calls a person, and when SCIM created and last changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScimLink {
    /// The person.
    pub person: PersonId,
    /// The provider's `userName` (lower-cased: SCIM compares it without case).
    pub user_name: String,
    /// The provider's own id for the person.
    pub external_id: Option<String>,
    /// The given name the provider sent (climb keeps one display name).
    pub given_name: Option<String>,
    /// The family name the provider sent.
    pub family_name: Option<String>,
    /// When the link was made.
    pub created_at: DateTime<Utc>,
    /// When SCIM last changed the person.
    pub updated_at: DateTime<Utc>,
    /// When the provider deleted the user (the person left; their records stay).
    pub deleted_at: Option<DateTime<Utc>>,
}

type TokenRow = (i64, String, String, Option<String>, Option<String>);
type LinkRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

const TOKEN_COLUMNS: &str = "id, name, created_at, last_used_at, revoked_at";
const LINK_COLUMNS: &str = "person_id, user_name, external_id, given_name, family_name, created_at, updated_at, deleted_at";

fn opt_time(text: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.as_deref().map(parse_time).transpose()
}

fn token((id, name, created, used, revoked): TokenRow) -> Result<ScimToken, StoreError> {
    Ok(ScimToken {
        id: ScimTokenId(id),
        name,
        created_at: parse_time(&created)?,
        last_used_at: opt_time(used)?,
        revoked_at: opt_time(revoked)?,
    })
}

fn link(row: LinkRow) -> Result<ScimLink, StoreError> {
    let (person, user_name, external_id, given_name, family_name, created, updated, deleted) = row;
    Ok(ScimLink {
        person: PersonId(person),
        user_name,
        external_id,
        given_name,
        family_name,
        created_at: parse_time(&created)?,
        updated_at: parse_time(&updated)?,
        deleted_at: opt_time(deleted)?,
    })
}

impl Store {
    /// Records a new SCIM token named `name` whose secret hashes to `token_hash`.
    pub async fn create_scim_token(
        &self,
        name: &str,
        token_hash: &str,
    ) -> Result<ScimToken, StoreError> {
        let now = time_text(Utc::now());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scim_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(token_hash)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?;
        token((id, name.to_owned(), now, None, None))
    }

    /// Every SCIM token ever issued, revoked ones included, by id.
    pub async fn scim_tokens(&self) -> Result<Vec<ScimToken>, StoreError> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM scim_tokens ORDER BY id");
        let rows: Vec<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(token).collect()
    }

    /// The unrevoked SCIM token whose secret hashes to `token_hash`.
    pub async fn scim_token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<ScimToken>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM scim_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        );
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(token).transpose()
    }

    /// Notes that the token was used at `at`.
    pub async fn touch_scim_token(
        &self,
        id: ScimTokenId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE scim_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(time_text(at))
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Revokes a SCIM token; `false` when there is no such unrevoked token.
    /// Requests with it are refused from then on, on every instance (SCIM
    /// tokens are looked up on every request).
    pub async fn revoke_scim_token(&self, id: ScimTokenId) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE scim_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(time_text(Utc::now()))
        .bind(id.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done > 0)
    }

    /// The SCIM link of `person`, if a provider made one.
    pub async fn scim_link(&self, person: PersonId) -> Result<Option<ScimLink>, StoreError> {
        let sql = format!("SELECT {LINK_COLUMNS} FROM scim_users WHERE person_id = $1");
        let row: Option<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_optional(&self.pool)
            .await?;
        row.map(link).transpose()
    }

    /// The links whose `userName` is `user_name` (lower-cased by the caller)
    /// or whose `externalId` is `external_id`.
    pub async fn scim_links_matching(
        &self,
        user_name: Option<&str>,
        external_id: Option<&str>,
    ) -> Result<Vec<ScimLink>, StoreError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM scim_users WHERE user_name = $1 OR external_id = $2"
        );
        let rows: Vec<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_name)
            .bind(external_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(link).collect()
    }

    /// Every SCIM link.
    pub async fn scim_links(&self) -> Result<Vec<ScimLink>, StoreError> {
        let sql = format!("SELECT {LINK_COLUMNS} FROM scim_users ORDER BY person_id");
        let rows: Vec<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(link).collect()
    }

    /// Writes `link` (made or replaced). Fails with
    /// [`StoreError::Refused`] `uniqueness` when another person's link has
    /// the same `userName`.
    pub async fn put_scim_link(&self, link: &ScimLink) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // A writer from its first statement: on SQLite a transaction that
        // reads and then writes cannot wait for a writer that commits in
        // between (its snapshot is stale) and fails with "database is
        // locked", which the load of a provisioning run showed.
        lock_writers(&mut tx).await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT person_id FROM scim_users WHERE user_name = $1 AND person_id <> $2",
        )
        .bind(&link.user_name)
        .bind(link.person.0)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Refused {
                code: "uniqueness",
                message: format!("the userName `{}` belongs to another user", link.user_name),
            });
        }
        sqlx::query("DELETE FROM scim_users WHERE person_id = $1")
            .bind(link.person.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO scim_users (person_id, user_name, external_id, given_name, family_name, \
             created_at, updated_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(link.person.0)
        .bind(&link.user_name)
        .bind(link.external_id.as_deref())
        .bind(link.given_name.as_deref())
        .bind(link.family_name.as_deref())
        .bind(time_text(link.created_at))
        .bind(time_text(link.updated_at))
        .bind(link.deleted_at.map(time_text))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
