//! Which URLs may receive webhooks: absolute `http` or `https` URLs with a
//! host, at most 2,048 bytes long.

/// Why a URL cannot be subscribed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Not a URL at all.
    #[error("`{0}` is not an absolute URL")]
    NotUrl(String),
    /// A scheme other than http and https.
    #[error("a webhook URL is http or https, not {0}")]
    Scheme(String),
    /// No host to send to.
    #[error("a webhook URL names a host")]
    NoHost,
    /// Too long.
    #[error("a webhook URL is at most 2048 bytes long")]
    TooLong,
}

/// The URL `text` names, if it can receive webhooks.
pub fn check_target(text: &str) -> Result<url::Url, TargetError> {
    if text.len() > 2048 {
        return Err(TargetError::TooLong);
    }
    let url = url::Url::parse(text.trim()).map_err(|_| TargetError::NotUrl(text.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::Scheme(url.scheme().to_owned()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(TargetError::NoHost);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_with_a_host_only() {
        assert!(check_target("https://hooks.example.com/climb?x=1").is_ok());
        assert!(check_target("http://127.0.0.1:9000/").is_ok());
        assert_eq!(
            check_target("ftp://example.com/"),
            Err(TargetError::Scheme("ftp".into()))
        );
        assert!(matches!(
            check_target("javascript:alert(1)"),
            Err(TargetError::Scheme(_))
        ));
        assert!(matches!(
            check_target("/relative"),
            Err(TargetError::NotUrl(_))
        ));
        assert!(matches!(check_target(""), Err(TargetError::NotUrl(_))));
        let long = format!("https://example.com/{}", "a".repeat(2100));
        assert_eq!(check_target(&long), Err(TargetError::TooLong));
    }
}
