//! The fuzz corpus of `csv_import` (`fuzz/corpus/csv_import`), replayed
//! through the same function the fuzz target calls, then a few thousand
//! mutations of its valid files: the stable toolchain's share of fuzzing.

use std::path::{Path, PathBuf};

use climb_hris::fuzzing::csv_import;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// The corpus files, sorted by name.
fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/csv_import");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_file_of_the_csv_import_corpus_holds_the_fuzz_invariants() {
    let files = corpus();
    assert!(files.len() >= 50, "only {} corpus files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        match std::panic::catch_unwind(|| csv_import(&bytes)) {
            Ok(Ok(())) => {}
            Ok(Err(broken)) => failures.push(format!("{name:?}: {broken}")),
            Err(_) => failures.push(format!("{name:?}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The corpus files whose name says they are valid, read once.
static VALID_FILES: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
    corpus()
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("valid"))
        })
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
});

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_corpus_files_hold_the_fuzz_invariants(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                prop_oneof![prop::sample::select(b"\",\r\n \t@-0a".to_vec()), any::<u8>()],
                0u8..3,
            ),
            1..8,
        ),
    ) {
        let files = &*VALID_FILES;
        prop_assume!(!files.is_empty());
        let mut bytes = files[file.index(files.len())].clone();
        for (at, byte, how) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match how {
                0 => bytes[i] = byte,
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, byte),
            }
        }
        if let Err(broken) = csv_import(&bytes) {
            return Err(TestCaseError::fail(broken.to_string()));
        }
    }
}
