//! Company updates: a short plain-text post from a manager to everyone below
//! them, or from HR or an administrator to the whole company, shown on the
//! home page of the people it is addressed to.

use climb_people::{Org, PersonId};
use serde::Serialize;

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest body, in characters.
pub const BODY_MAX: usize = 4_000;

/// Who an update is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone below `manager` in the current reporting tree (and the manager).
    Team {
        /// Whose team.
        manager: PersonId,
    },
    /// Everyone.
    Company,
}

impl Audience {
    /// Whether `person` is among the readers, with the org as it is now.
    pub fn reaches(self, org: &Org, person: PersonId) -> bool {
        match self {
            Self::Company => true,
            Self::Team { manager } => person == manager || org.index().is_below(person, manager),
        }
    }
}

/// A refused update; `code()` is the stable string of the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    /// `title_blank`.
    #[error("the title cannot be blank")]
    TitleBlank,
    /// `title_too_long`.
    #[error("the title is {0} characters long; the limit is {TITLE_MAX}")]
    TitleTooLong(usize),
    /// `title_multiline`: a title is one line.
    #[error("the title must be a single line")]
    TitleMultiline,
    /// `body_blank`.
    #[error("the text cannot be blank")]
    BodyBlank,
    /// `body_too_long`.
    #[error("the text is {0} characters long; the limit is {BODY_MAX}")]
    BodyTooLong(usize),
    /// `control_character`: text holds a control character other than a line break or tab.
    #[error("the text holds a control character (U+{0:04X})")]
    ControlCharacter(u32),
}

impl UpdateError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TitleBlank => "title_blank",
            Self::TitleTooLong(_) => "title_too_long",
            Self::TitleMultiline => "title_multiline",
            Self::BodyBlank => "body_blank",
            Self::BodyTooLong(_) => "body_too_long",
            Self::ControlCharacter(_) => "control_character",
        }
    }
}

/// A checked post: a one-line title and a plain-text body, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Post {
    /// The title.
    pub title: String,
    /// The body (line breaks kept; shown as text, never as markup).
    pub body: String,
}

impl Post {
    /// Checks a title and body against the limits.
    pub fn parse(title: &str, body: &str) -> Result<Self, UpdateError> {
        let title = title.trim();
        let body = body.trim().replace("\r\n", "\n");
        if let Some(c) = title
            .chars()
            .chain(body.chars())
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            return Err(UpdateError::ControlCharacter(u32::from(c)));
        }
        if title.is_empty() {
            return Err(UpdateError::TitleBlank);
        }
        if title.contains(['\n', '\r']) {
            return Err(UpdateError::TitleMultiline);
        }
        let len = title.chars().count();
        if len > TITLE_MAX {
            return Err(UpdateError::TitleTooLong(len));
        }
        if body.is_empty() {
            return Err(UpdateError::BodyBlank);
        }
        let len = body.chars().count();
        if len > BODY_MAX {
            return Err(UpdateError::BodyTooLong(len));
        }
        Ok(Self {
            title: title.to_owned(),
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_is_trimmed_and_kept_within_its_limits() {
        let post = Post::parse("  Offsite  ", " Thursday\r\nbring laptops ").expect("valid");
        assert_eq!(post.title, "Offsite");
        assert_eq!(post.body, "Thursday\nbring laptops");
        let code = |t: &str, b: &str| Post::parse(t, b).map_err(|e| e.code()).err();
        assert_eq!(code(" ", "x"), Some("title_blank"));
        assert_eq!(
            code(&"t".repeat(TITLE_MAX + 1), "x"),
            Some("title_too_long")
        );
        assert_eq!(code(&"t".repeat(TITLE_MAX), "x"), None);
        assert_eq!(code("a\nb", "x"), Some("title_multiline"));
        assert_eq!(code("t", "\n"), Some("body_blank"));
        assert_eq!(code("t", &"b".repeat(BODY_MAX + 1)), Some("body_too_long"));
        assert_eq!(code("t", "bell\u{7}"), Some("control_character"));
    }
}
