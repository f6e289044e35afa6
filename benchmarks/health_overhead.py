"""What the health rules (HLT001-HLT004) add to a cold scan of a repository.

    python benchmarks/health_overhead.py DIR [--repeat N] [--json FILE]

Runs ``prodready-lint scan DIR --no-cache --exit-zero -q`` with every built-in rule and
the same with ``--ignore HLT``, interleaved, ``--repeat`` times each (default 3), and
reports the median wall time and the median CPU time (user + system of the command and
its worker processes) of each, and the health rules' share: (all - without) / without.
CPU time is the figure to read on a shared machine: wall time moves with other load.
The target is a share of at most 10%.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SHARE = 0.10


def _run(command: list[str]) -> tuple[float, float]:
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    base = [sys.executable, "-m", "prodready_lint", "scan", str(args.directory), "--no-cache", "--exit-zero", "-q"]
    commands = {"all rules": base, "without HLT": [*base, "--ignore", "HLT"]}
    subprocess.run(base, check=True, stdout=subprocess.DEVNULL)  # compile imports once
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            times[name].append(_run(command))
    figures = {
        name: {
            "wall": statistics.median(w for w, _ in runs),
            "cpu": statistics.median(c for _, c in runs),
        }
        for name, runs in times.items()
    }
    for name, figure in figures.items():
        print(f"{name:12} wall {figure['wall']:.2f} s   cpu {figure['cpu']:.2f} s")
    share_cpu = figures["all rules"]["cpu"] / figures["without HLT"]["cpu"] - 1
    share_wall = figures["all rules"]["wall"] / figures["without HLT"]["wall"] - 1
    verdict = "PASS" if share_cpu <= TARGET_SHARE else "FAIL"
    print(
        f"health rules add {share_cpu:+.1%} cpu, {share_wall:+.1%} wall (target <= {TARGET_SHARE:.0%} cpu): {verdict}"
    )
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "share_cpu": share_cpu, "share_wall": share_wall}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
