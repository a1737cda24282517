//! A small WebDriver client over reqwest: enough to drive headless
//! Chromium through chromedriver (navigate, find, click, type, run a
//! script, read the console, take screenshots) without another HTTP stack.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The W3C key of an element reference in answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long `wait_*` calls wait.
const PATIENCE: Duration = Duration::from_secs(10);

/// How many times a Chromium that exits while it starts is started again.
const SESSION_ATTEMPTS: u32 = 3;

/// WebDriver's key codes for the keys the keyboard tests press.
pub(crate) const TAB: &str = "\u{E004}";
pub(crate) const ENTER: &str = "\u{E007}";
pub(crate) const ARROW_DOWN: &str = "\u{E015}";

/// Where the browser and its driver are: `CLIMB_CHROMIUM` and
/// `CLIMB_CHROMEDRIVER`, else Debian's paths.
fn binaries() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("CLIMB_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let driver = std::env::var_os("CLIMB_CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    (chromium.exists() && driver.exists()).then_some((chromium, driver))
}

/// chromedriver on a free local port, and one browser session in it.
pub(crate) struct Browser {
    http: reqwest::Client,
    session: String,
    base: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// An element of the page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

impl Element {
    /// The element as a script argument.
    pub(crate) fn as_argument(&self) -> Value {
        json!({ ELEMENT: self.0 })
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium window of `width` ×
    /// `height`. `None` (the test is skipped) when they are not installed,
    /// unless `CLIMB_REQUIRE_BROWSER=1`, which makes it a failure.
    pub(crate) async fn start(width: u32, height: u32) -> Option<Self> {
        let Some((chromium, driver)) = binaries() else {
            assert!(
                std::env::var("CLIMB_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "CLIMB_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed"
            );
            eprintln!("skipped: chromium and chromedriver are not installed");
            return None;
        };
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("address").port()
        };
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut profile = tempfile::tempdir().expect("profile directory");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = http
                .get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .map(|r| r.status().is_success())
                .unwrap_or(false);
            if ready {
                break;
            }
            assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Chromium now and then exits while it starts on a loaded machine
        // ("session not created: Chrome instance exited"); that is the
        // machine, not the page under test, so the start is tried again
        // with a fresh profile.
        let mut attempt = 1;
        let session = loop {
            let mut options = json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run",
                    "--disable-dev-shm-usage", "--hide-scrollbars",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            });
            // A headless window is never narrower than 500 px: phones are emulated.
            if width < 500 {
                options["mobileEmulation"] = json!({"deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0, "touch": true,
                }});
            }
            let capabilities = json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:loggingPrefs": {"browser": "ALL"},
                "goog:chromeOptions": options,
            }}});
            let answer: Value = http
                .post(format!("{base}/session"))
                .json(&capabilities)
                .send()
                .await
                .expect("session request")
                .json()
                .await
                .expect("session answer");
            if let Some(session) = answer["value"]["sessionId"].as_str() {
                break session.to_owned();
            }
            let not_created = answer["value"]["error"] == "session not created";
            assert!(
                not_created && attempt < SESSION_ATTEMPTS,
                "no session after {attempt} attempts: {answer}"
            );
            eprintln!("chromium did not start (attempt {attempt}), trying again: {answer}");
            attempt += 1;
            profile = tempfile::tempdir().expect("profile directory");
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        Some(Self {
            http,
            session,
            base,
            driver: child,
            _profile: profile,
        })
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request
            .send()
            .await
            .expect("webdriver answers")
            .json()
            .await
            .expect("webdriver JSON");
        answer["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Shows pages as a visitor who asked for a dark colour scheme does
    /// (`prefers-color-scheme: dark`), through Chromium's DevTools protocol.
    pub(crate) async fn prefer_dark(&self) {
        let answer = self
            .post(
                "/goog/cdp/execute",
                json!({"cmd": "Emulation.setEmulatedMedia",
                       "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}}),
            )
            .await;
        assert!(answer.is_object(), "dark colour scheme: {answer}");
    }

    /// Opens `url` and waits for it to load.
    pub(crate) async fn goto(&self, url: &str) {
        let answer = self.post("/url", json!({ "url": url })).await;
        assert!(answer.is_null(), "navigate to {url}: {answer}");
    }

    /// The current address.
    pub(crate) async fn url(&self) -> String {
        self.get("/url").await.as_str().unwrap_or("").to_owned()
    }

    /// The first element matching `css`, if any now.
    pub(crate) async fn find(&self, css: &str) -> Option<Element> {
        let answer = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        answer[ELEMENT].as_str().map(|id| Element(id.to_owned()))
    }

    /// Waits for an element matching `css`.
    pub(crate) async fn wait_for(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            assert!(started.elapsed() < PATIENCE, "no element matches `{css}`");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of the element matching `css` contains `text`.
    pub(crate) async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(element) = self.find(css).await {
                let seen = self.text(&element).await;
                if seen.contains(text) {
                    return seen;
                }
                assert!(
                    started.elapsed() < PATIENCE,
                    "`{css}` never contained {text:?}; it reads {seen:?}"
                );
            } else {
                assert!(started.elapsed() < PATIENCE, "no element matches `{css}`");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks an element.
    pub(crate) async fn click(&self, element: &Element) {
        let answer = self
            .post(&format!("/element/{}/click", element.0), json!({}))
            .await;
        assert!(answer.is_null(), "click: {answer}");
    }

    /// Presses `keys` one after another on whatever has the focus, as a
    /// keyboard does (WebDriver key codes such as [`TAB`] and [`ENTER`]).
    pub(crate) async fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|key| {
                let key = key.to_string();
                [
                    json!({"type": "keyDown", "value": key}),
                    json!({"type": "keyUp", "value": key}),
                ]
            })
            .collect();
        let answer = self
            .post(
                "/actions",
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
            )
            .await;
        assert!(answer.is_null(), "keys: {answer}");
    }

    /// The id of the element that has the focus (empty when it has none).
    pub(crate) async fn focused_id(&self) -> String {
        self.script(
            "return document.activeElement ? document.activeElement.id : '';",
            json!([]),
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
    }

    /// Presses Tab until the element with `id` has the focus, as someone
    /// without a mouse would; fails after `most` presses.
    pub(crate) async fn tab_to(&self, id: &str, most: usize) {
        for _ in 0..most {
            if self.focused_id().await == id {
                return;
            }
            self.press(TAB).await;
        }
        assert_eq!(self.focused_id().await, id, "Tab never reached #{id}");
    }

    /// Types `text` into an element (WebDriver key codes allowed).
    pub(crate) async fn type_into(&self, element: &Element, text: &str) {
        let answer = self
            .post(
                &format!("/element/{}/value", element.0),
                json!({ "text": text }),
            )
            .await;
        assert!(answer.is_null(), "type: {answer}");
    }

    /// The rendered text of an element.
    pub(crate) async fn text(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/text", element.0))
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and
    /// returns its value.
    pub(crate) async fn script(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args}))
            .await
    }

    /// Browser console entries at level SEVERE (errors, CSP violations)
    /// since the last call.
    pub(crate) async fn console_errors(&self) -> Vec<String> {
        let entries = self.post("/se/log", json!({"type": "browser"})).await;
        entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a screenshot of the viewport as `target/screenshots/NAME.png`.
    pub(crate) async fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.get("/screenshot").await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or(""))
            .expect("a base64 PNG");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).expect("screenshot written");
        path
    }

    /// Ends the session (the driver stops when dropped).
    pub(crate) async fn quit(self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
    }
}
