#!/usr/bin/env bash
# The HTTP load generator of `make bench`: wrk (Debian package `wrk`, with LuaJIT), installed
# with apt-get when it is missing, like postgres.sh installs PostgreSQL.
#
# Usage: scripts/local/wrk.sh [ensure|path]
#
#   ensure   install wrk when `wrk` is not on PATH (root: apt-get; otherwise an error that says
#            how). Idempotent. The default.
#   path     print the path of wrk (after ensure).
set -euo pipefail

# shellcheck disable=SC2034 # TAG is read by common.sh
TAG=wrk
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure() {
    if ! command -v wrk >/dev/null 2>&1; then
        apt_install "wrk (HTTP load generator)" wrk
        command -v wrk >/dev/null 2>&1 || die "wrk installed but not on PATH"
    fi
}

case "${1:-ensure}" in
    ensure) ensure ;;
    path) ensure; command -v wrk ;;
    *) die "usage: $0 [ensure|path]" ;;
esac
