//! Crash safety, after SQLite's crash tests, applied to the whole server:
//! writers send a stream of mixed changes to `climb serve`, every
//! acknowledged one is recorded, the server is killed with SIGKILL at a
//! random moment, restarted on the same database, and then:
//! - every acknowledged write is there;
//! - the audit log holds exactly one event per change (an unacknowledged
//!   write in flight at the kill may be there once, or not at all);
//! - the database passes its integrity check (`PRAGMA integrity_check`,
//!   `amcheck` on PostgreSQL) and `climb audit verify`.
//!
//! CI runs `CLIMB_CRASH_CYCLES` cycles (5 by default) per backend;
//! `bench/crash.sh` runs 50 and reports the counts.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::serve::{Served, admin_token, postgres_db};

/// Writers sending at once.
const WRITERS: usize = 4;

/// One change a writer sends; each is about a person of its own, so every
/// (person, action) pair happens at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Step {
    Hire,
    Promote,
    SetManager,
    Designate,
    Note,
}

impl Step {
    const ALL: [Step; 5] = [
        Step::Hire,
        Step::Promote,
        Step::SetManager,
        Step::Designate,
        Step::Note,
    ];

    /// The audit action it writes.
    fn action(self) -> &'static str {
        match self {
            Step::Hire => "person.hired",
            Step::Promote => "person.role_changed",
            Step::SetManager => "person.manager_changed",
            Step::Designate => "project.designation_started",
            Step::Note => "one_on_one.note_added",
        }
    }
}

/// What the company holds before the writers start: a manager with a
/// login and a one-on-one meeting with their report, and one project per
/// writer.
struct Company {
    admin: String,
    manager: i64,
    manager_session: String,
    meeting: i64,
    projects: Vec<i64>,
}

/// What the writers were told had happened.
#[derive(Default)]
struct Acknowledged {
    /// Per hired person: the steps acknowledged for them, in order.
    people: HashMap<i64, Vec<Step>>,
    /// The texts of acknowledged notes.
    notes: Vec<String>,
    /// Steps sent but not answered (the kill came first).
    in_flight: usize,
}

/// Sends one request; `None` when the server did not answer (it was killed).
async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let mut request = client.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    let body = response.json().await.ok()?;
    Some((status, body))
}

async fn expect_ok(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Value,
) -> Value {
    let (status, body) = send(client, method, url, token, Some(body))
        .await
        .expect("answered");
    assert!((200..300).contains(&status), "{status}: {body}");
    body
}

async fn set_up(base: &str, admin: String) -> Company {
    use reqwest::Method;
    let client = reqwest::Client::new();
    let manager = expect_ok(
        &client,
        Method::POST,
        format!("{base}/api/v1/people"),
        &admin,
        json!({"name": "Mara Manager", "email": "mara@example.com", "role": "engineering-manager"}),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let report = expect_ok(&client, Method::POST, format!("{base}/api/v1/people"), &admin,
        json!({"name": "Rui Report", "email": "rui@example.com", "role": "software-engineer", "manager": manager})).await["id"]
        .as_i64()
        .expect("id");
    expect_ok(
        &client,
        Method::POST,
        format!("{base}/api/v1/accounts"),
        &admin,
        json!({"person": manager, "kind": "employee", "password": "correct horse"}),
    )
    .await;
    let login = expect_ok(
        &client,
        Method::POST,
        format!("{base}/api/v1/login"),
        "",
        json!({"email": "mara@example.com", "password": "correct horse"}),
    )
    .await;
    let manager_session = login["token"].as_str().expect("session").to_owned();
    let scheduled = expect_ok(&client, Method::PUT, format!("{base}/api/v1/people/{report}/one-on-ones/schedule"), &manager_session,
        json!({"cadence": "weekly", "first_date": "2030-01-07", "time": "10:00", "time_zone": "Europe/Berlin"})).await;
    let meeting = scheduled["next"]["id"].as_i64().expect("meeting id");
    let mut projects = Vec::new();
    for writer in 0..WRITERS {
        let project = expect_ok(
            &client,
            Method::POST,
            format!("{base}/api/v1/projects"),
            &admin,
            json!({"name": format!("Project {writer}")}),
        )
        .await;
        projects.push(project["id"].as_i64().expect("project id"));
    }
    Company {
        admin,
        manager,
        manager_session,
        meeting,
        projects,
    }
}

/// One writer: hire, promote, move under the manager, designate, and the
/// manager notes it in the one-on-one; round after round until the server
/// stops answering. Returns what was acknowledged.
async fn write_until_killed(
    base: String,
    company: std::sync::Arc<Company>,
    writer: usize,
    cycle: usize,
) -> Acknowledged {
    use reqwest::Method;
    let client = reqwest::Client::new();
    let mut acknowledged = Acknowledged::default();
    for round in 0.. {
        let tag = format!("c{cycle}w{writer}r{round}");
        let mut person = None;
        for step in Step::ALL {
            let (method, url, token, body) = match (step, person) {
                (Step::Hire, _) => (
                    Method::POST,
                    format!("{base}/api/v1/people"),
                    &company.admin,
                    json!({"name": format!("Writer {tag}"), "email": format!("{tag}@example.com"), "role": "software-engineer"}),
                ),
                (Step::Promote, Some(id)) => (
                    Method::POST,
                    format!("{base}/api/v1/people/{id}/role-changes"),
                    &company.admin,
                    json!({"to_role": "senior-software-engineer"}),
                ),
                (Step::SetManager, Some(id)) => (
                    Method::PUT,
                    format!("{base}/api/v1/people/{id}/manager"),
                    &company.admin,
                    json!({"manager": company.manager}),
                ),
                (Step::Designate, Some(id)) => (
                    Method::POST,
                    format!(
                        "{base}/api/v1/projects/{}/designations",
                        company.projects[writer]
                    ),
                    &company.admin,
                    json!({"person": id, "designation": "team-lead"}),
                ),
                (Step::Note, Some(_)) => (
                    Method::POST,
                    format!("{base}/api/v1/one-on-ones/{}/notes", company.meeting),
                    &company.manager_session,
                    json!({"text": format!("note {tag}")}),
                ),
                (_, None) => unreachable!("the hire comes first"),
            };
            let Some((status, answer)) = send(&client, method, url, token, Some(body)).await else {
                acknowledged.in_flight += 1;
                return acknowledged;
            };
            assert!(
                (200..300).contains(&status),
                "{step:?} {tag}: {status} {answer}"
            );
            match step {
                Step::Hire => {
                    let id = answer["id"].as_i64().expect("id");
                    person = Some(id);
                    acknowledged.people.entry(id).or_default().push(step);
                }
                Step::Note => acknowledged.notes.push(format!("note {tag}")),
                _ => acknowledged
                    .people
                    .entry(person.expect("hired"))
                    .or_default()
                    .push(step),
            }
        }
    }
    acknowledged
}

/// A pseudo-random number of milliseconds in `range`, from the clock.
pub(crate) fn random_millis(range: std::ops::Range<u64>) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    range.start + nanos.wrapping_mul(6_364_136_223_846_793_005) % (range.end - range.start)
}

/// All audit events about a person, every page.
async fn events_about(
    client: &reqwest::Client,
    base: &str,
    admin: &str,
    person: i64,
) -> Vec<String> {
    let mut actions = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/audit?person={person}&limit=500");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let (status, page) = send(client, reqwest::Method::GET, url, admin, None)
            .await
            .expect("answered");
        assert_eq!(status, 200, "{page}");
        for event in page["events"].as_array().expect("events") {
            actions.push(event["action"].as_str().expect("action").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return actions,
        }
    }
}

/// Checks, on the restarted server, everything acknowledged so far.
async fn check_acknowledged(base: &str, company: &Company, all: &Acknowledged) {
    let client = reqwest::Client::new();
    for (&person, steps) in &all.people {
        let actions = events_about(&client, base, &company.admin, person).await;
        // Notes are about the manager's report, checked below.
        for step in Step::ALL.into_iter().filter(|s| *s != Step::Note) {
            let count = actions.iter().filter(|a| *a == step.action()).count();
            if steps.contains(&step) {
                assert_eq!(
                    count, 1,
                    "person {person}: {step:?} acknowledged, {count} events: {actions:?}"
                );
            } else {
                assert!(
                    count <= 1,
                    "person {person}: {step:?} recorded {count} times: {actions:?}"
                );
            }
        }
        let (status, shown) = send(
            &client,
            reqwest::Method::GET,
            format!("{base}/api/v1/people/{person}"),
            &company.admin,
            None,
        )
        .await
        .expect("answered");
        assert_eq!(status, 200, "acknowledged hire {person} is gone: {shown}");
        if steps.contains(&Step::Promote) {
            assert_eq!(shown["role"], "senior-software-engineer", "{shown}");
        }
        if steps.contains(&Step::SetManager) {
            assert_eq!(shown["manager"], company.manager, "{shown}");
        }
    }
    let (status, meeting) = send(
        &client,
        reqwest::Method::GET,
        format!("{base}/api/v1/one-on-ones/{}", company.meeting),
        &company.manager_session,
        None,
    )
    .await
    .expect("answered");
    assert_eq!(status, 200, "{meeting}");
    let texts: Vec<&str> = meeting["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    for note in &all.notes {
        let count = texts.iter().filter(|t| **t == note).count();
        assert_eq!(count, 1, "acknowledged note `{note}` found {count} times");
    }
}

/// The database's own integrity check, on the stopped server's database.
pub(crate) async fn check_integrity(db: &str) {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(db).await.expect("connects");
    if db.starts_with("sqlite:") {
        let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .expect("checked");
        assert_eq!(verdict, ["ok"]);
    } else {
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            .await
            .expect("amcheck");
        // Every B-tree index of climb's schema, heap included.
        let checked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT bt_index_check(c.oid, true) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE am.amname = 'btree' AND n.nspname = current_schema()) AS checks",
        )
        .fetch_one(&mut conn)
        .await
        .expect("amcheck passes");
        assert!(checked > 10, "{checked} indexes checked");
    }
    conn.close().await.ok();
}

pub(crate) fn cycles() -> usize {
    std::env::var("CLIMB_CRASH_CYCLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

async fn kill_nine_cycles(db: &str) {
    let admin = admin_token(db);
    let first = Served::start(db);
    let company = std::sync::Arc::new(set_up(&first.url, admin).await);
    drop(first);
    let mut all = Acknowledged::default();
    let cycles = cycles();
    for cycle in 0..cycles {
        let mut served = Served::start(db);
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(write_until_killed(
                    served.url.clone(),
                    company.clone(),
                    w,
                    cycle,
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(random_millis(150..900))).await;
        served.child.kill().expect("SIGKILL");
        served.child.wait().expect("reaped");
        for writer in writers {
            let acknowledged = writer.await.expect("writer");
            all.in_flight += acknowledged.in_flight;
            all.notes.extend(acknowledged.notes);
            for (person, steps) in acknowledged.people {
                all.people.entry(person).or_default().extend(steps);
            }
        }
        check_integrity(db).await;
        let restarted = Served::start(db);
        check_acknowledged(&restarted.url, &company, &all).await;
        drop(restarted);
        crate::climb()
            .args(["--db", db, "audit", "verify"])
            .assert()
            .code(0);
    }
    let writes: usize = all.people.values().map(Vec::len).sum::<usize>() + all.notes.len();
    eprintln!(
        "crash cycles: {cycles}, acknowledged writes: {writes}, lost: 0, duplicated: 0, integrity errors: 0, in flight at a kill: {}",
        all.in_flight
    );
    assert!(
        writes > cycles,
        "the writers got writes in before each kill"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_acknowledged_writes_survive_kill_nine() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    kill_nine_cycles(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_acknowledged_writes_survive_kill_nine() {
    let Some(db) = postgres_db().await else {
        return;
    };
    kill_nine_cycles(&db).await;
}
