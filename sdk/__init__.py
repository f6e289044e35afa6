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
    Evidence,
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
    "ImageOverride": ("kustomize", "ImageOverride"),
    "ImageRef": ("image_ref", "ImageRef"),
    "IndexSpec": ("sql_summary", "IndexSpec"),
    "Instruction": ("dockerfile", "Instruction"),
    "KeyValue": ("dockerfile", "KeyValue"),
    "KeyValueInstruction": ("dockerfile", "KeyValueInstruction"),
    "KubeObject": ("kubernetes", "KubeObject"),
    "Kustomization": ("kustomize", "Kustomization"),
    "KustomizeTree": ("kustomize", "KustomizeTree"),
    "LabelInstruction": ("dockerfile", "LabelInstruction"),
    "LabelSelector": ("kubernetes", "LabelSelector"),
    "ModuleIndex": ("terraform_index", "ModuleIndex"),
    "ObjectName": ("sql_summary", "ObjectName"),
    "OnbuildInstruction": ("dockerfile", "OnbuildInstruction"),
    "PatchRef": ("kustomize", "PatchRef"),
    "PatchTarget": ("kustomize", "PatchTarget"),
    "PatchedObject": ("kustomize", "PatchedObject"),
    "Requirement": ("requirements", "Requirement"),
    "RequirementOption": ("requirements", "RequirementOption"),
    "RequirementProblem": ("requirements", "RequirementProblem"),
    "RequirementsFile": ("requirements", "RequirementsFile"),
    "SCALER_KINDS": ("kubernetes", "SCALER_KINDS"),
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
    "ValuesImage": ("helm", "ValuesImage"),
    "Volatility": ("sql_summary", "Volatility"),
    "Workload": ("kubernetes", "Workload"),
    "YamlDocument": ("yaml_model", "YamlDocument"),
    "YamlEntry": ("yaml_model", "YamlEntry"),
    "YamlMapping": ("yaml_model", "YamlMapping"),
    "YamlSequence": ("yaml_model", "YamlSequence"),
    "compose_interpolate": ("docker_compose", "interpolate"),
    "compose_services": ("docker_compose", "compose_services"),
    "format_path": ("config_files", "format_path"),
    "is_compose_file": ("docker_compose", "is_compose_file"),
    "is_credential_name": ("secrets", "is_credential_name"),
    "is_helm_values": ("helm", "is_helm_values"),
    "is_secret_reference": ("secrets", "is_secret_reference"),
    "is_trivial_secret_value": ("secrets", "is_trivial_secret_value"),
    "kube_objects": ("kubernetes", "kube_objects"),
    "kustomization": ("kustomize", "kustomization"),
    "load_config_file": ("config_files", "load_config_file"),
    "load_requirements": ("requirements", "load_requirements"),
    "load_sql": ("sql", "load_sql"),
    "load_terraform": ("terraform", "load_terraform"),
    "name_words": ("secrets", "name_words"),
    "parse_inline_patch": ("kustomize", "parse_inline_patch"),
    "parse_path": ("config_files", "parse_path"),
    "parse_sql": ("sql", "parse_sql"),
    "patched_objects": ("kustomize", "patched_objects"),
    "scale_target": ("kubernetes", "scale_target"),
    "selector_of": ("kubernetes", "selector_of"),
    "url_password": ("secrets", "url_password"),
    "url_password_span": ("secrets", "url_password_span"),
    "values_images": ("helm", "values_images"),
    "values_resources": ("helm", "values_resources"),
    "workloads": ("kubernetes", "workloads"),
    "yaml_bool": ("yaml_model", "yaml_bool"),
    "AuditRequest": ("audit", "AuditRequest"),
    "PackageAudit": ("audit", "PackageAudit"),
    "Vulnerability": ("audit", "Vulnerability"),
    "audit_packages": ("audit", "audit_packages"),
    "load_osv_data": ("audit", "load_osv_data"),
    "DeclaredDependency": ("dependencies", "DeclaredDependency"),
    "LOCK_FILES": ("dependencies", "LOCK_FILES"),
    "MANIFESTS": ("dependencies", "MANIFESTS"),
    "declared_dependencies": ("dependencies", "declared_dependencies"),
    "pep508_pin": ("dependencies", "pep508_pin"),
    "CI_PATTERNS": ("ci", "CI_PATTERNS"),
    "ci_anchor": ("ci", "ci_anchor"),
    "is_ci_config": ("ci", "is_ci_config"),
    "deploys_service": ("ci", "deploys_service"),
    "CfnList": ("cloudformation", "CfnList"),
    "CfnMapping": ("cloudformation", "CfnMapping"),
    "CfnResolved": ("cloudformation", "Resolved"),
    "CloudFormationParameter": ("cloudformation", "CloudFormationParameter"),
    "CloudFormationResource": ("cloudformation", "CloudFormationResource"),
    "CloudFormationTemplate": ("cloudformation", "CloudFormationTemplate"),
    "Intrinsic": ("cloudformation", "Intrinsic"),
    "TerraformEvaluation": ("terraform_values", "Evaluation"),
    "TerraformNode": ("terraform_values", "TerraformNode"),
    "cfn_bool": ("cloudformation", "cfn_bool"),
    "cfn_int": ("cloudformation", "cfn_int"),
    "cfn_values": ("cloudformation", "walk_values"),
    "cloudformation_template": ("cloudformation", "cloudformation_template"),
    "dynamic_reference": ("cloudformation", "dynamic_reference"),
    "terraform_structure": ("terraform_values", "structure"),
    "terraform_value_text": ("terraform_values", "show_value"),
    "credential_kind": ("secrets", "credential_kind"),
    "find_tokens": ("secrets", "find_tokens"),
    "looks_like_secret": ("secrets", "looks_like_secret"),
    "url_passwords": ("secrets", "url_passwords"),
    "string_bindings": ("python_strings", "string_bindings"),
    "string_literals": ("python_strings", "string_literals"),
    "Migration": ("migrations", "Migration"),
    "MigrationFormat": ("migrations", "MigrationFormat"),
    "MigrationOperation": ("migrations", "Operation"),
    "OpKind": ("migrations", "OpKind"),
    "migration_format": ("migrations", "migration_format"),
    "read_migration": ("migrations", "read_migration"),
    "sql_operations": ("migrations", "sql_operations"),
    "volatile_sql": ("migrations", "volatile_sql"),
    "FieldChange": ("migrations", "FieldChange"),
    "django_column_type": ("migrations", "django_column_type"),
    "DataFlow": ("dataflow", "DataFlow"),
    "Definition": ("dataflow", "Definition"),
    "DynamicPart": ("dataflow", "DynamicPart"),
    "StringBuild": ("dataflow", "StringBuild"),
    "Subscript": ("python", "Subscript"),
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
    "could_hold_health_path": ("web_paths", "could_hold_health_path"),
    "ValuesSecurityContext": ("helm", "ValuesSecurityContext"),
    "values_security_contexts": ("helm", "values_security_contexts"),
    "Record": ("dataflow", "Record"),
    "AWS_CLOUDFORMATION_PASSWORDS": ("secrets", "AWS_CLOUDFORMATION_PASSWORDS"),
    "AWS_TERRAFORM_PASSWORDS": ("secrets", "AWS_TERRAFORM_PASSWORDS"),
    "is_delivered_password": ("secrets", "is_delivered_password"),
    "is_leaked_literal": ("secrets", "is_leaked_literal"),
    "BuildInvocation": ("ci", "BuildInvocation"),
    "BuildTarget": ("ci", "BuildTarget"),
    "build_file_names": ("ci", "build_file_names"),
    "build_invocations": ("ci", "build_invocations"),
    "build_targets": ("ci", "build_targets"),
}

if TYPE_CHECKING:  # pragma: no cover - what static tools see
    from .audit import AuditRequest, PackageAudit, Vulnerability, audit_packages, load_osv_data
    from .ci import CI_PATTERNS, ci_anchor, deploys_service, is_ci_config
    from .cloudformation import (
        CfnList,
        CfnMapping,
        CloudFormationParameter,
        CloudFormationResource,
        CloudFormationTemplate,
        Intrinsic,
        cfn_bool,
        cfn_int,
        cloudformation_template,
        dynamic_reference,
    )
    from .cloudformation import Resolved as CfnResolved
    from .cloudformation import walk_values as cfn_values
    from .config_files import ConfigFile, format_path, load_config_file, parse_path
    from .config_files import Entry as ConfigEntry
    from .config_files import Reference as ConfigReference
    from .config_files import Section as ConfigSection
    from .dependencies import LOCK_FILES, MANIFESTS, DeclaredDependency, declared_dependencies, pep508_pin
    from .docker_compose import ComposeService, EnvVar, compose_services, is_compose_file
    from .docker_compose import interpolate as compose_interpolate
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
    from .helm import ValuesImage, is_helm_values, values_images, values_resources
    from .image_ref import ImageRef
    from .kubernetes import (
        SCALER_KINDS,
        Container,
        ContainerRole,
        KubeObject,
        LabelSelector,
        SecurityContext,
        SelectorRequirement,
        Setting,
        Workload,
        kube_objects,
        scale_target,
        selector_of,
        workloads,
    )
    from .kustomize import (
        ImageOverride,
        Kustomization,
        KustomizeTree,
        PatchedObject,
        PatchRef,
        PatchTarget,
        kustomization,
        parse_inline_patch,
        patched_objects,
    )
    from .migrations import (
        FieldChange,
        Migration,
        MigrationFormat,
        OpKind,
        django_column_type,
        migration_format,
        read_migration,
        sql_operations,
        volatile_sql,
    )
    from .migrations import Operation as MigrationOperation
    from .python_strings import string_bindings, string_literals
    from .requirements import Requirement, RequirementOption, RequirementProblem, RequirementsFile, load_requirements
    from .secrets import (
        credential_kind,
        find_tokens,
        is_credential_name,
        is_secret_reference,
        is_trivial_secret_value,
        looks_like_secret,
        name_words,
        url_password,
        url_password_span,
        url_passwords,
    )
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
    from .terraform_values import Evaluation as TerraformEvaluation
    from .terraform_values import TerraformNode
    from .terraform_values import show_value as terraform_value_text
    from .terraform_values import structure as terraform_structure
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

if TYPE_CHECKING:  # pragma: no cover - the data-flow helpers
    from .dataflow import DataFlow, Definition, DynamicPart, StringBuild
    from .python import Subscript


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
    "CI_PATTERNS",
    "KINDS",
    "LOCK_FILES",
    "MANIFESTS",
    "MISSING",
    "NOT_LITERAL",
    "SCALER_KINDS",
    "TIERS",
    "ActionKind",
    "AlterAction",
    "ArgInstruction",
    "Attribute",
    "AuditRequest",
    "BinOp",
    "Call",
    "CallResult",
    "CfnList",
    "CfnMapping",
    "CfnResolved",
    "ChecklistItem",
    "ClientCommand",
    "CloudFormationParameter",
    "CloudFormationResource",
    "CloudFormationTemplate",
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
    "DeclaredDependency",
    "DockerfileFile",
    "DropSpec",
    "DuplicateKey",
    "EnvInstruction",
    "EnvVar",
    "Evidence",
    "ExposeInstruction",
    "FString",
    "Field",
    "FieldChange",
    "FileInfo",
    "FileKind",
    "Finding",
    "Flag",
    "FromInstruction",
    "FunctionDef",
    "HealthcheckInstruction",
    "Heredoc",
    "ImageOverride",
    "ImageRef",
    "IndexSpec",
    "Instruction",
    "Intrinsic",
    "KeyValue",
    "KeyValueInstruction",
    "KindSpec",
    "KubeObject",
    "Kustomization",
    "KustomizeTree",
    "LabelInstruction",
    "LabelSelector",
    "LoadError",
    "Location",
    "MappingValue",
    "Migration",
    "MigrationFormat",
    "MigrationOperation",
    "Missing",
    "ModuleIndex",
    "Name",
    "ObjectName",
    "OnbuildInstruction",
    "OpKind",
    "Option",
    "Origin",
    "PackageAudit",
    "PatchRef",
    "PatchTarget",
    "PatchedObject",
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
    "TerraformEvaluation",
    "TerraformExpression",
    "TerraformFile",
    "TerraformNode",
    "TextFile",
    "Unknown",
    "UserInstruction",
    "Value",
    "ValuesImage",
    "Volatility",
    "Vulnerability",
    "Workload",
    "YamlDocument",
    "YamlEntry",
    "YamlFile",
    "YamlMapping",
    "YamlSequence",
    "audit_packages",
    "cfn_bool",
    "cfn_int",
    "cfn_values",
    "ci_anchor",
    "classify",
    "cloudformation_template",
    "compose_interpolate",
    "compose_services",
    "credential_kind",
    "declared_dependencies",
    "deploys_service",
    "django_column_type",
    "dynamic_reference",
    "find_tokens",
    "format_path",
    "is_ci_config",
    "is_compose_file",
    "is_credential_name",
    "is_helm_values",
    "is_secret_reference",
    "is_trivial_secret_value",
    "kube_objects",
    "kustomization",
    "literal",
    "load",
    "load_config_file",
    "load_osv_data",
    "load_requirements",
    "load_sql",
    "load_terraform",
    "looks_like_secret",
    "migration_format",
    "name_words",
    "parse_inline_patch",
    "parse_path",
    "parse_sql",
    "patched_objects",
    "pep508_pin",
    "read_migration",
    "redact",
    "scale_target",
    "selector_of",
    "semgrep_rules",
    "sql_operations",
    "string_bindings",
    "string_fragments",
    "string_literals",
    "terraform_structure",
    "terraform_value_text",
    "url_password",
    "url_password_span",
    "url_passwords",
    "values_images",
    "values_resources",
    "volatile_sql",
    "workloads",
    "yaml_bool",
]
__all__ += ["DataFlow", "Definition", "DynamicPart", "StringBuild", "Subscript"]

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

if TYPE_CHECKING:  # pragma: no cover - what a route prefix the analysis cannot see may hold
    from .web_paths import could_hold_health_path

__all__ += ["could_hold_health_path"]

if TYPE_CHECKING:  # pragma: no cover - security contexts of Helm values
    from .helm import ValuesSecurityContext, values_security_contexts
__all__ += ["ValuesSecurityContext", "values_security_contexts"]

if TYPE_CHECKING:  # pragma: no cover - records read whole (rows, instances, request bodies)
    from .dataflow import Record

__all__ += ["Record"]

if TYPE_CHECKING:  # pragma: no cover - who reports a literal credential
    from .secrets import AWS_CLOUDFORMATION_PASSWORDS, AWS_TERRAFORM_PASSWORDS, is_delivered_password, is_leaked_literal

__all__ += ["AWS_CLOUDFORMATION_PASSWORDS", "AWS_TERRAFORM_PASSWORDS", "is_delivered_password", "is_leaked_literal"]

if TYPE_CHECKING:  # pragma: no cover - CI and build scripts (Makefile, justfile)
    from .ci import BuildInvocation, BuildTarget, build_file_names, build_invocations, build_targets

__all__ += [
    "BuildInvocation",
    "BuildTarget",
    "build_file_names",
    "build_invocations",
    "build_targets",
]
