//! How long `check` takes on generated frameworks of 1k, 10k and 100k roles
//! (about 3 transitions per role, 8 streams, 4 competencies that every role
//! expects), and on a 50 MB file, which
//! must come back promptly with its E001 rather than hang.
//!
//! Each size is also parsed by a peer, `toml::from_str::<toml::Table>`: the
//! `toml` crate reading the same bytes into a plain table, with no spans and
//! no checks. `check` does all of that and more, so the ratio of the two says
//! how far from a bare TOML parse the whole check is.

use std::hint::black_box;

use climb_framework::check;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/generate.rs"]
mod generate;
use generate::framework;

/// A 50 MB file: a valid header, long comment lines, a syntax error at the end.
fn large_file() -> Vec<u8> {
    let mut source = b"[framework]\nname = \"Big\"\nversion = \"1\"\n".to_vec();
    let line = format!("# {}\n", "x".repeat(1000));
    while source.len() < 50 * 1024 * 1024 {
        source.extend_from_slice(line.as_bytes());
    }
    source.extend_from_slice(b"this is not toml\n");
    source
}

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for roles in [1_000, 10_000, 100_000] {
        let source = framework(roles);
        let report = check(source.as_bytes());
        assert_eq!(
            report.error_count(),
            0,
            "{:?}",
            report.diagnostics().first()
        );
        let transitions = report.framework().map_or(0, |f| f.transitions().len());
        println!(
            "{roles} roles, {transitions} transitions: {} bytes ({:.1} MiB)",
            source.len(),
            source.len() as f64 / (1024.0 * 1024.0)
        );
        assert!(
            source.parse::<toml::Table>().is_ok(),
            "the peer parses the same file"
        );
        group.throughput(Throughput::Bytes(source.len() as u64));
        group.bench_with_input(BenchmarkId::new("roles", roles), &source, |b, source| {
            b.iter(|| check(black_box(source.as_bytes())));
        });
        group.bench_with_input(
            BenchmarkId::new("peer_toml_table", roles),
            &source,
            |b, source| {
                b.iter(|| toml::from_str::<toml::Table>(black_box(source)));
            },
        );
    }
    let big = large_file();
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("50mb_file_with_syntax_error", |b| {
        b.iter(|| {
            let report = check(black_box(&big));
            assert!(report.has_errors());
        });
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
