//! Property tests: generated valid frameworks check clean, and arbitrary or
//! mutated input never makes the checker panic.

use std::fmt::Write as _;

use climb_framework::diagnostic::{render_json, render_text};
use climb_framework::{BUILTIN_SOURCE, check};
use proptest::prelude::*;

/// A generated framework: streams with tracks, and per stream a ladder of
/// roles with strictly increasing seniorities.
#[derive(Debug, Clone)]
struct Generated {
    tracks: Vec<u8>,
    ladders: Vec<Vec<u8>>,
    laterals: Vec<(usize, usize)>,
}

fn generated() -> impl Strategy<Value = Generated> {
    (1usize..6)
        .prop_flat_map(|streams| {
            (
                prop::collection::vec(0u8..3, streams),
                prop::collection::vec(prop::collection::btree_set(0u8..=100, 1..8), streams),
                prop::collection::vec((0usize..64, 0usize..64), 0..12),
            )
        })
        .prop_map(|(tracks, ladders, laterals)| Generated {
            tracks,
            ladders: ladders
                .into_iter()
                .map(|l| l.into_iter().collect())
                .collect(),
            laterals,
        })
}

impl Generated {
    fn to_toml(&self) -> String {
        let mut out = String::from("[framework]\nname = \"Generated\"\nversion = \"0\"\n");
        for (s, track) in self.tracks.iter().enumerate() {
            let track = ["ic", "management", "executive"][usize::from(*track)];
            let _ = write!(
                out,
                "\n[[streams]]\nid = \"s{s}\"\nname = \"Stream {s}\"\ntrack = \"{track}\"\n"
            );
        }
        let mut roles = Vec::new();
        for (s, ladder) in self.ladders.iter().enumerate() {
            for (r, seniority) in ladder.iter().enumerate() {
                let _ = write!(
                    out,
                    "\n[[roles]]\nid = \"s{s}-r{r}\"\ntitle = \"Role {s}.{r}\"\nstream = \"s{s}\"\nseniority = {seniority}\nentry = {}\n",
                    r == 0
                );
                roles.push((s, r));
            }
        }
        for (s, ladder) in self.ladders.iter().enumerate() {
            for r in 1..ladder.len() {
                let _ = write!(
                    out,
                    "\n[[transitions]]\nfrom = \"s{s}-r{}\"\nto = \"s{s}-r{r}\"\nkind = \"promotion\"\n",
                    r - 1
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for &(a, b) in &self.laterals {
            let (from, to) = (roles[a % roles.len()], roles[b % roles.len()]);
            // Laterals change stream; each pair at most once.
            if from.0 != to.0 && seen.insert((from, to)) {
                let _ = write!(
                    out,
                    "\n[[transitions]]\nfrom = \"s{}-r{}\"\nto = \"s{}-r{}\"\nkind = \"lateral\"\n",
                    from.0, from.1, to.0, to.1
                );
            }
        }
        out
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_valid_frameworks_check_without_errors(framework in generated()) {
        let source = framework.to_toml();
        let report = check(source.as_bytes());
        prop_assert_eq!(report.error_count(), 0, "{}", render_text(&report, "gen.toml", false));
        let loaded = report.framework().expect("no errors means a framework");
        let roles: usize = framework.ladders.iter().map(Vec::len).sum();
        prop_assert_eq!(loaded.roles().len(), roles);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let report = check(&bytes);
        prop_assert_eq!(report.framework().is_some(), !report.has_errors());
        render_text(&report, "any.toml", false);
        render_json(&report, "any.toml");
    }

    #[test]
    fn mutated_valid_files_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = BUILTIN_SOURCE.as_bytes().to_vec();
        for (at, byte, how) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match how {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        let report = check(&bytes);
        prop_assert_eq!(report.framework().is_some(), !report.has_errors());
        render_text(&report, "mutated.toml", true);
        render_json(&report, "mutated.toml");
    }
}
