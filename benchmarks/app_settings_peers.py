"""The application-settings rules (APP001 debug, APP002 TLS verification) next to their
peers, Bandit (B201, B501) and Ruff (S201, S501), on the labeled fixtures, and the speed
of the signals, dependencies and application-settings rules next to Bandit on a tree.

    python benchmarks/app_settings_peers.py [--tree DIR] [--peers-bin DIR]

On the fixtures (tests/fixtures/app_settings) every ``# expect: APP001``/``APP002`` line is
a finding the checklist wants and every ``# ok:`` line a look-alike; a peer's finding
counts when it starts on an expected line. Test files are out of scope for the APP rules
(the fixtures' ``tests/`` folder), so peers' findings there are listed apart. ``--tree``
times one prodready-lint run (``--select SIG,APP,DEP``, no cache, one process) against one
Bandit run (``-t B201,B501``) on the same tree, and prints the ratio.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from prodready_lint.sdk.testing import read_markers

import prodready_lint

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures" / "app_settings"
PEER_RULES = {"B201": "APP001", "S201": "APP001", "B501": "APP002", "S501": "APP002"}


def _wanted() -> tuple[Counter, set]:
    wanted: Counter = Counter()
    look_alikes: set = set()
    for path in FIXTURES.rglob("*.py"):
        markers = read_markers(path.read_text(encoding="utf-8"))
        relpath = path.relative_to(FIXTURES).as_posix()
        for line, counter in markers.expect.items():
            for rule_id, count in counter.items():
                if rule_id in ("APP001", "APP002"):
                    wanted[(relpath, line, rule_id)] += count
        for line, ids in markers.ok.items():
            for rule_id in ids:
                look_alikes.add((relpath, line, rule_id))
    return wanted, look_alikes


def _ours() -> Counter:
    result = prodready_lint.scan([FIXTURES], root=FIXTURES, select=["APP001", "APP002"], cache=False, config={})
    return Counter((f.path, f.line, f.rule_id) for f in result.findings if f.path.endswith(".py"))


def _bandit(binary: Path) -> Counter:
    done = subprocess.run(
        [str(binary), "-q", "-r", str(FIXTURES), "-t", "B201,B501", "-f", "csv"], capture_output=True, text=True
    )
    found: Counter = Counter()
    for row in csv.DictReader(io.StringIO(done.stdout)):
        relpath = Path(row["filename"]).resolve().relative_to(FIXTURES).as_posix()
        found[(relpath, int(row["line_number"]), PEER_RULES[row["test_id"]])] += 1
    return found


def _ruff(binary: Path) -> Counter:
    done = subprocess.run(
        [
            str(binary),
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "S201,S501",
            "--output-format",
            "json",
            str(FIXTURES),
        ],
        capture_output=True,
        text=True,
    )
    found: Counter = Counter()
    for item in json.loads(done.stdout or "[]"):
        relpath = Path(item["filename"]).resolve().relative_to(FIXTURES).as_posix()
        found[(relpath, item["location"]["row"], PEER_RULES[item["code"]])] += 1
    return found


def _score(name: str, found: Counter, wanted: Counter) -> None:
    in_scope = Counter({k: v for k, v in found.items() if "tests/" not in k[0]})
    for rule in ("APP001", "APP002"):
        want = sum(v for k, v in wanted.items() if k[2] == rule)
        got = sum(v for k, v in in_scope.items() if k[2] == rule)
        tp = sum(min(v, wanted.get(k, 0)) for k, v in in_scope.items() if k[2] == rule)
        precision = tp / got if got else 1.0
        print(
            f"  {name:<14} {rule}: {tp}/{want} expected lines found (recall {tp / want:.2f}), precision {precision:.2f}"
        )
    outside = sum(v for k, v in found.items() if "tests/" in k[0])
    if outside:
        print(f"  {name:<14} also flags {outside} line(s) in test files")


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="a source tree to time the rules on")
    parser.add_argument("--peers-bin", type=Path, help="the bin/ directory of a venv holding bandit and ruff")
    args = parser.parse_args()
    where = args.peers_bin
    bandit = (where / "bandit") if where else Path(shutil.which("bandit") or "bandit")
    ruff = (where / "ruff") if where else Path(shutil.which("ruff") or "ruff")
    wanted, _ = _wanted()
    print(f"fixtures: {sum(wanted.values())} expected APP001/APP002 findings")
    _score("prodready-lint", _ours(), wanted)
    if bandit.exists():
        _score("bandit", _bandit(bandit), wanted)
    if ruff.exists():
        _score("ruff", _ruff(ruff), wanted)
    if args.tree:
        ours = _time(
            [
                sys.executable,
                "-m",
                "prodready_lint",
                "scan",
                "--no-cache",
                "-j",
                "1",
                "--select",
                "SIG,APP,DEP",
                "--exit-zero",
                "-q",
                str(args.tree),
            ]
        )
        print(f"tree {args.tree}: prodready-lint SIG,APP,DEP {ours:.2f}s", end="")
        if bandit.exists():
            theirs = _time([str(bandit), "-q", "-r", str(args.tree), "-t", "B201,B501"])
            print(f", bandit B201,B501 {theirs:.2f}s, ratio {ours / theirs:.2f}", end="")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
