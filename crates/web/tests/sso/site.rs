//! The site with single sign-on configured against a test provider, on
//! 127.0.0.1:0 over a fresh database, and a browser-like client that
//! follows the login by hand: each redirect and each cookie is checked.

use std::sync::Arc;

use climb_server::AppState;
use climb_store::Store;
use reqwest::StatusCode;
use serde_json::json;

use crate::provider::Provider;
use crate::test_db::TestDb;

/// Every password login's password.
pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) struct Site {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) store: Arc<Store>,
    pub(crate) admin: String,
    pub(crate) provider: Provider,
    _db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A page answer.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) location: String,
    pub(crate) cookies: Vec<String>,
    pub(crate) body: String,
}

impl Answer {
    /// `name=value` of a cookie this answer sets to a non-empty value.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
            .map(str::to_owned)
    }
}

impl Site {
    /// Starts a provider and the site signing in with it, with an
    /// administrator (password login) and the people of the tests.
    pub(crate) async fn start(db: TestDb, password_login: bool) -> Self {
        let provider = Provider::start().await;
        let store = Arc::new(Store::open(&db.url).await.expect("store opens"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let base = format!("http://{addr}");
        let oidc = provider.settings_for(&base).await;
        let state = AppState::new(Arc::clone(&store), climb_framework::builtin().clone())
            .await
            .expect("state")
            .with_oidc(oidc)
            .with_password_login(password_login);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(climb_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let (_, admin) = climb_server::create_admin(
            &store,
            "admin@example.com",
            "Alex Admin",
            Some(PASSWORD.to_owned()),
        )
        .await
        .expect("administrator");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base,
            client,
            store,
            admin,
            provider,
            _db: db,
            stop: Some(stop),
        }
    }

    /// Hires a software engineer and gives them an employee login with a password.
    pub(crate) async fn person_with_login(&self, name: &str, email: &str) -> i64 {
        let (status, body) = self
            .api(
                "/api/v1/people",
                json!({"name": name, "email": email, "role": "software-engineer", "start_date": "2024-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = body["id"].as_i64().expect("id");
        let (status, body) = self
            .api(
                "/api/v1/accounts",
                json!({"person": id, "kind": "employee", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        id
    }

    /// POSTs JSON to the API as the administrator.
    pub(crate) async fn api(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.admin)
            .json(&body)
            .send()
            .await
            .expect("answered");
        let status = response.status();
        (status, response.json().await.unwrap_or_default())
    }

    /// GETs an absolute URL with a `Cookie` header.
    pub(crate) async fn get(&self, url: &str, cookie: Option<&str>) -> Answer {
        let mut request = self.client.get(url);
        if let Some(cookie) = cookie {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let response = request.send().await.expect("answered");
        let status = response.status();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let cookies = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let body = response.text().await.expect("body");
        Answer {
            status,
            location,
            cookies,
            body,
        }
    }

    /// Starts a login at the site and lets the provider sign in: the
    /// callback URL the provider sends the browser to, and the state cookie.
    pub(crate) async fn to_provider_and_back(&self, next: &str) -> (String, String) {
        let start = self
            .get(&format!("{}/login/oidc?next={next}", self.base), None)
            .await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
        assert!(
            start
                .location
                .starts_with(&format!("{}/authorize?", self.provider.issuer)),
            "{}",
            start.location
        );
        for part in [
            "code_challenge_method=S256",
            "nonce=",
            "state=",
            "scope=openid",
        ] {
            assert!(
                start.location.contains(part),
                "{part} in {}",
                start.location
            );
        }
        let state_cookie = start.cookie("climb_oidc").expect("state cookie");
        let back = self.get(&start.location, None).await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        assert!(
            back.location
                .starts_with(&format!("{}/login/oidc/callback?", self.base)),
            "{}",
            back.location
        );
        (back.location, state_cookie)
    }

    /// The reasons of the refused logins recorded so far.
    pub(crate) async fn refusals(&self) -> Vec<String> {
        self.store
            .login_refusals()
            .await
            .expect("refusals")
            .into_iter()
            .map(|r| r.reason)
            .collect()
    }
}
