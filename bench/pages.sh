#!/usr/bin/env bash
# Server time of every web page against a 100k-person company: builds
# release, seeds a database (crates/server/examples/seed_bench.rs), starts
# `climb serve`, logs in as an administrator through the login API (session
# cookie), then requests each page 200 times one after the other over one
# kept-alive connection (curl) and prints p50 / p99 / max per page.
#
#   bench/pages.sh                         # 100,000 people on SQLite, 200 requests a page
#   PEOPLE=20000 REQUESTS=50 bench/pages.sh
#   CLIMB_BENCH_DB=postgres://... bench/pages.sh   # an empty PostgreSQL database
#   ONLY='calibration|reviews|promotions' bench/pages.sh  # the pages whose name matches
#
# Requests are sequential, so each figure is one request's time from the
# client's first byte to the last byte of the answer on 127.0.0.1: server
# time plus a loopback round trip, never time spent queueing behind other
# requests. Needs curl and python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

people=${PEOPLE:-100000}
requests=${REQUESTS:-200}
target=${CARGO_TARGET_DIR:-$root/target}

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

RUST_LOG=warn CLIMB_DB=$db "$target/release/climb" serve --addr 127.0.0.1:0 >"$work/serve.log" 2>"$work/serve.err" &
server_pid=$!
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$work/serve.log" | head -n 1)
    [[ -n $url ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "pages.sh: the server did not start" >&2; exit 1; }
echo "==> serving on $url (pid $server_pid)"

# Log in like a browser: the session cookie the pages use.
login=$(curl -sS -H 'Content-Type: application/json' \
    -d "{\"email\":\"$(field email)\",\"password\":\"$(field password)\"}" "$url/api/v1/login")
session=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['token'])" "$login")
cookie="climb_session=$session"

person=$(field person)
director=$(field director)
manager=$(field manager)
proposal=$(field proposal)
pages=(
    "home (what needs me)|/"
    "chart|/chart"
    "role page|/roles/senior-software-engineer"
    "role panel (htmx)|/roles/senior-software-engineer|hx"
    "path|/path?from=software-engineer&to=engineering-manager"
    "directory|/people"
    "directory search (htmx)|/people?q=engineer+123|hx"
    "directory filtered by role|/people?role=staff-engineer"
    "directory page 40 by role|/people?sort=role&page=40"
    "org chart root|/org"
    "org chart one level down (htmx)|/org/$director/reports|hx"
    "org chart below a manager|/org?under=$manager"
    "person page (with growth plan)|/people/$person"
    "promotions (all open, admin)|/promotions"
    "promotions, every one by person|/promotions?sort=person&page=3"
    "promotion proposal|/promotions/$proposal"
    "promotion draft form|/people/$person/promotions/new?to=staff-engineer"
    "projects|/projects"
    "admin|/admin"
    "admin users|/admin/users"
    "admin users by last login|/admin/users?sort=login"
    "audit log|/audit"
    "audit log, a range of days|/audit?from=2025-01-01&to=2025-12-31"
    "audit log, oldest first|/audit?sort=oldest"
    "openings|/openings"
    "one-on-ones|/one-on-ones"
    "insights (whole company)|/insights"
    "tokens|/tokens"
    "reviews (HR: cycles, progress)|/reviews"
    "reviews page 2 of a team|/reviews?sort=cycle&page=2"
    "review page|/reviews/$(field review)"
    "calibration, whole cycle|/reviews/cycles/$(field cycle)/calibration"
    "calibration below a director|/reviews/cycles/$(field cycle)/calibration?under=$director"
)

printf '\n%-34s %8s %8s %8s %8s\n' "page ($people people, $requests requests)" status p50 p99 max
for entry in "${pages[@]}"; do
    IFS='|' read -r name path hx <<<"$entry"
    [[ -n ${ONLY:-} && ! $name =~ $ONLY ]] && continue
    headers=(-H "Cookie: $cookie")
    [[ -n ${hx:-} ]] && headers+=(-H "HX-Request: true")
    status=$(curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" "$url$path")
    # One curl, one connection, $requests sequential requests (plus one warm-up).
    args=()
    for _ in $(seq 0 "$requests"); do args+=(-o /dev/null "$url$path"); done
    curl -s -w '%{time_total}\n' "${headers[@]}" "${args[@]}" >"$work/times"
    python3 - "$name" "$status" "$work/times" <<'PY'
import sys
name, status, path = sys.argv[1], sys.argv[2], sys.argv[3]
times = sorted(float(t) * 1000 for t in open(path).read().split()[1:])
def pct(p):
    return times[min(len(times) - 1, max(0, round(p / 100 * len(times)) - 1))]
flag = "" if pct(99) < 50 else "  over 50 ms"
print(f"{name:<34} {status:>8} {pct(50):>6.1f}ms {pct(99):>6.1f}ms {times[-1]:>6.1f}ms{flag}")
PY
done
