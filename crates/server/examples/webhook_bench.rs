//! The webhook benchmark of `bench/webhooks.sh`, on two fresh databases of
//! one backend (SQLite files in a directory, or new databases on the
//! PostgreSQL server of an admin URL):
//!
//! 1. role-change latency with and without a subscription: the same number
//!    of people in each database, one of them subscribed to
//!    `person.role_changed`; each round times one role change (one
//!    transaction, through `Store::execute`) in each database, alternately,
//!    so that both see the same machine; prints the median, mean and p95 of
//!    each and their ratio;
//! 2. delivery throughput: a bulk import writes `events` hire events into
//!    the outbox, then the delivery worker (its default concurrency and
//!    batch) posts them to a receiver on 127.0.0.1 that answers 204 at once;
//!    prints the events per second from the worker's start to the last
//!    delivery recorded.
//!
//! ```sh
//! cargo run -p climb-server --example webhook_bench -- sqlite DIR [PEOPLE CHANGES EVENTS]
//! cargo run -p climb-server --example webhook_bench -- postgres ADMIN_URL [PEOPLE CHANGES EVENTS]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use climb_framework::RoleId;
use climb_people::{Actor, Command, Email, PersonId, Status};
use climb_server::webhook_worker::{self, WorkerConfig};
use climb_store::{ImportPerson, Store};
use climb_webhooks::EventType;
use sqlx::{Connection, Executor};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn role(id: &str) -> RoleId {
    RoleId::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn people(prefix: &str, n: usize) -> Vec<ImportPerson> {
    (0..n)
        .map(|i| ImportPerson {
            email: Email::parse(&format!("{prefix}{i}@example.com"))
                .unwrap_or_else(|e| panic!("{e}")),
            name: Some(format!("Person {i}")),
            role: Some(role("software-engineer")),
            manager_email: None,
            start_date: NaiveDate::from_ymd_opt(2020, 1, 1),
            status: Some(Status::Active),
            end_date: None,
        })
        .collect()
}

/// A fresh database of the backend: a file in `dir`, or a new database on
/// the server of the admin URL `dir`.
async fn fresh(backend: &str, place: &str, name: &str) -> String {
    if backend == "sqlite" {
        let path = format!("{place}/{name}.db");
        let _ = std::fs::remove_file(&path);
        return format!("sqlite://{path}");
    }
    sqlx::any::install_default_drivers();
    let database = format!("bench_{name}_{}", std::process::id());
    let mut conn = sqlx::AnyConnection::connect(place)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let base = place.rsplit_once('/').map_or(place, |(base, _)| base);
    format!("{base}/{database}")
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[samples.len() * 95 / 100]);
    let mean = samples.iter().map(|d| ms(*d)).sum::<f64>() / samples.len() as f64;
    (median, mean, p95)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (backend, place) = match (args.first(), args.get(1)) {
        (Some(b), Some(p)) if b == "sqlite" || b == "postgres" => (b.clone(), p.clone()),
        _ => panic!("usage: webhook_bench sqlite DIR | postgres ADMIN_URL [PEOPLE CHANGES EVENTS]"),
    };
    let number = |i: usize, default: usize| {
        args.get(i).map_or(default, |a| {
            a.parse().unwrap_or_else(|e| panic!("{a}: {e}"))
        })
    };
    let (size, changes, events) = (number(2, 10_000), number(3, 1_000), number(4, 20_000));
    let framework = climb_framework::builtin();
    let admin = Actor::admin(None);

    // 1. Role-change latency.
    let plain = Store::open(&fresh(&backend, &place, "plain").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let hooked = Store::open(&fresh(&backend, &place, "hooked").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    hooked
        .create_webhook(
            "http://127.0.0.1:9/",
            SECRET,
            &[EventType::PersonRoleChanged],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for store in [&plain, &hooked] {
        store
            .import_people(framework, admin, people("p", size))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let ids: Vec<PersonId> = {
        let org = plain.org().await.unwrap_or_else(|e| panic!("{e}"));
        let mut ids: Vec<PersonId> = org.people().map(|p| p.id).collect();
        ids.sort();
        ids
    };
    let mut timed = [Vec::new(), Vec::new()];
    for i in 0..changes {
        // Corrections back and forth, so any person can change again.
        let to = if (i / ids.len()).is_multiple_of(2) {
            "senior-software-engineer"
        } else {
            "software-engineer"
        };
        let command = Command::ChangeRole {
            person: ids[i % ids.len()],
            to_role: role(to),
            effective_date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            note: Some("bench".to_owned()),
            correction: true,
        };
        let order: [usize; 2] = if i.is_multiple_of(2) { [0, 1] } else { [1, 0] };
        for which in order {
            let store = if which == 0 { &plain } else { &hooked };
            let start = Instant::now();
            store
                .execute(framework, admin, command.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            timed[which].push(start.elapsed());
        }
    }
    let written = hooked
        .webhook_delivery_counts()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(written.0, changes as i64, "one outbox row per role change");
    let [without, with] = timed;
    let (a, b) = (stats(without), stats(with));
    println!("backend {backend}, {size} people, {changes} role changes each");
    println!(
        "role change without a subscription: median {:.3} ms, mean {:.3} ms, p95 {:.3} ms",
        a.0, a.1, a.2
    );
    println!(
        "role change with a subscription:    median {:.3} ms, mean {:.3} ms, p95 {:.3} ms",
        b.0, b.1, b.2
    );
    println!(
        "ratio with / without: median {:.3}, mean {:.3}",
        b.0 / a.0,
        b.1 / a.1
    );
    drop((plain, hooked));

    // 2. Worker throughput.
    let received = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}/hook",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let store = Arc::new(
        Store::open(&fresh(&backend, &place, "outbox").await)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
    );
    store
        .create_webhook(&url, SECRET, &[EventType::PersonHired])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    store
        .import_people(framework, admin, people("h", events))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let import = start.elapsed();
    let start = Instant::now();
    let worker = webhook_worker::spawn(Arc::clone(&store), WorkerConfig::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    loop {
        let (pending, _, failed) = store
            .webhook_delivery_counts()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(failed, 0, "a delivery failed");
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let spent = start.elapsed();
    worker.stop().await;
    println!(
        "import of {events} hires with their outbox rows: {:.2} s",
        import.as_secs_f64()
    );
    println!(
        "worker: {events} events delivered in {:.2} s: {:.0} events/s ({} requests received)",
        spent.as_secs_f64(),
        events as f64 / spent.as_secs_f64(),
        received.load(Ordering::Relaxed)
    );
}
