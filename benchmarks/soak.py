"""Soak test: many scans of one tree with random edits, a scan killed mid-way, and the cache
trusted across all of them.

    python benchmarks/soak.py [--runs 20] [--seed 7] [--tree DIR] [--json FILE]

It copies the standard library's ``.py`` files (or ``--tree``) into a temporary directory
and runs ``prodready-lint scan`` there ``--runs`` times with one cache directory,
alternating ``--jobs 1`` and ``--jobs 2``. Before each run it makes random edits: it adds a
call without a timeout to some files, removes the line it added to others, touches files
without changing them, writes a syntax error into one and repairs it later. One run
(the middle one) is killed with SIGKILL once it has written part of its results.

After every completed run it checks, against a fresh ``--no-cache`` scan of the same tree:
the same findings (path, line, rule, message, fingerprint) and the same errors. After the
killed run it checks that no process of the scan is left. It prints a table of the runs
and the peak resident memory of each run's process tree, and exits 1 if any check failed.
Nothing here needs anything but the project's own dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ADDED = "\nimport requests as _soak_requests\n_soak_requests.get('https://soak.invalid')  # soak\n"


def copy_stdlib(target: Path) -> int:
    source = Path(sysconfig.get_paths()["stdlib"])
    count = 0
    for path in source.rglob("*.py"):
        relative = path.relative_to(source)
        if "site-packages" in relative.parts or relative.parts[0] == "venv":
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        count += 1
    return count


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and its children, from /proc (0 elsewhere)."""
    total = 0
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return 0
    family = {pid}
    parents: dict[int, int] = {}
    for entry in entries:
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                changed = True
    for member in family:
        try:
            for line in (Path("/proc") / str(member) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.add(int(entry.name))
    return out


def run_scan(tree: Path, *args: str, kill_after: float | None = None) -> dict:
    command = [sys.executable, "-m", "prodready_lint", "scan", str(tree), "--root", str(tree)]
    command += ["--format", "json", "--exit-zero", "--no-progress", *args]
    started = time.monotonic()
    peak = 0
    workers: set[int] = set()
    killed = False
    # files, not pipes: a full pipe would block the scan while it is being watched
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            workers |= _children(proc.pid)
            if kill_after is not None and not killed and time.monotonic() - started > kill_after and workers:
                proc.send_signal(signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        proc.wait()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    report = json.loads(stdout) if stdout.strip() and not killed else None
    return {"report": report, "seconds": seconds, "peak": peak, "workers": workers, "killed": killed, "stderr": stderr}


def outcome(report: dict) -> tuple:
    findings = sorted(
        (f["location"]["path"], f["location"]["line"], f["rule_id"], f["message"], f["fingerprint"])
        for f in report["findings"]
    )
    errors = sorted((e["path"], e["kind"], e["message"]) for e in report["errors"])
    return findings, errors


def edit(tree: Path, files: list[Path], rng: random.Random, state: dict) -> str:
    done = []
    for path in rng.sample(files, 5):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if ADDED in text:
            path.write_text(text.replace(ADDED, ""), encoding="utf-8", errors="surrogateescape")
            done.append("removed")
        else:
            path.write_text(text + ADDED, encoding="utf-8", errors="surrogateescape")
            done.append("added")
    for path in rng.sample(files, 5):
        os.utime(path)
        done.append("touched")
    broken = state.get("broken")
    if broken is not None:
        broken.write_bytes(state.pop("original"))
        done.append("repaired")
    elif rng.random() < 0.5:
        victim = rng.choice(files)
        state["broken"], state["original"] = victim, victim.read_bytes()
        victim.write_bytes(state["original"] + b"\ndef soak(:\n")
        done.append("broke")
    if broken is not None:
        state.pop("broken")
    return ", ".join(f"{done.count(k)} {k}" for k in dict.fromkeys(done))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tree", type=Path, help="scan a copy of this tree instead of the standard library")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="prodready-soak-"))
    tree = work / "tree"
    if args.tree:
        shutil.copytree(args.tree, tree)
    else:
        print(f"copied {copy_stdlib(tree)} files of the standard library", flush=True)
    cache = work / "cache"
    files = sorted(tree.rglob("*.py"))
    state: dict = {}
    rows = []
    failures = 0
    killed_run = args.runs // 2
    try:
        for number in range(1, args.runs + 1):
            what = edit(tree, files, rng, state) if number > 1 else "none"
            jobs = "1" if number % 2 else "2"
            kill = number == killed_run
            run = run_scan(tree, "--jobs", jobs, "--cache-dir", str(cache), kill_after=1.0 if kill else None)
            row = {"run": number, "jobs": int(jobs), "edits": what, "seconds": round(run["seconds"], 2)}
            row["peak_mb"] = round(run["peak"] / 1e6)
            if run["killed"]:
                time.sleep(1.0)
                left = sorted(p for p in run["workers"] if (Path("/proc") / str(p)).exists() and _alive(p))
                row["check"] = "killed; no process left" if not left else f"FAIL: {len(left)} processes left"
                failures += bool(left)
            else:
                fresh = run_scan(tree, "--jobs", "2", "--no-cache")
                same = outcome(run["report"]) == outcome(fresh["report"])
                cached = run["report"]["stats"]["files_cached"]
                row["cached"] = cached
                row["check"] = "same as --no-cache" if same else "FAIL: differs from --no-cache"
                failures += not same
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| run | jobs | edits | seconds | cached files | peak RSS, tree | check |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row['run']} | {row['jobs']} | {row['edits']} | {row['seconds']} | {row.get('cached', '')} "
            f"| {row['peak_mb']} MB | {row['check']} |"
        )
    print(f"\npeak memory of any run: {max(r['peak_mb'] for r in rows)} MB; failed checks: {failures}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 1 if failures else 0


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


if __name__ == "__main__":
    sys.exit(main())
