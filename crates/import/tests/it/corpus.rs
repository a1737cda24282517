//! Replays the checked-in fuzz corpus (`fuzz/corpus/framework_import`)
//! through the function the fuzz target calls, so what the fuzzer found
//! stays fixed on stable.

use climb_import::fuzzing::any_format;

#[test]
fn every_corpus_file_holds_the_importers_invariants() {
    let folder = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/framework_import"
    );
    let mut replayed = 0;
    for entry in std::fs::read_dir(folder).expect("the corpus folder") {
        let path = entry.expect("a corpus entry").path();
        let data = std::fs::read(&path).expect("a corpus file");
        if let Err(broken) = any_format(&data) {
            panic!("{}: {broken}", path.display());
        }
        replayed += 1;
    }
    assert!(replayed >= 10, "only {replayed} corpus files");
}
