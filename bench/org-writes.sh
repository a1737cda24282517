#!/usr/bin/env bash
# Single structural writes over HTTP against a large company, next to the
# same rows written as raw durable SQLite transactions, in one run: a hire
# under a manager and a manager change (a manager and their team moved
# between two directors), each sent one after the other over one kept-alive
# connection (bench/org-writes.py), then the peer on a copy of the database.
# Also prints the resident memory of `climb serve` once it has loaded the
# company, and after the writes.
#
#   bench/org-writes.sh                   # 1,000,000 people, 200 writes of each kind
#   PEOPLE=100000 COUNT=500 bench/org-writes.sh
#
# The seeded database is kept in target/bench-org-writes (CLIMB_BENCH_DIR to
# change it) and reused by the next run of the same size; NO_BUILD=1 reuses
# the release binaries. Needs python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

people=${PEOPLE:-1000000}
count=${COUNT:-200}
target=${CARGO_TARGET_DIR:-$root/target}
dir=${CLIMB_BENCH_DIR:-$target/bench-org-writes}
mkdir -p "$dir"

if [[ -z ${NO_BUILD:-} ]]; then
    echo "==> building (release)"
    cargo build --quiet --release -p climb --bin climb
    cargo build --quiet --release -p climb-server --example seed_bench
fi

db=$dir/people-$people.db
seed=$dir/people-$people.json
if [[ ! -s $seed ]]; then
    rm -f "$db" "$db-wal" "$db-shm"
    echo "==> seeding $people people"
    start=$(date +%s)
    "$target/release/examples/seed_bench" "sqlite://$db" "$people" people-only >"$seed.tmp"
    mv "$seed.tmp" "$seed"
    echo "    seeded in $(( $(date +%s) - start )) s"
fi
field() { python3 -c "import json,sys; print(json.load(open('$seed'))['$1'])"; }

work=$(mktemp -d)
server_pid=
stop_server() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

memory() {
    awk '/^VmRSS|^VmHWM/ { printf "%s %.0f MiB  ", $1, $2 / 1024 } END { print "" }' "/proc/$server_pid/status"
}

start=$(date +%s)
RUST_LOG=warn CLIMB_DB=sqlite://$db "$target/release/climb" serve --addr 127.0.0.1:0 >"$work/serve.log" 2>"$work/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 6000); do
    url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$work/serve.log" | head -n 1)
    [[ -n $url ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "org-writes.sh: the server did not start" >&2; exit 1; }
echo "==> serving $people people on $url (pid $server_pid), started in $(( $(date +%s) - start )) s"
echo "    climb serve after loading: $(memory)"

manager=$(field manager)
director=$(field director)
other=$(field other_director)
python3 bench/org-writes.py http "$url" "$(field token)" "$manager" "$director" "$other" "$count"
echo "    climb serve after the writes: $(memory)"
stop_server

cp "$db" "$work/peer.db"
[[ -f $db-wal ]] && cp "$db-wal" "$work/peer.db-wal"
python3 bench/org-writes.py sqlite "$work/peer.db" "$manager" "$director" "$other" "$count"
