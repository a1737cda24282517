//! `climb serve --demo`: an empty database is filled with a demo company
//! and logins that work, printed with the URL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_demo_fills_an_empty_database_and_its_logins_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("CLIMB_DB", &db)
        .env_remove("CLIMB_FRAMEWORK")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("climb serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let _server = Killed(child);
    // Keep reading in a thread so the server never writes to a closed pipe.
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(120)) {
        printed.push(line);
        if printed
            .iter()
            .filter(|l| l.contains("@example.com"))
            .count()
            == 3
        {
            break;
        }
    }
    let url = printed
        .iter()
        .find_map(|l| l.strip_prefix("climb is serving on "))
        .expect("the URL is printed")
        .to_owned();
    let manager = printed
        .iter()
        .find(|l| l.trim_start().starts_with("manager"))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("a manager login is printed")
        .to_owned();
    assert!(
        printed.iter().any(|l| l.contains("admin@example.com")),
        "{printed:?}"
    );
    assert!(
        printed
            .iter()
            .any(|l| l.trim_start().starts_with("engineer")),
        "{printed:?}"
    );

    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{url}/api/v1/login"))
        .json(&serde_json::json!({"email": manager, "password": "climb-demo"}))
        .send()
        .await
        .expect("login answers")
        .json()
        .await
        .expect("JSON");
    let token = login["token"].as_str().expect("a token");
    let summary: serde_json::Value = client
        .get(format!("{url}/api/v1/org/summary"))
        .bearer_auth(token)
        .send()
        .await
        .expect("summary answers")
        .json()
        .await
        .expect("JSON");
    let total = summary["total"].as_u64().expect("a total");
    assert!(
        (250..=300).contains(&total),
        "about 300 people, {total} active"
    );

    // The demo's reviews: a closed cycle with the engineer's review signed by
    // both, an open one, and growth plans measured against the signed review.
    let get = |path: String| {
        let request = client.get(format!("{url}{path}")).bearer_auth(token);
        async move {
            request
                .send()
                .await
                .expect("answers")
                .json::<serde_json::Value>()
                .await
                .expect("JSON")
        }
    };
    let cycles = get("/api/v1/review-cycles".to_owned()).await;
    let statuses: Vec<&str> = cycles["cycles"]
        .as_array()
        .expect("cycles")
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert_eq!(statuses, vec!["open", "closed"], "{cycles}");
    let me = get("/api/v1/me".to_owned()).await["person"]
        .as_i64()
        .expect("the manager is a person");
    let reports = get(format!("/api/v1/people/{me}")).await["reports"].clone();
    let mut based = 0;
    let mut with_goals = 0;
    let reports_count = reports.as_array().expect("reports").len();
    for report in reports.as_array().expect("reports") {
        let plan = get(format!("/api/v1/people/{report}/growth-plan")).await;
        if plan["plan"]["based_on"].is_i64() {
            based += 1;
        }
        if !plan["goals"].as_array().expect("goals").is_empty() {
            with_goals += 1;
        }
    }
    assert_eq!(
        based, reports_count,
        "every report's growth plan uses their signed review of the company cycle"
    );
    assert_eq!(with_goals, 1, "the demo engineer has a goal");
    let proposals: usize = {
        let mut n = 0;
        for report in reports.as_array().expect("reports") {
            n += get(format!("/api/v1/people/{report}/promotion-proposals")).await["proposals"]
                .as_array()
                .map_or(0, Vec::len);
        }
        n
    };
    assert_eq!(proposals, 1, "one pending proposal for another report");
}

/// Starts `climb serve --demo` on a fresh SQLite file and waits until the
/// demo logins are printed; returns the server and the database URL.
fn serve_demo(dir: &std::path::Path) -> (Killed, String) {
    let db = format!("sqlite://{}", dir.join("demo.db").display());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("CLIMB_DB", &db)
        .env_remove("CLIMB_FRAMEWORK")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("climb serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Killed(child);
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut logins = 0;
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(120)) {
        logins += usize::from(line.contains("@example.com"));
        if logins == 3 {
            break;
        }
    }
    assert_eq!(logins, 3, "the demo logins are printed");
    (server, db)
}

#[tokio::test]
async fn the_demo_company_has_signed_reviews_weekday_one_on_ones_and_evidence_in_sentences() {
    use chrono::Datelike;

    let dir = tempfile::tempdir().expect("temp dir");
    let (_server, db) = serve_demo(dir.path());
    let store = climb_store::Store::open(&db)
        .await
        .expect("the demo database opens");
    let framework = climb_framework::builtin();
    let org = store.org().await.expect("org");

    // The last half-year's cycle: everyone below the top, signed by both on
    // days of their own within the period, ratings spread out.
    let cycles = store.review_cycles().await.expect("cycles");
    let closed = cycles
        .iter()
        .find(|c| !c.is_open())
        .expect("a closed cycle");
    let reviews = store.cycle_reviews(closed.id).await.expect("reviews");
    let below_top = org
        .people()
        .filter(|p| p.is_active() && p.manager.is_some())
        .count();
    assert_eq!(
        reviews.len(),
        below_top,
        "the cycle covers everyone below the top"
    );
    let mut signed_on = std::collections::HashSet::new();
    let mut ratings = std::collections::HashSet::new();
    let mut roles = std::collections::HashSet::new();
    let ids: Vec<&str> = framework
        .roles()
        .iter()
        .map(|r| r.id.as_str())
        .chain(framework.competencies().iter().map(|c| c.id.as_str()))
        .filter(|id| id.contains('-'))
        .collect();
    for review in &reviews {
        assert!(
            review.is_signed(),
            "review {:?} is signed by both",
            review.id
        );
        for day in [review.own.signed_on, review.manager.signed_on] {
            let day = day.expect("a signature date");
            assert!((closed.period_start..=closed.period_end).contains(&day));
            assert!(
                day.weekday().num_days_from_monday() < 5,
                "{day} is a weekday"
            );
            signed_on.insert(day);
        }
        ratings.insert(review.rating.expect("a rating"));
        roles.insert(review.role.clone());
        for side in [&review.own, &review.manager] {
            for rated in side.competencies.values() {
                let text = &rated.evidence;
                assert!(text.ends_with('.'), "{text}");
                assert!(
                    !text
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())),
                    "a number in {text}"
                );
                assert!(!ids.iter().any(|id| text.contains(id)), "an id in {text}");
            }
        }
    }
    assert!(
        signed_on.len() > 5,
        "signatures on many days: {signed_on:?}"
    );
    assert!(ratings.len() >= 3, "ratings: {ratings:?}");
    assert!(roles.len() >= 4, "reviews across roles: {roles:?}");

    // One-on-ones on weekdays for every report, most within their cadence.
    let mut held = 0;
    let mut overdue = 0;
    let mut with_schedule = 0;
    let now = chrono::Utc::now();
    for person in org
        .people()
        .filter(|p| p.is_active() && p.manager.is_some())
    {
        let schedule = store.schedule(person.id).await.expect("schedule");
        with_schedule += usize::from(schedule.is_some());
        let meetings = store.meetings(person.id, 20).await.expect("meetings");
        let last_held = meetings.iter().filter_map(|m| m.held_at).max();
        let standing =
            climb_management::one_on_one::overview(schedule.as_ref(), last_held, None, now);
        overdue += usize::from(standing.overdue);
        for meeting in &meetings {
            let day = meeting.starts_at.weekday();
            assert!(day.num_days_from_monday() < 5, "a meeting on {day}");
        }
        held += usize::from(meetings.iter().any(|m| m.held_at.is_some()));
        for action in store.actions(person.id).await.expect("actions") {
            assert!(
                action.text.as_str().ends_with('.'),
                "{}",
                action.text.as_str()
            );
        }
    }
    assert_eq!(with_schedule, below_top, "everyone meets their manager");
    assert!(
        held * 20 >= below_top,
        "{held} of {below_top} met this period"
    );
    assert!(
        overdue >= 1 && overdue * 5 <= below_top,
        "{overdue} of {below_top} overdue"
    );
}
