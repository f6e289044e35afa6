"""Speed of the readiness report, baselines and changed-lines mode on the standard library.

    python benchmarks/bench_report.py [--corpus DIR] [--repeat N] [--json FILE]

The corpus is a copy of DIR (default: the running interpreter's standard library,
``.py`` files only) in a temporary directory, made a git repository with one commit so
``--changed-since`` has a history. Every figure is the wall time of a real subprocess
run (median of ``--repeat``):

* ``scan``: ``scan DIR --format json -o scan.json --no-cache`` (what CI runs once);
* ``report --from`` in each format: the report alone, from that saved scan;
* ``report`` warm (scan and report, the cache filled by a first scan);
* ``--write-baseline`` and ``--baseline`` on a warm cache, and ``--changed-since HEAD``
  after editing one file.

It also checks that two reports of the same input are byte-identical (the date pinned
with ``SOURCE_DATE_EPOCH``). Exit status 0 whatever the figures, 1 when a run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "prodready_lint"]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1780272000", "NO_COLOR": "1"}


def _copy(source: Path, target: Path) -> int:
    count = 0
    for path in source.rglob("*.py"):
        relative = path.relative_to(source)
        if any(part in ("site-packages", "venv", "__pycache__") for part in relative.parts):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        count += 1
    return count


def _git(directory: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench", *args],
        cwd=directory,
        check=True,
        capture_output=True,
    )


def _timed(args: list[str], cwd: Path, repeat: int) -> tuple[float, subprocess.CompletedProcess]:
    times, done = [], None
    print(" ".join(args[:1] + [a for a in args[1:] if a.startswith("--")]), file=sys.stderr, flush=True)
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, env=ENV, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1, 3):  # 3: some stdlib test files are not Python 3
            raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    return statistics.median(times), done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.environ.get("BENCH_CORPUS") or sysconfig.get_paths()["stdlib"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    figures: dict[str, float | int | bool] = {}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as temp:
        repo = Path(temp) / "stdlib"
        figures["files"] = _copy(Path(args.corpus), repo)
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "corpus")
        cache = ["--cache-dir", str(Path(temp) / "cache")]
        scan_json = str(Path(temp) / "scan.json")
        figures["scan_cold_s"], _ = _timed(
            ["scan", ".", "--format", "json", "-o", scan_json, "--no-cache", "--exit-zero"], repo, args.repeat
        )
        outputs = {}
        for fmt in ("markdown", "json", "html"):
            figures[f"report_from_{fmt}_s"], done = _timed(
                ["report", ".", "--from", scan_json, "--format", fmt], repo, args.repeat
            )
            outputs[fmt] = done.stdout
        again = subprocess.run(
            [*CLI, "report", ".", "--from", scan_json, "--format", "json"], cwd=repo, capture_output=True, env=ENV
        )
        figures["reproducible"] = again.stdout.decode() == outputs["json"]
        report = json.loads(outputs["json"])
        figures["findings"] = sum(len(e["evidence"]) for e in report["blockers"] + report["issues"])
        figures["html_bytes"] = len(outputs["html"].encode())
        figures["fill_cache_s"], _ = _timed(["scan", ".", "-q", "--exit-zero", *cache], repo, 1)
        figures["report_warm_s"], _ = _timed(["report", ".", *cache], repo, args.repeat)
        baseline = str(Path(temp) / "baseline.json")
        figures["write_baseline_warm_s"], _ = _timed(
            ["scan", ".", "-q", *cache, "--write-baseline", baseline], repo, args.repeat
        )
        figures["baseline_bytes"] = Path(baseline).stat().st_size
        figures["baseline_warm_s"], done = _timed(["scan", ".", "-q", *cache, "--baseline", baseline], repo, 1)
        figures["baseline_exit"] = done.returncode
        edited = next(repo.rglob("*.py"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nimport requests\nrequests.get('http://x')\n")
        figures["changed_since_warm_s"], done = _timed(
            ["scan", ".", "-q", *cache, "--changed-since", "HEAD"], repo, args.repeat
        )
        figures["changed_since_findings"] = done.stdout.count("TMO001")
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:.2f}" if isinstance(value, float) else f"{name:<{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
