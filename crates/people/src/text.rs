//! Limits on the free text people write (notes, evidence, comments): a
//! length per field, counted in characters, and no NUL, which no storage
//! or display path should have to carry. Names have their stricter rules
//! in [`crate::NameProblem`].

/// The longest role-change note, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

/// What is wrong with a piece of free text; `what` names the field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TextProblem {
    /// Longer than the field allows.
    #[error("{what} is at most {max} characters; this one has {length}")]
    TooLong {
        /// The field.
        what: String,
        /// Its length in characters.
        length: usize,
        /// The field's limit.
        max: usize,
    },
    /// Holds a NUL character.
    #[error("{what} cannot hold a NUL character")]
    Nul {
        /// The field.
        what: String,
    },
}

impl TextProblem {
    /// The stable code: `text_too_long` or `invalid_text`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLong { .. } => "text_too_long",
            Self::Nul { .. } => "invalid_text",
        }
    }
}

/// Checks `text` as the field `what` with at most `max` characters.
pub fn check_text(what: &str, text: &str, max: usize) -> Result<(), TextProblem> {
    if text.contains('\0') {
        return Err(TextProblem::Nul {
            what: what.to_owned(),
        });
    }
    // Counting stops one past the limit, so a huge text costs no more.
    let length = text.chars().take(max + 1).count();
    if length > max {
        return Err(TextProblem::TooLong {
            what: what.to_owned(),
            length: text.chars().count(),
            max,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_and_nul_is_refused() {
        assert_eq!(check_text("the note", &"é".repeat(4), 4), Ok(()));
        let long = check_text("the note", &"é".repeat(5), 4).expect_err("too long");
        assert_eq!(long.code(), "text_too_long");
        assert_eq!(
            long.to_string(),
            "the note is at most 4 characters; this one has 5"
        );
        let nul = check_text("the note", "a\0b", 10).expect_err("NUL");
        assert_eq!(nul.to_string(), "the note cannot hold a NUL character");
    }
}
