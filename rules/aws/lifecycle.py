"""AWS016: stateful resources that a plan or a stack deletion destroys without a stop."""

from __future__ import annotations

from prodready_lint.sdk import Option, Severity, TerraformBlock

from ._base import AwsRule, CloudFormationSide, TerraformSide

STATEFUL_TERRAFORM = (
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_s3_bucket",
    "aws_dynamodb_table",
    "aws_efs_file_system",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_redshift_cluster",
)
STATEFUL_CLOUDFORMATION = (
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::S3::Bucket",
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::Serverless::SimpleTable",
    "AWS::EFS::FileSystem",
    "AWS::DocDB::DBCluster",
    "AWS::Neptune::DBCluster",
    "AWS::Redshift::Cluster",
)
# CloudFormation snapshots these when DeletionPolicy (or UpdateReplacePolicy) is absent.
_SNAPSHOT_BY_DEFAULT = frozenset({"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"})
# CloudFormation cannot delete a bucket that holds objects: a replaced bucket keeps its data.
_KEEPING_POLICIES = frozenset({"retain", "snapshot", "retainexceptoncreate"})


class StatefulResourceWithoutDestroyProtection(AwsRule):
    """A database, bucket, table or file system that a plan or stack deletion can destroy.

    ## What it does
    Checks the stateful resources (`aws_db_instance`, `aws_rds_cluster`, `aws_s3_bucket`,
    `aws_dynamodb_table`, `aws_efs_file_system`, `aws_docdb_cluster`,
    `aws_neptune_cluster`, `aws_redshift_cluster`, and the types added in the options) for
    `lifecycle { prevent_destroy = true }`, and their CloudFormation equivalents for a
    `DeletionPolicy` that keeps the data (`Retain`, `RetainExceptOnCreate`, or `Snapshot`
    where the type supports it), and no `UpdateReplacePolicy: Delete` beside it.
    CloudFormation snapshots RDS resources when no policy is written, so only a `Delete`
    policy is reported for those.

    ## Why is this bad?
    A renamed resource, a changed attribute that forces replacement, a refactor that moves
    a resource between modules or a deleted stack all destroy the data store, and the plan
    that does it looks like any other. `prevent_destroy` makes Terraform refuse such a
    plan, and `DeletionPolicy: Retain` keeps the resource when CloudFormation removes it
    from the stack.

    ## Example
    ```terraform
    resource "aws_dynamodb_table" "sessions" {
      name     = "sessions"
      hash_key = "id"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_dynamodb_table" "sessions" {
      name     = "sessions"
      hash_key = "id"

      lifecycle {
        prevent_destroy = true
      }
    }
    ```

    ## Notes
    Terraform does not let a variable set `prevent_destroy`, so a reusable module cannot
    make it optional; suppress the finding where deletion is intended (a scratch bucket).
    Deletion protection on RDS (`deletion_protection`) is a separate setting, checked by
    `database-deletion-protection-disabled` (AWS003): it stops API calls, not plans.
    `DeletionPolicy` acts when the stack deletes the resource, `UpdateReplacePolicy` when
    a changed property makes CloudFormation replace it (a renamed table, a new key
    schema): with `DeletionPolicy: Retain` alone, the replaced table is deleted.
    """

    id = "AWS016"
    name = "stateful-resource-without-destroy-protection"
    summary = "Stateful resource without prevent_destroy or a retaining DeletionPolicy"
    checklist = ("deletion-protection",)
    severity = Severity.LOW
    cwe = (693,)
    references = (
        "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html",
    )
    options = (
        Option(
            "extra-types",
            "list[str]",
            [],
            "More resource types to treat as stateful (Terraform types or CloudFormation AWS:: types).",
        ),
    )
    terraform_types = STATEFUL_TERRAFORM
    terraform_attributes = {name: ("lifecycle", "replicate_source_db") for name in STATEFUL_TERRAFORM}
    cloudformation_types = STATEFUL_CLOUDFORMATION
    # "resource" and "AWS::" also catch the types added through extra-types
    collect_triggers = (*STATEFUL_TERRAFORM, *STATEFUL_CLOUDFORMATION, "resource", "AWS::", "variable", "locals")

    def collected_types(self) -> tuple[str, ...]:
        return (*super().collected_types(), *self.settings["extra-types"])

    def check_module(self, index, side: TerraformSide) -> None:
        types = (*STATEFUL_TERRAFORM, *(t for t in self.settings["extra-types"] if not t.startswith("AWS::")))
        for resource_type in dict.fromkeys(types):
            for resource in index.resources(resource_type):
                self.check_terraform(resource, side)

    def check_template(self, template, side: CloudFormationSide) -> None:
        extra = tuple(t for t in self.settings["extra-types"] if t.startswith("AWS::"))
        for resource in template.resources_of(*STATEFUL_CLOUDFORMATION, *extra):
            self.check_cloudformation(resource, side)

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        if resource.labels[0] == "aws_db_instance" and side.given(resource, "replicate_source_db"):
            return
        label = side.label(resource)
        lifecycle = resource.nested("lifecycle")
        setting = side.setting(resource, "lifecycle.prevent_destroy")
        fix = "add lifecycle { prevent_destroy = true }"
        if not setting.present:
            at = lifecycle[0].header_span if lifecycle else resource.header_span
            side.report(
                resource,
                at,
                f"{label} holds data but has no prevent_destroy: a plan that replaces or removes it deletes the "
                f"data without a stop; {fix}",
            )
        elif setting.as_bool() is False:
            side.report(
                resource,
                setting,
                f"{label} sets {setting.shown}: a plan that replaces or removes it deletes the data; {fix}",
            )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if resource.type == "AWS::RDS::DBInstance" and (
            side.given(resource, "DBClusterIdentifier") or side.given(resource, "SourceDBInstanceIdentifier")
        ):
            return  # an Aurora instance or a replica: the cluster or source holds the data
        policy = resource.deletion_policy
        label = side.label(resource)
        fix = "set DeletionPolicy: Retain (or Snapshot) and UpdateReplacePolicy: Retain"
        if policy is None:
            if resource.type in _SNAPSHOT_BY_DEFAULT:
                self._replacement(resource, side)
                return
            side.report(
                resource,
                resource.id_span,
                f"{label} ({resource.type}) holds data but has no DeletionPolicy: deleting the stack or replacing "
                f"the resource deletes it; {fix}",
            )
            return
        value = side.template.resolve(policy.value).value
        if isinstance(value, str) and value.lower() not in _KEEPING_POLICIES:
            side.report(
                resource,
                policy.key_span,
                f"{label} ({resource.type}) sets DeletionPolicy: {value}: deleting the stack or replacing the "
                f"resource deletes its data; {fix}",
            )
            return
        self._replacement(resource, side)

    def _replacement(self, resource, side: CloudFormationSide) -> None:
        """A resource kept on deletion must be kept on replacement too."""
        replace = resource.update_replace_policy
        label = side.label(resource)
        fix = "set UpdateReplacePolicy: Retain (or Snapshot)"
        if replace is None:
            # Left out, it is only cfn-lint's warning (W3011): the retaining DeletionPolicy
            # is the protection the checklist asks for. Written to Delete, it undoes it.
            return
        value = side.template.resolve(replace.value).value
        if isinstance(value, str) and value.lower() not in _KEEPING_POLICIES:
            side.report(
                resource,
                replace.key_span,
                f"{label} ({resource.type}) sets UpdateReplacePolicy: {value}: a change that replaces it deletes "
                f"the old resource and its data; {fix}",
            )
