//! The company every cell of the matrix runs against, built through the
//! API on a real socket, and the facts about it that the rules read.
//!
//! ```text
//! Dana (director) ── Max (manager) ── Eve, Pam
//!                 ├─ Mia (manager) ── Sam
//!                 └─ Fred (manager) ── Fay        (Fred managed Eve before Max)
//! Hana (HR, no manager)        the administrator (not a person)
//! ```
//!
//! Each of the four targets (Eve, Max, Pam, Sam) has a login, a meeting with
//! their manager holding an agenda item and an action, a goal, a review in
//! the open cycle, a decided promotion proposal and a calendar feed.

use std::collections::HashMap;
use std::sync::Arc;

use climb_server::AppState;
use climb_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::test_db::TestDb;

/// The password of every login of the company.
pub(crate) const PASSWORD: &str = "correct horse battery";

/// The people of the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Who {
    Dana,
    Max,
    Mia,
    Fred,
    Fay,
    Eve,
    Pam,
    Sam,
    Hana,
}

impl Who {
    const ALL: [Who; 9] = [
        Who::Dana,
        Who::Max,
        Who::Mia,
        Who::Fred,
        Who::Fay,
        Who::Eve,
        Who::Pam,
        Who::Sam,
        Who::Hana,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Who::Dana => "Dana",
            Who::Max => "Max",
            Who::Mia => "Mia",
            Who::Fred => "Fred",
            Who::Fay => "Fay",
            Who::Eve => "Eve",
            Who::Pam => "Pam",
            Who::Sam => "Sam",
            Who::Hana => "Hana",
        }
    }

    pub(crate) fn email(self) -> String {
        format!("{}@example.com", self.name().to_lowercase())
    }

    pub(crate) fn role(self) -> &'static str {
        match self {
            Who::Dana => "director-of-engineering",
            Who::Max | Who::Mia | Who::Fred => "engineering-manager",
            Who::Hana => "senior-software-engineer",
            Who::Fay | Who::Eve | Who::Pam | Who::Sam => "software-engineer",
        }
    }

    /// The manager today.
    pub(crate) fn manager(self) -> Option<Who> {
        match self {
            Who::Max | Who::Mia | Who::Fred => Some(Who::Dana),
            Who::Eve | Who::Pam => Some(Who::Max),
            Who::Sam => Some(Who::Mia),
            Who::Fay => Some(Who::Fred),
            Who::Dana | Who::Hana => None,
        }
    }

    /// The manager at hiring, where it was someone else.
    fn first_manager(self) -> Option<Who> {
        match self {
            Who::Eve => Some(Who::Fred),
            other => other.manager(),
        }
    }

    /// Whether `self` is above `other` in today's reporting tree.
    pub(crate) fn is_above(self, other: Who) -> bool {
        let mut next = other.manager();
        while let Some(manager) = next {
            if manager == self {
                return true;
            }
            next = manager.manager();
        }
        false
    }

    /// Whether anyone reports to `self`.
    pub(crate) fn has_reports(self) -> bool {
        Who::ALL.iter().any(|w| w.manager() == Some(self))
    }
}

/// The four people the person-scoped routes are tried on.
pub(crate) const TARGETS: [Who; 4] = [Who::Eve, Who::Max, Who::Pam, Who::Sam];

/// What each target holds, by id.
#[derive(Debug, Default, Clone)]
pub(crate) struct Holdings {
    pub(crate) account: i64,
    pub(crate) meeting: i64,
    pub(crate) agenda_item: i64,
    pub(crate) action: i64,
    pub(crate) goal: i64,
    pub(crate) review: i64,
    pub(crate) proposal: i64,
    pub(crate) calendar: String,
}

/// The company on a running site.
pub(crate) struct Company {
    pub(crate) base: String,
    pub(crate) client: reqwest::Client,
    pub(crate) ids: HashMap<Who, i64>,
    /// Session ids: every person with a login, and the administrator under `None`.
    pub(crate) sessions: HashMap<Option<Who>, String>,
    /// Eve's personal API token.
    pub(crate) eve_token: String,
    /// An identity provider's SCIM token.
    pub(crate) scim_token: String,
    /// The id of a SCIM token already revoked (revoking it again changes nothing).
    pub(crate) revoked_scim_token: i64,
    pub(crate) holdings: HashMap<Who, Holdings>,
    pub(crate) open_project: i64,
    pub(crate) closed_project: i64,
    pub(crate) open_cycle: i64,
    pub(crate) closed_cycle: i64,
    /// A cancelled opening on Max's team.
    pub(crate) opening: i64,
    /// A webhook subscription to hires (nothing delivers in these tests).
    pub(crate) webhook: i64,
    /// One of its deliveries.
    pub(crate) webhook_delivery: i64,
    _db: TestDb,
    /// The identity provider the site's single sign-on points at.
    _provider: crate::provider::Provider,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Company {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How a request authenticates.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    None,
    /// `Authorization: Bearer`.
    Bearer(String),
    /// The `climb_session` cookie, as a browser sends it.
    Session(String),
}

/// The CSRF token a page form carries.
#[derive(Debug, Clone)]
pub(crate) enum Csrf {
    /// Derived from the session.
    Session(String),
    /// The login form's: the same value in the `climb_csrf` cookie.
    LoginForm(String),
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

fn days_from_today(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// Evidence for every competency `role` expects.
fn evidence(role: &str) -> Value {
    let framework = climb_framework::builtin();
    let mut map = Map::new();
    for e in &framework.role(role).expect("role").expectations {
        map.insert(e.competency.to_string(), json!("led the work"));
    }
    Value::Object(map)
}

impl Company {
    /// Starts the site on `db` and builds the company.
    pub(crate) async fn start(db: TestDb) -> Self {
        let store = Arc::new(Store::open(&db.url).await.expect("store opens"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        // Single sign-on is on, so that its routes answer as in production.
        let provider = crate::provider::Provider::start().await;
        let oidc = provider.settings_for(&format!("http://{addr}")).await;
        let state = AppState::new(Arc::clone(&store), climb_framework::builtin().clone())
            .await
            .expect("state")
            .with_oidc(oidc);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(climb_web::serve(listener, state, async {
            let _ = stopped.await;
        }));
        climb_server::create_admin(
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
        let mut company = Self {
            base: format!("http://{addr}"),
            client,
            ids: HashMap::new(),
            sessions: HashMap::new(),
            eve_token: String::new(),
            scim_token: climb_server::scim::create_token(&store, "matrix")
                .await
                .expect("SCIM token")
                .1,
            revoked_scim_token: {
                let (token, _) = climb_server::scim::create_token(&store, "ended")
                    .await
                    .expect("SCIM token");
                store.revoke_scim_token(token.id).await.expect("revoked");
                token.id.0
            },
            holdings: HashMap::new(),
            open_project: 0,
            closed_project: 0,
            open_cycle: 0,
            closed_cycle: 0,
            opening: 0,
            webhook: 0,
            webhook_delivery: 0,
            _db: db,
            _provider: provider,
            stop: Some(stop),
        };
        company.build().await;
        company
    }

    /// Sends a request; `Origin` is always this site's, as a browser sends it.
    pub(crate) async fn send(
        &self,
        method: Method,
        auth: &Auth,
        path: &str,
        body: &Body,
        csrf: Option<&Csrf>,
    ) -> reqwest::Response {
        self.send_from(&self.base, method, auth, path, body, csrf)
            .await
    }

    /// [`Company::send`] with the `Origin` of a page on `origin`.
    pub(crate) async fn send_from(
        &self,
        origin: &str,
        method: Method,
        auth: &Auth,
        path: &str,
        body: &Body,
        csrf: Option<&Csrf>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("origin", origin);
        let mut cookies = Vec::new();
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => request = request.bearer_auth(token),
            Auth::Session(id) => cookies.push(format!("climb_session={id}")),
        }
        match csrf {
            None => {}
            Some(Csrf::Session(token)) => request = request.header("x-csrf-token", token),
            Some(Csrf::LoginForm(token)) => {
                request = request.header("x-csrf-token", token);
                cookies.push(format!("climb_csrf={token}"));
            }
        }
        match body {
            Body::None => {}
            Body::Json(value) => request = request.json(value),
            Body::Form(fields) => request = request.form(fields),
        }
        if !cookies.is_empty() {
            request = request.header("cookie", cookies.join("; "));
        }
        request.send().await.expect("answered")
    }

    /// An API call that must succeed: its JSON body.
    pub(crate) async fn call(
        &self,
        who: Option<Who>,
        method: Method,
        path: &str,
        body: Value,
    ) -> Value {
        let auth = Auth::Session(self.sessions[&who].clone());
        let body = if body.is_null() {
            Body::None
        } else {
            Body::Json(body)
        };
        let answer = self.send(method.clone(), &auth, path, &body, None).await;
        let status = answer.status();
        let json: Value = answer.json().await.unwrap_or(Value::Null);
        assert!(
            status.is_success(),
            "setup: {method} {path} as {who:?} → {status}: {json}"
        );
        json
    }

    /// Logs `who` in (the administrator for `None`): a new session id.
    pub(crate) async fn login(&self, who: Option<Who>) -> String {
        let email = who.map_or_else(|| "admin@example.com".to_owned(), Who::email);
        let answer = self
            .send(
                Method::POST,
                &Auth::None,
                "/api/v1/login",
                &Body::Json(json!({"email": email, "password": PASSWORD})),
                None,
            )
            .await;
        assert_eq!(answer.status(), StatusCode::OK, "login {email}");
        let json: Value = answer.json().await.expect("JSON");
        json["token"].as_str().expect("session id").to_owned()
    }

    /// A new API token of `who`: its id and secret.
    pub(crate) async fn new_token(&self, who: Who) -> (i64, String) {
        let created = self
            .call(
                Some(who),
                Method::POST,
                "/api/v1/tokens",
                json!({"name": "matrix"}),
            )
            .await;
        (
            created["id"].as_i64().expect("token id"),
            created["token"].as_str().expect("secret").to_owned(),
        )
    }

    fn id(&self, who: Who) -> i64 {
        self.ids[&who]
    }

    /// A new webhook subscription (the administrator's); its id.
    pub(crate) async fn new_webhook(&self) -> i64 {
        let created = self
            .call(
                None,
                Method::POST,
                "/api/v1/webhooks",
                json!({"url": "http://127.0.0.1:9/matrix", "events": ["person.left"]}),
            )
            .await;
        created["id"].as_i64().expect("webhook id")
    }

    async fn build(&mut self) {
        self.sessions.insert(None, self.login(None).await);
        let hooked = self
            .call(
                None,
                Method::POST,
                "/api/v1/webhooks",
                json!({"url": "http://127.0.0.1:9/matrix", "events": ["person.hired"]}),
            )
            .await;
        self.webhook = hooked["id"].as_i64().expect("webhook id");
        for who in Who::ALL {
            let manager = who.first_manager().map(|m| self.id(m));
            let hired = self
                .call(
                    None,
                    Method::POST,
                    "/api/v1/people",
                    json!({"name": who.name(), "email": who.email(), "role": who.role(),
                           "manager": manager, "start_date": "2024-01-01"}),
                )
                .await;
            self.ids
                .insert(who, hired["id"].as_i64().expect("person id"));
        }
        // Eve moves from Fred to Max: Fred becomes her former manager.
        let eve = self.id(Who::Eve);
        self.call(
            None,
            Method::PUT,
            &format!("/api/v1/people/{eve}/manager"),
            json!({"manager": self.id(Who::Max)}),
        )
        .await;
        for who in Who::ALL {
            let kind = if who == Who::Hana { "hr" } else { "employee" };
            let account = self
                .call(
                    None,
                    Method::POST,
                    "/api/v1/accounts",
                    json!({"person": self.id(who), "kind": kind, "password": PASSWORD}),
                )
                .await;
            self.holdings.entry(who).or_default().account =
                account["id"].as_i64().expect("account id");
            self.sessions.insert(Some(who), self.login(Some(who)).await);
        }
        self.eve_token = self.new_token(Who::Eve).await.1;

        let closed = self
            .call(
                Some(Who::Hana),
                Method::POST,
                "/api/v1/review-cycles",
                json!({"name": "2025", "period_start": "2025-01-01", "period_end": "2025-12-31",
                       "scope": {"kind": "everyone"}}),
            )
            .await;
        self.closed_cycle = closed["cycle"]["id"].as_i64().expect("cycle");
        self.call(
            Some(Who::Hana),
            Method::POST,
            &format!("/api/v1/review-cycles/{}/close", self.closed_cycle),
            json!({}),
        )
        .await;
        let open = self
            .call(
                Some(Who::Hana),
                Method::POST,
                "/api/v1/review-cycles",
                json!({"name": "2026", "period_start": "2026-01-01", "period_end": "2026-12-31",
                       "scope": {"kind": "everyone"}}),
            )
            .await;
        self.open_cycle = open["cycle"]["id"].as_i64().expect("cycle");

        for target in TARGETS {
            let id = self.id(target);
            let manager = target.manager().expect("every target has a manager");
            let next = self
                .call(
                    Some(manager),
                    Method::PUT,
                    &format!("/api/v1/people/{id}/one-on-ones/schedule"),
                    json!({"cadence": "weekly", "first_date": days_from_today(7), "time": "10:00",
                           "time_zone": "UTC", "minutes": 30}),
                )
                .await;
            let meeting = next["next"]["id"].as_i64().expect("next meeting");
            let item = self
                .call(
                    Some(target),
                    Method::POST,
                    &format!("/api/v1/one-on-ones/{meeting}/agenda"),
                    json!({"text": "Conference budget"}),
                )
                .await;
            let action = self
                .call(
                    Some(manager),
                    Method::POST,
                    &format!("/api/v1/one-on-ones/{meeting}/actions"),
                    json!({"text": "Pick a mentor", "owner": id, "due": days_from_today(14)}),
                )
                .await;
            let goal = self
                .call(
                    Some(target),
                    Method::POST,
                    &format!("/api/v1/people/{id}/goals"),
                    json!({"text": "Give a talk"}),
                )
                .await;
            let reviews = self
                .call(
                    None,
                    Method::GET,
                    &format!("/api/v1/people/{id}/reviews"),
                    Value::Null,
                )
                .await;
            let review = reviews["reviews"]
                .as_array()
                .and_then(|all| all.iter().find(|r| r["cycle"] == self.open_cycle))
                .and_then(|r| r["id"].as_i64())
                .expect("a review in the open cycle");
            let to_role = if target == Who::Max {
                "director-of-engineering"
            } else {
                "senior-software-engineer"
            };
            let proposal = self
                .call(
                    Some(manager),
                    Method::POST,
                    &format!("/api/v1/people/{id}/promotion-proposals"),
                    json!({"to_role": to_role, "evidence": evidence(to_role)}),
                )
                .await;
            let proposal = proposal["id"].as_i64().expect("proposal");
            self.call(
                Some(Who::Hana),
                Method::POST,
                &format!("/api/v1/promotion-proposals/{proposal}/reject"),
                json!({"comment": "not yet"}),
            )
            .await;
            let feed = self
                .call(
                    Some(target),
                    Method::POST,
                    &format!("/api/v1/people/{id}/calendar-feed"),
                    json!({}),
                )
                .await;
            let holdings = self.holdings.entry(target).or_default();
            holdings.meeting = meeting;
            holdings.agenda_item = item["id"].as_i64().expect("agenda item");
            holdings.action = action["id"].as_i64().expect("action");
            holdings.goal = goal["id"].as_i64().expect("goal");
            holdings.review = review;
            holdings.proposal = proposal;
            holdings.calendar = feed["token"].as_str().expect("feed").to_owned();
        }

        let project = |name: &str| json!({"name": name});
        self.open_project = self
            .call(None, Method::POST, "/api/v1/projects", project("Atlas"))
            .await["id"]
            .as_i64()
            .expect("project");
        self.closed_project = self
            .call(None, Method::POST, "/api/v1/projects", project("Done"))
            .await["id"]
            .as_i64()
            .expect("project");
        self.call(
            None,
            Method::POST,
            &format!("/api/v1/projects/{}/close", self.closed_project),
            json!({}),
        )
        .await;
        let opening = self
            .call(
                None,
                Method::POST,
                "/api/v1/openings",
                json!({"manager": self.id(Who::Max), "role": "software-engineer"}),
            )
            .await;
        self.opening = opening["id"].as_i64().expect("opening");
        let deliveries = self
            .call(
                None,
                Method::GET,
                &format!("/api/v1/webhooks/{}/deliveries", self.webhook),
                Value::Null,
            )
            .await;
        self.webhook_delivery = deliveries["deliveries"][0]["id"]
            .as_i64()
            .expect("a hire's delivery");
        self.call(
            None,
            Method::POST,
            &format!("/api/v1/openings/{}/cancel", self.opening),
            json!({}),
        )
        .await;
    }

    /// The id of a person.
    pub(crate) fn person(&self, who: Who) -> i64 {
        self.id(who)
    }

    /// What a target holds.
    pub(crate) fn of(&self, who: Who) -> &Holdings {
        &self.holdings[&who]
    }
}
