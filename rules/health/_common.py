"""What the health rules collect from each file, and how they join it across the repository.

Python modules give their web facts (:func:`~prodready_lint.sdk.web_facts`); YAML files
their Kubernetes workloads with each container's probes, and their Compose services
with their health checks; Dockerfiles the health check of their final stage. The
joins (services discovered, a manifest matched to the service it deploys) live here so
that every rule of the family reaches the same verdicts.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from prodready_lint.sdk import (
    WEB_TRIGGERS,
    DockerfileFile,
    FileKind,
    PythonFile,
    Repository,
    Service,
    Span,
    YamlFile,
    YamlMapping,
    YamlSequence,
    compose_services,
    discover_services,
    health_words,
    is_sample_path,
    kube_objects,
    request_path,
    web_facts,
    workloads,
)

CHECKLIST = ("health-endpoints",)
PROBED_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
DEFAULT_HEALTH_PATHS = (
    "/health",
    "/healthz",
    "/ready",
    "/readyz",
    "/livez",
    "/live",
    "/ping",
    "/-/health",
    "/status",
    "/healthcheck",
    "/health-check",
    "/health_check",
    "/liveness",
    "/readiness",
)

# YAML and Dockerfile triggers of the facts each rule needs
K8S_TRIGGERS = ("containers:",)
COMPOSE_TRIGGERS = ("services:",)
DOCKERFILE_TRIGGERS = ("FROM", "from")
PYTHON_TRIGGERS = WEB_TRIGGERS

# ``curl``/``wget`` (or any client) hitting the container itself
_URL = re.compile(
    r"""(?:https?://)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\$\{?[A-Za-z_]\w*\}?)(?::(\d+|\$\{?[A-Za-z_][\w:-]*\}?))?(/[^\s'"\\;|&)]*)?"""
)
# the port a server is told to listen on: --port 8000, --bind 0.0.0.0:8000, -b :8000,
# runserver 0.0.0.0:8000, app.run(port=5000)
_LISTEN = re.compile(
    r"""(?:--port[=\s]+['"]?(\d+)|(?:--bind|-b)[=\s]+['"]?(?:[\w.\[\]-]*:)?(\d+)\b|"""
    r"""runserver\s+(?:[\w.\[\]-]*:)?(\d+)\b|\bport\s*=\s*(\d+))"""
)
# names of container ports that are not the application's: probes there target another listener
_OTHER_PORT_NAMES = re.compile(r"metric|admin|manage|mgmt|prom|monitor|debug|stats|profil|pprof|jmx|grpc", re.I)
_CLIENT = re.compile(r"\b(?:curl|wget|http|httpie|urlopen|requests\.get|httpx\.get|fetch)\b")


def health_paths(settings: Mapping[str, Any]) -> frozenset[str]:
    """The default health paths and those of the ``health-paths`` option, normalised."""
    extra = tuple(settings.get("health-paths", ()) or ())
    return health_words((*DEFAULT_HEALTH_PATHS, *extra))


# -- collecting --------------------------------------------------------------------------------


def python_facts(file: PythonFile) -> dict[str, Any] | None:
    facts = web_facts(file)
    return None if facts.empty else {"web": facts.to_json()}


def probe_path(command: str) -> str | None:
    """The path a health-check command requests from its own container (``curl -f
    http://localhost:8000/health`` gives ``/health``); ``None`` when it requests nothing
    over HTTP or requests another host."""
    return probe_target(command)[0]


def probe_target(command: str) -> tuple[str | None, int | str | None]:
    """The path and port a health-check command requests from its own container: ``curl
    -f http://localhost:8000/health`` gives ``("/health", 8000)``; the port is ``None``
    when the URL names none and the variable's name when it is one (``$PORT``)."""
    if not _CLIENT.search(command):
        return None, None
    for match in _URL.finditer(command):
        port: int | str | None = None
        if match.group(1):
            port = int(match.group(1)) if match.group(1).isdigit() else match.group(1)
        if match.group(2):
            return request_path(match.group(2)), port
        return "/", port
    return None, None


def listen_ports(command: str | None) -> list[int]:
    """The ports a server command (or a module running one) is told to listen on."""
    if not command:
        return []
    return sorted({int(next(g for g in m.groups() if g)) for m in _LISTEN.finditer(command)})


def _port_value(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else value.strip()
    return None


def _probe(container: YamlMapping, key: str) -> dict[str, Any] | None:
    probe = container.get(key)
    if not isinstance(probe, YamlMapping):
        return None
    out: dict[str, Any] = {"span": container.key_span(key), "type": None, "path": None, "path_span": None}
    for kind in ("httpGet", "tcpSocket", "grpc", "exec"):
        handler = probe.get(kind)
        if handler is None:
            continue
        out["type"] = kind
        if kind == "httpGet" and isinstance(handler, YamlMapping):
            path = handler.get("path")
            if isinstance(path, str):
                out["path"] = path
                out["path_span"] = handler.value_span("path")
            elif "path" not in handler:
                out["path"] = "/"
                out["path_span"] = probe.key_span("httpGet")
            out["port"] = _port_value(handler.get("port"))
        elif kind == "exec" and isinstance(handler, YamlMapping):
            command = handler.get("command")
            if isinstance(command, YamlSequence):
                text = " ".join(str(c) for c in command)
                path, port = probe_target(text)
                if path is not None:
                    out["path"] = path
                    out["path_span"] = handler.value_span("command")
                    out["port"] = port
        break
    return out


def _words(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, YamlSequence)):
        return " ".join(str(v) for v in value)
    return None


def _container_ports(container: YamlMapping) -> dict[str, Any]:
    """A container's declared ports (``[name, number]``) and the ports its command, its
    arguments or a ``PORT`` variable tell the server to listen on."""
    declared = []
    ports = container.get("ports")
    if isinstance(ports, YamlSequence):
        for port in ports:
            if isinstance(port, YamlMapping):
                number = _port_value(port.get("containerPort"))
                if isinstance(number, int):
                    declared.append([_text(port.get("name")), number])
    listen = listen_ports(" ".join(filter(None, (_words(container.get("command")), _words(container.get("args"))))))
    env = container.get("env")
    if isinstance(env, YamlSequence):
        for variable in env:
            if isinstance(variable, YamlMapping) and variable.get("name") in ("PORT", "APP_PORT", "HTTP_PORT"):
                value = _port_value(variable.get("value"))
                if isinstance(value, int):
                    listen.append(value)
    return {"ports": declared, "listen": sorted(set(listen))}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def yaml_facts(file: YamlFile) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    kube = []
    objects = sum(1 for _ in kube_objects(file))
    if objects:
        for workload in workloads(file):
            containers = []
            for container in workload.containers:
                if container.is_init or container.is_ephemeral:
                    continue
                image = container.image.value if container.image is not None else None
                containers.append(
                    {
                        "name": container.name,
                        "span": container.span,
                        "image": _text(image),
                        "probes": {key: _probe(container.node, key) for key in PROBES},
                        **_container_ports(container.node),
                    }
                )
            kube.append(
                {
                    "kind": workload.kind,
                    "name": workload.name,
                    "span": workload.span,
                    "containers": containers,
                }
            )
        out["kube_objects"] = objects
        if kube:
            out["workloads"] = kube
    compose = []
    for service in compose_services(file):
        compose.append(_compose_service(file, service))
    if compose:
        out["compose"] = compose
    return out or None


def _compose_service(file: YamlFile, service: Any) -> dict[str, Any]:
    build = service.node.get("build")
    context = dockerfile = None
    if isinstance(build, str):
        context = build
    elif isinstance(build, YamlMapping):
        context = _text(build.get("context")) or "."
        dockerfile = _text(build.get("dockerfile"))
    directory = posixpath.dirname(file.path)
    if context is not None:
        context = posixpath.normpath(posixpath.join(directory, context)) if not re.match(r"^\w+://", context) else None
        if context == ".":
            context = ""
    health = service.node.get("healthcheck")
    check: dict[str, Any] | None = None
    if isinstance(health, YamlMapping):
        test = health.get("test")
        disabled = health.get("disable") is True or (
            isinstance(test, YamlSequence) and len(test) > 0 and str(test[0]).upper() == "NONE"
        )
        command = None
        if isinstance(test, YamlSequence):
            command = " ".join(str(t) for t in test)
        elif isinstance(test, str):
            command = test
        path, port = probe_target(command) if command else (None, None)
        check = {
            "span": service.node.key_span("healthcheck"),
            "disabled": disabled,
            "path": path,
            "port": port,
            "path_span": health.value_span("test") if path is not None else None,
            "inherits": test is None and not disabled,
        }
    ports = bool(service.node.get("ports") or service.node.get("expose"))
    declared = []
    for entry in (*_sequence(service.node.get("ports")), *_sequence(service.node.get("expose"))):
        number = _compose_container_port(entry)
        if number is not None:
            declared.append([None, number])
    return {
        "declared_ports": declared,
        "listen": listen_ports(_words(service.node.get("command")) or _words(service.node.get("entrypoint"))),
        "name": service.name,
        "span": service.span,
        "image": _text(service.node.get("image")),
        "context": context,
        "dockerfile": dockerfile,
        "healthcheck": check,
        "ports": ports,
        "command": _text(service.node.get("command"))
        or (
            " ".join(str(c) for c in service.node["command"]) if isinstance(service.node.get("command"), list) else None
        ),
    }


def _sequence(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, YamlSequence)) else []


def _compose_container_port(entry: Any) -> int | None:
    """The container side of a Compose port: ``"8080:8000"`` gives 8000, ``8000`` 8000,
    ``{target: 8000}`` 8000; ``None`` for a range or a variable."""
    if isinstance(entry, YamlMapping):
        value = _port_value(entry.get("target"))
        return value if isinstance(value, int) else None
    if isinstance(entry, bool):
        return None
    text = str(entry).split("/", 1)[0]
    last = text.rsplit(":", 1)[-1]
    return int(last) if last.isdigit() else None


_SERVER = re.compile(
    r"\b(?:gunicorn|uvicorn|hypercorn|daphne|waitress-serve|granian|uwsgi|flask\s+run|runserver|fastapi\s+run|"
    r"sanic|aiohttp\.web|python[\d.]*\s+(?:-m\s+)?[\w./-]*(?:app|main|server|wsgi|asgi|manage)\b)",
    re.IGNORECASE,
)


def dockerfile_facts(file: DockerfileFile) -> dict[str, Any] | None:
    stage = file.final_stage
    if stage is None:
        return None
    check = stage.healthcheck
    health = None
    if check is not None:
        command = check.command.value if check.command is not None else ""
        if check.exec_args:
            command = " ".join(w.value for w in check.exec_args)
        path, port = probe_target(command) if not check.is_none else (None, None)
        health = {
            "span": check.span,
            "disabled": check.is_none,
            "path": path,
            "port": port,
            "path_span": (check.command.span if check.command is not None else check.span) if path else None,
        }
    runs = " ".join(
        " ".join(w.value for w in i.exec_args) if i.exec_args else i.arguments for i in stage.find("CMD", "ENTRYPOINT")
    )
    exposed = [[None, p.number] for i in stage.find("EXPOSE") for p in getattr(i, "ports", ()) if p.number]
    return {
        "declared_ports": exposed,
        "listen": listen_ports(runs),
        "span": stage.from_instruction.span,
        "healthcheck": health,
        "expose": bool(stage.find("EXPOSE")),
        "server": bool(_SERVER.search(runs)),
    }


def collect_facts(file: Any, *, python: bool, yaml: bool, docker: bool) -> dict[str, Any] | None:
    if python and isinstance(file, PythonFile):
        return python_facts(file)
    if yaml and isinstance(file, YamlFile):
        return yaml_facts(file)
    if docker and isinstance(file, DockerfileFile):
        return dockerfile_facts(file)
    return None


# -- joining -------------------------------------------------------------------------------------


_SERVICES: dict[tuple, tuple[Service, ...]] = {}


def services(repo: Repository) -> tuple[Service, ...]:
    """The web services of the repository (tests, docs and examples excluded), found once
    per scan however many rules of the family ask."""
    facts = {path: data["web"] for path, data in repo.facts.items() if data and "web" in data}
    if not facts:
        return ()
    key = (len(repo.files), tuple(sorted(facts)), hash(repr(sorted(facts.items()))))
    found = _SERVICES.get(key)
    if found is None:
        _SERVICES.clear()
        found = _SERVICES[key] = discover_services(facts, [f.path for f in repo.files])
    return found


def has_kubernetes(repo: Repository) -> bool:
    """The repository deploys to Kubernetes: a manifest with a workload, a Helm chart or a
    Kustomize file."""
    for info in repo.files:
        name = info.path.rsplit("/", 1)[-1]
        if name in ("Chart.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization"):
            return True
    return any(data and data.get("workloads") for data in repo.facts.values())


def dockerfiles(repo: Repository) -> list[str]:
    return [f.path for f in repo.files if f.kind is FileKind.DOCKERFILE]


def directories(repo: Repository) -> set[str]:
    """Every directory holding a file of the repository (tests and docs left out)."""
    out: set[str] = set()
    for info in repo.files:
        directory = posixpath.dirname(info.path)
        while directory and directory not in out:
            out.add(directory)
            directory = posixpath.dirname(directory)
    return {d for d in out if not is_sample_path(d + "/x")}


def _directory_of(path: str) -> str:
    return posixpath.dirname(path)


def _inside(path: str, directory: str) -> bool:
    return not directory or path == directory or path.startswith(directory + "/")


def _image_base(image: str | None) -> str | None:
    """``registry.io/team/orders-api:1.2`` gives ``orders-api``."""
    if not image:
        return None
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0].lower() or None


_SUFFIXES = ("service", "svc", "api", "app", "server", "web", "backend")


def _names(text: str) -> set[str]:
    """A name and its stems: ``orders-api``, ``orders_service`` and ``ordersservice``
    all give ``orders``."""
    text = text.lower()
    out = {text}
    for suffix in _SUFFIXES:
        for joined in ("-" + suffix, "_" + suffix, suffix):
            if text.endswith(joined) and len(text) - len(joined) >= 3:
                out.add(text[: -len(joined)].rstrip("-_"))
    return out


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return bool(_names(a) & _names(b))


def service_for(
    candidates: Sequence[Service],
    *,
    location: str,
    names: Iterable[str | None] = (),
    context: str | None = None,
    directories: Iterable[str] = (),
    only: bool = True,
) -> Service | None:
    """The one service a manifest, Compose service or Dockerfile deploys, when the
    repository's layout says so with certainty; ``None`` otherwise.

    A build ``context`` (Compose ``build``, a Dockerfile's directory) decides alone: the
    one service whose code lives under it. Otherwise, in order: the one service whose
    directory holds the manifest; the one service whose directory (or the Dockerfile
    directory holding it) is named like the image, the workload or the container; the
    only service of the repository (unless ``only`` is false)."""
    if not candidates:
        return None
    if context is not None:
        inside = [s for s in candidates if _inside(s.file, context)]
        return inside[0] if len(inside) == 1 else None
    holding = [s for s in candidates if s.directory and _inside(location, s.directory)]
    if len(holding) == 1:
        return holding[0]
    wanted = [n for n in names if n]
    if wanted:
        named = []
        for service in candidates:
            parts = service.file.split("/")[:-1]
            if any(_same_name(part, name) for part in parts for name in wanted):
                named.append(service)
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            return None
        # a directory named like the image or workload that holds no service: the
        # container runs code the analysis does not see (another language, a tool)
        for directory in directories:
            if any(_same_name(directory.rsplit("/", 1)[-1], name) for name in wanted):
                return None
    if only and len(candidates) == 1:
        return candidates[0]
    return None


def probe_port_verdict(
    port: int | str | None, declared: Sequence[Sequence[Any]], listen: Sequence[int]
) -> tuple[str, int | None]:
    """Whether a probe on ``port`` reaches the application whose routes are known:
    ``("app", number)`` when it does or nothing says otherwise, ``("other", number)`` when
    the port is certainly not the application's (the server is told to listen on
    another, or the port is declared under a metrics or admin name), ``("unknown",
    None)`` when the mapping is uncertain (a named port no declared port resolves, a
    number none of the declared ports has). ``declared`` are ``[name, number]`` pairs,
    ``listen`` the ports the server command names."""
    number: int | None = None
    name: str | None = None
    if isinstance(port, int):
        number = port
    elif isinstance(port, str):
        if port.startswith("$"):
            return "app", None  # a variable: the port the app is configured with
        name = port
        found = [n for d_name, n in declared if d_name == port]
        if len(found) != 1:
            return "unknown", None
        number = found[0]
    if number is None:
        return "app", None
    if listen:
        return ("app" if number in listen else "other"), number
    names = [d_name for d_name, n in declared if n == number]
    if name is None and names:
        name = names[0]
    if name and _OTHER_PORT_NAMES.search(name):
        return "other", number
    if declared and not names:
        return "unknown", number
    return "app", number


def describe_health(service: Service, words: frozenset[str]) -> str:
    routes = (*service.health_routes(words), *service.library_routes())
    if routes:
        paths = sorted({r.path for r in routes})
        return "it serves " + ", ".join(paths[:4]) + (" ..." if len(paths) > 4 else "")
    return "it serves no health route"


def service_label(service: Service) -> str:
    return service.file if service.framework != "django" else f"{service.file} (Django)"


def image_base(image: str | None) -> str | None:
    return _image_base(image)


def span_of(data: Any) -> Span:
    return data if isinstance(data, Span) else Span(1)


def is_sample(path: str) -> bool:
    return is_sample_path(path)
