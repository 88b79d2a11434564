#!/usr/bin/env bash
# HierReason bootstrapper: restores the pinned Cake tool and runs the pipeline.
#   ./build.sh --target=Test
#   ./build.sh --target=Benchmark [--gpus=0,1] [--torch-backend=cuda] [--tasks=a,b] [--models=x]
#   ./build.sh --target=BenchmarkHierarchical [--hierarchical-approved=<file>]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
