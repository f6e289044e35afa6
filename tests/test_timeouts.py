"""The timeouts family: fixtures checked exactly, docs examples, and the labeled corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from prodready_lint.rules import timeouts
from prodready_lint.sdk.testing import assert_examples, assert_fixture, read_markers

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "timeouts"
CORPUS = Path(__file__).parent / "corpora" / "timeouts"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture, select=["timeouts"])


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(timeouts.RULES)


def test_one_finding_per_call_at_its_first_line(tmp_path: Path) -> None:
    source = tmp_path / "client.py"
    source.write_text(
        "import requests\n\nresp = requests.get(\n    'https://api.internal/items',\n    params={'page': 1},\n)\n",
        encoding="utf-8",
    )
    result = prodready_lint.scan([source], config={}, cache=False, root=tmp_path)
    assert [(f.rule_id, f.line, f.location.column) for f in result.findings] == [("TMO001", 3, 8)]
    message = result.findings[0].message
    assert "requests" in message and "forever" in message


def _score(folder: Path) -> tuple[float, float, list[str]]:
    files = sorted(folder.rglob("*.py"))
    wanted: Counter = Counter()
    for path in files:
        for line, counter in read_markers(path.read_text(encoding="utf-8")).expect.items():
            for rule_id, count in counter.items():
                wanted[(path.relative_to(CORPUS).as_posix(), line, rule_id)] += count
    result = prodready_lint.scan(files, config={}, select=["timeouts"], cache=False, root=CORPUS)
    assert not result.errors, result.errors
    found = Counter((f.path, f.line, f.rule_id) for f in result.findings)
    tp = sum(min(found[k], wanted[k]) for k in set(found) | set(wanted))
    precision = tp / sum(found.values())
    recall = tp / sum(wanted.values())
    misses = [
        f"{k} found {found[k]} wanted {wanted[k]}" for k in sorted(set(found) | set(wanted)) if found[k] != wanted[k]
    ]
    return precision, recall, misses


@pytest.mark.parametrize("part", ["dev", "holdout", "blind"])
def test_labeled_corpus_precision_and_recall(part: str) -> None:
    precision, recall, misses = _score(CORPUS / part)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, misses)
