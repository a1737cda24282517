//! The fuzz corpus of `parse_check` (`fuzz/corpus/parse_check`), replayed
//! through the same function the fuzz target calls, so what the fuzzer
//! found once stays fixed on the stable toolchain.

use std::path::{Path, PathBuf};

use climb_framework::fuzzing::parse_check;

/// The corpus files, sorted by name.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_file_of_the_parse_check_corpus_holds_the_fuzz_invariants() {
    let files = corpus("parse_check");
    assert!(files.len() >= 50, "only {} corpus files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        match std::panic::catch_unwind(|| parse_check(&bytes)) {
            Ok(Ok(_)) => {}
            Ok(Err(broken)) => failures.push(format!("{name:?}: {broken}")),
            Err(_) => failures.push(format!("{name:?}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_corpus_holds_valid_files_and_each_kind_of_error() {
    let mut valid = 0;
    let mut codes = std::collections::BTreeSet::new();
    for file in corpus("parse_check") {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let report = climb_framework::check(&bytes);
        valid += usize::from(report.framework().is_some());
        codes.extend(report.diagnostics().iter().map(|d| d.code.as_str()));
    }
    assert!(valid >= 4, "{valid} valid files");
    for code in ["E001", "E002", "E003", "E004", "E005", "E006"] {
        assert!(
            codes.contains(code),
            "no corpus file raises {code}: {codes:?}"
        );
    }
}

#[test]
fn diagnose_text_gives_the_diagnostics_of_check_on_every_utf8_corpus_file() {
    for file in corpus("parse_check") {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let (diagnostics, parsed) = climb_framework::diagnose_text(text);
        let report = climb_framework::check(&bytes);
        assert_eq!(diagnostics, report.diagnostics(), "{}", file.display());
        assert_eq!(
            parsed.into_outline(),
            climb_framework::diagnose(&bytes).outline,
            "{}",
            file.display()
        );
    }
}
