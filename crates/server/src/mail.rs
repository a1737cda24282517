//! Mail out over SMTP, a thin adapter around the store's mail outbox and
//! `climb_notify`: the settings (`MailConfig`, checked at start, the
//! password never in `Debug` output or logs), the worker that claims due
//! mail with a lease, words each one for its recipient as they are now (a
//! person who left, lost their account or switched that mail off since is
//! skipped), sends it through `lettre`, and records how each attempt ended
//! (a refusal the server calls permanent fails at once; anything else is
//! tried again after the webhook schedule's wait, until its give-up time);
//! and the weekly digest ([`queue_digests`]), which lists what the home
//! page lists ([`crate::inbox::tasks_of`]) for everyone whose Monday
//! morning has come, claiming each person's week in the database first.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use climb_notify::{Digest, DigestLine, Notice, digest, words};
use climb_people::{Actor, PersonId};
use climb_store::{ClaimedMail, MailKind, MailOutcome, StoreError};
use climb_webhooks::{Next, Schedule};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

use crate::error::{ApiError, error_chain};
use crate::state::AppState;
use crate::worker::{WorkerHandle, claim_owner, jitter, now_ms};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain SMTP, no encryption (a relay on the same host or network).
    None,
    /// Plain connection upgraded with STARTTLS, which the server must offer
    /// (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl TlsMode {
    /// The usual port of the mode: 25, 587 or 465.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::StartTls => 587,
            Self::Tls => 465,
        }
    }
}

/// The SMTP password: never printed, in `Debug` output or anywhere else.
#[derive(Clone)]
pub struct SmtpPassword(String);

impl SmtpPassword {
    /// Wraps `secret`, without the line end a file holding it may have.
    pub fn new(secret: &str) -> Self {
        Self(secret.trim_end_matches(['\r', '\n']).to_owned())
    }
}

impl std::fmt::Debug for SmtpPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpPassword(…)")
    }
}

/// Why the mail settings were refused.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    /// No host.
    #[error("the SMTP host is empty")]
    NoHost,
    /// The From address does not parse.
    #[error(
        "the From address `{address}` is not a mailbox such as `climb <climb@example.com>`: {reason}"
    )]
    From {
        /// As given.
        address: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The public address is not an http(s) URL.
    #[error("the public URL `{0}` is not an http(s) URL; mail links point at it")]
    PublicUrl(String),
    /// A user name without a password or the other way round.
    #[error("an SMTP user name needs a password, and a password a user name")]
    Credentials,
    /// The password is empty.
    #[error("the SMTP password is empty")]
    EmptyPassword,
    /// The TLS setup for the host failed.
    #[error("cannot set up TLS for the SMTP host `{host}`: {reason}")]
    Tls {
        /// The host.
        host: String,
        /// Why.
        reason: String,
    },
}

/// Where and how mail is sent, checked: built by [`MailConfig::new`].
#[derive(Debug, Clone)]
pub struct MailConfig {
    host: String,
    port: u16,
    tls: TlsMode,
    credentials: Option<(String, SmtpPassword)>,
    from: Mailbox,
    public_url: String,
    timeout: Duration,
}

impl MailConfig {
    /// Checks the settings: a host, a From mailbox, an http(s) public URL
    /// (the links in mail start with it), a user name and password together
    /// or neither. `port` defaults to the TLS mode's usual one.
    pub fn new(
        host: &str,
        port: Option<u16>,
        tls: TlsMode,
        credentials: Option<(String, SmtpPassword)>,
        from: &str,
        public_url: &str,
    ) -> Result<Self, MailConfigError> {
        let host = host.trim();
        if host.is_empty() {
            return Err(MailConfigError::NoHost);
        }
        let from: Mailbox = from
            .trim()
            .parse()
            .map_err(|e: lettre::address::AddressError| MailConfigError::From {
                address: from.to_owned(),
                reason: e.to_string(),
            })?;
        let public = url::Url::parse(public_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| MailConfigError::PublicUrl(public_url.to_owned()))?;
        if let Some((user, password)) = &credentials {
            if user.trim().is_empty() {
                return Err(MailConfigError::Credentials);
            }
            if password.0.is_empty() {
                return Err(MailConfigError::EmptyPassword);
            }
        }
        Ok(Self {
            host: host.to_owned(),
            port: port.unwrap_or_else(|| tls.default_port()),
            tls,
            credentials,
            from,
            public_url: public.as_str().trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(30),
        })
    }

    /// The same settings with another limit on one SMTP exchange (30 s by default).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Connects to the SMTP server and greets it, to tell at start whether
    /// it answers; the reason when it does not.
    pub async fn check_connection(&self) -> Result<(), String> {
        let transport = self.transport().map_err(|e| e.to_string())?;
        match transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the server did not accept a NOOP".to_owned()),
            Err(error) => Err(error_chain(&error)),
        }
    }

    /// The transport the settings describe (connections are opened when
    /// mail is sent).
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailConfigError> {
        let tls = |e: lettre::transport::smtp::Error| MailConfigError::Tls {
            host: self.host.clone(),
            reason: e.to_string(),
        };
        let builder = match self.tls {
            TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host),
            TlsMode::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host).map_err(tls)?
            }
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host).map_err(tls)?,
        };
        let mut builder = builder.port(self.port).timeout(Some(self.timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        Ok(builder.build())
    }
}

/// How the worker works.
#[derive(Debug, Clone, Copy)]
pub struct MailWorkerConfig {
    /// Retry waits and when to give up.
    pub schedule: Schedule,
    /// How long to wait before looking again when nothing was due.
    pub poll: Duration,
    /// Most mails claimed at once.
    pub batch: u32,
    /// How often to look for digests that are due; `None`: never (a test,
    /// or `climb admin send-digest`, queues them itself).
    pub digest_every: Option<Duration>,
}

impl Default for MailWorkerConfig {
    fn default() -> Self {
        Self {
            schedule: Schedule::default(),
            poll: Duration::from_secs(1),
            batch: 32,
            digest_every: Some(Duration::from_secs(300)),
        }
    }
}

/// Why the mail worker could not start.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The settings do not make a transport.
    #[error(transparent)]
    Config(#[from] MailConfigError),
    /// The database could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No randomness for the worker's claim token.
    #[error("no randomness for the mail worker: {0}")]
    Random(getrandom::Error),
}

/// Starts the mail worker over `state`, sending as `mail` says. On SQLite,
/// where this process is the only sender, leases a previous run left are
/// dropped first.
pub async fn spawn(
    state: AppState,
    mail: MailConfig,
    config: MailWorkerConfig,
) -> Result<WorkerHandle, MailError> {
    let sender = Sender::new(state, mail, config)?;
    if sender.state.store().backend() == climb_store::Backend::Sqlite {
        let released = sender.state.store().release_mail_leases().await?;
        if released > 0 {
            tracing::info!(released, "mail claimed by a previous run taken back");
        }
    }
    let sent = Arc::clone(&sender.sent);
    Ok(WorkerHandle::spawn(sent, |stopped| sender.run(stopped)))
}

/// Sends the mail that is due now, round after round until none is left
/// (what fails is left for its retry), without a worker: for `climb admin
/// send-digest`. Returns how many were sent.
pub async fn send_due(state: AppState, mail: MailConfig) -> Result<u64, MailError> {
    let sender = Sender::new(
        state,
        mail,
        MailWorkerConfig {
            digest_every: None,
            ..MailWorkerConfig::default()
        },
    )?;
    while sender.round().await? > 0 {}
    Ok(sender.sent.load(Ordering::Relaxed))
}

struct Sender {
    state: AppState,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    mail: MailConfig,
    config: MailWorkerConfig,
    owner: String,
    sent: Arc<AtomicU64>,
}

/// What a claimed mail became: a message to send, or a reason not to.
enum Prepared {
    Send(Box<Message>),
    Skip(MailOutcome),
}

impl Sender {
    fn new(state: AppState, mail: MailConfig, config: MailWorkerConfig) -> Result<Self, MailError> {
        let transport = mail.transport()?;
        Ok(Self {
            state,
            transport,
            mail,
            config,
            owner: claim_owner().map_err(MailError::Random)?,
            sent: Arc::default(),
        })
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        let mut last_digest: Option<tokio::time::Instant> = None;
        while !*stopped.borrow() {
            if let Some(every) = self.config.digest_every
                && last_digest.is_none_or(|at| at.elapsed() >= every)
            {
                last_digest = Some(tokio::time::Instant::now());
                match queue_digests(&self.state, Utc::now(), false).await {
                    Ok(0) => {}
                    Ok(queued) => tracing::info!(queued, "weekly digests queued"),
                    Err(error) => tracing::warn!(%error, "cannot queue the weekly digests"),
                }
            }
            let full = match self.round().await {
                Ok(claimed) => claimed >= self.config.batch as usize,
                Err(error) => {
                    tracing::warn!(%error, "cannot claim or record mail");
                    false
                }
            };
            if !full {
                tokio::select! {
                    () = tokio::time::sleep(self.config.poll) => {}
                    _ = stopped.changed() => {}
                }
            }
        }
    }

    /// Claims due mail, sends it and records the outcomes; how many were claimed.
    async fn round(&self) -> Result<usize, MailError> {
        let lease =
            self.mail.timeout.saturating_mul(self.config.batch.max(1)) + Duration::from_secs(30);
        let lease = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let store = self.state.store();
        let claimed = store
            .claim_mail(&self.owner, now_ms(), lease, self.config.batch)
            .await?;
        let count = claimed.len();
        let mut outcomes = Vec::with_capacity(count);
        for mail in claimed {
            let outcome = match self.prepare(&mail).await {
                Ok(Prepared::Skip(outcome)) => outcome,
                Ok(Prepared::Send(message)) => match self.transport.send(*message).await {
                    Ok(_) => MailOutcome::Sent,
                    Err(error) if error.is_permanent() => MailOutcome::Failed {
                        error: error_chain(&error),
                    },
                    Err(error) => self.failed(&mail, error_chain(&error)),
                },
                Err(error) => self.failed(&mail, error.to_string()),
            };
            outcomes.push((mail.id, outcome));
        }
        let sent = store.finish_mail(&self.owner, now_ms(), &outcomes).await?;
        self.sent.fetch_add(sent, Ordering::Relaxed);
        Ok(count)
    }

    /// The outcome of a failed attempt: tried again later, or given up.
    fn failed(&self, mail: &ClaimedMail, error: String) -> MailOutcome {
        let failures = u32::try_from(mail.attempts.saturating_add(1)).unwrap_or(u32::MAX);
        let age = u64::try_from(now_ms().saturating_sub(mail.created_ms)).unwrap_or(0);
        match self
            .config
            .schedule
            .after_failure(failures, Duration::from_millis(age), jitter())
        {
            Next::RetryAfter(wait) => MailOutcome::Retry {
                next_ms: now_ms()
                    .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)),
                error,
            },
            Next::GiveUp => MailOutcome::Failed { error },
        }
    }

    /// Words a claimed mail for its recipient as things are now.
    async fn prepare(&self, mail: &ClaimedMail) -> Result<Prepared, ApiError> {
        let skip = |reason: &str| {
            Ok(Prepared::Skip(MailOutcome::Dropped {
                reason: reason.to_owned(),
            }))
        };
        let Some(account) = self.state.store().mail_account(mail.person).await? else {
            return skip("the recipient has no enabled account");
        };
        let wanted = match mail.kind {
            MailKind::Notice => account.settings.notices,
            MailKind::Digest => account.settings.digest,
        };
        if !wanted {
            return skip("the recipient switched this mail off");
        }
        let framework = self.state.framework();
        let (name, address, words) = {
            let org = self.state.org().await?;
            let Some(person) = org.person(mail.person).filter(|p| p.is_active()) else {
                return skip("the recipient has left");
            };
            let words = match mail.kind {
                MailKind::Notice => {
                    let notice: Notice = serde_json::from_str(&mail.body)
                        .map_err(|e| ApiError::internal(std::io::Error::other(e)))?;
                    Some(words::notice_words(&notice, mail.person, &org, &framework))
                }
                MailKind::Digest => {
                    let queued: Digest = serde_json::from_str(&mail.body)
                        .map_err(|e| ApiError::internal(std::io::Error::other(e)))?;
                    digest::digest_words(&queued.lines, &queued.week)
                }
            };
            (person.name.clone(), person.email.as_str().to_owned(), words)
        };
        let Some(words) = words else {
            return skip("nothing to tell");
        };
        let composed = words::compose(&name, &words, &self.mail.public_url);
        let Ok(to) = address.parse::<lettre::Address>() else {
            return Ok(Prepared::Skip(MailOutcome::Failed {
                error: "the recipient's address is not one SMTP takes".to_owned(),
            }));
        };
        let message = Message::builder()
            .from(self.mail.from.clone())
            .to(Mailbox::new(Some(name), to))
            .subject(composed.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(composed.text);
        match message {
            Ok(message) => Ok(Prepared::Send(Box::new(message))),
            Err(error) => Ok(Prepared::Skip(MailOutcome::Failed {
                error: format!("the message could not be built: {error}"),
            })),
        }
    }
}

/// The zone an account's mail is timed in: the one chosen, else UTC.
fn zone_of(chosen: Option<&str>) -> Tz {
    chosen
        .and_then(|z| climb_management::one_on_one::parse_zone(z).ok())
        .unwrap_or(Tz::UTC)
}

/// Queues the weekly digest of everyone whose digest is due at `now` (Monday
/// from 08:00 in their zone, see `climb_notify::digest`), or with `force`
/// of everyone, whatever the day, who has not had this week's: active
/// people whose enabled account has the digest on. Each person's week is
/// claimed in the database, so several instances (or a restart) never queue
/// it twice; a digest with nothing in it is recorded and not sent. Returns
/// how many digests were queued.
pub async fn queue_digests(
    state: &AppState,
    now: DateTime<Utc>,
    force: bool,
) -> Result<u64, ApiError> {
    let store = state.store();
    let mut queued = 0;
    for account in store.digest_accounts().await? {
        let zone = zone_of(account.time_zone.as_deref());
        let week = if force {
            Some(digest::week_of(now, zone))
        } else {
            digest::due(now, zone)
        };
        let Some(week) = week else {
            continue;
        };
        let active = state
            .org()
            .await?
            .person(account.person)
            .is_some_and(|p| p.is_active());
        if !active || store.digest_claimed(account.person, &week.key).await? {
            continue;
        }
        let actor = Actor {
            person: Some(account.person),
            kind: account.kind,
        };
        let today = now.with_timezone(&zone).date_naive();
        let tasks = crate::inbox::tasks_of(state, actor, today, zone).await?;
        let lines = digest_lines(state, account.person, &tasks, today).await?;
        let has_lines = !lines.is_empty();
        let digest = Digest { week, lines };
        if store
            .claim_digest(account.person, &digest, now.timestamp_millis())
            .await?
            && has_lines
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The tasks in the home page's words.
async fn digest_lines(
    state: &AppState,
    me: PersonId,
    tasks: &[climb_management::inbox::Task],
    today: chrono::NaiveDate,
) -> Result<Vec<DigestLine>, ApiError> {
    let framework = state.framework();
    let org = state.org().await?;
    Ok(tasks
        .iter()
        .map(|task| {
            let described =
                climb_management::inbox::describe(&framework, &org, Some(me), task, today);
            DigestLine {
                text: described.text,
                path: described.href,
                when: described.when,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(from: &str, public: &str) -> Result<MailConfig, MailConfigError> {
        MailConfig::new(
            "smtp.example.com",
            None,
            TlsMode::StartTls,
            Some(("climb".into(), SmtpPassword::new("hunter2\n"))),
            from,
            public,
        )
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        let Ok(mail) = config("climb <climb@example.com>", "https://climb.example.com/") else {
            panic!("valid settings")
        };
        let shown = format!("{mail:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(mail.server(), "smtp.example.com:587");
        assert_eq!(mail.public_url, "https://climb.example.com");
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        let bad_from = config("not an address", "https://climb.example.com");
        assert!(
            matches!(bad_from, Err(MailConfigError::From { .. })),
            "{bad_from:?}"
        );
        let bad_url = config("climb@example.com", "climb.example.com");
        assert!(matches!(bad_url, Err(MailConfigError::PublicUrl(_))));
        let no_password = MailConfig::new(
            "smtp.example.com",
            Some(25),
            TlsMode::None,
            Some(("climb".into(), SmtpPassword::new(""))),
            "climb@example.com",
            "http://127.0.0.1:8080",
        );
        assert!(matches!(no_password, Err(MailConfigError::EmptyPassword)));
    }
}
