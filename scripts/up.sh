#!/usr/bin/env bash
# Brings the whole system up for a user: install, generate, migrate, start Kafka, build, then
# serve the web app on :3000 and the realtime service on :8080 until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

step "install"
install_packages

step "local services"
ensure_mariadb
ensure_redis
bash scripts/kafka.sh start

step "migrate"
npm run migrate --silent

step "build"
npx turbo run build --output-logs=errors-only

export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export NODE_ENV=production
mkdir -p .parley
secret_file=.parley/secrets.env
if [[ ! -f $secret_file ]]; then
  # Generated once per checkout, so sessions survive a restart; never committed (.parley/).
  printf 'JWT_SECRET=%s\nNEXTAUTH_SECRET=%s\n' "$(openssl rand -hex 32)" "$(openssl rand -hex 32)" \
    >"$secret_file"
fi
set -a
source "$secret_file"
[[ -f .env ]] && source .env
set +a

step "serve: web on http://127.0.0.1:3000, realtime on http://127.0.0.1:8080"
pids=()
stop_all() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop_all EXIT INT TERM
npm run start -w @parley/realtime &
pids+=($!)
npm run start -w @parley/web &
pids+=($!)
wait -n "${pids[@]}"
