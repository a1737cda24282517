//! Who is calling, and what they may do: the [`Authenticated`] extractor
//! accepts a personal API token (`Authorization: Bearer climb_…`) or a web
//! session (`Authorization: Bearer climbs_…`, or the `climb_session` cookie
//! the web pages use), and its [`Authenticated::view`] and
//! [`Authenticated::act`] are the one path from every handler to
//! [`climb_people::policy`].
//!
//! Secrets are 32 random bytes, base64url, with a prefix naming their kind;
//! only their SHA-256 is stored. Passwords are hashed with argon2id. A
//! validated credential is remembered for a few seconds to keep the database
//! off the hot path, tagged with the credential epoch it was read at: every
//! transaction that takes access away moves the epoch, and each instance
//! reads it on its catch-up before a request (always on PostgreSQL), so a
//! logout, revocation or demotion on one instance holds on all of them from
//! the next request on. Whether the account's person still works here is
//! checked against the in-memory org on every request.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use climb_framework::Framework;
use climb_people::policy::{self, Access, Action, Resource};
use climb_people::{Actor, Org};
use climb_store::{Account, TokenId};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Prefix of personal API tokens.
pub const TOKEN_PREFIX: &str = "climb_";
/// Prefix of web session ids.
pub const SESSION_PREFIX: &str = "climbs_";
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "climb_session";
/// How long a web session lasts: at most `absolute` from login, and until
/// it goes unused for `idle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Unused this long, a session ends.
    pub idle: Duration,
    /// A session ends this long after login, used or not.
    pub absolute: Duration,
}

impl Default for SessionLimits {
    /// Twelve hours idle (a working day and its evening), seven days in all.
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(12 * 3600),
            absolute: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl SessionLimits {
    /// How long a validated session is trusted from memory: short enough
    /// that the use it records in the database keeps the idle clock right.
    fn cache_ttl(self) -> Duration {
        CACHE_TTL.min(self.idle / 4)
    }
}
/// How long a validated credential is trusted without asking the database.
const CACHE_TTL: Duration = Duration::from_secs(5);
/// Failed logins allowed per account (by email) within [`LOGIN_WINDOW`].
pub const LOGIN_FAILURES: usize = 10;
/// Failed logins allowed per client address, whatever the emails, within
/// [`LOGIN_WINDOW`].
pub const ADDRESS_FAILURES: usize = 30;
/// The window failed logins are counted in.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// A new random secret: `prefix` + base64url of 32 random bytes.
pub fn new_secret(prefix: &str) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// The stored form of a high-entropy secret: hex SHA-256.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// Hashes a password with argon2id (PHC string). CPU-heavy: call it from a
/// blocking task.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::internal(std::io::Error::other(e.to_string())))
}

/// Whether `password` matches the PHC string `hash`. CPU-heavy.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A personal API token.
    Token(TokenId),
    /// A web session, from the `Authorization` header or the cookie.
    Session {
        /// Whether it came in the `climb_session` cookie.
        cookie: bool,
        /// The stored hash of the session id (for logout).
        hash: String,
    },
}

/// The account behind a request; extracting it fails with 401 when there
/// are no credentials or they are not valid, or the person has left.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The account.
    pub account: Account,
    /// How the request was authenticated.
    pub via: Via,
}

/// An alias for handlers that read better with it.
pub type CurrentUser = Authenticated;

impl Authenticated {
    /// The actor the request acts as.
    pub fn actor(&self) -> Actor {
        self.account.actor()
    }

    /// Checks that the caller may see `resource`: 404 when they may not know
    /// it exists, 403 when they may know but not see it.
    pub fn view(&self, org: &Org, resource: &Resource) -> Result<(), ApiError> {
        match policy::may_view(org, self.actor(), resource) {
            Access::Allowed => Ok(()),
            Access::Forbidden => Err(ApiError::Forbidden(forbidden(resource).to_owned())),
            Access::Hidden => Err(hidden(resource)),
        }
    }

    /// Checks that the caller may do `action` (described by `what` in the
    /// refusal): 403 otherwise.
    pub fn act(
        &self,
        org: &Org,
        framework: &Framework,
        action: &Action,
        what: &str,
    ) -> Result<(), ApiError> {
        match policy::may_do(org, framework, self.actor(), action) {
            Access::Allowed => Ok(()),
            Access::Forbidden => Err(ApiError::Forbidden(format!("you may not {what}"))),
            Access::Hidden => Err(ApiError::not_found("not_found", "not found")),
        }
    }

    /// Checks that the caller may act on `person` at all (404 when they may
    /// not know the person exists), then that they may do `action`.
    pub fn act_on_person(
        &self,
        org: &Org,
        framework: &Framework,
        person: climb_people::PersonId,
        action: &Action,
        what: &str,
    ) -> Result<(), ApiError> {
        self.view(org, &Resource::Person(person))?;
        self.act(org, framework, action, what)
    }
}

/// Why the caller may not see `resource`, for the 403.
fn forbidden(resource: &Resource) -> &'static str {
    match resource {
        Resource::Calibration { .. } => "calibration is for HR and senior managers",
        Resource::Insights { under: Some(_), .. } => {
            "a subtree's figures are for its root, their managers, HR and administrators"
        }
        Resource::Insights { under: None, .. } => {
            "the whole company's figures are for HR and administrators"
        }
        _ => "you may not see this record",
    }
}

/// The 404 for a resource the caller may not know exists: the same answer
/// as for an id that names nothing.
fn hidden(resource: &Resource) -> ApiError {
    match resource {
        Resource::Person(id) | Resource::Records(id) => {
            ApiError::not_found("unknown_person", format!("there is no person {id}"))
        }
        Resource::Calibration { .. } | Resource::Insights { .. } => {
            ApiError::not_found("unknown_person", "there is no such person")
        }
        _ => ApiError::not_found("not_found", "not found"),
    }
}

/// The secret a request carries: the bearer token, else the session cookie.
/// `Err` when an `Authorization` header is present but not a bearer token.
fn credential(headers: &HeaderMap) -> Result<Option<(String, bool)>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let text = value.to_str().unwrap_or("");
        let Some((scheme, token)) = text.split_once(' ') else {
            return Err(ApiError::Unauthorized(
                "the Authorization header must be `Bearer TOKEN`".to_owned(),
            ));
        };
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::Unauthorized(
                "the Authorization header must be `Bearer TOKEN`".to_owned(),
            ));
        }
        return Ok(Some((token.trim().to_owned(), false)));
    }
    Ok(session_cookie(headers).map(|s| (s, true)))
}

/// The value of the `climb_session` cookie, if sent.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of the cookie `wanted` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.trim().to_owned())
}

/// A cookie-authenticated request that changes something must come from
/// our own pages: a cross-site `Origin` or `Sec-Fetch-Site` is refused, and
/// so is an `Origin` of the right host under the wrong scheme (a page
/// served over plain HTTP posting to the TLS site).
fn same_origin(parts: &Parts, tls: bool) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let headers = &parts.headers;
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
    {
        return false;
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let scheme = if tls { "https" } else { "http" };
            origin.split_once("://") == Some((scheme, host))
        }
        _ => true,
    }
}

/// A credential validated recently.
#[derive(Debug, Clone)]
struct Cached {
    account: Account,
    token: Option<TokenId>,
    expires: Option<DateTime<Utc>>,
    checked: Instant,
    /// How long it is trusted from memory.
    ttl: Duration,
    /// The credential epoch read before the credential was validated.
    epoch: i64,
}

/// Recently validated credentials, by the hash of their secret.
#[derive(Debug, Default)]
pub(crate) struct CredentialCache {
    entries: Mutex<HashMap<String, Cached>>,
}

impl CredentialCache {
    /// The credential validated at `epoch`, if still fresh.
    fn get(&self, hash: &str, epoch: i64) -> Option<Cached> {
        let entries = self.entries.lock().ok()?;
        let cached = entries.get(hash)?;
        let fresh = cached.epoch == epoch
            && cached.checked.elapsed() < cached.ttl
            && cached.expires.is_none_or(|expires| expires > Utc::now());
        fresh.then(|| cached.clone())
    }

    fn put(&self, hash: String, cached: Cached) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() > 50_000 {
                entries.retain(|_, c| c.checked.elapsed() < CACHE_TTL);
            }
            entries.insert(hash, cached);
        }
    }

    /// Forgets a session or token by the hash of its secret.
    pub(crate) fn forget(&self, hash: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(hash);
        }
    }

    /// Forgets every credential of an account (its kind changed, or it
    /// was disabled).
    pub(crate) fn forget_account(&self, account: climb_store::AccountId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, c| c.account.id != account);
        }
    }

    /// Forgets a revoked token.
    pub(crate) fn forget_token(&self, token: TokenId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, c| c.token != Some(token));
        }
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some((secret, cookie)) = credential(&parts.headers)? else {
            return Err(ApiError::Unauthorized(
                "authentication required: send `Authorization: Bearer TOKEN`".to_owned(),
            ));
        };
        let invalid = || ApiError::Unauthorized("the token is not valid".to_owned());
        let is_token = secret.starts_with(TOKEN_PREFIX);
        let is_session = secret.starts_with(SESSION_PREFIX);
        if !(is_token || is_session) || secret.len() > 128 {
            return Err(invalid());
        }
        let hash = hash_secret(&secret);
        state.catch_up().await?;
        let epoch = state.credential_epoch();
        let cached = match state.credentials().get(&hash, epoch) {
            Some(cached) => cached,
            None => {
                let store = state.store();
                let found = if is_token {
                    store
                        .account_by_token(&hash)
                        .await?
                        .map(|(account, token)| Cached {
                            account,
                            token: Some(token),
                            expires: None,
                            checked: Instant::now(),
                            ttl: CACHE_TTL,
                            epoch,
                        })
                } else {
                    let limits = state.session_limits();
                    let idle =
                        chrono::Duration::from_std(limits.idle).map_err(ApiError::internal)?;
                    store
                        .account_by_session(&hash, Utc::now(), idle)
                        .await?
                        .map(|(account, expires)| Cached {
                            account,
                            token: None,
                            expires: Some(expires),
                            checked: Instant::now(),
                            ttl: limits.cache_ttl(),
                            epoch,
                        })
                };
                let found = found.ok_or_else(invalid)?;
                state.credentials().put(hash.clone(), found.clone());
                found
            }
        };
        if let Some(person) = cached.account.person {
            let org = state.org_cached().await;
            if !org.person(person).is_some_and(|p| p.is_active()) {
                return Err(ApiError::Unauthorized(
                    "this account's person no longer works here".to_owned(),
                ));
            }
        }
        if cookie && !same_origin(parts, crate::headers::behind_tls(state, &parts.headers)) {
            return Err(ApiError::Forbidden(
                "cross-site requests may not use the session cookie".to_owned(),
            ));
        }
        let via = match cached.token {
            Some(token) => Via::Token(token),
            None => Via::Session { cookie, hash },
        };
        Ok(Self {
            account: cached.account,
            via,
        })
    }
}

/// The address a request came from (unspecified when not served over a socket).
pub(crate) fn client_ip(parts_extensions: &axum::http::Extensions) -> IpAddr {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Failed logins in the last [`LOGIN_WINDOW`], by key, in memory.
#[derive(Debug)]
struct FailureWindow<K> {
    failures: Mutex<HashMap<K, VecDeque<Instant>>>,
}

impl<K> Default for FailureWindow<K> {
    fn default() -> Self {
        Self {
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq> FailureWindow<K> {
    /// Seconds until `key` may try again, when it has failed `allowed` times.
    fn wait(&self, key: &K, allowed: usize) -> Option<u64> {
        let mut map = self.failures.lock().ok()?;
        let times = map.get_mut(key)?;
        while times.front().is_some_and(|t| t.elapsed() >= LOGIN_WINDOW) {
            times.pop_front();
        }
        (times.len() >= allowed).then(|| {
            let oldest = times.front().map_or(Duration::ZERO, Instant::elapsed);
            LOGIN_WINDOW.saturating_sub(oldest).as_secs().max(1)
        })
    }

    fn failed(&self, key: K) {
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, times| times.back().is_some_and(|t| t.elapsed() < LOGIN_WINDOW));
            }
            map.entry(key).or_default().push_back(Instant::now());
        }
    }

    fn forget(&self, key: &K) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

/// Failed logins per account (by email, from any address) and per client
/// address (across every email it tries: password spraying), in memory.
#[derive(Debug, Default)]
pub(crate) struct LoginLimiter {
    by_email: FailureWindow<String>,
    by_address: FailureWindow<IpAddr>,
}

impl LoginLimiter {
    /// `Err(429)` with the wait when this email, or this address, has
    /// failed too often lately. The answer is the same whether or not the
    /// email has an account.
    pub(crate) fn check(&self, email: &str, ip: IpAddr) -> Result<(), ApiError> {
        let wait = [
            self.by_email.wait(&email.to_owned(), LOGIN_FAILURES),
            self.by_address.wait(&ip, ADDRESS_FAILURES),
        ]
        .into_iter()
        .flatten()
        .max();
        match wait {
            Some(retry_after_secs) => Err(ApiError::TooManyAttempts { retry_after_secs }),
            None => Ok(()),
        }
    }

    /// Records a failed login.
    pub(crate) fn failed(&self, email: &str, ip: IpAddr) {
        self.by_email.failed(email.to_owned());
        self.by_address.failed(ip);
    }

    /// Clears the account's failures after a successful login. The
    /// address keeps its count: logging into one's own account must not
    /// reset a spraying run.
    pub(crate) fn succeeded(&self, email: &str) {
        self.by_email.forget(&email.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_prefixed_and_hashed_to_hex() {
        let a = new_secret(TOKEN_PREFIX).expect("random");
        let b = new_secret(TOKEN_PREFIX).expect("random");
        assert_ne!(a, b);
        assert!(a.starts_with("climb_") && a.len() == 6 + 43, "{a}");
        let hash = hash_secret(&a);
        assert_eq!(hash.len(), 64);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn a_password_verifies_against_its_argon2id_hash_only() {
        let hash = hash_password("correct horse").expect("hashes");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn the_eleventh_failure_within_the_window_is_refused() {
        let limiter = LoginLimiter::default();
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..LOGIN_FAILURES {
            assert!(limiter.check("a@example.com", ip).is_ok());
            limiter.failed("a@example.com", ip);
        }
        let refused = limiter.check("a@example.com", ip).expect_err("limited");
        assert_eq!(refused.code(), "too_many_attempts");
        assert!(limiter.check("b@example.com", ip).is_ok());
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "theme=dark; climb_session=climbs_abc; x=1"
                .parse()
                .expect("header"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("climbs_abc"));
    }
}
