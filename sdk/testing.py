"""The test harness for rule authors: fixtures annotated in place, checked exactly.

A fixture is a file a real repository could contain, with markers in comments::

    resp = requests.get(url)                # expect: TMO001
    resp = requests.get(url, timeout=5)     # ok: TMO001
    # expect: TMO001
    resp = requests.get(
        url,
    )

A fixture can also be a directory: it is scanned as one small repository (what
repository rules need) and the markers of every file in it are checked.

A marker in a trailing comment applies to its own line; a marker on a line of its
own applies to the next line that is not blank or another marker. Each file kind's own
comments carry markers (``#`` in Python, YAML, HCL, ``.env``, TOML, INI; ``--`` in SQL;
``//`` in HCL too), so every kind is annotated the same way. Dockerfiles have no
trailing comments (``RUN echo # x`` is an argument), so there a marker must sit on a
line of its own. ``expect: ID`` means exactly one finding of rule ID starts on that line
(repeat the id, ``expect: ID, ID``, for two); every finding of the rules under test must
be expected. ``ok: ID`` documents a line that must not be flagged. Rule ids are upper
case: a marker naming ``acme003`` is reported as a mistake, never silently ignored.

Use it from pytest::

    from prodready_lint.sdk.testing import assert_fixture, assert_examples

    def test_my_rule():
        assert_fixture("tests/fixtures/my_rule.py", rules=[MyRule])
        assert_examples(MyRule)
"""

from __future__ import annotations

import io
import re
import tempfile
import tokenize
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from .kinds import KINDS, classify
from .model import FileKind, Finding
from .rule import Rule, RulePack

__all__ = [
    "FixtureReport",
    "Markers",
    "assert_examples",
    "assert_fixture",
    "assert_pack",
    "check_examples",
    "check_fixture",
    "check_pack",
    "read_markers",
]

_ANY_CASE_MARKER = re.compile(
    r"(?:#|--|//|;)\s*(expect|ok)\s*:\s*([A-Za-z][A-Za-z0-9]*(?:\s*,\s*[A-Za-z][A-Za-z0-9]*)*)", re.IGNORECASE
)


@attrs.frozen(slots=True)
class Markers:
    """Expected findings (line -> rule id -> count), lines marked ok (line -> ids), and
    mistakes in the markers themselves (``problems``)."""

    expect: dict[int, Counter]
    ok: dict[int, set[str]]
    problems: tuple[str, ...] = ()

    def ids(self) -> set[str]:
        out: set[str] = set()
        for counter in self.expect.values():
            out |= set(counter)
        for ids in self.ok.values():
            out |= ids
        return out


def _comments(text: str, python: bool, leaders: tuple[str, ...], standalone_only: bool) -> list[tuple[int, str, bool]]:
    """(line, comment text, standalone) for every comment that may hold a marker."""
    lines = text.splitlines()
    if python:
        try:
            out = []
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type == tokenize.COMMENT:
                    line = token.start[0]
                    standalone = not lines[line - 1][: token.start[1]].strip()
                    out.append((line, token.string, standalone))
            return out
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass  # fall back to the plain scan for fixtures that do not tokenize
    out = []
    for number, line in enumerate(lines, 1):
        match = _ANY_CASE_MARKER.search(line)
        if match is None or not any(line[match.start() :].startswith(leader) for leader in leaders):
            continue
        standalone = not line[: match.start()].strip()
        if standalone_only and not standalone:
            continue
        out.append((number, line[match.start() :], standalone))
    return out


def read_markers(text: str, *, python: bool = True, kind: FileKind | None = None) -> Markers:
    """Parse the expect/ok markers of a fixture's text, in the comments of ``kind``
    (Python when ``python`` and no kind is given)."""
    if kind is not None:
        python = kind is FileKind.PYTHON
    spec = KINDS.get(kind) if kind is not None else None
    leaders = spec.comments if spec is not None else ("#", "--", "//")
    standalone_only = spec.standalone_markers if spec is not None else False
    lines = text.splitlines()
    expect: dict[int, Counter] = {}
    ok: dict[int, set[str]] = {}
    problems: list[str] = []
    for number, comment, standalone in _comments(text, python, leaders, standalone_only):
        for match in _ANY_CASE_MARKER.finditer(comment):
            kind_word = match.group(1).lower()
            ids = [i.strip() for i in match.group(2).split(",")]
            wrong = [i for i in ids if not i.isupper() or not i[0].isalpha()]
            if match.group(1) != kind_word or wrong:
                problems.append(
                    f"line {number}: marker {match.group(0).lstrip('#-/; ')!r} must be written "
                    f"'{kind_word}: {', '.join(i.upper() for i in ids)}' (rule ids are upper case)"
                )
                continue
            target = number
            if standalone:
                target = number + 1
                while target <= len(lines) and (not lines[target - 1].strip() or _only_marker(lines[target - 1])):
                    target += 1
            if kind_word == "expect":
                expect.setdefault(target, Counter()).update(ids)
            else:
                ok.setdefault(target, set()).update(ids)
    return Markers(expect, ok, tuple(problems))


def _only_marker(line: str) -> bool:
    match = _ANY_CASE_MARKER.search(line)
    return bool(match) and not line[: match.start()].strip()


@attrs.frozen(slots=True)
class FixtureReport:
    """The outcome of checking a fixture file or directory against its markers."""

    path: str
    findings: tuple[Finding, ...]
    missing: tuple[tuple[str, int, str], ...]  # (file, line, rule id) expected but not found
    unexpected: tuple[Finding, ...]  # found but not expected
    errors: tuple[str, ...]  # files that could not be analyzed, or wrong markers

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.errors)

    def describe(self) -> str:
        out = [f"{file}:{line}: expected {rule_id}, not reported" for file, line, rule_id in self.missing]
        out += [f"{f.path}:{f.line}: unexpected {f.rule_id}: {f.message}" for f in self.unexpected]
        out += [f"{self.path}: {error}" for error in self.errors]
        return "\n".join(out)


def _scan(paths: Sequence[Path], rules: Sequence[type[Rule]] | None, select: Sequence[str] | None, root: Path):
    from prodready_lint import scan  # the real engine: fixtures run exactly as a user's scan does

    return scan(
        [str(p) for p in paths],
        config={},
        rules=tuple(rules or ()),
        installed_rules=rules is None,
        select=select,
        jobs=1,
        cache=False,
        root=root,
    )


def _fixture_markers(path: Path) -> dict[str, Markers]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    base = path.parent if path.is_file() else path
    out = {}
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relpath = file.relative_to(base).as_posix()
        out[relpath] = read_markers(text, kind=classify(relpath))
    return out


def check_fixture(
    path: str | Path,
    rules: Sequence[type[Rule]] | None = None,
    *,
    select: Sequence[str] | None = None,
) -> FixtureReport:
    """Run ``rules`` (or the installed rules chosen by ``select``) on a fixture file, or
    on a fixture directory as one small repository, and compare findings with markers.

    The rules under test are ``rules``, or the installed rules named by ``select`` or,
    without either, by the markers themselves.
    """
    path = Path(path).resolve()
    markers = _fixture_markers(path)
    named = set().union(*(m.ids() for m in markers.values())) if markers else set()
    if rules is None and select is None:
        select = sorted(named)
    root = path.parent if path.is_file() else path
    result = _scan([path], rules, select, root)
    tested = {meta.id for meta in result.rules}
    errors = [str(e) for e in result.errors]
    errors += [f"{file}: {problem}" for file, m in sorted(markers.items()) for problem in m.problems]
    if named - tested:
        errors.append(f"markers name rules that are not under test: {', '.join(sorted(named - tested))}")
    found: dict[tuple[str, int, str], list[Finding]] = {}
    for finding in (*result.findings, *result.suppressed):
        found.setdefault((finding.path, finding.line, finding.rule_id), []).append(finding)
    missing = []
    unexpected = []
    for file, file_markers in sorted(markers.items()):
        for line, counter in sorted(file_markers.expect.items()):
            for rule_id, count in sorted(counter.items()):
                got = len(found.get((file, line, rule_id), []))
                missing.extend((file, line, rule_id) for _ in range(count - got))
    for (file, line, rule_id), items in sorted(found.items()):
        file_markers = markers.get(file)
        allowed = file_markers.expect.get(line, Counter()).get(rule_id, 0) if file_markers else 0
        unexpected.extend(items[allowed:])
    return FixtureReport(str(path), tuple(result.findings), tuple(missing), tuple(unexpected), tuple(errors))


def assert_fixture(
    path: str | Path, rules: Sequence[type[Rule]] | None = None, *, select: Sequence[str] | None = None
) -> FixtureReport:
    """:func:`check_fixture`, raising ``AssertionError`` that lists every mismatch."""
    report = check_fixture(path, rules, select=select)
    if not report.ok:
        raise AssertionError("fixture does not match its markers:\n" + report.describe())
    return report


def check_examples(rule: type[Rule]) -> list[str]:
    """Run a rule on the code examples of its own documentation: every ``## Example``
    must be flagged by it, no ``## Use instead`` may be. Returns the problems found."""
    meta = rule.metadata()
    problems = []
    with tempfile.TemporaryDirectory(prefix="prodready-example-") as temp:
        for label, examples, want in (("Example", meta.docs.bad, True), ("Use instead", meta.docs.good, False)):
            for index, example in enumerate(examples):
                folder = Path(temp) / f"{label.replace(' ', '-').lower()}-{index}"
                for file in example:
                    target = folder / file.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(file.code, encoding="utf-8")
                result = _scan([folder], [rule], None, folder)
                hits = [f for f in result.findings if f.rule_id == meta.id]
                where = f"{meta.id} {label} #{index + 1}"
                problems.extend(f"{where}: {error.kind}: {error.message}" for error in result.errors)
                if want and not hits:
                    problems.append(f"{where}: the rule reports nothing on it")
                if not want and hits:
                    problems.append(f"{where}: the rule reports {hits[0].message!r}")
    return problems


def assert_examples(rules: type[Rule] | Iterable[type[Rule]]) -> None:
    """:func:`check_examples` for one or more rules, raising ``AssertionError``."""
    rules = [rules] if isinstance(rules, type) else list(rules)
    problems = [problem for rule in rules for problem in check_examples(rule)]
    if problems:
        raise AssertionError("documentation examples do not behave as documented:\n" + "\n".join(problems))


def check_pack(pack: RulePack, fixtures: str | Path | None = None) -> list[str]:
    """Every mismatch of a whole pack: each rule on its documentation examples, and each
    file or directory in ``fixtures`` against the pack's rules its markers name (a
    fixture tests the rules it names, so two rules may flag the same code)."""
    problems = [problem for rule in pack.rules for problem in check_examples(rule)]
    directory = Path(fixtures) if fixtures is not None else None
    for fixture in sorted(directory.iterdir()) if directory is not None and directory.is_dir() else ():
        named = set().union(*(m.ids() for m in _fixture_markers(fixture.resolve()).values()))
        rules = [rule for rule in pack.rules if rule.metadata().id in named]
        if not rules:
            problems.append(f"{fixture}: no marker names a rule of pack {pack.name!r}")
            continue
        report = check_fixture(fixture, rules=rules)
        if not report.ok:
            prefix = f"{fixture.name}/" if fixture.is_dir() else ""
            problems += [f"{prefix}{line}" for line in report.describe().splitlines()]
    return problems


def assert_pack(pack: RulePack, fixtures: str | Path | None = None) -> None:
    """:func:`check_pack`, raising ``AssertionError`` that lists every mismatch."""
    problems = check_pack(pack, fixtures)
    if problems:
        raise AssertionError(f"pack {pack.name!r} does not behave as documented:\n" + "\n".join(problems))
