"""Kustomize: kustomizations, the patches they apply and the objects they include.

A repository deployed with Kustomize keeps whole objects in *bases* and writes only
what changes in *overlays* and *components*: strategic-merge patches (partial objects
that name the object they change) and JSON 6902 patches (lists of operations on
paths). A rule that judges a workload for a field it lacks must not judge a patch for
what it leaves out, and should see that an overlay adds what its base lacks. This
module gives rules what they need for both:

* :func:`kustomization` reads a ``kustomization.yaml`` (or a ``kind: Component``):
  resources, components, patches (files or inline, with their targets), image
  overrides, namespace.
* :func:`patched_objects` turns a patch (a file's documents, or an inline patch) into
  :class:`PatchedObject` values: which object it changes and which field paths it
  writes (``spec.template.spec.containers[api].resources.limits.memory``).
* :class:`KustomizeTree`, built from every kustomization of a repository (as JSON facts
  of a repository rule), answers which files a kustomization builds from and which
  files a patch applies to.

Field paths are dotted keys; an item of a list of named things (containers, volumes)
is written ``[name]`` after the list's key, and an item addressed by position (JSON
6902 paths) ``[#0]``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from .errors import LoadError
from .model import Span
from .yaml_model import YamlFile, YamlMapping, YamlSequence

__all__ = [
    "KUSTOMIZATION_FILE_NAMES",
    "ImageOverride",
    "Kustomization",
    "KustomizeTree",
    "PatchRef",
    "PatchTarget",
    "PatchedObject",
    "kustomization",
    "parse_inline_patch",
    "patched_objects",
]

KUSTOMIZATION_FILE_NAMES = ("kustomization.yaml", "kustomization.yml")
"""The file names kustomize looks for in a directory."""

_MAX_DEPTH = 16


@attrs.frozen(slots=True)
class PatchTarget:
    """Which objects a patch applies to (``target:`` of a ``patches`` entry); ``None``
    fields match anything."""

    kind: str | None = None
    name: str | None = None
    namespace: str | None = None

    def matches(self, kind: str | None, name: str | None) -> bool:
        return (self.kind is None or self.kind == kind) and (self.name is None or self.name == name)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "namespace": self.namespace}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PatchTarget | None:
        if not isinstance(data, Mapping):
            return None
        return cls(data.get("kind"), data.get("name"), data.get("namespace"))


@attrs.frozen(slots=True)
class PatchRef:
    """One patch a kustomization applies: a file (``path``, as written, relative to the
    kustomization's directory) or an inline patch (``inline``, its text), with the
    ``target`` it names, if any. ``span`` is where the entry is written."""

    path: str | None
    inline: str | None
    target: PatchTarget | None
    span: Span


@attrs.frozen(slots=True)
class ImageOverride:
    """An ``images:`` entry: every image named ``name`` (any tag) is rewritten to
    ``new_name``, ``new_tag`` and/or ``digest`` when the kustomization is built."""

    name: str
    new_name: str | None
    new_tag: str | None
    digest: str | None
    span: Span

    @property
    def pins(self) -> bool:
        """The override sets a tag other than ``latest``, or a digest."""
        return bool(self.digest) or (bool(self.new_tag) and self.new_tag != "latest")


@attrs.frozen(slots=True)
class Kustomization:
    """A kustomization file (``kind`` is ``Kustomization`` or ``Component``).

    ``resources`` and ``components`` are written relative to :attr:`directory`
    (``bases`` of old kustomizations are among ``resources``); :meth:`resolve` turns one
    into a repository path. ``span`` is the file's first line.
    """

    path: str
    kind: str
    resources: tuple[str, ...]
    components: tuple[str, ...]
    patches: tuple[PatchRef, ...]
    images: tuple[ImageOverride, ...]
    namespace: str | None
    span: Span

    @property
    def directory(self) -> str:
        return posixpath.dirname(self.path)

    def resolve(self, entry: str) -> str | None:
        """A resource, component or patch path as a path from the repository root;
        ``None`` for a remote one (a URL, ``github.com/...``) or one outside the root."""
        if "://" in entry or entry.startswith(("github.com/", "git@", "ssh:")) or "?ref=" in entry:
            return None
        joined = posixpath.normpath(posixpath.join(self.directory, entry))
        if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
            return None
        return "" if joined == "." else joined

    def to_json(self) -> dict[str, Any]:
        """JSON data for a repository rule's facts; :meth:`from_json` reads it back."""
        return {
            "path": self.path,
            "kind": self.kind,
            "resources": list(self.resources),
            "components": list(self.components),
            "patches": [
                {
                    "path": p.path,
                    "target": p.target.to_json() if p.target else None,
                    "span": p.span,
                }
                for p in self.patches
                if p.path is not None
            ],
            "images": [
                {"name": i.name, "new_name": i.new_name, "new_tag": i.new_tag, "digest": i.digest, "span": i.span}
                for i in self.images
            ],
            "namespace": self.namespace,
            "span": self.span,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Kustomization:
        """Read :meth:`to_json` back (inline patches are not kept: collect what they write
        with :func:`patched_objects` where the kustomization is read)."""
        return cls(
            path=data["path"],
            kind=data["kind"],
            resources=tuple(data["resources"]),
            components=tuple(data["components"]),
            patches=tuple(
                PatchRef(p["path"], None, PatchTarget.from_json(p.get("target")), p["span"]) for p in data["patches"]
            ),
            images=tuple(
                ImageOverride(i["name"], i["new_name"], i["new_tag"], i["digest"], i["span"]) for i in data["images"]
            ),
            namespace=data.get("namespace"),
            span=data["span"],
        )


def _strings(node: Any) -> tuple[str, ...]:
    if not isinstance(node, YamlSequence):
        return ()
    return tuple(item for item in node if isinstance(item, str) and item)


def _target(node: Any) -> PatchTarget | None:
    if not isinstance(node, YamlMapping):
        return None
    values = [node.get(key) if isinstance(node.get(key), str) else None for key in ("kind", "name", "namespace")]
    return PatchTarget(*values)


def _patch_refs(document: YamlMapping) -> Iterator[PatchRef]:
    for key in ("patches", "patchesJson6902", "patchesStrategicMerge"):
        entries = document.get(key)
        if not isinstance(entries, YamlSequence):
            continue
        for index, entry in enumerate(entries):
            span = entries.item_span(index)
            if isinstance(entry, str):  # patchesStrategicMerge: a file, or an inline patch
                if "\n" in entry or entry.lstrip().startswith(("{", "apiVersion")):
                    yield PatchRef(None, entry, None, span)
                else:
                    yield PatchRef(entry, None, None, span)
            elif isinstance(entry, YamlMapping):
                path, inline = entry.get("path"), entry.get("patch")
                target = _target(entry.get("target"))
                if isinstance(path, str) and path:
                    yield PatchRef(path, None, target, span)
                elif isinstance(inline, str) and inline.strip():
                    yield PatchRef(None, inline, target, span)


def _images(document: YamlMapping) -> Iterator[ImageOverride]:
    entries = document.get("images")
    if not isinstance(entries, YamlSequence):
        return
    for index, entry in enumerate(entries):
        if not isinstance(entry, YamlMapping) or not isinstance(entry.get("name"), str):
            continue

        def text(key: str, entry: YamlMapping = entry) -> str | None:
            value = entry.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)  # newTag: 1.2 is written without quotes often enough
            return value if isinstance(value, str) and value else None

        yield ImageOverride(entry["name"], text("newName"), text("newTag"), text("digest"), entries.item_span(index))


def kustomization(file: YamlFile) -> Kustomization | None:
    """The kustomization a file holds: a file named ``kustomization.yaml`` (or ``.yml``),
    or any YAML file whose document is ``kind: Kustomization`` or ``kind: Component``
    with a ``kustomize.config.k8s.io`` API version. ``None`` for anything else. Read
    once per file and shared by every rule that asks."""
    if "_kustomization" not in file.__dict__:
        file.__dict__["_kustomization"] = _read_kustomization(file)
    return file.__dict__["_kustomization"]


def _read_kustomization(file: YamlFile) -> Kustomization | None:
    name = file.path.rsplit("/", 1)[-1]
    for document in file.yaml_documents:
        node = document.value
        if not isinstance(node, YamlMapping):
            continue
        kind = node.get("kind")
        api = node.get("apiVersion")
        named = name in KUSTOMIZATION_FILE_NAMES
        declared = kind in ("Kustomization", "Component") and isinstance(api, str) and api.startswith("kustomize.")
        if not (named or declared):
            continue
        return Kustomization(
            path=file.path,
            kind=kind if kind in ("Kustomization", "Component") else "Kustomization",
            resources=_strings(node.get("resources")) + _strings(node.get("bases")),
            components=_strings(node.get("components")),
            patches=tuple(_patch_refs(node)),
            images=tuple(_images(node)),
            namespace=node.get("namespace") if isinstance(node.get("namespace"), str) else None,
            span=Span(node.span.line, node.span.column),
        )
    return None


@attrs.frozen(slots=True)
class PatchedObject:
    """What a patch writes to one object (or, with ``None`` fields, to every object its
    target matches): ``paths`` holds every field path it writes, parents included
    (``spec``, ``spec.replicas``), and ``values`` the scalars it writes by path."""

    kind: str | None
    name: str | None
    paths: frozenset[str]
    values: Mapping[str, Any] = attrs.field(eq=False)

    def writes(self, path: str) -> bool:
        """The patch writes ``path``, or a parent of it whole (a JSON 6902 ``add`` of a
        container's whole ``resources`` writes ``resources.limits.memory`` too, when its
        value holds it; a parent alone does not)."""
        return path in self.paths

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "paths": sorted(self.paths), "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PatchedObject:
        return cls(data.get("kind"), data.get("name"), frozenset(data.get("paths", ())), dict(data.get("values", {})))


def _item_key(item: Any, index: int | str) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        return f"[{item['name']}]"
    return f"[#{index}]"


def _flatten(node: Any, prefix: str, paths: set[str], values: dict[str, Any], depth: int = 0) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, Mapping):
        for key, value in node.items():
            if not isinstance(key, str) or key.startswith("$"):
                continue
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            _flatten(value, path, paths, values, depth + 1)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            path = prefix + _item_key(item, index)
            paths.add(path)
            _flatten(item, path, paths, values, depth + 1)
    elif prefix and (node is None or isinstance(node, (str, int, float, bool))):
        values[prefix] = node


def _pointer(path: str) -> list[str] | None:
    if not path.startswith("/"):
        return None
    return [token.replace("~1", "/").replace("~0", "~") for token in path[1:].split("/")]


def _json_patch(ops: list, target: PatchTarget) -> PatchedObject | None:
    paths: set[str] = set()
    values: dict[str, Any] = {}
    for op in ops:
        if not isinstance(op, Mapping) or op.get("op") not in ("add", "replace"):
            continue
        tokens = _pointer(op.get("path")) if isinstance(op.get("path"), str) else None
        if not tokens:
            continue
        value = op.get("value")
        prefix = ""
        for position, token in enumerate(tokens):
            last = position == len(tokens) - 1
            if token.isdigit() or token == "-":
                item = value if last else None
                step = _item_key(item, token) if last else f"[#{token}]"
                prefixes = {prefix + step, prefix + f"[#{token}]"}
                for each in prefixes:
                    paths.add(each)
                if last:
                    for each in prefixes:
                        _flatten(value, each, paths, values)
                    break
                prefix = prefix + step
            else:
                prefix = f"{prefix}.{token}" if prefix else token
                paths.add(prefix)
                if last:
                    _flatten(value, prefix, paths, values)
    if not paths:
        return None
    return PatchedObject(target.kind, target.name, frozenset(paths), values)


def patched_objects(documents: Iterable[Any], target: PatchTarget | None = None) -> tuple[PatchedObject, ...]:
    """What a patch writes, from its YAML documents (``file.documents``, or the documents
    of an inline patch loaded with :func:`parse_inline_patch`).

    A strategic-merge patch is a partial object: it changes the object it names (or,
    with a ``target``, every object the target matches). A JSON 6902 patch is a list of
    operations and applies to its ``target``; without one it changes nothing known.
    """
    out = []
    for document in documents:
        if isinstance(document, list):
            if target is not None:
                patched = _json_patch(document, target)
                if patched is not None:
                    out.append(patched)
            continue
        if not isinstance(document, Mapping) or not isinstance(document.get("kind"), str):
            continue
        metadata = document.get("metadata")
        name = metadata.get("name") if isinstance(metadata, Mapping) else None
        kind, name = document["kind"], name if isinstance(name, str) else None
        if target is not None:
            kind = target.kind or kind
            name = target.name if target.name is not None else (name if target.kind is None else None)
        paths: set[str] = set()
        values: dict[str, Any] = {}
        _flatten({k: v for k, v in document.items() if k not in ("apiVersion", "kind", "metadata")}, "", paths, values)
        out.append(PatchedObject(kind, name, frozenset(paths), values))
    return tuple(out)


def parse_inline_patch(path: str, text: str) -> list[Any]:
    """The documents of an inline patch (YAML or JSON); empty when it does not parse."""
    from .yaml_loader import load_yaml

    try:
        return load_yaml(path, text).documents
    except LoadError:
        return []


class KustomizeTree:
    """Every kustomization of a repository, joined: which files each one builds from.

    ``kustomizations`` maps each kustomization's path to it; ``files`` is every path of
    the repository (to tell a file resource from a directory).
    """

    def __init__(self, kustomizations: Mapping[str, Kustomization], files: Iterable[str]) -> None:
        self.kustomizations = dict(kustomizations)
        self._files = frozenset(files)
        self._by_directory: dict[str, str] = {}
        for path in sorted(self.kustomizations):
            self._by_directory.setdefault(posixpath.dirname(path), path)
        self._includes: dict[str, frozenset[str]] = {}

    def in_directory(self, directory: str) -> Kustomization | None:
        """The kustomization of a directory (``""`` for the root), if it has one."""
        path = self._by_directory.get(directory)
        return self.kustomizations.get(path) if path else None

    def includes(self, path: str) -> frozenset[str]:
        """The files the kustomization at ``path`` builds from: its file resources and,
        through directories and components, theirs, transitively."""
        cached = self._includes.get(path)
        if cached is not None:
            return cached
        self._includes[path] = frozenset()  # a cycle contributes nothing more
        k = self.kustomizations.get(path)
        out: set[str] = set()
        if k is not None:
            for entry in (*k.resources, *k.components):
                resolved = k.resolve(entry)
                if resolved is None:
                    continue
                if resolved in self._files:
                    out.add(resolved)
                    continue
                inner = self.in_directory(resolved)
                if inner is not None:
                    out.add(inner.path)
                    out |= self.includes(inner.path)
        result = frozenset(out)
        self._includes[path] = result
        return result

    def patch_files(self) -> dict[str, list[tuple[str, PatchTarget | None]]]:
        """Every patch file named by a kustomization: its path -> the kustomizations that
        apply it, each with the target it is given."""
        out: dict[str, list[tuple[str, PatchTarget | None]]] = {}
        for path, k in sorted(self.kustomizations.items()):
            for patch in k.patches:
                if patch.path is None:
                    continue
                resolved = k.resolve(patch.path)
                if resolved is not None:
                    out.setdefault(resolved, []).append((path, patch.target))
        return out

    def applies_to(self, kustomization_path: str) -> frozenset[str]:
        """The files a patch of this kustomization changes: what it builds from. A
        component's patches change what the kustomizations that use it build from."""
        k = self.kustomizations.get(kustomization_path)
        if k is None:
            return frozenset()
        if k.kind != "Component":
            return self.includes(kustomization_path)
        out: set[str] = set()
        for path in self.kustomizations:
            if kustomization_path in self.includes(path):
                out |= self.includes(path)
        return frozenset(out)
