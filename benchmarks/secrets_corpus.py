"""Precision and recall of the secrets family on a labelled set, next to its peers.

    python benchmarks/secrets_corpus.py [DIR ...] [--peers /tmp/peers-secrets/bin] [--json FILE]

A labelled set is a directory whose files carry ``# expect: SEC...`` markers (the
fixture markers of ``prodready_lint.sdk.testing``): a marked line holds a hardcoded
secret, every other line does not. Default: ``tests/fixtures/secrets`` and
``tests/corpora/secrets``. Scoring is per line: a tool's finding on a marked line is a
true positive (once per line), on any other line a false positive, and a marked line no
finding touches is a miss.

Peers, each run on the same directory when found in ``--peers`` (or on PATH):

* ``detect-secrets scan --all-files`` with its default plugins and filters;
* ``bandit -r -t B105,B106,B107`` (Python files only);
* ``ruff check --select S105,S106,S107`` (Python files only).

Figures are printed for all files and for Python files only (the only ones Bandit and
Ruff read).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT / "tests" / "fixtures" / "secrets", ROOT / "tests" / "corpora" / "secrets"]


def labels(folder: Path) -> tuple[set[tuple[str, int]], list[str]]:
    from prodready_lint.sdk import classify
    from prodready_lint.sdk.testing import read_markers

    wanted: set[tuple[str, int]] = set()
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        files.append(relative)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        markers = read_markers(text, kind=classify(relative))
        for line, counter in markers.expect.items():
            if any(rule.startswith("SEC") for rule in counter):
                wanted.add((relative, line))
    return wanted, files


def ours(folder: Path) -> set[tuple[str, int]]:
    import prodready_lint

    result = prodready_lint.scan([folder], config={}, select=["SEC"], cache=False, root=folder)
    return {(f.path, f.line) for f in result.findings if f.severity.value != "info"} | {
        (f.path, f.line) for f in result.suppressed
    }


def _tool(peers: Path | None, name: str) -> str | None:
    if peers is not None and (peers / name).exists():
        return str(peers / name)
    return shutil.which(name)


def detect_secrets(folder: Path, exe: str) -> set[tuple[str, int]]:
    done = subprocess.run([exe, "scan", "--all-files"], cwd=folder, capture_output=True, text=True, check=True)
    out = set()
    for path, secrets in json.loads(done.stdout)["results"].items():
        for secret in secrets:
            out.add((Path(path).as_posix(), secret["line_number"]))
    return out


def bandit(folder: Path, exe: str) -> set[tuple[str, int]]:
    done = subprocess.run(
        [exe, "-r", ".", "-t", "B105,B106,B107", "-f", "json", "-q"], cwd=folder, capture_output=True, text=True
    )
    data = json.loads(done.stdout or "{}")
    return {(os.path.normpath(r["filename"]), r["line_number"]) for r in data.get("results", [])}


def ruff(folder: Path, exe: str) -> set[tuple[str, int]]:
    done = subprocess.run(
        [exe, "check", "--no-cache", "--isolated", "--select", "S105,S106,S107", "--output-format", "json", "."],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    return {
        (Path(r["filename"]).resolve().relative_to(folder.resolve()).as_posix(), r["location"]["row"])
        for r in json.loads(done.stdout or "[]")
    }


def score(found: set, wanted: set) -> tuple[float, float, int, int, int]:
    tp = len(found & wanted)
    fp = len(found - wanted)
    fn = len(wanted - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--peers", type=Path, help="a bin/ directory holding detect-secrets, bandit and ruff")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    folders = [d for d in (args.dirs or DEFAULT_SETS) if d.is_dir()]
    tools = {
        "prodready-lint": (ours, None),
        "detect-secrets": (detect_secrets, _tool(args.peers, "detect-secrets")),
        "bandit B105-B107": (bandit, _tool(args.peers, "bandit")),
        "ruff S105-S107": (ruff, _tool(args.peers, "ruff")),
    }
    figures: dict[str, dict[str, list]] = {}
    wanted_all: set = set()
    found_all: dict[str, set] = {name: set() for name in tools}
    for folder in folders:
        wanted, _ = labels(folder)
        prefix = folder.name + "/"
        wanted_all |= {(prefix + f, n) for f, n in wanted}
        for name, (run, exe) in tools.items():
            if name != "prodready-lint" and exe is None:
                continue
            found = run(folder) if exe is None else run(folder, exe)
            found_all[name] |= {(prefix + f, n) for f, n in found}
    print(f"labelled lines: {len(wanted_all)} in {', '.join(str(f.relative_to(ROOT)) for f in folders)}")
    print(f"{'tool':<20} {'scope':<8} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, (_, exe) in tools.items():
        if name != "prodready-lint" and exe is None:
            print(f"{name:<20} not installed")
            continue
        for scope, keep in (("all", lambda p: True), ("python", lambda p: p.endswith(".py"))):
            wanted = {k for k in wanted_all if keep(k[0])}
            found = {k for k in found_all[name] if keep(k[0])}
            p, r, tp, fp, fn = score(found, wanted)
            figures.setdefault(name, {})[scope] = [round(p, 3), round(r, 3), tp, fp, fn]
            print(f"{name:<20} {scope:<8} {p:>9.2f} {r:>7.2f} {tp:>4} {fp:>4} {fn:>4}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
