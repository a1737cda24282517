//! Byte offsets into a document and LSP positions (a line and a column
//! counted in UTF-16 code units, or in bytes when the client agreed to
//! UTF-8), converted both ways without ever leaving the text.

use std::ops::Range;

use lsp_types::{Position, Range as LspRange};

/// How the columns of LSP positions are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes of UTF-8: offered by some clients, and free to compute.
    Utf8,
}

/// The start of every line of a text, to turn offsets into positions in
/// logarithmic time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    encoding: Encoding,
}

impl LineIndex {
    /// Indexes the lines of `text` (a line ends after each `\n`).
    pub fn new(text: &str, encoding: Encoding) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            starts,
            len: text.len(),
            encoding,
        }
    }

    /// The position of a byte offset; offsets past the end or inside a
    /// character are moved back to the nearest character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset.min(self.len));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts.get(line).copied().unwrap_or(0);
        let before = text.get(start..offset).unwrap_or_default();
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub fn range(&self, text: &str, span: Range<usize>) -> LspRange {
        LspRange::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of a position. A line past the last is the end of
    /// the text; a column past the end of its line is the end of the line,
    /// and one inside a character is that character's start.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.len;
        };
        let end = self.starts.get(line + 1).map_or(self.len, |next| next - 1);
        let content = text.get(start..end).unwrap_or_default();
        let content = content.strip_suffix('\r').unwrap_or(content);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, c) in content.char_indices() {
            if counted >= wanted {
                return start + at;
            }
            counted += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if counted > wanted {
                return start + at;
            }
        }
        start + content.len()
    }

    /// Replaces the `range` of `text` (the text this index was built for)
    /// by `new_text`, as a `didChange` with a range asks, and keeps the
    /// index in step. The range is clamped as [`Self::offset`] clamps
    /// positions, and an end before its start is the start.
    pub fn replace(&mut self, text: &mut String, range: LspRange, new_text: &str) {
        let mut span = self.span(text, range);
        if !on_boundaries(text, &span) {
            // Only an index out of step with its text gets here.
            *self = Self::new(text, self.encoding);
            span = self.span(text, range);
            if !on_boundaries(text, &span) {
                return;
            }
        }
        text.replace_range(span.clone(), new_text);
        self.edit(span, new_text);
    }

    /// The byte span of a range; an end before the start is the start.
    pub fn span(&self, text: &str, range: LspRange) -> Range<usize> {
        let start = self.offset(text, range.start);
        let end = self.offset(text, range.end).max(start);
        start..end
    }

    /// Keeps the index in step with replacing the bytes `span` of the text
    /// by `inserted`: the starts of the lines inside `span` go, those after
    /// it move, and every `\n` of `inserted` starts a line.
    fn edit(&mut self, span: Range<usize>, inserted: &str) {
        let end = span.end.min(self.len);
        let start = span.start.min(end);
        let removed = end - start;
        // Starts in (start, end] follow a `\n` that the edit removes.
        let first = self.starts.partition_point(|&s| s <= start);
        let after = self.starts.partition_point(|&s| s <= end);
        let new_starts = inserted.match_indices('\n').map(|(i, _)| start + i + 1);
        self.starts.splice(first..after, new_starts);
        let moved = first + inserted.matches('\n').count();
        for s in &mut self.starts[moved..] {
            *s = *s - removed + inserted.len();
        }
        self.len = self.len - removed + inserted.len();
    }
}

fn on_boundaries(text: &str, span: &Range<usize>) -> bool {
    text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id = \"a\"\ntitle = \"Ingénieur 🚀\" # x\r\nend";

    #[test]
    fn utf16_columns_count_surrogate_pairs_as_two() {
        let lines = LineIndex::new(TEXT, Encoding::Utf16);
        let hash = TEXT.find('#').expect("a # in the text");
        // `title = "Ingénieur 🚀" ` is 22 characters, the rocket taking two units.
        assert_eq!(lines.position(TEXT, hash), Position::new(1, 23));
        assert_eq!(lines.offset(TEXT, Position::new(1, 23)), hash);
    }

    #[test]
    fn utf8_columns_count_bytes() {
        let lines = LineIndex::new(TEXT, Encoding::Utf8);
        let hash = TEXT.find('#').expect("a # in the text");
        let line_start = TEXT.find('\n').expect("two lines") + 1;
        assert_eq!(
            lines.position(TEXT, hash),
            Position::new(1, to_u32(hash - line_start))
        );
        assert_eq!(
            lines.offset(TEXT, Position::new(1, to_u32(hash - line_start))),
            hash
        );
    }

    #[test]
    fn positions_outside_the_text_are_clamped() {
        let lines = LineIndex::new(TEXT, Encoding::Utf16);
        assert_eq!(lines.offset(TEXT, Position::new(9, 0)), TEXT.len());
        let line_end = TEXT.find("\r\n").expect("a CRLF");
        assert_eq!(lines.offset(TEXT, Position::new(1, 999)), line_end);
        // Inside the rocket's surrogate pair: its start.
        let rocket = TEXT.find('🚀').expect("a rocket");
        assert_eq!(lines.offset(TEXT, Position::new(1, 19)), rocket);
        assert_eq!(lines.offset(TEXT, Position::new(1, 20)), rocket);
        assert_eq!(
            lines.position(TEXT, rocket + 1),
            lines.position(TEXT, rocket)
        );
        assert_eq!(lines.position(TEXT, 10_000), Position::new(2, 3));
    }

    #[test]
    fn every_offset_round_trips_through_its_position() {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let lines = LineIndex::new(TEXT, encoding);
            for (offset, _) in TEXT.char_indices() {
                let position = lines.position(TEXT, offset);
                let back = lines.offset(TEXT, position);
                // The `\n` of a CRLF is past the line's end, which is the `\r`.
                if !TEXT[..offset].ends_with('\r') {
                    assert_eq!(back, offset, "{encoding:?} at {offset}");
                }
            }
        }
    }

    /// `text` after `replace`, checking the index against a fresh one.
    fn replaced(text: &str, encoding: Encoding, range: LspRange, new_text: &str) -> String {
        let mut lines = LineIndex::new(text, encoding);
        let mut text = text.to_owned();
        lines.replace(&mut text, range, new_text);
        let fresh = LineIndex::new(&text, encoding);
        assert_eq!(lines.starts, fresh.starts, "line starts after the edit");
        assert_eq!(lines.len, fresh.len);
        text
    }

    fn range(start: (u32, u32), end: (u32, u32)) -> LspRange {
        LspRange::new(Position::new(start.0, start.1), Position::new(end.0, end.1))
    }

    #[test]
    fn a_range_edit_after_a_surrogate_pair_counts_utf16_units() {
        // The rocket is two units: `"` after it is at column 19.
        let text = replaced(TEXT, Encoding::Utf16, range((1, 19), (1, 21)), "✨");
        assert_eq!(text, TEXT.replace("🚀", "✨"));
        let text = replaced(TEXT, Encoding::Utf8, range((1, 20), (1, 24)), "✨");
        assert_eq!(text, TEXT.replace("🚀", "✨"));
    }

    #[test]
    fn range_edits_add_and_remove_lines() {
        let joined = replaced(TEXT, Encoding::Utf16, range((0, 8), (1, 0)), " ");
        assert_eq!(joined, TEXT.replacen('\n', " ", 1));
        let split = replaced(TEXT, Encoding::Utf16, range((1, 5), (1, 5)), "\n\n");
        assert_eq!(split, TEXT.replacen("title", "title\n\n", 1));
        let everything = replaced(TEXT, Encoding::Utf16, range((0, 0), (9, 0)), "a\nb");
        assert_eq!(everything, "a\nb");
    }

    #[test]
    fn an_edit_at_the_end_appends_and_past_the_end_is_clamped() {
        let end = replaced(TEXT, Encoding::Utf16, range((2, 3), (2, 3)), "\nmore");
        assert_eq!(end, format!("{TEXT}\nmore"));
        let past = replaced(TEXT, Encoding::Utf16, range((7, 0), (8, 4)), "!");
        assert_eq!(past, format!("{TEXT}!"));
        // An end before its start inserts at the start.
        let reversed = replaced(TEXT, Encoding::Utf16, range((1, 2), (0, 1)), "x");
        assert_eq!(reversed, TEXT.replacen("title", "tixtle", 1));
    }

    #[test]
    fn successive_edits_keep_the_index_in_step() {
        let mut text = TEXT.to_owned();
        let mut lines = LineIndex::new(&text, Encoding::Utf16);
        // Each applies to the text the one before left, as in one didChange.
        for (r, new_text) in [
            (range((0, 0), (0, 0)), "# é\n"),
            (range((2, 0), (2, 5)), "nom"),
            (range((1, 8), (3, 0)), "\r\n"),
            (range((0, 2), (0, 3)), "🚀🚀"),
        ] {
            lines.replace(&mut text, r, new_text);
            let fresh = LineIndex::new(&text, Encoding::Utf16);
            assert_eq!(lines.starts, fresh.starts, "after `{new_text}`");
        }
        assert_eq!(text, "# 🚀🚀\nid = \"a\"\r\nend");
    }
}
