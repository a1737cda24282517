//! "Did you mean …?" suggestions: the closest known name to a misspelt one,
//! by edit distance. Only computed for names that failed to resolve.

/// The candidate closest to `wrong`, if one is close enough to be a likely
/// typo (an edit distance of at most a third of the longer name, and at
/// least 1). Ties go to the first candidate.
pub(crate) fn did_you_mean<'c>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wrong: Vec<char> = wrong.chars().collect();
    // Very long names are not typos of short ones; this also bounds the work.
    if wrong.len() > MAX_LEN {
        return None;
    }
    let mut distance = Distance::default();
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        // A character takes at most 4 bytes: skip hopeless ones undecoded.
        if candidate.len() > 4 * MAX_LEN {
            continue;
        }
        distance.candidate.clear();
        distance.candidate.extend(candidate.chars());
        let candidate_len = distance.candidate.len();
        let limit = (wrong.len().max(candidate_len) / 3).max(1);
        if wrong.len().abs_diff(candidate_len) > limit || candidate_len > MAX_LEN {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1).min(limit));
        if let Some(d) = distance.bounded(&wrong, bound)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Names longer than this (in characters) get no suggestion.
const MAX_LEN: usize = 128;

/// Buffers for the edit distance, reused across candidates.
#[derive(Default)]
struct Distance {
    candidate: Vec<char>,
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Distance {
    /// The Levenshtein distance between `a` and the current candidate (over
    /// characters, a transposition of neighbours counting as one edit), or
    /// `None` when it exceeds `bound`.
    fn bounded(&mut self, a: &[char], bound: usize) -> Option<usize> {
        let b = &self.candidate;
        let width = b.len() + 1;
        self.before.clear();
        self.before.extend(0..width);
        self.previous.clear();
        self.previous.extend(0..width);
        self.current.clear();
        self.current.resize(width, 0);
        for i in 1..=a.len() {
            self.current[0] = i;
            let mut row_min = i;
            for j in 1..width {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut value = (self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(self.previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = value.min(self.before[j - 2] + 1);
                }
                self.current[j] = value;
                row_min = row_min.min(value);
            }
            // Row minima never decrease by more than the transposition
            // allows, so once a row is past the bound the result is too.
            if row_min > bound {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let distance = self.previous[b.len()];
        (distance <= bound).then_some(distance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_letter_typo_finds_the_intended_name() {
        let known = ["engineering", "management", "architecture"];
        assert_eq!(did_you_mean("enginering", known), Some("engineering"));
        assert_eq!(did_you_mean("managment", known), Some("management"));
    }

    #[test]
    fn swapped_neighbours_count_as_one_edit() {
        assert_eq!(did_you_mean("tilte", ["title", "summary"]), Some("title"));
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        assert_eq!(did_you_mean("colour", ["id", "title", "stream"]), None);
        assert_eq!(did_you_mean("", ["id"]), None);
    }

    #[test]
    fn the_closest_of_several_candidates_wins() {
        assert_eq!(
            did_you_mean("staff-enginer", ["staff-manager", "staff-engineer"]),
            Some("staff-engineer")
        );
    }
}
