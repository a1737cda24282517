#!/usr/bin/env bash
# Times `climb lsp` from a `didChange` to its `publishDiagnostics` on a
# generated framework (the one the `check` benchmark uses), against a whole
# `climb check FILE` process on the same file. The client is
# crates/lsp/examples/latency.rs; it types over one character of a
# reference, breaking and mending it, so diagnostics appear and go. Edits are
# range changes as editors send them (CLIMB_BENCH_SYNC=full: whole texts).
#
#   bench/lsp.sh                # 10,000 roles, 30 edits and 30 checks
#   bench/lsp.sh 100000 10      # other sizes
#
# The generated file goes to target/bench-lsp (override with CLIMB_BENCH_DIR).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
roles=${1:-10000}
edits=${2:-30}
dir=${CLIMB_BENCH_DIR:-$root/target/bench-lsp}
target=${CARGO_TARGET_DIR:-$root/target}

echo "building climb and the latency client (release)..." >&2
cargo build --release --quiet -p climb --bin climb -p climb-lsp --example latency

"$target/release/examples/latency" "$target/release/climb" "$roles" "$edits" "$dir"
