//! Where the memory of a loaded org goes: opens a store, which loads the org
//! from the tables as `climb serve` does at start, then prints the heap the
//! process holds (counted by a global allocator), the peak resident memory
//! of the load (Linux), and the org's own estimate part by part
//! ([`climb_people::Org::memory_breakdown`]).
//!
//! ```sh
//! cargo run --release -p climb-store --example org_memory -- sqlite://people.db
//! ```

use std::alloc::System;
use std::time::Instant;

use cap::Cap;
use climb_store::Store;

/// The system allocator, counting the bytes currently allocated.
#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1 << 20) as f64)
}

/// A line of /proc/self/status (`VmRSS`, `VmHWM`), or "?" elsewhere.
fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .map(|rest| rest.trim_start_matches(':').trim().to_owned())
        })
        .unwrap_or_else(|| "?".to_owned())
}

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite://bench.db".to_owned());
    let started = Instant::now();
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    let load_time = started.elapsed();
    let org = store.org_cached().await;
    let parts = org.memory_breakdown();
    println!(
        "{} people ({} active), loaded in {:.1} s",
        org.people_count(),
        org.index().len(),
        load_time.as_secs_f64()
    );
    println!(
        "heap held after the load: {} (counted by the allocator); resident now {}, peak {}",
        mib(ALLOCATOR.allocated()),
        status("VmRSS"),
        status("VmHWM")
    );
    let n = org.people_count().max(1);
    let rows = [
        ("people map (buckets)", parts.people_table),
        ("people's names, emails, roles", parts.people_strings),
        ("role-history map (buckets)", parts.history_table),
        ("role-history entries", parts.history_entries),
        ("role-history roles and notes", parts.history_strings),
        ("email map (buckets)", parts.emails_table),
        ("email map's copies of emails", parts.emails_strings),
        ("org index", parts.index),
        ("history index", parts.history_index),
        ("total of the parts", parts.total()),
    ];
    for (what, bytes) in rows {
        println!("  {what:<32} {:>10}  {:>5} B/person", mib(bytes), bytes / n);
    }
}
