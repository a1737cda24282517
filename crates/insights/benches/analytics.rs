//! The analytics on a generated company of 1,000,000 people (everyone ever
//! hired, 3% of them gone) with ten years of role history: each question
//! over the whole company and below a mid-level manager, the scope resolved
//! inside the timing as a request would. Prints the org's memory once, and
//! the history index's.

mod support;

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use climb_framework::Framework;
use climb_insights::analytics::{Period, Population, Privacy, Scope};
use climb_insights::{DEFAULT_SPAN_THRESHOLD, flow, pyramid, span, time_in_role};
use climb_people::PersonId;
use criterion::{Criterion, criterion_group, criterion_main};

use support::company::{AS_OF, SPAN, company};

fn bench(c: &mut Criterion) {
    let framework: &Framework = climb_framework::builtin();
    let org = company();
    let memory = org.memory_breakdown();
    let history = memory.history_table + memory.history_entries + memory.history_strings;
    let changes: usize = org.people().map(|p| org.history(p.id).len()).sum();
    let mib = |bytes: usize| bytes as f64 / (1 << 20) as f64;
    eprintln!(
        "{} people, {changes} role-history entries; org {:.0} MiB, of which the role history {:.0} MiB \
         and the history index {:.1} MiB ({} B/person)",
        org.people_count(),
        mib(memory.total()),
        mib(history),
        mib(memory.history_index),
        memory.history_index / org.people_count().max(1),
    );
    let as_of: NaiveDate = AS_OF.parse().unwrap_or(NaiveDate::MIN);
    // A manager two layers below the CTO: about a seventh of a seventh.
    let mid = PersonId(1 + SPAN + 1);
    let period = Period::new(as_of - Days::new(365), as_of).unwrap_or_else(|e| panic!("{e}"));
    for (name, under) in [("company", None), ("below-a-director", Some(mid))] {
        let scope = Scope {
            under,
            stream: None,
            as_of,
        };
        let population =
            || Population::new(framework, &org, scope.clone()).unwrap_or_else(|e| panic!("{e}"));
        let mut group = c.benchmark_group(format!("insights/{name}"));
        group.sample_size(10);
        group.bench_function("scope", |b| b.iter(|| black_box(population().len())));
        group.bench_function("pyramid", |b| b.iter(|| black_box(pyramid(&population()))));
        group.bench_function("time_in_role", |b| {
            b.iter(|| black_box(time_in_role(&population(), Privacy::Full)))
        });
        let flow_scope = Scope {
            as_of: period.last_day(),
            ..scope.clone()
        };
        group.bench_function("flow", |b| {
            b.iter(|| {
                let population = Population::new(framework, &org, flow_scope.clone())
                    .unwrap_or_else(|e| panic!("{e}"));
                black_box(flow(&population, period, Privacy::Full))
            })
        });
        group.bench_function("span", |b| {
            b.iter(|| black_box(span(&population(), DEFAULT_SPAN_THRESHOLD, Privacy::Full)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
