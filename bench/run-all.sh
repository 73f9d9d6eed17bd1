#!/usr/bin/env bash
# The full run behind bench/REPORT.md: every scenario with the report's settings, one after the
# other. Each writes its table (summary.txt), raw figures (figures.json), charts (*.svg) and the
# services' logs (*.log, not committed) to bench/report/<scenario>/.
#
#   bash bench/run-all.sh              # everything, about 30 minutes
#   bash bench/run-all.sh direct group # only these scenarios
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench/report}
STEPS=250,500,1000,1500,2000,3000,4000,5000,6000,8000,10000

run() {
  local name=$1
  shift
  mkdir -p "$OUT/$name"
  echo "== $name: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  npm run --silent bench -- "$name" --out "$OUT/$name" --json "$OUT/$name/figures.json" "$@" \
    | tee "$OUT/$name/summary.txt"
}

want() { [[ ${#SELECTED[@]} -eq 0 || " ${SELECTED[*]} " == *" $1 "* ]]; }
SELECTED=("$@")

want connections && run connections --users 10000 --ramp 100 --hold 10
want direct && run direct --pairs 1000 --rate 5000 --duration 60 --warmup 10
want max-rate && run max-rate --pairs 1000 --steps "$STEPS" --step-duration 15 --warmup 10
want group && run group --members 200 --rate 50 --duration 60 --warmup 10
want two-instances && run two-instances --pairs 1000 --rate 2000 --duration 60 --warmup 10
