#!/usr/bin/env bash
# Crash cycles against `climb serve` on both backends: writers send mixed
# changes, the server is killed with SIGKILL at a random moment, restarted,
# and every acknowledged write, the one-event-per-change audit log, the
# database's integrity check and `climb audit verify` are checked.
#
#   bench/crash.sh          # 50 cycles per backend
#   bench/crash.sh 200      # more
#   SKIP_PG=1 bench/crash.sh
#
# CI runs the same test with 5 cycles. PostgreSQL comes from a throwaway
# cluster (scripts/pg-cluster.sh), as in the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-50}"
if [[ -z "${SKIP_PG:-}" ]]; then
    export "$(scripts/pg-cluster.sh start | grep '^CLIMB_TEST_PG_URL=')"
    export CLIMB_REQUIRE_PG=1
fi
CLIMB_CRASH_CYCLES="$cycles" cargo nextest run -p climb --no-capture -E 'test(/crash::/)' 2>&1 \
    | grep -E '^crash cycles|^test crash::|PASS|FAIL|panicked'
