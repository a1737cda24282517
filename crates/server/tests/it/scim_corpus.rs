//! Replays the checked-in SCIM fuzz corpus (`fuzz/corpus/scim`) through the
//! function the fuzz target calls, then mutations of it and arbitrary
//! bytes, so what the fuzzer guards stays guarded on stable.

use std::sync::LazyLock;

use climb_server::scim::fuzzing::filter_and_patch;
use proptest::prelude::*;

/// The corpus, read once.
static CORPUS: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(read_corpus);

fn read_corpus() -> Vec<(String, Vec<u8>)> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/scim");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .expect("the corpus folder")
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let data = std::fs::read(&path).expect("a corpus file");
            (path.display().to_string(), data)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_holds_the_scim_parsers_invariants() {
    let files = &*CORPUS;
    assert!(files.len() >= 40, "only {} corpus files", files.len());
    for (name, data) in files {
        if let Err(broken) = filter_and_patch(data) {
            panic!("{name}: {broken}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn mutated_corpus_files_hold_the_invariants(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let files = &*CORPUS;
        let mut data = files[pick.index(files.len())].1.clone();
        for (at, byte, how) in edits {
            let at = if data.len() > 1 { 1 + at.index(data.len() - 1) } else { data.len() };
            match how {
                0 if at < data.len() => data[at] = byte,
                1 if at < data.len() => { data.remove(at); }
                _ => data.insert(at.min(data.len()), byte),
            }
        }
        prop_assert_eq!(filter_and_patch(&data), Ok(()));
    }

    #[test]
    fn arbitrary_bytes_hold_the_invariants(data in prop::collection::vec(any::<u8>(), 0..300)) {
        prop_assert_eq!(filter_and_patch(&data), Ok(()));
    }
}
