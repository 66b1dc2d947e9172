# shellcheck shell=bash
# Helpers shared by postgres.sh and kafka.sh. Source after setting TAG (log prefix).

log() { printf '[%s] %s\n' "$TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$TAG" "$*" >&2; exit 1; }

# apt_install WHAT PACKAGE: install a Debian package when WHAT is missing (root only).
apt_install() {
    [[ $EUID -eq 0 ]] || die "$1 is missing; install it first (sudo apt-get install -y $2)"
    command -v apt-get >/dev/null 2>&1 || die "$1 is missing and apt-get is not available; install $1 manually"
    log "$1 not found; installing Debian package '$2' (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q || die "apt-get update failed"
    apt-get install -y -q --no-install-recommends "$2" || die "apt-get install $2 failed"
}

# take_lock DIR SECONDS: serialise start/stop between concurrent callers (make up, several test
# runs). fd 9 holds the lock; the servers are started with 9>&- so they do not inherit it.
take_lock() {
    mkdir -p "$1"
    if ! command -v flock >/dev/null 2>&1; then
        log "warning: flock not found; concurrent $TAG.sh calls are not serialised"
        return 0
    fi
    exec 9>"$1/.lock"
    if ! flock -n 9; then
        log "another $TAG.sh start/stop is running; waiting for it (up to $2s)"
        flock -w "$2" 9 || die "timed out waiting for $1/.lock"
    fi
}

# log_tail FILE LINES: show the end of a server log after a failure.
log_tail() {
    if [[ -f "$1" ]]; then
        printf '[%s] ---- last %s lines of %s ----\n' "$TAG" "$2" "$1" >&2
        tail -n "$2" "$1" >&2 || true
        printf '[%s] ----\n' "$TAG" >&2
    fi
}
