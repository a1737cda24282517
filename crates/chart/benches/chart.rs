//! Benchmarks: the built-in framework to SVG and to PNG, and a generated
//! 1,000-role framework to SVG (layout and routing at scale).

use std::hint::black_box;

use climb_chart::{ChartOptions, render_png, render_svg};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/it/generate.rs"]
mod generate;

fn charts(c: &mut Criterion) {
    let builtin = climb_framework::builtin();
    let options = ChartOptions::default();
    c.bench_function("builtin_svg", |b| {
        b.iter(|| render_svg(black_box(builtin), &options))
    });
    c.bench_function("builtin_png", |b| {
        b.iter(|| render_png(black_box(builtin), &options, 1.0))
    });
    let source = generate::toml(&generate::realistic(8, 1000, 60, 300, 11));
    match climb_framework::load(&source) {
        Ok(large) => {
            c.bench_function("generated_1000_roles_svg", |b| {
                b.iter(|| render_svg(black_box(&large), &options))
            });
        }
        Err(report) => eprintln!("generated framework does not check: {report:?}"),
    }
}

criterion_group!(benches, charts);
criterion_main!(benches);
