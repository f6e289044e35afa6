"""Precision and recall of the timeouts family on the hand-labeled corpus.

    python benchmarks/timeouts_corpus.py [--set dev|holdout|blind|all] [--show] [--peers]

The corpus (tests/corpora/timeouts) is realistic service code with ``# expect: TMOxxx``
on every call that must be flagged and ``# ok: TMOxxx`` on look-alikes that must not
be. A finding counts as a true positive when its rule and first line match a marker.
With ``--peers``, Bandit's B113 and Ruff's S113 (requests/httpx without timeout) are
scored on the same files where they are installed, against the markers of the calls
they cover (requests and httpx: TMO001 and TMO009).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from prodready_lint.sdk.testing import read_markers

import prodready_lint

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "corpora" / "timeouts"


def expected(files: list[Path]) -> dict[tuple[str, int], Counter]:
    out: dict[tuple[str, int], Counter] = {}
    for path in files:
        markers = read_markers(path.read_text(encoding="utf-8"))
        for line, counter in markers.expect.items():
            out[(str(path.resolve()), line)] = counter
    return out


def score(found: Counter, wanted: dict[tuple[str, int], Counter], label: str, show: bool) -> dict:
    """``found`` counts (path, line, rule) -> findings; rules compared by family id."""
    tp = fp = fn = 0
    per_rule: dict[str, Counter] = {}
    wanted_flat = Counter()
    for (path, line), counter in wanted.items():
        for rule_id, count in counter.items():
            wanted_flat[(path, line, rule_id)] += count
    for key in set(found) | set(wanted_flat):
        got, want = found.get(key, 0), wanted_flat.get(key, 0)
        rule = key[2]
        stats = per_rule.setdefault(rule, Counter())
        stats["tp"] += min(got, want)
        stats["fp"] += max(0, got - want)
        stats["fn"] += max(0, want - got)
        tp += min(got, want)
        fp += max(0, got - want)
        fn += max(0, want - got)
        if show and got != want:
            kind = "FP" if got > want else "FN"
            print(f"  {kind} {key[2]} {Path(key[0]).relative_to(CORPUS)}:{key[1]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{label}: precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    for rule, stats in sorted(per_rule.items()):
        p = stats["tp"] / (stats["tp"] + stats["fp"]) if stats["tp"] + stats["fp"] else 1.0
        r = stats["tp"] / (stats["tp"] + stats["fn"]) if stats["tp"] + stats["fn"] else 1.0
        print(f"    {rule}: precision {p:.2f} recall {r:.2f} ({dict(stats)})")
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}


def ours(files: list[Path]) -> Counter:
    result = prodready_lint.scan([str(f) for f in files], config={}, select=["timeouts"], cache=False, root=CORPUS)
    found = Counter()
    for finding in result.findings:
        found[(str(CORPUS / finding.path), finding.line, finding.rule_id)] += 1
    for error in result.errors:
        print(f"  error: {error}", file=sys.stderr)
    return found


def peer_bandit(files: list[Path]) -> list[tuple[str, int]] | None:
    if not shutil.which("bandit"):
        return None
    proc = subprocess.run(
        ["bandit", "-q", "-f", "json", "-t", "B113", *map(str, files)], capture_output=True, text=True
    )
    return [
        (str(Path(i["filename"]).resolve()), i["line_number"])
        for i in json.loads(proc.stdout or "{}").get("results", [])
    ]


def peer_ruff(files: list[Path]) -> list[tuple[str, int]] | None:
    if not shutil.which("ruff"):
        return None
    proc = subprocess.run(
        ["ruff", "check", "--isolated", "--select", "S113", "--output-format", "json", *map(str, files)],
        capture_output=True,
        text=True,
    )
    return [(str(Path(i["filename"]).resolve()), i["location"]["row"]) for i in json.loads(proc.stdout or "[]")]


def score_peer(found: list[tuple[str, int]], wanted: dict[tuple[str, int], Counter], label: str) -> None:
    """Bandit B113 and Ruff S113 cover requests and httpx calls, so they are scored against
    the TMO001 and TMO009 markers. They may report a multi-line call on a later line (the
    one with ``timeout=``), so a finding matches an unmatched marker on its own line or up
    to five lines above it."""
    open_markers: dict[str, list[int]] = {}
    for (path, line), counter in wanted.items():
        open_markers.setdefault(path, []).extend([line] * (counter.get("TMO001", 0) + counter.get("TMO009", 0)))
    tp = fp = 0
    for path, line in sorted(found):
        candidates = sorted((m for m in open_markers.get(path, []) if line - 5 <= m <= line), reverse=True)
        if candidates:
            open_markers[path].remove(candidates[0])
            tp += 1
        else:
            fp += 1
    fn = sum(len(lines) for lines in open_markers.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{label}: precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "holdout", "blind", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="list every false positive and negative")
    parser.add_argument("--peers", action="store_true", help="also score bandit B113 and ruff S113 (requests only)")
    args = parser.parse_args()
    sets = ["dev", "holdout", "blind"] if args.set == "all" else [args.set]
    for name in sets:
        files = sorted((CORPUS / name).rglob("*.py"))
        wanted = expected(files)
        score(ours(files), wanted, f"prodready-lint {name} ({len(files)} files)", args.show)
        if args.peers:
            for label, runner in (("bandit B113", peer_bandit), ("ruff S113", peer_ruff)):
                found = runner(files)
                if found is None:
                    print(f"{label}: not installed")
                else:
                    score_peer(found, wanted, f"{label} {name} (requests and httpx markers, TMO001 + TMO009)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
