//! The ids of a framework file: every place a role, stream, competency or
//! designation id is defined or referred to, sorted by position, and looked
//! up by place or by id.

use std::collections::HashMap;
use std::ops::Range;

use climb_framework::outline::{Outline, Spanned};

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    /// A `[[roles]]` id.
    Role,
    /// A `[[streams]]` id.
    Stream,
    /// A `[[competencies]]` id.
    Competency,
    /// A `[[designations]]` id.
    Designation,
}

impl IdKind {
    /// The word used in messages: `role`, `stream`…
    pub fn noun(self) -> &'static str {
        match self {
            Self::Role => "role",
            Self::Stream => "stream",
            Self::Competency => "competency",
            Self::Designation => "designation",
        }
    }
}

/// One place an id is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// What the id names.
    pub kind: IdKind,
    /// The id.
    pub id: String,
    /// The id's text, inside its quotes when it is a string.
    pub span: Range<usize>,
    /// Whether this is the `id = "…"` of the item rather than a reference.
    pub definition: bool,
}

/// Every occurrence of an id in one file.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Sorted by start.
    occurrences: Vec<Occurrence>,
    /// Positions in `occurrences` of each id's occurrences, in file order.
    by_id: HashMap<(IdKind, String), Vec<usize>>,
}

impl Index {
    /// Indexes the ids of an outline of `text`.
    pub fn new(text: &str, outline: &Outline) -> Self {
        let mut occurrences = Vec::new();
        let mut push = |kind, spanned: Option<&Spanned<String>>, definition| {
            if let Some(spanned) = spanned {
                occurrences.push(Occurrence {
                    kind,
                    id: spanned.value.clone(),
                    span: inner_span(text, spanned.span.clone()),
                    definition,
                });
            }
        };
        for stream in &outline.streams {
            push(IdKind::Stream, stream.id.as_ref(), true);
        }
        for role in &outline.roles {
            push(IdKind::Role, role.id.as_ref(), true);
            push(IdKind::Stream, role.stream.as_ref(), false);
            for expectation in &role.expectations {
                push(IdKind::Competency, Some(&expectation.competency), false);
            }
        }
        for transition in &outline.transitions {
            push(IdKind::Role, transition.from.as_ref(), false);
            push(IdKind::Role, transition.to.as_ref(), false);
        }
        for designation in &outline.designations {
            push(IdKind::Designation, designation.id.as_ref(), true);
            for stream in &designation.eligible_streams {
                push(IdKind::Stream, Some(stream), false);
            }
        }
        for competency in &outline.competencies {
            push(IdKind::Competency, competency.id.as_ref(), true);
        }
        // A rename's `from` names a role of an older version, not of this file.
        for rename in &outline.renames {
            push(IdKind::Role, rename.to.as_ref(), false);
        }
        occurrences.sort_by_key(|o| o.span.start);
        let mut by_id: HashMap<(IdKind, String), Vec<usize>> = HashMap::new();
        for (position, occurrence) in occurrences.iter().enumerate() {
            by_id
                .entry((occurrence.kind, occurrence.id.clone()))
                .or_default()
                .push(position);
        }
        Self { occurrences, by_id }
    }

    /// The occurrence under a byte offset: one whose text holds it or ends
    /// right before it (a cursor just after an id is on that id).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let after = self.occurrences.partition_point(|o| o.span.start <= offset);
        let candidate = self.occurrences.get(after.checked_sub(1)?)?;
        (offset <= candidate.span.end).then_some(candidate)
    }

    /// Every occurrence of an id, definitions and references, in file order.
    pub fn occurrences(&self, kind: IdKind, id: &str) -> impl Iterator<Item = &Occurrence> {
        self.by_id
            .get(&(kind, id.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|&position| self.occurrences.get(position))
    }

    /// Where an id is defined (more than once when it is a duplicate).
    pub fn definitions(&self, kind: IdKind, id: &str) -> impl Iterator<Item = &Occurrence> {
        self.occurrences(kind, id).filter(|o| o.definition)
    }

    /// Whether an item of this kind has this id.
    pub fn is_defined(&self, kind: IdKind, id: &str) -> bool {
        self.definitions(kind, id).next().is_some()
    }
}

/// The text of a string inside its quotes (`"…"`, `'…'`, or triple ones),
/// or the span itself for a bare key.
pub(crate) fn inner_span(text: &str, span: Range<usize>) -> Range<usize> {
    let Some(token) = text.get(span.clone()) else {
        return span;
    };
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if token.len() >= 2 * quote.len() && token.starts_with(quote) && token.ends_with(quote) {
            return span.start + quote.len()..span.end - quote.len();
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_left_out_of_an_id_span() {
        let text = r#"a = "x" b = 'y' c = """z""" d"#;
        let span = |needle: &str| {
            let start = text.find(needle).expect("the needle");
            start..start + needle.len()
        };
        assert_eq!(&text[inner_span(text, span("\"x\""))], "x");
        assert_eq!(&text[inner_span(text, span("'y'"))], "y");
        assert_eq!(&text[inner_span(text, span("\"\"\"z\"\"\""))], "z");
        assert_eq!(&text[inner_span(text, span("d"))], "d");
        assert_eq!(inner_span(text, 90..99), 90..99);
    }
}
