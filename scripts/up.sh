#!/usr/bin/env bash
# Brings the whole system up for a user: install, generate, migrate, start Kafka, build, then
# serve the web app on :3000 and the realtime service on :8080 until Ctrl-C.
# Settings come from .env when present (see .env.example); secrets are made once per checkout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

readonly WEB_PORT=3000 REALTIME_PORT=8080

step "check ports"
for port in $WEB_PORT $REALTIME_PORT; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    die "port $port is in use (Parley already running? \`ss -ltnp 'sport = :$port'\` tells who)"
  fi
done

step "configuration"
mkdir -p .parley
secret_file=.parley/secrets.env
if [[ ! -f $secret_file ]]; then
  # Random, made once per checkout so sessions survive a restart; never committed (.parley/).
  (umask 077 && printf 'JWT_SECRET=%s\nNEXTAUTH_SECRET=%s\n' "$(openssl rand -hex 32)" \
    "$(openssl rand -hex 32)" >"$secret_file")
fi
set -a
source "$secret_file"
if [[ -f .env ]]; then source .env; fi
set +a
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export NEXTAUTH_URL=${NEXTAUTH_URL:-http://127.0.0.1:$WEB_PORT}
export PORT=$REALTIME_PORT
echo "settings: $secret_file$([[ -f .env ]] && echo ", .env")"

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

export NODE_ENV=production
step "serve: web on http://127.0.0.1:$WEB_PORT, realtime on http://127.0.0.1:$REALTIME_PORT"
# Each server runs in a process group of its own, so stopping takes all of it (npm, node,
# next-server). This script stops them on Ctrl-C, on TERM, when one of them exits, and when
# the process that started it (npm) goes away.
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM HUP
setsid npm run start -w @parley/realtime &
pids+=($!)
setsid npm run start -w @parley/web &
pids+=($!)
parent=$PPID
while sleep 1; do
  kill -0 "$parent" 2>/dev/null || exit 0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || exit 1; done
done
