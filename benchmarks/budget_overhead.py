"""What the per-file time budget costs on the hot path.

    python benchmarks/budget_overhead.py [--repeat 5]

Every file a worker analyzes is wrapped in the soft budget: one ``setitimer`` to arm
SIGALRM before the analysis and one to disarm it after (the hard limit is the parent's
``wait`` timeout, which it makes anyway). This times the standard library's top-level
modules analyzed in this process by the built-in rules, once calling the analyzer
directly and once through the worker's budgeted call, and the bare pair of
``setitimer`` calls, and reports the difference per file.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import statistics
import sys
import sysconfig
import time
from pathlib import Path

from prodready_lint.rules import PACK
from prodready_lint.sdk.model import FileKind

from prodready_lint.analysis import Analyzer, FileTask, WorkerSpec
from prodready_lint.budget import Budget
from prodready_lint.parallel import _analyze, _on_alarm


def tasks() -> list[FileTask]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    ids = tuple(rule.metadata().id for rule in PACK.rules)
    out = []
    for path in sorted(stdlib.glob("*.py")):
        data = path.read_bytes()
        out.append(FileTask(path.name, FileKind.PYTHON, ids, data, hashlib.blake2b(data).hexdigest()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (median reported)")
    args = parser.parse_args()
    sys.setrecursionlimit(20000)
    signal.signal(signal.SIGALRM, _on_alarm)
    work = tasks()
    analyzer = Analyzer(WorkerSpec(rules=PACK.rules, settings={}, severities={}))
    budget = Budget()
    for task in work:  # warm up: imports, caches
        analyzer.analyze(task)

    def direct() -> None:
        for task in work:
            analyzer.analyze(task)

    def budgeted() -> None:
        for task in work:
            _analyze(analyzer, task, budget)

    def timers() -> None:
        for _ in work:
            signal.setitimer(signal.ITIMER_REAL, budget.seconds)
            signal.setitimer(signal.ITIMER_REAL, 0)

    figures = {}
    for name, run in (("direct", direct), ("budgeted", budgeted), ("timers", timers)):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        figures[name] = statistics.median(times)
    files = len(work)
    per_file = figures["direct"] / files
    timer = figures["timers"] / files
    difference = (figures["budgeted"] - figures["direct"]) / files
    print(f"{files} files: {figures['direct']:.3f} s direct, {figures['budgeted']:.3f} s with the budget")
    print(f"analysis {per_file * 1e6:.0f} us per file; the two setitimer calls {timer * 1e6:.2f} us per file")
    print(f"measured difference {difference * 1e6:+.1f} us per file ({difference / per_file:+.2%}, run-to-run noise)")
    print(f"setitimer share of a file's analysis: {timer / per_file:.4%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
