"""Docker Compose files: which YAML files are Compose files, and their services.

:func:`is_compose_file` knows a Compose file by its name (``docker-compose*.yml``,
``compose*.yaml``...) or, under any other name, by a top-level ``services`` mapping
whose entries look like Compose services. :func:`compose_services` yields each service
with the fields rules ask about, every one with its spans; environment variables come
as :class:`EnvVar` in both spellings (``- KEY=value`` and ``KEY: value``), each with
the span of its name and of its value, so a secrets rule can report and redact exactly.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

import attrs

from .model import Span
from .yaml_model import Field, YamlFile, YamlMapping, YamlSequence

__all__ = [
    "COMPOSE_FILE_NAMES",
    "ComposeService",
    "EnvVar",
    "compose_services",
    "interpolate",
    "is_compose_file",
]

COMPOSE_FILE_NAMES = ("docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml")
"""The file names Docker Compose reads (``docker-compose.override.yml``, ``compose.prod.yaml``...)."""

# Keys of the Compose specification's service definition
_SERVICE_KEYS = frozenset(
    """annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name
    cpu_count cpu_percent cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec
    depends_on deploy develop device_cgroup_rules devices dns dns_opt dns_search domainname driver_opts entrypoint
    env_file environment expose extends external_links extra_hosts gpus group_add healthcheck hostname image init
    ipc isolation label_file labels links logging mac_address mem_limit mem_reservation mem_swappiness memswap_limit
    models network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop
    privileged profiles provider pull_policy read_only restart runtime scale secrets security_opt shm_size
    stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs tty ulimits use_api_socket user userns_mode
    uts volumes volumes_from working_dir""".split()  # noqa: SIM905 - a word list reads better than 90 strings
)
_DEFINING_KEYS = frozenset({"image", "build", "extends"})


def _is_service(node: Any) -> bool:
    return isinstance(node, YamlMapping) and all(
        isinstance(key, str) and (key in _SERVICE_KEYS or key.startswith("x-")) for key in node
    )


def _services_node(document: Any) -> YamlMapping | None:
    if not isinstance(document, YamlMapping):
        return None
    services = document.get("services")
    return services if isinstance(services, YamlMapping) and services else None


def is_compose_file(file: YamlFile) -> bool:
    """A Compose file: named like one, or holding a top-level ``services`` mapping whose
    every entry uses only Compose service keys and one of which has an ``image``,
    ``build`` or ``extends``."""
    name = file.path.rsplit("/", 1)[-1]
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in COMPOSE_FILE_NAMES):
        return True
    for document in file.documents:
        services = _services_node(document)
        if services is None:
            continue
        if all(_is_service(service) for service in services.values()) and any(
            _DEFINING_KEYS & service.keys() for service in services.values()
        ):
            return True
    return False


@attrs.frozen(slots=True)
class EnvVar:
    """One environment variable of a service. ``value`` is the text after ``=`` in the
    list form and the YAML value in the mapping form; ``None`` when the variable is only
    named (its value then comes from the shell). ``span`` covers the whole entry,
    ``name_span`` the name and ``value_span`` the value (``None`` when there is none)."""

    name: str
    value: Any = attrs.field(eq=False)
    span: Span
    name_span: Span
    value_span: Span | None


@attrs.frozen(slots=True)
class ComposeService:
    """A service of a Compose file. ``span`` is the service's key (its name as written);
    ``node`` its mapping. Fields that are absent are ``None`` (or empty tuples); any other
    field is one :meth:`field` call away."""

    name: str
    span: Span
    node: YamlMapping = attrs.field(eq=False, repr=False)
    document: int
    environment: tuple[EnvVar, ...] = attrs.field(eq=False, repr=False)

    def field(self, key: str) -> Field | None:
        """Any field of the service with its spans (``read_only``, ``cap_add``...)."""
        return self.node.field(key)

    def _items(self, key: str) -> tuple[Field, ...]:
        value = self.node.get(key)
        return value.fields() if isinstance(value, YamlSequence) else ()

    @property
    def image(self) -> Field | None:
        return self.field("image")

    @property
    def build(self) -> Field | None:
        """A build context string or a ``build`` mapping."""
        return self.field("build")

    @property
    def ports(self) -> tuple[Field, ...]:
        """Each entry: a short ``"8080:80"`` string (or a number) or a long-form mapping."""
        return self._items("ports")

    @property
    def volumes(self) -> tuple[Field, ...]:
        return self._items("volumes")

    @property
    def secrets(self) -> tuple[Field, ...]:
        return self._items("secrets")

    @property
    def healthcheck(self) -> Field | None:
        return self.field("healthcheck")

    @property
    def deploy(self) -> Field | None:
        return self.field("deploy")

    @property
    def resource_limits(self) -> Field | None:
        """``deploy.resources.limits`` (``cpus``, ``memory``, ``pids``)."""
        deploy = self.node.get("deploy")
        resources = deploy.get("resources") if isinstance(deploy, YamlMapping) else None
        return resources.field("limits") if isinstance(resources, YamlMapping) else None

    @property
    def mem_limit(self) -> Field | None:
        return self.field("mem_limit")

    @property
    def user(self) -> Field | None:
        return self.field("user")

    @property
    def privileged(self) -> Field | None:
        return self.field("privileged")


def compose_services(file: YamlFile) -> Iterator[ComposeService]:
    """Every service of a Compose file (nothing for a file :func:`is_compose_file` rejects);
    read once per file and shared by every rule that asks."""
    cached = file.__dict__.get("_compose_services")
    if cached is None:
        cached = file.__dict__["_compose_services"] = tuple(_compose_services(file))
    return iter(cached)


def _compose_services(file: YamlFile) -> Iterator[ComposeService]:
    if not is_compose_file(file):
        return
    for document in file.yaml_documents:
        services = _services_node(document.value)
        if services is None:
            continue
        for name, node in services.items():
            if not isinstance(name, str) or not isinstance(node, YamlMapping):
                continue
            yield ComposeService(name, services.key_span(name), node, document.index, _environment(file, node))


def _environment(file: YamlFile, service: YamlMapping) -> tuple[EnvVar, ...]:
    environment = service.get("environment")
    out = []
    if isinstance(environment, YamlMapping):
        for key, value in environment.items():
            name_span = environment.key_span(key)
            value_span = environment.value_span(key) if value is not None else None
            end = value_span or name_span
            span = Span(name_span.line, name_span.column, end.end_line, end.end_column)
            out.append(EnvVar(str(key), value, span, name_span, value_span))
    elif isinstance(environment, YamlSequence):
        for index, item in enumerate(environment):
            if isinstance(item, str):
                out.append(_list_entry(file, item, environment.item_span(index)))
    return tuple(out)


def _list_entry(file: YamlFile, item: str, span: Span) -> EnvVar:
    """``KEY=value`` from a list: the spans of the name and of the value inside the item."""
    name, equals, value = item.partition("=")
    if span.end_line != span.line:  # a scalar folded over lines: no finer spans
        return EnvVar(name, value if equals else None, span, span, span if equals else None)
    raw = file.line(span.line)[span.column - 1 : span.end_column - 1]
    quote = 1 if raw[:1] in ("'", '"') else 0
    first = span.column + quote
    last = span.end_column - quote  # exclusive
    at = raw.find("=", quote)
    if not equals or at < 0:
        return EnvVar(name, None, span, Span(span.line, first, span.line, last), None)
    name_span = Span(span.line, first, span.line, span.column + at)
    value_span = Span(span.line, span.column + at + 1, span.line, max(last, span.column + at + 1))
    return EnvVar(name, value, span, name_span, value_span)


_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(text: str) -> tuple[str | None, tuple[str, ...]]:
    """``text`` as Compose interpolates it when no variable is set: ``${VAR:-default}`` and
    ``${VAR-default}`` give their default, ``$$`` a ``$``, ``${VAR:+alt}`` nothing.
    Returns the result (``None`` when a variable without a default leaves it unknown)
    and the names of the variables the text uses."""
    names: list[str] = []
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["bare"]
        names.append(name)
        op = match["op"]
        if op in (":-", "-"):
            return match["arg"]
        if op in (":+", "+"):
            return ""
        unknown = True
        return ""

    result = _INTERPOLATION.sub(replace, text)
    return (None if unknown else result), tuple(names)
