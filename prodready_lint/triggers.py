"""Rule triggers: the cheap byte tests that decide which rules see a file at all.

Triggers run on every file of a scan for every rule of its kind, so they are most of
the cost of a file no rule needs. Substrings are tested with ``in`` (one ``in`` per
trigger beats one combined regular expression, measured in ``benchmarks/bench_models.py``).
Regular expressions are the slow part: Python's ``re`` has no literal prefilter, so a
``(?m)^...`` pattern or a case-insensitive alternation is tried at every position of
the file. Two things make them cheap here:

* each pattern gets the literals one of which any match must contain, extracted from
  its parse tree (as ripgrep and Hyperscan do); a file holding none of them cannot
  match, and the pattern is not run on it;
* rules often share a pattern (every signal rule looks for the same project files), so
  a pattern's answer for a file is computed once and shared by every rule that uses it.
"""

from __future__ import annotations

import re
import re._constants as _C  # the parse tree's opcodes (LITERAL, BRANCH, ...)
import re._parser as sre_parse  # the parser ``re`` itself uses (Python >= 3.11)
from collections.abc import Callable, Sequence

__all__ = ["Matchers", "Pattern", "RuleTriggers", "exact_literals", "required_literals"]

_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)
_MIN_LITERAL = 2  # shorter literals filter nothing worth the test
_INLINE_IGNORECASE = re.compile(rb"\(\?[a-zA-Z]*i[a-zA-Z]*[:)]")
_INLINE_FLAGS = re.compile(rb"\(\?[a-zA-Z-]+[:)]")


def required_literals(pattern: bytes, flags: int = 0) -> frozenset[bytes] | None:
    """Byte strings one of which every match of ``pattern`` contains, or ``None`` when
    no such set of useful length is known. Sound by construction: optional parts,
    character classes and look-arounds contribute nothing."""
    try:
        tree = sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None
    try:
        found = _required(list(tree))
    except RecursionError:
        return None
    if not found or min(map(len, found)) < _MIN_LITERAL:
        return None
    return frozenset(found)


def _required(items: list) -> set[bytes] | None:
    best: set[bytes] | None = None

    def consider(candidate: set[bytes] | None) -> None:
        nonlocal best
        if candidate and (best is None or min(map(len, candidate)) > min(map(len, best))):
            best = candidate

    run = bytearray()
    for op, value in items:
        if op is _C.LITERAL:
            run.append(value)
            continue
        if op is _C.AT:  # zero width (^, $, \b): the literals on either side stay adjacent
            continue
        consider({bytes(run)} if run else None)
        run = bytearray()
        if op is _C.SUBPATTERN:
            consider(_required(list(value[-1])))
        elif op is _C.BRANCH:
            alternatives = [_required(list(branch)) for branch in value[1]]
            if all(alternatives):
                consider(set().union(*alternatives))
        elif op in _REPEATS and value[0] >= 1:
            consider(_required(list(value[2])))
    consider({bytes(run)} if run else None)
    return best


def exact_literals(pattern: bytes, flags: int = 0) -> frozenset[bytes] | None:
    """The literals of a pattern that is nothing but literals or an alternation of them
    (``pass|secret|token``): it matches exactly when the file holds one of them."""
    try:
        tree = list(sre_parse.parse(pattern, flags))
    except (re.error, RecursionError, OverflowError):
        return None
    while len(tree) == 1 and tree[0][0] is _C.SUBPATTERN and not tree[0][1][1] and not tree[0][1][2]:
        tree = list(tree[0][1][-1])
    branches = [list(b) for b in tree[0][1][1]] if len(tree) == 1 and tree[0][0] is _C.BRANCH else [tree]
    out = set()
    for branch in branches:
        if not branch or any(op is not _C.LITERAL for op, _ in branch):
            return None
        out.add(bytes(value for _, value in branch))
    return frozenset(out)


def _line_start_search(source: bytes, flags: int) -> Callable[[bytes], bool] | None:
    """For a pattern anchored at line starts (``(?m)^...``), a faster equivalent test:
    ``re`` tries such a pattern at every position of the file, while a match at the
    start plus a search for the pattern behind a newline lets it skip from newline to
    newline."""
    head = re.match(rb"(\(\?[a-zA-Z]+\))?\^", source)
    if head is None:
        return None
    try:
        parsed = sre_parse.parse(source, flags)
    except (re.error, RecursionError, OverflowError):
        return None
    if not parsed.state.flags & re.MULTILINE or len(parsed) == 0 or parsed[0] != (_C.AT, _C.AT_BEGINNING):
        return None
    inline, rest = head.group(1) or b"", source[head.end() :]
    try:
        at_start = re.compile(source, flags).match
        after_newline = re.compile(inline + b"\n(?:" + rest + b")", flags).search
    except re.error:
        return None
    return lambda data: at_start(data) is not None or after_newline(data) is not None


def _case_free(items) -> bool:
    """Whether a parse tree names no upper-case ASCII letter (in literals, ranges and
    classes) and changes no flag locally: then, under IGNORECASE, the pattern matches a
    file exactly when it matches the lower-cased file without IGNORECASE."""
    for op, value in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            if 65 <= value <= 90:
                return False
        elif op is _C.RANGE:
            low, high = value
            if low <= 90 and high >= 65:
                return False
        elif op is _C.IN:
            if not _case_free(value):
                return False
        elif op is _C.SUBPATTERN:
            if value[1] or value[2] or not _case_free(value[-1]):
                return False
        elif op is _C.BRANCH:
            if not all(_case_free(branch) for branch in value[1]):
                return False
        elif op in _REPEATS:
            if not _case_free(value[2]):
                return False
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if not _case_free(value[1]):
                return False
        elif op in (_C.GROUPREF_EXISTS, _C.ATOMIC_GROUP):
            return False  # rare in triggers: keep the pattern as written
    return True


def _lowered_search(source: bytes, flags: int) -> Callable[[bytes, bytes], bool] | None:
    """For a case-insensitive pattern that names no upper-case letter, the same test
    without IGNORECASE on the lower-cased file: ``re`` then skips ahead on its literal
    prefixes instead of folding every character it tries (about 6x faster)."""
    if not flags & re.IGNORECASE or _INLINE_FLAGS.search(source):
        return None
    try:
        tree = sre_parse.parse(source, flags)
        if not _case_free(list(tree)):
            return None
        search = re.compile(source, flags & ~re.IGNORECASE).search
    except (re.error, RecursionError, OverflowError):
        return None
    return lambda data, lowered: search(lowered) is not None


class Pattern:
    """One regular-expression trigger on raw bytes, with its literal prefilter."""

    __slots__ = ("exact", "folded", "literals", "test")

    def __init__(self, pattern: re.Pattern) -> None:
        source = pattern.pattern if isinstance(pattern.pattern, bytes) else pattern.pattern.encode("utf-8")
        flags = pattern.flags & ~re.UNICODE
        compiled = pattern if isinstance(pattern.pattern, bytes) else re.compile(source, flags)
        search = compiled.search
        line_start = _line_start_search(source, flags)
        self.test: Callable[[bytes, bytes], bool] = (
            _lowered_search(source, flags)
            or (line_start and (lambda data, lowered: line_start(data)))
            or (lambda data, lowered: search(data) is not None)
        )
        self.exact = exact_literals(source, flags)
        self.literals = self.exact or required_literals(source, flags)
        # A case-insensitive pattern (or part of one) is prefiltered on the lower-cased
        # file with lower-cased literals: sound whatever the case in the file (bytes
        # patterns and bytes.lower() both fold ASCII only).
        self.folded = bool(flags & re.IGNORECASE) or _INLINE_IGNORECASE.search(source) is not None
        if self.folded and self.literals is not None:
            self.literals = frozenset(literal.lower() for literal in self.literals)

    def matches(self, data: bytes, lowered: Callable[[], bytes]) -> bool:
        if self.literals is not None:
            haystack = lowered() if self.folded else data
            if not any(literal in haystack for literal in self.literals):
                return False
            if self.exact is not None:
                return True
        return self.test(data, lowered() if self.folded else data)


class RuleTriggers:
    """A rule's triggers: substrings of the raw bytes, case-insensitive ones against a
    lower-cased copy of the file made once for all rules, and shared patterns."""

    __slots__ = ("folded", "needles", "patterns")

    def __init__(self, triggers: Sequence[str | re.Pattern], ignore_case: bool, matchers: Matchers) -> None:
        plain = [t.encode("utf-8") for t in triggers if isinstance(t, str)]
        self.needles = () if ignore_case else tuple(plain)
        self.folded = tuple(t.lower() for t in plain) if ignore_case else ()
        self.patterns = tuple(matchers.pattern(p) for p in triggers if isinstance(p, re.Pattern))

    def match(self, data: bytes, lowered: Callable[[], bytes], answers: dict) -> bool:
        for needle in self.needles:  # rules share needles: each is looked for once a file
            answer = answers.get(needle)
            if answer is None:
                answer = answers[needle] = needle in data
            if answer:
                return True
        if self.folded:
            low = lowered()
            for needle in self.folded:
                key = (needle,)  # apart from the case-sensitive needle of the same bytes
                answer = answers.get(key)
                if answer is None:
                    answer = answers[key] = needle in low
                if answer:
                    return True
        for pattern in self.patterns:
            key = id(pattern)
            answer = answers.get(key)
            if answer is None:
                answer = answers[key] = pattern.matches(data, lowered)
            if answer:
                return True
        return False


class Matchers:
    """Every rule's triggers for one scan, with the patterns they share."""

    def __init__(self) -> None:
        self._patterns: dict[tuple[bytes | str, int], Pattern] = {}
        self.rules: dict[str, RuleTriggers | None] = {}

    def pattern(self, pattern: re.Pattern) -> Pattern:
        key = (pattern.pattern, pattern.flags)
        shared = self._patterns.get(key)
        if shared is None:
            shared = self._patterns[key] = Pattern(pattern)
        return shared

    def add(self, rule_id: str, triggers: Sequence[str | re.Pattern], ignore_case: bool) -> None:
        self.rules[rule_id] = RuleTriggers(triggers, ignore_case, self) if triggers else None

    def triggered(self, rule_ids: Sequence[str], data: bytes) -> list[str]:
        """The rules of ``rule_ids`` whose triggers ``data`` holds (all of a rule without
        triggers)."""
        folded: list[bytes] = []

        def lowered() -> bytes:
            if not folded:
                folded.append(data.lower())
            return folded[0]

        answers: dict = {}  # needle, (folded needle,) or id(pattern) -> found in this file
        out = []
        for rule_id in rule_ids:
            matcher = self.rules[rule_id]
            if matcher is None or matcher.match(data, lowered, answers):
                out.append(rule_id)
        return out
