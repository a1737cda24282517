//! `climb serve` and `climb admin create` as processes: the token is the
//! last line, the server stops cleanly on SIGTERM, and two servers on one
//! PostgreSQL database see each other's writes at once.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

/// A `climb serve` process on a free port.
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(db: &str) -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("CLIMB_DB", db)
            .env_remove("CLIMB_FRAMEWORK")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("climb serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).expect("first line");
        // Keep reading so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let url = line
            .trim()
            .strip_prefix("climb is serving on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { child, url }
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("exits")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates an administrator and returns the token printed last.
fn admin_token(db: &str) -> String {
    let output = crate::climb()
        .args([
            "admin",
            "create",
            "--email",
            "root@example.com",
            "--name",
            "Root",
        ])
        .env("CLIMB_DB", db)
        .output()
        .expect("climb admin create runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let token = stdout
        .lines()
        .last()
        .expect("a last line")
        .trim()
        .to_owned();
    assert!(token.starts_with("climb_"), "{stdout}");
    token
}

async fn post(client: &reqwest::Client, url: &str, token: &str, body: Value) -> (u16, Value) {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("answered");
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn get(client: &reqwest::Client, url: &str, token: &str) -> (u16, Value) {
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn admin_create_prints_a_token_that_serve_accepts_and_sigterm_stops_it_cleanly() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let token = admin_token(&db);
    let mut served = Served::start(&db);
    let client = reqwest::Client::new();
    let (status, me) = get(&client, &format!("{}/api/v1/me", served.url), &token).await;
    assert_eq!(status, 200);
    assert_eq!(me["kind"], "admin");
    let (status, _) = get(&client, &format!("{}/healthz", served.url), "").await;
    assert_eq!(status, 200);
    let exit = served.terminate();
    assert!(exit.success(), "{exit:?}");
}

/// A fresh database on `CLIMB_TEST_PG_URL`, or `None` to skip.
async fn postgres_db() -> Option<String> {
    use sqlx::{Connection, Executor};
    let Ok(admin) = std::env::var("CLIMB_TEST_PG_URL") else {
        assert!(
            std::env::var("CLIMB_REQUIRE_PG").as_deref() != Ok("1"),
            "CLIMB_REQUIRE_PG=1 but CLIMB_TEST_PG_URL is not set"
        );
        eprintln!("skipped: CLIMB_TEST_PG_URL is not set");
        return None;
    };
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "t_cli_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("connect");
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create database");
    let _ = conn.close().await;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_see_each_others_writes_at_once() {
    let Some(db) = postgres_db().await else {
        return;
    };
    let token = admin_token(&db);
    let one = Served::start(&db);
    let two = Served::start(&db);
    let client = reqwest::Client::new();
    let (status, hired) = post(
        &client,
        &format!("{}/api/v1/people", one.url),
        &token,
        json!({"name": "Ada Lovelace", "email": "ada@example.com", "role": "software-engineer"}),
    )
    .await;
    assert_eq!(status, 201, "{hired}");
    let id = hired["id"].as_i64().expect("id");
    let (status, seen) = get(&client, &format!("{}/api/v1/people/{id}", two.url), &token).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["name"], "Ada Lovelace");
    let (status, promoted) = post(
        &client,
        &format!("{}/api/v1/people/{id}/role-changes", two.url),
        &token,
        json!({"to_role": "senior-software-engineer"}),
    )
    .await;
    assert_eq!(status, 201, "{promoted}");
    let (_, back) = get(&client, &format!("{}/api/v1/people/{id}", one.url), &token).await;
    assert_eq!(back["role"], "senior-software-engineer");
}
