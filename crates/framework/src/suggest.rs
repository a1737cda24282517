//! "Did you mean …?" suggestions: the closest known name to a misspelt one,
//! by edit distance. Only computed for names that failed to resolve.

/// The candidate closest to `wrong`, if one is close enough to be a likely
/// typo (an edit distance of at most a third of the longer name, and at
/// least 1). Ties go to the first candidate.
pub(crate) fn did_you_mean<'c>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let wrong_len = wrong.chars().count();
    // Very long names are not typos of short ones; this also bounds the work.
    if wrong_len > 128 {
        return None;
    }
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let candidate_len = candidate.chars().count();
        let limit = (wrong_len.max(candidate_len) / 3).max(1);
        if wrong_len.abs_diff(candidate_len) > limit || candidate_len > 128 {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1).min(limit));
        if let Some(distance) = bounded_distance(wrong, candidate, bound) {
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, candidate));
            }
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The Levenshtein distance between `a` and `b` (over characters, with a
/// transposition of neighbours counting as one edit), or `None` when it
/// exceeds `bound`.
fn bounded_distance(a: &str, b: &str, bound: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = (0..=b.len()).collect();
    let mut previous: Vec<usize> = before.clone();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= bound).then_some(distance)
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
