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
# shellcheck source=scripts/serve.sh
source "$root/scripts/serve.sh"
cleanup() {
    stop_climb_servers
    rm -rf "$work"
}
trap cleanup EXIT

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
scim_url=$(CLIMB_DB=$scim_db serve_climb scim)
api_url=$(CLIMB_DB=$api_db serve_climb api)
python3 "$root/bench/scim.py" "$scim_url/scim/v2" "$scim_token" "$api_url" "$api_token" "$n"
