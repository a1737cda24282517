//! Single sign-on bookkeeping: the OpenID Connect logins under way (state,
//! nonce, PKCE verifier and where to return, kept until the callback and
//! taken exactly once), and the append-only log of refused logins.
//!
//! The tables come from `migrations/*/0010_oidc.sql`.

use chrono::{DateTime, Utc};

use crate::accounts::AccountId;
use crate::codec::{parse_time, time_text};
use crate::error::StoreError;
use crate::store::Store;

/// A login started at the identity provider and not finished yet.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier the token request proves the login with.
    pub pkce_verifier: String,
    /// The local path to go to once logged in.
    pub return_to: String,
    /// When the login stops being accepted.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for PendingLogin {
    /// Leaves the nonce and the verifier out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("return_to", &self.return_to)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A refused login as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRefusal {
    /// When it was refused.
    pub at: DateTime<Utc>,
    /// How the login was tried (`oidc`, `password`).
    pub method: String,
    /// Why, as a stable code (`unverified_email`, `bad_signature`, …).
    pub reason: String,
    /// The account it would have logged into, when one was found.
    pub account: Option<AccountId>,
}

impl Store {
    /// Keeps a login started at the identity provider under the hash of
    /// its state, and forgets the logins that expired meanwhile.
    pub async fn save_oidc_login(
        &self,
        state_hash: &str,
        login: &PendingLogin,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1")
            .bind(time_text(Utc::now()))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO oidc_logins (state_hash, nonce, pkce_verifier, return_to, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(state_hash)
        .bind(&login.nonce)
        .bind(&login.pkce_verifier)
        .bind(&login.return_to)
        .bind(time_text(login.expires_at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the login whose state hashes to `state_hash`: it is deleted in
    /// the same transaction, so a second callback with the same state finds
    /// nothing, on this instance or any other. `None` when there is no such
    /// login, it was taken already or it expired by `now`.
    pub async fn take_oidc_login(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<PendingLogin>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT nonce, pkce_verifier, return_to, expires_at FROM oidc_logins \
             WHERE state_hash = $1",
        )
        .bind(state_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((nonce, pkce_verifier, return_to, expires_at)) = row else {
            return Ok(None);
        };
        let deleted = sqlx::query("DELETE FROM oidc_logins WHERE state_hash = $1")
            .bind(state_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        let expires_at = parse_time(&expires_at)?;
        // Two instances may read the row at once; only the one whose delete
        // removed it goes on.
        Ok((deleted == 1 && expires_at > now).then_some(PendingLogin {
            nonce,
            pkce_verifier,
            return_to,
            expires_at,
        }))
    }

    /// Records a refused login: how it was tried, why (a stable code), and
    /// the account it would have opened, if one was found.
    pub async fn record_login_refusal(
        &self,
        method: &str,
        reason: &str,
        account: Option<AccountId>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_refusals (at, method, reason, account_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(time_text(Utc::now()))
        .bind(method)
        .bind(reason)
        .bind(account.map(|a| a.0))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The refused logins, oldest first.
    pub async fn login_refusals(&self) -> Result<Vec<LoginRefusal>, StoreError> {
        let rows: Vec<(String, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT at, method, reason, account_id FROM login_refusals ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(at, method, reason, account)| {
                Ok(LoginRefusal {
                    at: parse_time(&at)?,
                    method,
                    reason,
                    account: account.map(AccountId),
                })
            })
            .collect()
    }
}
