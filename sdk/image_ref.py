"""Container image references (``registry/repository:tag@digest``), parsed the way Docker does.

Rules about image pinning read the same reference in a Dockerfile ``FROM``, a compose
``image:`` or a Kubernetes container, so the parser is a value object of its own. It
follows the grammar of the ``distribution/reference`` package that Docker and BuildKit use:
the first path component is a registry when it holds a ``.`` or a ``:``, is
``localhost``, or has upper-case letters; otherwise the image lives on Docker Hub.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["DEFAULT_REGISTRY", "ImageRef"]

DEFAULT_REGISTRY = "docker.io"
_LEGACY_REGISTRY = "index.docker.io"
_NAME_MAX = 255

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_DOMAIN_RE = re.compile(_DOMAIN)
_REMAINDER = re.compile(
    rf"(?P<repository>{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
)
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")


@attrs.frozen(slots=True)
class ImageRef:
    """One image reference, split into its parts.

    ``registry`` is the host as written (``ghcr.io``, ``localhost:5000``) or ``None`` for
    Docker Hub; ``repository`` is the path as written (``python``, ``bitnami/redis``);
    ``tag`` and ``digest`` are ``None`` when absent. ``text`` is the reference as given.
    A reference with neither tag nor digest means ``:latest`` to Docker.
    """

    text: str
    repository: str
    registry: str | None = None
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        """Parse ``text``; ``ValueError`` says why it is not a valid reference."""
        if _IDENTIFIER.fullmatch(text):
            raise ValueError(f"{text!r} is an image ID, not a reference")
        first, slash, rest = text.partition("/")
        if slash and (first == "localhost" or any(c in first for c in ".:") or first.lower() != first):
            registry: str | None = first
            remainder = rest
        else:
            registry, remainder = None, text
        match = _REMAINDER.fullmatch(remainder)
        if match is None or (registry is not None and not _DOMAIN_RE.fullmatch(registry)):
            repository, _, suffix = remainder.partition(":")
            if repository != repository.lower() and _REMAINDER.fullmatch(f"{repository.lower()}:{suffix}".rstrip(":")):
                raise ValueError(f"invalid reference {text!r}: the repository name must be lowercase")
            raise ValueError(f"invalid reference format: {text!r}")
        name_length = len(match.group("repository")) + (len(registry) + 1 if registry else 0)
        if name_length > _NAME_MAX:
            raise ValueError(f"repository name {text!r} is longer than {_NAME_MAX} characters")
        return cls(text, match.group("repository"), registry, match.group("tag"), match.group("digest"))

    @property
    def domain(self) -> str:
        """The registry host Docker pulls from (``docker.io`` for Docker Hub)."""
        if self.registry is None or self.registry == _LEGACY_REGISTRY:
            return DEFAULT_REGISTRY
        return self.registry

    @property
    def name(self) -> str:
        """The fully qualified repository: ``docker.io/library/python`` for ``python``."""
        path = self.repository
        if self.domain == DEFAULT_REGISTRY and "/" not in path:
            path = f"library/{path}"
        return f"{self.domain}/{path}"

    @property
    def is_scratch(self) -> bool:
        """``FROM scratch``: the empty image, nothing to pin."""
        return self.registry is None and self.repository == "scratch" and self.tag is None and self.digest is None

    @property
    def is_latest(self) -> bool:
        """The tag is written as ``latest``."""
        return self.tag == "latest"

    @property
    def is_untagged(self) -> bool:
        """Neither tag nor digest: Docker pulls ``latest``."""
        return self.tag is None and self.digest is None

    @property
    def is_pinned(self) -> bool:
        """Pinned to content by a digest, whatever the tag says."""
        return self.digest is not None

    def __str__(self) -> str:
        return self.text
