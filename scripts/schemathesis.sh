#!/usr/bin/env bash
# Runs schemathesis, with all its checks, against the OpenAPI document that
# `climb serve` serves, on a fresh SQLite database with an administrator's
# token. Fails when any check fails (a 500, an undocumented status, a
# response outside its schema, …).
#
#   scripts/schemathesis.sh            # builds climb, then tests it
#   CLIMB_BIN=path/to/climb scripts/schemathesis.sh
#   SCHEMATHESIS_MAX_EXAMPLES=50 scripts/schemathesis.sh
#
# schemathesis lives in a virtualenv under target/venv, created on first use.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

venv=$root/target/venv
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-20}
time_limit=${SCHEMATHESIS_TIME_LIMIT:-600}

if [[ ! -x $venv/bin/schemathesis ]]; then
    echo "schemathesis: installing into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet 'schemathesis>=4,<5'
fi

bin=${CLIMB_BIN:-}
if [[ -z $bin ]]; then
    cargo build --quiet -p climb --bin climb
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

export CLIMB_DB="sqlite://$work/climb.db"
token=$("$bin" admin create --email admin@example.com --name "Schemathesis Admin" | tail -n 1)
url=$(serve_climb schemathesis)
echo "schemathesis: testing $url" >&2

seed() {
    python3 - "$url" "$token" <<'PY'
import json, sys, urllib.request
url, token = sys.argv[1], sys.argv[2]
def post(path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)
boss = post("/api/v1/people", {"name": "Dana Director", "email": "dana@example.com", "role": "director-of-engineering"})
for i in range(1, 4):
    post("/api/v1/people", {"name": f"Engineer {i}", "email": f"e{i}@example.com", "role": "software-engineer", "manager": boss.get("id")})
post("/api/v1/projects", {"name": "Apollo"})
PY
}
seed

status=0
# Run from the temporary directory so schemathesis's example cache goes with it.
cd "$work"
# Revoking tokens is left out: the fuzzer would revoke its own token (id 1)
# and test nothing after that; the integration tests cover it.
timeout "$time_limit" "$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" run \
    --checks all \
    --exclude-path '/api/v1/tokens/{id}' \
    --header "Authorization: Bearer $token" \
    --max-examples "$max_examples" \
    --seed 1 \
    --no-color \
    "$url/api/v1/openapi.json" || status=$?

if grep -q "panicked" "$work/schemathesis.err"; then
    echo "schemathesis: the server panicked" >&2
    grep -A3 "panicked" "$work/schemathesis.err" >&2
    status=1
fi
exit "$status"
