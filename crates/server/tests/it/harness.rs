//! The test harness: a fresh database per test on each backend (SQLite
//! always; PostgreSQL when `CLIMB_TEST_PG_URL` names a server, required with
//! `CLIMB_REQUIRE_PG=1`), the real server on 127.0.0.1:0, and a client.

use std::sync::Arc;

use climb_people::{ActorKind, Email, PersonId};
use climb_server::{AppState, auth};
use climb_store::{NewAccount, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Runs a test body once per backend: `mod NAME { fn sqlite; fn postgres }`.
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($server:ident) $body:block) => {
        crate::harness::both_backends! {
            $(#[$meta])* async fn $name($server) with_sessions(climb_server::auth::SessionLimits::default()) $body
        }
    };
    ($(#[$meta:meta])* async fn $name:ident($server:ident) with_sessions($limits:expr) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $server =
                    crate::harness::TestServer::start_with(crate::harness::TestDb::sqlite(), $limits).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = crate::harness::TestDb::postgres().await else {
                    return;
                };
                let $server = crate::harness::TestServer::start_with(db, $limits).await;
                $body
            }
        }
    };
}
pub(crate) use both_backends;

pub(crate) use crate::test_db::TestDb;

/// The server running on a real socket, with an administrator's token.
pub(crate) struct TestServer {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) admin: String,
    pub(crate) store: Arc<Store>,
    _db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Another server on the same database (see [`TestServer::second_instance`]).
pub(crate) struct Instance {
    pub(crate) base: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Instance {
    /// The status of a request with `token` to this instance.
    pub(crate) async fn status(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> StatusCode {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("answered").status()
    }
}

/// An answer: status and JSON body (`null` when the body is not JSON).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
    pub(crate) headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The error code of an error answer.
    pub(crate) fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }
}

/// Serves the API over `store` with the built-in framework on a free port
/// of 127.0.0.1: its base URL, and the sender that stops it.
async fn serve_on_free_port(
    store: Arc<Store>,
    limits: auth::SessionLimits,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let state = AppState::new(store, climb_framework::builtin().clone())
        .await
        .expect("state")
        .with_session_limits(limits);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(climb_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    (format!("http://{addr}"), stop)
}

impl TestServer {
    /// Opens the store on `db`, serves on a free port with web sessions
    /// lasting as `limits` say, and creates an administrator.
    pub(crate) async fn start_with(db: TestDb, limits: auth::SessionLimits) -> Self {
        let store = Arc::new(Store::open(&db.url).await.expect("store opens"));
        let (base, stop) = serve_on_free_port(Arc::clone(&store), limits).await;
        let (_, admin) = climb_server::create_admin(&store, "root@example.com", "Root", None)
            .await
            .expect("administrator");
        Self {
            base,
            client: reqwest::Client::new(),
            admin,
            store,
            _db: db,
            stop: Some(stop),
        }
    }

    /// A second instance of the server on the same database, as a company
    /// running several behind a load balancer does; it stops when dropped.
    pub(crate) async fn second_instance(&self) -> Instance {
        let store = Arc::new(Store::open(&self._db.url).await.expect("store opens"));
        let (base, stop) = serve_on_free_port(store, auth::SessionLimits::default()).await;
        Instance { base, _stop: stop }
    }

    /// The database URL, for a second process on the same database.
    pub(crate) fn db_url(&self) -> String {
        self._db.url.clone()
    }

    /// Holds the database's writers' lock on a connection of its own, so
    /// that the writes requests make queue up until it is released.
    pub(crate) async fn hold_writers_lock(&self) -> crate::test_db::WritersLock {
        self._db.hold_writers_lock().await
    }

    /// The full URL of a path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request is answered");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            headers,
        }
    }

    pub(crate) async fn get(&self, token: &str, path: &str) -> Answer {
        self.send(reqwest::Method::GET, Some(token), path, None)
            .await
    }

    /// A body that is not JSON (metrics, the chart), read as the administrator.
    pub(crate) async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .bearer_auth(&self.admin)
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .expect("text")
    }

    pub(crate) async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, Some(token), path, Some(body))
            .await
    }

    pub(crate) async fn put(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, Some(token), path, Some(body))
            .await
    }

    pub(crate) async fn delete(&self, token: &str, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, Some(token), path, None)
            .await
    }

    /// Hires someone through the API as the administrator; returns their id.
    pub(crate) async fn hire(&self, name: &str, role: &str, manager: Option<i64>) -> i64 {
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let answer = self
            .post(
                &self.admin,
                "/api/v1/people",
                json!({"name": name, "email": email, "role": role, "manager": manager, "start_date": "2024-01-01"}),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "hire {name}: {}",
            answer.body
        );
        answer.body["id"].as_i64().expect("id")
    }

    /// Gives a person an account of `kind` and returns a fresh API token for it.
    pub(crate) async fn token_for(&self, person: i64, kind: ActorKind) -> String {
        let found = self
            .store
            .org()
            .await
            .expect("org")
            .person(PersonId(person))
            .map(|p| (p.email.clone(), p.name.clone()))
            .expect("person exists");
        let account = self
            .store
            .create_account(
                climb_people::Actor::admin(None),
                NewAccount {
                    email: Email::parse(found.0.as_str()).expect("email"),
                    name: found.1,
                    person: Some(PersonId(person)),
                    kind,
                    password_hash: None,
                },
            )
            .await
            .expect("account");
        let secret = auth::new_secret(auth::TOKEN_PREFIX).expect("secret");
        self.store
            .create_api_token(account.id, "test", &auth::hash_secret(&secret))
            .await
            .expect("token");
        secret
    }
}
