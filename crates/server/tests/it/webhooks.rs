//! Webhooks out, end to end on real sockets: subscriptions through the API
//! (administrators only, http(s) URLs, known event types), the delivery
//! worker posting to a receiver on 127.0.0.1 that fails some of the time
//! (every third request answers 500, one answers too late), every event
//! arriving at least once under one id whatever the retries, each request's
//! signature checked by an independent implementation (the
//! `standardwebhooks` package for Python, see `verify_with_python`),
//! give-up and replay, two instances sharing the work without sending an
//! event twice, and a restart picking up what a crashed run left.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use climb_people::ActorKind;
use climb_server::webhook_worker::{self, WorkerConfig, WorkerHandle};
use climb_store::Store;
use climb_webhooks::Schedule;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestServer, both_backends};

/// How the receiver answers.
const FLAKY: u8 = 0;
const FAILING: u8 = 1;
const HEALTHY: u8 = 2;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

#[derive(Clone)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
    count: Arc<AtomicUsize>,
    mode: Arc<AtomicU8>,
    url: String,
}

impl Receiver {
    async fn start(mode: u8) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let receiver = Self {
            hits: Arc::default(),
            count: Arc::default(),
            mode: Arc::new(AtomicU8::new(mode)),
            url,
        };
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("hits").clone()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> AxumStatus {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    r.hits.lock().expect("hits").push(Hit {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
    });
    let n = r.count.fetch_add(1, Ordering::SeqCst) + 1;
    match r.mode.load(Ordering::SeqCst) {
        FAILING => AxumStatus::INTERNAL_SERVER_ERROR,
        FLAKY if n % 3 == 0 => AxumStatus::INTERNAL_SERVER_ERROR,
        FLAKY if n == 5 => {
            // Longer than the worker's timeout: a failed attempt.
            tokio::time::sleep(Duration::from_secs(3)).await;
            AxumStatus::OK
        }
        _ => AxumStatus::NO_CONTENT,
    }
}

/// A worker that retries within milliseconds, for tests.
fn fast(give_up: Duration) -> WorkerConfig {
    WorkerConfig {
        schedule: Schedule {
            first: Duration::from_millis(50),
            cap: Duration::from_millis(200),
            give_up,
        },
        timeout: Duration::from_secs(1),
        poll: Duration::from_millis(30),
        batch: 16,
        concurrency: 4,
    }
}

async fn start_worker(store: &Arc<Store>, config: WorkerConfig) -> WorkerHandle {
    webhook_worker::spawn(Arc::clone(store), config)
        .await
        .expect("worker starts")
}

/// Waits until no delivery is pending; the counts `(pending, delivered, failed)`.
async fn settle(store: &Store) -> (i64, i64, i64) {
    let start = Instant::now();
    loop {
        let counts = store.webhook_delivery_counts().await.expect("counts");
        if counts.0 == 0 {
            return counts;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "deliveries still pending: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Subscribes the receiver to `events` through the API; the id and secret.
async fn subscribe(server: &TestServer, url: &str, events: &[&str]) -> (i64, String) {
    let answer = server
        .post(
            &server.admin,
            "/api/v1/webhooks",
            json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let secret = answer.body["secret"].as_str().expect("secret").to_owned();
    (answer.body["id"].as_i64().expect("id"), secret)
}

/// The deliveries of subscription `id` through the API.
async fn deliveries(server: &TestServer, id: i64) -> Vec<Value> {
    let answer = server
        .get(
            &server.admin,
            &format!("/api/v1/webhooks/{id}/deliveries?limit=500"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body["deliveries"].as_array().expect("list").clone()
}

/// The Python interpreter that has the `standardwebhooks` package:
/// `CLIMB_WEBHOOK_VERIFY_PY`, else the virtualenv `scripts/test` makes under
/// `target/venv`. `None` (the check is skipped, with a message) when neither
/// has the package, unless `CLIMB_REQUIRE_WEBHOOK_VERIFY=1`.
fn python_with_standardwebhooks() -> Option<String> {
    let python = std::env::var("CLIMB_WEBHOOK_VERIFY_PY").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/venv/bin/python").to_owned()
    });
    let usable = std::process::Command::new(&python)
        .args(["-c", "import standardwebhooks"])
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        return Some(python);
    }
    assert!(
        std::env::var("CLIMB_REQUIRE_WEBHOOK_VERIFY").as_deref() != Ok("1"),
        "CLIMB_REQUIRE_WEBHOOK_VERIFY=1 but {python} cannot import standardwebhooks"
    );
    eprintln!(
        "skipped the independent signature check: {python} cannot import standardwebhooks \
         (scripts/test installs it into target/venv)"
    );
    None
}

/// Checks every request's signature with the `standardwebhooks` package,
/// and that the same request with its body changed by one byte is refused.
fn verify_with_python(secret: &str, hits: &[Hit]) {
    let Some(python) = python_with_standardwebhooks() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("hits.jsonl");
    let lines: Vec<String> = hits
        .iter()
        .map(|h| {
            json!({
                "body": h.body,
                "headers": {
                    "webhook-id": h.id,
                    "webhook-timestamp": h.timestamp,
                    "webhook-signature": h.signature,
                },
            })
            .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).expect("write hits");
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
hook = Webhook(sys.argv[1])
checked = 0
for line in open(sys.argv[2]):
    hit = json.loads(line)
    hook.verify(hit["body"], hit["headers"])
    try:
        hook.verify(hit["body"] + " ", hit["headers"])
    except WebhookVerificationError:
        pass
    else:
        sys.exit("a changed body verified")
    checked += 1
print(checked)
"#;
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(secret)
        .arg(&file)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "standardwebhooks refused a delivery: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        hits.len().to_string(),
        "every request checked"
    );
}

both_backends! {
    async fn only_administrators_subscribe_and_only_to_http_urls_and_known_events(server) {
        let ada = server.hire("Ada", "software-engineer", None).await;
        let hr = server.token_for(ada, ActorKind::Hr).await;
        let refused = server.post(&hr, "/api/v1/webhooks", json!({"url": "not a url", "events": []})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "refused before the input is read");
        assert_eq!(server.get(&hr, "/api/v1/webhooks").await.status, StatusCode::FORBIDDEN);

        for (url, events, code) in [
            ("ftp://example.com/x", json!(["person.hired"]), "invalid_url"),
            ("file:///etc/passwd", json!(["person.hired"]), "invalid_url"),
            ("https://example.com/x", json!([]), "no_events"),
            ("https://example.com/x", json!(["person.hire"]), "unknown_event_type"),
        ] {
            let answer = server.post(&server.admin, "/api/v1/webhooks", json!({"url": url, "events": events})).await;
            assert_eq!((answer.status, answer.code()), (StatusCode::BAD_REQUEST, code), "{url} {events}");
        }
        let (id, secret) = subscribe(&server, "https://example.com/x", &["person.left", "person.hired"]).await;
        assert!(secret.starts_with("whsec_"));
        assert!(climb_webhooks::Secret::parse(&secret).is_ok());
        let listed = server.get(&server.admin, "/api/v1/webhooks").await;
        assert_eq!(listed.body["webhooks"][0]["events"], json!(["person.hired", "person.left"]));
        assert!(listed.body["webhooks"][0].get("secret").is_none(), "the secret is shown once");
        assert_eq!(server.delete(&server.admin, &format!("/api/v1/webhooks/{id}")).await.status, StatusCode::NO_CONTENT);
        assert_eq!(server.delete(&server.admin, &format!("/api/v1/webhooks/{id}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(server.get(&server.admin, &format!("/api/v1/webhooks/{id}/deliveries")).await.status, StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn every_event_arrives_under_one_id_signed_through_failures_and_timeouts(server) {
        let receiver = Receiver::start(FLAKY).await;
        let all: Vec<&str> = climb_webhooks::EventType::ALL.iter().map(|t| t.as_str()).collect();
        let (id, secret) = subscribe(&server, &receiver.url, &all).await;
        let emma = server.hire("Emma", "engineering-manager", None).await;
        let mut people = Vec::new();
        for i in 0..12 {
            people.push(server.hire(&format!("Person {i}"), "software-engineer", None).await);
        }
        for &p in &people[..4] {
            let answer = server.post(&server.admin, &format!("/api/v1/people/{p}/role-changes"), json!({"to_role": "senior-software-engineer"})).await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
            let answer = server.put(&server.admin, &format!("/api/v1/people/{p}/manager"), json!({"manager": emma})).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        }
        let answer = server.post(&server.admin, &format!("/api/v1/people/{}/leave", people[11]), json!({})).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        // A refused role change (no such transition) is no event.
        let refused = server.post(&server.admin, &format!("/api/v1/people/{}/role-changes", people[10]), json!({"to_role": "vp-engineering"})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

        let worker = start_worker(&server.store, fast(Duration::from_secs(120))).await;
        let (_, delivered, failed) = settle(&server.store).await;
        worker.stop().await;
        // 13 hires, 4 role changes, 4 manager changes, 1 leaving.
        assert_eq!((delivered, failed), (22, 0));

        let listed = deliveries(&server, id).await;
        let expected: BTreeSet<String> = listed.iter().map(|d| d["event_id"].as_str().expect("id").to_owned()).collect();
        assert_eq!(expected.len(), 22, "one id per event");
        let hits = receiver.hits();
        let received: BTreeSet<String> = hits.iter().map(|h| h.id.clone()).collect();
        assert_eq!(received, expected, "every event arrived, under its id");
        assert!(hits.len() > 22, "some attempts failed and were retried");
        let mut bodies: BTreeMap<&str, &str> = BTreeMap::new();
        for hit in &hits {
            let body = bodies.entry(&hit.id).or_insert(&hit.body);
            assert_eq!(*body, hit.body, "a retry sends the same event");
        }
        let types: BTreeSet<String> = hits.iter().map(|h| {
            let body: Value = serde_json::from_str(&h.body).expect("json body");
            body["type"].as_str().expect("type").to_owned()
        }).collect();
        assert_eq!(types, ["person.hired", "person.left", "person.manager_changed", "person.role_changed"].map(String::from).into());
        let retried = listed.iter().filter(|d| d["attempts"].as_i64() > Some(1)).count();
        assert!(retried >= 1, "the failures show as attempts");
        assert!(listed.iter().all(|d| d["status"] == "delivered"));
        verify_with_python(&secret, &hits);
    }
}

both_backends! {
    async fn a_delivery_is_given_up_then_replayed_under_the_same_id(server) {
        let receiver = Receiver::start(FAILING).await;
        let (id, secret) = subscribe(&server, &receiver.url, &["person.hired"]).await;
        server.hire("Ada", "software-engineer", None).await;
        let worker = start_worker(&server.store, fast(Duration::from_millis(400))).await;
        let (_, delivered, failed) = settle(&server.store).await;
        assert_eq!((delivered, failed), (0, 1));
        let listed = deliveries(&server, id).await;
        let given_up = &listed[0];
        assert_eq!(given_up["status"], "failed");
        assert_eq!(given_up["last_status"], 500);
        assert!(given_up["attempts"].as_i64() >= Some(2), "{given_up}");
        assert!(given_up["last_error"].as_str().is_some_and(|e| e.contains("500")));

        receiver.mode.store(HEALTHY, Ordering::SeqCst);
        let delivery = given_up["id"].as_i64().expect("id");
        let replay = server.post(&server.admin, &format!("/api/v1/webhooks/{id}/deliveries/{delivery}/replay"), json!({})).await;
        assert_eq!(replay.status, StatusCode::CREATED, "{}", replay.body);
        assert_eq!(replay.body["event_id"], given_up["event_id"]);
        assert_eq!(replay.body["replay_of"], delivery);
        let missing = server.post(&server.admin, &format!("/api/v1/webhooks/{id}/deliveries/{}/replay", delivery + 100), json!({})).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let (_, delivered, _) = settle(&server.store).await;
        worker.stop().await;
        assert_eq!(delivered, 1);
        let hits = receiver.hits();
        let last = hits.last().expect("the replay arrived");
        assert_eq!(last.id, given_up["event_id"].as_str().expect("id"));
        assert!(hits.iter().all(|h| h.id == last.id));
        verify_with_python(&secret, &hits);
    }
}

both_backends! {
    async fn two_instances_deliver_disjoint_shares_and_a_restart_resumes(server) {
        let receiver = Receiver::start(HEALTHY).await;
        subscribe(&server, &receiver.url, &["person.hired"]).await;
        // Written before any worker runs; a crashed run claimed some of them.
        for i in 0..60 {
            server.hire(&format!("Person {i}"), "software-engineer", None).await;
        }
        let crashed = server
            .store
            .claim_webhook_deliveries("crashed", chrono::Utc::now().timestamp_millis() + 1, 300, 20)
            .await
            .expect("claims");
        assert_eq!(crashed.len(), 20);

        // A restarted instance, and on PostgreSQL a second one beside it
        // (SQLite has one delivering process).
        let config = WorkerConfig { batch: 4, concurrency: 2, ..fast(Duration::from_secs(120)) };
        let postgres = server.store.backend() == climb_store::Backend::Postgres;
        let restarted = Arc::new(Store::open(&server.db_url()).await.expect("reopens"));
        let other = if postgres {
            Some(Arc::new(Store::open(&server.db_url()).await.expect("second store")))
        } else {
            None
        };
        let one = start_worker(&restarted, config).await;
        let two = match &other {
            Some(other) => Some(start_worker(other, config).await),
            None => None,
        };
        let (_, delivered, failed) = settle(&server.store).await;
        let shares = (one.done(), two.as_ref().map_or(0, WorkerHandle::done));
        one.stop().await;
        if let Some(two) = two {
            two.stop().await;
        }
        assert_eq!((delivered, failed), (60, 0));
        assert_eq!(shares.0 + shares.1, 60, "{shares:?}");
        let hits = receiver.hits();
        let ids: BTreeSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!((hits.len(), ids.len()), (60, 60), "no event was sent twice");
        if postgres {
            assert!(shares.0 > 0 && shares.1 > 0, "both instances delivered: {shares:?}");
        }
    }
}
