#!/usr/bin/env bash
# Local, native (no Docker) Apache Kafka broker (KRaft, single combined broker+controller)
# for `make up` / `make test`. Jars come from Maven Central via deploy/local/kafka/pom.xml.
#
# Usage: scripts/local/kafka.sh {start|stop|restart|status|wait|fetch|reset|bootstrap}
#
#   fetch      resolve the broker jars into .local/kafka/libs (skipped if pom.xml is unchanged).
#   start      fetch, format storage (once), start the broker in the background, wait until
#              ready. Idempotent (already running -> just waits for readiness).
#   stop       SIGTERM (controlled shutdown), wait up to 30 s, then SIGKILL.
#   restart    stop + start.
#   status     print running / not running (exit 0 / 3).
#   wait       wait until the running broker is ready (timeout KAFKA_WAIT_TIMEOUT, 90 s).
#   reset      stop and delete all topics/data and the cluster id (jars are kept).
#   bootstrap  print the bootstrap servers string, e.g. 127.0.0.1:19092
#
# Environment:
#   KAFKA_PORT_LOCAL            broker port (default 19092)
#   KAFKA_CONTROLLER_PORT_LOCAL controller port (default 19093; changing it needs `reset`)
#   KAFKA_WAIT_TIMEOUT          readiness timeout in seconds (default 90)
#   KAFKA_HEAP_OPTS             JVM heap (default "-Xms512m -Xmx1g")
#   KAFKA_CHECK_PYTHON          python with aiokafka for the readiness check
#                               (default $ROOT/.venv/bin/python if it can import aiokafka)
#   JAVA_HOME                   use $JAVA_HOME/bin/java instead of java on PATH
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT_LOCAL:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT_LOCAL:-19093}"
WAIT_TIMEOUT="${KAFKA_WAIT_TIMEOUT:-90}"
STOP_TIMEOUT=30
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}"

SRC_DIR="$ROOT/deploy/local/kafka"
POM="$SRC_DIR/pom.xml"
LOG4J_CONF="$SRC_DIR/log4j2.properties"
TEMPLATE="$SRC_DIR/server.properties.template"

KDIR="$ROOT/.local/kafka"
LIBS="$KDIR/libs"
POM_HASH_FILE="$LIBS/.pom.sha256"
DATA="$KDIR/data"
LOGS="$KDIR/logs"
SERVER_OUT="$LOGS/server.out"
CONF="$KDIR/server.properties"
PIDFILE="$KDIR/kafka.pid"
CLUSTER_ID_FILE="$KDIR/cluster-id"

JAVA=""

# shellcheck disable=SC2034 # TAG is read by common.sh
TAG=kafka
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---------------------------------------------------------------- prerequisites

java_major() {
    # prints the major version of "$1" (java binary), e.g. 17
    local v
    v="$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
    [[ -n "$v" ]] || { echo 0; return; }
    if [[ "$v" == 1.* ]]; then v="${v#1.}"; fi
    echo "${v%%[.+-]*}"
}

ensure_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
        JAVA="$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        JAVA="$(command -v java)"
    else
        apt_install java openjdk-17-jre-headless
        JAVA="$(command -v java)" || die "java still not found after installing openjdk-17-jre-headless"
    fi
    local major
    major="$(java_major "$JAVA")"
    [[ "$major" =~ ^[0-9]+$ ]] || die "cannot determine the version of $JAVA"
    if (( major < 17 )); then
        die "Kafka 4.x needs Java 17 or newer, but $JAVA is Java $major; set JAVA_HOME to a JDK/JRE >= 17 (e.g. apt-get install openjdk-17-jre-headless)"
    fi
}

ensure_mvn() {
    command -v mvn >/dev/null 2>&1 || apt_install mvn maven
    command -v mvn >/dev/null 2>&1 || die "mvn still not found after installing maven"
}

# ---------------------------------------------------------------- fetch

libs_current() {
    [[ -f "$POM_HASH_FILE" ]] || return 1
    compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null || return 1
    [[ "$(cat "$POM_HASH_FILE")" == "$(sha256sum "$POM" | awk '{print $1}')" ]]
}

# first_jar DIR PATTERN -> basename of the first file matching DIR/PATTERN, or nothing
first_jar() {
    local f
    for f in "$1"/$2; do
        if [[ -e "$f" ]]; then basename "$f"; return 0; fi
    done
    return 0
}

check_logging_binding() {
    # $1 = libs dir. Kafka's logs vanish (SLF4J NOP) without a binding matching slf4j-api.
    local dir="$1" api
    api="$(first_jar "$dir" 'slf4j-api-*.jar')"
    [[ -n "$api" ]] || die "no slf4j-api jar resolved into $dir"
    if [[ "$api" == slf4j-api-1.* ]]; then
        compgen -G "$dir/log4j-slf4j-impl-*.jar" >/dev/null \
            || die "$api needs the SLF4J 1.x binding org.apache.logging.log4j:log4j-slf4j-impl in $POM"
        if compgen -G "$dir/log4j-slf4j2-impl-*.jar" >/dev/null; then
            die "$api is SLF4J 1.x but log4j-slf4j2-impl is on the classpath; use only log4j-slf4j-impl in $POM"
        fi
    else
        compgen -G "$dir/log4j-slf4j2-impl-*.jar" >/dev/null \
            || die "$api is SLF4J 2.x: replace log4j-slf4j-impl by log4j-slf4j2-impl in $POM"
    fi
    compgen -G "$dir/log4j-core-*.jar" >/dev/null || die "log4j-core missing from $dir"
}

cmd_fetch() {
    [[ -f "$POM" ]] || die "$POM not found"
    if libs_current; then
        return 0
    fi
    if running_pid >/dev/null; then
        die "$POM changed but the broker is running on the old jars; run '$0 stop' first"
    fi
    ensure_mvn
    ensure_java
    mkdir -p "$KDIR"
    local tmp="$KDIR/libs.tmp.$$"
    rm -rf "$tmp"
    log "resolving broker jars from Maven Central ($POM) ..."
    local t0=$SECONDS
    # Maven output goes to stderr (stdout of this script is for results only), minus stray
    # ANSI codes that Maven 3.8 prints even in batch/quiet mode.
    local rc=0
    mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1 \
        | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2 || rc=$?
    if (( rc != 0 )); then
        rm -rf "$tmp"
        die "mvn dependency:copy-dependencies failed (is Maven Central reachable? see the Maven output above)"
    fi
    compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || { rm -rf "$tmp"; die "kafka_2.13 jar not resolved into $tmp"; }
    check_logging_binding "$tmp"
    sha256sum "$POM" | awk '{print $1}' >"$tmp/.pom.sha256"
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    local n size
    n="$(find "$LIBS" -maxdepth 1 -name '*.jar' | wc -l)"
    size="$(du -sh "$LIBS" | awk '{print $1}')"
    log "fetched $n jars ($size) in $((SECONDS - t0))s: $(kafka_version)"
}

kafka_version() {
    local j
    j="$(first_jar "$LIBS" 'kafka_2.13-*.jar')"
    j="${j#kafka_2.13-}"
    printf 'Kafka %s' "${j%.jar}"
}

# ---------------------------------------------------------------- process helpers

read_pid() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PIDFILE")"
    [[ -n "$pid" ]] || return 1
    printf '%s' "$pid"
}

# Is $1 a live process that is our broker (java ... kafka.Kafka <our config>)?
is_our_broker() {
    local pid="$1" cmdline
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmdline" == *kafka.Kafka* && "$cmdline" == *"$CONF"* ]] || return 1
    # A reaped-later zombie is not running; but a zombie thread-group leader whose other
    # threads are still exiting (JVM shutdown) still holds the sockets.
    local state threads
    state="$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
    threads="$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
    [[ "$state" != "Z" || "${threads:-1}" -gt 1 ]]
}

running_pid() {
    local pid p
    if pid="$(read_pid)" && is_our_broker "$pid"; then
        printf '%s' "$pid"
        return 0
    fi
    # pid file lost or stale: look for a broker started with our config.
    for p in /proc/[0-9]*; do
        pid="${p#/proc/}"
        if is_our_broker "$pid"; then
            echo "$pid" >"$PIDFILE"
            printf '%s' "$pid"
            return 0
        fi
    done
    return 1
}

port_in_use() {
    # a listener on 127.0.0.1:$1 (ss sees it even while it is not accepting), else a connect test
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]] && return 0
    fi
    (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null
}

# wait up to $1 seconds until neither the broker nor the controller port has a listener
wait_ports_free() {
    local deadline=$((SECONDS + $1))
    while port_in_use "$KAFKA_PORT" || port_in_use "$CONTROLLER_PORT"; do
        (( SECONDS >= deadline )) && return 1
        sleep 0.2
    done
    return 0
}

port_owner() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltnp "sport = :$1" 2>/dev/null || true
    fi
}

rss_of() {
    awk '/^VmRSS:/ {printf "%d MB", $2/1024}' "/proc/$1/status" 2>/dev/null || true
}

# ---------------------------------------------------------------- readiness

check_python() {
    local py="${KAFKA_CHECK_PYTHON:-$ROOT/.venv/bin/python}"
    [[ -x "$py" ]] || return 1
    "$py" -c 'import aiokafka' >/dev/null 2>&1 || return 1
    printf '%s' "$py"
}

# One readiness probe with aiokafka: cluster metadata must list our broker and a controller.
probe_python() {
    "$1" - "$KAFKA_HOST:$KAFKA_PORT" <<'PY' >/dev/null 2>&1
import asyncio, sys
from aiokafka.admin import AIOKafkaAdminClient

async def main(bootstrap):
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), 10)
        info = await asyncio.wait_for(admin.describe_cluster(), 10)
        if not info.get("brokers") or info.get("controller_id", -1) < 0:
            sys.exit(1)
    finally:
        await admin.close()

asyncio.run(main(sys.argv[1]))
PY
}

wait_ready() {
    # $1 = pid of the broker JVM
    local pid="$1" py="" how
    local deadline=$((SECONDS + WAIT_TIMEOUT))
    if py="$(check_python)"; then
        how="aiokafka describe_cluster via $py"
    else
        how="port + 'Kafka Server started' in the log"
    fi
    log "waiting up to ${WAIT_TIMEOUT}s for readiness (check: $how)"
    while true; do
        if ! is_our_broker "$pid"; then
            log_tail "$SERVER_OUT" 60
            rm -f "$PIDFILE"
            die "broker JVM (pid $pid) exited during start-up; see $SERVER_OUT"
        fi
        if grep -q -E 'Fatal error during|failed to bind|Exiting Kafka' "$SERVER_OUT" 2>/dev/null; then
            log_tail "$SERVER_OUT" 60
            return 1
        fi
        if port_in_use "$KAFKA_PORT"; then
            if [[ -n "$py" ]]; then
                probe_python "$py" && return 0
            elif grep -q 'Kafka Server started' "$SERVER_OUT" 2>/dev/null; then
                return 0
            fi
        fi
        if (( SECONDS >= deadline )); then
            log_tail "$SERVER_OUT" 60
            log "broker (pid $pid) not ready on $KAFKA_HOST:$KAFKA_PORT after ${WAIT_TIMEOUT}s (check: $how)"
            return 1
        fi
        sleep 0.5
    done
}

# Stop pid $1: SIGTERM, wait STOP_TIMEOUT, then SIGKILL.
terminate() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while is_our_broker "$pid"; do
        if (( SECONDS >= deadline )); then
            log "still running after ${STOP_TIMEOUT}s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.3
    done
}

# ---------------------------------------------------------------- start / stop

render_config() {
    [[ -f "$TEMPLATE" ]] || die "$TEMPLATE not found"
    sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
        -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
        -e "s|@LOG_DIRS@|$DATA|g" \
        "$TEMPLATE" >"$CONF.tmp"
    mv "$CONF.tmp" "$CONF"
}

classpath() { printf '%s/*' "$LIBS"; }

format_storage() {
    if [[ -f "$DATA/meta.properties" ]]; then
        [[ -f "$CLUSTER_ID_FILE" ]] || die "$DATA is formatted but $CLUSTER_ID_FILE is missing; run '$0 reset' to start from scratch"
        return 0
    fi
    if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
        "$JAVA" -cp "$(classpath)" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]' >"$CLUSTER_ID_FILE.tmp"
        [[ -s "$CLUSTER_ID_FILE.tmp" ]] || die "kafka.tools.StorageTool random-uuid produced no cluster id"
        mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
    fi
    local cid
    cid="$(cat "$CLUSTER_ID_FILE")"
    log "formatting $DATA (cluster id $cid)"
    mkdir -p "$DATA"
    if ! "$JAVA" -Dlog4j2.configurationFile="$LOG4J_CONF" -cp "$(classpath)" kafka.tools.StorageTool \
            format --standalone --ignore-formatted -t "$cid" -c "$CONF" >"$LOGS/format.out" 2>&1; then
        cat "$LOGS/format.out" >&2
        die "kafka.tools.StorageTool format failed (cluster id $cid must match existing data; '$0 reset' wipes it)"
    fi
}

cmd_start() {
    local pid
    if pid="$(running_pid)"; then
        log "already running (pid $pid); waiting for readiness"
        wait_ready "$pid" || die "broker (pid $pid) is running but not ready; see $SERVER_OUT (try: $0 restart)"
        log "ready: $KAFKA_HOST:$KAFKA_PORT"
        echo "$KAFKA_HOST:$KAFKA_PORT"
        return 0
    fi
    rm -f "$PIDFILE"
    # a broker that was just stopped may still be releasing its sockets
    wait_ports_free 5 || true
    local p
    for p in "$KAFKA_PORT" "$CONTROLLER_PORT"; do
        if port_in_use "$p"; then
            local who
            who="$(port_owner "$p")"
            die "port $KAFKA_HOST:$p is already in use by another process (not our broker)${who:+: $who}. Stop it or set KAFKA_PORT_LOCAL / KAFKA_CONTROLLER_PORT_LOCAL."
        fi
    done
    ensure_java
    cmd_fetch
    mkdir -p "$DATA" "$LOGS"
    render_config
    format_storage

    if [[ -f "$SERVER_OUT" ]]; then mv -f "$SERVER_OUT" "$SERVER_OUT.1"; fi
    local t0
    t0="$(date +%s%N)"
    # shellcheck disable=SC2086  # HEAP_OPTS is a list of options
    nohup setsid "$JAVA" $HEAP_OPTS \
        -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$LOG4J_CONF" \
        -Dkafka.logs.dir="$LOGS" \
        -cp "$(classpath)" kafka.Kafka "$CONF" \
        >"$SERVER_OUT" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$PIDFILE"
    log "starting $(kafka_version) (pid $pid) on $KAFKA_HOST:$KAFKA_PORT (controller $CONTROLLER_PORT), log $SERVER_OUT"
    sleep 0.2
    if ! wait_ready "$pid"; then
        log "start-up failed; stopping the broker JVM (pid $pid)"
        terminate "$pid"
        rm -f "$PIDFILE"
        die "Kafka did not start; full log: $SERVER_OUT"
    fi
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    log "ready: $KAFKA_HOST:$KAFKA_PORT in $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s (RSS $(rss_of "$pid"))"
    echo "$KAFKA_HOST:$KAFKA_PORT"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PIDFILE"
        log "not running"
        return 0
    fi
    log "stopping broker (pid $pid): SIGTERM, controlled shutdown"
    terminate "$pid"
    rm -f "$PIDFILE"
    wait_ports_free 10 || log "warning: ports $KAFKA_PORT/$CONTROLLER_PORT still have a listener after stop"
    log "stopped"
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        echo "kafka: running (pid $pid, $KAFKA_HOST:$KAFKA_PORT, $(kafka_version), RSS $(rss_of "$pid"))"
        return 0
    fi
    echo "kafka: not running"
    return 3
}

cmd_wait() {
    local pid
    pid="$(running_pid)" || die "broker not running (run: $0 start)"
    wait_ready "$pid" || die "broker (pid $pid) not ready; see $SERVER_OUT"
    log "ready: $KAFKA_HOST:$KAFKA_PORT"
}

cmd_reset() {
    cmd_stop
    rm -rf "$DATA" "$CLUSTER_ID_FILE" "$CONF"
    log "data and cluster id removed ($DATA)"
}

usage() {
    sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

case "${1:-}" in
    start) take_lock "$KDIR" 600; cmd_start ;;
    stop) take_lock "$KDIR" 600; cmd_stop ;;
    restart) take_lock "$KDIR" 600; cmd_stop; cmd_start ;;
    status) cmd_status ;;
    wait) cmd_wait ;;
    fetch) take_lock "$KDIR" 600; cmd_fetch; log "libs: $LIBS ($(kafka_version))" ;;
    reset) take_lock "$KDIR" 600; cmd_reset ;;
    bootstrap) echo "$KAFKA_HOST:$KAFKA_PORT" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command: $1"; usage ;;
esac
