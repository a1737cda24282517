//! Renaming an id: its definition and every reference, or a refusal that
//! says why.

use std::ops::Range;

use climb_framework::validate_id;

use super::index::{IdKind, Index};

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    /// The cursor is not on an id.
    #[error("there is no role, stream, competency or designation id here to rename")]
    NoId,
    /// The new name breaks the id grammar.
    #[error("`{0}` is not a valid id: use lowercase letters, digits and `-` only")]
    InvalidId(String),
    /// Another item of the same kind already has the new name.
    #[error("a {noun} with the id `{id}` already exists", noun = .0.noun(), id = .1)]
    Taken(IdKind, String),
}

/// The edits (byte span, new text) renaming the id under `offset`.
pub(super) fn rename(
    index: &Index,
    offset: usize,
    new_id: &str,
) -> Result<Vec<(Range<usize>, String)>, RenameError> {
    let occurrence = index.at(offset).ok_or(RenameError::NoId)?;
    if validate_id(new_id).is_err() {
        return Err(RenameError::InvalidId(new_id.to_owned()));
    }
    if new_id != occurrence.id && index.is_defined(occurrence.kind, new_id) {
        return Err(RenameError::Taken(occurrence.kind, new_id.to_owned()));
    }
    Ok(index
        .occurrences(occurrence.kind, &occurrence.id)
        .map(|o| (o.span.clone(), new_id.to_owned()))
        .collect())
}
