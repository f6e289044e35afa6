"""What the AWS rules share: one base class that reads Terraform modules and
CloudFormation templates, and one view of a resource's settings for both.

A rule is a repository rule because a Terraform value often comes from another file of
its module (``multi_az = var.multi_az`` with the variable in ``variables.tf``). Its
``collect`` keeps the Terraform blocks it judges plus the variables and locals that
give their values; CloudFormation templates hold everything in one file, so they are
judged while collecting. ``check_repo`` then judges the Terraform resources through the
SDK's :class:`~prodready_lint.sdk.ModuleIndex`.

Calls of the registry modules that wrap one resource (``terraform-aws-modules/rds/aws``,
``cloudposse/elasticache-redis/aws``, ...) pass that resource's arguments under the same
names. Rules that set ``module_inputs`` judge such a call as the resource it creates, but
only on what the call writes: an input left out takes the module's own default, which is
not the resource's, so it is never reported as missing.

Both languages are read through :class:`Setting`: where a setting is written (or the
resource's first line when it is not), its value when the source decides it, and how it
was reached when a variable default or a parameter default decided it (reported with
lower confidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
from prodready_lint.sdk import (
    Confidence,
    Context,
    FileKind,
    ModuleIndex,
    RepoContext,
    RepoRule,
    Repository,
    Severity,
    SourceFile,
    Span,
    TerraformAttribute,
    TerraformBlock,
    TerraformExpression,
    TerraformFile,
)
from prodready_lint.sdk.cloudformation import (
    CloudFormationResource,
    CloudFormationTemplate,
    Intrinsic,
    cfn_bool,
    cfn_int,
    cloudformation_template,
)
from prodready_lint.sdk.terraform_index import compact as compact_summary
from prodready_lint.sdk.terraform_values import show_value

KINDS = frozenset({FileKind.TERRAFORM, FileKind.YAML, FileKind.JSON})
REFERENCES = "https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/welcome.html"

# A top-level assignment at the start of a line: what .tfvars files and terragrunt.hcl inputs hold.
_INPUTS = re.compile(r"(?m)^[A-Za-z_][\w-]*[ \t]*=")


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()
"""The value of a setting the source does not decide (a reference, a function call)."""


def to_bool(value: Any) -> bool | None:
    """``true``/``false``, or the strings Terraform and CloudFormation accept for them."""
    return cfn_bool(value)


def to_int(value: Any) -> int | None:
    return cfn_int(value)


def lower(confidence: Confidence) -> Confidence:
    """One step less sure: what a value decided by a default is reported with."""
    order = list(Confidence)
    return order[max(order.index(confidence) - 1, 0)]


@attrs.frozen(slots=True)
class Setting:
    """A resource setting as the rules read it.

    ``present`` says whether it is written. ``value`` is plain data when the source
    decides it (:data:`UNKNOWN` otherwise). ``span`` is where a finding about it goes:
    the key as written, or the resource's first line when absent. ``written`` is the
    value as the source spells it (``var.multi_az``, ``!Ref MultiAZ``) and ``because``
    how a reference was followed (``", which defaults to false"``).
    """

    name: str
    present: bool
    span: Span
    value: Any = UNKNOWN
    written: str = ""
    because: str = ""
    from_default: bool = False

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    def as_bool(self) -> bool | None:
        return to_bool(self.value) if self.known else None

    def as_int(self) -> int | None:
        return to_int(self.value) if self.known else None

    def as_str(self) -> str | None:
        return self.value if isinstance(self.value, str) else None

    @property
    def shown(self) -> str:
        """``multi_az = var.multi_az, which defaults to false``: the setting for a message."""
        return f"{self.name} = {self.written}{self.because}"


# Registry modules whose inputs are the arguments of the one resource they create.
MODULE_RESOURCES = {
    "terraform-aws-modules/rds": "aws_db_instance",
    "terraform-aws-modules/rds-aurora": "aws_rds_cluster",
    "terraform-aws-modules/elasticache": "aws_elasticache_replication_group",
    "cloudposse/rds": "aws_db_instance",
    "cloudposse/rds-cluster": "aws_rds_cluster",
    "cloudposse/elasticache-redis": "aws_elasticache_replication_group",
}
_SOURCE = re.compile(
    r"^(?:git::)?(?:https?://|ssh://git@|git@)?(?:github\.com[/:])?"
    r"(?:registry\.terraform\.io/)?(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?(?:/aws)?(?://.*)?(?:\?.*)?$"
)


def module_resource_type(block: TerraformBlock) -> str | None:
    """The resource type a ``module`` block creates when its ``source`` is one of
    :data:`MODULE_RESOURCES` (registry or GitHub address, any version or subdirectory)."""
    source = block.attributes.get("source")
    if source is None or not isinstance(source.value, str):
        return None
    match = _SOURCE.match(source.value.strip())
    if match is None:
        return None
    name = match["name"].removeprefix("terraform-aws-")
    return MODULE_RESOURCES.get(f"{match['owner'].lower()}/{name.lower()}")


class Side:
    """One language's view of resources: their settings, names and where to report."""

    language: ClassVar[str]

    def setting(self, resource: Any, path: str) -> Setting:  # pragma: no cover - interface
        raise NotImplementedError

    def given(self, resource: Any, path: str) -> bool:
        """Whether the setting is written with a value that may be set: a value that
        evaluates to null or an empty string (``var.source``, which defaults to null or
        ``""``; ``!Ref AWS::NoValue``) leaves it unset."""
        setting = self.setting(resource, path)
        if not setting.present:
            return False
        if setting.known:
            return setting.value is not None and setting.value != ""
        return "AWS::NoValue" not in setting.written

    def header(self, resource: Any) -> Span:  # pragma: no cover - interface
        raise NotImplementedError

    def label(self, resource: Any) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def report(
        self,
        resource: Any,
        at: Span | Setting,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secret: Span | None = None,
    ) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class TerraformSide(Side):
    """Terraform resources of a repository, through its module index."""

    language = "terraform"

    def __init__(self, index: ModuleIndex, ctx: RepoContext) -> None:
        self.index = index
        self.ctx = ctx

    def setting(self, resource: TerraformBlock, path: str) -> Setting:
        name = path.rsplit(".", 1)[-1]
        found = resource.get(path)
        if found is None:
            return Setting(name, False, self.header_of_path(resource, path))
        if isinstance(found, TerraformBlock):
            return Setting(name, True, found.header_span, UNKNOWN, "{ ... }")
        written = show_value(found.value) if found.is_literal else found.value.text
        evaluation = self.index.evaluate(resource, found)
        if evaluation is None or not evaluation.known:
            return Setting(name, True, found.key_span, UNKNOWN, written)
        because = ""
        if evaluation.via:
            verb = "defaults to" if evaluation.from_default else "is"
            because = f", which {verb} {show_value(evaluation.value)}"
            if len(evaluation.via) > 1:
                because += f" (through {', '.join(evaluation.via[1:])})"
        return Setting(name, True, found.key_span, evaluation.value, written, because, evaluation.from_default)

    @staticmethod
    def header_of_path(resource: TerraformBlock, path: str) -> Span:
        """Where a missing setting belongs: the nested block that should hold it when that
        block is written (``point_in_time_recovery {``), else the resource's first line."""
        steps = path.split(".")[:-1]
        block = resource
        span = resource.header_span
        for step in steps:
            nested = block.nested(step)
            if not nested:
                break
            block = nested[0]
            span = block.header_span
        return span

    def header(self, resource: TerraformBlock) -> Span:
        return resource.header_span

    def label(self, resource: TerraformBlock) -> str:
        return resource.address

    def report(
        self,
        resource: TerraformBlock,
        at: Span | Setting,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secret: Span | None = None,
    ) -> None:
        span, confidence = _where(at, confidence, self.ctx.meta.confidence)
        self.ctx.report(
            resource.path,
            span,
            message,
            severity=severity,
            confidence=confidence,
            secrets=(secret,) if secret is not None else (),
        )


class ModuleCallSide(TerraformSide):
    """A module call read as the resource it creates (:func:`module_resource_type`): an
    input it does not write is present with an unknown value (the module's default
    decides it), so only what the call writes is judged."""

    def setting(self, resource: TerraformBlock, path: str) -> Setting:
        found = super().setting(resource, path)
        if found.present:
            return found
        return Setting(found.name, True, found.span, UNKNOWN, "(the module's default)")

    def given(self, resource: TerraformBlock, path: str) -> bool:
        written = super().setting(resource, path)
        if not written.present:
            return False
        if written.known:
            return written.value is not None and written.value != ""
        return True

    def label(self, resource: TerraformBlock) -> str:
        return f"module.{resource.labels[-1]}"

    @staticmethod
    def as_resource(call: TerraformBlock, resource_type: str) -> TerraformBlock:
        """The call as a ``resource`` block of ``resource_type`` named like the call."""
        return attrs.evolve(call, type="resource", labels=(resource_type, *call.labels[:1]))


class CloudFormationSide(Side):
    """The resources of one CloudFormation template."""

    language = "cloudformation"

    def __init__(self, template: CloudFormationTemplate, ctx: Context) -> None:
        self.template = template
        self.ctx = ctx

    def setting(self, resource: CloudFormationResource, path: str) -> Setting:
        name = path.rsplit(".", 1)[-1]
        found = resource.field(path)
        if found is None:
            return Setting(name, False, self.header_of_path(resource, path))
        value = found.value
        written = _cfn_written(value)
        resolved = self.template.resolve(value)
        if isinstance(resolved.value, Intrinsic):
            return Setting(name, True, found.key_span, UNKNOWN, written)
        because = ""
        if resolved.parameter is not None:
            because = f", whose parameter defaults to {_cfn_written(resolved.value)}"
        return Setting(name, True, found.key_span, resolved.value, written, because, resolved.from_default)

    @staticmethod
    def header_of_path(resource: CloudFormationResource, path: str) -> Span:
        steps = path.split(".")[:-1]
        span = resource.id_span
        for depth in range(len(steps), 0, -1):
            found = resource.field(steps[:depth])
            if found is not None:
                return found.key_span
        return span

    def header(self, resource: CloudFormationResource) -> Span:
        return resource.id_span

    def label(self, resource: CloudFormationResource) -> str:
        return resource.logical_id

    def report(
        self,
        resource: CloudFormationResource,
        at: Span | Setting,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secret: Span | None = None,
    ) -> None:
        span, confidence = _where(at, confidence, self.ctx.meta.confidence)
        self.ctx.report(
            span,
            message,
            severity=severity,
            confidence=confidence,
            secrets=(secret,) if secret is not None else (),
        )


def _where(at: Span | Setting, confidence: Confidence | None, default: Confidence) -> tuple[Span, Confidence | None]:
    if isinstance(at, Setting):
        if at.from_default:
            confidence = lower(confidence or default)
        return at.span, confidence
    return at, confidence


def _cfn_written(value: Any) -> str:
    if isinstance(value, Intrinsic):
        argument = value.argument
        if isinstance(argument, str):
            return f"!{value.short_name} {argument}"
        if value.name == "Fn::GetAtt" and isinstance(argument, list):
            return f"!GetAtt {'.'.join(str(part) for part in argument)}"
        return f"!{value.short_name} ..."
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (dict, list)):
        return "{ ... }" if isinstance(value, dict) else "[ ... ]"
    return str(value)


def terraform_written(attribute: TerraformAttribute) -> str:
    """An attribute's value as written: a literal shown as Terraform writes it, else the expression."""
    value = attribute.value
    return value.text if isinstance(value, TerraformExpression) else show_value(value)


_MAX_DEFAULT = 2048


def _gives_a_value(block: dict[str, Any]) -> bool:
    """Whether a summarised block can give a value to evaluate: a variable only through a
    literal default of reasonable size (a variable without one stays unknown either way)."""
    if block["type"] != "variable":
        return True
    for attribute in block["attributes"]:
        if attribute["name"] == "default" and "value" in attribute:
            return len(repr(attribute["value"])) <= _MAX_DEFAULT
    return False


_FOLLOWED = re.compile(r'^\s*(?:"\$\{\s*)?(?:var|local)\.[A-Za-z_][\w.-]*(?:\s*\}")?\s*$')


def _lean_locals(block: dict[str, Any], prefixes: tuple[str, ...]) -> dict[str, Any]:
    """A ``locals`` block with only the values evaluation can follow or the rule reads."""

    def useful(attribute: dict[str, Any]) -> bool:
        expression = attribute.get("expression")
        if expression is None:
            return True
        if _FOLLOWED.match(expression["text"]):
            return True
        return bool(prefixes) and any(ref.startswith(prefixes) for ref in expression["references"])

    return {**block, "attributes": [attribute for attribute in block["attributes"] if useful(attribute)]}


def _project(block: dict[str, Any], wanted: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """A summarised block with only the attributes and nested blocks a rule reads (a module
    call: its ``source`` and the inputs the rule reads of any resource type)."""
    if block["type"] == "module":
        inputs = {"source", *(name for names in wanted.values() for name in names)}
        return {
            **block,
            "attributes": [attribute for attribute in block["attributes"] if attribute["name"] in inputs],
            "blocks": [],
        }
    names = wanted.get(block["labels"][0]) if block["type"] in ("resource", "data") and block["labels"] else None
    if names is None:
        return block
    return {
        **block,
        "attributes": [attribute for attribute in block["attributes"] if attribute["name"] in names],
        "blocks": [nested for nested in block["blocks"] if nested["type"] in names],
    }


class AwsRule(RepoRule):
    """Base of the AWS rules: declare the resource types read in each language and implement
    :meth:`check_terraform` and :meth:`check_cloudformation` for one resource (or
    override :meth:`check_module` / :meth:`check_template` for judgements over several).

    ``terraform_context`` names other blocks a rule needs from the module (data sources,
    related resources, module calls); ``variable`` and ``locals`` blocks are always kept.
    """

    kinds = KINDS
    terraform_types: ClassVar[tuple[str, ...]] = ()
    terraform_context: ClassVar[tuple[str, ...]] = ()
    cloudformation_types: ClassVar[tuple[str, ...]] = ()
    cloudformation_triggers: ClassVar[tuple[str, ...]] = ()

    #: Judge calls of the registry modules of :data:`MODULE_RESOURCES` that create one of
    #: :attr:`terraform_types`, on the inputs they write.
    module_inputs: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "id" in cls.__dict__ and "collect_triggers" not in cls.__dict__:
            cls.collect_triggers = (
                *cls.terraform_types,
                *cls.terraform_context,
                *(cls.cloudformation_triggers or cls.cloudformation_types),
                "variable",
                "locals",
                _INPUTS,
                *(("terraform-aws-modules/", "cloudposse/") if cls.module_inputs else ()),
            )
        super().__init_subclass__(**kwargs)

    # -- collection -------------------------------------------------------------------------

    def collect(self, file: SourceFile, ctx: Context) -> Any:
        if isinstance(file, TerraformFile):
            return self.collect_terraform(file)
        template = cloudformation_template(file)
        if template is None:
            return self.collect_other(file, ctx)
        side = CloudFormationSide(template, ctx)
        self.check_template(template, side)
        return self.collect_template(template)

    def collected_types(self) -> tuple[str, ...]:
        """The Terraform block types (and resource or data source types) :meth:`collect` keeps."""
        modules = ("module",) if self.module_inputs else ()
        return (*self.terraform_types, *self.terraform_context, "variable", "locals", *modules)

    #: Keep every variable (not only those with a default), for rules that read more than defaults.
    all_variables: ClassVar[bool] = False
    #: Per resource (or data source) type, the attributes and nested blocks the rule reads:
    #: the rest of the block is not collected. A type left out is collected whole.
    terraform_attributes: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    #: Locals are kept when evaluation can use them (a literal, or exactly one ``var.`` or
    #: ``local.`` reference) or when they refer to something starting with these prefixes.
    local_references: ClassVar[tuple[str, ...]] = ()

    def collect_terraform(self, file: TerraformFile) -> Any:
        keep = self.collected_types()
        if not file.attributes and not any(
            block.type in keep or (block.labels and block.labels[0] in keep) for block in file.blocks
        ):
            return None
        summary = file.summary(only=keep, lean_variables=True)
        blocks = summary["blocks"]
        if self.module_inputs:
            called = {
                id(block)
                for block in file.blocks
                if block.type == "module" and module_resource_type(block) in self.terraform_types
            }
            kept = [block for block in file.blocks if block.type in keep or (block.labels and block.labels[0] in keep)]
            blocks = [data for block, data in zip(kept, blocks) if block.type != "module" or id(block) in called]
        if not self.all_variables:
            blocks = [block for block in blocks if _gives_a_value(block)]
        if self.terraform_attributes:
            blocks = [_project(block, self.terraform_attributes) for block in blocks]
        blocks = [
            _lean_locals(block, self.local_references) if block["type"] == "locals" else block for block in blocks
        ]
        blocks = [block for block in blocks if block["type"] != "locals" or block["attributes"]]
        summary["blocks"] = blocks
        return compact_summary(summary) if blocks or summary["attributes"] else None

    def collect_template(self, template: CloudFormationTemplate) -> Any:
        """Facts a repository-level judgement needs from a template (none by default)."""
        return None

    def collect_other(self, file: SourceFile, ctx: Context) -> Any:
        """Facts from a YAML or JSON file that is not a template (none by default)."""
        return None

    # -- judgement --------------------------------------------------------------------------

    def check_repo(self, repo: Repository, ctx: RepoContext) -> None:
        index = ModuleIndex(repo.facts)
        side = TerraformSide(index, ctx)
        self.check_module(index, side)
        if self.module_inputs:
            calls = ModuleCallSide(index, ctx)
            for call in index.blocks("module"):
                resource_type = module_resource_type(call)
                if resource_type in self.terraform_types:
                    self.check_terraform(ModuleCallSide.as_resource(call, resource_type), calls)
        self.check_repository(repo, index, ctx)

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        for resource_type in self.terraform_types:
            for resource in index.resources(resource_type):
                self.check_terraform(resource, side)

    def check_repository(self, repo: Repository, index: ModuleIndex, ctx: RepoContext) -> None:
        """A judgement over the whole repository (none by default)."""

    def check_template(self, template: CloudFormationTemplate, side: CloudFormationSide) -> None:
        for resource in template.resources_of(*self.cloudformation_types):
            self.check_cloudformation(resource, side)

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        """Judge one Terraform resource of :attr:`terraform_types`."""

    def check_cloudformation(self, resource: CloudFormationResource, side: CloudFormationSide) -> None:
        """Judge one CloudFormation resource of :attr:`cloudformation_types`."""


def require_true(
    side: Side,
    resource: Any,
    path: str,
    *,
    what: str,
    missing: str,
    disabled: str,
    fix: str,
    severity: Severity | None = None,
) -> bool:
    """The common shape of a check: ``path`` must be true. Reports at the resource when it is
    absent (``missing`` says what the default means) and at the key when it is false.
    Returns True when a finding was reported."""
    setting = side.setting(resource, path)
    label = side.label(resource)
    if not setting.present:
        side.report(resource, setting, f"{what} {label} sets no {setting.name}: {missing}; {fix}", severity=severity)
        return True
    if setting.as_bool() is False:
        side.report(resource, setting, f"{what} {label} sets {setting.shown}: {disabled}; {fix}", severity=severity)
        return True
    return False


def report_false(side: Side, resource: Any, path: str, *, what: str, consequence: str, fix: str) -> bool:
    """The check of a setting that is only wrong when written false (the default is fine):
    reports at the key and returns True when ``path`` is false."""
    setting = side.setting(resource, path)
    if setting.as_bool() is not False:
        return False
    side.report(resource, setting, f"{what} {side.label(resource)} sets {setting.shown}: {consequence}; {fix}")
    return True


def first_label(block: TerraformBlock) -> str:
    return block.labels[0] if block.labels else ""


def literal_strings(value: Any) -> Iterable[str]:
    """Every string in a literal value (a string, or the strings of a list)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield item
