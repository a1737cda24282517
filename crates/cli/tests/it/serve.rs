//! `climb serve` and `climb admin create` as processes: the token is the
//! last line, the server stops cleanly on SIGTERM, and two servers on one
//! PostgreSQL database see each other's writes at once.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

/// A `climb serve` process on a free port.
pub(crate) struct Served {
    pub(crate) child: Child,
    pub(crate) url: String,
}

impl Served {
    pub(crate) fn start(db: &str) -> Self {
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
pub(crate) fn admin_token(db: &str) -> String {
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

pub(crate) async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
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

pub(crate) async fn get(client: &reqwest::Client, url: &str, token: &str) -> (u16, Value) {
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

#[tokio::test]
async fn admin_scim_token_prints_a_token_that_reaches_scim_and_not_the_api() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let output = crate::climb()
        .args(["admin", "scim-token", "--name", "Okta"])
        .env("CLIMB_DB", &db)
        .output()
        .expect("climb admin scim-token runs");
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
    assert!(token.starts_with("climbscim_"), "{stdout}");
    let blank = crate::climb()
        .args(["admin", "scim-token", "--name", " "])
        .env("CLIMB_DB", &db)
        .output()
        .expect("runs");
    assert!(!blank.status.success());
    let served = Served::start(&db);
    let client = reqwest::Client::new();
    let (status, config) = get(
        &client,
        &format!("{}/scim/v2/ServiceProviderConfig", served.url),
        &token,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(config["patch"]["supported"], true);
    let (status, _) = get(&client, &format!("{}/api/v1/me", served.url), &token).await;
    assert_eq!(status, 401);
}

/// A fresh database on `CLIMB_TEST_PG_URL`, or `None` to skip.
pub(crate) async fn postgres_db() -> Option<String> {
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

/// Hires people over the API until `stop` is set; returns how many were
/// acknowledged.
async fn keep_hiring(
    url: String,
    token: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> u64 {
    let client = reqwest::Client::new();
    let mut acknowledged = 0;
    while !stop.load(Ordering::Relaxed) {
        let (status, body) = post(
            &client,
            &format!("{url}/api/v1/people"),
            &token,
            json!({
                "name": format!("Writer {acknowledged}"),
                "email": format!("writer{acknowledged}@example.com"),
                "role": "software-engineer",
            }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        acknowledged += 1;
    }
    acknowledged
}

fn json_output(command: &mut assert_cmd::Command, code: i32) -> Value {
    let output = command.assert().code(code).get_output().clone();
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)))
}

/// `climb backup` while a server takes writes, then `climb restore` into
/// `target`: the restored copy verifies, and holds exactly what the backup
/// reported at its moment.
async fn backup_under_write_load_restores_what_it_reported(
    source: &str,
    target: &str,
    dir: &tempfile::TempDir,
) {
    let token = admin_token(source);
    let served = Served::start(source);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = tokio::spawn(keep_hiring(served.url.clone(), token, stop.clone()));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let file = dir.path().join("climb.backup");
    let backup = {
        let (source, file) = (source.to_owned(), file.clone());
        tokio::task::spawn_blocking(move || {
            json_output(
                crate::climb()
                    .args(["--db", &source, "backup", "--json", "-o"])
                    .arg(&file),
                0,
            )
        })
        .await
        .expect("backup ran")
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let acknowledged = writer.await.expect("writer");
    let people = backup["people"].as_i64().expect("people");
    assert!(
        people > 0 && people < i64::try_from(acknowledged).expect("count"),
        "{backup} of {acknowledged}"
    );

    let restored = {
        let (target, file) = (target.to_owned(), file.clone());
        tokio::task::spawn_blocking(move || {
            json_output(
                crate::climb()
                    .args(["--db", &target, "restore", "--json"])
                    .arg(&file),
                0,
            )
        })
        .await
        .expect("restore ran")
    };
    let verification = &restored["verification"];
    assert_eq!(verification["findings"], json!([]), "{restored}");
    assert_eq!(verification["events"], backup["audit_events"]);
    assert_eq!(
        verification["checkpoints"], 1,
        "checked against the backup's head"
    );
    let exported = crate::climb()
        .args(["--db", target, "export"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let rows = String::from_utf8(exported).expect("utf-8").lines().count() - 1;
    assert_eq!(i64::try_from(rows).expect("rows"), people);

    // A second restore into the now full target is refused and changes nothing.
    crate::climb()
        .args(["--db", target, "restore"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not empty"));
}

#[tokio::test]
async fn sqlite_backup_under_write_load_restores_and_verifies() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = format!("sqlite://{}", dir.path().join("climb.db").display());
    let target = format!("sqlite://{}", dir.path().join("restored.db").display());
    backup_under_write_load_restores_what_it_reported(&source, &target, &dir).await;

    // A backup from a newer climb is refused before anything is written.
    let newer = dir.path().join("newer.backup");
    std::fs::copy(dir.path().join("climb.backup"), &newer).expect("copied");
    {
        use sqlx::{ConnectOptions, Executor};
        let options: sqlx::sqlite::SqliteConnectOptions = format!("sqlite://{}", newer.display())
            .parse()
            .expect("url");
        let mut conn = options.connect().await.expect("opens");
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future.sql', 'x')")
            .await
            .expect("inserted");
    }
    let fresh = dir.path().join("fresh.db");
    crate::climb()
        .args(["--db", &format!("sqlite://{}", fresh.display()), "restore"])
        .arg(&newer)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("made by a newer climb"));
    assert!(!fresh.exists(), "nothing written");
    let junk = dir.path().join("people.csv");
    std::fs::write(&junk, "email,name\n").expect("written");
    crate::climb()
        .args(["--db", &format!("sqlite://{}", fresh.display()), "restore"])
        .arg(&junk)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a climb backup"));
}

#[tokio::test]
async fn postgres_backup_under_write_load_restores_and_verifies() {
    let Some(source) = postgres_db().await else {
        return;
    };
    let Some(target) = postgres_db().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    backup_under_write_load_restores_what_it_reported(&source, &target, &dir).await;
}

#[test]
fn session_limits_that_make_no_sense_are_refused_before_serving() {
    crate::climb()
        .args(["serve", "--session-idle", "5x"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`5x` is not a duration"));
    crate::climb()
        .args(["serve", "--session-idle", "2d", "--session-max", "1d"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("longer than --session-max"));
}

/// Logs piped to a file or a service manager carry no colour codes.
#[test]
fn serve_writes_no_colour_codes_into_a_pipe() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("climb"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("CLIMB_DB", &db)
        .env_remove("CLIMB_FRAMEWORK")
        .env_remove("NO_COLOR")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("climb serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first line");
    assert!(line.starts_with("climb is serving on "), "{line:?}");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let output = child.wait_with_output().expect("exits");
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(logs.contains("INFO"), "no log lines at info:\n{logs}");
    assert!(
        !logs.contains('\u{1b}'),
        "colour codes in piped logs:\n{logs}"
    );
}

#[test]
fn serve_refuses_to_start_when_the_identity_provider_cannot_be_discovered() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    // A port that nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let issuer = format!("http://127.0.0.1:{port}");
    let output = crate::climb()
        .args(["serve", "--addr", "127.0.0.1:0", "--oidc-issuer", &issuer])
        .args([
            "--oidc-client-id",
            "climb",
            "--public-url",
            "http://127.0.0.1:8080",
        ])
        .env("CLIMB_DB", &db)
        .env("CLIMB_OIDC_CLIENT_SECRET", "very-secret-value")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("discovery at `{issuer}` failed")),
        "{stderr}"
    );
    assert!(!stderr.contains("very-secret-value"), "{stderr}");
}

#[test]
fn serve_refuses_single_sign_on_settings_that_cannot_work() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "s3cret\n").expect("secret file");
    let secret = secret.display().to_string();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--password-login", "off"],
            "--password-login off needs single sign-on",
        ),
        (
            &[
                "--oidc-issuer",
                "https://id.example.com",
                "--oidc-client-id",
                "climb",
                "--public-url",
                "http://127.0.0.1:8080",
            ],
            "needs a client secret",
        ),
        (
            &[
                "--oidc-issuer",
                "https://id.example.com",
                "--oidc-client-id",
                "climb",
                "--public-url",
                "not a url",
                "--oidc-client-secret-file",
                &secret,
            ],
            "is not an http(s) URL",
        ),
    ];
    for (args, message) in cases {
        let output = crate::climb()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("CLIMB_DB", &db)
            .env_remove("CLIMB_OIDC_CLIENT_SECRET")
            .env_remove("CLIMB_PASSWORD_LOGIN")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn serve_refuses_mail_settings_that_cannot_work_and_keeps_the_password_out_of_the_message() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = format!("sqlite://{}", dir.path().join("climb.db").display());
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--smtp-host",
                "127.0.0.1",
                "--public-url",
                "http://127.0.0.1:8080",
            ],
            "--smtp-host needs --mail-from",
        ),
        (
            &[
                "--smtp-host",
                "127.0.0.1",
                "--mail-from",
                "climb@example.com",
            ],
            "--smtp-host needs --public-url",
        ),
        (
            &[
                "--smtp-host",
                "127.0.0.1",
                "--mail-from",
                "not an address",
                "--public-url",
                "http://127.0.0.1:8080",
            ],
            "is not a mailbox",
        ),
        (
            &[
                "--smtp-host",
                "127.0.0.1",
                "--mail-from",
                "climb@example.com",
                "--public-url",
                "http://127.0.0.1:8080",
                "--smtp-username",
                "climb",
            ],
            "--smtp-username needs a password",
        ),
    ];
    for (args, message) in cases {
        let output = crate::climb()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("CLIMB_DB", &db)
            .env_remove("CLIMB_SMTP_PASSWORD")
            .env_remove("CLIMB_PUBLIC_URL")
            .env_remove("CLIMB_MAIL_FROM")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // A password without a user name is refused without being shown.
    let output = crate::climb()
        .args(["serve", "--addr", "127.0.0.1:0", "--smtp-host", "127.0.0.1"])
        .args(["--mail-from", "climb@example.com"])
        .args(["--public-url", "http://127.0.0.1:8080"])
        .env("CLIMB_DB", &db)
        .env("CLIMB_SMTP_PASSWORD", "very-secret-value")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no --smtp-username"), "{stderr}");
    assert!(!stderr.contains("very-secret-value"), "{stderr}");
}
