//! Text measurement and wrapping with the embedded fonts' advance widths, so
//! that boxes fit their titles in the SVG and in the PNG alike.

use std::sync::LazyLock;

/// DejaVu Sans, the chart's Latin/Greek/Cyrillic face.
pub(crate) static REGULAR_FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, for the title and stream names.
pub(crate) static BOLD_FONT: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
/// WenQuanYi Micro Hei, for CJK (Chinese, Japanese, Korean) and whatever DejaVu Sans lacks.
pub(crate) static FALLBACK_FONT: &[u8] = include_bytes!("../fonts/wqy-microhei.ttc");

/// The `font-family` written into the SVG: the embedded families first, then
/// the browser's sans-serif.
pub(crate) const FONT_FAMILY: &str = "'DejaVu Sans', 'WenQuanYi Micro Hei', sans-serif";

/// Advance width used for a character neither embedded face maps well, in em.
const WIDE_ADVANCE: f64 = 1.0;
/// Advance width assumed if a face cannot be parsed at all, in em.
const FALLBACK_ADVANCE: f64 = 0.62;

/// Font weight of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Characters below this code point (Latin, Greek, Cyrillic) have their
/// advances tabulated once, so measuring is a lookup rather than a font walk.
const TABLE_END: u32 = 0x0600;

struct Faces {
    regular: Option<ttf_parser::Face<'static>>,
    bold: Option<ttf_parser::Face<'static>>,
    regular_table: Vec<f64>,
    bold_table: Vec<f64>,
}

static FACES: LazyLock<Faces> = LazyLock::new(|| {
    let regular = ttf_parser::Face::parse(REGULAR_FONT, 0).ok();
    let bold = ttf_parser::Face::parse(BOLD_FONT, 0).ok();
    let table = |face: Option<&ttf_parser::Face<'static>>| -> Vec<f64> {
        (0..TABLE_END)
            .map(|code| char::from_u32(code).map_or(0.0, |ch| face_advance(face, ch)))
            .collect()
    };
    Faces {
        regular_table: table(regular.as_ref()),
        bold_table: table(bold.as_ref()),
        regular,
        bold,
    }
});

/// Advance of one character in em.
fn advance(ch: char, weight: Weight) -> f64 {
    let faces = &*FACES;
    let (face, table) = match weight {
        Weight::Regular => (faces.regular.as_ref(), &faces.regular_table),
        Weight::Bold => (faces.bold.as_ref(), &faces.bold_table),
    };
    match table.get(u32::from(ch) as usize) {
        Some(&advance) => advance,
        None => face_advance(face, ch),
    }
}

/// Advance of one character in em, read from the face.
fn face_advance(face: Option<&ttf_parser::Face<'static>>, ch: char) -> f64 {
    let Some(face) = face else {
        return if is_wide(ch) {
            WIDE_ADVANCE
        } else {
            FALLBACK_ADVANCE
        };
    };
    if ch.is_control() {
        return 0.0;
    }
    match face
        .glyph_index(ch)
        .and_then(|glyph| face.glyph_hor_advance(glyph))
    {
        Some(units) if !is_wide(ch) => f64::from(units) / f64::from(face.units_per_em()),
        // Not in DejaVu Sans (CJK and friends): the fallback face draws it
        // full-width.
        _ => WIDE_ADVANCE,
    }
}

/// Whether a character is drawn full-width (CJK ideographs, kana, hangul,
/// full-width forms), where a line may also break between any two of them.
pub(crate) fn is_wide(ch: char) -> bool {
    matches!(u32::from(ch),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Width of `text` at `size` pixels.
pub(crate) fn measure(text: &str, size: f64, weight: Weight) -> f64 {
    text.chars().map(|ch| advance(ch, weight)).sum::<f64>() * size
}

/// Wide characters a line must not start with (closing punctuation, the
/// prolonged sound mark, small kana).
const NO_BREAK_BEFORE: &str =
    "、。，．：；？！）」』】〕〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";

/// Splits text into the pieces a line may break between: words (with the
/// space before them kept out) and single wide characters.
fn tokens(text: &str) -> Vec<(bool, String)> {
    // (space_before, token)
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut current = String::new();
    let mut space_before = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !current.is_empty() {
                out.push((space_before, std::mem::take(&mut current)));
            }
            space_before = !out.is_empty();
        } else if is_wide(ch)
            && NO_BREAK_BEFORE.contains(ch)
            && current.is_empty()
            && !out.is_empty()
        {
            // Kinsoku: closing marks and small kana stay with what precedes.
            if let Some(last) = out.last_mut() {
                last.1.push(ch);
            }
            space_before = false;
        } else if is_wide(ch) {
            if !current.is_empty() {
                out.push((space_before, std::mem::take(&mut current)));
                space_before = false;
            }
            out.push((space_before, ch.to_string()));
            space_before = false;
        } else {
            current.push(ch);
        }
    }
    if !current.is_empty() {
        out.push((space_before, current));
    }
    out
}

/// Breaks a token wider than `max` into pieces that each fit.
fn split_long(token: &str, size: f64, weight: Weight, max: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut width = 0.0;
    for ch in token.chars() {
        let w = advance(ch, weight) * size;
        if width + w > max && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
            width = 0.0;
        }
        current.push(ch);
        width += w;
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Wraps `text` into at most `max_lines` lines no wider than `max_width`
/// (a longer text ends its last line with an ellipsis). Never returns an
/// empty list: an empty text gives one empty line.
pub(crate) fn wrap(
    text: &str,
    size: f64,
    weight: Weight,
    max_width: f64,
    max_lines: usize,
) -> Vec<String> {
    let space = measure(" ", size, weight);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for (space_before, token) in tokens(text) {
        if measure(&token, size, weight) > max_width {
            for (i, piece) in split_long(&token, size, weight, max_width)
                .into_iter()
                .enumerate()
            {
                pieces.push((space_before && i == 0, piece));
            }
        } else {
            pieces.push((space_before, token));
        }
    }
    for (space_before, piece) in pieces {
        let width = measure(&piece, size, weight);
        let gap = if space_before && !line.is_empty() {
            space
        } else {
            0.0
        };
        if !line.is_empty() && line_width + gap + width > max_width {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        } else if gap > 0.0 {
            line.push(' ');
            line_width += gap;
        }
        line.push_str(&piece);
        line_width += width;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1);
        let rest = lines.split_off(keep - 1).join(" ");
        lines.push(ellipsize(&rest, size, weight, max_width));
    }
    lines
}

/// Cuts `text` to fit `max_width` with a trailing ellipsis.
fn ellipsize(text: &str, size: f64, weight: Weight, max_width: f64) -> String {
    if measure(text, size, weight) <= max_width {
        return text.to_owned();
    }
    let budget = max_width - measure("…", size, weight);
    let mut out = String::new();
    let mut width = 0.0;
    for ch in text.chars() {
        let w = advance(ch, weight) * size;
        if width + w > budget {
            break;
        }
        out.push(ch);
        width += w;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measurement_uses_real_advances() {
        // DejaVu Sans: 'i' is much narrower than 'W'.
        assert!(measure("i", 10.0, Weight::Regular) < measure("W", 10.0, Weight::Regular) / 2.0);
        // Bold is wider than regular.
        assert!(
            measure("Engineer", 13.0, Weight::Bold) > measure("Engineer", 13.0, Weight::Regular)
        );
    }

    #[test]
    fn cjk_is_measured_full_width() {
        assert!((measure("软件", 10.0, Weight::Regular) - 20.0).abs() < 1e-9);
    }

    #[test]
    fn long_titles_wrap_on_words_and_never_exceed_three_lines() {
        let lines = wrap("Senior Software Engineer", 13.0, Weight::Regular, 120.0, 3);
        assert_eq!(lines, vec!["Senior Software", "Engineer"]);
        let long = "word ".repeat(40);
        let lines = wrap(&long, 13.0, Weight::Regular, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        for line in &lines {
            assert!(measure(line, 13.0, Weight::Regular) <= 100.0 + 1e-9);
        }
    }

    #[test]
    fn cjk_breaks_between_characters() {
        let lines = wrap("软件工程师软件工程师", 10.0, Weight::Regular, 50.0, 3);
        assert_eq!(lines, vec!["软件工程师", "软件工程师"]);
    }

    #[test]
    fn a_line_never_starts_with_a_prolonged_sound_mark() {
        let lines = wrap(
            "エンジニアリングマネージャー",
            13.0,
            Weight::Regular,
            150.0,
            3,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| !l.starts_with('ー')), "{lines:?}");
    }

    #[test]
    fn an_unbreakable_word_is_split() {
        let lines = wrap(&"x".repeat(60), 13.0, Weight::Regular, 100.0, 3);
        assert!(lines.len() > 1);
        assert!(measure(&lines[0], 13.0, Weight::Regular) <= 100.0);
    }
}
