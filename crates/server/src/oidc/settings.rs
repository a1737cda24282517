//! What single sign-on is configured with, and the errors of setting it up.

use url::Url;

/// The client secret: never printed, in `Debug` output or anywhere else.
#[derive(Clone)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a secret; surrounding white space (a file's final newline) is dropped.
    pub fn new(secret: &str) -> Self {
        Self(secret.trim().to_owned())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret(..)")
    }
}

/// How climb signs people in with their identity provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer URL; `/.well-known/openid-configuration` under it is read at start.
    pub issuer: String,
    /// The client id climb is registered with.
    pub client_id: String,
    /// The client secret.
    pub client_secret: ClientSecret,
    /// Scopes asked for (`openid` is always asked for).
    pub scopes: Vec<String>,
    /// The ID token claim that holds the email.
    pub email_claim: String,
    /// The ID token claim that must be `true` for the email to be trusted.
    pub email_verified_claim: String,
    /// Where climb is reached by browsers (the callback is under it).
    pub public_url: Url,
    /// The provider's name on the login button.
    pub provider_name: String,
}

impl OidcSettings {
    /// The callback address registered at the provider.
    pub fn redirect_uri(&self) -> String {
        format!(
            "{}{}",
            self.public_url.as_str().trim_end_matches('/'),
            super::CALLBACK_PATH
        )
    }
}

/// Why single sign-on could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The issuer is not a URL.
    #[error("the OpenID Connect issuer `{issuer}` is not a valid URL: {reason}")]
    Issuer {
        /// The issuer as given.
        issuer: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The callback built from the public URL is not a URL.
    #[error("the redirect URI `{0}` is not a valid URL")]
    RedirectUri(String),
    /// Discovery failed: unreachable, not JSON, or another issuer.
    #[error("OpenID Connect discovery at `{issuer}` failed: {reason}")]
    Discovery {
        /// The issuer as given.
        issuer: String,
        /// What went wrong.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot prepare the HTTP client for OpenID Connect: {0}")]
    Http(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_secret_never_shows_in_debug_output() {
        let settings = OidcSettings {
            issuer: "https://id.example.com".into(),
            client_id: "climb".into(),
            client_secret: ClientSecret::new("hunter2-secret\n"),
            scopes: vec!["openid".into()],
            email_claim: "email".into(),
            email_verified_claim: "email_verified".into(),
            public_url: Url::parse("https://climb.example.com/").expect("url"),
            provider_name: "Okta".into(),
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(settings.client_secret.expose(), "hunter2-secret");
        assert_eq!(
            settings.redirect_uri(),
            "https://climb.example.com/login/oidc/callback"
        );
    }
}
