"""AWS007-AWS010: EBS, EFS and DynamoDB encryption and recovery settings."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import CfnList, CfnMapping, ModuleIndex, Severity, TerraformBlock

from ._base import AwsRule, CloudFormationSide, Side, TerraformSide, report_false, require_true

EBS_DOCS = "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"


class EbsVolumeUnencrypted(AwsRule):
    """An EBS volume, or an instance's or launch template's block device, left unencrypted.

    ## What it does
    Checks `aws_ebs_volume` (`encrypted`), the `root_block_device` and `ebs_block_device`
    blocks of `aws_instance` and `aws_launch_configuration` (an instance without a
    `root_block_device` block gets its root volume unencrypted unless the AMI's snapshot
    is), the `block_device_mappings` `ebs` blocks of `aws_launch_template`, and the
    CloudFormation equivalents (`AWS::EC2::Volume`, `BlockDeviceMappings` of
    `AWS::EC2::Instance`, `AWS::AutoScaling::LaunchConfiguration` and
    `AWS::EC2::LaunchTemplate`) for encryption that is absent or false.

    ## Why is this bad?
    An unencrypted volume leaves its data, and every snapshot taken of it, readable by
    whoever gets the snapshot (a mistakenly shared snapshot is public). Encryption cannot
    be turned on in place: the volume must be copied.

    ## Example
    ```terraform
    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
      encrypted         = true
    }
    ```

    ## Notes
    Volumes created from a snapshot (`snapshot_id`, `SnapshotId`) inherit its encryption
    and are not checked. When the repository turns on EBS encryption by default
    (`aws_ebs_encryption_by_default` with `enabled = true`), AWS encrypts every new volume
    of that account and Region, and Terraform volumes are not reported; an
    `aws_ebs_encryption_by_default` with `enabled = false` is reported itself.
    """

    id = "AWS007"
    name = "ebs-volume-unencrypted"
    summary = "EBS volume or block device without encryption"
    checklist = ("encryption",)
    severity = Severity.MEDIUM
    cwe = (311,)
    references = (EBS_DOCS,)
    terraform_types = ("aws_ebs_volume", "aws_instance", "aws_launch_configuration", "aws_launch_template")
    terraform_attributes = {
        "aws_ebs_volume": ("encrypted", "snapshot_id"),
        "aws_instance": ("root_block_device", "ebs_block_device", "launch_template"),
        "aws_launch_configuration": ("root_block_device", "ebs_block_device"),
        "aws_launch_template": ("block_device_mappings",),
        "aws_ebs_encryption_by_default": ("enabled",),
    }
    terraform_context = ("aws_ebs_encryption_by_default",)
    cloudformation_types = (
        "AWS::EC2::Volume",
        "AWS::EC2::Instance",
        "AWS::AutoScaling::LaunchConfiguration",
        "AWS::EC2::LaunchTemplate",
    )

    def check_module(self, index: ModuleIndex, side: TerraformSide) -> None:
        by_default = False
        for default in index.resources("aws_ebs_encryption_by_default"):
            enabled = side.setting(default, "enabled")
            if enabled.as_bool() is False:
                side.report(
                    default,
                    enabled,
                    f"{side.label(default)} sets {enabled.shown}: new EBS volumes of the account and Region are "
                    "unencrypted unless each asks; set enabled = true",
                )
            else:
                by_default = True  # every new volume of the account is encrypted
        if not by_default:
            super().check_module(index, side)

    def check_terraform(self, resource: TerraformBlock, side: TerraformSide) -> None:
        kind = resource.labels[0]
        label = side.label(resource)
        if kind == "aws_ebs_volume":
            if not resource.has("snapshot_id"):
                self._require(side, resource, resource, "encrypted", f"EBS volume {label}")
            return
        if kind == "aws_launch_template":
            for mapping in resource.nested("block_device_mappings"):
                device = side.setting(mapping, "device_name").as_str()
                volume = f"device {device}" if device else "a volume"
                for ebs in mapping.nested("ebs"):
                    if not ebs.has("snapshot_id"):
                        self._require(side, resource, ebs, "encrypted", f"launch template {label}: {volume}")
            return
        roots = resource.nested("root_block_device")
        if not roots and not resource.has("launch_template"):
            what = "instance" if kind == "aws_instance" else "launch configuration"
            side.report(
                resource,
                side.header(resource),
                f"{what} {label} declares no root_block_device: its root volume is unencrypted unless the AMI's "
                "snapshot is; add root_block_device { encrypted = true }",
            )
        for device in (*roots, *resource.nested("ebs_block_device")):
            if not device.has("snapshot_id"):
                self._require(side, resource, device, "encrypted", f"{label}: {device.type}")

    def _require(self, side: TerraformSide, resource: TerraformBlock, holder: TerraformBlock, key: str, what: str):
        setting = side.setting(holder, key)
        if not setting.present:
            side.report(
                resource,
                holder.header_span,
                f"{what} sets no {key}: the volume is unencrypted (the default); set {key} = true",
            )
        elif setting.as_bool() is False:
            side.report(resource, setting, f"{what} sets {setting.shown}: the volume is unencrypted; set {key} = true")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        label = side.label(resource)
        if resource.type == "AWS::EC2::Volume":
            if not resource.has("SnapshotId"):
                require_true(
                    side,
                    resource,
                    "Encrypted",
                    what="EBS volume",
                    missing="the volume is unencrypted (the default)",
                    disabled="the volume is unencrypted",
                    fix="set Encrypted: true",
                )
            return
        if resource.type == "AWS::EC2::LaunchTemplate":
            mappings = resource.field("LaunchTemplateData.BlockDeviceMappings")
            self._mappings(side, resource, mappings.value if mappings else None, f"launch template {label}")
            return
        mappings = resource.field("BlockDeviceMappings")
        if mappings is None:
            if not resource.has("LaunchTemplate"):
                what = "instance" if resource.type == "AWS::EC2::Instance" else "launch configuration"
                side.report(
                    resource,
                    resource.id_span,
                    f"{what} {label} declares no BlockDeviceMappings: its root volume is unencrypted unless the "
                    "AMI's snapshot is; map the root device with Ebs: {Encrypted: true}",
                )
            return
        self._mappings(side, resource, mappings.value, label)

    def _mappings(self, side: CloudFormationSide, resource: Any, mappings: Any, what: str) -> None:
        if not isinstance(mappings, CfnList):
            return
        for item in mappings:
            if not isinstance(item, CfnMapping):
                continue
            ebs = item.field("Ebs")
            if ebs is None or not isinstance(ebs.value, CfnMapping) or "SnapshotId" in ebs.value:
                continue
            device = item.get("DeviceName")
            name = f"{what}: device {device}" if isinstance(device, str) else f"{what}: a block device"
            encrypted = ebs.value.field("Encrypted")
            if encrypted is None:
                side.report(
                    resource,
                    ebs.key_span,
                    f"{name} sets no Encrypted: the volume is unencrypted (the default); set Encrypted: true",
                )
                continue
            resolved = side.template.resolve(encrypted.value)
            if str(resolved.value).lower() == "false":
                side.report(
                    resource,
                    encrypted.key_span,
                    f"{name} sets Encrypted to false: the volume is unencrypted; set Encrypted: true",
                )


class EfsUnencrypted(AwsRule):
    """An EFS file system without encryption at rest.

    ## What it does
    Checks `aws_efs_file_system` (`encrypted`) and `AWS::EFS::FileSystem` (`Encrypted`)
    for a setting that is absent (the default is unencrypted) or false.

    ## Why is this bad?
    Unencrypted file systems and their backups are readable by whoever gets access to the
    underlying storage or a restored copy; encryption can only be chosen when the file
    system is created, so fixing it later means copying every file to a new one.

    ## Example
    ```terraform
    resource "aws_efs_file_system" "shared" {
      creation_token = "shared"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_efs_file_system" "shared" {
      creation_token = "shared"
      encrypted      = true
    }
    ```
    """

    id = "AWS008"
    name = "efs-unencrypted"
    summary = "EFS file system without encryption at rest"
    checklist = ("encryption",)
    severity = Severity.MEDIUM
    cwe = (311,)
    references = ("https://docs.aws.amazon.com/efs/latest/ug/encryption.html",)
    terraform_types = ("aws_efs_file_system",)
    terraform_attributes = {"aws_efs_file_system": ("encrypted",)}
    cloudformation_types = ("AWS::EFS::FileSystem",)

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "encrypted")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "Encrypted")

    def _check(self, side: Side, resource: Any, key: str) -> None:
        require_true(
            side,
            resource,
            key,
            what="EFS file system",
            missing="its files are unencrypted at rest (the default)",
            disabled="its files are unencrypted at rest",
            fix=f"set {key} = true (only possible when it is created)",
        )


class DynamoDbPointInTimeRecoveryDisabled(AwsRule):
    """A DynamoDB table without point-in-time recovery.

    ## What it does
    Checks `aws_dynamodb_table` (`point_in_time_recovery { enabled = true }`),
    `AWS::DynamoDB::Table` (`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled`)
    and each replica of `AWS::DynamoDB::GlobalTable` for recovery that is absent (the
    default is off) or false.

    ## Why is this bad?
    Without point-in-time recovery, a bad deploy that overwrites items, a script that
    deletes the wrong keys or a dropped table cannot be undone: DynamoDB keeps no history.
    With it, the table can be restored to any second of the last 35 days.

    ## Example
    ```terraform
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "id"

      attribute {
        name = "id"
        type = "S"
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "id"

      attribute {
        name = "id"
        type = "S"
      }

      point_in_time_recovery {
        enabled = true
      }
    }
    ```
    """

    id = "AWS009"
    name = "dynamodb-point-in-time-recovery-disabled"
    summary = "DynamoDB table without point-in-time recovery"
    checklist = ("backups",)
    severity = Severity.MEDIUM
    cwe = (693,)
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",)
    terraform_types = ("aws_dynamodb_table",)
    terraform_attributes = {"aws_dynamodb_table": ("point_in_time_recovery",)}
    cloudformation_types = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")
    _FIX = "turn on point-in-time recovery"

    def check_terraform(self, resource, side: TerraformSide) -> None:
        require_true(
            side,
            resource,
            "point_in_time_recovery.enabled",
            what="DynamoDB table",
            missing="a deleted or overwritten item cannot be restored (recovery is off by default)",
            disabled="a deleted or overwritten item cannot be restored",
            fix="set point_in_time_recovery { enabled = true }",
        )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        key = "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"
        if resource.type == "AWS::DynamoDB::Table":
            require_true(
                side,
                resource,
                key,
                what="DynamoDB table",
                missing="a deleted or overwritten item cannot be restored (recovery is off by default)",
                disabled="a deleted or overwritten item cannot be restored",
                fix="set PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}",
            )
            return
        replicas = resource.get("Replicas")
        if not isinstance(replicas, CfnList):
            return
        for replica in replicas.fields():
            if not isinstance(replica.value, CfnMapping):
                continue
            region = replica.value.get("Region")
            where = f"global table {side.label(resource)}, replica in {region if isinstance(region, str) else '?'}"
            spec = replica.value.get("PointInTimeRecoverySpecification")
            enabled = spec.field("PointInTimeRecoveryEnabled") if isinstance(spec, CfnMapping) else None
            if enabled is None:
                at = replica.value.key_span("PointInTimeRecoverySpecification") if spec is not None else replica.span
                side.report(resource, at, f"{where}, has no point-in-time recovery; {self._FIX}")
            elif str(side.template.resolve(enabled.value).value).lower() == "false":
                side.report(resource, enabled.key_span, f"{where}, turns point-in-time recovery off; {self._FIX}")


class DynamoDbEncryptionDisabled(AwsRule):
    """A DynamoDB table whose server-side encryption is switched off.

    ## What it does
    Checks `aws_dynamodb_table` (`server_side_encryption { enabled = false }`) and
    `AWS::DynamoDB::Table` / `AWS::DynamoDB::GlobalTable`
    (`SSESpecification.SSEEnabled: false`) for encryption explicitly set to false.

    ## Why is this bad?
    DynamoDB always encrypts at rest, but `false` selects a key owned by AWS: its use is
    not logged in your CloudTrail, it cannot be rotated, restricted by a key policy or
    revoked, and it fails audits that require customer-controlled keys. Written out, it
    also reads as if the table were unencrypted.

    ## Example
    ```terraform
    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "id"

      server_side_encryption {
        enabled = false
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "id"

      server_side_encryption {
        enabled     = true
        kms_key_arn = aws_kms_key.dynamodb.arn
      }
    }
    ```

    ## Notes
    A table that does not mention encryption is not reported: the AWS owned key is then
    the service's default, not a choice written in the code.
    """

    id = "AWS010"
    name = "dynamodb-encryption-disabled"
    summary = "DynamoDB table with server-side encryption set to false"
    checklist = ("encryption",)
    severity = Severity.LOW
    cwe = (311,)
    references = ("https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",)
    terraform_types = ("aws_dynamodb_table",)
    terraform_attributes = {"aws_dynamodb_table": ("server_side_encryption",)}
    cloudformation_types = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "server_side_encryption.enabled", "server_side_encryption { enabled = true }")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "SSESpecification.SSEEnabled", "SSESpecification: {SSEEnabled: true}")

    def _check(self, side: Side, resource: Any, path: str, fix: str) -> None:
        report_false(
            side,
            resource,
            path,
            what="DynamoDB table",
            consequence="it is encrypted with an AWS owned key you cannot audit, rotate or revoke",
            fix=f"set {fix} with an AWS managed or customer managed KMS key",
        )
