"""pip requirements files: every requirement parsed by ``packaging``, every option, and the
lines pip would reject, each with its exact span.

Lines are read the way pip's ``req_file`` reads them: a trailing ``\\`` joins the next line, a
``#`` at the start or after whitespace starts a comment, the first token that starts with
``-`` begins the options. ``${VAR}`` is kept as written (pip expands it at install time). A
requirement is ``packaging.requirements.Requirement`` (PEP 508), or a URL or local path
(``https://.../pkg.whl``, ``./vendor/pkg``, ``git+https://...#egg=name``) as pip also accepts.
A line that cannot be read does not fail the file: it is listed in ``problems`` and the rest is
still there for the rules. Everything is parsed on first use.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import unquote

import attrs
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.specifiers import SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from .errors import LoadError
from .files import SourceFile
from .model import FileKind, Span

__all__ = ["Requirement", "RequirementOption", "RequirementProblem", "RequirementsFile", "load_requirements"]

_COMMENT = re.compile(r"(^|\s+)#.*$")
_TOKEN = re.compile(r"\S+")
_URL_SCHEME = re.compile(r"(?:git|hg|svn|bzr)\+[a-z]+://|(?:git|svn)://|(?:https?|ftp|file):", re.IGNORECASE)
_EGG = re.compile(r"[#&]egg=([^&\s]+)")
_EXTRAS = re.compile(r"\[([^\]]*)\]$")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")

# pip's options in requirements files: canonical name -> (other spellings, takes a value)
_FILE_OPTIONS = {
    "--requirement": (("-r",), True),
    "--constraint": (("-c",), True),
    "--editable": (("-e",), True),
    "--index-url": (("-i",), True),
    "--extra-index-url": ((), True),
    "--no-index": ((), False),
    "--find-links": (("-f",), True),
    "--trusted-host": ((), True),
    "--no-binary": ((), True),
    "--only-binary": ((), True),
    "--prefer-binary": ((), False),
    "--require-hashes": ((), False),
    "--pre": ((), False),
    "--use-feature": ((), True),
}
# options that belong to the requirement on their line
_REQUIREMENT_OPTIONS = {
    "--hash": ((), True),
    "--config-settings": ((), True),
    "--global-option": ((), True),
    "--install-option": ((), True),
}
_SPELLINGS = {
    spelling: (name, takes_value)
    for table in (_FILE_OPTIONS, _REQUIREMENT_OPTIONS)
    for name, (others, takes_value) in table.items()
    for spelling in (name, *others)
}


@attrs.frozen(slots=True)
class RequirementOption:
    """An option as written: ``name`` is its long form (``-r`` is ``--requirement``),
    ``value`` its argument (``None`` for a flag such as ``--pre``)."""

    name: str
    value: str | None
    span: Span
    value_span: Span | None = None


@attrs.frozen(slots=True)
class RequirementProblem:
    """A line or part of a line pip would reject, and why (the rest of the file is still read)."""

    message: str
    span: Span


@attrs.frozen(slots=True)
class Requirement:
    """One requirement.

    ``text`` is the requirement as written, without its options; ``span`` covers it and its
    options (``--hash=...``), across continuation lines; ``name_span`` the distribution name
    (``None`` when the name is not written, as in a bare URL). ``name`` is ``None`` only for a
    URL or path that does not say it (``#egg=`` or a wheel file name do). ``url`` is the URL or
    local path of ``name @ url``, of a bare URL or path, or of an editable (``-e``).
    ``specifier`` and ``marker`` are ``packaging`` objects: ``specifier.contains("2.0")``,
    ``marker.evaluate()``.
    """

    text: str
    span: Span
    name: str | None
    name_span: Span | None
    specifier: SpecifierSet = attrs.field(factory=SpecifierSet)
    extras: tuple[str, ...] = ()
    marker: Marker | None = None
    url: str | None = None
    hashes: tuple[str, ...] = ()
    editable: bool = False
    options: tuple[RequirementOption, ...] = ()

    @property
    def normalized_name(self) -> str | None:
        """The PEP 503 name (``Django_REST.framework`` -> ``django-rest-framework``)."""
        return canonicalize_name(self.name) if self.name else None

    @property
    def pinned(self) -> bool:
        """Exactly one version: a single ``==`` without a wildcard, or ``===``."""
        if self.url is not None or len(self.specifier) != 1:
            return False
        (spec,) = self.specifier
        return spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*"))

    @property
    def version(self) -> str | None:
        """The pinned version, or ``None`` when the requirement is not pinned."""
        if not self.pinned:
            return None
        (spec,) = self.specifier
        return spec.version


class _Line:
    """A logical line (physical lines joined at ``\\``): its text and where each character
    came from in the file."""

    __slots__ = ("offsets", "text")

    def __init__(self) -> None:
        self.text = ""
        self.offsets: list[tuple[int, int]] = []  # (start in text, start in file) per piece

    def add(self, piece: str, at: int) -> None:
        self.offsets.append((len(self.text), at))
        self.text += piece

    def where(self, index: int) -> int:
        """The file offset of character ``index`` of the logical line."""
        for start, at in reversed(self.offsets):
            if index >= start:
                return at + index - start
        return self.offsets[0][1]


class RequirementsFile(SourceFile):
    """A pip requirements file (``requirements.txt``, ``constraints.txt``, ``*.in``).

    ``requirements`` in file order; ``options`` every option line's options (an editable
    ``-e`` appears both here and, with ``editable=True``, in ``requirements``); ``includes``
    the ``-r``/``-c`` options; ``problems`` what pip would reject.
    """

    kind = FileKind.REQUIREMENTS

    @cached_property
    def _parsed(self) -> tuple[tuple[Requirement, ...], tuple[RequirementOption, ...], tuple[RequirementProblem, ...]]:
        return _Parser(self).run()

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self._parsed[0]

    @property
    def options(self) -> tuple[RequirementOption, ...]:
        return self._parsed[1]

    @property
    def problems(self) -> tuple[RequirementProblem, ...]:
        return self._parsed[2]

    @property
    def includes(self) -> tuple[RequirementOption, ...]:
        """The other files this one reads: ``-r requirements/base.txt``, ``-c constraints.txt``
        (``name`` is ``--requirement`` or ``--constraint``, ``value`` the path as written)."""
        return tuple(o for o in self.options if o.name in ("--requirement", "--constraint"))

    def requirement(self, name: str) -> Requirement | None:
        """The first requirement of a distribution, by any spelling of its name."""
        wanted = canonicalize_name(name)
        return next((r for r in self.requirements if r.normalized_name == wanted), None)


class _Parser:
    def __init__(self, file: RequirementsFile) -> None:
        self.file = file
        self.span = file.span_from_offsets
        self.requirements: list[Requirement] = []
        self.options: list[RequirementOption] = []
        self.problems: list[RequirementProblem] = []

    def run(self) -> tuple[tuple[Requirement, ...], tuple[RequirementOption, ...], tuple[RequirementProblem, ...]]:
        for line in self.logical_lines():
            self.read(line)
        return tuple(self.requirements), tuple(self.options), tuple(self.problems)

    def logical_lines(self) -> list[_Line]:
        """pip's ``join_lines``: a line ending in ``\\`` continues on the next, except a comment."""
        out: list[_Line] = []
        pending: _Line | None = None
        starts = self.file._line_starts
        for number, text in enumerate(self.file.lines):
            at = starts[number]
            if number == 0 and text.startswith("\ufeff"):
                text, at = text[1:], at + 1
            if not text.endswith("\\") or _COMMENT.match(text):
                if _COMMENT.match(text):
                    text, at = " " + text, at - 1  # pip's trick so the comment is always stripped
                if pending is None:
                    pending = _Line()
                pending.add(text, at)
                out.append(pending)
                pending = None
            else:
                if pending is None:
                    pending = _Line()
                stripped = text.strip("\\")
                pending.add(stripped, at + len(text) - len(text.lstrip("\\")))
        if pending is not None:
            out.append(pending)
        return out

    def read(self, line: _Line) -> None:
        text = line.text
        comment = _COMMENT.search(text)
        content = text[: comment.start()] if comment else text
        start = len(content) - len(content.lstrip())
        content = content.strip()
        if not content:
            return
        # pip's break_args_options: the requirement ends at the first token starting with "-"
        tokens = content.split(" ")
        count = next((i for i, token in enumerate(tokens) if token.startswith("-")), len(tokens))
        requirement = " ".join(tokens[:count])
        rest = content[len(requirement) :]
        options_at = start + len(requirement) + len(rest) - len(rest.lstrip(" "))
        options = self.parse_options(line, rest.lstrip(" "), options_at)
        end = line.where(start + len(content) - 1) + 1
        if requirement.strip():
            self.add_requirement(line, requirement, start, end, options)
        else:
            for option in options:
                if option.name in _REQUIREMENT_OPTIONS:
                    self.problem(f"{option.name} belongs after a requirement on the same line", option.span)
                else:
                    self.options.append(option)
                    if option.name == "--editable" and option.value is not None:
                        self.add_editable(option)

    def parse_options(self, line: _Line, text: str, at: int) -> list[RequirementOption]:
        """Options and their values: ``--name=value``, ``--name value``, ``-rvalue``, ``-r value``."""
        out = []
        tokens = [(m.group(), m.start() + at) for m in _TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            token, start = tokens[index]
            index += 1
            end = start + len(token)
            span = self.logical_span(line, start, end)
            if not token.startswith("-"):
                self.problem("unexpected text among the options; pip ignores it", span)
                continue
            spelling, _, attached = token.partition("=") if token.startswith("--") else (token[:2], "", token[2:])
            known = _SPELLINGS.get(spelling)
            if known is None:
                self.problem(f"unknown option {spelling!r}", span)
                if "=" not in token and index < len(tokens) and not tokens[index][0].startswith("-"):
                    index += 1  # its value, most likely
                continue
            name, takes_value = known
            value_at = start + len(token) - len(attached)
            if not takes_value:
                if attached or "=" in token:
                    self.problem(f"{name} takes no value", span)
                out.append(RequirementOption(name, None, span))
                continue
            if not attached and "=" not in token:
                if index >= len(tokens):
                    self.problem(f"{name} needs a value", span)
                    continue
                attached, value_at = tokens[index]
                index += 1
                end = value_at + len(attached)
            if not attached:
                self.problem(f"{name} needs a value", span)
                continue
            out.append(
                RequirementOption(
                    name,
                    attached,
                    self.logical_span(line, start, end),
                    self.logical_span(line, value_at, value_at + len(attached)),
                )
            )
        return out

    def logical_span(self, line: _Line, start: int, end: int) -> Span:
        return self.span(line.where(start), line.where(end - 1) + 1)

    def problem(self, message: str, span: Span) -> None:
        self.problems.append(RequirementProblem(message, span))

    def add_requirement(self, line: _Line, text: str, start: int, end: int, options: list[RequirementOption]) -> None:
        text = text.rstrip()
        span = self.span(line.where(start), end)
        for option in options:
            if option.name not in _REQUIREMENT_OPTIONS:
                self.problem(f"{option.name} does not apply to a requirement on its line; pip ignores it", option.span)
        own = tuple(o for o in options if o.name in _REQUIREMENT_OPTIONS)
        hashes = tuple(o.value for o in own if o.name == "--hash" and o.value)
        fields = self.parse_requirement(line, text, start)
        if fields is None:
            return
        self.requirements.append(Requirement(text=text, span=span, hashes=hashes, options=own, **fields))

    def parse_requirement(self, line: _Line, text: str, start: int) -> dict | None:
        """pip's ``parse_req_from_line``: a URL, a PEP 508 requirement, or a local path."""
        if _URL_SCHEME.match(text):
            url, _, marker = text.partition("; ") if "; " in text else (text, "", "")
            return self.link(url.strip(), marker.strip() or None, line, start)
        try:
            parsed = Pep508(text)
        except InvalidRequirement as error:
            if text.startswith((".", "/", "~")) or "/" in text or "\\" in text or text.lower().endswith(_ARCHIVES):
                url, _, marker = text.partition(";")
                return self.link(url.strip(), marker.strip() or None, line, start)
            message = str(error).splitlines()[0]
            self.problem(f"not a valid requirement: {message}", self.logical_span(line, start, start + len(text)))
            return None
        name_at = start + text.index(parsed.name)
        return {
            "name": parsed.name,
            "name_span": self.logical_span(line, name_at, name_at + len(parsed.name)),
            "specifier": parsed.specifier,
            "extras": tuple(sorted(parsed.extras)),
            "marker": parsed.marker,
            "url": parsed.url,
        }

    def link(self, url: str, marker: str | None, line: _Line, start: int) -> dict | None:
        parsed_marker = None
        if marker:
            try:
                parsed_marker = Marker(marker)
            except InvalidMarker as error:
                message = str(error).splitlines()[0]
                self.problem(f"not a valid marker: {message}", self.logical_span(line, start, start + len(url)))
                return None
        name, extras = _name_of_link(url)
        return {"name": name, "name_span": None, "extras": extras, "marker": parsed_marker, "url": url}

    def add_editable(self, option: RequirementOption) -> None:
        value = option.value or ""
        extras: tuple[str, ...] = ()
        url = value
        match = _EXTRAS.search(value)
        if match and not _URL_SCHEME.match(value):
            url = value[: match.start()]
            extras = tuple(sorted(e.strip() for e in match.group(1).split(",") if e.strip()))
        name, egg_extras = _name_of_link(url)
        self.requirements.append(
            Requirement(
                text=value,
                span=option.span,
                name=name,
                name_span=None,
                extras=extras or egg_extras,
                url=url,
                editable=True,
            )
        )


def _name_of_link(url: str) -> tuple[str | None, tuple[str, ...]]:
    """The distribution a URL or path names: ``#egg=name[extras]``, or a wheel or sdist file."""
    egg = _EGG.search(url)
    if egg:
        fragment = unquote(egg.group(1))
        try:
            parsed = Pep508(fragment)
            return parsed.name, tuple(sorted(parsed.extras))
        except InvalidRequirement:
            return None, ()
    filename = url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0]), ()
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0]), ()
    except (InvalidWheelFilename, InvalidSdistFilename):
        pass
    return None, ()


def load_requirements(path: str, text: str) -> RequirementsFile:
    """A requirements file; its lines are read on first use. :class:`LoadError` only for text
    that cannot be one (a NUL character: a binary file)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError("requirements", "not a requirements file: it contains a NUL character", line)
    return RequirementsFile(path, text)
