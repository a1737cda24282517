#!/usr/bin/env bash
# Runs scim2-tester, the independent SCIM 2.0 compliance checker, with all
# its checks, against `climb serve` on a fresh SQLite database with a SCIM
# token. Fails when any check fails, except those the runner
# (scripts/scim2_tester_run.py) declares out of scope, each with its reason.
#
#   scripts/scim2-tester.sh            # builds climb, then tests it
#   CLIMB_BIN=path/to/climb scripts/scim2-tester.sh
#
# scim2-tester lives in the virtualenv under target/venv (shared with
# schemathesis), installed at the pinned versions on first use.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

venv=$root/target/venv
tester_version=0.5.2
client_version=0.13.2
httpx2_version=2.17.0

if ! "$venv/bin/python" -c "import scim2_tester, httpx2" 2>/dev/null \
    || [[ $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("scim2-tester"))' 2>/dev/null) != "$tester_version" ]]; then
    echo "scim2-tester: installing into $venv" >&2
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "scim2-tester==$tester_version" \
        "scim2-client[httpx2]==$client_version" "httpx2==$httpx2_version"
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
token=$("$bin" admin scim-token --name "scim2-tester" | tail -n 1)
url=$(serve_climb scim2-tester)
echo "scim2-tester: testing $url/scim/v2" >&2

status=0
"$venv/bin/python" "$root/scripts/scim2_tester_run.py" "$url/scim/v2" "$token" || status=$?

if grep -q "panicked" "$work/scim2-tester.err"; then
    echo "scim2-tester: the server panicked" >&2
    grep -A3 "panicked" "$work/scim2-tester.err" >&2
    status=1
fi
exit "$status"
