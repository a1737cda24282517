//! Benchmarks validation of a 100k-row file against the built-in framework:
//! parsing plus checking from CSV bytes, and the pure checks alone.

use std::hint::black_box;

use climb_hris::demo::{generate, write_demo_csv};
use climb_hris::{Existing, NoProgress, plan, read_plan, read_raw};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const ROWS: usize = 100_000;

fn validate(c: &mut Criterion) {
    let framework = climb_framework::builtin();
    let company = generate(framework, ROWS, 1);
    let mut csv = Vec::new();
    if write_demo_csv(&company, &mut csv).is_err() {
        return;
    }
    drop(company);
    let raw: Vec<_> = read_raw(csv.as_slice())
        .map(|rows| rows.into_iter().filter_map(Result::ok).collect())
        .unwrap_or_default();
    let existing = Existing::new();

    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    group.bench_function("parse_and_check_100k_rows", |b| {
        b.iter(|| {
            read_plan(
                framework,
                &existing,
                black_box(csv.as_slice()),
                None,
                &NoProgress,
            )
            .map(|plan| plan.rows.len())
        });
    });
    group.bench_function("check_100k_rows", |b| {
        b.iter_batched(
            || raw.clone(),
            |rows| plan(framework, &existing, black_box(rows)).rows.len(),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
