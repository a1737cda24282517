//! Signing in through a real OpenID provider (the `oidc-provider` package,
//! run by `scripts/oidc-provider.mjs`) in Chromium: the login page's button,
//! the provider's own login form, and back on climb's home page as the
//! right person. Skipped without the package (`CLIMB_OIDC_PROVIDER_DIR`)
//! unless `CLIMB_REQUIRE_OIDC=1`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::harness::{Site, SsoSetup};
use crate::webdriver::Browser;

const CLIENT_ID: &str = "climb-browser-test";
const CLIENT_SECRET: &str = "climb-browser-test-secret";

/// The provider process; killed when dropped.
struct NodeProvider {
    child: Child,
    issuer: String,
}

impl Drop for NodeProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the provider package is installed, or `None` (skip) when it is not.
fn provider_dir() -> Option<String> {
    match std::env::var("CLIMB_OIDC_PROVIDER_DIR") {
        Ok(dir)
            if std::path::Path::new(&dir)
                .join("node_modules/oidc-provider")
                .is_dir() =>
        {
            Some(dir)
        }
        _ => {
            assert!(
                std::env::var("CLIMB_REQUIRE_OIDC").as_deref() != Ok("1"),
                "CLIMB_REQUIRE_OIDC=1 but CLIMB_OIDC_PROVIDER_DIR does not hold oidc-provider (scripts/test installs it)"
            );
            eprintln!("skipped: CLIMB_OIDC_PROVIDER_DIR does not hold oidc-provider");
            None
        }
    }
}

impl NodeProvider {
    /// Starts the provider for a site at `base`.
    fn start(dir: &str, base: &str) -> Self {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/oidc-provider.mjs"
        );
        let mut child = Command::new("node")
            .arg(script)
            .args([
                CLIENT_ID,
                CLIENT_SECRET,
                &format!("{base}/login/oidc/callback"),
            ])
            .env("CLIMB_OIDC_PROVIDER_DIR", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("the provider prints its issuer");
        // Keep reading, so that the provider never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let issuer = line
            .trim()
            .strip_prefix("issuer ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { child, issuer }
    }
}

fn sso(dir: String) -> SsoSetup {
    Box::new(move |base: String| {
        Box::pin(async move {
            let provider = NodeProvider::start(&dir, &base);
            let oidc = climb_server::oidc::Oidc::discover(climb_server::oidc::OidcSettings {
                issuer: provider.issuer.clone(),
                client_id: CLIENT_ID.to_owned(),
                client_secret: climb_server::oidc::ClientSecret::new(CLIENT_SECRET),
                scopes: vec!["openid".into(), "email".into()],
                email_claim: "email".into(),
                email_verified_claim: "email_verified".into(),
                public_url: base.parse().expect("url"),
                provider_name: "Node ID".into(),
            })
            .await
            .expect("discovery of the provider");
            let kept: Box<dyn std::any::Any + Send> = Box::new(provider);
            (oidc, kept)
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_through_the_identity_providers_login_form() {
    let Some(dir) = provider_dir() else {
        return;
    };
    let site = Site::start_with_sso(Some(sso(dir))).await;
    let Some(browser) = Browser::start(1366, 900).await else {
        return;
    };
    browser.goto(&site.url("/login")).await;
    let button = browser
        .wait_for_text("a.button-link", "Sign in with Node ID")
        .await;
    assert!(button.contains("Node ID"), "{button}");
    browser.screenshot("sso-login-button").await;
    let link = browser.wait_for("a.button-link").await;
    browser.click(&link).await;
    // The provider's own login form: any login name, any password.
    let login = browser.wait_for("input[name=login]").await;
    browser.type_into(&login, "engineer@example.com").await;
    let password = browser.wait_for("input[name=password]").await;
    browser.type_into(&password, "anything").await;
    let submit = browser.wait_for("button[type=submit]").await;
    browser.click(&submit).await;
    // Then its consent page, unless it skips it.
    for _ in 0..50 {
        if browser.url().await.starts_with(&site.base) {
            break;
        }
        if let Some(consent) = browser.find("button[type=submit]").await {
            browser.click(&consent).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let who = browser.wait_for_text(".top .who", "Ada Engineer").await;
    assert!(who.contains("Ada Engineer"), "{who}");
    assert!(
        browser.url().await.trim_end_matches('/') == site.base,
        "{}",
        browser.url().await
    );
    browser.wait_for("#inbox-title").await;
    browser.screenshot("sso-signed-in").await;
    browser.quit().await;
}
