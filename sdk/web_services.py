"""The web services of a repository, joined from the web facts of its modules.

:func:`discover_services` takes the :class:`~prodready_lint.sdk.web.WebFacts` of every
module (as a repository rule collects them) and the paths of every file in the
repository, and returns each service with the full list of routes it serves:

* A **service** is an app (``Flask()``, ``FastAPI()``, ``Starlette()``,
  ``web.Application()``, ...) that is not mounted into another app, or a Django project
  (its ``ROOT_URLCONF``, else the ``urls.py`` beside its settings). Apps built in tests,
  documentation and examples (:func:`is_sample_path`) are not services.
* Its **routes** are followed across modules: blueprints registered and routers included
  with their prefixes, sub-applications mounted, functions handed the app
  (``init_routes(app)``), routes declared on an app imported from another module,
  factories (``app = create_app()``), Django ``include()`` of URLconf modules, lists and
  routers, and the fixed routes of health libraries wired to the app.
* What cannot be followed (a router from a package outside the repository, a path built
  at run time) is kept as an **opaque** prefix: the service may serve anything under
  it, so :meth:`Service.serves` answers ``"unknown"`` there instead of guessing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .model import Span
from .web import CONSTRUCTORS, HEALTH_LIBRARY_OBJECTS, Mount, ObjectRef, Parent, Route, WebFacts, WebObject
from .web_paths import (
    SLASH_POLICIES,
    UNKNOWN,
    canonical_path,
    could_hold_health_path,
    is_health_path,
    join_paths,
    match_path,
)

__all__ = ["Service", "ServiceRoute", "discover_services", "is_sample_path", "module_index"]

_SAMPLE_DIRECTORIES = frozenset(
    {
        "test",
        "tests",
        "testing",
        "doc",
        "docs",
        "docs_src",
        "documentation",
        "example",
        "examples",
        "sample",
        "samples",
        "tutorial",
        "tutorials",
        "benchmark",
        "benchmarks",
        "fixtures",
        "testdata",
        "test_data",
        "__tests__",
        "site-packages",
    }
)


def is_sample_path(path: str) -> bool:
    """A file of tests, documentation, examples or benchmarks: an app built there is not a
    service of the repository (``tests/test_api.py``, ``docs/quickstart.py``,
    ``examples/hello/app.py``, ``conftest.py``, ``app_test.py``)."""
    parts = path.split("/")
    name = parts[-1]
    if name.startswith("test_") or name.endswith("_test.py") or name in ("conftest.py", "tests.py", "setup.py"):
        return True
    return any(part.lower() in _SAMPLE_DIRECTORIES for part in parts[:-1])


# Django URLconfs of well-known packages: module -> (routes, health)
_KNOWN_URLCONFS: Mapping[str, tuple[tuple[str, ...], bool]] = {
    "health_check.urls": (("", "{subset}/"), True),
    "watchman.urls": (("", "ping/", "dashboard/"), True),
    "django_prometheus.urls": (("metrics",), False),
    "django.contrib.auth.urls": (
        (
            "login/",
            "logout/",
            "password_change/",
            "password_change/done/",
            "password_reset/",
            "password_reset/done/",
            "reset/{uidb64}/{token}/",
            "reset/done/",
        ),
        False,
    ),
    "rest_framework.urls": (("login/", "logout/"), False),
}
_HEALTH_PACKAGES = ("health_check", "watchman", "healthcheck", "fastapi_health", "flask_healthz", "django_healthz")


@attrs.frozen(slots=True)
class ServiceRoute:
    """A route of a service: its full ``path`` (canonical), where it is declared
    (``file`` and ``span``), its ``methods`` and ``handler`` as declared, and whether a
    health library serves it (``library``)."""

    path: str
    file: str
    span: Span
    methods: tuple[str, ...] = ()
    handler: str | None = None
    library: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "file": self.file,
            "line": self.span.line,
            "methods": list(self.methods),
            "handler": self.handler,
            "library": self.library,
        }


@attrs.frozen(slots=True)
class Service:
    """A web service. ``framework`` (``flask``, ``fastapi``, ``django``...), ``file`` the
    module that builds the app (for Django, the root URLconf), ``span`` the app's
    constructor call (for Django, the ``urlpatterns`` assignment), ``name`` the app's
    name (``app``; for Django the URLconf module), ``directory`` the directory the
    service lives in (for Django, the one holding ``manage.py``), ``routes`` every route
    found, ``opaque`` the prefixes under which it may serve routes the analysis cannot
    see, ``slash_policy`` its handling of trailing slashes (see
    :data:`~prodready_lint.sdk.web_paths.SLASH_POLICIES`), ``entrypoints`` the module
    paths a server can be told to load it by (``orders.main:app``, ``mysite.wsgi``)."""

    framework: str
    file: str
    span: Span
    name: str
    directory: str
    routes: tuple[ServiceRoute, ...]
    opaque: tuple[str, ...] = ()
    slash_policy: str = "exact"
    entrypoints: tuple[str, ...] = ()

    def serves(self, path: str) -> str:
        """Whether the service answers a request for ``path``: ``"yes"``, ``"no"``, or
        ``"unknown"`` when an opaque prefix or a computed part of a route could."""
        verdict = "no"
        for route in self.routes:
            answer = match_path(route.path, path, self.slash_policy)
            if answer == "yes":
                return "yes"
            if answer == "unknown":
                verdict = "unknown"
        for prefix in self.opaque:
            pattern = prefix.rstrip("/") + "/" + UNKNOWN if prefix not in ("", "/") else "/" + UNKNOWN
            if match_path(pattern, path, "either") != "no" or match_path(prefix, path, "either") != "no":
                verdict = "unknown"
        return verdict

    def health_routes(self, words: frozenset[str] | None = None) -> tuple[ServiceRoute, ...]:
        """The routes that are health or readiness routes as the service serves them (see
        :func:`~prodready_lint.sdk.web_paths.is_health_path`): a health library's route
        counts like any other, at the path it is wired under (django-health-check included
        under ``ops/health/`` serves ``/ops/health/``, which is not one unless configured)."""
        return tuple(r for r in self.routes if is_health_path(r.path, words))

    def library_routes(self) -> tuple[ServiceRoute, ...]:
        """The routes a health library serves, at their served paths."""
        return tuple(r for r in self.routes if r.library)

    def may_have_health_route(self, words: frozenset[str] | None = None) -> bool:
        """True when a health route exists or could: one of the routes, a route whose
        last part the code computes, or an opaque prefix."""
        if self.health_routes(words):
            return True
        if any(could_hold_health_path(prefix, words) for prefix in self.opaque):
            return True
        return any(is_health_path(r.path, words) is None for r in self.routes)

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "file": self.file,
            "line": self.span.line,
            "name": self.name,
            "directory": self.directory,
            "routes": [r.to_json() for r in self.routes],
            "opaque": list(self.opaque),
            "entrypoints": list(self.entrypoints),
        }


# -- modules ----------------------------------------------------------------------------------------


def _module_parts(path: str) -> list[str] | None:
    if not path.endswith((".py", ".pyi")):
        return None
    parts = path[: path.rfind(".")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return parts if parts and all(p.isidentifier() for p in parts) else None


def module_index(paths: Iterable[str]) -> dict[str, list[str]]:
    """Every dotted suffix of every Python file's module path -> the files it may name
    (``src/shop/app.py`` answers ``src.shop.app``, ``shop.app`` and ``app``)."""
    index: dict[str, list[str]] = {}
    for path in paths:
        parts = _module_parts(path)
        if not parts:
            continue
        for start in range(len(parts)):
            index.setdefault(".".join(parts[start:]), []).append(path)
    return index


class _ModuleIndex:
    """:func:`module_index` answered lazily: files by their module's last name, each
    looked up by its dotted suffix only when asked (a repository has thousands of
    modules and a service imports a few dozen)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._by_last: dict[str, list[tuple[list[str], str]]] = {}
        for path in paths:
            parts = _module_parts(path)
            if parts:
                self._by_last.setdefault(parts[-1], []).append((parts, path))

    def get(self, dotted: str) -> list[str] | None:
        wanted = dotted.split(".")
        found = [path for parts, path in self._by_last.get(wanted[-1], ()) if parts[-len(wanted) :] == wanted]
        return found or None


def _shared_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y:
            break
        count += 1
    return count


class _Graph:
    """The modules' web facts joined: objects, lists and groups, and what hangs under each."""

    def __init__(self, facts: Mapping[str, WebFacts], files: Sequence[str]) -> None:
        self.facts = facts
        self.files = files
        self.index = _ModuleIndex(files)
        self.py_files = {f for f in files if f.endswith((".py", ".pyi"))}
        # node -> [(kind, item, file)]: ("route", Route) or ("mount", Mount)
        self.children: dict[tuple, list[tuple[str, Any, str]]] = {}
        self.mounted: set[tuple] = set()
        self._build()

    # -- resolution ---------------------------------------------------------------------------
    def resolve_module(self, dotted: str, near: str) -> str | None:
        """The file a module name (absolute, or relative with leading dots) means, seen from ``near``."""
        if dotted.startswith("."):
            level = len(dotted) - len(dotted.lstrip("."))
            base = posixpath.dirname(near)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            rest = dotted[level:].replace(".", "/")
            stem = posixpath.join(base, rest) if rest else base
            for candidate in (stem + ".py", stem + "/__init__.py"):
                candidate = candidate.lstrip("/")
                if candidate in self.py_files:
                    return candidate
            return None
        candidates = self.index.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        return max(candidates, key=lambda c: (_shared_prefix(c, near), -c.count("/")))

    def resolve_qualname(self, qualname: str, near: str) -> tuple[str, str] | tuple[None, str]:
        """``(file, attribute)`` for an imported qualified name; ``(None, qualname)`` when
        no module of the repository defines it."""
        leading = len(qualname) - len(qualname.lstrip("."))
        parts = qualname[leading:].split(".")
        for cut in range(len(parts) - 1, -1, -1):
            module = "." * leading + ".".join(parts[:cut])
            if not module.strip(".") and not leading:
                continue
            path = self.resolve_module(module, near) if module else None
            if path is not None:
                attribute = ".".join(parts[cut:])
                return path, attribute
        return None, qualname

    def node_for(self, ref: ObjectRef, file: str) -> tuple | None:
        facts = self.facts.get(file)
        if ref.kind == "param":
            return ("param", file, ref.function, ref.name)
        if ref.kind == "import":
            if ref.name == "<opaque>":
                return ("external", "<opaque>")
            path, attribute = self.resolve_qualname(ref.name, file)
            if path is None:
                return ("external", ref.name)
            return self._module_attribute(path, attribute)
        if facts is None:
            return None
        if ref.name.startswith("<call "):
            for index, obj in enumerate(facts.objects):
                if f"<call {obj.span.line}:{obj.span.column}>" == ref.name:
                    return ("object", file, index)
        for function in (ref.function, "<module>"):
            for index, obj in enumerate(facts.objects):
                if obj.name == ref.name and obj.function == function:
                    return ("object", file, index)
        if ref.name in facts.lists:
            return ("list", file, ref.name)
        if ref.type in CONSTRUCTORS:
            same = [i for i, o in enumerate(facts.objects) if o.constructor == ref.type]
            if len(same) == 1:
                return ("object", file, same[0])
        elif ref.type is not None and not ref.type.startswith("<local>"):
            path, attribute = self.resolve_qualname(ref.type, file)
            if path is not None:
                return self._factory(path, attribute)
        handlers = [r for r in facts.routes if r.parent.list == "<handlers>" and r.handler == ref.name]
        if handlers:
            return ("handler", file, ref.name)
        return None

    def _module_attribute(self, path: str, attribute: str) -> tuple | None:
        facts = self.facts.get(path)
        if facts is None:
            return ("none",)
        for index, obj in enumerate(facts.objects):
            if obj.name == attribute and obj.function == "<module>":
                return ("object", path, index)
        if attribute in facts.lists:
            return ("list", path, attribute)
        if any(r.parent.list == "<handlers>" and r.handler == attribute for r in facts.routes):
            return ("handler", path, attribute)
        factory = self._factory(path, attribute)
        if factory is not None:
            return factory
        # a name the module imported from elsewhere (``from .app import app`` re-exported)
        return ("none",)

    def _factory(self, path: str, function: str) -> tuple | None:
        facts = self.facts.get(path)
        if facts is None:
            return None
        inside = [
            i
            for i, o in enumerate(facts.objects)
            if o.role == "app" and (o.function == function or o.function.startswith(function + ".<locals>"))
        ]
        return ("object", path, inside[0]) if len(inside) == 1 else None

    def parent_node(self, parent: Parent, file: str) -> tuple | None:
        if parent.object is not None:
            return self.node_for(parent.object, file)
        if parent.group is not None:
            return ("group", file, parent.group)
        if parent.list is not None:
            return ("list", file, parent.list)
        return None

    # -- building -------------------------------------------------------------------------------
    def _add(self, node: tuple | None, kind: str, item: Any, file: str) -> None:
        if node is not None and node[0] not in ("none", "external"):
            self.children.setdefault(node, []).append((kind, item, file))

    def _build(self) -> None:
        aliases: list[tuple[tuple, tuple]] = []
        for file, facts in self.facts.items():
            for index, obj in enumerate(facts.objects):
                if obj.attaches is not None:
                    target = self.node_for(obj.attaches, file)
                    if obj.role == "extension":
                        for path in obj.routes:
                            route = Route(Parent(), path, obj.framework, obj.span, (), obj.constructor, obj.health)
                            self._add(target, "route", route, file)
                    else:
                        ref = ObjectRef("local", obj.name or _call_name(obj), obj.function, obj.constructor)
                        self._add(target, "mount", (Mount(Parent(), None, obj.framework, obj.span, ref), None), file)
                        self.mounted.add(("object", file, index))
            for route in facts.routes:
                if route.parent.list == "<handlers>":
                    self._add(("handler", file, route.handler), "route", route, file)
                    continue
                self._add(self.parent_node(route.parent, file), "route", route, file)
            for index, mount in enumerate(facts.mounts):
                parent = self.parent_node(mount.parent, file)
                self._add(parent, "mount", (mount, index), file)
                if mount.target is not None and parent is not None:
                    target = self.node_for(mount.target, file)
                    if target is not None and target[0] == "object" and target != parent:
                        self.mounted.add(target)
            for name, (_span, refs) in facts.lists.items():
                for ref in refs:
                    self._add(
                        ("list", file, name), "mount", (Mount(Parent(list=name), None, "", _span, ref), None), file
                    )
            for callee, position, keyword, ref in facts.handoffs:
                function_node = self._function(callee, file)
                if function_node is None:
                    continue
                target_file, function = function_node
                params = self.facts[target_file].params.get(function)
                if not params:
                    continue
                if keyword is not None:
                    name = keyword if keyword in params else None
                else:
                    offset = 1 if params and params[0] in ("self", "cls") else 0
                    at = position + offset if position is not None else len(params)
                    name = params[at] if at < len(params) else None
                if name is None:
                    continue
                source = self.node_for(ref, file)
                if source is not None:
                    aliases.append((("param", target_file, function, name), source))
        # a parameter handed an object: what hangs under the parameter hangs under the object
        for _ in range(3):
            for param, source in aliases:
                for child in self.children.get(param, ()):
                    bucket = self.children.setdefault(source, [])
                    if child not in bucket:
                        bucket.append(child)

    def _function(self, callee: str, file: str) -> tuple[str, str] | None:
        facts = self.facts.get(file)
        if "." not in callee and facts is not None and callee in facts.params:
            return file, callee
        path, attribute = self.resolve_qualname(callee, file)
        if path is None or path not in self.facts:
            return None
        if attribute in self.facts[path].params:
            return path, attribute
        return None

    # -- walking ------------------------------------------------------------------------------------
    def _object(self, node: tuple) -> WebObject | None:
        if node[0] != "object":
            return None
        return self.facts[node[1]].objects[node[2]]

    def _walk(
        self,
        node: tuple,
        prefix: str,
        routes: list[ServiceRoute],
        opaque: list[str],
        seen: set,
        mount: Mount | None,
    ) -> None:
        if node in seen or len(seen) > 500:
            return
        seen = seen | {node}
        if node[0] == "external":
            name = node[1]
            library = HEALTH_LIBRARY_OBJECTS.get(name)
            if library is not None:
                for path in library:
                    where = mount.span if mount else Span(1)
                    routes.append(ServiceRoute(join_paths(prefix, path) or "/", "", where, (), name, True))
                return
            if name.split(".", 1)[0] in _HEALTH_PACKAGES:
                routes.append(ServiceRoute(prefix or "/", "", mount.span if mount else Span(1), (), name, True))
            opaque.append(prefix or "/")
            return
        obj = self._object(node)
        if obj is not None:
            own = obj.prefix
            if mount is not None and mount.replaces_prefix and mount.prefix is not None:
                own = None
            if own:
                prefix = join_paths(prefix, own)
        for kind, item, file in self.children.get(node, ()):
            if kind == "route":
                path = join_paths(prefix, item.path) if item.path else (prefix or "/")
                if not path.startswith("/"):
                    path = "/" + path
                routes.append(ServiceRoute(path, file, item.span, item.methods, item.handler, item.health))
                continue
            mounted, index = item
            child_prefix = join_paths(prefix, mounted.prefix) if mounted.prefix else prefix
            if mounted.urlconf is not None:
                self._urlconf(mounted.urlconf, file, child_prefix, routes, opaque, seen, mounted)
                continue
            if mounted.list is not None:
                self._walk(("list", file, mounted.list), child_prefix, routes, opaque, seen, mounted)
                continue
            if mounted.target is None:  # a group: the routes written inside it
                if index is not None:
                    self._walk(("group", file, index), child_prefix, routes, opaque, seen, mounted)
                continue
            target = self.node_for(mounted.target, file)
            if target is None:
                continue
            if target[0] == "none":
                continue
            self._walk(target, child_prefix, routes, opaque, seen, mounted)

    def _urlconf(
        self,
        module: str,
        file: str,
        prefix: str,
        routes: list[ServiceRoute],
        opaque: list[str],
        seen: set,
        mount: Mount,
    ) -> None:
        known = _KNOWN_URLCONFS.get(module)
        if known is not None:
            paths, health = known
            for path in paths:
                full = "/" + join_paths(prefix.lstrip("/"), canonical_path(path)).lstrip("/")
                routes.append(ServiceRoute(full, file, mount.span, (), module, health))
            return
        path = self.resolve_module(module, file)
        if path is None:
            if module.split(".", 1)[0] in _HEALTH_PACKAGES:
                routes.append(ServiceRoute("/" + prefix.lstrip("/"), file, mount.span, (), module, True))
            opaque.append("/" + prefix.lstrip("/"))
            return
        self._walk(("list", path, "urlpatterns"), prefix, routes, opaque, seen, mount)

    def service_routes(self, root: tuple) -> tuple[list[ServiceRoute], list[str]]:
        """Every route under ``root`` (an app object or a Django ``urlpatterns`` list)
        with its full path, and the opaque prefixes."""
        routes: list[ServiceRoute] = []
        opaque: list[str] = []
        self._walk(root, "", routes, opaque, set(), None)
        return routes, opaque

    def intercepts(self, file: str, middleware: Iterable[str]) -> list[ServiceRoute]:
        """Paths answered before routing: by code in ``file`` and in the modules of the
        ``middleware`` classes (dotted names)."""
        out = []
        modules = {file}
        for name in middleware:
            path, _attribute = self.resolve_qualname(name, file)
            if path is not None:
                modules.add(path)
        for path in sorted(modules):
            facts = self.facts.get(path)
            if facts is not None:
                out.extend(ServiceRoute(literal, path, where, (), "middleware") for literal, where in facts.intercepts)
        return out


def _call_name(obj: WebObject) -> str:
    return f"<call {obj.span.line}:{obj.span.column}>"


def _unique(routes: Iterable[ServiceRoute]) -> tuple[ServiceRoute, ...]:
    seen = set()
    out = []
    for route in routes:
        key = (route.path, route.file, route.span)
        if key not in seen:
            seen.add(key)
            out.append(route)
    return tuple(sorted(out, key=lambda r: (r.path, r.file, r.span.line)))


def _module_name(path: str) -> str:
    parts = _module_parts(path) or []
    return ".".join(parts)


def discover_services(facts: Mapping[str, WebFacts | Mapping[str, Any]], files: Iterable[str]) -> tuple[Service, ...]:
    """The web services of a repository (see the module documentation): ``facts`` maps a
    module's path to its :class:`~prodready_lint.sdk.web.WebFacts` (or their JSON),
    ``files`` lists every file of the repository (to resolve imports and find
    ``manage.py``). Sorted by file and line."""
    files = list(files)
    parsed = {path: (f if isinstance(f, WebFacts) else WebFacts.from_json(f)) for path, f in facts.items() if f}
    graph = _Graph(parsed, files)
    services: list[Service] = []
    for file, module in sorted(parsed.items()):
        if is_sample_path(file):
            continue
        for index, obj in enumerate(module.objects):
            if obj.role != "app" or ("object", file, index) in graph.mounted:
                continue
            routes, opaque = graph.service_routes(("object", file, index))
            routes.extend(graph.intercepts(file, module.middleware))
            name = obj.name or "app"
            services.append(
                Service(
                    framework=obj.framework,
                    file=file,
                    span=obj.span,
                    name=name,
                    directory=posixpath.dirname(file),
                    routes=_unique(routes),
                    opaque=tuple(sorted(set(opaque))),
                    slash_policy=SLASH_POLICIES.get(obj.framework, "exact"),
                    entrypoints=_entrypoints(file, name, obj.function),
                )
            )
    services.extend(_django_services(graph, parsed, files))
    return tuple(sorted(services, key=lambda s: (s.file, s.span.line, s.span.column)))


def _entrypoints(file: str, name: str, function: str) -> tuple[str, ...]:
    """How servers name the app: ``pkg.main:app`` (and every shorter module suffix), and
    ``pkg.main:create_app()`` for a factory."""
    parts = _module_parts(file) or []
    out = []
    for start in range(len(parts)):
        module = ".".join(parts[start:])
        if function == "<module>":
            out.append(f"{module}:{name}")
        else:
            out.append(f"{module}:{function.split('.', 1)[0]}")
        out.append(module)
    return tuple(out)


def _django_services(graph: _Graph, parsed: Mapping[str, WebFacts], files: Sequence[str]) -> list[Service]:
    manages = [posixpath.dirname(f) for f in files if f.rsplit("/", 1)[-1] == "manage.py"]
    urlconfs: dict[str, tuple[str, Span, bool | None]] = {}  # urls file -> (settings file, span, append_slash)
    for file, module in sorted(parsed.items()):
        settings = module.settings
        if settings is None or is_sample_path(file):
            continue
        path = None
        if settings.root_urlconf:
            path = graph.resolve_module(settings.root_urlconf, file)
        elif settings.span is not None:  # ROOT_URLCONF computed: the urls.py beside the settings
            directory = posixpath.dirname(file)
            for candidate in (
                posixpath.join(directory, "urls.py"),
                posixpath.join(posixpath.dirname(directory), "urls.py"),
            ):
                if candidate.lstrip("/") in graph.py_files:
                    path = candidate.lstrip("/")
                    break
        if path is None or settings.span is None:
            continue
        middleware = settings.middleware
        append = settings.append_slash
        if append is None and middleware is not None:
            append = "django.middleware.common.CommonMiddleware" in middleware
        previous = urlconfs.get(path)
        if previous is None or (previous[2] is None and append is not None):
            urlconfs[path] = (file, settings.span, append)
    # a project whose settings name no root URLconf the analysis can read (computed from
    # elsewhere, or set in a module it does not read): the project's urls.py, found from
    # the settings module DJANGO_SETTINGS_MODULE names (config.settings.production gives
    # config/urls.py, mysite.settings gives mysite/urls.py)
    for file, module in sorted(parsed.items()):
        if is_sample_path(file):
            continue
        for name, span in module.django_settings:
            settings_path = graph.resolve_module(name, file)
            if settings_path is not None and _settings_package(settings_path) in {
                _settings_package(s) for s, _span, _append in urlconfs.values()
            }:
                continue  # its settings (or a module of its settings package) name the URLconf
            parts = name.split(".")
            candidates = [
                graph.resolve_module(".".join(parts[:cut]) + ".urls", file) for cut in range(len(parts) - 1, 0, -1)
            ]
            if posixpath.basename(file) in ("wsgi.py", "asgi.py"):  # the project package holds urls.py
                candidates.append(posixpath.join(posixpath.dirname(file), "urls.py").lstrip("/"))
            for urls in candidates:
                if urls is not None and "urlpatterns" in getattr(parsed.get(urls), "lists", {}):
                    if urls not in urlconfs:
                        urlconfs[urls] = (file, span, None)
                    break
    out = []
    for urls, (settings_file, settings_span, append) in sorted(urlconfs.items()):
        routes, opaque = graph.service_routes(("list", urls, "urlpatterns"))
        facts = parsed.get(urls)
        span = facts.lists["urlpatterns"][0] if facts is not None and "urlpatterns" in facts.lists else None
        file = urls if span is not None else settings_file
        directory = max(
            (m for m in manages if urls.startswith(m + "/") or not m),
            key=len,
            default=posixpath.dirname(posixpath.dirname(urls)),
        )
        settings = parsed[settings_file].settings
        if settings is not None and settings.middleware is not None:
            intercepts = graph.intercepts(urls, settings.middleware)
            for module in _server_modules(urls, graph.py_files):  # wsgi.py, asgi.py may wrap the app
                intercepts.extend(graph.intercepts(module, ()))
        else:  # MIDDLEWARE is computed: any middleware of the project may answer
            intercepts = [
                ServiceRoute(literal, path, where, (), "middleware")
                for path, module in sorted(parsed.items())
                if not directory or path.startswith(directory + "/")
                for literal, where in module.intercepts
            ]
        out.append(
            Service(
                framework="django",
                file=file,
                span=span or settings_span,
                name=_module_name(urls),
                directory=directory,
                routes=_unique([*routes, *intercepts]),
                opaque=tuple(sorted(set(opaque))),
                slash_policy="append-slash" if append is not False else "exact",
                entrypoints=tuple(e for e in _entrypoints(settings_file, "", "<module>") if ":" not in e)
                + tuple(_wsgi_modules(urls, files)),
            )
        )
    return out


def _settings_package(path: str) -> str:
    """The project a settings module belongs to: the directory holding ``settings.py``, or
    the one holding the ``settings/`` package of ``base.py``, ``production.py``..."""
    directory = posixpath.dirname(path)
    return posixpath.dirname(directory) if posixpath.basename(directory) == "settings" else directory


def _wsgi_modules(urls: str, files: Sequence[str]) -> list[str]:
    """``mysite.wsgi`` and ``mysite.asgi`` beside the root URLconf: what gunicorn and
    uvicorn are told to load."""
    directory = posixpath.dirname(urls)
    out = []
    for name in ("wsgi", "asgi"):
        path = posixpath.join(directory, f"{name}.py").lstrip("/")
        if path in files:
            parts = _module_parts(path) or []
            out.extend(".".join(parts[start:]) for start in range(len(parts)))
    return out


def _server_modules(urls: str, files: Iterable[str]) -> list[str]:
    """The ``wsgi`` and ``asgi`` modules (or packages) beside the root URLconf."""
    directory = posixpath.dirname(urls)
    names = [f"{n}.py" for n in ("wsgi", "asgi")] + [f"{n}/__init__.py" for n in ("wsgi", "asgi")]
    present = set(files)
    return [p for p in (posixpath.join(directory, n).lstrip("/") for n in names) if p in present]
