#!/usr/bin/env bash
# Times opening a review cycle for a generated company in the store (one
# transaction) and computing every growth plan, on SQLite and, when
# CLIMB_BENCH_PG_URL names a database, on PostgreSQL.
#
#   bench/reviews.sh            # 100k people
#   bench/reviews.sh 10000      # another size
#
# Files go to target/bench-reviews (override with CLIMB_BENCH_DIR).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
people=${1:-100000}
dir=${CLIMB_BENCH_DIR:-$root/target/bench-reviews}
mkdir -p "$dir"

cargo build --release --quiet -p climb-hris --example review_timing
bin=${CARGO_TARGET_DIR:-$root/target}/release/examples/review_timing

echo "== SQLite, $people people"
"$bin" "$people" "$dir"
if [[ -n ${CLIMB_BENCH_PG_URL:-} ]]; then
    echo "== PostgreSQL, $people people"
    "$bin" "$people" "$dir" "$CLIMB_BENCH_PG_URL"
fi
