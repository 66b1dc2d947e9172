#!/usr/bin/env bash
# Headless Chromium for the browser tests (tests/browser), installed by `make test`.
# Idempotent: when /usr/bin/chromium is there, only its version is printed.
#
#   /usr/bin/chromium     Debian's `chromium` package (Playwright for Python drives it through
#                         executable_path; Playwright's own browser download is not used)
#   fonts                 fonts-dejavu-core and fonts-liberation2 (metric-compatible Arial,
#                         Times and Courier), so pages and PDFs render with real glyphs; chromium
#                         only recommends fonts-liberation, which --no-install-recommends skips
#
# Installing needs root and apt-get; `apt-get update` runs only when the package lists are
# missing or the first install attempt fails (stale lists).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-dejavu-core fonts-liberation2)

# shellcheck disable=SC2034 # TAG is read by common.sh
TAG=chromium
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || printf '%s\n' "$p"
    done
}

install_packages() {
    [[ $EUID -eq 0 ]] || die "missing: $*; install them first (sudo apt-get install -y --no-install-recommends $*)"
    command -v apt-get >/dev/null 2>&1 || die "missing: $*; apt-get is not available, install them manually"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run (e.g. postgres.sh installing PostgreSQL) instead of failing.
    local apt=(apt-get -q -o DPkg::Lock::Timeout=600)
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        log "no package lists yet; apt-get update"
        "${apt[@]}" update || die "apt-get update failed"
    fi
    log "installing Debian packages: $* (apt-get)"
    if ! "${apt[@]}" install -y --no-install-recommends "$@"; then
        log "install failed; refreshing the package lists (apt-get update) and trying again"
        "${apt[@]}" update || die "apt-get update failed"
        "${apt[@]}" install -y --no-install-recommends "$@" || die "apt-get install $* failed"
    fi
}

take_lock "$ROOT/.local/chromium" 900

mapfile -t MISSING < <(missing_packages)
if [[ ! -x "$CHROMIUM" || ${#MISSING[@]} -gt 0 ]]; then
    [[ ${#MISSING[@]} -gt 0 ]] || MISSING=(chromium)
    install_packages "${MISSING[@]}"
fi
[[ -x "$CHROMIUM" ]] || die "$CHROMIUM still missing after installing ${PACKAGES[*]}"

version="$("$CHROMIUM" --version 2>/dev/null)" || die "$CHROMIUM --version failed"
log "ready: $version ($CHROMIUM)"
