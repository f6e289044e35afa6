"""Analyze one file: the unit of work the scanner hands to a worker process.

The order keeps the hot path cheap: triggers are checked on the raw bytes, so a file
whose content no rule needs is only loaded as its kind (decoded, and parsed for Python
and YAML) to prove it well-formed, never lowered, resolved or shown to a rule; otherwise
parsing happens once and every rule reads the same file model; one rule crashing is
recorded and the others still run.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from prodready_lint.errors import ScanError, SourceError
from prodready_lint.fingerprints import fingerprint, github_line_hashes
from prodready_lint.sdk.errors import SkipFile
from prodready_lint.sdk.files import SourceFile, split_lines
from prodready_lint.sdk.kinds import KINDS
from prodready_lint.sdk.model import FileKind, Finding, Location, Severity, Span
from prodready_lint.sdk.redact import redact
from prodready_lint.sdk.rule import Context, Report, RepoRule, Rule, RuleMetadata
from prodready_lint.suppressions import Suppressions
from prodready_lint.triggers import Matchers

__all__ = ["Analyzer", "FileResult", "FileTask", "WorkerSpec", "decode", "finalize"]

_SNIPPET_LIMIT = 400
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_BINARY_PROBE = 8192


@attrs.frozen(slots=True)
class FileTask:
    relpath: str
    kind: FileKind
    rule_ids: tuple[str, ...]
    data: bytes
    content_hash: str


@attrs.frozen(slots=True)
class FileResult:
    """What analyzing one file produced. ``status`` is ``parsed`` (rules ran),
    ``skipped`` (no rule's triggers matched: only checked to be well-formed) or
    ``failed`` (see ``errors``)."""

    relpath: str
    status: str
    findings: tuple[Finding, ...] = ()
    errors: tuple[ScanError, ...] = ()
    facts: tuple[tuple[str, Any], ...] = ()


@attrs.frozen(slots=True)
class WorkerSpec:
    """Everything a worker needs; plain data so it pickles under any start method."""

    rules: tuple[type[Rule], ...]
    settings: dict[str, dict[str, Any]]
    severities: dict[str, Severity]


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 announced by a byte-order mark (their text is full of NUL bytes
    without being binary)."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode(data: bytes, kind: FileKind) -> str:
    """Bytes to text: PEP 263 coding cookies for Python, UTF-8 (BOM allowed) otherwise;
    UTF-16 and UTF-32 with a byte-order mark for the kinds that may use them."""
    wide = _wide_encoding(data)
    if wide is not None:
        if kind is FileKind.PYTHON:
            raise SourceError(
                "encoding",
                f"{wide.upper()} text (byte-order mark): Python source must use an ASCII-compatible encoding",
            )
        try:
            return data.decode(wide)
        except UnicodeDecodeError as error:
            raise SourceError("encoding", f"not valid {wide.upper()}: {error.reason} at byte {error.start}") from None
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    if kind is FileKind.PYTHON:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as error:
            if "invalid or missing encoding declaration" not in str(error):
                raise SourceError("encoding", str(error)) from None
            # No cookie and undecodable first lines: UTF-8 applies, and decoding below
            # says which byte is wrong and where.
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            "encoding",
            f"not valid {error.encoding.upper()}: byte 0x{data[error.start]:02x} at offset {error.start}",
            line,
        ) from None
    except LookupError as error:
        raise SourceError("encoding", str(error)) from None


_SPAN_TAG = "$span"


def _encode_span(value: Any) -> Any:
    if isinstance(value, Span):
        return {_SPAN_TAG: [value.line, value.column, value.end_line, value.end_column]}
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _json_data(value: Any) -> Any:
    """Repository facts travel between processes and into the JSON cache: JSON data only,
    with spans encoded so that :func:`decode_facts` gives them back as spans."""
    try:
        return json.loads(json.dumps(value, allow_nan=False, default=_encode_span))
    except (TypeError, ValueError) as error:
        raise ValueError(f"collect() returned facts that are not JSON data ({error})") from None


def _decode_span(value: dict[str, Any]) -> Any:
    if len(value) == 1 and _SPAN_TAG in value:
        parts = value[_SPAN_TAG]
        if isinstance(parts, list) and len(parts) == 4 and all(isinstance(n, int) for n in parts):
            try:
                return Span(*parts)
            except ValueError:
                return value
    return value


def decode_facts(value: Any) -> Any:
    """Collected facts as the rule returned them: encoded spans become spans again."""
    return json.loads(json.dumps(value), object_hook=_decode_span)


def _failed(relpath: str, error: SourceError) -> FileResult:
    if isinstance(error, SkipFile):
        return FileResult(relpath, "skipped", errors=(ScanError(relpath, "skipped", error.message, error.line),))
    return FileResult(relpath, "failed", errors=(ScanError(relpath, error.kind, error.message, error.line),))


def load_model(relpath: str, kind: FileKind, text: str) -> SourceFile:
    """The kind's model, through the SDK's registry of kinds (the engine knows none)."""
    return KINDS[kind].load(relpath, text)


def _scrub(message: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            message = message.replace(secret, redact(secret))
    return message


def _text_in(lines: list[str], span: Span) -> str:
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1] if span.line <= len(lines) else ""
    parts = [lines[span.line - 1][span.column - 1 :]] if span.line <= len(lines) else []
    parts += lines[span.line : span.end_line - 1]
    if span.end_line <= len(lines):
        parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


class _Redactor:
    """Every secret any rule marked in a file, masked out of every line shown from it: a
    timeouts finding on a line that also holds a password must not show the password.
    Each line is redacted once, however many findings it has (a line with thousands of
    findings costs linear time, not quadratic)."""

    _MESSAGE_SCRUB_LIMIT = 256  # distinct secrets scrubbed from every message of the file

    def __init__(self, lines: list[str], secrets: Sequence[Span]) -> None:
        self.lines = lines
        self.by_line: dict[int, list[Span]] = {}
        for span in secrets:
            for number in range(span.line, span.end_line + 1):
                self.by_line.setdefault(number, []).append(span)
        self._redacted: dict[int, str] = {}
        texts = {_text_in(lines, span) for span in secrets}
        self.texts = sorted((t for t in texts if t), key=len, reverse=True)
        self.by_line_texts: dict[int, list[str]] = {}

    def line(self, number: int) -> str:
        done = self._redacted.get(number)
        if done is None:
            line = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
            spans = self.by_line.get(number)
            if spans:
                chars = list(line)
                for span in spans:
                    start = span.column - 1 if span.line == number else 0
                    end = span.end_column - 1 if span.end_line == number else len(chars)
                    chars[start:end] = list(redact("".join(chars[start:end])))
                line = "".join(chars)
            self._redacted[number] = done = line
        return done

    def text(self, span: Span) -> str:
        """The source text of a span, secrets masked (masks keep lengths, so columns hold)."""
        if span.line == span.end_line:
            return self.line(span.line)[span.column - 1 : span.end_column - 1]
        parts = [self.line(span.line)[span.column - 1 :]]
        parts += [self.line(n) for n in range(span.line + 1, span.end_line)]
        parts.append(self.line(span.end_line)[: span.end_column - 1])
        return "\n".join(parts)

    def message(self, message: str, report: Report) -> str:
        texts = self.texts
        if len(texts) > self._MESSAGE_SCRUB_LIMIT:  # pathological: the secrets near the report
            near = {
                _text_in(self.lines, s)
                for n in range(report.span.line, report.span.end_line + 1)
                for s in self.by_line.get(n, ())
            }
            near |= {_text_in(self.lines, s) for s in report.secrets}
            texts = sorted((t for t in near if t), key=len, reverse=True)
        return _scrub(message, texts)


def finalize(
    reports: Sequence[Report],
    data: bytes,
    text: str,
    metas: Mapping[str, RuleMetadata],
    severities: Mapping[str, Severity],
    errors: list[ScanError] | None = None,
) -> list[Finding]:
    """Turn rule reports for one file into findings: redact every marked secret from
    every snippet and message, add fingerprints and suppressions. A report whose span
    lies outside the file is a rule error (appended to ``errors``), never silently moved."""
    if not reports:
        return []
    lines = split_lines(text)
    suppressions = Suppressions(lines) if "prodready" in text else None
    valid: list[tuple[Report, Span]] = []
    secrets: list[Span] = []
    for report in sorted(reports, key=lambda r: (r.span.line, r.span.column, r.rule_id, r.message)):
        problem = _outside(report.span, lines) or next(filter(None, (_outside(s, lines) for s in report.secrets)), None)
        if problem is not None:
            if errors is not None:
                errors.append(ScanError(report.path, "rule-error", f"rule {report.rule_id} reported {problem}"))
            continue
        valid.append((report, _clamp(report.span, lines)))
        secrets.extend(_clamp(s, lines) for s in report.secrets)
    redactor = _Redactor(lines, secrets)
    hashed = data
    if redactor.texts:  # a line hash must not be an unsalted hash of a secret: hash it masked
        masked = text
        for secret in redactor.texts:  # newlines kept: a secret wrapped over lines keeps them
            masked = masked.replace(secret, _NOT_NEWLINE.sub("*", secret))
        hashed = masked.encode("utf-8", "surrogateescape")
    hashes = github_line_hashes(hashed, (span.line for _, span in valid))
    occurrences: dict[tuple[str, str], int] = {}
    findings = []
    for report, span in valid:
        meta = metas[report.rule_id]
        code = redactor.text(span)
        key = (report.rule_id, " ".join(code.split()))
        occurrences[key] = occurrences.get(key, 0) + 1
        snippet = redactor.line(span.line)
        if len(snippet) > _SNIPPET_LIMIT:
            snippet = snippet[:_SNIPPET_LIMIT] + "…"
        suppression = suppressions.find(meta, span.line, span.end_line) if suppressions else None
        findings.append(
            Finding(
                rule_id=report.rule_id,
                message=redactor.message(report.message, report),
                severity=severities.get(report.rule_id, report.severity),
                confidence=report.confidence,
                location=Location(report.path, span),
                checklist=meta.checklist,
                fingerprint=fingerprint(report.rule_id, report.path, code, occurrences[key]),
                line_hash=hashes.get(span.line, ""),
                snippet=snippet,
                suppression=suppression,
            )
        )
    return findings


def _outside(span: Span, lines: list[str]) -> str | None:
    """Why a span cannot be in this file, or None. The end may sit just past a line's last
    character (end columns are exclusive, and a span may cover the line break)."""
    count = len(lines)
    if span.line > count or span.end_line > count:
        return f"a span at line {max(span.line, span.end_line)}, past the end of the file ({count} lines)"
    if span.column > len(lines[span.line - 1]) + 1:
        return f"a span at {span.line}:{span.column}, past the end of line {span.line}"
    if span.end_column > len(lines[span.end_line - 1]) + 2:
        return f"a span ending at {span.end_line}:{span.end_column}, past the end of line {span.end_line}"
    return None


def _clamp(span: Span, lines: list[str]) -> Span:
    """Normalise a span inside the file (an end just past the line break stays on it)."""
    last = max(len(lines), 1)
    line = min(span.line, last)
    end_line = min(max(span.end_line, line), last)
    width = len(lines[line - 1]) + 1 if lines else 1
    column = min(span.column, width)
    end_width = len(lines[end_line - 1]) + 1 if lines else 1
    end_column = min(span.end_column, end_width + 1)
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Span(line, column, end_line, end_column)


class Analyzer:
    """Runs rules on files; one instance per worker process."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.rules: dict[str, Rule] = {}
        self.metas: dict[str, RuleMetadata] = {}
        self.matchers = Matchers()
        self.severities = dict(spec.severities)
        self.current_rule: str | None = None  # which rule a time budget ran out in
        for rule_class in spec.rules:
            meta = rule_class.metadata()
            self.rules[meta.id] = rule_class(spec.settings.get(meta.id, {}))
            self.metas[meta.id] = meta
            triggers = meta.collect_triggers if meta.repo_level else meta.triggers
            self.matchers.add(meta.id, triggers, meta.triggers_ignore_case)

    def triggered(self, rule_ids: Sequence[str], data: bytes) -> list[str]:
        return self.matchers.triggered(rule_ids, data)

    def analyze(self, task: FileTask) -> FileResult:
        self.current_rule = None
        relpath, data = task.relpath, task.data
        if b"\x00" in data[:_BINARY_PROBE] and _wide_encoding(data) is None:
            return FileResult(
                relpath, "failed", errors=(ScanError(relpath, "binary", "binary content (NUL bytes); not analyzed"),)
            )
        rule_ids = self.triggered(task.rule_ids, data)
        # Even a file no rule needs is loaded: whether it holds some rule's trigger must
        # not decide whether its bad encoding, syntax error or broken YAML is reported.
        try:
            text = decode(data, task.kind)
            file = load_model(relpath, task.kind, text)
        except SourceError as error:
            return _failed(relpath, error)
        if not rule_ids:
            return FileResult(relpath, "skipped")
        reports: list[Report] = []
        errors: list[ScanError] = []
        facts: list[tuple[str, Any]] = []
        for rule_id in rule_ids:
            rule = self.rules[rule_id]
            sink: list[Report] = []
            ctx = Context(file, self.metas[rule_id], rule.settings, sink)
            self.current_rule = rule_id
            try:
                if isinstance(rule, RepoRule):
                    collected = rule.collect(file, ctx)
                    if collected is not None:
                        facts.append((rule_id, _json_data(collected)))
                else:
                    rule.check(file, ctx)
            except SourceError as error:  # the shared facts could not be built: the file failed
                return _failed(relpath, error)
            except RecursionError:
                errors.append(ScanError(relpath, "too-complex", f"rule {rule_id} gave up: the code nests too deeply"))
                continue
            except Exception as error:
                errors.append(
                    ScanError(
                        relpath,
                        "rule-crash",
                        f"rule {rule_id} crashed: {type(error).__name__}: {error}",
                        detail=traceback.format_exc(),
                    )
                )
                continue
            reports.extend(sink)
        self.current_rule = None
        findings = finalize(reports, data, text, self.metas, self.severities, errors)
        return FileResult(relpath, "parsed", tuple(findings), tuple(errors), tuple(facts))
