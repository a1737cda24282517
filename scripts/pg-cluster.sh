#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on 127.0.0.1 for the store
# tests, and prints the URL to export as CLIMB_TEST_PG_URL.
#
#   scripts/pg-cluster.sh start   # prints CLIMB_TEST_PG_URL=postgres://...
#   scripts/pg-cluster.sh stop
#   scripts/pg-cluster.sh url     # prints the URL of the running cluster
#
# The cluster lives in target/pg (override with CLIMB_PG_DIR), listens on
# 55432 or, when that port is taken, a free one (override with CLIMB_PG_PORT),
# trusts local connections and runs with fsync off: it is for tests only.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${CLIMB_PG_DIR:-$root/target/pg}
# When the checkout is not reachable by the `postgres` user (a private
# temporary directory), the cluster lives in a folder of its own under /tmp.
fallback=/tmp/climb-pg-$(printf '%s' "$root" | cksum | cut -d' ' -f1)

die() { echo "pg-cluster: $*" >&2; exit 1; }

find_bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $found || ! -x $found/initdb ]]; then
        command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is missing"
        echo "pg-cluster: installing PostgreSQL" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q postgresql >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; } ||
            die "could not install PostgreSQL"
        found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
        [[ -n $found ]] || die "PostgreSQL binaries not found after install"
    fi
    echo "$found"
}

# PostgreSQL refuses to run as root: run its tools as the `postgres` user then.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    if [[ -n ${CLIMB_PG_PORT:-} ]]; then echo "$CLIMB_PG_PORT"; return; fi
    if port_free 55432; then echo 55432; return; fi
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        if port_free "$p"; then echo "$p"; return; fi
    done
    die "no free port found"
}

url() {
    [[ -f $dir/port ]] || die "no cluster in $dir (run: $0 start)"
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

running() {
    [[ -f $data/postmaster.pid ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$dir"
    fi
    if running; then
        echo "CLIMB_TEST_PG_URL=$(url)"
        return
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
        rm -rf "$data"
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    local port
    port=$(pick_port)
    echo "$port" >"$dir/port"
    as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2; die "the server did not start"; }
    echo "CLIMB_TEST_PG_URL=$(url)"
}

stop() {
    if running; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    echo "pg-cluster: stopped" >&2
}

# Uses the fallback folder when a cluster is there, or when the `postgres`
# user cannot write to target/pg.
resolve_dir() {
    if [[ -z ${CLIMB_PG_DIR:-} ]]; then
        if [[ -f $fallback/port && ! -f $dir/port ]]; then
            dir=$fallback
        elif [[ $(id -u) -eq 0 ]]; then
            mkdir -p "$dir"
            id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
            chown postgres "$dir"
            if ! su postgres -s /bin/sh -c "test -w '$dir' && test -x '$dir'" 2>/dev/null; then
                dir=$fallback
            fi
        fi
    fi
    data=$dir/data
}

bindir=$(find_bindir)
resolve_dir
case ${1:-} in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
