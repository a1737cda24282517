#!/usr/bin/env bash
# Load test of `climb serve` with wrk against a 100k-person company on
# SQLite (or the database CLIMB_BENCH_DB names): GET one person, GET the org
# summary below a director, POST role changes (bench/role-change.lua).
#
#   bench/load.sh                 # 100,000 people, 15 s per scenario
#   PEOPLE=20000 DURATION=5s bench/load.sh
#
# Role changes compared in one run (WRITE_BATCHES, each a fresh server on a
# freshly seeded database, one after the other):
#
#   WRITES_ONLY=1 WRITE_BATCHES="1 64" bench/load.sh
#   WRITES_ONLY=1 WRITE_BATCHES="64" BASELINE_CLIMB=path/to/old/climb bench/load.sh
#
# WRITE_BATCHES lists `climb serve --write-batch` values (most changes per
# transaction; 1 writes each alone); BASELINE_CLIMB adds a run of another
# build (say, of an earlier commit) with its defaults. WRITES_ONLY skips the
# GET scenarios. With CLIMB_BENCH_DB a PostgreSQL URL, each run gets a new
# database next to it (created and dropped with psql).
#
# Everything runs on 127.0.0.1; the database and logs live in a temporary
# directory removed at the end. Needs wrk and python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

people=${PEOPLE:-100000}
duration=${DURATION:-15s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
target=${CARGO_TARGET_DIR:-$root/target}
# The build the binaries come from: release unless PROFILE says otherwise.
profile=${PROFILE:-release}
bin=$target/$profile

command -v wrk >/dev/null || { echo "load.sh: wrk is not installed" >&2; exit 2; }

if [[ -z ${NO_BUILD:-} ]]; then
    echo "==> building (release)"
    profile_flag=(--profile "$profile")
    [[ $profile == debug ]] && profile_flag=()
    cargo build --quiet "${profile_flag[@]}" -p climb --bin climb
    cargo build --quiet "${profile_flag[@]}" -p climb-server --example seed_bench
fi

work=$(mktemp -d)
server_pid=
made_databases=()
stop_server() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=
}
cleanup() {
    stop_server
    for made in "${made_databases[@]}"; do
        psql -q "${CLIMB_BENCH_DB}" -c "DROP DATABASE IF EXISTS $made" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# A fresh database for run $1: a SQLite file, or a new PostgreSQL database
# beside the one CLIMB_BENCH_DB names.
fresh_db() {
    local run=$1
    case ${CLIMB_BENCH_DB:-} in
        postgres://*|postgresql://*)
            local name="climb_bench_$$_$run"
            psql -q "$CLIMB_BENCH_DB" -c "CREATE DATABASE $name" >/dev/null
            made_databases+=("$name")
            echo "${CLIMB_BENCH_DB%/*}/$name"
            ;;
        "") echo "sqlite://$work/bench-$run.db" ;;
        *)
            [[ $run == 0 ]] || { echo "load.sh: several runs need SQLite or PostgreSQL" >&2; exit 2; }
            echo "$CLIMB_BENCH_DB"
            ;;
    esac
}

# Seeds run $1's database ($2) and starts binary $3 on it with the
# environment given after; sets url, token, person, director, staff.
seed_and_serve() {
    local run=$1 db=$2 binary=$3; shift 3
    echo "==> seeding $people people"
    local start seed="$work/seed-$run.json"
    start=$(date +%s)
    "$bin/examples/seed_bench" "$db" "$people" >"$seed"
    echo "    seeded in $(( $(date +%s) - start )) s"
    field() { python3 -c "import json,sys; print(json.load(open('$seed'))['$1'])"; }
    token=$(field token)
    person=$(field person)
    director=$(field director)
    staff=$(python3 -c "import json; print(','.join(map(str, json.load(open('$seed'))['staff'])))")

    env RUST_LOG=warn CLIMB_DB="$db" "$@" "$binary" serve --addr 127.0.0.1:0 >"$work/serve-$run.log" 2>"$work/serve-$run.err" &
    server_pid=$!
    url=
    for _ in $(seq 1 600); do
        url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$work/serve-$run.log" | head -n 1)
        [[ -n $url ]] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve-$run.err" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n $url ]] || { echo "load.sh: the server did not start" >&2; exit 1; }
    echo "==> serving on $url (pid $server_pid)"
}

run() {
    local name=$1; shift
    echo
    echo "==> $name"
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" "$@"
}

role_changes() {
    STAFF=$staff THREADS=$threads \
        run "POST role changes (staff-engineer <-> architect)$1" -s "$root/bench/role-change.lua" "$url"
}

if [[ -z ${WRITE_BATCHES:-} && -z ${BASELINE_CLIMB:-} ]]; then
    seed_and_serve 0 "$(fresh_db 0)" "$bin/climb"
    if [[ -z ${WRITES_ONLY:-} ]]; then
        run "GET one person (/api/v1/people/$person)" "$url/api/v1/people/$person"
        run "GET org summary below a director (/api/v1/org/summary?under=$director)" "$url/api/v1/org/summary?under=$director"
    fi
    role_changes ""
    exit 0
fi

n=0
if [[ -n ${BASELINE_CLIMB:-} ]]; then
    seed_and_serve "$n" "$(fresh_db "$n")" "$BASELINE_CLIMB"
    role_changes " [baseline build: $BASELINE_CLIMB]"
    stop_server
    n=$((n + 1))
fi
for batch in ${WRITE_BATCHES:-}; do
    seed_and_serve "$n" "$(fresh_db "$n")" "$bin/climb" CLIMB_WRITE_BATCH="$batch"
    if [[ -z ${WRITES_ONLY:-} && $n == 0 ]]; then
        run "GET one person (/api/v1/people/$person)" "$url/api/v1/people/$person"
        run "GET org summary below a director (/api/v1/org/summary?under=$director)" "$url/api/v1/org/summary?under=$director"
    fi
    role_changes " [--write-batch $batch]"
    stop_server
    n=$((n + 1))
done
