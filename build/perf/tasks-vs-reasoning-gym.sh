#!/usr/bin/env bash
# Task throughput against reasoning-gym, both measured in this run on this machine: reasoning-gym's anchor, then
# `hierreason perf tasks --anchor`, then the anchor again (the same --items on both sides) (the two anchors bracket our run; perf tasks takes the first,
# and the script prints both so drift on a shared machine shows).
#
# Usage: build/perf/tasks-vs-reasoning-gym.sh [--source REASONING_GYM_CHECKOUT] [--items N]
#   without --source, reasoning_gym must be importable by python3 (pip install reasoning-gym).
# Writes artifacts/perf/reasoning-gym-anchor.json, reasoning-gym-anchor-after.json and tasks.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
source_args=()
items=20000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --source) source_args=(--source "$2"); shift 2 ;;
    --items) items=$2; shift 2 ;;
    *) echo "unknown argument '$1' (expected --source DIR or --items N)" >&2; exit 2 ;;
  esac
done
tasks=chain_sum,letter_counting,leg_counting,shortest_path,basic_arithmetic,mini_sudoku
out=artifacts/perf
mkdir -p "$out"
cli=src/HierReason.Cli/bin/Release/net10.0/hierreason
[[ -x "$cli" ]] || dotnet build src/HierReason.Cli -c Release -v q
python3 build/perf/reasoning_gym_anchor.py "${source_args[@]}" --tasks "$tasks" --items "$items" --output "$out/reasoning-gym-anchor.json"
"$cli" perf tasks --tasks "$tasks" --items "$items" --anchor "$out/reasoning-gym-anchor.json" --output "$out/tasks.json"
python3 build/perf/reasoning_gym_anchor.py "${source_args[@]}" --tasks "$tasks" --items "$items" --output "$out/reasoning-gym-anchor-after.json"
python3 - "$out/reasoning-gym-anchor.json" "$out/reasoning-gym-anchor-after.json" <<'PY'
import json, sys
before, after = (json.load(open(p))["tasks"] for p in sys.argv[1:3])
for name in before:
    b, a = before[name]["items_per_cpu_second"], after[name]["items_per_cpu_second"]
    print(f"reasoning-gym {name}: {b:,.0f} before, {a:,.0f} after our run ({(a - b) / b:+.1%})")
PY
