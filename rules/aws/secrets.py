"""AWS019: how database and service passwords reach AWS resources."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import (
    AWS_CLOUDFORMATION_PASSWORDS,
    AWS_TERRAFORM_PASSWORDS,
    CfnList,
    CfnMapping,
    Intrinsic,
    ModuleIndex,
    Severity,
    Span,
    TerraformBlock,
    TerraformExpression,
    credential_kind,
    dynamic_reference,
    is_leaked_literal,
    looks_like_secret,
)

from ._base import AwsRule, CloudFormationSide, TerraformSide

# resource type -> paths of the attributes that carry a password (a path step may be a nested block)
TERRAFORM_PASSWORDS = AWS_TERRAFORM_PASSWORDS
CLOUDFORMATION_PASSWORDS = AWS_CLOUDFORMATION_PASSWORDS
# how each resource type can get its password without one written anywhere
_MANAGED = {
    "aws_db_instance": "manage_master_user_password = true",
    "aws_rds_cluster": "manage_master_user_password = true",
    "aws_docdb_cluster": "manage_master_user_password = true",
    "aws_redshift_cluster": "manage_master_password = true",
    "aws_redshiftserverless_namespace": "manage_admin_password = true",
    "AWS::RDS::DBInstance": "ManageMasterUserPassword: true",
    "AWS::RDS::DBCluster": "ManageMasterUserPassword: true",
    "AWS::Redshift::Cluster": "ManageMasterPassword: true",
    "AWS::RedshiftServerless::Namespace": "ManageAdminPassword: true",
}


def _terraform_fix(kind: str) -> str:
    store = "read it from Secrets Manager (data.aws_secretsmanager_secret_version or an ephemeral resource)"
    managed = _MANAGED.get(kind)
    return f"use {managed} or {store}" if managed else store


def _cloudformation_fix(kind: str) -> str:
    store = "use {{resolve:secretsmanager:...}}"
    managed = _MANAGED.get(kind)
    return f"{store} or {managed}" if managed else store


# where a value may come from without being written in the code
_STORES = ("data.aws_secretsmanager_", "data.aws_ssm_parameter", "ephemeral.", "random_password.", "random_string.")
_SECURE_SERVICES = frozenset({"secretsmanager", "ssm-secure"})


class PasswordNotFromSecretStore(AwsRule):
    """A database or service password written into the template instead of read from a secret store.

    ## What it does
    Checks the password attributes of AWS resources (`password` of `aws_db_instance`,
    `master_password` of `aws_rds_cluster`, `aws_docdb_cluster` and
    `aws_redshift_cluster`, `auth_token` of `aws_elasticache_replication_group`, the users
    of `aws_mq_broker`, the master user of OpenSearch domains, and their CloudFormation
    equivalents such as `MasterUserPassword`) and reports a value that does not come from
    a secret store:

    * Terraform: a literal; a local holding a literal; a variable not marked
      `sensitive = true` (its value is printed in plans and kept in CI logs), or one whose
      default is a literal. Values read from `data.aws_secretsmanager_secret_version`,
      `data.aws_ssm_parameter`, an ephemeral resource, `random_password` or a module
      output are fine, and so is `manage_master_user_password = true`.
    * CloudFormation: a literal or a plain (non-`ssm-secure`) SSM dynamic reference; a
      `Ref` to a parameter that is not `NoEcho`, or whose `Default` is a literal. A
      `{{resolve:secretsmanager:...}}` or `{{resolve:ssm-secure:...}}` reference is fine.

    ## Why is this bad?
    A password written in the template is in every clone, fork, CI log and backup of the
    repository, and rotating it means a commit and a deploy. A secret store keeps it out
    of the code, encrypts it, audits each read and rotates it.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier = "orders"
      engine     = "postgres"
      username   = "orders"
      password   = "Orders-2024-prod"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier                  = "orders"
      engine                      = "postgres"
      username                    = "orders"
      manage_master_user_password = true
    }
    ```

    ## Notes
    Each literal is reported once. A literal password written in the resource is this
    rule's finding (its delivery is the problem); the secrets rules leave that attribute
    to it. A value that proves itself a credential wherever it is written (a vendor token,
    a URL with a password) is the secrets rules' (SEC002, SEC003), and so is a literal
    written in a credential-named `locals` entry, variable default or `.tfvars` value
    that the resource reads: they report it where it is written. The value itself never
    appears in a message.
    """

    id = "AWS019"
    name = "password-not-from-secret-store"
    summary = "AWS resource password not delivered from a secret store"
    checklist = ("secrets-management",)
    severity = Severity.HIGH
    cwe = (522, 798)
    references = (
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
    )
    terraform_types = tuple(TERRAFORM_PASSWORDS)
    terraform_attributes = {
        kind: tuple(path.split(".")[0] for path in paths) for kind, paths in TERRAFORM_PASSWORDS.items()
    }
    all_variables = True  # whether a variable is marked sensitive matters, default or not
    cloudformation_types = tuple(CLOUDFORMATION_PASSWORDS)

    # -- Terraform --------------------------------------------------------------------------

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        for path in TERRAFORM_PASSWORDS[resource.labels[0]]:
            *steps, name = path.split(".")
            for holder in _holders(resource, steps):
                attribute = holder.attributes.get(name)
                if attribute is not None:
                    self._judge_terraform(side, resource, attribute, name)

    def _judge_terraform(self, side: TerraformSide, resource: TerraformBlock, attribute, name: str) -> None:
        label = side.label(resource)
        value = attribute.value
        if _is_literal_secret(value):
            if is_leaked_literal(value):  # a token or a URL with a password: the secrets rules report the leak
                return
            side.report(
                resource,
                attribute.key_span,
                f"{label} sets {name} to a literal: it is committed with the code, in every clone and CI log; "
                f"{_terraform_fix(resource.labels[0])}",
                secret=_inside_quotes(attribute.value_span, value),
            )
            return
        if not isinstance(value, TerraformExpression) or any(r.startswith(_STORES) for r in value.references):
            return
        evaluation = side.index.evaluate(resource, attribute)
        if evaluation is not None and evaluation.via and evaluation.known and _is_literal_secret(evaluation.value):
            origin = evaluation.via[-1]
            if _reported_where_written(origin, evaluation.value):
                return
            kind = "defaults to" if evaluation.from_default else "is"
            side.report(
                resource,
                attribute.key_span,
                f"{label} sets {name} = {value.text}, and {origin} {kind} a literal: it is committed with the code; "
                f"{_terraform_fix(resource.labels[0])}",
            )
            return
        variable = _variable(side.index, resource, value)
        sensitive = variable.attributes.get("sensitive") if variable is not None else None
        if variable is not None and (sensitive is None or sensitive.value is False):
            side.report(
                resource,
                attribute.key_span,
                f"{label} sets {name} = {value.text}, a variable not marked sensitive: plans and CI logs print it; "
                f"mark {variable.address} sensitive = true, or {_terraform_fix(resource.labels[0])}",
                severity=Severity.MEDIUM,
            )

    # -- CloudFormation -----------------------------------------------------------------------

    def check_template(self, template, side: CloudFormationSide) -> None:
        self._parameters_reported: set[str] = set()
        super().check_template(template, side)

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        for path in CLOUDFORMATION_PASSWORDS[resource.type]:
            for name, value, key_span, value_span in _cfn_values(resource.properties, path.split(".")):
                self._judge_cloudformation(side, resource, name, value, key_span, value_span)

    def _judge_cloudformation(self, side: CloudFormationSide, resource, name: str, value: Any, key_span, value_span):
        label = side.label(resource)
        service = dynamic_reference(value)
        if service is not None:
            if service not in _SECURE_SERVICES:
                side.report(
                    resource,
                    key_span,
                    f"{label} reads {name} from a plain {service} parameter: it is stored unencrypted; use "
                    "{{resolve:secretsmanager:...}} or {{resolve:ssm-secure:...}}",
                    severity=Severity.MEDIUM,
                )
            return
        if _is_literal_secret(value):
            if is_leaked_literal(value):
                return
            side.report(
                resource,
                key_span,
                f"{label} sets {name} to a literal: it is committed with the template, in every clone and CI log; "
                f"{_cloudformation_fix(resource.type)}",
                secret=_inside_quotes(value_span, value),
            )
            return
        if not (isinstance(value, Intrinsic) and value.name == "Ref" and isinstance(value.argument, str)):
            return
        parameter = side.template.parameter(value.argument)
        if parameter is None or parameter.name in self._parameters_reported:
            return
        if parameter.type and parameter.type.startswith("AWS::SSM::Parameter"):
            return
        if parameter.default is not None and _is_literal_secret(parameter.default.value):
            self._parameters_reported.add(parameter.name)
            side.report(
                resource,
                parameter.default.key_span,
                f"parameter {parameter.name}, the {name} of {label}, has a literal Default: it is committed with the "
                "template; drop the default and pass it at deploy time, or use {{resolve:secretsmanager:...}}",
                secret=_inside_quotes(parameter.default.span, parameter.default.value),
            )
        elif not parameter.no_echo:
            self._parameters_reported.add(parameter.name)
            side.report(
                resource,
                parameter.span,
                f"parameter {parameter.name}, the {name} of {label}, is not NoEcho: the console, the API and "
                "stack events show it; set NoEcho: true, or use {{resolve:secretsmanager:...}}",
                severity=Severity.MEDIUM,
            )


def _inside_quotes(span: Span, value: Any) -> Span:
    """The span of a quoted string's characters, without its quotes: only they are secret."""
    if isinstance(value, str) and span.line == span.end_line and span.end_column - span.column == len(value) + 2:
        return Span(span.line, span.column + 1, span.line, span.end_column - 1)
    return span


def _holders(block: TerraformBlock, steps: list[str]) -> list[TerraformBlock]:
    holders = [block]
    for step in steps:
        holders = [nested for holder in holders for nested in holder.nested(step)]
    return holders


def _reported_where_written(origin: str, value: Any) -> bool:
    """Whether the secrets rules report the literal behind ``origin`` (``local.db_password``,
    ``var.db_password``) where it is written: a credential-named local, variable default or
    ``.tfvars`` value. Then that finding is the one, with its own fix."""
    if not isinstance(value, str):
        return False
    if is_leaked_literal(value):
        return True
    credential = credential_kind(origin.rsplit(".", 1)[-1])
    return credential is not None and looks_like_secret(value, credential[0], strong=credential[1])


def _is_literal_secret(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip()) and "{{resolve:" not in value
    if isinstance(value, list):
        return any(isinstance(item, str) and item.strip() for item in value)
    return False


def _variable(index: ModuleIndex, block: TerraformBlock, value: TerraformExpression) -> TerraformBlock | None:
    """The variable a value is exactly (``var.db_password``), when the module declares it."""
    if value.kind != "reference" or len(value.references) != 1 or not value.references[0].startswith("var."):
        return None
    target = index.resolve(block, value.references[0])
    return target if target is not None and target.type == "variable" else None


def _cfn_values(node: Any, steps: list[str]):
    """``(name, value, key span, value span)`` at a dotted path; ``*`` steps into every list item."""
    if not steps:
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(node, CfnList):
            for item in node:
                yield from _cfn_values(item, rest)
        return
    if not isinstance(node, CfnMapping) or step not in node:
        return
    if not rest:
        yield step, node[step], node.key_span(step), node.value_span(step)
    else:
        yield from _cfn_values(node[step], rest)
