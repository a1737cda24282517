//! What the language server knows about one version of a document, worked
//! out from its text alone: the checker's diagnostics, the outline and the
//! index of ids, and the answers to the editor's questions in byte offsets.
//! Pure: no protocol types, no I/O.

mod actions;
mod complete;
mod hover;
mod index;
mod rename;
mod symbols;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use climb_framework::outline::Outline;
use climb_framework::{Diagnostic, Parsed};

pub use actions::QuickFix;
pub use complete::{Completion, CompletionKind};
pub use index::{IdKind, Index, Occurrence};
pub use rename::RenameError;
pub use symbols::{Symbol, SymbolKind};

/// One version of a document, checked and indexed.
#[derive(Debug, Clone)]
pub struct Analysis {
    text: String,
    diagnostics: Vec<Diagnostic>,
    /// The outline of this version, when it is TOML.
    outline: Option<Arc<Outline>>,
    /// Built on the first question, so that diagnostics go out first.
    index: OnceLock<Index>,
}

/// A version checked but not yet indexed: its diagnostics can go out
/// before the outline is built, which [`Checked::finish`] then does.
#[derive(Debug)]
pub struct Checked {
    text: String,
    diagnostics: Vec<Diagnostic>,
    parsed: Parsed,
}

impl Checked {
    /// The document's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The checker's diagnostics, sorted by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Builds the outline: the analysis of this version.
    pub fn finish(self) -> Analysis {
        Analysis {
            text: self.text,
            diagnostics: self.diagnostics,
            outline: self.parsed.into_outline().map(Arc::new),
            index: OnceLock::new(),
        }
    }
}

impl Analysis {
    /// Checks and indexes a document's text.
    pub fn new(text: &str) -> Self {
        Self::check(text.to_owned()).finish()
    }

    /// Checks a document's text, which it keeps; the outline comes with
    /// [`Checked::finish`].
    pub fn check(text: String) -> Checked {
        let (diagnostics, parsed) = climb_framework::diagnose_text(&text);
        Checked {
            text,
            diagnostics,
            parsed,
        }
    }

    /// Gives the text up for the next version, leaving this analysis empty
    /// of it; the rest can then be dropped once that version is out.
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// The document's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The checker's diagnostics, sorted by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The outline, when the text is TOML.
    pub fn outline(&self) -> Option<&Arc<Outline>> {
        self.outline.as_ref()
    }

    /// The index of ids (empty when the text is not TOML).
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            self.outline
                .as_deref()
                .map(|outline| Index::new(&self.text, outline))
                .unwrap_or_default()
        })
    }

    /// The definitions of the id under `offset` (the id itself when it is
    /// a definition).
    pub fn definition(&self, offset: usize) -> Vec<Range<usize>> {
        let Some(occurrence) = self.index().at(offset) else {
            return Vec::new();
        };
        self.index()
            .definitions(occurrence.kind, &occurrence.id)
            .map(|o| o.span.clone())
            .collect()
    }

    /// Every place the id under `offset` is written; with or without its
    /// definitions.
    pub fn references(&self, offset: usize, include_definition: bool) -> Vec<Range<usize>> {
        let Some(occurrence) = self.index().at(offset) else {
            return Vec::new();
        };
        self.index()
            .occurrences(occurrence.kind, &occurrence.id)
            .filter(|o| include_definition || !o.definition)
            .map(|o| o.span.clone())
            .collect()
    }

    /// Markdown describing the id under `offset`, and the id's span.
    pub fn hover(&self, offset: usize) -> Option<(Range<usize>, String)> {
        let occurrence = self.index().at(offset)?;
        let outline = self.outline.as_deref()?;
        let text = hover::describe(outline, occurrence)?;
        Some((occurrence.span.clone(), text))
    }

    /// Completions at `offset`; ids come from `known`, the outline of this
    /// version or, while the text is not TOML, of the last version that was.
    pub fn completions(&self, offset: usize, known: Option<&Outline>) -> Vec<Completion> {
        complete::completions(&self.text, offset, known)
    }

    /// The edits renaming the id under `offset` to `new_id` everywhere.
    pub fn rename(
        &self,
        offset: usize,
        new_id: &str,
    ) -> Result<Vec<(Range<usize>, String)>, RenameError> {
        rename::rename(self.index(), offset, new_id)
    }

    /// The span of the id a rename at `offset` would change.
    pub fn rename_target(&self, offset: usize) -> Option<Range<usize>> {
        self.index().at(offset).map(|o| o.span.clone())
    }

    /// Streams holding their roles, then competencies and designations.
    pub fn symbols(&self) -> Vec<Symbol> {
        self.outline
            .as_deref()
            .map(|outline| symbols::symbols(&self.text, outline))
            .unwrap_or_default()
    }

    /// The quick fixes of the diagnostics touching `range`.
    pub fn quick_fixes(&self, range: Range<usize>) -> Vec<QuickFix> {
        actions::quick_fixes(&self.text, &self.diagnostics, range)
    }
}
