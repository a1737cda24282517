//! Standard Webhooks signing: a secret is `whsec_` followed by the base64 of
//! its key bytes; a message is signed as `v1,` and the base64 of
//! HMAC-SHA256 over `{id}.{timestamp}.{body}` with the key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How a secret is written: this prefix, then base64.
pub const SECRET_PREFIX: &str = "whsec_";

/// The fewest and most key bytes a climb secret holds.
pub const KEY_BYTES: std::ops::RangeInclusive<usize> = 24..=64;

/// Why a secret was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// It does not start with `whsec_`.
    #[error("a webhook secret starts with `{SECRET_PREFIX}`")]
    Prefix,
    /// What follows the prefix is not base64.
    #[error("a webhook secret is `{SECRET_PREFIX}` followed by base64")]
    Base64,
    /// The key is shorter or longer than climb makes them.
    #[error("a webhook secret holds 24 to 64 key bytes, not {0}")]
    Length(usize),
}

/// A subscription's signing key. Its `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    key: Vec<u8>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A secret over `key` (random bytes the caller drew).
    pub fn from_key(key: &[u8]) -> Result<Self, SecretError> {
        if !KEY_BYTES.contains(&key.len()) {
            return Err(SecretError::Length(key.len()));
        }
        Ok(Self { key: key.to_vec() })
    }

    /// Reads a secret as written by [`Secret::to_text`].
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let encoded = text
            .strip_prefix(SECRET_PREFIX)
            .ok_or(SecretError::Prefix)?;
        let key = STANDARD.decode(encoded).map_err(|_| SecretError::Base64)?;
        Self::from_key(&key)
    }

    /// `whsec_` and the base64 of the key.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// The `webhook-signature` header value for one message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &str) -> String {
        // HMAC takes a key of any length; the length is checked anyway.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_example() {
        // The published example of the Standard Webhooks specification.
        let Ok(secret) = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") else {
            panic!("the example secret reads")
        };
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn text_round_trips_and_bad_secrets_are_refused() {
        let Ok(secret) = Secret::from_key(&[7; 32]) else {
            panic!("32 bytes is a valid key")
        };
        assert_eq!(Secret::parse(&secret.to_text()), Ok(secret.clone()));
        assert!(secret.to_text().starts_with("whsec_"));
        assert_eq!(format!("{secret:?}"), "Secret(…)");
        assert_eq!(Secret::from_key(&[1; 23]), Err(SecretError::Length(23)));
        assert_eq!(Secret::from_key(&[1; 65]), Err(SecretError::Length(65)));
        assert_eq!(Secret::parse("abc"), Err(SecretError::Prefix));
        assert_eq!(Secret::parse("whsec_%%%"), Err(SecretError::Base64));
    }

    #[test]
    fn the_signature_depends_on_every_part() {
        let Ok(secret) = Secret::from_key(&[9; 24]) else {
            panic!("24 bytes is a valid key")
        };
        let base = secret.sign("msg_1", 10, "{}");
        assert_ne!(base, secret.sign("msg_2", 10, "{}"));
        assert_ne!(base, secret.sign("msg_1", 11, "{}"));
        assert_ne!(base, secret.sign("msg_1", 10, "{ }"));
        assert!(base.starts_with("v1,"));
    }
}
