//! The identity provider as discovery found it, and the flow against it.
//! Its signing keys are re-read once when an ID token names a key they do
//! not hold (the provider rotated its keys), at most once a minute.

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreProviderMetadata, CoreTokenResponse,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    JsonWebKeySet, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SignatureVerificationError, TokenResponse as _,
};
use serde_json::Value;

use super::refusal::Refusal;
use super::settings::{OidcError, OidcSettings};
use crate::error::error_chain;

/// Keys are re-read at most this often, however many unknown keys arrive.
const JWKS_REFRESH_EVERY: Duration = Duration::from_secs(60);
/// How long the provider may take to answer.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The configured identity provider; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    redirect: RedirectUrl,
    metadata: RwLock<CoreProviderMetadata>,
    /// When the keys were last re-read.
    refreshed: Mutex<Option<Instant>>,
}

/// A login sent to the provider: where to send the browser, and what to
/// keep until it comes back.
pub struct Begun {
    /// The provider's authorization URL.
    pub url: String,
    /// The state the callback must carry.
    pub state: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier for the token request.
    pub pkce_verifier: String,
}

impl std::fmt::Debug for Begun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Begun").finish_non_exhaustive()
    }
}

/// What a checked ID token says about who logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedLogin {
    /// The email, as the provider gave it.
    pub email: String,
}

impl Oidc {
    /// Reads the provider's discovery document and keys. Fails, naming the
    /// issuer and the reason, when the issuer is not a URL, cannot be
    /// reached, or its document is not valid or names another issuer.
    pub async fn discover(settings: OidcSettings) -> Result<Self, OidcError> {
        let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|e| OidcError::Issuer {
            issuer: settings.issuer.clone(),
            reason: e.to_string(),
        })?;
        let redirect = RedirectUrl::new(settings.redirect_uri())
            .map_err(|_| OidcError::RedirectUri(settings.redirect_uri()))?;
        // No redirects: a provider's endpoints are fetched where they say
        // they are, never where a response would send climb.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| OidcError::Http(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| OidcError::Discovery {
                issuer: settings.issuer.clone(),
                reason: error_chain(&e),
            })?;
        Ok(Self {
            settings,
            http,
            redirect,
            metadata: RwLock::new(metadata),
            refreshed: Mutex::new(None),
        })
    }

    /// The settings it was set up with.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    fn metadata(&self) -> CoreProviderMetadata {
        match self.metadata.read() {
            Ok(m) => m.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose().to_owned(),
            )),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Starts a login: a fresh state, nonce and PKCE pair, and the URL that
    /// sends the browser to the provider with them.
    pub fn begin(&self) -> Begun {
        let client = self.client(self.metadata());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.settings.scopes {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        }
    }

    /// Finishes a login: trades `code` for tokens with the PKCE verifier,
    /// checks the ID token (signature against the provider's keys, issuer,
    /// audience, expiry, `nonce`) and reads the verified email from it.
    pub async fn finish(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<VerifiedLogin, Refusal> {
        let client = self.client(self.metadata());
        let request = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| {
                tracing::warn!(error = %e, "the provider has no token endpoint");
                Refusal::TokenExchange
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let response: CoreTokenResponse = request.request_async(&self.http).await.map_err(|e| {
            tracing::warn!(error = %error_chain(&e), "the provider refused the code");
            Refusal::TokenExchange
        })?;
        let id_token = response.id_token().ok_or(Refusal::NoIdToken)?;
        let nonce = Nonce::new(nonce.to_owned());
        match self.check(&client, id_token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) if self.refresh_keys().await => {
                let client = self.client(self.metadata());
                self.check(&client, id_token, &nonce).map_err(refusal)?;
            }
            other => other.map_err(refusal)?,
        }
        // The token checked, so its payload is the provider's word: read
        // the configured claims from it.
        let claims = payload(id_token).ok_or(Refusal::InvalidToken)?;
        let email = claims
            .get(&self.settings.email_claim)
            .and_then(Value::as_str)
            .filter(|e| !e.trim().is_empty())
            .ok_or(Refusal::NoEmail)?;
        let verified = claims.get(&self.settings.email_verified_claim);
        if verified != Some(&Value::Bool(true)) {
            return Err(Refusal::UnverifiedEmail);
        }
        Ok(VerifiedLogin {
            email: email.trim().to_owned(),
        })
    }

    fn check(
        &self,
        client: &CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<(), ClaimsVerificationError> {
        token.claims(&client.id_token_verifier(), nonce).map(|_| ())
    }

    /// Re-reads the provider's keys unless they were read less than
    /// [`JWKS_REFRESH_EVERY`] ago; `true` when new keys are in place.
    async fn refresh_keys(&self) -> bool {
        {
            let Ok(mut refreshed) = self.refreshed.lock() else {
                return false;
            };
            if refreshed.is_some_and(|at| at.elapsed() < JWKS_REFRESH_EVERY) {
                return false;
            }
            *refreshed = Some(Instant::now());
        }
        let url = self.metadata().jwks_uri().clone();
        match JsonWebKeySet::fetch_async(&url, &self.http).await {
            Ok(keys) => {
                tracing::info!("the identity provider's keys were read again");
                if let Ok(mut metadata) = self.metadata.write() {
                    let current = metadata.clone();
                    *metadata = current.set_jwks(keys);
                    return true;
                }
                false
            }
            Err(e) => {
                tracing::warn!(error = %error_chain(&e), "cannot read the identity provider's keys");
                false
            }
        }
    }
}

/// The refusal a failed check of the ID token is.
fn refusal(error: ClaimsVerificationError) -> Refusal {
    tracing::info!(error = %error, "an ID token was refused");
    match error {
        ClaimsVerificationError::Expired(_) => Refusal::Expired,
        ClaimsVerificationError::InvalidAudience(_) => Refusal::WrongAudience,
        ClaimsVerificationError::InvalidIssuer(_) => Refusal::WrongIssuer,
        ClaimsVerificationError::InvalidNonce(_) => Refusal::NonceMismatch,
        ClaimsVerificationError::SignatureVerification(_) => Refusal::BadSignature,
        _ => Refusal::InvalidToken,
    }
}

/// The JSON payload of a compact JWT (already verified by the caller).
fn payload(token: &CoreIdToken) -> Option<serde_json::Map<String, Value>> {
    let text = token.to_string();
    let part = text.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}
