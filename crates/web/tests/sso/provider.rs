//! A small OpenID provider for the tests, on 127.0.0.1:0: discovery, keys,
//! an authorization endpoint that signs in whoever the test says at once,
//! and a token endpoint that checks the PKCE verifier and answers an ID
//! token crafted as the test asks (wrong audience, expired, signed with
//! another key…). The RSA keys under `keys/` are test fixtures, used
//! nowhere else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use openidconnect::core::{
    CoreGenderClaim, CoreIdToken, CoreIdTokenClaims, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserEmail, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

const FIRST_KEY: &str = include_str!("keys/first.pem");
const SECOND_KEY: &str = include_str!("keys/second.pem");
/// The client the site is registered as.
pub(crate) const CLIENT_ID: &str = "climb-test";
/// Its secret.
pub(crate) const CLIENT_SECRET: &str = "climb-test-secret";

/// How the next ID token is made.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) email: String,
    /// `Some(true)` verified, `Some(false)` not, `None`: claim left out.
    pub(crate) email_verified: Option<bool>,
    pub(crate) audience: String,
    pub(crate) issuer: Option<String>,
    pub(crate) expired: bool,
    /// Sign with the key the provider does not publish, under the kid of the published one.
    pub(crate) forged: bool,
    /// Put the nonce of the first login this provider saw instead of this one's.
    pub(crate) replay_first_nonce: bool,
}

impl Token {
    pub(crate) fn for_email(email: &str) -> Self {
        Self {
            email: email.to_owned(),
            email_verified: Some(true),
            audience: CLIENT_ID.to_owned(),
            issuer: None,
            expired: false,
            forged: false,
            replay_first_nonce: false,
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    token: Option<Token>,
    /// Codes handed out: nonce and PKCE challenge.
    codes: HashMap<String, (String, String)>,
    first_nonce: Option<String>,
    /// Whether the second key is the published one (rotation).
    rotated: bool,
}

/// The provider; cloning shares it.
#[derive(Clone)]
pub(crate) struct Provider {
    pub(crate) issuer: String,
    inner: Arc<Mutex<Inner>>,
    stop: Arc<Mutex<Option<tokio::sync::oneshot::Sender<()>>>>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        if Arc::strong_count(&self.stop) == 1
            && let Some(stop) = self.stop.lock().ok().and_then(|mut s| s.take())
        {
            let _ = stop.send(());
        }
    }
}

fn key(rotated: bool) -> (CoreRsaPrivateSigningKey, &'static str) {
    let (pem, kid) = if rotated {
        (SECOND_KEY, "second")
    } else {
        (FIRST_KEY, "first")
    };
    (
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned())))
            .expect("test key"),
        kid,
    )
}

impl Provider {
    pub(crate) async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let provider = Self {
            issuer,
            inner: Arc::new(Mutex::new(Inner::default())),
            stop: Arc::new(Mutex::new(Some(stop))),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(provider.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        provider
    }

    /// Single sign-on for a site at `base` with this provider, discovered.
    pub(crate) async fn settings_for(&self, base: &str) -> climb_server::oidc::Oidc {
        climb_server::oidc::Oidc::discover(climb_server::oidc::OidcSettings {
            issuer: self.issuer.clone(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: climb_server::oidc::ClientSecret::new(CLIENT_SECRET),
            scopes: vec!["openid".into(), "email".into()],
            email_claim: "email".into(),
            email_verified_claim: "email_verified".into(),
            public_url: base.parse().expect("url"),
            provider_name: "Test ID".into(),
        })
        .await
        .expect("discovery")
    }

    /// The ID token the next login gets.
    pub(crate) fn will_sign_in(&self, token: Token) {
        self.inner.lock().expect("lock").token = Some(token);
    }

    /// Publishes the second key instead of the first, and signs with it.
    pub(crate) fn rotate_keys(&self) {
        self.inner.lock().expect("lock").rotated = true;
    }
}

async fn discovery(State(p): State<Provider>) -> Response {
    axum::Json(json!({
        "issuer": p.issuer,
        "authorization_endpoint": format!("{}/authorize", p.issuer),
        "token_endpoint": format!("{}/token", p.issuer),
        "jwks_uri": format!("{}/jwks", p.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

async fn jwks(State(p): State<Provider>) -> Response {
    let rotated = p.inner.lock().expect("lock").rotated;
    let (key, _) = key(rotated);
    axum::Json(json!({ "keys": [key.as_verification_key()] })).into_response()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

async fn authorize(State(p): State<Provider>, Query(q): Query<AuthorizeQuery>) -> Response {
    assert_eq!(q.code_challenge_method, "S256");
    let code = format!("code-{}", q.nonce);
    {
        let mut inner = p.inner.lock().expect("lock");
        inner.first_nonce.get_or_insert_with(|| q.nonce.clone());
        inner
            .codes
            .insert(code.clone(), (q.nonce, q.code_challenge));
    }
    let to = format!(
        "{}?{}",
        q.redirect_uri,
        serde_urlencoded::to_string([("code", code.as_str()), ("state", q.state.as_str())])
            .expect("query")
    );
    Redirect::to(&to).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    code: String,
    code_verifier: String,
}

async fn token(State(p): State<Provider>, Form(form): Form<TokenForm>) -> Response {
    let (nonce, token, rotated, first) = {
        let mut inner = p.inner.lock().expect("lock");
        let Some((nonce, challenge)) = inner.codes.remove(&form.code) else {
            return bad_grant();
        };
        let proof = URL_SAFE_NO_PAD.encode(Sha256::digest(form.code_verifier.as_bytes()));
        if proof != challenge {
            return bad_grant();
        }
        (
            nonce,
            inner.token.clone().expect("the test set a token"),
            inner.rotated,
            inner.first_nonce.clone(),
        )
    };
    let now = Utc::now();
    let (issued, expires) = if token.expired {
        (now - Duration::hours(2), now - Duration::hours(1))
    } else {
        (now, now + Duration::minutes(5))
    };
    let issuer = token.issuer.clone().unwrap_or_else(|| p.issuer.clone());
    let standard = StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(format!(
        "sub-{}",
        token.email
    )))
    .set_email(Some(EndUserEmail::new(token.email.clone())))
    .set_email_verified(token.email_verified);
    let nonce = if token.replay_first_nonce {
        first.unwrap_or(nonce)
    } else {
        nonce
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer"),
        vec![Audience::new(token.audience.clone())],
        expires,
        issued,
        standard,
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let signer = if token.forged {
        // The unpublished key, under the published key's id.
        let (_, kid) = key(rotated);
        let pem = if rotated { FIRST_KEY } else { SECOND_KEY };
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(kid.to_owned())))
            .expect("test key")
    } else {
        key(rotated).0
    };
    let id_token = CoreIdToken::new(
        claims,
        &signer,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .expect("signed");
    axum::Json(json!({
        "access_token": "test-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

fn bad_grant() -> Response {
    (
        axum::http::StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": "invalid_grant" })),
    )
        .into_response()
}
