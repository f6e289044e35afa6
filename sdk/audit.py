"""Known vulnerabilities of pinned Python packages, through pip-audit's library.

The dependency audit queries a vulnerability service, so it runs only when the user asks
for it (``prodready-lint scan --audit-deps``, or ``audit-deps = true`` in the
configuration). A repository rule learns that it was asked for from
:attr:`RepoContext.audit <prodready_lint.sdk.RepoContext.audit>`: ``None`` when it was
not, else an :class:`AuditRequest` with the timeout, the service URL and the offline data
file to use. It then calls :func:`audit_packages` from ``check_repo`` (which runs once, in
the main process) and reports what could not be audited with
:meth:`RepoContext.could_not_audit <prodready_lint.sdk.RepoContext.could_not_audit>`,
never as clean.

:func:`audit_packages` is a thin adapter over pip-audit's ``OsvService`` (the OSV query
API: ``POST {"package": {"name", "ecosystem": "PyPI"}, "version"}`` to
``https://api.osv.dev/v1/query`` or a mirror) and its ``Auditor``, which merges advisories
known under several ids. pip-audit's library API is not promised stable, so the project
pins it to a tested range (``pip install 'prodready-lint[audit]'``); everything pip-audit
raises, and the service being unreachable, becomes a reason per package. An offline OSV
data file (a JSON list of OSV records, one record, ``{"vulns": [...]}``, or JSON lines)
can be given instead of the service: it is matched here, without pip-audit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

__all__ = [
    "DEFAULT_OSV_URL",
    "PIP_AUDIT_RANGE",
    "AuditRequest",
    "PackageAudit",
    "Vulnerability",
    "audit_packages",
    "load_osv_data",
]

DEFAULT_OSV_URL = "https://api.osv.dev/v1/query"
# The pip-audit versions this adapter is tested with (also pinned in pyproject.toml).
PIP_AUDIT_RANGE = (Version("2.10"), Version("2.11"))


@attrs.frozen(slots=True)
class AuditRequest:
    """The user asked for the dependency audit: how to run it.

    ``timeout`` (seconds) bounds the whole audit; ``service_url`` is the OSV query
    endpoint (``None``: the public one); ``data_file`` an absolute path to an offline OSV
    data file used instead of any service.
    """

    timeout: float = 60.0
    service_url: str | None = None
    data_file: str | None = None


@attrs.frozen(slots=True)
class Vulnerability:
    """One advisory against one package version: its id (PYSEC first, as pip-audit
    orders them), the other ids it is known by (CVEs, GHSAs), the versions that fix it
    (ascending) and a one-line summary."""

    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]
    summary: str

    @property
    def cves(self) -> tuple[str, ...]:
        return tuple(a for a in (self.id, *self.aliases) if a.startswith("CVE-"))


@attrs.frozen(slots=True)
class PackageAudit:
    """The audit of one ``(name, version)``: its vulnerabilities, or why it could not be
    audited (``error``; then ``vulnerabilities`` is empty and means nothing)."""

    name: str
    version: str
    vulnerabilities: tuple[Vulnerability, ...] = ()
    error: str | None = None

    @property
    def audited(self) -> bool:
        return self.error is None


def audit_packages(packages: Iterable[tuple[str, str]], request: AuditRequest) -> dict[tuple[str, str], PackageAudit]:
    """Audit each ``(name, version)`` (deduplicated by canonical name) and return the
    result per ``(canonical name, version)``. Never raises for a service problem: each
    package the audit could not cover has an ``error`` saying why."""
    wanted = sorted({(canonicalize_name(name), str(version)) for name, version in packages})
    if not wanted:
        return {}
    if request.data_file:
        try:
            records = load_osv_data(request.data_file)
        except (OSError, ValueError) as error:
            reason = f"cannot read the OSV data file {request.data_file}: {error}"
            return {key: PackageAudit(*key, error=reason) for key in wanted}
        return {key: PackageAudit(*key, vulnerabilities=_match_offline(records, *key)) for key in wanted}
    return _audit_online(wanted, request)


# -- the service, through pip-audit ------------------------------------------------


def _pip_audit_problem() -> str | None:
    try:
        import pip_audit
    except ImportError:
        return "pip-audit is not installed (pip install 'prodready-lint[audit]')"
    try:
        version = Version(pip_audit.__version__)
    except (AttributeError, InvalidVersion):
        return "pip-audit's version cannot be read"
    low, high = PIP_AUDIT_RANGE
    if not low <= version < high:
        return f"pip-audit {version} is outside the tested range >={low},<{high}"
    return None


def _audit_online(wanted: Sequence[tuple[str, str]], request: AuditRequest) -> dict[tuple[str, str], PackageAudit]:
    problem = _pip_audit_problem()
    if problem is not None:
        return {key: PackageAudit(*key, error=problem) for key in wanted}
    import requests
    from pip_audit._audit import Auditor
    from pip_audit._dependency_source import DependencySource
    from pip_audit._service import ResolvedDependency, ServiceError
    from pip_audit._service.osv import OsvService

    url = request.service_url or DEFAULT_OSV_URL
    deadline = time.monotonic() + request.timeout
    results: dict[tuple[str, str], PackageAudit] = {}
    resolvable: list[tuple[str, str]] = []
    for name, version in wanted:
        try:
            Version(version)
        except InvalidVersion:
            results[(name, version)] = PackageAudit(name, version, error=f"{version!r} is not a version")
            continue
        resolvable.append((name, version))

    class _Pinned(DependencySource):  # pip-audit's interface: the packages to audit
        def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
            self.keys = keys

        def collect(self) -> Iterator[Any]:
            for name, version in self.keys:
                yield ResolvedDependency(name=name, version=Version(version))

        def fix(self, fix_version: Any) -> None:  # pragma: no cover - never asked to fix
            raise NotImplementedError

    service = OsvService(timeout=max(1, int(request.timeout)), osv_url=url)
    service.session = requests.Session()  # no cache: an answer from an earlier day is not today's
    auditor = Auditor(service)
    for index, key in enumerate(resolvable):
        left = deadline - time.monotonic()
        if left <= 0:
            reason = f"the audit ran out of its {request.timeout:g}s timeout"
            results.update((k, PackageAudit(*k, error=reason)) for k in resolvable[index:])
            break
        service.timeout = max(0.5, left)
        try:
            for _dependency, found in auditor.audit(_Pinned([key])):
                results[key] = PackageAudit(*key, vulnerabilities=tuple(_vulnerability(v) for v in found))
        except (ServiceError, requests.RequestException, ValueError, KeyError, TypeError) as error:
            # The service is down or broken: the rest would fail the same way, slowly.
            reason = _service_reason(url, error)
            results.update((k, PackageAudit(*k, error=reason)) for k in resolvable[index:])
            break
    return results


def _service_reason(url: str, error: BaseException) -> str:
    import requests

    if isinstance(error, requests.Timeout):
        return f"the vulnerability service {url} did not answer in time"
    if isinstance(error, requests.ConnectionError):
        return f"the vulnerability service {url} cannot be reached"
    cause = error.__cause__ or error.__context__
    if isinstance(cause, requests.HTTPError) and cause.response is not None:
        return f"the vulnerability service {url} answered HTTP {cause.response.status_code}"
    text = str(error) or type(error).__name__
    if "connect" in text.lower():
        return f"the vulnerability service {url} cannot be reached"
    return f"the vulnerability service {url} failed: {text}"


def _vulnerability(result: Any) -> Vulnerability:
    aliases = tuple(sorted(str(a) for a in result.aliases))
    return Vulnerability(
        id=str(result.id),
        aliases=aliases,
        fixed_in=tuple(str(v) for v in result.fix_versions),
        summary=" ".join(str(result.description).split()),
    )


# -- the offline OSV data file -------------------------------------------------------


def load_osv_data(path: str) -> dict[str, list[dict[str, Any]]]:
    """Read an offline OSV data file into its PyPI records per canonical package name.
    Raises ``OSError`` or ``ValueError`` (not JSON, not OSV)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise ValueError(f"not JSON or JSON lines: {error}") from None
    if isinstance(data, dict):
        data = data.get("vulns", [data]) if "id" not in data else [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
        raise ValueError("expected OSV records: a list of objects with an 'id'")
    by_name: dict[str, list[dict[str, Any]]] = {}
    for record in data:
        names = {
            canonicalize_name(str(affected.get("package", {}).get("name", "")))
            for affected in record.get("affected") or ()
            if isinstance(affected, dict) and affected.get("package", {}).get("ecosystem") == "PyPI"
        }
        for name in names:
            by_name.setdefault(name, []).append(record)
    return by_name


def _version(text: Any) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def _affects(affected: dict[str, Any], version: Version) -> bool:
    if any(_version(v) == version for v in affected.get("versions") or ()):
        return True
    for span in affected.get("ranges") or ():
        if span.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        inside = False
        events = sorted(
            (e for e in span.get("events") or () if isinstance(e, dict)),
            key=lambda e: _version(next(iter(e.values()))) or Version("0"),
        )
        for event in events:
            if "introduced" in event:
                start = Version("0") if event["introduced"] == "0" else _version(event["introduced"])
                if start is not None and version >= start:
                    inside = True
            elif "fixed" in event:
                fixed = _version(event["fixed"])
                if fixed is not None and version >= fixed:
                    inside = False
            elif "last_affected" in event:
                last = _version(event["last_affected"])
                if last is not None and version > last:
                    inside = False
        if inside:
            return True
    return False


def _match_offline(records: dict[str, list[dict[str, Any]]], name: str, version: str) -> tuple[Vulnerability, ...]:
    parsed = _version(version)
    if parsed is None:
        return ()
    found: list[Vulnerability] = []
    seen: set[str] = set()
    for record in records.get(name, ()):
        if record.get("withdrawn") or record["id"] in seen:
            continue
        mine = [
            a
            for a in record.get("affected") or ()
            if a.get("package", {}).get("ecosystem") == "PyPI"
            and canonicalize_name(str(a["package"].get("name", ""))) == name
        ]
        if not any(_affects(a, parsed) for a in mine):
            continue
        fixed = sorted(
            {
                Version(e["fixed"])
                for a in mine
                for r in a.get("ranges") or ()
                for e in r.get("events") or ()
                if "fixed" in e and _version(e["fixed"]) is not None
            }
        )
        ids = [str(record["id"]), *(str(a) for a in record.get("aliases") or ())]
        ids.sort(key=lambda i: 1 if i.startswith("PYSEC") else 2 if i.startswith("CVE") else 3)
        if seen.intersection(ids):
            continue
        seen.update(ids)
        summary = record.get("summary") or record.get("details") or "N/A"
        found.append(
            Vulnerability(
                id=ids[0],
                aliases=tuple(sorted(set(ids[1:]))),
                fixed_in=tuple(str(v) for v in fixed),
                summary=" ".join(str(summary).split()),
            )
        )
    return tuple(found)
