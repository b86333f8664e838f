#!/usr/bin/env bash
# The province measurement of docs/scaling.md: N generated M-size counties (120 schools,
# 4,000 teachers, seeds 1..N) planned by one `lungang plan` run, in parallel on this
# machine's cores. Prints the wall time, the peak memory and each county's status and gap.
#
#   bash scripts/scaling.sh            # 20 counties, 60 s limit, gap 1%
#   N=4 LIMIT=20 bash scripts/scaling.sh
set -euo pipefail

N=${N:-20}
LIMIT=${LIMIT:-60}
GAP=${GAP:-0.01}
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/lungang
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dirs=()
for seed in $(seq 1 "$N"); do
  d="$work/county$(printf %02d "$seed")"
  "$bin" generate --schools 120 --teachers 4000 --seed "$seed" --out "$d" >/dev/null
  dirs+=("$d")
done

# GNU time (Debian's package `time`) gives the peak memory; without it, only the wall time.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$work/rss")
start=$(date +%s.%N)
set +e
"${timer[@]}" "$bin" plan "${dirs[@]}" --out "$work/out" \
  --time-limit "$LIMIT" --gap "$GAP" --quiet
code=$?
set -e
end=$(date +%s.%N)

echo "counties $N, time limit $LIMIT s, gap $GAP, cores $(nproc), exit $code"
python3 -c "import sys; print('wall %.1f s' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$end"
[ -f "$work/rss" ] && python3 -c "import sys; print('peak RSS %.0f MiB' % (int(open(sys.argv[1]).read().split()[-1]) / 1024))" "$work/rss"
echo "county status gap seconds"
for d in "${dirs[@]}"; do
  n=$(basename "$d")
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(sys.argv[2], s['status'], '%.2e' % s['gap'], s['seconds'])" \
    "$work/out/$n/summary.json" "$n"
done
