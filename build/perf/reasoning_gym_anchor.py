#!/usr/bin/env python3
"""Measures reasoning-gym's single-core throughput (generate an item + score its gold answer, items per CPU-second)
for the tasks `hierreason perf tasks` compares, and writes JSON that `hierreason perf tasks --anchor FILE` reads.

The anchor must come from the same machine and the same run as HierReason's own figures: a ratio against a number
measured on another machine or day is not a measurement. build/perf/tasks-vs-reasoning-gym.sh runs both back to back.

    python3 build/perf/reasoning_gym_anchor.py --output anchor.json            # reasoning-gym installed (pip)
    python3 build/perf/reasoning_gym_anchor.py --source ~/reasoning-gym ...     # a source checkout: only the six
                                                                                # tasks' modules are loaded, so its heavy
                                                                                # dependencies (sympy, ...) are not needed
Each task: a warm-up, then --runs timed runs of --items items on one thread (time.process_time); the best run counts.
"""
import argparse
import datetime
import importlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import types

# Our task name -> reasoning-gym's module and dataset name (the same names as HierReason's tasks).
TASKS = {
    "chain_sum": "arithmetic.chain_sum",
    "letter_counting": "algorithmic.letter_counting",
    "leg_counting": "arithmetic.leg_counting",
    "shortest_path": "graphs.shortest_path",
    "basic_arithmetic": "arithmetic.basic_arithmetic",
    "mini_sudoku": "games.mini_sudoku",
}


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_from_checkout(source):
    """Registers reasoning_gym's packages as empty shells over a checkout and loads only what the six tasks import:
    the package __init__ files import every task family and their dependencies, which these tasks do not need."""
    root = os.path.join(os.path.abspath(source), "reasoning_gym")
    if not os.path.isfile(os.path.join(root, "factory.py")):
        sys.exit(f"--source {source}: expected a reasoning-gym checkout (reasoning_gym/factory.py is missing)")

    def shell(name, path):
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
        return module

    shell("reasoning_gym", root)
    for family in ("arithmetic", "algorithmic", "graphs", "games"):
        shell("reasoning_gym." + family, os.path.join(root, family))
    coaching = shell("reasoning_gym.coaching", os.path.join(root, "coaching"))
    attributes = importlib.import_module("reasoning_gym.coaching.attributes")
    base = importlib.import_module("reasoning_gym.coaching.base_curriculum")
    for name in ("AttributeDefinition", "RangeAttributeDefinition", "ScalarAttributeDefinition"):
        setattr(coaching, name, getattr(attributes, name))
    coaching.BaseCurriculum = base.BaseCurriculum
    sys.modules["reasoning_gym"].utils = importlib.import_module("reasoning_gym.utils")
    importlib.import_module("reasoning_gym.data")  # its __init__ needs only the standard library
    version = "checkout"
    try:
        commit = subprocess.run(["git", "-C", source, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        version = f"checkout {commit}"
    except (OSError, subprocess.CalledProcessError):
        pass
    return version


def measure(name, module_name, items, runs, warmup_items):
    module = importlib.import_module("reasoning_gym." + module_name)
    factory = importlib.import_module("reasoning_gym.factory")
    registered = factory.DATASETS[name]
    dataset_cls, config_cls = registered[0], registered[1]

    def run(seed, count):
        dataset = dataset_cls(config_cls(seed=seed, size=count))
        total = 0.0
        for i in range(count):
            entry = dataset[i]
            total += dataset.score_answer(entry["answer"], entry)
        return total

    if run(seed=12345, count=warmup_items) != warmup_items:
        raise SystemExit(f"{name}: a gold answer did not score 1 during the warm-up")
    results = []
    for r in range(runs):
        start = time.process_time()
        total = run(seed=r, count=items)
        cpu = max(time.process_time() - start, 1e-9)
        if total != items:
            raise SystemExit(f"{name}: a gold answer did not score 1")
        results.append(items / cpu)
    return {"module": "reasoning_gym." + module_name, "items": items, "runs": results, "items_per_cpu_second": max(results)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", "-o", required=True, help="the JSON file to write")
    parser.add_argument("--source", help="a reasoning-gym checkout to load instead of the installed package")
    parser.add_argument("--items", type=int, default=5000, help="items per timed run (default 5000)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per task; the best counts (default 2)")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks (default: all six)")
    args = parser.parse_args()
    if args.items < 1 or args.runs < 1:
        sys.exit("--items and --runs: expected positive integers")
    names = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in names if t not in TASKS]
    if unknown:
        sys.exit(f"--tasks: unknown {', '.join(unknown)}; expected some of {', '.join(TASKS)}")

    if args.source:
        version = "reasoning-gym " + load_from_checkout(args.source)
    else:
        try:
            rg = importlib.import_module("reasoning_gym")
        except ImportError:
            sys.exit("reasoning_gym is not installed (pip install reasoning-gym), and no --source checkout was given")
        version = "reasoning-gym " + getattr(rg, "__version__", "unknown")

    tasks = {}
    for name in names:
        print(f"measuring reasoning-gym {name} ...", file=sys.stderr, flush=True)
        tasks[name] = measure(name, TASKS[name], args.items, args.runs, warmup_items=max(200, args.items // 10))
    report = {
        "kind": "reasoning-gym-anchor",
        "schema_version": 1,
        "reasoning_gym": version,
        "python": platform.python_implementation() + " " + platform.python_version(),
        "machine": {"hostname": socket.gethostname(), "cpu_model": cpu_model(), "logical_cores": os.cpu_count()},
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "workload": "generate an item with the dataset's default config and score its gold answer, one thread, items per CPU-second",
        "tasks": tasks,
    }
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.output)
    for name, t in tasks.items():
        print(f"{name}: {t['items_per_cpu_second']:,.0f} items/CPU-s", file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
