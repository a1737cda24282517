//! Mail notifications end to end: a real SMTP server on 127.0.0.1 (the
//! `aiosmtpd` package for Python, from the virtualenv `scripts/test` makes,
//! its Mailbox handler writing each message it accepts into a maildir that
//! Python's `email` package reads back), the mail worker pointed at it, and
//! review and proposal actions over HTTP: each notice reaches the person who
//! acts next with a subject saying what to do and a link to where it is
//! done; switched-off notices are not sent, nor mail queued for someone who
//! has left since; the weekly digest lists what the
//! home page lists and goes once per person and week, however often and by
//! however many instances it is asked for.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use climb_people::{ActorKind, PersonId};
use climb_server::AppState;
use climb_server::mail::{self, MailConfig, MailWorkerConfig, TlsMode};
use climb_server::worker::WorkerHandle;
use climb_store::MailSettings;
use climb_webhooks::Schedule;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use crate::harness::{TestServer, both_backends};

/// The site address links in mail start with.
const SITE: &str = "http://climb.test";

/// The Python interpreter with `aiosmtpd`: `CLIMB_SMTP_SINK_PY`, else the
/// virtualenv `scripts/test` makes under `target/venv`. `None` (the test is
/// skipped, with a message) when neither has it, unless
/// `CLIMB_REQUIRE_SMTP=1`.
fn python_with_aiosmtpd() -> Option<String> {
    let python = std::env::var("CLIMB_SMTP_SINK_PY").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/venv/bin/python").to_owned()
    });
    let usable = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        return Some(python);
    }
    assert!(
        std::env::var("CLIMB_REQUIRE_SMTP").as_deref() != Ok("1"),
        "CLIMB_REQUIRE_SMTP=1 but {python} cannot import aiosmtpd"
    );
    eprintln!(
        "skipped the mail test: {python} cannot import aiosmtpd (scripts/test installs it into target/venv)"
    );
    None
}

/// Reads a maildir and prints its messages as JSON, decoded.
const READ_MAILDIR: &str = r#"
import email, email.policy, json, mailbox, sys
box = mailbox.Maildir(sys.argv[1], factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default), create=False)
out = []
for key in sorted(box.keys()):
    m = box[key]
    body = m.get_body(preferencelist=("plain",))
    out.append({"to": str(m["To"]), "rcpt": str(m.get("X-RcptTo", "")), "from": str(m["From"]),
                "subject": str(m["Subject"]), "body": body.get_content() if body else ""})
print(json.dumps(out))
"#;

/// One message the sink accepted.
#[derive(Debug, Clone)]
struct Received {
    to: String,
    from: String,
    subject: String,
    body: String,
}

/// The SMTP sink: `python -m aiosmtpd` with the Mailbox handler.
struct Sink {
    python: String,
    child: Child,
    maildir: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        // Our own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    fn start() -> Option<Self> {
        let python = python_with_aiosmtpd()?;
        let dir = tempfile::tempdir().expect("temporary directory");
        let maildir = dir.path().join("maildir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let sink = Self {
            python,
            child,
            maildir,
            port,
            _dir: dir,
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(sink)
    }

    /// Every message accepted so far.
    fn received(&self) -> Vec<Received> {
        if !self.maildir.join("new").exists() {
            return Vec::new();
        }
        let out = Command::new(&self.python)
            .args(["-c", READ_MAILDIR])
            .arg(&self.maildir)
            .output()
            .expect("python reads the maildir");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
        list.iter()
            .map(|m| Received {
                to: m["to"].as_str().unwrap_or_default().to_owned(),
                from: m["from"].as_str().unwrap_or_default().to_owned(),
                subject: m["subject"].as_str().unwrap_or_default().to_owned(),
                body: m["body"].as_str().unwrap_or_default().to_owned(),
            })
            .collect()
    }

    /// Waits until `store` has no mail pending; then what arrived.
    async fn settle(&self, store: &climb_store::Store) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let (pending, ..) = store.mail_counts().await.expect("counts");
            if pending == 0 {
                return self.received();
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "mail still pending"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn config(&self) -> MailConfig {
        MailConfig::new(
            "127.0.0.1",
            Some(self.port),
            TlsMode::None,
            None,
            "climb <climb@example.com>",
            SITE,
        )
        .expect("valid settings")
        .with_timeout(Duration::from_secs(10))
    }
}

/// The mail to `address` whose subject is `subject`, exactly one.
fn one<'a>(mails: &'a [Received], address: &str, subject: &str) -> &'a Received {
    let found: Vec<&Received> = mails
        .iter()
        .filter(|m| m.to.contains(address) && m.subject == subject)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one mail to {address} about “{subject}”; got {:#?}",
        mails
            .iter()
            .map(|m| (&m.to, &m.subject))
            .collect::<Vec<_>>()
    );
    found[0]
}

/// A worker over its own state on the server's store, retrying fast.
async fn worker(server: &TestServer, sink: &Sink) -> (AppState, WorkerHandle) {
    let state = AppState::new(
        Arc::clone(&server.store),
        climb_framework::builtin().clone(),
    )
    .await
    .expect("state");
    let handle = mail::spawn(
        state.clone(),
        sink.config(),
        MailWorkerConfig {
            schedule: Schedule {
                first: Duration::from_millis(50),
                cap: Duration::from_millis(200),
                give_up: Duration::from_secs(30),
            },
            poll: Duration::from_millis(30),
            batch: 8,
            digest_every: None,
        },
    )
    .await
    .expect("mail worker starts");
    (state, handle)
}

/// Every competency the role expects, with evidence no mail may quote.
fn levels(role: &str) -> Value {
    let mut map = Map::new();
    for e in &climb_framework::builtin()
        .role(role)
        .expect("role")
        .expectations
    {
        map.insert(
            e.competency.to_string(),
            json!({"level": e.level, "evidence": "confidential evidence"}),
        );
    }
    Value::Object(map)
}

/// Evidence for every competency the role expects, which no mail may quote.
fn evidence(role: &str) -> Value {
    let mut map = Map::new();
    for e in &climb_framework::builtin()
        .role(role)
        .expect("role")
        .expectations
    {
        map.insert(e.competency.to_string(), json!("confidential evidence"));
    }
    Value::Object(map)
}

struct People {
    vp: i64,
    bob: i64,
    alice: i64,
    vp_token: String,
    em_token: String,
    bob_token: String,
    hr_token: String,
}

/// Victor <- Emma <- Bob, Alice; Hana in HR; all with accounts.
async fn people(server: &TestServer) -> People {
    let vp = server.hire("Victor", "vp-engineering", None).await;
    let em = server.hire("Emma", "engineering-manager", Some(vp)).await;
    let bob = server.hire("Bob", "software-engineer", Some(em)).await;
    let alice = server
        .hire("Alice", "senior-software-engineer", Some(em))
        .await;
    let hana = server.hire("Hana", "senior-software-engineer", None).await;
    server.token_for(alice, ActorKind::Employee).await;
    People {
        vp,
        bob,
        alice,
        vp_token: server.token_for(vp, ActorKind::Employee).await,
        em_token: server.token_for(em, ActorKind::Employee).await,
        bob_token: server.token_for(bob, ActorKind::Employee).await,
        hr_token: server.token_for(hana, ActorKind::Hr).await,
    }
}

/// Switches `person`'s mail as `settings` say.
async fn set_mail(server: &TestServer, person: i64, settings: MailSettings) {
    let account = server
        .store
        .account_of(PersonId(person))
        .await
        .expect("read")
        .expect("account");
    server
        .store
        .set_mail_settings(account.id, settings)
        .await
        .expect("saved");
}

/// Opens "2026 H1" below the VP as HR; the cycle's reviews by person.
async fn open_cycle(server: &TestServer, p: &People) -> Vec<(i64, i64)> {
    let opened = server
        .post(
            &p.hr_token,
            "/api/v1/review-cycles",
            json!({
                "name": "2026 H1", "period_start": "2026-01-01", "period_end": "2026-06-30",
                "scope": {"kind": "below", "manager": p.vp}
            }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let mut reviews = Vec::new();
    for person in [p.bob, p.alice] {
        let listed = server
            .get(&server.admin, &format!("/api/v1/people/{person}/reviews"))
            .await;
        let review = listed.body["reviews"][0]["id"].as_i64().expect("review");
        reviews.push((person, review));
    }
    reviews
}

fn assert_plain_and_private(mail: &Received) {
    assert!(mail.from.contains("climb@example.com"), "{}", mail.from);
    assert!(
        mail.body.contains(&format!("{SITE}/tokens#mail")),
        "every mail says how to switch it off: {}",
        mail.body
    );
    for secret in [
        "confidential evidence",
        "meets_expectations",
        "Meets expectations",
    ] {
        assert!(
            !mail.body.contains(secret) && !mail.subject.contains(secret),
            "no evidence or rating in mail: {}",
            mail.body
        );
    }
}

both_backends! {
    async fn review_and_proposal_events_mail_whoever_acts_next_unless_they_switched_notices_off(server) {
        let Some(sink) = Sink::start() else { return };
        let p = people(&server).await;
        set_mail(&server, p.alice, MailSettings { notices: false, digest: true }).await;
        let (_state, handle) = worker(&server, &sink).await;
        server.store.set_mail_enabled(true);

        let reviews = open_cycle(&server, &p).await;
        let (bob_review, alice_review) = (reviews[0].1, reviews[1].1);
        let mails = sink.settle(&server.store).await;
        let bob = one(&mails, "bob@example.com", "Write your self-review for 2026 H1");
        assert!(bob.to.contains("Bob"), "{}", bob.to);
        assert!(bob.body.starts_with("Hello Bob,"), "{}", bob.body);
        assert!(bob.body.contains(&format!("{SITE}/reviews/{bob_review}")), "{}", bob.body);
        assert_plain_and_private(bob);
        let for_emma = one(&mails, "emma@example.com", "Write Alice’s review for 2026 H1");
        assert!(for_emma.body.contains(&format!("{SITE}/reviews/{alice_review}")), "{}", for_emma.body);
        one(&mails, "emma@example.com", "Write Bob’s review for 2026 H1");
        one(&mails, "emma@example.com", "Write your self-review for 2026 H1");
        one(&mails, "victor@example.com", "Write Emma’s review for 2026 H1");
        assert!(
            mails.iter().all(|m| !m.to.contains("alice@example.com")),
            "Alice switched notices off"
        );

        // Bob signs his side: Emma is asked for hers.
        let path = format!("/api/v1/reviews/{bob_review}");
        let own = server.put(&p.bob_token, &format!("{path}/assessment"), json!({"competencies": levels("software-engineer")})).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let signed = server.post(&p.bob_token, &format!("{path}/sign"), json!({})).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        let mails = sink.settle(&server.store).await;
        let sign = one(&mails, "emma@example.com", "Sign Bob’s review for 2026 H1");
        assert!(sign.body.contains(&format!("{SITE}/reviews/{bob_review}")));
        assert_plain_and_private(sign);

        // Emma proposes Bob's promotion: Victor decides; then both hear.
        let proposed = server.post(&p.em_token, &format!("/api/v1/people/{}/promotion-proposals", p.bob), json!({
            "to_role": "senior-software-engineer",
            "evidence": evidence("senior-software-engineer")
        })).await;
        assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.body);
        let proposal = proposed.body["id"].as_i64().expect("proposal");
        let mails = sink.settle(&server.store).await;
        let decide = one(&mails, "victor@example.com", "Decide on Bob’s promotion to Senior Software Engineer");
        assert!(decide.body.contains(&format!("{SITE}/promotions/{proposal}")), "{}", decide.body);
        assert_plain_and_private(decide);
        let approved = server.post(&p.vp_token, &format!("/api/v1/promotion-proposals/{proposal}/approve"), json!({"comment": "confidential evidence"})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        let mails = sink.settle(&server.store).await;
        one(&mails, "bob@example.com", "The proposal to promote you to Senior Software Engineer was approved");
        let proposer = one(&mails, "emma@example.com", "Your proposal to promote Bob to Senior Software Engineer was approved");
        assert_plain_and_private(proposer);
        assert!(mails.iter().all(|m| !m.to.contains("victor@example.com") || !m.subject.contains("was approved")), "the decider is not told what they did");

        let (pending, sent, failed, _) = server.store.mail_counts().await.expect("counts");
        assert_eq!((pending, failed), (0, 0));
        assert_eq!(sent, i64::try_from(mails.len()).expect("count"), "each mail once");
        handle.stop().await;
    }
}

both_backends! {
    async fn the_weekly_digest_lists_what_waits_and_goes_once_per_person_and_week(server) {
        let Some(sink) = Sink::start() else { return };
        let p = people(&server).await;
        set_mail(&server, p.alice, MailSettings { notices: true, digest: false }).await;
        // Mail off: opening the cycle queues nothing.
        let reviews = open_cycle(&server, &p).await;
        assert_eq!(server.store.mail_counts().await.expect("counts"), (0, 0, 0, 0));
        let (state, handle) = worker(&server, &sink).await;
        server.store.set_mail_enabled(true);

        // Wednesday: not due; Monday 09:00 UTC: due for everyone in UTC.
        let wednesday = Utc.with_ymd_and_hms(2026, 12, 9, 9, 0, 0).single().expect("time");
        assert_eq!(mail::queue_digests(&state, wednesday, false).await.expect("queued"), 0);
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().expect("time");
        // Bob, Emma and Victor have reviews to write; Hana has nothing
        // waiting (no digest is sent), Alice switched the digest off.
        assert_eq!(mail::queue_digests(&state, monday, false).await.expect("queued"), 3);
        // Asked again, or by another instance: the week is taken.
        assert_eq!(mail::queue_digests(&state, monday, false).await.expect("queued"), 0);
        let other = AppState::new(Arc::clone(&server.store), climb_framework::builtin().clone()).await.expect("state");
        assert_eq!(mail::queue_digests(&other, monday, true).await.expect("queued"), 0);

        let mails = sink.settle(&server.store).await;
        assert_eq!(mails.len(), 3, "{mails:#?}");
        let bob = one(&mails, "bob@example.com", "Your week in climb: 1 thing to do");
        assert!(bob.body.contains("- Write your self-review"), "{}", bob.body);
        assert!(bob.body.contains(&format!("{SITE}/reviews/{}", reviews[0].1)), "{}", bob.body);
        assert!(bob.body.contains("the week of 7 December 2026"), "{}", bob.body);
        assert_plain_and_private(bob);
        let emma = one(&mails, "emma@example.com", "Your week in climb: 3 things to do");
        assert!(emma.body.contains("Write Bob’s review"), "{}", emma.body);
        assert!(emma.body.contains("Write Alice’s review"), "{}", emma.body);
        one(&mails, "victor@example.com", "Your week in climb: 1 thing to do");
        assert!(mails.iter().all(|m| !m.to.contains("alice@example.com") && !m.to.contains("hana@example.com")));
        handle.stop().await;
    }
}

both_backends! {
    async fn mail_queued_for_someone_who_has_left_since_is_not_sent(server) {
        let Some(sink) = Sink::start() else { return };
        let p = people(&server).await;
        server.store.set_mail_enabled(true);
        // Queued with no worker running: Bob and Alice are told to write.
        open_cycle(&server, &p).await;
        let (pending, ..) = server.store.mail_counts().await.expect("counts");
        assert!(pending >= 4, "{pending} queued");
        let left = server.post(&server.admin, &format!("/api/v1/people/{}/leave", p.bob), json!({})).await;
        assert_eq!(left.status, StatusCode::OK, "{}", left.body);
        let (_state, handle) = worker(&server, &sink).await;
        let mails = sink.settle(&server.store).await;
        assert!(mails.iter().all(|m| !m.to.contains("bob@example.com")), "{mails:#?}");
        one(&mails, "alice@example.com", "Write your self-review for 2026 H1");
        let (_, _, failed, dropped) = server.store.mail_counts().await.expect("counts");
        assert_eq!((failed, dropped), (0, 1), "Bob's notice is dropped, not failed");
        handle.stop().await;
    }
}
