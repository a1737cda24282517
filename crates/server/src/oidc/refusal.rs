//! Why a single sign-on login was refused: a stable code for the log of
//! refused logins, and a sentence for the person at the browser.

/// A refused single sign-on login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The provider answered with an error (the person cancelled, say).
    ProviderError,
    /// The callback's state is not the one this browser started with.
    StateMismatch,
    /// No login under way has this state: unknown, expired, or used already.
    UnknownState,
    /// The provider would not trade the code for tokens.
    TokenExchange,
    /// The provider's answer held no ID token.
    NoIdToken,
    /// The ID token is for another client.
    WrongAudience,
    /// The ID token has expired.
    Expired,
    /// The ID token's signature does not check against the provider's keys.
    BadSignature,
    /// The ID token comes from another issuer.
    WrongIssuer,
    /// The ID token's nonce is not this login's.
    NonceMismatch,
    /// The ID token is otherwise not acceptable.
    InvalidToken,
    /// The ID token carries no email.
    NoEmail,
    /// The provider does not say the email is verified.
    UnverifiedEmail,
    /// No account has this email.
    UnknownEmail,
    /// The account's person has left the company.
    PersonLeft,
}

impl Refusal {
    /// The stable code recorded in the log of refused logins.
    pub fn code(self) -> &'static str {
        match self {
            Self::ProviderError => "provider_error",
            Self::StateMismatch => "state_mismatch",
            Self::UnknownState => "unknown_state",
            Self::TokenExchange => "token_exchange_failed",
            Self::NoIdToken => "no_id_token",
            Self::WrongAudience => "wrong_audience",
            Self::Expired => "expired_token",
            Self::BadSignature => "bad_signature",
            Self::WrongIssuer => "wrong_issuer",
            Self::NonceMismatch => "nonce_mismatch",
            Self::InvalidToken => "invalid_token",
            Self::NoEmail => "no_email",
            Self::UnverifiedEmail => "unverified_email",
            Self::UnknownEmail => "unknown_email",
            Self::PersonLeft => "person_left",
        }
    }

    /// Why, for the person trying to log in.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::ProviderError => "The identity provider did not sign you in.",
            Self::StateMismatch => {
                "This sign-in was not started from this browser, so it was not accepted."
            }
            Self::UnknownState => {
                "This sign-in link has expired or was used already. Start again from the login page."
            }
            Self::TokenExchange | Self::NoIdToken => {
                "The identity provider did not confirm the sign-in."
            }
            Self::WrongAudience => {
                "The identity provider's answer was meant for another application."
            }
            Self::Expired => "The identity provider's answer had expired.",
            Self::BadSignature => "The identity provider's answer was not signed by its keys.",
            Self::WrongIssuer => {
                "The answer came from another identity provider than the one configured."
            }
            Self::NonceMismatch => "The identity provider's answer belongs to another sign-in.",
            Self::InvalidToken => "The identity provider's answer could not be accepted.",
            Self::NoEmail => "The identity provider did not give your email address.",
            Self::UnverifiedEmail => {
                "The identity provider does not say your email address is verified."
            }
            Self::UnknownEmail => {
                "No climb login has your email address. Ask an administrator for one."
            }
            Self::PersonLeft => "Your climb login belongs to someone who has left the company.",
        }
    }
}
