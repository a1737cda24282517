//! No text makes the analysis panic: random edits of a real framework
//! (cut, duplicated and inserted bytes, at any offset) are analysed and
//! every query is asked at every kind of offset, inside characters too; range
//! edits keep the line index as a fresh one of the edited text.

use climb_lsp::analysis::Analysis;
use climb_lsp::position::{Encoding, LineIndex};
use lsp_types::{Position, Range};
use proptest::prelude::*;

const BASE: &str = include_str!("../../../../frameworks/default.toml");

/// Text pieces that stress the parser and the completion context.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "[[",
    "]]",
    "=",
    "{",
    "}",
    ",",
    "\n",
    "é",
    "🚀",
    "from = \"",
    "[[roles]]\n",
    "expectations = { ",
    "eligible_streams = [\"",
    "id = \"x\"\n",
    "\r\n",
    "\"\"\"",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, piece: usize },
    Duplicate { at: usize, len: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Edit::Duplicate { at, len }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match *edit {
        Edit::Delete { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Edit::Insert { at, piece } => {
            let at = boundary(text, at);
            text.insert_str(at, PIECES[piece]);
        }
        Edit::Duplicate { at, len } => {
            let start = boundary(text, at);
            let end = boundary(text, start.saturating_add(len).min(text.len()));
            let copy = text[start..end.max(start)].to_owned();
            text.insert_str(start, &copy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_edit_makes_any_query_panic(
        edits in prop::collection::vec(edit(), 1..12),
        probes in prop::collection::vec(any::<usize>(), 8),
    ) {
        let mut text = BASE.to_owned();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let analysis = Analysis::new(&text);
        let known = Analysis::new(BASE);
        let lines = LineIndex::new(&text, Encoding::Utf16);
        for &probe in &probes {
            // Offsets anywhere, also past the end and inside characters.
            let offset = probe % (text.len() + 8);
            let _ = analysis.definition(offset);
            let _ = analysis.references(offset, true);
            let _ = analysis.hover(offset);
            let _ = analysis.completions(offset, known.outline().map(|o| o.as_ref()));
            let _ = analysis.rename(offset, "new-id");
            let _ = analysis.quick_fixes(offset..offset.saturating_add(probe % 100));
            let position = lines.position(&text, offset);
            let back = lines.offset(&text, position);
            prop_assert!(back <= text.len());
        }
        for symbol in analysis.symbols() {
            prop_assert!(symbol.extent.start <= symbol.selection.start);
            prop_assert!(symbol.selection.end <= symbol.extent.end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Range edits anywhere (inside characters, past line ends and past the
    /// end too) keep the line index as a fresh one of the edited text.
    #[test]
    fn range_edits_keep_the_line_index_in_step(
        edits in prop::collection::vec(
            ((0u32..200, 0u32..120), (0u32..200, 0u32..120), 0..PIECES.len()),
            1..12,
        ),
        probes in prop::collection::vec(any::<usize>(), 8),
        utf8 in any::<bool>(),
    ) {
        let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        let mut text = BASE.to_owned();
        let mut lines = LineIndex::new(&text, encoding);
        for (start, end, piece) in edits {
            let range = Range::new(Position::new(start.0, start.1), Position::new(end.0, end.1));
            let span = LineIndex::new(&text, encoding).span(&text, range);
            let mut expected = text.clone();
            expected.replace_range(span, PIECES[piece]);
            lines.replace(&mut text, range, PIECES[piece]);
            prop_assert_eq!(&text, &expected);
        }
        let fresh = LineIndex::new(&text, encoding);
        for &probe in &probes {
            let offset = probe % (text.len() + 8);
            let position = lines.position(&text, offset);
            prop_assert_eq!(position, fresh.position(&text, offset));
            prop_assert_eq!(lines.offset(&text, position), fresh.offset(&text, position));
        }
    }
}
