# Sourced by the scripts that test or time a running `climb serve`
# (schemathesis.sh, scim2-tester.sh, bench/scim.sh); not run on its own.
#
#   serve_climb NAME     starts "$bin" serve on 127.0.0.1:0 with the caller's
#                        CLIMB_DB, its output in $work/NAME.log and
#                        $work/NAME.err; prints its URL once it listens, or
#                        fails with its error output. Safe to call inside
#                        $(...): the server's id goes to $work/pids.
#   stop_climb_servers   stops every server serve_climb started.
#
# The caller sets `bin` (the climb binary) and `work` (a scratch folder).

serve_climb() {
    local name=$1 log=$work/$1.log err=$work/$1.err url pid
    "$bin" serve --addr 127.0.0.1:0 >"$log" 2>"$err" &
    pid=$!
    echo "$pid" >>"$work/pids"
    for _ in $(seq 1 100); do
        url=$(sed -n 's/^climb is serving on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
        [[ -n $url ]] && { echo "$url"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name: climb serve did not start" >&2
    cat "$err" >&2
    return 1
}

stop_climb_servers() {
    [[ -f $work/pids ]] || return 0
    local pid
    while read -r pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done <"$work/pids"
}
