//! How long `check` takes on generated frameworks of 1k, 10k and 100k roles
//! (about 3 transitions per role, 8 streams, 4 competencies that every role
//! expects), and on a 50 MB file, which
//! must come back promptly with its E001 rather than hang.
//!
//! Each size is also parsed by a peer, `toml::from_str::<toml::Table>`: the
//! `toml` crate reading the same bytes into a plain table, with no spans and
//! no checks. `check` does all of that and more, so the ratio of the two says
//! how far from a bare TOML parse the whole check is.

use std::fmt::Write as _;
use std::hint::black_box;

use climb_framework::check;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const STREAMS: usize = 8;
const LEVELS: usize = 101;
const COMPETENCIES: usize = 4;
const COMPETENCY_LEVELS: usize = 5;

/// A valid framework of `roles` roles: each stream's roles are spread over
/// the 101 seniorities, `k` per seniority. Role (s, level, j) is promoted to
/// (s, level + 1, j) and (s, level + 1, j + 1), and moves laterally to
/// (s + 1, level, j); the lowest level is the entry level. Every role
/// expects each competency at a level that grows with its seniority.
fn framework(roles: usize) -> String {
    let per_stream = roles.div_ceil(STREAMS);
    let k = per_stream.div_ceil(LEVELS);
    let id = |s: usize, i: usize| format!("s{s}-r{i}");
    let mut out = String::with_capacity(roles * 400);
    out.push_str("[framework]\nname = \"Benchmark\"\nversion = \"1\"\n");
    for s in 0..STREAMS {
        let track = if s == 0 { "management" } else { "ic" };
        let _ = write!(
            out,
            "\n[[streams]]\nid = \"s{s}\"\nname = \"Stream {s}\"\ntrack = \"{track}\"\n"
        );
    }
    for c in 0..COMPETENCIES {
        let _ = write!(
            out,
            "\n[[competencies]]\nid = \"c{c}\"\nname = \"Competency {c}\"\nlevels = ["
        );
        for l in 0..COMPETENCY_LEVELS {
            let _ = write!(out, "{}\"Level {l}\"", if l == 0 { "" } else { ", " });
        }
        out.push_str("]\n");
    }
    for s in 0..STREAMS {
        for i in 0..per_stream {
            let level = i / k;
            let _ = write!(
                out,
                "\n[[roles]]\nid = \"{}\"\ntitle = \"Role {s} {i}\"\nstream = \"s{s}\"\nseniority = {level}\nentry = {}\nsummary = \"A generated role.\"\nexpectations = {{ ",
                id(s, i),
                i < k
            );
            for c in 0..COMPETENCIES {
                let expected = 1 + (level * COMPETENCY_LEVELS / LEVELS + c) % COMPETENCY_LEVELS;
                let _ = write!(out, "{}c{c} = {expected}", if c == 0 { "" } else { ", " });
            }
            out.push_str(" }\n");
        }
    }
    for s in 0..STREAMS {
        for i in 0..per_stream {
            let (level, j) = (i / k, i % k);
            let mut targets = vec![((level + 1) * k + j, "promotion", s)];
            if k > 1 {
                targets.push(((level + 1) * k + (j + 1) % k, "promotion", s));
            }
            if s + 1 < STREAMS {
                targets.push((i, "lateral", s + 1));
            }
            for (target, kind, stream) in targets {
                if target < per_stream {
                    let _ = write!(
                        out,
                        "\n[[transitions]]\nfrom = \"{}\"\nto = \"{}\"\nkind = \"{kind}\"\n",
                        id(s, i),
                        id(stream, target)
                    );
                }
            }
        }
    }
    out
}

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
