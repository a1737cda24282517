#!/usr/bin/env bash
# The insights analytics against DuckDB, in one run: the analytics bench's
# generated company (1M people, ten years of role history) exported as CSV
# by `crates/insights/examples/export_company.rs`, climb's Criterion bench
# (`cargo bench -p climb-insights --bench analytics`), then the same
# questions as SQL in DuckDB (`bench/insights_duckdb.py`, whole company),
# with the ratios. Not part of the test suite.
#
#   bench/insights-duckdb.sh            # 5 DuckDB runs per question
#   bench/insights-duckdb.sh 10
#   SKIP_CLIMB=1 bench/insights-duckdb.sh   # DuckDB only, against the last bench's figures
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-5}
target=${CARGO_TARGET_DIR:-$root/target}
# The DuckDB release on PyPI the figures were taken with.
duckdb_version=2.0.0
venv=$target/venv-duckdb
data=$target/bench-insights

if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$duckdb_version')" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "duckdb==$duckdb_version"
fi

echo "bench: exporting the generated company to $data" >&2
cargo run --quiet --release -p climb-insights --example export_company \
    --manifest-path "$root/Cargo.toml" -- "$data"

if [[ -z ${SKIP_CLIMB:-} ]]; then
    echo "bench: climb (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    (cd "$root" && cargo bench -p climb-insights --bench analytics -- insights/company)
fi

echo "bench: DuckDB (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$venv/bin/python" "$root/bench/insights_duckdb.py" "$data" "$target/criterion" "$runs"
echo "bench: done (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
