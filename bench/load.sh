#!/usr/bin/env bash
# Load test of `climb serve` with wrk against a 100k-person company on
# SQLite (or the database CLIMB_BENCH_DB names): GET one person, GET the org
# summary below a director, POST role changes (bench/role-change.lua).
#
#   bench/load.sh                 # 100,000 people, 15 s per scenario
#   PEOPLE=20000 DURATION=5s bench/load.sh
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

command -v wrk >/dev/null || { echo "load.sh: wrk is not installed" >&2; exit 2; }

if [[ -z ${NO_BUILD:-} ]]; then
    echo "==> building (release)"
    cargo build --quiet --release -p climb --bin climb
    cargo build --quiet --release -p climb-server --example seed_bench
fi

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

db=${CLIMB_BENCH_DB:-sqlite://$work/bench.db}
echo "==> seeding $people people"
start=$(date +%s)
"$target/release/examples/seed_bench" "$db" "$people" >"$work/seed.json"
echo "    seeded in $(( $(date +%s) - start )) s"
field() { python3 -c "import json,sys; print(json.load(open('$work/seed.json'))['$1'])"; }
token=$(field token)
person=$(field person)
director=$(field director)
python3 -c "import json; print(','.join(map(str, json.load(open('$work/seed.json'))['staff'])))" >"$work/staff.txt"

RUST_LOG=warn CLIMB_DB=$db "$target/release/climb" serve --addr 127.0.0.1:0 >"$work/serve.log" 2>"$work/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$work/serve.log" | head -n 1)
    [[ -n $url ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "load.sh: the server did not start" >&2; exit 1; }
echo "==> serving on $url (pid $server_pid)"

run() {
    local name=$1; shift
    echo
    echo "==> $name"
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" "$@"
}

run "GET one person (/api/v1/people/$person)" "$url/api/v1/people/$person"
run "GET org summary below a director (/api/v1/org/summary?under=$director)" "$url/api/v1/org/summary?under=$director"
STAFF=$(cat "$work/staff.txt") THREADS=$threads \
    run "POST role changes (staff-engineer <-> architect)" -s "$root/bench/role-change.lua" "$url"
