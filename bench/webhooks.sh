#!/usr/bin/env bash
# The webhook benchmark (crates/server/examples/webhook_bench.rs): role-change
# latency with and without a subscription, and the delivery worker's
# throughput to a receiver on 127.0.0.1, on SQLite and, unless SKIP_PG=1, on
# a throwaway PostgreSQL cluster (scripts/pg-cluster.sh).
#
#   bench/webhooks.sh                       # 10,000 people, 1,000 changes, 20,000 events
#   bench/webhooks.sh 100000 2000 50000     # other sizes
#   PROFILE=release bench/webhooks.sh       # an optimised build (the default is debug)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

people=${1:-10000}
changes=${2:-1000}
events=${3:-20000}
profile=${PROFILE:-dev}
dir=${CLIMB_BENCH_DIR:-$root/target/bench-webhooks}
mkdir -p "$dir"

cargo build --quiet --profile "$profile" -p climb-server --example webhook_bench
case $profile in
    dev) out=debug ;;
    *) out=$profile ;;
esac
bin=${CARGO_TARGET_DIR:-$root/target}/$out/examples/webhook_bench

echo "== SQLite ($profile build)"
"$bin" sqlite "$dir" "$people" "$changes" "$events"

if [[ ${SKIP_PG:-} != 1 ]]; then
    pg_url=$(scripts/pg-cluster.sh start | sed -n 's/^CLIMB_TEST_PG_URL=//p')
    echo "== PostgreSQL ($profile build)"
    "$bin" postgres "$pg_url" "$people" "$changes" "$events"
fi
