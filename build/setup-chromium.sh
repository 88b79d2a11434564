#!/usr/bin/env bash
# Installs what the report's browser tests need: Debian's Chromium (Playwright cannot download
# browsers on a closed network, so the tests drive /usr/bin/chromium), idempotently.
#
# Usage: build/setup-chromium.sh [--check]   (--check only reports; exit 1 when it is missing)
# A machine with another Chromium can point the tests at it: HIERREASON_CHROMIUM=/path/to/chrome.
set -euo pipefail

log() { echo "[setup-chromium] $*"; }
check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

found() {
  [[ -n "${HIERREASON_CHROMIUM:-}" && -x "${HIERREASON_CHROMIUM}" ]] && return 0
  [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

if found; then
  log "Chromium is installed: nothing to do"
  exit 0
fi
if (( check_only )); then
  log "MISSING: chromium"
  exit 1
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  log "MISSING: chromium. Install as root on Debian/Ubuntu: apt-get install --no-install-recommends chromium (or set HIERREASON_CHROMIUM)"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log "installing chromium"
if ! apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; then
  log "install failed; refreshing the package lists and trying again"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi
if ! found; then
  log "ERROR: chromium still missing after the install"
  exit 1
fi
log "done: $(/usr/bin/chromium --version 2>/dev/null || true)"
