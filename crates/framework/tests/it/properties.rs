//! Property tests: generated valid frameworks check clean, and arbitrary
//! bytes and ten thousand malformed files hold the fuzz target's
//! invariants: no panic, a framework exactly when there is no error, every
//! diagnostic at a line and column; and `diagnose_text` agrees with `check`.

use std::fmt::Write as _;

use std::cell::Cell;

use climb_framework::check;
use climb_framework::diagnostic::render_text;
use climb_framework::fuzzing::parse_check;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

use crate::support::BASE;

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
    fn arbitrary_bytes_hold_the_fuzz_invariants(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(broken) = parse_check(&bytes) {
            return Err(TestCaseError::fail(broken.to_string()));
        }
    }
}

/// The valid files mutations start from: small ones, so that ten thousand
/// checks stay quick in a debug build.
const VALID: [&str; 3] = [
    BASE,
    include_str!("../../../../frameworks/startup.toml"),
    include_str!("../../../../frameworks/scale-up.toml"),
];

/// One cheap edit of a file, each likely to break it a different way:
/// bytes (syntax), lines (missing or repeated keys and tables) and quoted
/// values moved elsewhere (unknown references, wrong types).
#[derive(Debug, Clone)]
enum Edit {
    SetByte(prop::sample::Index, u8),
    RemoveByte(prop::sample::Index),
    InsertByte(prop::sample::Index, u8),
    Truncate(prop::sample::Index),
    RemoveLine(prop::sample::Index),
    RepeatLine(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
    MoveValue(prop::sample::Index, prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to TOML and to the checker, besides any byte.
    let byte = prop_oneof![
        prop::sample::select(b"\"'=[]{}.,#\n\r\t -_0123456789aez\\".to_vec()),
        any::<u8>(),
    ];
    let at = any::<prop::sample::Index>;
    prop_oneof![
        (at(), byte.clone()).prop_map(|(i, b)| Edit::SetByte(i, b)),
        at().prop_map(Edit::RemoveByte),
        (at(), byte).prop_map(|(i, b)| Edit::InsertByte(i, b)),
        at().prop_map(Edit::Truncate),
        at().prop_map(Edit::RemoveLine),
        at().prop_map(Edit::RepeatLine),
        (at(), at()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (at(), at()).prop_map(|(a, b)| Edit::MoveValue(a, b)),
    ]
}

/// The byte ranges of the file's lines, newline included.
fn lines(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        ranges.push(start..bytes.len());
    }
    ranges
}

/// The byte ranges of double-quoted values, quotes included.
fn quoted(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let quotes: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'"').collect();
    quotes.chunks_exact(2).map(|q| q[0]..q[1] + 1).collect()
}

impl Edit {
    fn apply(&self, bytes: &mut Vec<u8>) {
        if bytes.is_empty() {
            return;
        }
        let len = bytes.len();
        match self {
            Edit::SetByte(at, b) => bytes[at.index(len)] = *b,
            Edit::RemoveByte(at) => {
                bytes.remove(at.index(len));
            }
            Edit::InsertByte(at, b) => bytes.insert(at.index(len), *b),
            Edit::Truncate(at) => bytes.truncate(at.index(len)),
            Edit::RemoveLine(at) => {
                let lines = lines(bytes);
                let line = lines[at.index(lines.len())].clone();
                bytes.drain(line);
            }
            Edit::RepeatLine(at) => {
                let lines = lines(bytes);
                let line = lines[at.index(lines.len())].clone();
                let copy = bytes[line.clone()].to_vec();
                bytes.splice(line.end..line.end, copy);
            }
            Edit::SwapLines(a, b) => {
                let lines = lines(bytes);
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                let (first, second) = (lines[a.min(b)].clone(), lines[a.max(b)].clone());
                let (x, y) = (
                    bytes[first.clone()].to_vec(),
                    bytes[second.clone()].to_vec(),
                );
                bytes.splice(second, x);
                bytes.splice(first, y);
            }
            Edit::MoveValue(from, to) => {
                let values = quoted(bytes);
                if values.is_empty() {
                    return;
                }
                let from = values[from.index(values.len())].clone();
                let to = values[to.index(values.len())].clone();
                let value = bytes[from].to_vec();
                bytes.splice(to, value);
            }
        }
    }
}

/// A valid file with one to six edits.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(VALID.to_vec()),
        prop::collection::vec(edit(), 1..7),
    )
        .prop_map(|(source, edits)| {
            let mut bytes = source.as_bytes().to_vec();
            for edit in &edits {
                edit.apply(&mut bytes);
            }
            bytes
        })
}

/// How many malformed files the test below checks.
const MALFORMED_FILES: u32 = 10_000;

#[test]
fn ten_thousand_malformed_files_never_panic_and_place_every_diagnostic() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: MALFORMED_FILES,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let malformed = Cell::new(0u32);
    let outcome = runner.run(&mutated(), |mut bytes| {
        // An edit may leave the file valid (a changed comment, a repeated
        // blank line); a second `[framework]` table makes it malformed.
        if !check(&bytes).has_errors() {
            bytes.extend_from_slice(b"\n[framework]\n");
        }
        let report =
            parse_check(&bytes).map_err(|broken| TestCaseError::fail(broken.to_string()))?;
        prop_assert!(
            report.has_errors(),
            "{}",
            render_text(&report, "mutated.toml", false)
        );
        malformed.set(malformed.get() + 1);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(malformed.get() >= MALFORMED_FILES, "{}", malformed.get());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// `diagnose_text`, which the language server runs on the text it
    /// keeps, finds exactly the diagnostics of `check` and the outline of
    /// `diagnose`, on valid and malformed files alike.
    #[test]
    fn diagnose_text_equals_check_and_diagnose(bytes in mutated()) {
        let text = String::from_utf8_lossy(&bytes);
        let (diagnostics, parsed) = climb_framework::diagnose_text(&text);
        let report = check(text.as_bytes());
        prop_assert_eq!(&diagnostics[..], report.diagnostics());
        let diagnosis = climb_framework::diagnose(text.as_bytes());
        prop_assert_eq!(parsed.into_outline(), diagnosis.outline);
    }
}
