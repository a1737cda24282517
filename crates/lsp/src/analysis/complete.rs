//! Completion: which value belongs at the cursor, read from the text around
//! it (so it works while the line being typed is not yet TOML), and the ids
//! or enum values that fit there.

use std::ops::Range;

use climb_framework::outline::Outline;

use super::index::IdKind;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// An id of this kind.
    Id(IdKind),
    /// One of the spellings of an enum value (`track`, `kind`, `scope`).
    Enum,
}

/// One completion item, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The id or value.
    pub label: String,
    /// The item's title or name, when it has one.
    pub detail: Option<String>,
    /// What it is.
    pub kind: CompletionKind,
    /// The text that replaces `replace`.
    pub insert: String,
    /// The partly typed word before the cursor.
    pub replace: Range<usize>,
}

/// What belongs where the cursor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Ids(IdKind),
    Values(&'static [&'static str]),
}

const TRACKS: &[&str] = &["ic", "management", "executive"];
const KINDS: &[&str] = &["promotion", "lateral"];
const SCOPES: &[&str] = &["project"];

/// The completions at `offset` of `text`, ids taken from `known`.
pub(super) fn completions(text: &str, offset: usize, known: Option<&Outline>) -> Vec<Completion> {
    let Some(offset) = boundary(text, offset) else {
        return Vec::new();
    };
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let word_len = prefix
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .map(char::len_utf8)
        .sum::<usize>();
    let replace = offset - word_len..offset;
    let before = &prefix[..prefix.len() - word_len];
    let quoted = before.ends_with('"') || before.ends_with('\'');
    let before = before.trim_end_matches(['"', '\'']).trim_end();
    let section = section(&text[..line_start]);
    let Some((slot, is_key)) = slot(section, before, quoted) else {
        return Vec::new();
    };
    let wrap = |value: &str| {
        if quoted || is_key {
            value.to_owned()
        } else {
            format!("\"{value}\"")
        }
    };
    match slot {
        Slot::Values(values) => values
            .iter()
            .map(|value| Completion {
                label: (*value).to_owned(),
                detail: None,
                kind: CompletionKind::Enum,
                insert: wrap(value),
                replace: replace.clone(),
            })
            .collect(),
        Slot::Ids(kind) => ids(known, kind)
            .into_iter()
            .map(|(id, detail)| Completion {
                insert: wrap(&id),
                label: id,
                detail,
                kind: CompletionKind::Id(kind),
                replace: replace.clone(),
            })
            .collect(),
    }
}

/// The offset moved back onto a character boundary, or `None` past the end.
fn boundary(text: &str, mut offset: usize) -> Option<usize> {
    if offset > text.len() {
        return None;
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    Some(offset)
}

/// The name of the table the line after `before` belongs to: `roles` for
/// `[[roles]]`, `roles.expectations` for `[roles.expectations]`.
fn section(before: &str) -> &str {
    for line in before.lines().rev() {
        let line = line.trim_start();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let name = header.split(']').next().unwrap_or_default();
            return name.trim();
        }
    }
    ""
}

/// What belongs after `before` (the line up to the word being typed,
/// without its opening quote) in a table of `section`; and whether it is a
/// key (written bare) rather than a value.
fn slot(section: &str, before: &str, quoted: bool) -> Option<(Slot, bool)> {
    let trimmed = before.trim_start();
    // A key of a `[roles.expectations]` table, or of an inline
    // `expectations = { … }` being written.
    if !quoted {
        if section.ends_with("expectations") && trimmed.is_empty() {
            return Some((Slot::Ids(IdKind::Competency), true));
        }
        if section == "roles"
            && let Some(inline) = after_equals(trimmed, "expectations")
            && let Some(inside) = inline.strip_prefix('{')
            && (inside.trim().is_empty() || inside.trim_end().ends_with(','))
        {
            return Some((Slot::Ids(IdKind::Competency), true));
        }
    }
    if section == "designations"
        && let Some(array) = after_equals(trimmed, "eligible_streams")
        && let Some(inside) = array.strip_prefix('[')
        && (inside.trim().is_empty() || inside.trim_end().ends_with(','))
    {
        return Some((Slot::Ids(IdKind::Stream), false));
    }
    let key = trimmed.strip_suffix('=')?.trim_end();
    let slot = match (section, key) {
        ("transitions" | "renames", "from" | "to") => Slot::Ids(IdKind::Role),
        ("transitions", "kind") => Slot::Values(KINDS),
        ("roles", "stream") => Slot::Ids(IdKind::Stream),
        ("streams", "track") => Slot::Values(TRACKS),
        ("designations", "scope") => Slot::Values(SCOPES),
        _ => return None,
    };
    Some((slot, false))
}

/// What follows `key =` at the start of `line`, trimmed.
fn after_equals<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(key)?.trim_start();
    Some(rest.strip_prefix('=')?.trim_start())
}

/// The ids of a kind with their titles or names, in file order, each once.
fn ids(known: Option<&Outline>, kind: IdKind) -> Vec<(String, Option<String>)> {
    let Some(outline) = known else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let all: Vec<(String, Option<String>)> = match kind {
        IdKind::Role => outline
            .roles
            .iter()
            .filter_map(|r| Some((r.id.as_ref()?.value.clone(), r.title.clone())))
            .collect(),
        IdKind::Stream => outline
            .streams
            .iter()
            .filter_map(|s| Some((s.id.as_ref()?.value.clone(), s.name.clone())))
            .collect(),
        IdKind::Competency => outline
            .competencies
            .iter()
            .filter_map(|c| Some((c.id.as_ref()?.value.clone(), c.name.clone())))
            .collect(),
        IdKind::Designation => outline
            .designations
            .iter()
            .filter_map(|d| Some((d.id.as_ref()?.value.clone(), d.title.clone())))
            .collect(),
    };
    all.into_iter()
        .filter(|(id, _)| seen.insert(id.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[framework]\nname = \"F\"\nversion = \"1\"\n\n[[streams]]\nid = \"eng\"\nname = \"Engineering\"\ntrack = \"ic\"\n\n[[competencies]]\nid = \"delivery\"\nname = \"Delivery\"\nlevels = [\"a\"]\n\n[[roles]]\nid = \"dev\"\ntitle = \"Developer\"\nstream = \"eng\"\nseniority = 1\nentry = true\n";

    fn outline() -> Outline {
        climb_framework::diagnose(BASE.as_bytes())
            .outline
            .expect("the base file is TOML")
    }

    /// The labels offered at the end of `BASE` followed by `typed`.
    fn labels_after(typed: &str) -> Vec<(String, String)> {
        let text = format!("{BASE}{typed}");
        completions(&text, text.len(), Some(&outline()))
            .into_iter()
            .map(|c| (c.label, c.insert))
            .collect()
    }

    #[test]
    fn a_transition_end_offers_role_ids() {
        let offered = labels_after("\n[[transitions]]\nfrom = \"d");
        assert_eq!(offered, vec![("dev".to_owned(), "dev".to_owned())]);
        let unquoted = labels_after("\n[[transitions]]\nto = ");
        assert_eq!(unquoted, vec![("dev".to_owned(), "\"dev\"".to_owned())]);
    }

    #[test]
    fn a_role_stream_and_designation_streams_offer_stream_ids() {
        let offered = labels_after("\n[[roles]]\nstream = \"");
        assert_eq!(offered, vec![("eng".to_owned(), "eng".to_owned())]);
        let offered = labels_after("\n[[designations]]\neligible_streams = [\"x\", \"");
        assert_eq!(offered, vec![("eng".to_owned(), "eng".to_owned())]);
    }

    #[test]
    fn expectation_keys_offer_competency_ids() {
        let offered = labels_after("\n[[roles]]\nexpectations = { deli");
        assert_eq!(
            offered,
            vec![("delivery".to_owned(), "delivery".to_owned())]
        );
        let offered = labels_after("\n[roles.expectations]\n");
        assert_eq!(offered.len(), 1);
        // The level after a key is not an id.
        assert!(labels_after("\n[[roles]]\nexpectations = { delivery = ").is_empty());
    }

    #[test]
    fn enum_keys_offer_their_values() {
        let labels =
            |typed| -> Vec<String> { labels_after(typed).into_iter().map(|(l, _)| l).collect() };
        assert_eq!(
            labels("\n[[streams]]\ntrack = \""),
            ["ic", "management", "executive"]
        );
        assert_eq!(
            labels("\n[[transitions]]\nkind = '"),
            ["promotion", "lateral"]
        );
        assert_eq!(labels("\n[[designations]]\nscope = \""), ["project"]);
    }

    #[test]
    fn other_places_offer_nothing() {
        assert!(labels_after("\n[[roles]]\ntitle = \"").is_empty());
        assert!(labels_after("\n[[transitions]]\nfrom").is_empty());
        assert!(completions(BASE, BASE.len() + 5, Some(&outline())).is_empty());
    }
}
