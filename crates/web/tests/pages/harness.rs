//! The page-test harness: the whole site (pages and API) on 127.0.0.1:0
//! over a fresh SQLite database, with an administrator, a manager and an
//! engineer who can log in with a password.

use std::sync::Arc;

use climb_server::AppState;
use climb_store::Store;
use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

/// Every test account's password.
pub(crate) const PASSWORD: &str = "correct horse battery";

/// The site on a socket, with the ids of the people it was set up with.
pub(crate) struct Site {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) director: i64,
    pub(crate) manager: i64,
    pub(crate) engineer: i64,
    /// The administrator's API token.
    pub(crate) admin: String,
    _dir: tempfile::TempDir,
    /// Whatever must live as long as the site (an identity provider).
    _keep: Option<Box<dyn std::any::Any + Send>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Sets up single sign-on for a site at the base URL it is given: the
/// discovered provider, and what must live as long as the site.
pub(crate) type SsoSetup = Box<
    dyn FnOnce(
            String,
        ) -> std::pin::Pin<
            Box<
                dyn std::future::Future<
                        Output = (climb_server::oidc::Oidc, Box<dyn std::any::Any + Send>),
                    > + Send,
            >,
        > + Send,
>;

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
    pub(crate) headers: header::HeaderMap,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    pub(crate) fn location(&self) -> String {
        self.header("location")
    }

    pub(crate) fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// `name=value` of the cookie `name` among `Set-Cookie` lines.
pub(crate) fn cookie_value(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// The session id of a `climb_session=…` cookie, usable as a bearer token.
pub(crate) fn session_of(cookie: &str) -> &str {
    cookie.split_once('=').map_or(cookie, |(_, value)| value)
}

/// The CSRF token of the first form of a page.
pub(crate) fn csrf_of(body: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = body.find(marker).expect("a form with a CSRF token") + marker.len();
    body[start..].split('"').next().expect("token").to_owned()
}

impl Site {
    /// Starts the site and sets up its people and logins.
    pub(crate) async fn start() -> Self {
        Self::start_with_sso(None).await
    }

    /// Starts the site, with single sign-on when `sso` is given.
    pub(crate) async fn start_with_sso(sso: Option<SsoSetup>) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("climb.db").display());
        let store = Arc::new(Store::open(&url).await.expect("store opens"));
        let mut state = AppState::new(Arc::clone(&store), climb_framework::builtin().clone())
            .await
            .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut keep = None;
        if let Some(setup) = sso {
            let (oidc, kept) = setup(format!("http://{addr}")).await;
            state = state.with_oidc(oidc);
            keep = Some(kept);
        }
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
        let mut site = Self {
            base: format!("http://{addr}"),
            client,
            director: 0,
            manager: 0,
            engineer: 0,
            admin: admin.clone(),
            _dir: dir,
            _keep: keep,
            stop: Some(stop),
        };
        site.director = site
            .hire(
                &admin,
                "Dana Director",
                "director@example.com",
                "director-of-engineering",
                None,
            )
            .await;
        site.manager = site
            .hire(
                &admin,
                "Grace Manager",
                "manager@example.com",
                "engineering-manager",
                Some(site.director),
            )
            .await;
        site.engineer = site
            .hire(
                &admin,
                "Ada Engineer",
                "engineer@example.com",
                "software-engineer",
                Some(site.manager),
            )
            .await;
        for person in [site.manager, site.engineer] {
            let answer = site
                .api_post(
                    &admin,
                    "/api/v1/accounts",
                    json!({"person": person, "kind": "employee", "password": PASSWORD}),
                )
                .await;
            assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
        }
        site
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs JSON to the API with a bearer token.
    pub(crate) async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("answered");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Calls the API with a bearer token (an API token or a session id).
    pub(crate) async fn api(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("answered");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Hires a person through the API as the administrator and gives them
    /// a login; returns their id.
    pub(crate) async fn hire_with_login(
        &self,
        name: &str,
        email: &str,
        role: &str,
        manager: Option<i64>,
    ) -> i64 {
        let id = self.hire(&self.admin, name, email, role, manager).await;
        self.give_login(id).await;
        id
    }

    /// Opens a review cycle for everyone below the manager, named `name`,
    /// over the half-year starting on `start` (`YYYY-MM-DD`); returns the
    /// API's answer, asserting it was created.
    pub(crate) async fn open_cycle_below_manager(
        &self,
        name: &str,
        start: &str,
        end: &str,
    ) -> Value {
        let (status, body) = self
            .api(
                reqwest::Method::POST,
                &self.admin,
                "/api/v1/review-cycles",
                Some(
                    json!({"name": name, "period_start": start, "period_end": end,
                    "scope": {"kind": "below", "manager": self.manager}}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Gives `person` a login with [`PASSWORD`] (the director has none).
    pub(crate) async fn give_login(&self, person: i64) {
        let answer = self
            .api_post(
                &self.admin,
                "/api/v1/accounts",
                json!({"person": person, "kind": "employee", "password": PASSWORD}),
            )
            .await;
        assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    }

    async fn hire(
        &self,
        admin: &str,
        name: &str,
        email: &str,
        role: &str,
        manager: Option<i64>,
    ) -> i64 {
        let (status, body) = self
            .api_post(
                admin,
                "/api/v1/people",
                json!({"name": name, "email": email, "role": role, "manager": manager, "start_date": "2024-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "hire {name}: {body}");
        body["id"].as_i64().expect("id")
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("body");
        Answer {
            status,
            headers,
            body,
        }
    }

    /// GETs a page with an optional cookie header.
    pub(crate) async fn get(&self, cookie: Option<&str>, path: &str) -> Answer {
        let mut request = self.client.get(self.url(path));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        Self::answer(request.send().await.expect("answered")).await
    }

    /// GETs a fragment the way htmx does.
    pub(crate) async fn htmx(&self, cookie: &str, path: &str) -> Answer {
        let request = self
            .client
            .get(self.url(path))
            .header(header::COOKIE, cookie)
            .header("hx-request", "true");
        Self::answer(request.send().await.expect("answered")).await
    }

    /// Sends the request `build` makes and reads the answer. A body over a
    /// limit is refused before it is read, and the server then closes the
    /// connection; when that close reaches the client while it is still
    /// writing, the answer is lost with it, so the request is sent again
    /// (at most three times) until its answer is read.
    pub(crate) async fn send_oversized(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Answer {
        let mut attempt = 1;
        loop {
            match build(&self.client).send().await {
                Ok(response) => return Self::answer(response).await,
                Err(error) if attempt < 3 => {
                    eprintln!("attempt {attempt} lost its answer: {error}");
                    attempt += 1;
                }
                Err(error) => panic!("no answer after {attempt} attempts: {error}"),
            }
        }
    }

    /// POSTs a form.
    pub(crate) async fn post_form(
        &self,
        cookie: Option<&str>,
        path: &str,
        form: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.client.post(self.url(path)).form(form);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        Self::answer(request.send().await.expect("answered")).await
    }

    /// POSTs `multipart/form-data`: each part is a name, a file name for a
    /// file part, and its bytes.
    pub(crate) async fn post_multipart(
        &self,
        cookie: &str,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Answer {
        let boundary = "climb-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(file) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send_oversized(|client| {
            client
                .post(self.url(path))
                .header(header::COOKIE, cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(body.clone())
        })
        .await
    }

    /// The login page's CSRF cookie (`name=value`) and the form's token.
    pub(crate) async fn login_form(&self) -> (String, String) {
        let page = self.get(None, "/login").await;
        let cookie = cookie_value(&page.set_cookies(), "climb_csrf").expect("a CSRF cookie");
        (cookie, csrf_of(&page.body))
    }

    /// Logs in through the form; returns the session cookie (`name=value`).
    pub(crate) async fn login(&self, email: &str) -> String {
        let (cookie, token) = self.login_form().await;
        let answer = self
            .post_form(
                Some(&cookie),
                "/login",
                &[
                    ("csrf", token.as_str()),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "login {email}: {}",
            answer.body
        );
        cookie_value(&answer.set_cookies(), "climb_session").expect("a session cookie")
    }
}
