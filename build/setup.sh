#!/usr/bin/env bash
# Installs HierReason's system prerequisites, idempotently, saying first exactly what it changes.
#
# TorchSharp 0.107 ships a libtorch that needs GLIBCXX_3.4.32 (libstdc++ from GCC >= 13).
# Ubuntu >= 24.04 and Debian >= 13 have it: nothing is changed there. Elsewhere:
#   Debian 12     adds Debian 13 (trixie) as an apt source pinned at priority 100 (nothing else is upgraded from it
#                 unless asked) and installs libstdc++6 from it. That pulls trixie's libc6 (2.36 -> 2.41) and the
#                 packages libc6 needs (on a stock Debian 12 image also dpkg and base-files: /etc/os-release then
#                 reports Debian 13). The exact list is printed, from apt's own simulation, before anything is installed.
#   Ubuntu 20.04 / 22.04
#                 adds the Ubuntu Toolchain PPA (ppa:ubuntu-toolchain-r/test) and upgrades libstdc++6 from it
#                 (with libgcc-s1 and gcc-N-base; glibc is not touched).
# When run from a terminal it asks before changing anything; declining removes the apt source it added.
#
# Usage: build/setup.sh [--check | --dry-run] [--yes]
#   --check    only report; exit 1 when something is missing
#   --dry-run  print the plan (sources, pins, commands) and change nothing
#   --yes      do not ask (also HIERREASON_SETUP_YES=1); without a terminal on stdin it never asks
# Needs root, or sudo without a password. Test seams: HIERREASON_OS_RELEASE (default /etc/os-release) and
# HIERREASON_LIBSTDCXX (the libstdc++.so.6 to check) let the tests run the planning on any machine.
set -euo pipefail

need=GLIBCXX_3.4.32
mode=install
yes=${HIERREASON_SETUP_YES:-0}
for arg in "$@"; do
  case "$arg" in
    --check) mode=check ;;
    --dry-run) mode=dry-run ;;
    --yes|-y) yes=1 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "[setup] unknown argument '$arg' (expected --check, --dry-run or --yes)" >&2; exit 2 ;;
  esac
done

log() { echo "[setup] $*"; }

find_libstdcxx() {
  if [[ -n "${HIERREASON_LIBSTDCXX:-}" ]]; then echo "$HIERREASON_LIBSTDCXX"; return 0; fi
  local f
  for f in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [[ -e "$f" ]] && { echo "$f"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_symbol() {
  local lib
  lib=$(find_libstdcxx)
  [[ -n "$lib" && -e "$lib" ]] || return 1
  # grep -a on the binary avoids needing binutils' strings.
  grep -aq "$need" "$lib"
}

if has_symbol; then
  log "libstdc++ provides $need: nothing to do"
  exit 0
fi
lib=$(find_libstdcxx || true)

if [[ $mode == check ]]; then
  log "MISSING: ${lib:-libstdc++.so.6} without $need (TorchSharp's native library will not load)"
  exit 1
fi

os_release=${HIERREASON_OS_RELEASE:-/etc/os-release}
ID="" VERSION_ID="" VERSION_CODENAME=""
# shellcheck disable=SC1090
[[ -r "$os_release" ]] && . "$os_release"

plan=""
case "${ID}:${VERSION_ID}" in
  debian:12) plan=debian12 ;;
  ubuntu:22.04|ubuntu:20.04) plan=ubuntu-ppa ;;
esac

if [[ -z "$plan" ]]; then
  cat >&2 <<MSG
[setup] MISSING: ${lib:-libstdc++.so.6} lacks $need, which TorchSharp 0.107 needs (${ID:-unknown} ${VERSION_ID:-}).
[setup] Fix one of these ways:
[setup]   - use Ubuntu >= 24.04 or Debian >= 13 (their libstdc++ has it);
[setup]   - on Debian 12 or Ubuntu 20.04 / 22.04, run this script as root or with sudo (see its header for what it changes);
[setup]   - elsewhere, install libstdc++ from GCC >= 13 (e.g. conda-forge's libstdcxx-ng) and put it first on LD_LIBRARY_PATH.
MSG
  exit 1
fi

trixie_list=/etc/apt/sources.list.d/hierreason-trixie.list
trixie_pref=/etc/apt/preferences.d/hierreason-trixie.pref
ppa=ppa:ubuntu-toolchain-r/test

say_plan() {
  if [[ $plan == debian12 ]]; then
    log "Debian 12: libstdc++6 must come from Debian 13 (trixie). This script will:"
    log "  1. write $trixie_list:  deb http://deb.debian.org/debian trixie main"
    log "  2. write $trixie_pref:  Pin: release n=trixie / Pin-Priority: 100 (nothing else upgrades from trixie)"
    log "  3. run: apt-get update; apt-get install -t trixie libstdc++6"
    log "     this upgrades libc6 (2.36 -> 2.41) and what it depends on; on a stock image also dpkg and base-files,"
    log "     after which /etc/os-release reports Debian 13. apt's exact list is printed before step 3."
  else
    log "Ubuntu ${VERSION_ID}: libstdc++6 must come from the Ubuntu Toolchain PPA. This script will:"
    log "  1. run: add-apt-repository -y $ppa   (installs software-properties-common first if missing)"
    log "  2. run: apt-get install libstdc++6   (the PPA's GCC 13+ runtime: libstdc++6, libgcc-s1, gcc-N-base; glibc unchanged)"
    log "     apt's exact list is printed before step 2."
  fi
}

say_plan
if [[ $mode == dry-run ]]; then
  log "dry run: nothing was changed"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=sudo
  else
    log "ERROR: changing apt sources needs root: rerun as root or with sudo (sudo bash $0)" >&2
    exit 1
  fi
fi

ask() {
  [[ $yes == 1 || ! -t 0 ]] && return 0
  local reply
  read -r -p "[setup] $1 [y/N] " reply
  [[ $reply == y || $reply == Y || $reply == yes ]]
}

export DEBIAN_FRONTEND=noninteractive
added=()
undo() {
  local f
  for f in "${added[@]}"; do
    case "$f" in
      ppa) $sudo add-apt-repository -y -r "$ppa" >/dev/null 2>&1 || true ;;
      *) $sudo rm -f "$f" ;;
    esac
  done
  $sudo apt-get update -qq || true
}

if ! ask "Add the apt source above and let apt compute what it would install?"; then
  log "declined: nothing was changed"
  exit 1
fi

if [[ $plan == debian12 ]]; then
  [[ -f "$trixie_list" ]] || { echo "deb http://deb.debian.org/debian trixie main" | $sudo tee "$trixie_list" >/dev/null; added+=("$trixie_list"); }
  [[ -f "$trixie_pref" ]] || { printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $sudo tee "$trixie_pref" >/dev/null; added+=("$trixie_pref"); }
  install=(apt-get install -y -t trixie libstdc++6)
else
  if ! command -v add-apt-repository >/dev/null; then
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq software-properties-common >/dev/null
  fi
  $sudo add-apt-repository -y "$ppa" >/dev/null
  added+=(ppa)
  install=(apt-get install -y libstdc++6)
fi
$sudo apt-get update -qq

# apt's own simulation: the exact packages and versions the install would change.
changes=$($sudo "${install[@]}" -s 2>/dev/null | awk '/^Inst /{ sub(/^Inst /, ""); print }' || true)
log "apt would install or upgrade:"
if [[ -n "$changes" ]]; then
  while IFS= read -r line; do log "  $line"; done <<<"$changes"
else
  log "  (nothing)"
fi

if ! ask "Install these packages?"; then
  undo
  log "declined: removed the apt source this run added; nothing was installed"
  exit 1
fi

$sudo "${install[@]}" -qq >/dev/null
if has_symbol; then
  log "done: $(find_libstdcxx) now provides $need"
  exit 0
fi
log "ERROR: libstdc++6 was installed but $need is still missing from $(find_libstdcxx)"
exit 1
