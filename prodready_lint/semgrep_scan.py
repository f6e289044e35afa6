"""Run a scan's Semgrep YAML rules: one ``semgrep`` process, every rule batched, on the
files the scan selected, offline.

Imported only by scans that select a Semgrep rule, so other scans never pay for it.
The process starts before the native analysis and is collected after it, so the two
overlap. Each file's Semgrep results are cached like native ones (keyed by the file's
content, the rule set's digest, the semgrep version and the exact rules sent to it)
and go through the same pipeline: per-file-ignores before the run, then
:func:`~prodready_lint.analysis.finalize` for suppressions, redaction, severity
overrides and fingerprints.

``semgrep`` runs as ``semgrep scan --experimental``: the OCaml command line, which starts
in about 0.7 s where the Python one takes about 8 s on the reference machine
(``benchmarks/semgrep_cost.py``), with ``--metrics off --disable-version-check`` and
a rules file of its own (no registry, no network).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from prodready_lint.analysis import FileResult, decode, finalize
from prodready_lint.cache import ResultCache, signature_of
from prodready_lint.discovery import Target
from prodready_lint.errors import ScanError, SourceError
from prodready_lint.registry import RuleSet
from prodready_lint.sdk.model import Span
from prodready_lint.sdk.rule import Report, RuleMetadata

__all__ = ["SemgrepScan", "semgrep_executable"]

_SECRET_MARK = "\n@@prodready-secret@@"
_ENVIRONMENT = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
_BOM = b"\xef\xbb\xbf"


def semgrep_executable() -> str | None:
    """``$PRODREADY_LINT_SEMGREP`` when set, else the ``semgrep`` installed next to this
    interpreter, else the one on ``PATH``."""
    chosen = os.environ.get("PRODREADY_LINT_SEMGREP")
    if chosen:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    beside = Path(sys.executable).parent / "semgrep"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("semgrep")


def _semgrep_version() -> str:
    try:
        return importlib.metadata.version("semgrep")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def semgrep_config(metas: Sequence[RuleMetadata], rules: Mapping[str, Mapping[str, Any]]) -> str:
    """The one rules file given to semgrep: every selected rule, under its rule id, with
    a marker that makes semgrep hand back the text of a secret metavariable."""
    out = []
    for meta in metas:
        rule = dict(rules[meta.id])
        rule["id"] = meta.id
        secret = rule.get("metadata", {}).get("secret")
        if isinstance(secret, str):
            rule["message"] = f"{rule['message']}{_SECRET_MARK}{secret}"
        out.append(rule)
    return json.dumps({"rules": out}, sort_keys=True, default=str)  # JSON is YAML


def _span(data: bytes, start: int, end: int) -> Span:
    """A span from semgrep's byte offsets, in the characters the engine counts."""

    def position(offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(data)))
        line_start = data.rfind(b"\n", 0, offset) + 1
        if line_start == 0 and data.startswith(_BOM):
            line_start = min(len(_BOM), offset)
        column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
        return data.count(b"\n", 0, offset) + 1, column

    line, column = position(start)
    end_line, end_column = position(end)
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Span(line, column, end_line, end_column)


def _rule_names(ids: Sequence[str]) -> str:
    return ", ".join(sorted(ids))


class SemgrepScan:
    """One scan's Semgrep work: cache lookups and the process in :meth:`start`, results
    in :meth:`finish`."""

    def __init__(
        self,
        ruleset: RuleSet,
        targets: Sequence[Target],
        cache_dir: Path | None,
        *,
        timeout: float,
        max_bytes: int,
        jobs: int,
    ) -> None:
        self.ruleset = ruleset
        self.metas = {meta.id: meta for meta in ruleset.metadata}
        self.rules = {r.metadata().id: r for r in ruleset.semgrep_rules}
        self.config = semgrep_config(
            [self.metas[i] for i in sorted(self.rules)], {i: r.semgrep_rule for i, r in self.rules.items()}
        )
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.jobs = jobs
        self.version = _semgrep_version()
        self.cache = None
        if cache_dir is not None:
            digest = hashlib.blake2b(self.config.encode(), digest_size=12).hexdigest()
            self.cache = ResultCache(cache_dir, f"{ruleset.digest}-semgrep-{self.version}-{digest}")
        self.wanted: dict[str, tuple[str, ...]] = {}
        self.targets = {t.relpath: t for t in targets}
        for target in targets:
            ids = ruleset.semgrep_rules_for(target.relpath, target.kind)
            if ids:
                self.wanted[target.relpath] = ids
        self.results: dict[str, FileResult] = {}
        self.pending: dict[str, tuple[str, Any]] = {}  # relpath -> (content hash, signature)
        self.errors: list[ScanError] = []
        self.process: subprocess.Popen | None = None
        self.workdir: tempfile.TemporaryDirectory | None = None

    @property
    def scanned(self) -> set[str]:
        return set(self.wanted)

    def start(self) -> None:
        """Serve unchanged files from the cache and start semgrep on the rest."""
        for relpath, ids in self.wanted.items():
            target = self.targets[relpath]
            try:
                info = os.stat(target.abspath)
                signature = signature_of(info)
                if self.cache is not None:
                    hit = self.cache.lookup(relpath, signature, ids)
                    if hit is not None:
                        self.results[relpath] = hit
                        continue
                if info.st_size > self.max_bytes:
                    continue  # the native side reports it as too large
                with open(target.abspath, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue  # the native side reports what cannot be read
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if self.cache is not None:
                hit = self.cache.get(relpath, digest, ids, signature)
                if hit is not None:
                    self.results[relpath] = hit
                    continue
            self.pending[relpath] = (digest, signature)
        if not self.pending:
            return
        executable = semgrep_executable()
        if executable is None:
            self._fail(
                "semgrep is not installed, so these Semgrep rules did not run: {rules}; "
                "install it with: pip install 'prodready-lint[semgrep]'"
            )
            return
        self.workdir = tempfile.TemporaryDirectory(prefix="prodready-semgrep-")
        config = Path(self.workdir.name) / "rules.yaml"
        config.write_text(self.config, encoding="utf-8")
        command = [
            executable,
            "scan",
            "--experimental",
            "--config",
            str(config),
            "--json",
            "--quiet",
            "--metrics",
            "off",
            "--disable-version-check",
            "--no-git-ignore",
            "--timeout",
            f"{self.timeout:g}",
            "--max-target-bytes",
            str(self.max_bytes),
            "--jobs",
            str(max(1, self.jobs)),
            "--",
            *(self.targets[relpath].abspath for relpath in self.pending),
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, **_ENVIRONMENT},
                cwd=self.workdir.name,
            )
        except OSError as error:
            self._fail(f"semgrep could not be started ({error.strerror or error}); these rules did not run: {{rules}}")

    def _fail(self, message: str, ids: Sequence[str] | None = None) -> None:
        ids = sorted(ids if ids is not None else self.rules)
        self.errors.append(ScanError("", "semgrep", message.format(rules=_rule_names(ids))))
        self.pending.clear()

    def _wait(self) -> dict[str, Any] | None:
        assert self.process is not None
        limit = max(120.0, self.timeout * 3) + 0.05 * len(self.pending)
        try:
            stdout, stderr = self.process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            self._fail(f"semgrep did not finish within {limit:g} s and was stopped; these rules did not run: {{rules}}")
            return None
        try:
            output = json.loads(stdout)
        except ValueError:
            output = None
        if not isinstance(output, dict) or not isinstance(output.get("results"), list):
            reason = (stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
            self._fail(
                f"semgrep failed (exit status {self.process.returncode}: {reason}); these rules did not run: {{rules}}"
            )
            return None
        return output

    def finish(self) -> tuple[dict[str, FileResult], list[ScanError]]:
        """Every file's Semgrep result (findings and problems), and problems not tied to a
        file (semgrep missing or failing, a rule it rejected)."""
        try:
            if self.process is not None:
                output = self._wait()
                if output is not None:
                    self._collect(output)
        finally:
            if self.workdir is not None:
                self.workdir.cleanup()
            if self.cache is not None:
                self.cache.save()
        return self.results, self.errors

    def _collect(self, output: dict[str, Any]) -> None:
        by_path = {self.targets[relpath].abspath: relpath for relpath in self.pending}
        rejected: set[str] = set()
        file_errors: dict[str, list[ScanError]] = {}
        for error in output.get("errors") or ():
            if not isinstance(error, dict):
                continue
            relpath = by_path.get(str(error.get("path", "")))
            kind = error.get("type")
            kind = kind[0] if isinstance(kind, list) and kind else str(kind)
            rule_id = str(error.get("rule_id") or "")
            if relpath is not None:
                if "Timeout" in kind:
                    where = f" in rule {rule_id}" if rule_id else ""
                    message = f"Semgrep took longer than the {self.timeout:g} s budget{where}; stopped"
                    file_errors.setdefault(relpath, []).append(ScanError(relpath, "timeout", message))
                continue  # partial parsing and the like: the native loaders report syntax errors
            if error.get("level") == "error":
                message = " ".join(str(error.get("message", kind)).split())
                ids = [rule_id] if rule_id in self.rules else sorted(self.rules)
                rejected.update(ids)
                self.errors.append(
                    ScanError("", "semgrep", f"semgrep rejected {_rule_names(ids)}: {message}; it did not run")
                )
        reports: dict[str, list[dict[str, Any]]] = {}
        for match in output["results"]:
            relpath = by_path.get(str(match.get("path", "")))
            if relpath is not None:
                reports.setdefault(relpath, []).append(match)
        for relpath, (digest, signature) in self.pending.items():
            result = self._file_result(relpath, digest, reports.get(relpath, []), file_errors.get(relpath, []))
            self.results[relpath] = result
            if self.cache is not None and not rejected and not result.errors:
                self.cache.put(relpath, digest, self.wanted[relpath], result, signature)

    def _file_result(
        self, relpath: str, digest: str, matches: list[dict[str, Any]], errors: list[ScanError]
    ) -> FileResult:
        target = self.targets[relpath]
        try:
            data = Path(target.abspath).read_bytes()
            if hashlib.blake2b(data, digest_size=16).hexdigest() != digest:
                raise SourceError("changed", "the file changed while Semgrep read it; run the scan again")
            text = decode(data, target.kind)
        except (OSError, SourceError) as error:
            problem = ScanError(relpath, "semgrep", f"Semgrep results not reported here: {error}")
            return FileResult(relpath, "failed", errors=(problem, *errors))
        wanted = set(self.wanted[relpath])
        out: list[Report] = []
        for match in matches:
            rule_id = str(match.get("check_id", "")).rpartition(".")[2]
            if rule_id not in wanted:
                continue
            meta = self.metas[rule_id]
            try:
                span = _span(data, int(match["start"]["offset"]), int(match["end"]["offset"]))
            except (KeyError, TypeError, ValueError):
                continue
            message = str(match.get("extra", {}).get("message", meta.summary))
            message, secret_text = ([*message.split(_SECRET_MARK, 1), ""])[:2]
            secrets: tuple[Span, ...] = ()
            if self.rules[rule_id].secret is True:
                secrets = (span,)
            elif secret_text:
                secrets = _secret_spans(data, span, match, secret_text)
            out.append(Report(rule_id, relpath, span, message.strip(), meta.severity, meta.confidence, secrets))
        problems = list(errors)
        findings = finalize(out, data, text, self.metas, self.ruleset.severities, problems)
        return FileResult(relpath, "parsed", tuple(findings), tuple(problems))


def _secret_spans(data: bytes, span: Span, match: dict[str, Any], secret: str) -> tuple[Span, ...]:
    """Where the text bound to a secret metavariable sits inside the match."""
    start, end = int(match["start"]["offset"]), int(match["end"]["offset"])
    needle = secret.encode("utf-8")
    found = data.find(needle, start, end) if needle else -1
    if found < 0:
        return (span,)  # not found as written: the whole match is treated as secret
    return (_span(data, found, found + len(needle)),)
