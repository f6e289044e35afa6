"""The Dockerfile model: instructions, typed views of the ones rules read, and build stages.

A Dockerfile is read exactly as BuildKit (``docker build``) reads it: parser directives,
the escape character, line continuations (with comment and blank lines inside them
skipped), heredocs, exec (JSON) and shell forms, ``--flags``. Every part a rule reports
on carries a :class:`~prodready_lint.sdk.Span` that points at it in the source, also
across continuation lines.

What a rule gets from :class:`DockerfileFile`:

* ``instructions``: every instruction in order. Each has ``keyword`` (upper case),
  ``arguments`` (continuations joined as BuildKit joins them), ``flags``, ``stage``,
  ``exec_args`` (exec form), ``heredocs`` and spans. ``FROM``, ``ENV``, ``ARG``,
  ``LABEL``, ``USER``, ``EXPOSE``, ``HEALTHCHECK`` and ``ONBUILD`` are typed subclasses
  with their parts (:class:`FromInstruction`, :class:`EnvInstruction`, ...).
* ``stages``: the build stages, with the base image resolved through global ``ARG``
  defaults (``ImageRef``), and ``final_stage``.
* ``comments`` and ``directives``.

The loader refuses what BuildKit refuses (an unknown instruction, ``FROM`` without an
image, an unterminated heredoc, ...) with one :class:`~prodready_lint.sdk.LoadError`;
a file with no instructions at all (only comments) is valid and has no stages.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cached_property
from typing import Literal

import attrs

from .errors import LoadError
from .files import SourceFile
from .image_ref import ImageRef
from .model import FileKind, Span

__all__ = [
    "ArgInstruction",
    "Comment",
    "Directive",
    "DockerfileFile",
    "EnvInstruction",
    "ExposeInstruction",
    "Flag",
    "FromInstruction",
    "HealthcheckInstruction",
    "Heredoc",
    "Instruction",
    "KeyValue",
    "KeyValueInstruction",
    "LabelInstruction",
    "OnbuildInstruction",
    "Port",
    "Stage",
    "UserInstruction",
    "Word",
    "load_dockerfile",
]

SHELL_FORM_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})


@attrs.frozen(slots=True)
class Word:
    """A piece of an instruction and where it is: an exec-form item, an image name, a path.

    ``value`` is the text as written, except for exec-form (JSON) items, whose value is the
    decoded string while ``span`` covers the quoted literal.
    """

    value: str
    span: Span

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class Flag:
    """An option before an instruction's arguments: ``--from=builder``, ``--platform=linux/amd64``,
    ``--mount=type=secret,id=npm``, ``--link``.

    ``name`` has no dashes; ``value`` has quotes and escapes processed and is ``None`` for a
    bare ``--link``. ``span`` covers the whole ``--name=value``, ``value_span`` the value.
    """

    name: str
    value: str | None
    span: Span
    value_span: Span | None = None

    def fields(self) -> dict[str, str]:
        """A comma-separated value as fields, the way BuildKit reads ``--mount``:
        ``type=secret,id=npm,required`` gives ``{"type": "secret", "id": "npm", "required": ""}``."""
        if not self.value:
            return {}
        try:
            row = next(csv.reader([self.value]), [])
        except csv.Error:
            row = self.value.split(",")
        out: dict[str, str] = {}
        for item in row:
            key, _, value = item.partition("=")
            out[key.strip().lower()] = value
        return out


@attrs.frozen(slots=True)
class Heredoc:
    """A here-document attached to ``RUN``, ``COPY`` or ``ADD``: ``RUN <<EOF`` ... ``EOF``.

    ``name`` is the delimiter with quotes removed; ``content`` the body as written, each
    line ending in ``\\n``; ``chomp`` is ``<<-`` (leading tabs are stripped, see ``text``);
    ``expand`` is False when the delimiter was quoted (``<<"EOF"``), so ``$VAR`` stays
    literal; ``file_descriptor`` is the number in ``3<<EOF`` (0 when absent).
    ``marker_span`` covers ``<<EOF`` in the instruction, ``body_span`` the body lines
    (``None`` for an empty body) and ``end_line`` is the terminator's line.
    """

    name: str
    content: str
    marker_span: Span
    body_span: Span | None
    end_line: int
    chomp: bool = False
    expand: bool = True
    file_descriptor: int = 0

    @property
    def text(self) -> str:
        """The body BuildKit uses: ``content`` with leading tabs removed for ``<<-``."""
        if not self.chomp:
            return self.content
        return "".join(line.lstrip("\t") for line in self.content.splitlines(keepends=True))


@attrs.frozen(slots=True)
class KeyValue:
    """One ``key=value`` of ``ENV``, ``ARG`` or ``LABEL`` (or the legacy ``ENV KEY value``).

    ``value`` has quotes and escapes processed but ``$VARS`` kept as written (the literal
    default a secrets rule checks); ``raw_value`` is exactly as written. Both are ``None``
    for an ``ARG`` without a default. ``value_span`` covers ``raw_value``.
    """

    key: str
    value: str | None
    raw_value: str | None
    key_span: Span
    value_span: Span | None
    span: Span
    legacy: bool = False

    @property
    def has_value(self) -> bool:
        return self.value is not None


@attrs.frozen(slots=True)
class Port:
    """One ``EXPOSE`` entry: ``8080``, ``8080/udp``, ``7000-7010/tcp``, ``${PORT}``.

    ``number`` (and ``end`` for a range) are ``None`` when the port is not a literal number.
    """

    value: str
    span: Span
    number: int | None
    end: int | None = None
    protocol: str = "tcp"


@attrs.frozen(slots=True, kw_only=True)
class Instruction:
    """One Dockerfile instruction, across its continuation lines and heredoc bodies.

    ``keyword`` is upper case whatever the source says; ``arguments`` is the text after the
    keyword and flags with continuations joined as BuildKit joins them; ``words`` are the
    arguments split the way BuildKit splits them for this keyword (JSON items for the
    exec form, whitespace-separated words for ``COPY``/``EXPOSE``/..., the whole command
    for a shell-form ``RUN``); ``exec_args`` is the decoded JSON array of the exec form
    (``None`` in shell form); ``stage`` is the index of the build stage (``None`` for the
    global ``ARG`` instructions before the first ``FROM``). ``span`` covers the whole
    instruction including heredoc bodies.
    """

    keyword: str
    arguments: str
    span: Span
    keyword_span: Span
    arguments_span: Span | None = None
    flags: tuple[Flag, ...] = ()
    stage: int | None = None
    words: tuple[Word, ...] = ()
    exec_args: tuple[Word, ...] | None = None
    heredocs: tuple[Heredoc, ...] = ()

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def form(self) -> Literal["exec", "shell"] | None:
        """``exec`` (JSON array) or ``shell`` for RUN, CMD, ENTRYPOINT and SHELL; else None."""
        if self.keyword not in SHELL_FORM_KEYWORDS:
            return None
        return "exec" if self.exec_args is not None else "shell"

    @property
    def is_exec_form(self) -> bool:
        return self.exec_args is not None

    def flag(self, name: str) -> Flag | None:
        """The first ``--name`` flag (``name`` without dashes), or None."""
        for flag in self.flags:
            if flag.name == name:
                return flag
        return None

    def flag_value(self, name: str) -> str | None:
        flag = self.flag(name)
        return flag.value if flag else None


@attrs.frozen(slots=True, kw_only=True)
class FromInstruction(Instruction):
    """``FROM [--platform=...] base [AS name]``. ``base`` is the image (or earlier stage) as
    written, variables unexpanded; ``alias`` the ``AS`` name as written (see ``stage_name``).
    The resolved image is on the :class:`Stage`."""

    base: Word
    alias: Word | None = None

    @property
    def stage_name(self) -> str | None:
        """The stage's name, lower-cased as BuildKit stores it."""
        return self.alias.value.lower() if self.alias else None

    @property
    def platform(self) -> Flag | None:
        return self.flag("platform")


@attrs.frozen(slots=True, kw_only=True)
class KeyValueInstruction(Instruction):
    """``ENV``, ``ARG`` and ``LABEL``: a list of :class:`KeyValue` pairs."""

    pairs: tuple[KeyValue, ...] = ()

    def get(self, key: str) -> KeyValue | None:
        """The last pair setting ``key`` (the one that wins), or None."""
        for pair in reversed(self.pairs):
            if pair.key == key:
                return pair
        return None

    def __iter__(self) -> Iterator[KeyValue]:
        return iter(self.pairs)


@attrs.frozen(slots=True, kw_only=True)
class EnvInstruction(KeyValueInstruction):
    """``ENV A=1 B="two words"`` or the legacy ``ENV KEY value with spaces``."""


@attrs.frozen(slots=True, kw_only=True)
class ArgInstruction(KeyValueInstruction):
    """``ARG NAME`` or ``ARG NAME=default``; a pair's value is None without a default."""


@attrs.frozen(slots=True, kw_only=True)
class LabelInstruction(KeyValueInstruction):
    """``LABEL key=value ...``."""


@attrs.frozen(slots=True, kw_only=True)
class UserInstruction(Instruction):
    """``USER user[:group]``, each part as written."""

    user: Word
    group: Word | None = None

    @property
    def is_root(self) -> bool:
        """The user is ``root`` or uid ``0`` (a variable is not known to be root)."""
        return self.user.value in ("root", "0")


@attrs.frozen(slots=True, kw_only=True)
class ExposeInstruction(Instruction):
    """``EXPOSE 8080 9090/udp``."""

    ports: tuple[Port, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class HealthcheckInstruction(Instruction):
    """``HEALTHCHECK NONE`` or ``HEALTHCHECK [--interval=30s ...] CMD command``.

    ``test`` is the ``CMD``/``NONE`` word; ``command`` the command after ``CMD`` as written
    (its decoded items are ``exec_args`` in exec form; ``command_form`` says which form).
    Durations are seconds, ``None`` when the option is absent.
    """

    test: Word
    command: Word | None = None
    interval: float | None = None
    timeout: float | None = None
    start_period: float | None = None
    start_interval: float | None = None
    retries: int | None = None

    @property
    def is_none(self) -> bool:
        """``HEALTHCHECK NONE``: the image's inherited health check is switched off."""
        return self.test.value.upper() == "NONE"

    @property
    def command_form(self) -> Literal["exec", "shell"] | None:
        if self.command is None:
            return None
        return "exec" if self.exec_args is not None else "shell"


@attrs.frozen(slots=True, kw_only=True)
class OnbuildInstruction(Instruction):
    """``ONBUILD RUN ...``: ``trigger`` is the instruction it registers for child images."""

    trigger: Instruction


@attrs.frozen(slots=True)
class Comment:
    """A comment line: ``text`` is what follows ``#``, stripped; ``span`` starts at ``#``."""

    line: int
    text: str
    span: Span


@attrs.frozen(slots=True)
class Directive:
    """A parser directive at the top of the file: ``# syntax=docker/dockerfile:1``,
    ``# escape=```, ``# check=skip=...``. ``name`` is lower case."""

    name: str
    value: str
    span: Span
    value_span: Span


@attrs.frozen(slots=True)
class Stage:
    """A build stage: its ``FROM`` and the instructions after it, up to the next ``FROM``.

    ``name`` is the lower-cased ``AS`` name; ``base`` the base as written and
    ``base_resolved`` with the global ``ARG`` defaults expanded (names with no default
    expand to nothing, as in a build without ``--build-arg``; those names are in
    ``unresolved_args``; ``base_resolved`` is ``None`` when the expansion is malformed).
    ``base_stage`` is the earlier stage it builds on; otherwise ``image`` is the parsed
    reference (``None`` when it does not parse, e.g. it still holds a variable).
    """

    index: int
    name: str | None
    from_instruction: FromInstruction = attrs.field(repr=False)
    instructions: tuple[Instruction, ...] = attrs.field(repr=False)
    base: str
    base_resolved: str | None
    unresolved_args: tuple[str, ...] = ()
    image: ImageRef | None = None
    base_stage: Stage | None = attrs.field(default=None, repr=False)

    @property
    def is_scratch(self) -> bool:
        return self.image is not None and self.image.is_scratch

    def find(self, *keywords: str) -> tuple[Instruction, ...]:
        """This stage's instructions with one of ``keywords`` (any case), in order."""
        wanted = {k.upper() for k in keywords}
        return tuple(i for i in self.instructions if i.keyword in wanted)

    def last(self, keyword: str) -> Instruction | None:
        """This stage's last instruction with ``keyword``, or None."""
        keyword = keyword.upper()
        for instruction in reversed(self.instructions):
            if instruction.keyword == keyword:
                return instruction
        return None

    def _inherited(self, keyword: str) -> Instruction | None:
        stage: Stage | None = self
        while stage is not None:
            found = stage.last(keyword)
            if found is not None:
                return found
            stage = stage.base_stage
        return None

    @property
    def user(self) -> UserInstruction | None:
        """The ``USER`` in effect at the end of the stage: its own last one, else the one of
        the stage it builds on (``None``: the base image's user, usually root)."""
        return self._inherited("USER")  # type: ignore[return-value]

    @property
    def healthcheck(self) -> HealthcheckInstruction | None:
        """The ``HEALTHCHECK`` in effect at the end of the stage, inherited like ``user``."""
        return self._inherited("HEALTHCHECK")  # type: ignore[return-value]


class DockerfileFile(SourceFile):
    """A Dockerfile (or Containerfile) read as BuildKit reads it; see the module docs."""

    kind = FileKind.DOCKERFILE

    def __init__(
        self,
        path: str,
        text: str,
        instructions: tuple[Instruction, ...] = (),
        comments: tuple[Comment, ...] = (),
        directives: tuple[Directive, ...] = (),
        escape: str = "\\",
    ) -> None:
        super().__init__(path, text)
        self.instructions = instructions
        self.comments = comments
        self.directives = directives
        self.escape = escape

    def directive(self, name: str) -> Directive | None:
        """The parser directive ``name`` (``syntax``, ``escape``, ``check``), or None."""
        name = name.lower()
        return next((d for d in self.directives if d.name == name), None)

    @property
    def syntax(self) -> str | None:
        """The ``# syntax=`` frontend image, or None."""
        directive = self.directive("syntax")
        return directive.value if directive else None

    def find(self, *keywords: str) -> tuple[Instruction, ...]:
        """Every instruction with one of ``keywords`` (any case), in file order."""
        wanted = {k.upper() for k in keywords}
        return tuple(i for i in self.instructions if i.keyword in wanted)

    @cached_property
    def global_args(self) -> tuple[KeyValue, ...]:
        """The ``ARG`` pairs before the first ``FROM``: the only ones ``FROM`` lines see."""
        return tuple(
            pair for i in self.instructions if i.stage is None and isinstance(i, ArgInstruction) for pair in i.pairs
        )

    @cached_property
    def stages(self) -> tuple[Stage, ...]:
        """The build stages in order (empty for a file without ``FROM``)."""
        from ._dockerfile_stages import build_stages

        return build_stages(self.instructions, self.global_args, self.escape)

    @property
    def final_stage(self) -> Stage | None:
        """The last stage: what ``docker build`` builds without ``--target``."""
        return self.stages[-1] if self.stages else None

    def expand(self, text: str, stage: Stage, before: Instruction | None = None) -> str | None:
        """``text`` (an argument of an instruction of ``stage``) with ``$NAME``,
        ``${NAME}`` and ``${NAME:-default}`` expanded as BuildKit expands them for a build
        without ``--build-arg``: the ``ARG`` defaults the stage declares before ``before``
        (an ``ARG NAME`` without a default takes the global one), and the ``ENV`` values of
        the stage and of the stages it builds on, which win over an ``ARG`` of the same
        name. A name with no value expands to nothing. ``None`` when ``text`` is malformed.
        """
        from ._dockerfile_stages import _known_args
        from ._shell_lex import ShellSyntaxError, expand

        if "$" not in text:
            return text
        global_values, _ = _known_args(self.global_args, self.escape)
        chain: list[Stage] = []
        current: Stage | None = stage
        while current is not None and current not in chain:
            chain.append(current)
            current = current.base_stage
        env: dict[str, str] = {}
        args: dict[str, str] = {}
        try:
            for owner in reversed(chain):
                args = {}
                for instruction in owner.instructions:
                    if owner is stage and instruction is before:
                        break
                    if not isinstance(instruction, (ArgInstruction, EnvInstruction)):
                        continue
                    for pair in instruction.pairs:
                        if pair.raw_value is None:
                            if isinstance(instruction, ArgInstruction):
                                args[pair.key] = global_values.get(pair.key, "")
                            continue
                        value, _, _ = expand(pair.raw_value, self.escape, {**args, **env})
                        (args if isinstance(instruction, ArgInstruction) else env)[pair.key] = value
            return expand(text, self.escape, {**args, **env})[0]
        except ShellSyntaxError:
            return None

    def stage_named(self, name: str) -> Stage | None:
        """The stage called ``name`` (case-insensitive, as ``COPY --from`` matches), or the
        stage with that index when ``name`` is a number; None if there is none."""
        if name.isdecimal():
            index = int(name)
            return self.stages[index] if index < len(self.stages) else None
        name = name.lower()
        return next((s for s in self.stages if s.name == name), None)


def load_dockerfile(path: str, text: str) -> DockerfileFile:
    """Parse a Dockerfile as BuildKit does; :class:`LoadError` (kind ``dockerfile``) with the
    line for anything BuildKit would refuse."""
    from ._dockerfile_build import parse_dockerfile

    file = DockerfileFile(path, text)
    try:
        file.instructions, file.comments, file.directives, file.escape = parse_dockerfile(file)
    except (RecursionError, MemoryError):
        raise LoadError("too-complex", "the Dockerfile is too large or deeply nested to parse") from None
    return file
