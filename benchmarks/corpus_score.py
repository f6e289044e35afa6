"""Precision and recall of rule families on a hand-labelled corpus of any file kinds.

    python benchmarks/corpus_score.py CORPUS --tag SECRET=SEC [--tag TAG=SELECTOR ...]
                                      [--show] [--json FILE]

A corpus is a directory of realistic repositories whose lines are labelled in comments:
``expect: TAG`` on a line that must be reported, ``ok: TAG`` on a look-alike that must
not be (``TAG, TAG`` for two findings on one line). A marker alone on a comment line
(``#``, ``--``, ``;`` or ``//``) applies to the next line that is neither blank nor a
marker line, which is how Dockerfiles, ``.env`` files and multi-line strings are
labelled. JSON files, which hold no comments, are labelled in a ``LABELS.json`` beside
them: ``{"file.json": [{"line": 12, "tag": "SECRET"}, {"line": 20, "tag": "SECRET",
"ok": true}]}``.

Each ``--tag TAG=SELECTOR`` maps a label to the rules that answer it (a rule id, an id
prefix, a name, a checklist slug or a pack, as ``--select`` takes them; ``+`` joins
several: ``--tag HEALTH=HLT+K8S004``). The corpus is scanned once with every selector,
and a finding counts for a tag when its rule is selected by that tag's selector; a true
positive is a finding whose first line carries an ``expect`` marker of its tag, every
other finding of the tag is a false positive, and every expected finding not matched is
a false negative. Files under ``README.md`` and ``LABELS.json`` are not scanned.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

MARKER = re.compile(r"\b(expect|ok):\s*([A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)")
COMMENT_ONLY = re.compile(r"^\s*(#|--|;|//|/\*|\*)")


def labels_of_text(text: str) -> tuple[Counter, Counter]:
    """(expected, ok) counters keyed by (line, tag) for one commented file."""
    expected: Counter = Counter()
    ok: Counter = Counter()
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        markers = [(kind, tag.strip()) for kind, tags in MARKER.findall(line) for tag in tags.split(",")]
        if markers and COMMENT_ONLY.match(line):
            head = line[: MARKER.search(line).start()]
            if not re.sub(r"[#\-;/*\s]", "", head):  # nothing but the marker on the line
                pending.extend(markers)
                continue
        if not line.strip():
            continue
        for kind, tag in [*pending, *markers]:
            (expected if kind == "expect" else ok)[(number, tag)] += 1
        pending = []
    return expected, ok


def corpus_labels(corpus: Path) -> tuple[dict[tuple[str, int, str], int], int]:
    """Expected findings keyed by (relative path, line, tag), and the number of ok markers."""
    expected: dict[tuple[str, int, str], int] = {}
    oks = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.name in ("README.md", "LABELS.json"):
            continue
        rel = path.relative_to(corpus).as_posix()
        if path.suffix == ".json":
            sidecar = path.parent / "LABELS.json"
            entries = json.loads(sidecar.read_text()).get(path.name, []) if sidecar.exists() else []
            for entry in entries:
                if entry.get("ok"):
                    oks += 1
                else:
                    key = (rel, int(entry["line"]), entry["tag"])
                    expected[key] = expected.get(key, 0) + 1
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        file_expected, file_ok = labels_of_text(text)
        oks += sum(file_ok.values())
        for (line, tag), count in file_expected.items():
            expected[(rel, line, tag)] = count
    return expected, oks


def scan(corpus: Path, selectors: list[str]) -> dict:
    """The JSON report of one scan of the corpus with the given selection."""
    command = [sys.executable, "-m", "prodready_lint", "scan", str(corpus), "--root", str(corpus)]
    command += ["--select", ",".join(selectors), "--format", "json", "--no-cache", "--exit-zero"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"corpus_score: the scan failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--tag", action="append", required=True, metavar="TAG=SELECTOR")
    parser.add_argument("--show", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    args = parser.parse_args()
    tags: dict[str, list[str]] = {}
    for item in args.tag:
        tag, _, selector = item.partition("=")
        if not tag or not selector:
            parser.error(f"--tag {item!r}: expected TAG=SELECTOR")
        tags[tag] = selector.split("+")

    corpus = args.corpus.resolve()
    expected, oks = corpus_labels(corpus)
    found: Counter = Counter()
    not_analyzed: set[str] = set()
    for tag, group in tags.items():  # one scan per tag: a rule may answer several tags
        report = scan(corpus, group)
        for finding in report["findings"]:
            found[(finding["location"]["path"], finding["location"]["line"], tag)] += 1
        not_analyzed |= {e["path"] for e in report["errors"]}

    scores = {}
    for tag in tags:
        want = {k: v for k, v in expected.items() if k[2] == tag}
        got = {k: v for k, v in found.items() if k[2] == tag}
        tp = sum(min(v, got.get(k, 0)) for k, v in want.items())
        fp = sum(got.values()) - tp
        fn = sum(want.values()) - tp
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        scores[tag] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3)}
        print(f"{tag:<12} precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
        if args.show:
            for key in sorted(set(want) | set(got)):
                extra = got.get(key, 0) - want.get(key, 0)
                if extra:
                    print(f"  {'FP' if extra > 0 else 'FN'} {key[0]}:{key[1]} x{abs(extra)}")
    print(f"{sum(expected.values())} findings expected, {oks} look-alikes; {len(not_analyzed)} files not analyzed")
    for path in sorted(not_analyzed) if args.show else ():
        print(f"  not analyzed: {path}")
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
