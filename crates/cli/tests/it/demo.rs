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
    for report in reports.as_array().expect("reports") {
        let plan = get(format!("/api/v1/people/{report}/growth-plan")).await;
        if plan["plan"]["based_on"].is_i64() {
            based += 1;
            assert!(
                !plan["goals"].as_array().expect("goals").is_empty(),
                "{plan}"
            );
        }
    }
    assert_eq!(
        based, 1,
        "the demo engineer's growth plan uses their signed review"
    );
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
