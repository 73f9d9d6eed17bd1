# Shared helpers for Parley's scripts (sourced, not run).
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_ROOT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'parley: error: %s\n' "$*" >&2; exit 1; }

# Installs exactly what package-lock.json says; skipped when node_modules matches it already.
install_packages() {
  local stamp=$REPO_ROOT/node_modules/.parley-lock-hash
  local hash
  hash=$(sha256sum "$REPO_ROOT/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$hash" ]]; then
    echo "packages already installed"
    return
  fi
  # Dev dependencies too (tsx, turbo, typescript), whatever NODE_ENV says.
  (cd "$REPO_ROOT" && npm ci --include=dev --no-audit --no-fund)
  echo "$hash" >"$stamp"
}

# MariaDB and Redis run on the machine; start them with the machine's own commands if down.
ensure_mariadb() {
  if mariadb-admin --host=127.0.0.1 --user=root ping >/dev/null 2>&1; then return; fi
  echo "MariaDB does not answer on 127.0.0.1:3306; starting it"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do
    mariadb-admin --host=127.0.0.1 --user=root ping >/dev/null 2>&1 && return
    sleep 1
  done
  die "MariaDB is not reachable on 127.0.0.1:3306"
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return; fi
  echo "Redis does not answer on 127.0.0.1:6379; starting it"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
    sleep 1
  done
  die "Redis is not reachable on 127.0.0.1:6379"
}

# Debian's Chromium for Playwright (a test tool's own browser download cannot work here).
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return
  echo "installing Debian's chromium"
  if ! apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends chromium >/dev/null
  fi
  [[ -x /usr/bin/chromium ]] || die "chromium did not install"
}
