#!/usr/bin/env bash
# One row of the benchmark matrix (docs/benchmarks.md), measured as `cargo bench --bench
# table` measures every row: lungang in a child process, --time-limit 60 --gap 0.01
# --threads 2 unless LUNGANG_TIME_LIMIT, LUNGANG_GAP, LUNGANG_BENCH_THREADS say otherwise.
#
#   bash scripts/bench-row.sh xiji M                        # a profile at a size (XS, S, M, L)
#   bash scripts/bench-row.sh ../shared/instances/enshi-county   # a county folder
#   LUNGANG_BENCH_BASELINES=1 bash scripts/bench-row.sh enshi XS  # with the naive and greedy rows
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: bash scripts/bench-row.sh PROFILE [SIZE] | COUNTY_DIR" >&2
  exit 2
fi
if [ -d "$1" ]; then
  export LUNGANG_BENCH_PROFILES=none LUNGANG_BENCH_INSTANCES="$(cd "$1" && pwd)"
else
  export LUNGANG_BENCH_PROFILES="$1" LUNGANG_BENCH_SIZES="${2:-M}" LUNGANG_BENCH_INSTANCES=none
fi
cd "$(dirname "$0")/.."
exec cargo bench --bench table
