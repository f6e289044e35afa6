"""What Semgrep rules cost a scan: semgrep's start-up and its cost per file.

    python benchmarks/semgrep_cost.py [--files 0,25,100,400] [--repeat 3]

Start-up is a run on one empty file; the per-file cost is the slope of the wall time
over the number of files (standard-library modules, the NWD004 rule of the example
pack: ``print(...)``). Both command lines are measured: the OCaml one that
prodready-lint runs (``semgrep scan --experimental``) and the Python one (plain
``semgrep scan``). Last, a whole ``prodready-lint scan`` of the same files with and
without the YAML rule, cold (``--no-cache``), and warm with the rule (the per-file cache
answers, so no semgrep process starts). Every run is offline
(``--metrics off --disable-version-check``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE = ROOT / "sdk" / "example-pack" / "northwind_rules" / "no_print.yaml"
OFFLINE = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}


def wall(command: list[str], cwd: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env={**os.environ, **OFFLINE}, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def corpus(directory: Path, count: int) -> list[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = sorted(p for p in stdlib.glob("*.py") if p.stat().st_size < 60_000)[:count]
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for source in sources:
        target = directory / source.name
        shutil.copyfile(source, target)
        out.append(str(target))
    return out


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares seconds per file."""
    mean_x = statistics.mean(x for x, _ in points)
    mean_y = statistics.mean(y for _, y in points)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in points)
    variance = sum((x - mean_x) ** 2 for x, _ in points)
    return covariance / variance if variance else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="0,25,100,400", help="numbers of files to time (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median reported)")
    args = parser.parse_args()
    semgrep = shutil.which("semgrep") or str(Path(sys.executable).parent / "semgrep")
    if not os.path.exists(semgrep):
        print("semgrep is not installed: pip install 'prodready-lint[semgrep]'", file=sys.stderr)
        return 2
    counts = [int(n) for n in args.files.split(",")]
    with tempfile.TemporaryDirectory(prefix="semgrep-cost-") as temp:
        base = Path(temp)
        empty = base / "empty.py"
        empty.write_text("", encoding="utf-8")
        files = corpus(base / "src", max(counts))
        counts = sorted({min(n, len(files)) for n in counts})  # the standard library has only so many
        flags = ["--config", str(RULE), "--json", "--quiet", "--metrics", "off", "--disable-version-check"]
        for label, cli in (("OCaml (--experimental)", ["scan", "--experimental"]), ("Python", ["scan"])):
            start = wall([semgrep, *cli, *flags, str(empty)], base, args.repeat)
            points = [
                (n, wall([semgrep, *cli, *flags, *(files[:n] or [str(empty)])], base, args.repeat)) for n in counts
            ]
            per_file = slope(points)
            print(f"semgrep {label}: start-up {start:.2f} s, {per_file * 1000:.1f} ms per file")
            print("  " + ", ".join(f"{n} files {t:.2f} s" for n, t in points))
        n = len(files)
        scan = [sys.executable, "-m", "prodready_lint", "scan", str(base / "src"), "--root", str(base), "--exit-zero"]
        scan += ["--quiet", "--jobs", "1"]
        native = wall([*scan, "--no-cache"], base, args.repeat)
        with_rule = wall([*scan, "--no-cache", "--rules", str(RULE)], base, args.repeat)
        cache = ["--cache-dir", str(base / "cache")]
        wall([*scan, *cache, "--rules", str(RULE)], base, 1)  # fill the cache
        # Other arguments, so the run is a real scan served by the cache, not a replay.
        warm = wall([*scan, *cache, "--rules", str(RULE), "--format", "json", "-o", os.devnull], base, 1)
        print(
            f"prodready-lint scan of {n} files, --jobs 1: {native:.2f} s native rules only, "
            f"{with_rule:.2f} s with the YAML rule (cold), {warm:.2f} s warm with it (no semgrep process)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
