#!/usr/bin/env bash
# The whole test suite from a fresh clone: install, generate, migrate-test, start Kafka,
# then lint, typecheck, unit, integration and end-to-end tests. Safe to run twice in a row.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

step "install"
install_packages
ensure_chromium

step "generate (buf, prisma)"
npx turbo run generate --output-logs=errors-only

step "local services"
ensure_mariadb
ensure_redis
started_kafka=0
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka.sh start
  started_kafka=1
fi
stop_kafka() { if [[ $started_kafka == 1 ]]; then bash scripts/kafka.sh stop || true; fi; }
trap stop_kafka EXIT

step "lint and typecheck"
npx biome check .
npx turbo run typecheck --output-logs=errors-only
npm run lint -w @parley/proto --silent

mkdir -p .parley
unit_log=.parley/test-unit.log
e2e_log=.parley/test-e2e.log

step "unit and integration tests"
mapfile -t test_files < <(find apps packages bench -name '*.test.ts' -not -path '*/node_modules/*' | sort)
npx tsx --test --test-reporter=spec --test-timeout=180000 "${test_files[@]}" 2>&1 | tee "$unit_log"

step "end-to-end tests (Playwright, Chromium)"
npx turbo run build --filter=@parley/web --output-logs=errors-only
npm run test -w @parley/e2e 2>&1 | tee "$e2e_log"

# One closing line for the whole suite (each runner's own summary is above).
count() {
  local n
  n=$(grep -oE "$1" "$2" | grep -oE '[0-9]+' | tail -1 || true)
  echo "${n:-0}"
}
passed=$(($(count '^ℹ pass [0-9]+' "$unit_log") + $(count '[0-9]+ passed' "$e2e_log")))
failed=$(($(count '^ℹ fail [0-9]+' "$unit_log") + $(count '[0-9]+ failed' "$e2e_log")))
echo
echo "parley: $passed passed, $failed failed"
