"""Semgrep YAML rules as rules of a pack: read here, run by the real ``semgrep``.

A Semgrep rule file is the ordinary Semgrep format. What prodready-lint needs besides
Semgrep's own keys lives in each rule's ``metadata``, so the same file also runs under
``semgrep`` alone::

    rules:
      - id: NWD004                      # a rule id of this SDK, with the vendor's prefix
        languages: [python]
        severity: WARNING               # ERROR, WARNING, INFO (or CRITICAL ... LOW)
        message: print() in service code; log through logging instead
        pattern: print(...)
        metadata:
          name: print-in-service        # kebab-case, unique in the pack
          checklist: [structured-logging]
          cwe: ["CWE-532: Insertion of Sensitive Information into Log File"]
          confidence: MEDIUM
          references: [https://docs.python.org/3/howto/logging.html]
          docs: |                       # the rule's documentation, as a rule docstring
            print() in service code.

            ## What it does
            ...

Optional metadata: ``summary`` (one line; the docs' first line by default),
``severity`` in this SDK's words (``info`` ... ``critical``; overrides the Semgrep
severity), ``kinds`` (the file kinds to give the rule; derived from ``languages``), and
``secret`` (``true`` marks the whole match as a secret, ``$NAME`` the text bound to a
metavariable: it is redacted from every snippet and message, like a native rule's
``secrets=``).

Reading the file needs no ``semgrep``: a pack lists, tests and documents its YAML rules
anywhere; scanning with them needs ``semgrep`` installed (``prodready-lint[semgrep]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

from .model import Confidence, FileKind, Severity
from .rule import Context, Rule, RuleDefinitionError

__all__ = ["SemgrepRule", "semgrep_rules"]

# Semgrep's severities (old and new words) in this SDK's.
_SEVERITY = {
    "ERROR": Severity.HIGH,
    "WARNING": Severity.MEDIUM,
    "INFO": Severity.LOW,
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "EXPERIMENT": Severity.INFO,
    "INVENTORY": Severity.INFO,
}
_EVERY_KIND = frozenset(FileKind)
_KINDS = {
    "python": FileKind.PYTHON,
    "python3": FileKind.PYTHON,
    "py": FileKind.PYTHON,
    "dockerfile": FileKind.DOCKERFILE,
    "docker": FileKind.DOCKERFILE,
    "yaml": FileKind.YAML,
    "terraform": FileKind.TERRAFORM,
    "hcl": FileKind.TERRAFORM,
    "tf": FileKind.TERRAFORM,
    "json": FileKind.JSON,
    "bash": FileKind.SHELL,
    "sh": FileKind.SHELL,
}
_ANY_LANGUAGE = ("generic", "regex", "none")
_PATTERN_KEYS = ("pattern", "patterns", "pattern-either", "pattern-regex", "match", "mode")
_CWE = re.compile(r"^\s*CWE-(\d+)\b", re.IGNORECASE)
_METAVARIABLE = re.compile(r"^\$[A-Z_][A-Z0-9_]*$")


class SemgrepRule(Rule):
    """A rule read from a Semgrep YAML file. Never run file by file: the engine batches
    every selected Semgrep rule of a scan into one ``semgrep`` process."""

    semgrep_rule: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    semgrep_file: ClassVar[str] = ""
    secret: ClassVar[str | bool] = False

    def check(self, file: Any, ctx: Context) -> None:  # pragma: no cover - run by semgrep
        return None


def _cwe(where: str, value: Any) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            out.append(item)
            continue
        match = _CWE.match(item) if isinstance(item, str) else None
        if match is None:
            raise RuleDefinitionError(f"{where}: metadata.cwe entries are like 'CWE-532: ...', got {item!r}")
        out.append(int(match.group(1)))
    return tuple(out)


def _kinds(where: str, rule: Mapping[str, Any], metadata: Mapping[str, Any]) -> frozenset[FileKind]:
    declared = metadata.get("kinds")
    if declared is not None:
        if not isinstance(declared, list) or not declared:
            raise RuleDefinitionError(f"{where}: metadata.kinds must be a list of file kinds, like [python]")
        try:
            return frozenset(FileKind(str(kind).lower()) for kind in declared)
        except ValueError:
            choices = ", ".join(kind.value for kind in FileKind)
            raise RuleDefinitionError(f"{where}: metadata.kinds {declared!r}: kinds are {choices}") from None
    languages = rule.get("languages")
    if not isinstance(languages, list) or not languages:
        raise RuleDefinitionError(f"{where}: 'languages' must be a non-empty list, like [python]")
    kinds: set[FileKind] = set()
    for language in languages:
        name = str(language).lower()
        if name in _ANY_LANGUAGE:
            return _EVERY_KIND
        if name not in _KINDS:
            raise RuleDefinitionError(
                f"{where}: prodready-lint scans no files of language {language!r}; "
                "declare the file kinds to give the rule in metadata.kinds"
            )
        kinds.add(_KINDS[name])
    return frozenset(kinds)


def _severity(where: str, rule: Mapping[str, Any], metadata: Mapping[str, Any]) -> Severity:
    if "severity" in metadata:
        try:
            return Severity.parse(str(metadata["severity"]))
        except ValueError as error:
            raise RuleDefinitionError(f"{where}: metadata.severity: {error}") from None
    word = str(rule.get("severity", "")).upper()
    if word not in _SEVERITY:
        raise RuleDefinitionError(f"{where}: severity must be one of {', '.join(_SEVERITY)}, got {word or None!r}")
    return _SEVERITY[word]


def _confidence(where: str, metadata: Mapping[str, Any]) -> Confidence:
    value = str(metadata.get("confidence", "HIGH")).lower()
    try:
        return Confidence(value)
    except ValueError:
        raise RuleDefinitionError(f"{where}: metadata.confidence must be HIGH, MEDIUM or LOW, got {value!r}") from None


def _secret(where: str, metadata: Mapping[str, Any]) -> str | bool:
    value = metadata.get("secret", False)
    if isinstance(value, bool) or (isinstance(value, str) and _METAVARIABLE.match(value)):
        return value
    raise RuleDefinitionError(f"{where}: metadata.secret must be true or a metavariable such as $VALUE")


def _rule_class(path: Path, rule: Any, index: int) -> type[SemgrepRule]:
    where = f"{path}: rule #{index + 1}"
    if not isinstance(rule, Mapping):
        raise RuleDefinitionError(f"{where}: each entry of 'rules' must be a mapping")
    where = f"{path}: rule {rule.get('id')!r}"
    metadata = rule.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise RuleDefinitionError(f"{where}: metadata must be a mapping")
    if not isinstance(rule.get("message"), str):
        raise RuleDefinitionError(f"{where}: 'message' must be a string")
    if not any(key in rule for key in _PATTERN_KEYS):
        raise RuleDefinitionError(f"{where}: no pattern ({', '.join(_PATTERN_KEYS[:4])}, ...)")
    docs = metadata.get("docs")
    if not isinstance(docs, str):
        raise RuleDefinitionError(f"{where}: metadata.docs must hold the rule's documentation (see the SDK docs)")
    summary = metadata.get("summary") or (docs.strip().splitlines() or [""])[0].strip().rstrip(".")
    references = metadata.get("references", [])
    namespace = {
        "__doc__": docs,
        "__module__": __name__,
        "__qualname__": f"SemgrepRule[{rule.get('id')}]",
        "id": rule.get("id"),
        "name": metadata.get("name"),
        "summary": summary,
        "checklist": tuple(metadata.get("checklist") or ()),
        "severity": _severity(where, rule, metadata),
        "confidence": _confidence(where, metadata),
        "cwe": _cwe(where, metadata.get("cwe", [])),
        "kinds": _kinds(where, rule, metadata),
        "references": tuple(references) if isinstance(references, list) else references,
        "tags": ("semgrep",),
        "semgrep_rule": MappingProxyType(dict(rule)),
        "semgrep_file": str(path),
        "secret": _secret(where, metadata),
    }
    try:
        return type(f"SemgrepRule_{rule.get('id')}", (SemgrepRule,), namespace)
    except RuleDefinitionError as error:
        raise RuleDefinitionError(f"{path}: {error}") from None


def semgrep_rules(path: str | Path) -> tuple[type[SemgrepRule], ...]:
    """The rules of one Semgrep YAML file, as rule classes to put in a
    :class:`~prodready_lint.sdk.RulePack`; :class:`RuleDefinitionError` names the file,
    the rule and the mistake."""
    import yaml

    path = Path(path).resolve()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RuleDefinitionError(f"{path}: cannot read the Semgrep rules: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RuleDefinitionError(f"{path}: not valid YAML: {error}") from None
    rules = document.get("rules") if isinstance(document, Mapping) else None
    if not isinstance(rules, list) or not rules:
        raise RuleDefinitionError(f"{path}: a Semgrep rule file holds a non-empty list under 'rules:'")
    return tuple(_rule_class(path, rule, index) for index, rule in enumerate(rules))
