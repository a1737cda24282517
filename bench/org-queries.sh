#!/usr/bin/env bash
# The org index against recursive CTEs: headcount by role below a mid-level
# manager and below the CEO, and the management chain of the deepest person,
# on the same generated company in SQLite and PostgreSQL, in one run
# (crates/hris/examples/org_queries.rs prints the table).
#
#   bench/org-queries.sh                 # 100k and 1M people
#   bench/org-queries.sh 10000           # other sizes
#   SKIP_PG=1 bench/org-queries.sh       # SQLite only
#
# Files go to target/bench-import (override with CLIMB_BENCH_DIR); the
# generated CSVs and the databases are kept, so a second run skips the import.
# FRESH=1 starts from empty databases (and times the import again).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
dir=${CLIMB_BENCH_DIR:-$root/target/bench-import}
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$dir"

echo "building (release)..." >&2
cargo build --release --quiet -p climb-hris --example org_queries

pg_base=
if [[ -z ${SKIP_PG:-} ]]; then
    pg_url=$(scripts/pg-cluster.sh start | sed -n 's/^CLIMB_TEST_PG_URL=//p')
    [[ -n $pg_url ]] || { echo "could not start PostgreSQL" >&2; exit 2; }
    pg_base=${pg_url%/*}
fi

for n in "${sizes[@]}"; do
    file=$dir/company-$n.csv
    if [[ ! -s $file ]]; then
        cargo build --release --quiet --bin climb
        "$target/release/climb" demo generate --people "$n" -o "$file"
    fi
    db=$dir/org-$n.db
    urls=("sqlite://$db")
    if [[ -n ${FRESH:-} ]]; then
        rm -f "$db" "$db-wal" "$db-shm"
    fi
    if [[ -n $pg_base ]]; then
        name=climb_org_$n
        if [[ -n ${FRESH:-} ]]; then
            psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS $name" >/dev/null
        fi
        exists=$(psql -tA "$pg_base/postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")
        [[ $exists == 1 ]] || psql -q "$pg_base/postgres" -c "CREATE DATABASE $name" >/dev/null
        urls+=("$pg_base/$name")
    fi
    echo "== $n people"
    "$target/release/examples/org_queries" "$file" "${urls[@]}"
done
