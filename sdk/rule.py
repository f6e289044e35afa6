"""Rules: one small class per check, its metadata declared as class attributes.

A file rule implements :meth:`Rule.check`; a repository rule (:class:`RepoRule`) also
collects JSON facts from each file and then judges the repository as a whole (a
migration history, routes held against Kubernetes probes). Metadata is validated when
the class is defined, so a broken rule fails loudly at import, not in a user's scan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from .checklist import CHECKLIST, is_valid_slug
from .docs import RuleDocs, parse_docs
from .files import SourceFile
from .model import Confidence, FileKind, Severity, Span
from .options import Option
from .versioning import FIRST_API_VERSION, parse_api_version

__all__ = [
    "Context",
    "Evidence",
    "FileInfo",
    "RepoContext",
    "RepoRule",
    "Report",
    "Repository",
    "Rule",
    "RuleDefinitionError",
    "RuleMetadata",
    "RulePack",
]

_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]{1,9}[0-9]{2,4}$")
_RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PACK_NAME = re.compile(r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$")


class RuleDefinitionError(TypeError):
    """A rule class or pack breaks the SDK contract (bad id, missing docs, ...)."""


@attrs.frozen(slots=True)
class RuleMetadata:
    """Everything reporters and the readiness report need to know about a rule."""

    id: str
    name: str
    summary: str
    checklist: tuple[str, ...]
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...]
    kinds: frozenset[FileKind]
    triggers: tuple[str | re.Pattern, ...]
    options: tuple[Option, ...]
    references: tuple[str, ...]
    tags: tuple[str, ...]
    docs: RuleDocs
    pack: str = ""
    repo_level: bool = False
    triggers_ignore_case: bool = False
    collect_triggers: tuple[str | re.Pattern, ...] = ()
    pack_version: str = ""

    @property
    def category(self) -> str:
        """The checklist category of the rule's first slug (``Reliability``, ``Security``...)."""
        for slug in self.checklist:
            if slug in CHECKLIST:
                return CHECKLIST[slug].category
        return "Custom"

    @property
    def help_uri(self) -> str | None:
        return self.references[0] if self.references else None

    def documentation(self) -> str:
        """The full Markdown documentation: the docstring sections plus generated
        Options and References sections."""
        parts = [self.docs.markdown().rstrip()]
        if self.options:
            lines = ["## Options"]
            for option in self.options:
                default = list(option.default_value) if option.type == "list[str]" else option.default_value
                lines.append(f"- `{option.name}` ({option.type}, default `{default!r}`): {option.help}")
            lines.append(f"\nSet them in `[tool.prodready-lint.rules.{self.id}]`.")
            parts.append("\n".join(lines))
        if self.references:
            parts.append("\n".join(["## References", *(f"- <{url}>" for url in self.references)]))
        return "\n\n".join(parts) + "\n"


@attrs.frozen(slots=True)
class Report:
    """A finding as a rule reported it, before the engine adds snippet and fingerprints.

    ``secrets`` are spans holding secret values: the engine redacts them from every
    snippet and scrubs their text from the message.
    """

    rule_id: str
    path: str
    span: Span
    message: str
    severity: Severity
    confidence: Confidence
    secrets: tuple[Span, ...] = ()


def _span_of(file: SourceFile | None, at: Any) -> Span:
    if isinstance(at, Span):
        return at
    span = getattr(at, "span", None)
    if isinstance(span, Span):
        return span
    if file is not None and hasattr(at, "lineno") and hasattr(file, "span_of"):
        return file.span_of(at)  # an ast node
    raise TypeError(f"cannot report at {type(at).__name__}: pass a Span or an object with a .span")


class Context:
    """What a rule gets besides the file: its options and a way to report."""

    __slots__ = ("_sink", "file", "meta", "options")

    def __init__(self, file: SourceFile, meta: RuleMetadata, options: Mapping[str, Any], sink: list) -> None:
        self.file = file
        self.meta = meta
        self.options = options
        self._sink = sink

    def report(
        self,
        at: Any,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secrets: tuple[Span, ...] = (),
    ) -> None:
        """Report a finding at ``at``: a :class:`Span`, a fact with a ``.span`` (a call),
        or an ``ast`` node. Severity and confidence default to the rule's."""
        self._sink.append(
            Report(
                self.meta.id,
                self.file.path,
                _span_of(self.file, at),
                message,
                severity or self.meta.severity,
                confidence or self.meta.confidence,
                tuple(secrets),
            )
        )


@attrs.frozen(slots=True)
class FileInfo:
    """A file of the scanned repository, as repository rules see it."""

    path: str
    kind: FileKind


@attrs.frozen(slots=True)
class Repository:
    """The whole scan, for :meth:`RepoRule.check_repo`: every file seen and, per file,
    what this rule's :meth:`RepoRule.collect` returned for it."""

    files: tuple[FileInfo, ...]
    facts: Mapping[str, Any]


@attrs.frozen(slots=True)
class Evidence:
    """A readiness signal found, with where: what a repository rule records with
    :meth:`RepoContext.evidence` (metrics exported here, SIGTERM handled there). It is
    not a finding: the JSON report lists it under ``evidence`` and the readiness report
    cites it for the rule's checklist items."""

    rule_id: str
    path: str
    span: Span
    message: str
    checklist: tuple[str, ...] = ()


_INVENTORY_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RepoContext:
    """Like :class:`Context`, for repository rules: findings name their file.

    ``audit`` says whether the user asked for the dependency audit (the only network
    access a scan makes): ``None`` when not, else an
    :class:`~prodready_lint.sdk.AuditRequest` with its timeout, service and offline data
    file. Besides findings, a repository rule can record :meth:`evidence` (a signal
    present), :meth:`could_not_audit` (a package or file it could not check, never to
    be taken as clean) and :meth:`publish` what it learned about the repository as a
    whole.
    """

    __slots__ = ("_evidence", "_problems", "_published", "_sink", "audit", "meta", "options")

    def __init__(
        self,
        meta: RuleMetadata,
        options: Mapping[str, Any],
        sink: list,
        published: dict | None = None,
        *,
        audit: Any = None,
        evidence: list | None = None,
        problems: list | None = None,
    ) -> None:
        self.meta = meta
        self.options = options
        self._sink = sink
        self.audit = audit
        self._evidence = evidence if evidence is not None else []
        self._problems = problems if problems is not None else []
        self._published = published if published is not None else {}

    def publish(self, name: str, data: Any) -> None:
        """Attach structured data about the repository to the scan's result, under
        ``name`` (kebab-case, e.g. ``"web-services"``): the services a rule discovered,
        the routes they serve, the manifests it matched. It appears in
        ``ScanResult.inventory`` and in the JSON report's ``inventory``, so a user can see
        why a verdict was reached and a readiness report can reuse it.

        ``data`` is JSON data (dicts with string keys, lists, strings, numbers, booleans,
        None); :class:`~prodready_lint.sdk.Span` values are written as
        ``{"line", "column", "end_line", "end_column"}``. Several rules may publish the
        same name with equal data (a family whose rules share a discovery); different
        data under one name is a rule error. Publishing a name again from the same rule
        replaces its data. Raises ``ValueError`` for a bad name or data that is not JSON.
        """
        if not isinstance(name, str) or not _INVENTORY_NAME.match(name):
            raise ValueError(f"inventory name {name!r} must be kebab-case, like 'web-services'")
        self._published[name] = _inventory_data(data)

    def report(
        self,
        path: str,
        at: Span,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secrets: tuple[Span, ...] = (),
    ) -> None:
        self._sink.append(
            Report(
                self.meta.id,
                path,
                _span_of(None, at),
                message,
                severity or self.meta.severity,
                confidence or self.meta.confidence,
                tuple(secrets),
            )
        )

    def evidence(self, path: str, at: Any, message: str, *, checklist: tuple[str, ...] = ()) -> None:
        """Record that a readiness signal is present at ``path``/``at`` (checklist slugs
        default to the rule's)."""
        self._evidence.append(
            Evidence(self.meta.id, path, _span_of(None, at), message, checklist or self.meta.checklist)
        )

    def could_not_audit(self, path: str, at: Any, reason: str) -> None:
        """Say that something at ``path``/``at`` could not be audited, and why: it
        becomes a ``could-not-audit`` problem ("could not audit: <reason>") in every
        output, which keeps the run from passing as clean (exit code 3 when nothing else
        is found)."""
        span = _span_of(None, at)
        self._problems.append((path, span.line, f"could not audit: {reason}"))


def _inventory_data(value: Any) -> Any:
    """``value`` as plain JSON data (spans spelled out); ``ValueError`` when it is not JSON."""
    import json

    def encode(item: Any) -> Any:
        if isinstance(item, Span):
            return {"line": item.line, "column": item.column, "end_line": item.end_line, "end_column": item.end_column}
        raise TypeError(f"{type(item).__name__} is not JSON data")

    try:
        return json.loads(json.dumps(value, allow_nan=False, default=encode, sort_keys=True))
    except (TypeError, ValueError) as error:
        raise ValueError(f"published inventory data is not JSON data ({error})") from None


class Rule:
    """Base class of every rule. Subclasses declare metadata and implement :meth:`check`.

    Required class attributes: ``id`` (stable, e.g. ``"TMO001"``; a family shares a
    prefix, and a third-party pack uses a prefix of its own such as ``ACME``), ``name``
    (kebab-case, unique in its pack), ``summary`` (one line), ``checklist`` (a tuple of
    slugs), ``severity``. Optional: ``confidence``, ``cwe`` (a tuple of CWE numbers),
    ``kinds`` (a set of file kinds to run on, Python by default), ``triggers``,
    ``options``, ``references`` (http(s) URLs; the first is the rule's help link),
    ``tags``. The docstring is the documentation (see :mod:`prodready_lint.sdk.docs`).

    ``triggers`` say which files are worth analyzing: at least one must occur in a file's
    raw bytes for the rule to run on it. A string matches exactly (case-sensitively,
    unless ``triggers_ignore_case = True``, as for Dockerfile keywords); a compiled
    regular expression (``re.compile(r"\\bUSER\\b", re.I)``) is searched, and is
    compiled once per worker. No triggers: every file of the rule's kinds. Files matching
    no rule's triggers are only checked to be well-formed, never shown to a rule.

    Every mistake in these declarations is a :class:`RuleDefinitionError` raised when
    the class is defined, naming the rule, the attribute and the fix.

    A rule instance is created once per worker process with its resolved ``options`` and
    must keep no state between files.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    checklist: ClassVar[tuple[str, ...]]
    severity: ClassVar[Severity]
    confidence: ClassVar[Confidence] = Confidence.HIGH
    cwe: ClassVar[tuple[int, ...]] = ()
    kinds: ClassVar[frozenset[FileKind]] = frozenset({FileKind.PYTHON})
    triggers: ClassVar[tuple[str | re.Pattern, ...]] = ()
    triggers_ignore_case: ClassVar[bool] = False
    collect_triggers: ClassVar[tuple[str | re.Pattern, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()
    references: ClassVar[tuple[str, ...]] = ()
    tags: ClassVar[tuple[str, ...]] = ()

    _metadata: ClassVar[RuleMetadata | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._metadata = None
        if "id" in cls.__dict__:
            cls._metadata = _build_metadata(cls)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        values = {option.name: option.default_value for option in self.meta.options}
        values.update(options or {})
        self.settings: Mapping[str, Any] = MappingProxyType(values)

    @classmethod
    def metadata(cls) -> RuleMetadata:
        if cls._metadata is None:
            raise RuleDefinitionError(f"{cls.__qualname__} is not a concrete rule: it declares no id")
        return cls._metadata

    @property
    def meta(self) -> RuleMetadata:
        return type(self).metadata()

    def check(self, file: SourceFile, ctx: Context) -> None:
        """Inspect one file and call ``ctx.report`` for each problem."""
        raise NotImplementedError(f"{type(self).__qualname__} must implement check()")


class RepoRule(Rule):
    """A rule that judges the repository as a whole (a migration history, routes held
    against Kubernetes probes, a bucket and the separate resource that encrypts it).

    It runs in two phases:

    * :meth:`collect` runs in the worker processes on **every** file of the rule's
      ``kinds`` (a repository rule takes no ``triggers``: what it must see cannot depend
      on what happens to be in a file), or only on files holding one of its
      ``collect_triggers`` when it declares them. Its result is cached with the file. It
      returns JSON-compatible data (dicts, lists, strings, numbers, booleans, None) in
      which :class:`~prodready_lint.sdk.Span` objects may appear: they come back as
      spans, so positions travel without conversion. ``None`` means nothing to collect.
      ``collect`` may also report per-file findings through ``ctx``.
    * :meth:`check_repo` runs once, in the main process, with a :class:`Repository`:
      every file the scan discovered (whatever its kind) and what ``collect`` returned
      per file.

    Per-file-ignores and inline suppressions filter the *reports* of a repository rule,
    never what it collects: ignoring a health rule on ``shop/health.py`` still lets the
    rule see the routes that file serves.
    """

    def check(self, file: SourceFile, ctx: Context) -> None:  # a repo rule has no per-file check
        return None

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        return None

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        raise NotImplementedError(f"{type(self).__qualname__} must implement check_repo()")


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _as_tuple(where: str, attribute: str, value: Any, example: str) -> tuple:
    """A declared collection as a tuple; a lone string (``triggers = "DEBUG"``) would
    otherwise become its characters, so it is refused with the fix."""
    if isinstance(value, (str, bytes)):
        raise RuleDefinitionError(
            f"{where}: {attribute} must be a tuple, got the string {value!r}; write {attribute} = ({value!r},)"
        )
    if isinstance(value, (tuple, list, set, frozenset)):
        return tuple(value)
    raise RuleDefinitionError(
        f"{where}: {attribute} must be a tuple, got {type(value).__name__} {value!r}; write {attribute} = {example}"
    )


def _triggers(where: str, attribute: str, value: Any) -> tuple[str | re.Pattern, ...]:
    triggers = _as_tuple(where, attribute, value, '("needle",)')
    for trigger in triggers:
        if isinstance(trigger, re.Pattern):
            if not trigger.pattern:
                raise RuleDefinitionError(f"{where}: {attribute} holds an empty regular expression")
        elif not isinstance(trigger, str) or not trigger:
            raise RuleDefinitionError(
                f"{where}: {attribute} must hold non-empty strings or compiled regular expressions, got {trigger!r}"
            )
    return triggers


def _overrides(cls: type, name: str, base: type) -> bool:
    return getattr(cls, name) is not getattr(base, name)


def _build_metadata(cls: type[Rule]) -> RuleMetadata:
    where = f"rule {cls.__module__}.{cls.__qualname__}"
    if isinstance(cls.__dict__.get("id"), str):
        where = f"rule {cls.__dict__['id']} ({cls.__module__}.{cls.__qualname__})"

    def fail(reason: str) -> RuleDefinitionError:
        return RuleDefinitionError(f"{where}: {reason}")

    for attribute in ("id", "name", "summary", "checklist", "severity"):
        if not hasattr(cls, attribute):
            raise fail(f"missing class attribute {attribute!r}")
    if not isinstance(cls.id, str) or not _RULE_ID.match(cls.id):
        raise fail(f"id {cls.id!r} must be 1-10 capitals/digits then 2-4 digits, like 'TMO001' or 'ACME1001'")
    if not isinstance(cls.name, str) or not _RULE_NAME.match(cls.name):
        raise fail(f"name {cls.name!r} must be kebab-case, like 'requests-without-timeout'")
    if not isinstance(cls.summary, str) or not cls.summary.strip() or "\n" in cls.summary:
        raise fail("summary must be one non-empty line")
    checklist = _as_tuple(where, "checklist", cls.checklist, "('timeouts',)")
    if not checklist:
        raise fail("checklist must name at least one checklist slug, e.g. ('timeouts',)")
    for slug in checklist:
        if not isinstance(slug, str) or not is_valid_slug(slug):
            raise fail(f"checklist slug {slug!r} must be kebab-case")
    if not isinstance(cls.severity, Severity):
        raise fail(f"severity must be a Severity, got {cls.severity!r}; write severity = Severity.HIGH")
    if not isinstance(cls.confidence, Confidence):
        raise fail(f"confidence must be a Confidence, got {cls.confidence!r}; write confidence = Confidence.HIGH")
    if isinstance(cls.kinds, FileKind):
        raise fail(
            f"kinds must be a set of FileKind, got the single {cls.kinds!r}; "
            f"write kinds = frozenset({{FileKind.{cls.kinds.name}}})"
        )
    kinds = frozenset(_as_tuple(where, "kinds", cls.kinds, "frozenset({FileKind.PYTHON})"))
    if not kinds or not all(isinstance(kind, FileKind) for kind in kinds):
        raise fail("kinds must be a non-empty set of FileKind, e.g. frozenset({FileKind.PYTHON})")
    triggers = _triggers(where, "triggers", cls.triggers)
    collect_triggers = _triggers(where, "collect_triggers", cls.collect_triggers)
    cwe = _as_tuple(where, "cwe", cls.cwe, f"({cls.cwe!r},)" if isinstance(cls.cwe, int) else "(1088,)")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in cwe):
        raise fail("cwe must be a tuple of CWE numbers, like (1088,)")
    options = _as_tuple(where, "options", cls.options, '(Option("name", "str", "default", "help"),)')
    if not all(isinstance(o, Option) for o in options):
        raise fail("options must be Option instances")
    names = [o.name for o in options]
    if len(set(names)) != len(names) or "severity" in names:
        raise fail("option names must be unique and not 'severity' (reserved for overrides)")
    for option in options:
        try:
            option.coerce(option.default)
        except ValueError:
            raise fail(
                f"option {option.name!r} is declared {option.type} but its default {option.default!r} "
                f"is a {type(option.default).__name__}"
            ) from None
    references = _as_tuple(where, "references", cls.references, '("https://...",)')
    for url in references:
        if not isinstance(url, str) or not _URL.match(url):
            raise fail(f"references must be http(s) URLs, got {url!r}")
    tags = _as_tuple(where, "tags", cls.tags, '("security",)')
    if not all(isinstance(tag, str) and tag for tag in tags):
        raise fail("tags must be non-empty strings")
    if not isinstance(cls.triggers_ignore_case, bool):
        raise fail("triggers_ignore_case must be True or False")
    repo_level = issubclass(cls, RepoRule)
    if repo_level:
        if triggers:
            raise fail(
                "a repository rule sees every file of its kinds, so it takes no triggers; "
                "declare collect_triggers to collect only from files holding one of them"
            )
        if not _overrides(cls, "check_repo", RepoRule):
            raise fail("a repository rule must implement check_repo(repo, ctx)")
    else:
        if collect_triggers:
            raise fail("collect_triggers is for repository rules (RepoRule); a file rule declares triggers")
        if not _overrides(cls, "check", Rule):
            raise fail("a rule must implement check(file, ctx)")
    try:
        docs = parse_docs(cls.__doc__)
    except ValueError as error:
        raise fail(str(error)) from None
    return RuleMetadata(
        id=cls.id,
        name=cls.name,
        summary=cls.summary.strip(),
        checklist=checklist,
        severity=cls.severity,
        confidence=cls.confidence,
        cwe=cwe,
        kinds=kinds,
        triggers=triggers,
        options=options,
        references=references,
        tags=tags,
        docs=docs,
        repo_level=repo_level,
        triggers_ignore_case=cls.triggers_ignore_case,
        collect_triggers=collect_triggers,
    )


@attrs.frozen(slots=True)
class RulePack:
    """A named, versioned set of rules: what the ``prodready_lint.rules`` entry point
    group points at (``mypack = "mypack.rules:PACK"``). The built-in rules ship as one.

    ``api_version`` is the SDK API the pack was written for (``API_VERSION`` when it was
    written); a pack declaring none is taken to target the first versioned API, 1.0. The
    engine refuses a pack whose API it does not provide, naming both versions."""

    name: str
    version: str
    rules: tuple[type[Rule], ...] = attrs.field(converter=tuple)
    description: str = ""
    api_version: str = FIRST_API_VERSION

    def __attrs_post_init__(self) -> None:
        try:
            parse_api_version(self.api_version)
        except ValueError as error:
            raise RuleDefinitionError(f"pack {self.name!r}: {error}") from None
        if not isinstance(self.name, str) or not _PACK_NAME.match(self.name):
            raise RuleDefinitionError(
                f"pack name {self.name!r} must be lower-case letters, digits and '-' or '_', like 'acme-rules'"
            )
        seen: dict[str, str] = {}
        names: dict[str, str] = {}
        for rule in self.rules:
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise RuleDefinitionError(f"pack {self.name!r}: {rule!r} is not a Rule subclass")
            meta = rule.metadata()
            if meta.id in seen:
                raise RuleDefinitionError(f"pack {self.name!r}: rule id {meta.id} is declared twice")
            if meta.name in names:
                raise RuleDefinitionError(
                    f"pack {self.name!r}: rules {names[meta.name]} and {meta.id} are both named {meta.name!r}; "
                    "rule names are selectors and must be unique"
                )
            seen[meta.id] = meta.name
            names[meta.name] = meta.id
