#!/usr/bin/env bash
# Installs HierReason's system prerequisites, idempotently.
#
# TorchSharp 0.107 ships a libtorch that needs GLIBCXX_3.4.32 (libstdc++ from GCC >= 13).
# Debian 12 has 3.4.30; there, as root, we add Debian 13 (trixie) as a low-priority apt
# source (pin 100, so nothing else is upgraded from it) and take only libstdc++6 from it.
# Ubuntu >= 24.04 and Debian >= 13 already satisfy it and nothing is changed.
#
# Usage: build/setup.sh [--check]   (--check only reports; exit 1 when something is missing)
set -euo pipefail

need=GLIBCXX_3.4.32
check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

log() { echo "[setup] $*"; }

find_libstdcxx() {
  local f
  for f in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [[ -e "$f" ]] && { echo "$f"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_symbol() {
  local lib
  lib=$(find_libstdcxx)
  [[ -n "$lib" ]] || return 1
  # grep -a on the binary avoids needing binutils' strings.
  grep -aq "$need" "$lib"
}

if has_symbol; then
  log "libstdc++ provides $need: nothing to do"
  exit 0
fi

if (( check_only )); then
  log "MISSING: libstdc++ without $need (TorchSharp's native library will not load)"
  exit 1
fi

. /etc/os-release 2>/dev/null || true
if [[ "${ID:-}" == "debian" && "${VERSION_ID:-}" == "12" && $(id -u) -eq 0 ]]; then
  log "Debian 12 detected: installing libstdc++6 from Debian 13 (trixie), pinned at priority 100"
  list=/etc/apt/sources.list.d/hierreason-trixie.list
  pref=/etc/apt/preferences.d/hierreason-trixie.pref
  [[ -f "$list" ]] || echo "deb http://deb.debian.org/debian trixie main" > "$list"
  [[ -f "$pref" ]] || printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > "$pref"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  if has_symbol; then
    log "done: $(find_libstdcxx) now provides $need"
    exit 0
  fi
  log "ERROR: libstdc++6 from trixie was installed but $need is still missing"
  exit 1
fi

cat >&2 <<MSG
[setup] MISSING: $(find_libstdcxx || echo libstdc++.so.6) lacks $need, which TorchSharp 0.107 needs.
[setup] Fix one of these ways:
[setup]   - use Ubuntu >= 24.04 or Debian >= 13 (their libstdc++ has it);
[setup]   - on Debian 12, run this script as root (it adds trixie pinned at priority 100
[setup]     and runs: apt-get install -t trixie libstdc++6);
[setup]   - elsewhere, install libstdc++ from GCC >= 13.
MSG
exit 1
