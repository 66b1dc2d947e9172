#!/usr/bin/env bash
# Local, native (no Docker) PostgreSQL cluster for `make up` / `make test`.
#
# Usage: scripts/local/postgres.sh {start|stop|restart|status|wait|url|createdb NAME|dropdb NAME|psql [ARGS...]}
#
#   start          initialise (once) and start the cluster, wait until ready, create the
#                  service databases (one per service in services.toml). Idempotent.
#   stop           pg_ctl stop -m fast (data is kept under .local/postgres).
#   restart        stop + start.
#   status         print running / not running (exit 0 / 3).
#   wait           wait until the server accepts connections (timeout PG_WAIT_TIMEOUT, 60 s).
#   url            print the base URL, e.g. postgresql://nplv:nplv@127.0.0.1:55432
#   createdb NAME  create database NAME owned by nplv if missing.
#   dropdb NAME    drop database NAME if it exists (WITH (FORCE): open sessions are ended).
#   psql [ARGS]    run psql against the cluster (default database: postgres).
#
# Environment: PGPORT_LOCAL (default 55432), PG_WAIT_TIMEOUT (default 60).
# Data: $ROOT/.local/postgres/{data,run,log}. Superuser nplv / password nplv.
# As root, the server runs as the `postgres` system user (created if missing); PostgreSQL
# is installed with apt-get (Debian package `postgresql`) if no server binaries are found.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PG_PORT="${PGPORT_LOCAL:-55432}"
PG_HOST=127.0.0.1
PG_USER=nplv
PG_PASSWORD=nplv
PG_WAIT_TIMEOUT="${PG_WAIT_TIMEOUT:-60}"
# One database per service in services.toml (the service list), read without Python: this
# script runs before the virtualenv exists.
mapfile -t SERVICE_DBS < <(sed -nE 's/^name *= *"([a-z0-9_-]+)".*/\1/p' "$ROOT/services.toml")

PG_BASE="$ROOT/.local/postgres"
PGDATA="$PG_BASE/data"
PG_RUN="$PG_BASE/run"
PG_LOGDIR="$PG_BASE/log"
PG_LOG="$PG_LOGDIR/postgres.log"

PGBIN=""
RUN_AS=""   # system user that owns/runs the cluster ("" = current user)

# shellcheck disable=SC2034 # TAG is read by common.sh
TAG=postgres
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

base_url() { printf 'postgresql://%s:%s@%s:%s' "$PG_USER" "$PG_PASSWORD" "$PG_HOST" "$PG_PORT"; }

# ---------------------------------------------------------------- binaries / user

find_pgbin() {
    local d best="" bestver=0 ver
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]] || continue
        ver="$(basename "$(dirname "$d")")"
        ver="${ver%%.*}"
        [[ "$ver" =~ ^[0-9]+$ ]] || continue
        if (( ver > bestver )); then bestver=$ver; best=$d; fi
    done
    if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        best="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
        [[ -x "$best/initdb" && -x "$best/postgres" ]] || best=""
    fi
    printf '%s' "$best"
}

ensure_binaries() {
    PGBIN="$(find_pgbin)"
    if [[ -z "$PGBIN" ]]; then
        apt_install "PostgreSQL server (initdb, pg_ctl)" postgresql
        PGBIN="$(find_pgbin)"
        [[ -n "$PGBIN" ]] || die "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
    fi
    local b
    for b in initdb pg_ctl postgres pg_isready psql; do
        [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b missing (incomplete PostgreSQL installation)"
    done
}

ensure_user() {
    if [[ $EUID -ne 0 ]]; then
        RUN_AS=""
        return
    fi
    RUN_AS=postgres
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user 'postgres'"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres \
            || die "could not create system user 'postgres'"
    fi
}

# Run a command as the cluster owner, from a directory it can read.
as_owner() {
    if [[ -n "$RUN_AS" ]]; then
        (cd / && runuser -u "$RUN_AS" -- "$@")
    else
        "$@"
    fi
}

# Make every parent of $PG_BASE traversable for the postgres user (e.g. /work, /root).
ensure_traversable() {
    [[ -n "$RUN_AS" ]] || return 0
    local d="$PG_BASE"
    local parents=()
    while [[ "$d" != "/" ]]; do
        d="$(dirname "$d")"
        parents+=("$d")
    done
    local p
    for p in "${parents[@]}"; do
        if ! runuser -u "$RUN_AS" -- test -x "$p" 2>/dev/null; then
            log "chmod o+x $p (so user '$RUN_AS' can reach $PG_BASE)"
            chmod o+x "$p" || die "cannot chmod o+x $p; user '$RUN_AS' cannot reach $PG_BASE"
        fi
    done
}

prepare_dirs() {
    mkdir -p "$PG_BASE" "$PG_RUN" "$PG_LOGDIR"
    if [[ -n "$RUN_AS" ]]; then
        chown "$RUN_AS": "$PG_BASE" "$PG_RUN" "$PG_LOGDIR"
        if [[ -d "$PGDATA" ]]; then chown -R "$RUN_AS": "$PGDATA"; fi
    fi
    chmod 0755 "$PG_BASE" "$PG_RUN" "$PG_LOGDIR"
    ensure_traversable
}

setup() {
    ensure_binaries
    ensure_user
}

# For stop/status: never install anything. Returns 1 if there are no binaries.
setup_noinstall() {
    PGBIN="$(find_pgbin)"
    [[ -n "$PGBIN" ]] || return 1
    if [[ $EUID -eq 0 ]]; then RUN_AS=postgres; else RUN_AS=""; fi
    if [[ -n "$RUN_AS" ]] && ! id -u postgres >/dev/null 2>&1; then return 1; fi
    return 0
}

# ---------------------------------------------------------------- helpers

port_in_use() {
    # true if something accepts TCP connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/$PG_HOST/$1") 2>/dev/null
}

port_owner() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltnp "sport = :$1" 2>/dev/null || true
    fi
}

# true if pid $1 exists and is not a zombie (a killed postmaster reparented to a PID 1
# that does not reap would otherwise look alive to pg_ctl)
pid_alive() {
    [[ -n "$1" && -e "/proc/$1" ]] || return 1
    [[ "$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)" != "Z" ]]
}

postmaster_pid() { sed -n 1p "$PGDATA/postmaster.pid" 2>/dev/null || true; }

is_running() {
    [[ -f "$PGDATA/PG_VERSION" && -f "$PGDATA/postmaster.pid" ]] || return 1
    pid_alive "$(postmaster_pid)" || return 1
    as_owner "$PGBIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1
}

# After a crash / kill -9: remove postmaster.pid if its postmaster is gone (or a zombie)
# and no orphaned server process still works in the data directory.
clear_stale_pidfile() {
    [[ -f "$PGDATA/postmaster.pid" ]] || return 0
    local pid
    pid="$(postmaster_pid)"
    pid_alive "$pid" && return 0
    # Orphaned backends notice the dead postmaster and exit on their own; give them 10 s.
    local orphans p tries=0
    while true; do
        orphans=""
        for p in /proc/[0-9]*; do
            [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$PGDATA" ]] || continue
            if pid_alive "${p#/proc/}"; then orphans+=" ${p#/proc/}"; fi
        done
        [[ -z "$orphans" ]] && break
        if (( tries++ >= 20 )); then
            die "postmaster (pid $pid) is gone but server processes still use $PGDATA:$orphans; stop them first"
        fi
        sleep 0.5
    done
    log "removing stale postmaster.pid and socket lock files (postmaster pid $pid is gone)"
    rm -f "$PGDATA/postmaster.pid" "$PG_RUN"/.s.PGSQL.*
}

running_port() {
    # line 4 of postmaster.pid is the port the running server listens on
    sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null || true
}

valid_dbname() {
    [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "invalid database name '$1' (allowed: [A-Za-z_][A-Za-z0-9_]*)"
}

sql() {
    # sql DB QUERY -> tuples only, unaligned
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$1" -tA -c "$2"
}

# ---------------------------------------------------------------- operations

init_cluster() {
    [[ -f "$PGDATA/PG_VERSION" ]] && return 0
    if [[ -d "$PGDATA" ]] && [[ -n "$(ls -A "$PGDATA" 2>/dev/null)" ]]; then
        die "$PGDATA exists but is not a PostgreSQL data directory; remove it or move it away"
    fi
    log "initdb $PGDATA ($("$PGBIN/postgres" --version))"
    local pwfile="$PG_BASE/.pwfile"
    (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile")
    if [[ -n "$RUN_AS" ]]; then chown "$RUN_AS": "$pwfile"; fi
    local rc=0
    as_owner "$PGBIN/initdb" -D "$PGDATA" -U "$PG_USER" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C >"$PG_LOGDIR/initdb.log" 2>&1 || rc=$?
    rm -f "$pwfile"
    if (( rc != 0 )); then
        cat "$PG_LOGDIR/initdb.log" >&2
        die "initdb failed (exit $rc); see $PG_LOGDIR/initdb.log"
    fi
    # Settings for local dev / tests. Port and socket dir are passed on the pg_ctl command line.
    as_owner sh -c "cat >>'$PGDATA/postgresql.conf'" <<EOF

# ---- added by scripts/local/postgres.sh ----
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 128MB
password_encryption = scram-sha-256
fsync = on
synchronous_commit = on
log_destination = 'stderr'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
}

wait_ready() {
    local deadline=$((SECONDS + PG_WAIT_TIMEOUT))
    while true; do
        if "$PGBIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; then
            return 0
        fi
        if (( SECONDS >= deadline )); then
            log "server on $PG_HOST:$PG_PORT not ready after ${PG_WAIT_TIMEOUT}s"
            "$PGBIN/pg_isready" -h "$PG_HOST" -p "$PG_PORT" >&2 || true
            log_tail "$PG_LOG" 40
            return 1
        fi
        sleep 0.5
    done
}

create_db() {
    local name="$1"
    valid_dbname "$name"
    local exists
    exists="$(sql postgres "SELECT 1 FROM pg_database WHERE datname = '$name'")" \
        || die "cannot query pg_database (is the server running? try: $0 start)"
    if [[ "$exists" == "1" ]]; then
        return 0
    fi
    # Tolerate a concurrent creator (duplicate_database).
    if ! sql postgres "CREATE DATABASE \"$name\" OWNER \"$PG_USER\"" >/dev/null 2>"$PG_BASE/.createdb.err"; then
        if grep -q 'already exists' "$PG_BASE/.createdb.err"; then
            rm -f "$PG_BASE/.createdb.err"
            return 0
        fi
        cat "$PG_BASE/.createdb.err" >&2
        rm -f "$PG_BASE/.createdb.err"
        die "CREATE DATABASE $name failed"
    fi
    rm -f "$PG_BASE/.createdb.err"
    log "created database $name"
}

drop_db() {
    local name="$1"
    valid_dbname "$name"
    case "$name" in postgres|template0|template1) die "refusing to drop $name";; esac
    sql postgres "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || die "DROP DATABASE $name failed"
    log "dropped database $name (if it existed)"
}

cmd_start() {
    setup
    prepare_dirs
    if is_running; then
        local rport
        rport="$(running_port)"
        if [[ -n "$rport" && "$rport" != "$PG_PORT" ]]; then
            die "our cluster is already running on port $rport, but PGPORT_LOCAL=$PG_PORT; run '$0 stop' first"
        fi
        log "already running (port $PG_PORT)"
    else
        if port_in_use "$PG_PORT"; then
            local who
            who="$(port_owner "$PG_PORT")"
            die "port $PG_HOST:$PG_PORT is already in use by another process (not our cluster in $PGDATA)${who:+: $who}. Stop it or set PGPORT_LOCAL to a free port."
        fi
        init_cluster
        clear_stale_pidfile
        log "starting PostgreSQL on $PG_HOST:$PG_PORT (data $PGDATA, log $PG_LOG)"
        local rc=0
        as_owner "$PGBIN/pg_ctl" start -D "$PGDATA" -l "$PG_LOG" -w -t "$PG_WAIT_TIMEOUT" \
            -o "-p $PG_PORT -k $PG_RUN -c listen_addresses=$PG_HOST" >/dev/null 9>&- || rc=$?
        if (( rc != 0 )); then
            log_tail "$PG_LOG" 40
            die "pg_ctl start failed (exit $rc)"
        fi
    fi
    wait_ready || die "PostgreSQL did not become ready"
    local db
    for db in "${SERVICE_DBS[@]}"; do
        create_db "$db"
    done
    log "ready: $(base_url)  (databases: ${SERVICE_DBS[*]})"
    base_url
    printf '\n'
}

cmd_stop() {
    if ! setup_noinstall; then
        log "PostgreSQL not installed; nothing to stop"
        return 0
    fi
    if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
        log "not initialised ($PGDATA); nothing to stop"
        return 0
    fi
    if ! is_running; then
        log "not running"
        return 0
    fi
    as_owner "$PGBIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 60 >/dev/null || { log_tail "$PG_LOG" 40; die "pg_ctl stop failed"; }
    log "stopped"
}

cmd_status() {
    if ! setup_noinstall; then
        echo "postgres: not running (not installed)"
        return 3
    fi
    if is_running; then
        local pid
        pid="$(postmaster_pid)"
        echo "postgres: running (pid ${pid:-?}, $PG_HOST:$(running_port), data $PGDATA) $(base_url)"
        return 0
    fi
    echo "postgres: not running"
    return 3
}

cmd_wait() {
    setup
    wait_ready || die "PostgreSQL not ready on $PG_HOST:$PG_PORT"
    log "ready: $(base_url)"
}

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        start) take_lock "$PG_BASE" 300; cmd_start ;;
        stop) take_lock "$PG_BASE" 300; cmd_stop ;;
        restart) take_lock "$PG_BASE" 300; cmd_stop; cmd_start ;;
        status) cmd_status ;;
        wait) cmd_wait ;;
        url) base_url; printf '\n' ;;
        createdb)
            [[ $# -eq 1 ]] || die "usage: $0 createdb NAME"
            setup; wait_ready || die "PostgreSQL not running on $PG_HOST:$PG_PORT (run: $0 start)"
            create_db "$1"; printf '%s/%s\n' "$(base_url)" "$1" ;;
        dropdb)
            [[ $# -eq 1 ]] || die "usage: $0 dropdb NAME"
            setup; wait_ready || die "PostgreSQL not running on $PG_HOST:$PG_PORT (run: $0 start)"
            drop_db "$1" ;;
        psql)
            setup
            PGPASSWORD="$PG_PASSWORD" exec "$PGBIN/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@" ;;
        -h|--help|help|"") usage ;;
        *) log "unknown command: $cmd"; usage ;;
    esac
}

main "$@"
