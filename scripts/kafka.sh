#!/usr/bin/env bash
# Start, stop or check a single-node Apache Kafka broker (KRaft combined mode) for dev and tests.
#
#   scripts/kafka.sh start    download Kafka once (Maven), format storage once, start the broker
#                             in the background and wait until it answers; no-op if one answers
#   scripts/kafka.sh stop     stop the broker started from the data dir (TERM, then KILL at 30 s)
#   scripts/kafka.sh status   say whether a broker answers on the port; exit 0 if so, else 1
#
# The broker listens on 127.0.0.1 only and has auto.create.topics.enable=false: the application
# creates its topics itself. Readiness means a Kafka Metadata request on the port returns at least
# one broker (i.e. the broker speaks the protocol, joined the quorum and is unfenced).
#
# Environment:
#   PARLEY_CACHE_DIR        cache root (default ~/.cache/parley); jars go to kafka-<version>/libs
#   KAFKA_DATA_DIR          config, storage, pid and logs (default <repo>/.parley/kafka)
#   KAFKA_PORT              PLAINTEXT listener port (default 9092)
#   KAFKA_CONTROLLER_PORT   KRaft controller port (default 9093)
#   KAFKA_HEAP_OPTS         JVM heap options (default "-Xms256m -Xmx768m")
#   JAVA_HOME               Java 17+ to use (default: java on PATH)
#
# Files in the data dir: server.properties, storage/ (log.dirs), logs/server.log (log4j2),
# kafka.out (JVM stdout/stderr), kafka.pid.
set -euo pipefail

readonly KAFKA_VERSION=4.4.0 # keep in sync with scripts/kafka/pom.xml
# Fixed KRaft cluster id (any 16 bytes, base64url): this is always a fresh single-node cluster.
readonly CLUSTER_ID=F3bXlW9M9fR3fOcwLuQZUA
readonly READY_TIMEOUT_S=90
readonly STOP_TIMEOUT_S=30

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
readonly SCRIPT_DIR REPO_ROOT
readonly KAFKA_FILES_DIR=$SCRIPT_DIR/kafka # pom.xml and log4j2.xml

readonly CACHE_DIR=${PARLEY_CACHE_DIR:-$HOME/.cache/parley}/kafka-$KAFKA_VERSION
readonly LIBS_DIR=$CACHE_DIR/libs
DATA_DIR=${KAFKA_DATA_DIR:-$REPO_ROOT/.parley/kafka}
[[ $DATA_DIR == /* ]] || DATA_DIR=$PWD/$DATA_DIR
readonly DATA_DIR
readonly CONFIG_FILE=$DATA_DIR/server.properties
readonly STORAGE_DIR=$DATA_DIR/storage
readonly LOGS_DIR=$DATA_DIR/logs
readonly PID_FILE=$DATA_DIR/kafka.pid
readonly OUT_FILE=$DATA_DIR/kafka.out
readonly LOCK_FILE=$DATA_DIR/.kafka.sh.lock

readonly KAFKA_PORT=${KAFKA_PORT:-9092}
readonly KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
readonly KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}
readonly JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

DOWNLOAD_TMP_DIR=""

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

cleanup() { if [[ -n $DOWNLOAD_TMP_DIR ]]; then rm -rf "$DOWNLOAD_TMP_DIR"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

usage() {
  echo "usage: $0 start|stop|status   (see the header of this script for the environment)" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Probes

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# True if a Kafka broker answers on 127.0.0.1:$KAFKA_PORT and lists at least one live broker.
# Sends a Metadata v4 request for no topics over /dev/tcp and checks the reply's correlation id
# and broker count; needs neither the Kafka jars nor a JVM, so it is cheap enough to poll.
broker_answers() {
  local reply
  # Request: size=20 | api_key=3 (Metadata) | api_version=4 | correlation_id="PARL"
  #          | client_id="ready" | topics=[] | allow_auto_topic_creation=false
  # Reply:   size(4) | correlation_id(4) | throttle_time_ms(4) | broker count(4) | ...
  reply=$(timeout 5 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "\x00\x00\x00\x14\x00\x03\x00\x04PARL\x00\x05ready\x00\x00\x00\x00\x00" >&3
      head -c 16 <&3 | od -An -tx1 -v' _ "$KAFKA_PORT" 2>/dev/null) || return 1
  reply=${reply//[$' \n']/}
  [[ ${#reply} -eq 32 && ${reply:8:8} == 5041524c ]] || return 1 # "PARL"
  (( 16#${reply:24:8} >= 1 ))
}

# True if process $1 exists and is not a zombie.
is_running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $state && $state != Z* ]]
}

# Prints the pid of the broker started from this data dir, if it is running.
broker_pid() {
  local pid
  [[ -f $PID_FILE ]] || return 0
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  is_running "$pid" || return 0
  # Guard against a recycled pid: it must be a broker running our config file.
  case "$(ps -o args= -p "$pid" 2>/dev/null)" in
    *kafka.Kafka*"$CONFIG_FILE"*) echo "$pid" ;;
  esac
}

# Prints the PLAINTEXT port in the data dir's server.properties (the one the broker last started
# with), if any.
configured_port() {
  [[ -f $CONFIG_FILE ]] || return 0
  sed -n 's|^listeners=PLAINTEXT://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$CONFIG_FILE"
}

# ---------------------------------------------------------------------------------------------
# Setup

# Fetches the Kafka jars and their runtime dependencies into $LIBS_DIR, once. Maven writes into
# a temp dir that is renamed into place only when complete, so an interrupted download never
# leaves a libs dir that looks finished.
ensure_libs() {
  [[ -f $LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar ]] && return 0
  command -v mvn >/dev/null || die "mvn (Maven) is needed to download Kafka $KAFKA_VERSION"
  mkdir -p "$CACHE_DIR"
  # Leftovers of downloads that were killed before their trap could run.
  find "$CACHE_DIR" -maxdepth 1 -name 'libs.tmp.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true

  say "downloading Kafka $KAFKA_VERSION and its dependencies with Maven into $LIBS_DIR ..."
  DOWNLOAD_TMP_DIR=$(mktemp -d "$CACHE_DIR/libs.tmp.XXXXXX")
  # Run Maven on a copy of the pom so that it writes nothing into the repo.
  cp "$KAFKA_FILES_DIR/pom.xml" "$DOWNLOAD_TMP_DIR/pom.xml"
  if ! mvn -q -B -Dstyle.color=never -f "$DOWNLOAD_TMP_DIR/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$DOWNLOAD_TMP_DIR/libs" \
    >"$DOWNLOAD_TMP_DIR/mvn.log" 2>&1; then
    cat "$DOWNLOAD_TMP_DIR/mvn.log" >&2
    die "Maven could not download Kafka $KAFKA_VERSION (its output is above)"
  fi
  [[ -f $DOWNLOAD_TMP_DIR/libs/kafka_2.13-$KAFKA_VERSION.jar ]] ||
    die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing"
  # rename(2) is atomic; if a concurrent run got there first, keep its copy.
  if ! mv -T "$DOWNLOAD_TMP_DIR/libs" "$LIBS_DIR" 2>/dev/null; then
    [[ -f $LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar ]] || die "could not move the jars to $LIBS_DIR"
  fi
  rm -rf "$DOWNLOAD_TMP_DIR"
  DOWNLOAD_TMP_DIR=""
  say "cached $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $LIBS_DIR"
}

# Writes server.properties from the current environment (ports may change between runs).
write_config() {
  cat >"$CONFIG_FILE" <<EOF
# Written by scripts/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,\
CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$STORAGE_DIR

# The application creates its topics with explicit partition counts.
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# Single node: internal topics with replication factor 1 and few partitions, so that the first
# consumer group join or transaction does not create 50 partitions on a small machine.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=4
group.initial.rebalance.delay.ms=0

# Small dev/test box.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=67108864
log.retention.check.interval.ms=300000
EOF
}

is_formatted() { [[ -f $STORAGE_DIR/meta.properties ]]; }

# Formats the KRaft storage as a single-node (standalone) dynamic quorum.
format_storage() {
  local output
  say "formatting KRaft storage in $STORAGE_DIR"
  if ! output=$("$JAVA" -Xmx256m -cp "$LIBS_DIR/*" \
    -Dlog4j2.configurationFile="$KAFKA_FILES_DIR/log4j2.xml" -Dkafka.logs.dir="$LOGS_DIR" \
    kafka.tools.StorageTool format --standalone --cluster-id "$CLUSTER_ID" \
    --config "$CONFIG_FILE" 2>&1); then
    printf '%s\n' "$output" >&2
    die "formatting the storage failed (log: $LOGS_DIR/server.log)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Broker process

# Starts the broker detached (own session, immune to SIGHUP); the child writes its own pid, which
# stays the JVM's pid through exec.
launch_broker() {
  local -a jvm_opts heap_opts
  read -r -a heap_opts <<<"$KAFKA_HEAP_OPTS"
  jvm_opts=(
    "${heap_opts[@]}"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$KAFKA_FILES_DIR/log4j2.xml" -Dkafka.logs.dir="$LOGS_DIR"
    -cp "$LIBS_DIR/*"
  )
  rm -f "$PID_FILE"
  # fd 9 is the start lock: the broker must not inherit it.
  setsid nohup bash -c 'echo $$ >"$0" && exec "$@"' "$PID_FILE" \
    "$JAVA" "${jvm_opts[@]}" kafka.Kafka "$CONFIG_FILE" \
    </dev/null >"$OUT_FILE" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $PID_FILE ]] && return 0
    sleep 0.1
  done
  die "the broker process did not start (see $OUT_FILE)"
}

print_log_tail() {
  local f
  for f in "$OUT_FILE" "$LOGS_DIR/server.log"; do
    [[ -s $f ]] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 30 "$f" >&2
  done
}

# Waits until the broker answers; fails early if its process dies.
wait_until_ready() {
  local pid=$1 start=$SECONDS elapsed last_report=0
  while ! broker_answers; do
    elapsed=$((SECONDS - start))
    if ! is_running "$pid"; then
      print_log_tail
      die "the broker (pid $pid) exited during startup"
    fi
    if ((elapsed >= READY_TIMEOUT_S)); then
      print_log_tail
      die "no answer on 127.0.0.1:$KAFKA_PORT after ${READY_TIMEOUT_S}s;" \
        "pid $pid is still running ('$0 stop' stops it)"
    fi
    if ((elapsed - last_report >= 5)); then
      say "waiting for the broker to answer on 127.0.0.1:$KAFKA_PORT ... ${elapsed}s"
      last_report=$elapsed
    fi
    sleep 0.5
  done
}

# Serialises start/stop runs on the same data dir.
take_lock() {
  exec 9>"$LOCK_FILE"
  flock -w 180 9 || die "another kafka.sh run holds $LOCK_FILE"
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_start() {
  if broker_answers; then
    say "a Kafka broker already answers on 127.0.0.1:$KAFKA_PORT; nothing to do"
    return 0
  fi
  mkdir -p "$DATA_DIR" "$LOGS_DIR"
  take_lock
  local begin=$SECONDS pid
  pid=$(broker_pid)
  if [[ -n $pid ]]; then
    [[ $(configured_port) == "$KAFKA_PORT" ]] ||
      die "the broker from $DATA_DIR (pid $pid) runs on port $(configured_port); stop it first"
    say "the broker from $DATA_DIR (pid $pid) is already starting"
  else
    if broker_answers; then # started by a concurrent run while we waited for the lock
      say "a Kafka broker already answers on 127.0.0.1:$KAFKA_PORT; nothing to do"
      return 0
    fi
    port_open "$KAFKA_PORT" &&
      die "127.0.0.1:$KAFKA_PORT is in use by something that does not answer as a Kafka broker"
    ensure_libs
    write_config
    is_formatted || format_storage
    say "starting Kafka $KAFKA_VERSION (data: $DATA_DIR)"
    launch_broker
    pid=$(<"$PID_FILE")
  fi
  wait_until_ready "$pid"
  say "broker ready on 127.0.0.1:$KAFKA_PORT (pid $pid) after $((SECONDS - begin))s;" \
    "log: $LOGS_DIR/server.log"
}

cmd_stop() {
  [[ -d $DATA_DIR ]] || { say "no broker running from $DATA_DIR"; return 0; }
  take_lock
  local pid waited=0
  pid=$(broker_pid)
  if [[ -z $pid ]]; then
    rm -f "$PID_FILE"
    say "no broker running from $DATA_DIR"
    return 0
  fi
  say "stopping the broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while is_running "$pid" && ((waited < STOP_TIMEOUT_S * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if is_running "$pid"; then
    say "still running after ${STOP_TIMEOUT_S}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while is_running "$pid"; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_status() {
  local pid
  pid=$(broker_pid)
  if broker_answers; then
    say "a Kafka broker answers on 127.0.0.1:$KAFKA_PORT${pid:+ (pid $pid, data: $DATA_DIR)}"
    return 0
  fi
  say "no Kafka broker answers on 127.0.0.1:$KAFKA_PORT"
  if [[ -n $pid && $(configured_port) == "$KAFKA_PORT" ]]; then
    say "the broker from $DATA_DIR (pid $pid) is running: starting up or unhealthy"
  fi
  return 1
}

main() {
  [[ $# -eq 1 ]] || usage
  case $1 in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) usage ;;
  esac
}

main "$@"
