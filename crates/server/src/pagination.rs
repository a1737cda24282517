//! Pagination of every list: `limit` (default 50, at most 500) and an opaque
//! `cursor`, the base64url text of the last key of the previous page. Lists
//! are in a stable order by id, so a page is "the next `limit` ids after the
//! cursor that match the filters".

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::ApiError;

/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest `limit` accepted.
pub const MAX_LIMIT: u32 = 500;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// How many items at most.
    pub limit: usize,
    /// Return only keys strictly after this one.
    pub after: Option<i64>,
}

impl Page {
    /// Validates the raw `limit` and `cursor` query parameters; fails with
    /// 400 `invalid_limit` or `invalid_cursor`.
    pub fn parse(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(
                "invalid_limit",
                format!("limit must be between 1 and {MAX_LIMIT}, got {limit}"),
            ));
        }
        let after = cursor.filter(|c| !c.is_empty()).map(decode).transpose()?;
        Ok(Self {
            limit: limit as usize,
            after,
        })
    }

    /// Takes up to `limit` items whose keys come after the cursor from an
    /// iterator in increasing key order; returns them and the cursor of the
    /// next page (`None` on the last page).
    pub fn take<T>(
        &self,
        items: impl Iterator<Item = T>,
        key: impl Fn(&T) -> i64,
    ) -> (Vec<T>, Option<String>) {
        let mut out = Vec::with_capacity(self.limit.min(64));
        let mut more = false;
        for item in items.filter(|item| self.after.is_none_or(|after| key(item) > after)) {
            if out.len() == self.limit {
                more = true;
                break;
            }
            out.push(item);
        }
        let next = if more {
            out.last().map(|last| encode(key(last)))
        } else {
            None
        };
        (out, next)
    }
}

/// The cursor for a key.
pub fn encode(key: i64) -> String {
    URL_SAFE_NO_PAD.encode(key.to_string())
}

fn decode(cursor: &str) -> Result<i64, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "the cursor is not one this server gave")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let ids: Vec<i64> = (1..=7).collect();
        let first = Page::parse(Some(3), None).expect("valid");
        let (items, next) = first.take(ids.iter().copied(), |i| *i);
        assert_eq!(items, vec![1, 2, 3]);
        let second = Page::parse(Some(3), next.as_deref()).expect("valid");
        let (items, next) = second.take(ids.iter().copied(), |i| *i);
        assert_eq!(items, vec![4, 5, 6]);
        let third = Page::parse(Some(3), next.as_deref()).expect("valid");
        let (items, next) = third.take(ids.iter().copied(), |i| *i);
        assert_eq!(items, vec![7]);
        assert_eq!(next, None);
    }

    #[test]
    fn limits_outside_one_to_five_hundred_and_foreign_cursors_are_refused() {
        assert!(Page::parse(Some(0), None).is_err());
        assert!(Page::parse(Some(501), None).is_err());
        assert!(Page::parse(None, Some("!!")).is_err());
        assert!(Page::parse(None, Some("YWJj")).is_err());
        assert_eq!(Page::parse(None, None).map(|p| p.limit).ok(), Some(50));
    }
}
