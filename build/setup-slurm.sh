#!/usr/bin/env bash
# Installs what the real-SLURM tests need (slurmctld, slurmd, the client commands, munge), idempotently.
# The tests start their own private single-node cluster (tests/HierReason.Slurm.Tests/Cluster/SlurmCluster.cs);
# installing starts no service and leaves /etc/slurm alone.
#
# Debian 12 (also with trixie added at pin priority 100 by build/setup.sh): the default bookworm packages
# (slurm 22.05.8, munge 0.5.15) install cleanly next to trixie's libc6/libstdc++6, so no -t trixie is used.
#
# Usage: build/setup-slurm.sh [--check]   (--check only reports; exit 1 when something is missing)
set -euo pipefail

log() { echo "[setup-slurm] $*"; }
check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

binaries=(slurmctld slurmd sbatch squeue sinfo scancel munged setpriv mknod)
missing() {
  local b out=()
  for b in "${binaries[@]}"; do
    command -v "$b" >/dev/null 2>&1 || [[ -x "/usr/sbin/$b" ]] || [[ -x "/sbin/$b" ]] || out+=("$b")
  done
  echo "${out[*]}"
}

gone=$(missing)
if [[ -z "$gone" ]]; then
  log "SLURM and munge are installed: nothing to do"
  exit 0
fi
if (( check_only )); then
  log "MISSING: $gone"
  exit 1
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  log "MISSING: $gone. Install as root on Debian/Ubuntu: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
packages=(slurmctld slurmd slurm-client munge)
log "installing ${packages[*]}"
if ! apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
  log "install failed; refreshing the package lists and trying again"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
gone=$(missing)
if [[ -n "$gone" ]]; then
  log "ERROR: still missing after the install: $gone"
  exit 1
fi
log "done: slurm $(dpkg-query -W -f='${Version}' slurmctld 2>/dev/null || true), munge $(dpkg-query -W -f='${Version}' munge 2>/dev/null || true)"
