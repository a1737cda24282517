#!/usr/bin/env bash
# Times `climb import` of generated demo companies into SQLite and into
# PostgreSQL, then a re-import of the same file (every row unchanged).
# The peer, timed in the same run on the same file: the sqlite3 shell's
# `.import` into a bare table with a unique email index (no validation, no
# history, no audit, no org), with the same journal settings as climb.
#
#   bench/import.sh                 # 100k and 1M people, both backends
#   bench/import.sh 10000           # other sizes
#   SKIP_PG=1 bench/import.sh       # SQLite only
#
# Files and databases go to target/bench-import (override with
# CLIMB_BENCH_DIR). Generated CSVs are kept and reused between runs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
dir=${CLIMB_BENCH_DIR:-$root/target/bench-import}
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/climb
mkdir -p "$dir"

echo "building climb (release)..." >&2
cargo build --release --quiet --bin climb

# Runs a command, printing its wall time in seconds and peak memory in MiB.
timed() {
    local start end rss_file
    rss_file=$(mktemp)
    start=$(date +%s.%N)
    local status=0
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f '%M' -o "$rss_file" "$@" >/dev/null || status=$?
    else
        "$@" >/dev/null || status=$?
    fi
    if [[ $status -ne 0 ]]; then
        echo "FAILED ($status): $*" >&2
        rm -f "$rss_file"
        echo "-1 0"
        return
    fi
    end=$(date +%s.%N)
    local rss_kib
    rss_kib=$(tail -n 1 "$rss_file" 2>/dev/null || echo 0)
    rm -f "$rss_file"
    awk -v s="$start" -v e="$end" -v r="${rss_kib:-0}" 'BEGIN { printf "%.2f %d\n", e - s, r / 1024 }'
}

report() { # size backend step seconds mib
    awk -v n="$1" -v b="$2" -v step="$3" -v t="$4" -v m="$5" \
        'BEGIN { printf "%-9s %-10s %-10s %8.2f s %10.0f rows/s %6d MiB\n", n, b, step, t, (t > 0 ? n / t : 0), m }'
}

pg_base=
if [[ -z ${SKIP_PG:-} ]]; then
    pg_url=$(scripts/pg-cluster.sh start | sed -n 's/^CLIMB_TEST_PG_URL=//p')
    [[ -n $pg_url ]] || { echo "could not start PostgreSQL" >&2; exit 2; }
    pg_base=${pg_url%/*}
fi

printf '%-9s %-10s %-10s %10s %17s %10s\n' people backend step time throughput memory
for n in "${sizes[@]}"; do
    file=$dir/company-$n.csv
    if [[ ! -s $file ]]; then
        read -r t m < <(timed "$bin" demo generate --people "$n" -o "$file")
        report "$n" - generate "$t" "$m"
    fi

    db=$dir/bench-$n.db
    rm -f "$db" "$db-wal" "$db-shm"
    read -r t m < <(timed "$bin" --db "sqlite://$db" import "$file")
    report "$n" sqlite import "$t" "$m"
    read -r t m < <(timed "$bin" --db "sqlite://$db" import "$file")
    report "$n" sqlite re-import "$t" "$m"
    if command -v sqlite3 >/dev/null; then
        peer=$dir/peer-$n.db
        rm -f "$peer" "$peer-wal" "$peer-shm"
        read -r t m < <(timed sqlite3 "$peer" \
            "PRAGMA journal_mode = WAL" "PRAGMA synchronous = FULL" \
            "CREATE TABLE people (email TEXT NOT NULL, name TEXT, role TEXT, manager_email TEXT, start_date TEXT, status TEXT, end_date TEXT)" \
            "CREATE UNIQUE INDEX people_email ON people (email)" \
            ".import --csv --skip 1 $file people")
        report "$n" sqlite3 .import "$t" "$m"
    fi
    read -r t m < <(timed "$bin" --db "sqlite://$db" export -o "$dir/export-$n.csv")
    report "$n" sqlite export "$t" "$m"

    if [[ -n $pg_base ]]; then
        name=climb_bench_$n
        psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
        read -r t m < <(timed "$bin" --db "$pg_base/$name" import "$file")
        report "$n" postgres import "$t" "$m"
        read -r t m < <(timed "$bin" --db "$pg_base/$name" import "$file")
        report "$n" postgres re-import "$t" "$m"
    fi
done
