//! The document's outline for the editor: each stream holding its roles,
//! then the roles whose stream is unknown, the competencies and the
//! designations.

use std::collections::HashMap;
use std::ops::Range;

use climb_framework::outline::{Outline, Spanned};

use super::index::inner_span;

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A stream (a row of the chart).
    Stream,
    /// A role.
    Role,
    /// A competency.
    Competency,
    /// A designation.
    Designation,
}

/// One item of the outline, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// The item's id.
    pub name: String,
    /// Its title or name.
    pub detail: Option<String>,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole table.
    pub extent: Range<usize>,
    /// The id's text.
    pub selection: Range<usize>,
    /// The roles of a stream.
    pub children: Vec<Symbol>,
}

/// The symbols of an outline of `text`; items without an id are left out.
pub(super) fn symbols(text: &str, outline: &Outline) -> Vec<Symbol> {
    let symbol =
        |kind, id: &Option<Spanned<String>>, detail: &Option<String>, extent: &Range<usize>| {
            let id = id.as_ref()?;
            let selection = inner_span(text, id.span.clone());
            // The selection must lie inside the extent, which an odd file
            // (an inline table among headers) may break.
            let extent = extent.start.min(selection.start)..extent.end.max(selection.end);
            Some(Symbol {
                name: id.value.clone(),
                detail: detail.clone(),
                kind,
                extent,
                selection,
                children: Vec::new(),
            })
        };
    let mut streams: Vec<Symbol> = Vec::new();
    let mut stream_at: HashMap<&str, usize> = HashMap::new();
    for stream in &outline.streams {
        if let Some(symbol) = symbol(SymbolKind::Stream, &stream.id, &stream.name, &stream.extent) {
            stream_at
                .entry(outline_id(&stream.id))
                .or_insert(streams.len());
            streams.push(symbol);
        }
    }
    let mut loose = Vec::new();
    for role in &outline.roles {
        let Some(symbol) = symbol(SymbolKind::Role, &role.id, &role.title, &role.extent) else {
            continue;
        };
        let parent = role
            .stream
            .as_ref()
            .and_then(|s| stream_at.get(s.value.as_str()))
            .and_then(|&at| streams.get_mut(at));
        match parent {
            Some(parent) => parent.children.push(symbol),
            None => loose.push(symbol),
        }
    }
    let mut all = streams;
    all.extend(loose);
    all.extend(
        outline
            .competencies
            .iter()
            .filter_map(|c| symbol(SymbolKind::Competency, &c.id, &c.name, &c.extent)),
    );
    all.extend(
        outline
            .designations
            .iter()
            .filter_map(|d| symbol(SymbolKind::Designation, &d.id, &d.title, &d.extent)),
    );
    all
}

fn outline_id(id: &Option<Spanned<String>>) -> &str {
    id.as_ref().map_or("", |id| id.value.as_str())
}
