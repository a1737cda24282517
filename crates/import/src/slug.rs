//! Ids for what the source names in words: kebab-case slugs made unique
//! within their kind.

use std::collections::HashSet;

/// The longest id the importers write; longer titles are cut at a word.
const MAX_LEN: usize = 60;

/// `text` in kebab-case: ASCII letters and digits lowercased, accented
/// Latin letters without their accent, every other run of characters one
/// `-`. Empty when nothing is left.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let plain = match c {
            'à'..='å' | 'À'..='Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            c => c,
        };
        if plain.is_ascii_alphanumeric() {
            out.push(plain.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > MAX_LEN {
        let cut = out[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        out.truncate(cut);
    }
    out.trim_end_matches('-').to_owned()
}

/// Hands out ids of one kind, each unique: a repeated slug gets `-2`,
/// `-3`…, and a text with no letter or digit gets the kind's name.
#[derive(Debug)]
pub(crate) struct Slugs {
    kind: &'static str,
    taken: HashSet<String>,
}

impl Slugs {
    pub(crate) fn new(kind: &'static str) -> Self {
        Self {
            kind,
            taken: HashSet::new(),
        }
    }

    pub(crate) fn unique(&mut self, text: &str) -> String {
        let mut base = slug(text);
        if base.is_empty() {
            base = self.kind.to_owned();
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_kebab_case() {
        assert_eq!(slug("Senior Software Engineer"), "senior-software-engineer");
        assert_eq!(slug("  C++ / Rust (Café) "), "c-rust-cafe");
        assert_eq!(slug("工程师"), "");
    }

    #[test]
    fn repeated_and_empty_slugs_are_made_unique() {
        let mut slugs = Slugs::new("role");
        assert_eq!(slugs.unique("Lead"), "lead");
        assert_eq!(slugs.unique("lead"), "lead-2");
        assert_eq!(slugs.unique("!!"), "role");
        assert_eq!(slugs.unique("工"), "role-2");
    }

    #[test]
    fn every_slug_is_a_valid_id() {
        for text in ["a", "ÀÉ", "x--y", "-q-", &"word ".repeat(40)] {
            let id = slug(text);
            assert!(climb_framework::validate_id(&id).is_ok(), "{id:?}");
        }
    }
}
