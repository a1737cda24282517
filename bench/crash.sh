#!/usr/bin/env bash
# Crash cycles on both backends, SIGKILL at a random moment each:
# - server: writers send mixed changes to `climb serve`, which is killed and
#   restarted; every acknowledged write, the one-event-per-change audit log,
#   the database's integrity check and `climb audit verify` are checked;
# - import: `climb import` of a generated company, into a fresh database and
#   again over it, is killed; the import must be all or nothing, the database
#   must pass its integrity check and `climb audit verify`, and a re-run must
#   complete it;
# - migration: `climb serve` migrating a database of an older schema that
#   holds the company is killed; the schema must be before or after, the rows
#   intact, and a restart must complete it.
#
#   bench/crash.sh                    # 50 cycles per backend and kind, 100k rows
#   bench/crash.sh 200                # more cycles
#   bench/crash.sh 20 import          # only the import cycles (or server, migration)
#   CLIMB_CRASH_IMPORT_ROWS=1000000 bench/crash.sh
#   SKIP_PG=1 bench/crash.sh          # SQLite only
#   ONLY=postgres bench/crash.sh      # one backend (sqlite or postgres)
#
# CI runs the same tests with 5 cycles and 5,000 rows. PostgreSQL comes from a
# throwaway cluster (scripts/pg-cluster.sh), as in the test suite. The tests
# run one at a time (--no-capture), so that a kill moment drawn over a
# calibrated run's duration is not skewed by another test's load.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-50}"
case "${2:-all}" in
    all) filter='test(/crash(_import|_migrate)?::/)' ;;
    server) filter='test(/crash::/)' ;;
    import) filter='test(/crash_import::/)' ;;
    migration) filter='test(/crash_migrate::/)' ;;
    *) echo "crash.sh: the second argument is all, server, import or migration" >&2; exit 2 ;;
esac
case "${ONLY:-}" in
    '') ;;
    sqlite | postgres) filter="$filter & test(/::${ONLY}_/)" ;;
    *) echo "crash.sh: ONLY is sqlite or postgres" >&2; exit 2 ;;
esac
if [[ -z "${SKIP_PG:-}" && "${ONLY:-}" != sqlite ]]; then
    export "$(scripts/pg-cluster.sh start | grep '^CLIMB_TEST_PG_URL=')"
    export CLIMB_REQUIRE_PG=1
fi
export CLIMB_CRASH_IMPORT_ROWS="${CLIMB_CRASH_IMPORT_ROWS:-100000}"
CLIMB_CRASH_CYCLES="$cycles" cargo nextest run -p climb --no-capture -E "$filter" 2>&1 \
    | grep --line-buffered -E '^crash (cycles|progress)|^test crash|PASS|FAIL|panicked'
