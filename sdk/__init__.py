"""The prodready-lint rule SDK: the one API built-in and third-party rules are written against.

Import it as ``prodready_lint.sdk``::

    from prodready_lint.sdk import Rule, Severity, FileKind, PythonFile, Context

A rule is a :class:`Rule` subclass with metadata and a ``check(file, ctx)`` method; a
pack is a :class:`RulePack` exposed through the ``prodready_lint.rules`` entry-point
group and declaring the ``API_VERSION`` it was written for; Semgrep YAML rules join a
pack through :func:`semgrep_rules`. :mod:`prodready_lint.sdk.python` holds the Python facts rules read and
:mod:`prodready_lint.sdk.testing` the fixture harness for rule authors.

Models of the richer file kinds (Dockerfile, Terraform, SQL, configuration,
requirements, YAML with Kubernetes and compose helpers) are imported on first use, so a
scan that never reads a kind never pays for its parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .checklist import CHECKLIST, TIERS, ChecklistItem
from .docs import CodeExample, RuleDocs
from .errors import LoadError, SkipFile
from .files import PythonFacts, PythonFile, SourceFile, TextFile
from .kinds import KINDS, KindSpec, classify, load
from .model import Confidence, FileKind, Finding, Location, Severity, Span, Suppression
from .options import Option
from .python import (
    MISSING,
    NOT_LITERAL,
    Attribute,
    BinOp,
    Call,
    CallResult,
    Const,
    FString,
    FunctionDef,
    MappingValue,
    Missing,
    Name,
    Origin,
    SequenceValue,
    Unknown,
    Value,
    literal,
    string_fragments,
)
from .redact import redact
from .rule import (
    Context,
    FileInfo,
    RepoContext,
    Report,
    RepoRule,
    Repository,
    Rule,
    RuleDefinitionError,
    RuleMetadata,
    RulePack,
)
from .semgrep import SemgrepRule, semgrep_rules
from .versioning import API_VERSION

# name -> (module, attribute), imported by __getattr__ on first use
_LAZY = {
    "YamlFile": ("yaml_model", "YamlFile"),
    "ActionKind": ("sql_summary", "ActionKind"),
    "AlterAction": ("sql_summary", "AlterAction"),
    "ArgInstruction": ("dockerfile", "ArgInstruction"),
    "ClientCommand": ("sql", "ClientCommand"),
    "ColumnSpec": ("sql_summary", "ColumnSpec"),
    "ComposeService": ("docker_compose", "ComposeService"),
    "ConfigEntry": ("config_files", "Entry"),
    "ConfigFile": ("config_files", "ConfigFile"),
    "ConfigReference": ("config_files", "Reference"),
    "ConfigSection": ("config_files", "Section"),
    "ConstraintSpec": ("sql_summary", "ConstraintSpec"),
    "ConstraintType": ("sql_summary", "ConstraintType"),
    "Container": ("kubernetes", "Container"),
    "ContainerRole": ("kubernetes", "ContainerRole"),
    "DockerfileFile": ("dockerfile", "DockerfileFile"),
    "DropSpec": ("sql_summary", "DropSpec"),
    "DuplicateKey": ("yaml_model", "DuplicateKey"),
    "EnvInstruction": ("dockerfile", "EnvInstruction"),
    "EnvVar": ("docker_compose", "EnvVar"),
    "ExposeInstruction": ("dockerfile", "ExposeInstruction"),
    "Field": ("yaml_model", "Field"),
    "Flag": ("dockerfile", "Flag"),
    "FromInstruction": ("dockerfile", "FromInstruction"),
    "HealthcheckInstruction": ("dockerfile", "HealthcheckInstruction"),
    "Heredoc": ("dockerfile", "Heredoc"),
    "ImageRef": ("image_ref", "ImageRef"),
    "IndexSpec": ("sql_summary", "IndexSpec"),
    "Instruction": ("dockerfile", "Instruction"),
    "KeyValue": ("dockerfile", "KeyValue"),
    "KeyValueInstruction": ("dockerfile", "KeyValueInstruction"),
    "KubeObject": ("kubernetes", "KubeObject"),
    "LabelInstruction": ("dockerfile", "LabelInstruction"),
    "LabelSelector": ("kubernetes", "LabelSelector"),
    "ModuleIndex": ("terraform_index", "ModuleIndex"),
    "ObjectName": ("sql_summary", "ObjectName"),
    "OnbuildInstruction": ("dockerfile", "OnbuildInstruction"),
    "Requirement": ("requirements", "Requirement"),
    "RequirementOption": ("requirements", "RequirementOption"),
    "RequirementProblem": ("requirements", "RequirementProblem"),
    "RequirementsFile": ("requirements", "RequirementsFile"),
    "SecurityContext": ("kubernetes", "SecurityContext"),
    "SelectorRequirement": ("kubernetes", "SelectorRequirement"),
    "Setting": ("kubernetes", "Setting"),
    "SqlComment": ("sql", "SqlComment"),
    "SqlFile": ("sql", "SqlFile"),
    "SqlStatement": ("sql", "SqlStatement"),
    "Stage": ("dockerfile", "Stage"),
    "StatementKind": ("sql_summary", "StatementKind"),
    "StatementSummary": ("sql_summary", "StatementSummary"),
    "Tagged": ("yaml_model", "Tagged"),
    "TerraformAttribute": ("terraform", "Attribute"),
    "TerraformBlock": ("terraform", "Block"),
    "TerraformExpression": ("terraform", "Expression"),
    "TerraformFile": ("terraform", "TerraformFile"),
    "UserInstruction": ("dockerfile", "UserInstruction"),
    "Volatility": ("sql_summary", "Volatility"),
    "Workload": ("kubernetes", "Workload"),
    "YamlDocument": ("yaml_model", "YamlDocument"),
    "YamlEntry": ("yaml_model", "YamlEntry"),
    "YamlMapping": ("yaml_model", "YamlMapping"),
    "YamlSequence": ("yaml_model", "YamlSequence"),
    "compose_services": ("docker_compose", "compose_services"),
    "format_path": ("config_files", "format_path"),
    "is_compose_file": ("docker_compose", "is_compose_file"),
    "kube_objects": ("kubernetes", "kube_objects"),
    "load_config_file": ("config_files", "load_config_file"),
    "load_requirements": ("requirements", "load_requirements"),
    "load_sql": ("sql", "load_sql"),
    "load_terraform": ("terraform", "load_terraform"),
    "parse_path": ("config_files", "parse_path"),
    "parse_sql": ("sql", "parse_sql"),
    "selector_of": ("kubernetes", "selector_of"),
    "workloads": ("kubernetes", "workloads"),
    "yaml_bool": ("yaml_model", "yaml_bool"),
    "WEB_TRIGGERS": ("web", "WEB_TRIGGERS"),
    "WebFacts": ("web", "WebFacts"),
    "web_facts": ("web", "web_facts"),
    "Service": ("web_services", "Service"),
    "ServiceRoute": ("web_services", "ServiceRoute"),
    "discover_services": ("web_services", "discover_services"),
    "is_sample_path": ("web_services", "is_sample_path"),
    "SLASH_POLICIES": ("web_paths", "SLASH_POLICIES"),
    "canonical_path": ("web_paths", "canonical_path"),
    "health_words": ("web_paths", "health_words"),
    "is_health_path": ("web_paths", "is_health_path"),
    "join_paths": ("web_paths", "join_paths"),
    "match_path": ("web_paths", "match_path"),
    "request_path": ("web_paths", "request_path"),
}

if TYPE_CHECKING:  # pragma: no cover - what static tools see
    from .config_files import ConfigFile, format_path, load_config_file, parse_path
    from .config_files import Entry as ConfigEntry
    from .config_files import Reference as ConfigReference
    from .config_files import Section as ConfigSection
    from .docker_compose import ComposeService, EnvVar, compose_services, is_compose_file
    from .dockerfile import (
        ArgInstruction,
        DockerfileFile,
        EnvInstruction,
        ExposeInstruction,
        Flag,
        FromInstruction,
        HealthcheckInstruction,
        Heredoc,
        Instruction,
        KeyValue,
        KeyValueInstruction,
        LabelInstruction,
        OnbuildInstruction,
        Stage,
        UserInstruction,
    )
    from .image_ref import ImageRef
    from .kubernetes import (
        Container,
        ContainerRole,
        KubeObject,
        LabelSelector,
        SecurityContext,
        SelectorRequirement,
        Setting,
        Workload,
        kube_objects,
        selector_of,
        workloads,
    )
    from .requirements import Requirement, RequirementOption, RequirementProblem, RequirementsFile, load_requirements
    from .sql import ClientCommand, SqlComment, SqlFile, SqlStatement, load_sql, parse_sql
    from .sql_summary import (
        ActionKind,
        AlterAction,
        ColumnSpec,
        ConstraintSpec,
        ConstraintType,
        DropSpec,
        IndexSpec,
        ObjectName,
        StatementKind,
        StatementSummary,
        Volatility,
    )
    from .terraform import Attribute as TerraformAttribute
    from .terraform import Block as TerraformBlock
    from .terraform import Expression as TerraformExpression
    from .terraform import TerraformFile, load_terraform
    from .terraform_index import ModuleIndex
    from .yaml_model import (
        DuplicateKey,
        Field,
        Tagged,
        YamlDocument,
        YamlEntry,
        YamlFile,
        YamlMapping,
        YamlSequence,
        yaml_bool,
    )


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "API_VERSION",
    "CHECKLIST",
    "KINDS",
    "MISSING",
    "NOT_LITERAL",
    "TIERS",
    "ActionKind",
    "AlterAction",
    "ArgInstruction",
    "Attribute",
    "BinOp",
    "Call",
    "CallResult",
    "ChecklistItem",
    "ClientCommand",
    "CodeExample",
    "ColumnSpec",
    "ComposeService",
    "Confidence",
    "ConfigEntry",
    "ConfigFile",
    "ConfigReference",
    "ConfigSection",
    "Const",
    "ConstraintSpec",
    "ConstraintType",
    "Container",
    "ContainerRole",
    "Context",
    "DockerfileFile",
    "DropSpec",
    "DuplicateKey",
    "EnvInstruction",
    "EnvVar",
    "ExposeInstruction",
    "FString",
    "Field",
    "FileInfo",
    "FileKind",
    "Finding",
    "Flag",
    "FromInstruction",
    "FunctionDef",
    "HealthcheckInstruction",
    "Heredoc",
    "ImageRef",
    "IndexSpec",
    "Instruction",
    "KeyValue",
    "KeyValueInstruction",
    "KindSpec",
    "KubeObject",
    "LabelInstruction",
    "LabelSelector",
    "LoadError",
    "Location",
    "MappingValue",
    "Missing",
    "ModuleIndex",
    "Name",
    "ObjectName",
    "OnbuildInstruction",
    "Option",
    "Origin",
    "PythonFacts",
    "PythonFile",
    "RepoContext",
    "RepoRule",
    "Report",
    "Repository",
    "Requirement",
    "RequirementOption",
    "RequirementProblem",
    "RequirementsFile",
    "Rule",
    "RuleDefinitionError",
    "RuleDocs",
    "RuleMetadata",
    "RulePack",
    "SecurityContext",
    "SelectorRequirement",
    "SemgrepRule",
    "SequenceValue",
    "Setting",
    "Severity",
    "SkipFile",
    "SourceFile",
    "Span",
    "SqlComment",
    "SqlFile",
    "SqlStatement",
    "Stage",
    "StatementKind",
    "StatementSummary",
    "Suppression",
    "Tagged",
    "TerraformAttribute",
    "TerraformBlock",
    "TerraformExpression",
    "TerraformFile",
    "TextFile",
    "Unknown",
    "UserInstruction",
    "Value",
    "Volatility",
    "Workload",
    "YamlDocument",
    "YamlEntry",
    "YamlFile",
    "YamlMapping",
    "YamlSequence",
    "classify",
    "compose_services",
    "format_path",
    "is_compose_file",
    "kube_objects",
    "literal",
    "load",
    "load_config_file",
    "load_requirements",
    "load_sql",
    "load_terraform",
    "parse_path",
    "parse_sql",
    "redact",
    "selector_of",
    "semgrep_rules",
    "string_fragments",
    "workloads",
    "yaml_bool",
]

if TYPE_CHECKING:  # pragma: no cover - the web route model
    from .web import WEB_TRIGGERS, WebFacts, web_facts
    from .web_paths import (
        SLASH_POLICIES,
        canonical_path,
        health_words,
        is_health_path,
        join_paths,
        match_path,
        request_path,
    )
    from .web_services import Service, ServiceRoute, discover_services, is_sample_path

__all__ += [
    "SLASH_POLICIES",
    "WEB_TRIGGERS",
    "Service",
    "ServiceRoute",
    "WebFacts",
    "canonical_path",
    "discover_services",
    "health_words",
    "is_health_path",
    "is_sample_path",
    "join_paths",
    "match_path",
    "request_path",
    "web_facts",
]
