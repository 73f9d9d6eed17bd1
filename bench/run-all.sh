#!/usr/bin/env bash
# The full run behind bench/REPORT.md: every scenario with the report's settings, one after the
# other. Each writes its table (summary.txt), raw figures (figures.json), charts (*.svg) and the
# services' logs (*.log, not committed) to bench/report/<scenario>/.
#
#   bash bench/run-all.sh              # everything, about 25 minutes
#   bash bench/run-all.sh direct group # only these scenarios
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench/report}
STEPS=100,200,300,500,750,1000,1500,2000,3000

# run <folder under $OUT> <scenario> [options]
run() {
  local dir=$1 scenario=$2
  shift 2
  mkdir -p "$OUT/$dir"
  echo "== $dir: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  npm run --silent bench -- "$scenario" --out "$OUT/$dir" --json "$OUT/$dir/figures.json" "$@" \
    | tee "$OUT/$dir/summary.txt"
}

want() { [[ ${#SELECTED[@]} -eq 0 || " ${SELECTED[*]} " == *" $1 "* ]]; }
SELECTED=("$@")

want connections && run connections connections --users 10000 --ramp 100 --hold 10
# The target rate, past what this machine carries with the generator on it, and a rate it does.
want direct && run direct-5000 direct --pairs 1000 --rate 5000 --duration 60 --warmup 10
want direct && run direct direct --pairs 1000 --rate 1000 --duration 60 --warmup 10
want max-rate && run max-rate max-rate --pairs 1000 --steps "$STEPS" --step-duration 10 --warmup 10
want group && run group group --members 200 --rate 50 --duration 60 --warmup 10
want two-instances && run two-instances two-instances --pairs 1000 --rate 500 --duration 60 --warmup 10
