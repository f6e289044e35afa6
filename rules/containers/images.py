"""CTR013-CTR014: images that are not pinned (checklist ``image-pinning``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from prodready_lint.sdk import (
    Confidence,
    Context,
    DockerfileFile,
    FileKind,
    ImageRef,
    Kustomization,
    KustomizeTree,
    RepoContext,
    RepoRule,
    Repository,
    Rule,
    Severity,
    Span,
    YamlFile,
    YamlMapping,
    YamlSequence,
    compose_interpolate,
    is_helm_values,
    kustomization,
    values_images,
)

from ._common import (
    CWE_UNTRUSTED,
    DOCKERFILE,
    compose_services_of,
    describe_container,
    describe_service,
    key_value_span,
    workload_containers,
)

CHECKLIST = ("image-pinning",)
ADVICE = "pin a version tag or, better, a digest (name:1.2.3@sha256:...)"


def _problem(image: ImageRef) -> str | None:
    """Why a reference is not pinned, or ``None`` when it is."""
    if image.digest is not None or image.is_scratch:
        return None
    if image.tag is None:
        return "has no tag, so it means latest"
    if image.tag == "latest":
        return "uses the latest tag"
    return None


def _parse(text: str) -> ImageRef | None:
    try:
        return ImageRef.parse(text.strip())
    except ValueError:
        return None


class BaseImageNotPinned(Rule):
    """A Dockerfile `FROM` without a version tag or digest.

    ## What it does
    Checks every `FROM` of a Dockerfile whose base is an image (not an earlier stage
    and not `scratch`) for a tag other than `latest`, or a digest. `ARG` defaults
    declared before the first `FROM` are expanded first, as `docker build` does, so
    `FROM python:${PY}` with `ARG PY=latest` is reported and `ARG PY=3.12` is not.

    ## Why is this bad?
    `latest` (what an image without a tag means) moves whenever the upstream publishes:
    two builds of the same commit produce different images, a rebuild pulls a new major
    version, and a rollback cannot restore what ran. A version tag is reproducible
    enough; a digest is exact.

    ## Example
    ```dockerfile
    ARG NODE_TAG=latest
    FROM node:${NODE_TAG} AS build
    RUN npm ci && npm run build

    FROM nginx
    COPY --from=build /app/dist /usr/share/nginx/html
    ```

    ## Use instead
    ```dockerfile
    ARG NODE_TAG=22.11-alpine
    FROM node:${NODE_TAG} AS build
    RUN npm ci && npm run build

    FROM nginx:1.27.3@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
    COPY --from=build /app/dist /usr/share/nginx/html
    ```

    ## Notes
    A base that still holds a variable without a default (`FROM ${BASE_IMAGE}`) is
    supplied by the build and is not judged.
    """

    id = "CTR013"
    name = "base-image-not-pinned"
    summary = "Dockerfile FROM image has no version tag or digest"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_UNTRUSTED
    kinds = DOCKERFILE
    triggers = ("from",)
    triggers_ignore_case = True
    references = (
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
        "https://github.com/hadolint/hadolint/wiki/DL3006",
        "https://github.com/hadolint/hadolint/wiki/DL3007",
    )

    def check(self, file: DockerfileFile, ctx: Context) -> None:
        for stage in file.stages:
            image = stage.image
            if stage.base_stage is not None or image is None or stage.unresolved_args:
                continue
            problem = _problem(image)
            if problem is None:
                continue
            written = stage.from_instruction.base.value
            shown = f"{written!r} (resolved as {image.text!r})" if written != image.text else repr(image.text)
            ctx.report(stage.from_instruction.base.span, f"base image {shown} {problem}; {ADVICE}")


def _skaffold_images(document: Any) -> Iterator[str]:
    """``build.artifacts[].image`` of a Skaffold config, and of its profiles."""
    if not isinstance(document, YamlMapping):
        return
    api = document.get("apiVersion")
    if not (isinstance(api, str) and api.startswith("skaffold/")):
        return
    sections = [document]
    profiles = document.get("profiles")
    if isinstance(profiles, YamlSequence):
        sections.extend(p for p in profiles if isinstance(p, YamlMapping))
    for section in sections:
        build = section.get("build")
        artifacts = build.get("artifacts") if isinstance(build, YamlMapping) else None
        if isinstance(artifacts, YamlSequence):
            for artifact in artifacts:
                if isinstance(artifact, YamlMapping) and isinstance(artifact.get("image"), str):
                    yield artifact["image"]


def _names(text: str) -> set[str]:
    """The ways a rewrite rule may name an image: as written without tag or digest, and
    fully qualified (``nginx`` and ``docker.io/library/nginx``)."""
    out = {text.split("@", 1)[0]}
    image = _parse(text)
    if image is not None:
        out |= {image.repository, image.name}
        if image.registry:
            out.add(f"{image.registry}/{image.repository}")
    return out


class DeployedImageNotPinned(RepoRule):
    """A Kubernetes container, Compose service or Helm value that deploys an unpinned image.

    ## What it does
    Checks the `image` of every Kubernetes container (init containers included), of
    every Compose service that does not build its own image, and the `image` values of
    Helm values files (`image: {repository, tag}` or `image: "name:tag"`) for a tag
    other than `latest`, or a digest. Compose's `${TAG:-latest}` is read with its
    default.

    ## Why is this bad?
    A node pulls `latest` when it starts the pod: replicas of one Deployment can run
    different code, a node replacement silently upgrades the service, and a rollback
    redeploys the same moving tag. A version tag makes a deployment reproducible; a
    digest makes it exact.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
            - name: web
              image: nginx:latest
    ```

    ## Use instead
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
            - name: web
              image: nginx:1.27.3
    ```

    ## Notes
    Images that the repository's tooling rewrites at deploy time are not reported: an
    image named in a kustomization's `images:` with a `newTag` or `digest`, and Skaffold
    build artifacts (which Skaffold tags itself). A Compose service with `build:` runs
    the image it builds. In Helm values only an explicit `latest` is reported, with low
    confidence (a chart usually falls back to its `appVersion` when `tag` is empty).
    References that are still templates or variables are not judged.
    """

    id = "CTR014"
    name = "deployed-image-not-pinned"
    summary = "Kubernetes, Compose or Helm image has no version tag or digest"
    checklist = CHECKLIST
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = CWE_UNTRUSTED
    kinds = frozenset({FileKind.YAML})
    collect_triggers = ("image", "artifacts", "resources", "components", "bases")
    references = (
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/",
    )

    def collect(self, file: YamlFile, ctx: Context) -> Any:
        found = kustomization(file)
        if found is not None:
            return {"kustomization": found.to_json()}
        facts: dict[str, list] = {}
        built = [name for document in file.documents for name in _skaffold_images(document)]
        if built:
            facts["rewritten"] = built
        candidates = list(self._candidates(file))
        if candidates:
            facts["candidates"] = candidates
        return facts or None

    def _candidates(self, file: YamlFile) -> Iterator[dict[str, Any]]:
        for workload, container in workload_containers(file):
            field = container.image
            if field is None or not isinstance(field.value, str):
                continue
            image = _parse(field.value)
            problem = _problem(image) if image is not None else None
            if problem is None:
                continue
            yield {
                "span": key_value_span(container.node, "image"),
                "image": field.value.strip(),
                "message": f"{describe_container(workload, container)} runs image {field.value.strip()!r}, "
                f"which {problem}; {ADVICE}",
            }
        if is_helm_values(file.path):
            yield from self._values(file)
            return
        for service in compose_services_of(file):
            field = service.image
            if field is None or not isinstance(field.value, str) or service.build is not None:
                continue
            resolved, variables = compose_interpolate(field.value)
            image = _parse(resolved) if resolved else None
            problem = _problem(image) if image is not None else None
            if problem is None:
                continue
            via = f" (read as {resolved!r} with its variables unset)" if variables else ""
            yield {
                "span": key_value_span(service.node, "image"),
                "image": resolved,
                "message": f"{describe_service(service)} runs image {field.value.strip()!r}{via}, which {problem}; "
                f"{ADVICE}",
                "confidence": Confidence.MEDIUM.value if variables else None,
            }

    def _values(self, file: YamlFile) -> Iterator[dict[str, Any]]:
        for found in values_images(file):
            where = ".".join(found.path)
            if found.reference is not None:
                image = _parse(found.reference)
                if image is None or image.digest is not None or image.tag != "latest":
                    continue
                span, name, text = found.field.span, found.reference, found.reference
            else:
                tag = found.tag
                digest = found.digest
                if tag is None or tag.value != "latest" or (digest is not None and digest.value):
                    continue
                assert found.repository is not None
                span = Span(tag.key_span.line, tag.key_span.column, tag.span.end_line, tag.span.end_column)
                name, text = found.repository.value, f"{found.repository.value}:latest"
            yield {
                "span": span,
                "image": name,
                "message": f"Helm values deploy {text!r} at {where}, which uses the latest tag; {ADVICE}",
                "confidence": Confidence.LOW.value,
            }

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        # Skaffold rewrites its artifacts everywhere; a kustomization only the images of
        # the files it builds from.
        everywhere: set[str] = set()
        kustomizations = {}
        for path, facts in repo.facts.items():
            if not isinstance(facts, Mapping):
                continue
            for name in facts.get("rewritten", ()):
                everywhere |= _names(name)
            if facts.get("kustomization"):
                kustomizations[path] = Kustomization.from_json(facts["kustomization"])
        tree = KustomizeTree(kustomizations, (f.path for f in repo.files))
        scoped: dict[str, set[str]] = {}
        for path, found in kustomizations.items():
            names = set().union(*(_names(o.name) for o in found.images if o.pins))
            for included in tree.applies_to(path):
                scoped.setdefault(included, set()).update(names)
        for path, facts in sorted(repo.facts.items()):
            for candidate in facts.get("candidates", ()):
                names = _names(candidate["image"])
                if names & everywhere or names & scoped.get(path, set()):
                    continue
                confidence = Confidence(candidate["confidence"]) if candidate.get("confidence") else None
                ctx.report(path, candidate["span"], candidate["message"], confidence=confidence)
