"""Triggers decide which rules see a file: the faster matching (literal prefilters,
line-start and case-folding rewrites, answers shared between rules) must give exactly
the answers of the plain test, one ``in`` per substring and one ``search`` per pattern."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from prodready_lint.rules import PACK

from prodready_lint.triggers import Matchers, Pattern, exact_literals, required_literals

HERE = Path(__file__).resolve().parent

HAND_WRITTEN = [
    re.compile(r"^[ \t]*(setuptools\.)?setup\(", re.M),
    re.compile(r"(?m)^\s*-?\s*op\s*:"),
    re.compile(r"alter\s+table|drop\s+\w|create\s+(?:unique\s+)?index", re.I),
    re.compile(r"[A-Z]{3}_KEY", re.I),  # an upper-case class: no case-folding rewrite
    re.compile(r"(?i)begin|commit"),
    re.compile(r"\bpid\b|hostPID"),
    re.compile(r"^FROM\s+\S+:latest$", re.M),
    re.compile(r"^a|b"),  # not anchored as a whole: no line-start rewrite
    re.compile(r"x(?=yz)|(?<!q)uv"),
    re.compile(r"(ab)+\1"),
]


def _plain(triggers, ignore_case: bool, data: bytes) -> bool:
    for trigger in triggers:
        if isinstance(trigger, str):
            needle = trigger.encode()
            if (needle.lower() in data.lower()) if ignore_case else (needle in data):
                return True
        else:
            source = trigger.pattern if isinstance(trigger.pattern, bytes) else trigger.pattern.encode()
            if re.compile(source, trigger.flags & ~re.UNICODE).search(data):
                return True
    return False


def _pack_patterns() -> list[re.Pattern]:
    seen = {}
    for rule in PACK.rules:
        meta = rule.metadata()
        for trigger in (*meta.triggers, *meta.collect_triggers):
            if isinstance(trigger, re.Pattern):
                seen[(trigger.pattern, trigger.flags)] = trigger
    return list(seen.values())


PATTERNS = HAND_WRITTEN + _pack_patterns()
WORDS = st.sampled_from(
    [b"setup(", b"FROM", b"from", b"op:", b" - op :", b"ALTER TABLE", b"alter  table", b"Drop x", b"create index",
     b"update t set", b"DELETE FROM", b"pid", b"hostPID", b"'/healthz'", b"router.get", b"password", b"TOKEN",
     b"abc_key", b"ABC_KEY", b"begin", b"xyz", b"quv", b"abab", b"ab", b"requests==2.0", b"flask"]
)  # fmt: skip
CHUNKS = st.one_of(WORDS, st.binary(max_size=6), st.sampled_from([b"\n", b" ", b"\t", b"\r\n", b"\xff", b"_"]))
DATA = st.lists(CHUNKS, max_size=30).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(data=DATA, index=st.integers(min_value=0, max_value=len(PATTERNS) - 1))
def test_a_pattern_answers_as_its_plain_search(data: bytes, index: int) -> None:
    pattern = PATTERNS[index]
    source = pattern.pattern if isinstance(pattern.pattern, bytes) else pattern.pattern.encode()
    expected = re.compile(source, pattern.flags & ~re.UNICODE).search(data) is not None
    assert Pattern(pattern).matches(data, data.lower) == expected


def test_literals_every_match_must_contain() -> None:
    assert required_literals(rb"^[ \t]*(setuptools\.)?setup\(", re.M) == {b"setup("}
    assert required_literals(rb"alter\s+table|drop\s+\w") == {b"alter", b"drop"}
    assert required_literals(rb"(?:ab|cd)e") == {b"ab", b"cd"}
    assert required_literals(rb"a?bc?") is None  # one byte is too short to filter
    assert required_literals(rb"x|[0-9]+") is None  # one alternative has no literal
    assert exact_literals(rb"pass|pwd|secret") == {b"pass", b"pwd", b"secret"}
    assert exact_literals(rb"pass\b") is None


def test_the_packs_triggers_select_the_same_rules_as_the_plain_test() -> None:
    """Every built-in rule's triggers against every fixture and corpus file."""
    rules = [(r.metadata().id, r.metadata()) for r in PACK.rules]
    matchers = Matchers()
    for rule_id, meta in rules:
        matchers.add(rule_id, meta.collect_triggers if meta.repo_level else meta.triggers, meta.triggers_ignore_case)
    files = [p for base in ("fixtures", "corpora") for p in (HERE / base).rglob("*") if p.is_file()]
    assert len(files) > 500
    for path in files:
        data = path.read_bytes()
        expected = [
            rule_id
            for rule_id, meta in rules
            if not (triggers := meta.collect_triggers if meta.repo_level else meta.triggers)
            or _plain(triggers, meta.triggers_ignore_case, data)
        ]
        assert matchers.triggered([rule_id for rule_id, _ in rules], data) == expected, path
