"""S3 buckets and the separate resources that configure them (AWS provider v4 and later).

Since version 4 of the AWS provider, a bucket's versioning, encryption, ACL and public
access block are resources of their own (``aws_s3_bucket_versioning`` and friends)
whose ``bucket`` names the bucket, usually as ``aws_s3_bucket.logs.id``, sometimes
through a local, a ``for_each`` over the buckets, or the same name written twice.
:class:`Buckets` finds, for each bucket, the configurations that apply to it within its
module, and says when a configuration points somewhere it cannot follow (a variable, a
module output): then the rules do not claim that a bucket lacks it.
"""

from __future__ import annotations

from prodready_lint.sdk import ModuleIndex, TerraformAttribute, TerraformBlock, TerraformExpression

_BUCKET = "aws_s3_bucket"


def _target(reference: str) -> str | None:
    names = reference.split("[", 1)[0].split(".")
    if len(names) < 2:
        return None
    return ".".join(names[:2])


class Buckets:
    """The buckets of a repository's Terraform modules and their configuration resources."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self._targets: dict[int, frozenset[str] | None] = {}

    def buckets(self) -> tuple[TerraformBlock, ...]:
        return self.index.resources(_BUCKET)

    def configs(self, bucket: TerraformBlock, type: str) -> tuple[TerraformBlock, ...]:
        """The ``type`` resources of the bucket's module that configure this bucket."""
        module = bucket.path.rsplit("/", 1)[0] if "/" in bucket.path else ""
        return tuple(
            config
            for config in self.index.resources(type, module)
            if (targets := self.targets(config)) is not None and bucket.address in targets
        )

    def unattached(self, bucket: TerraformBlock, type: str) -> bool:
        """Whether a ``type`` resource of the bucket's module configures a bucket this index
        cannot name (``bucket = var.bucket_id``): it may be this one."""
        module = bucket.path.rsplit("/", 1)[0] if "/" in bucket.path else ""
        return any(self.targets(config) is None for config in self.index.resources(type, module))

    def targets(self, config: TerraformBlock) -> frozenset[str] | None:
        """The addresses of the buckets a configuration resource applies to; None when its
        ``bucket`` cannot be followed to a bucket of its module."""
        key = id(config)
        if key not in self._targets:
            self._targets[key] = self._find_targets(config)
        return self._targets[key]

    def _find_targets(self, config: TerraformBlock) -> frozenset[str] | None:
        attribute = config.attributes.get("bucket")
        if attribute is None:
            return None
        module = config.path.rsplit("/", 1)[0] if "/" in config.path else ""
        found: set[str] = set()
        value = attribute.value
        if isinstance(value, TerraformExpression):
            references = list(value.references)
            if any(reference.startswith("each.") for reference in references):
                for_each = config.attributes.get("for_each")
                references += list(for_each.references) if for_each is not None else []
            self._follow(config, references, found, depth=0)
            if not found:
                found.update(self._same_name(module, attribute))
        else:
            found.update(self._same_name(module, attribute))
        return frozenset(found) if found else None

    def _follow(self, block: TerraformBlock, references: list[str], found: set[str], depth: int) -> None:
        for reference in references:
            target = _target(reference)
            if target is None:
                continue
            if target.startswith(_BUCKET + "."):
                found.add(target)
            elif target.startswith("local.") and depth < 4:
                holder = self.index.resolve(block, target)
                local = holder.attributes.get(target[6:]) if holder is not None else None
                if local is not None:
                    self._follow(block, list(local.references), found, depth + 1)

    def _same_name(self, module: str, attribute: TerraformAttribute) -> set[str]:
        """Buckets whose ``bucket`` (name) is written exactly as this attribute is."""
        wanted = _spelling(attribute)
        return {
            bucket.address
            for bucket in self.index.resources(_BUCKET, module)
            if (name := bucket.attributes.get("bucket")) is not None and _spelling(name) == wanted
        }


def _spelling(attribute: TerraformAttribute) -> str:
    value = attribute.value
    return value.text.strip() if isinstance(value, TerraformExpression) else repr(value)
