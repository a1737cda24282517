#!/usr/bin/env bash
# SCIM provisioning benchmark: N users (10,000 by default) created through
# SCIM one POST at a time on SQLite, a full resync (a `userName eq` lookup
# per user, PATCHes for the changed 1%), and the same hires through the API
# on a second fresh database. Not part of the test suite.
#
#   bench/scim.sh              # 10,000 users, debug build
#   bench/scim.sh 500          # a short smoke run
#   CLIMB_BIN=path/to/climb bench/scim.sh
#   SCIM_BENCH_EXISTING=1000000 CLIMB_BIN=target/release/climb bench/scim.sh
#                              # into a company of 1M people
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10000}
bin=${CLIMB_BIN:-}
if [[ -z $bin ]]; then
    cargo build --quiet -p climb --bin climb --manifest-path "$root/Cargo.toml"
    bin=${CARGO_TARGET_DIR:-$root/target}/debug/climb
fi

work=$(mktemp -d)
# `serve` runs in a command substitution (a subshell), so the servers' ids
# go through a file rather than a variable.
cleanup() {
    if [[ -f $work/pids ]]; then
        while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/pids"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Starts `climb serve` on database $1; prints its URL.
serve() {
    local db=$1 log=$work/$2.log
    CLIMB_DB=$db "$bin" serve --addr 127.0.0.1:0 >"$log" 2>"$log.err" &
    echo $! >>"$work/pids"
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
        [[ -n $url ]] && { echo "$url"; return; }
        sleep 0.1
    done
    echo "bench: the server did not start" >&2; cat "$log.err" >&2; exit 1
}

scim_db=sqlite://$work/scim.db
api_db=sqlite://$work/api.db
# With SCIM_BENCH_EXISTING=N both databases first hold a generated company
# of N people, so the figures are those of provisioning into a large org.
existing=${SCIM_BENCH_EXISTING:-0}
if ((existing > 0)); then
    echo "bench: importing a generated company of $existing people into both databases" >&2
    "$bin" demo generate --people "$existing" -o "$work/company.csv" >/dev/null
    for db in "$scim_db" "$api_db"; do
        CLIMB_DB=$db "$bin" import "$work/company.csv" >/dev/null 2>&1
    done
fi
scim_token=$(CLIMB_DB=$scim_db "$bin" admin scim-token --name bench | tail -n 1)
api_token=$(CLIMB_DB=$api_db "$bin" admin create --email bench@example.com --name Bench | tail -n 1)
scim_url=$(serve "$scim_db" scim)
api_url=$(serve "$api_db" api)
python3 "$root/bench/scim.py" "$scim_url/scim/v2" "$scim_token" "$api_url" "$api_token" "$n"
