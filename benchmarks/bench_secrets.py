"""The secrets family against detect-secrets on the Python standard library, side by side.

    python benchmarks/bench_secrets.py [--detect-secrets PATH] [--limit N] [--json FILE]

The corpus is the running interpreter's standard library (``.py`` files, without
site-packages and ``venv/``), copied into a temporary directory so that both tools see
the same files and no .gitignore hides any. ``--limit N`` takes the first N files in
path order (for a quick run on a busy machine).

Runs, one after the other, each a real subprocess:

* prodready-lint: ``python -m prodready_lint scan DIR --root DIR --select SEC --no-cache
  -q --exit-zero --jobs 1`` (the secrets family alone, one process, parsing included);
* detect-secrets: ``detect-secrets scan --all-files`` in DIR (its default plugins and
  filters, one process).

For each: wall time and CPU time (user + system of the process and its children). The
ratio detect-secrets / prodready-lint is printed for both; the target is 10x or more.
CPU time is the figure to trust on a shared machine, where wall time also counts the
time other processes hold the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def copy_stdlib(target: Path, limit: int | None) -> int:
    source = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in source.rglob("*.py") if p.relative_to(source).parts[0] not in ("site-packages", "venv"))
    if limit:
        files = files[:limit]
    for path in files:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return len(files)


def timed(command: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--detect-secrets", default=shutil.which("detect-secrets"), help="detect-secrets to run")
    parser.add_argument("--limit", type=int, help="only the first N files of the standard library")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    if not args.detect_secrets:
        print("detect-secrets not found: pass --detect-secrets PATH", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-secrets-") as temp:
        corpus = Path(temp) / "stdlib"
        count = copy_stdlib(corpus, args.limit)
        lines = sum(p.read_bytes().count(b"\n") for p in corpus.rglob("*.py"))
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(temp) / "pycache"))
        ours_command = [sys.executable, "-m", "prodready_lint", "scan", str(corpus), "--root", str(corpus)]
        ours_command += ["--select", "SEC", "--no-cache", "-q", "--exit-zero", "--jobs", "1", "--no-progress"]
        subprocess.run(ours_command, capture_output=True, env=env)  # compile the imports once, untimed
        ours_wall, ours_cpu, ours = timed(ours_command, corpus)
        if ours.returncode not in (0,):
            print(ours.stderr, file=sys.stderr)
            return 1
        theirs_wall, theirs_cpu, theirs = timed([args.detect_secrets, "scan", "--all-files"], corpus)
        if theirs.returncode != 0:
            print(theirs.stderr, file=sys.stderr)
            return 1
        ds_findings = sum(len(v) for v in json.loads(theirs.stdout)["results"].values())
        our_findings = sum(1 for line in ours.stdout.splitlines() if " SEC0" in line)
    figures = {
        "files": count,
        "lines": lines,
        "prodready_lint": {"wall": round(ours_wall, 2), "cpu": round(ours_cpu, 2), "findings": our_findings},
        "detect_secrets": {"wall": round(theirs_wall, 2), "cpu": round(theirs_cpu, 2), "findings": ds_findings},
        "ratio_wall": round(theirs_wall / ours_wall, 2),
        "ratio_cpu": round(theirs_cpu / ours_cpu, 2),
    }
    print(f"corpus: {count} files, {lines} lines of the standard library")
    print(f"prodready-lint --select SEC: wall {ours_wall:.1f} s, cpu {ours_cpu:.1f} s, {our_findings} findings")
    print(f"detect-secrets scan --all-files: wall {theirs_wall:.1f} s, cpu {theirs_cpu:.1f} s, {ds_findings} findings")
    for label, ratio in (("wall", figures["ratio_wall"]), ("cpu", figures["ratio_cpu"])):
        print(f"detect-secrets / prodready-lint ({label}): {ratio:.1f}x  {'PASS' if ratio >= 10 else 'FAIL'} (>= 10x)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
