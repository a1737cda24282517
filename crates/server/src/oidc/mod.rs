//! Single sign-on with OpenID Connect: the settings ([`OidcSettings`]), the
//! provider found by discovery ([`Oidc`]), and the two halves of the
//! authorization code flow with PKCE, state and nonce — [`Oidc::begin`]
//! builds the redirect to the provider, [`Oidc::finish`] trades the code
//! for an ID token, checks it against the provider's keys and returns the
//! verified email. Who that email may log in as is decided by the caller.

mod provider;
mod refusal;
mod settings;

pub use provider::{Begun, Oidc, VerifiedLogin};
pub use refusal::Refusal;
pub use settings::{ClientSecret, OidcError, OidcSettings};

/// The path the identity provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";
/// The path that starts a login at the identity provider.
pub const START_PATH: &str = "/login/oidc";
