//! Quick fixes: the checker's suggestions ("did you mean `x`?", "write it
//! as `x`") turned into edits of the text they are about.

use std::ops::Range;

use climb_framework::Diagnostic;

use super::index::inner_span;

/// One suggested edit, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickFix {
    /// `Replace with `senior-engineer``.
    pub title: String,
    /// The text replaced: the name inside its quotes.
    pub span: Range<usize>,
    /// What replaces it.
    pub replacement: String,
    /// The position of the diagnostic it fixes among the document's.
    pub diagnostic: usize,
}

/// The fixes of every diagnostic whose primary label touches `range`.
pub(super) fn quick_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    range: Range<usize>,
) -> Vec<QuickFix> {
    let mut fixes = Vec::new();
    for (position, diagnostic) in diagnostics.iter().enumerate() {
        let Some(label) = diagnostic.primary_label() else {
            continue;
        };
        if label.span.end < range.start || label.span.start > range.end {
            continue;
        }
        let Some(replacement) = diagnostic.notes.iter().find_map(|note| suggestion(note)) else {
            continue;
        };
        let span = inner_span(text, label.span.clone());
        if text.get(span.clone()).is_none() {
            continue;
        }
        fixes.push(QuickFix {
            title: format!("Replace with `{replacement}`"),
            span,
            replacement: replacement.to_owned(),
            diagnostic: position,
        });
    }
    fixes
}

/// The name a help note suggests, if it suggests one.
fn suggestion(note: &str) -> Option<&str> {
    let rest = note
        .strip_prefix("help: did you mean `")
        .or_else(|| note.strip_prefix("help: write it as `"))?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_notes_that_name_a_replacement_are_suggestions() {
        assert_eq!(suggestion("help: did you mean `staff`?"), Some("staff"));
        assert_eq!(
            suggestion("help: write it as `staff-engineer`"),
            Some("staff-engineer")
        );
        assert_eq!(suggestion("help: add a transition into it"), None);
        assert_eq!(suggestion("help: did you mean ``?"), None);
    }
}
