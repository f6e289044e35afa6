"""AWS023: queues, topics and streams whose messages are stored unencrypted."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import Severity

from ._base import AwsRule, CloudFormationSide, Side, TerraformSide


class MessagingUnencrypted(AwsRule):
    """An SQS queue, SNS topic or Kinesis stream whose messages are stored unencrypted.

    ## What it does
    Checks `aws_sqs_queue` / `AWS::SQS::Queue` for `sqs_managed_sse_enabled = false`
    (`SqsManagedSseEnabled: false`) without a `kms_master_key_id`, `aws_sns_topic` /
    `AWS::SNS::Topic` for no `kms_master_key_id` (`KmsMasterKeyId`), and
    `aws_kinesis_stream` / `AWS::Kinesis::Stream` for no encryption (`encryption_type`
    absent or `"NONE"`, no `StreamEncryption`).

    ## Why is this bad?
    Messages carry the same orders, events and personal data as the databases they feed,
    and a queue or stream keeps them for days. Stored unencrypted, they are readable from
    the service's storage and fail the audits that cover the databases. A topic or stream
    has no encryption unless it is asked for.

    ## Example
    ```terraform
    resource "aws_sns_topic" "orders" {
      name = "orders"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_sns_topic" "orders" {
      name              = "orders"
      kms_master_key_id = aws_kms_key.events.arn
    }
    ```

    ## Notes
    New SQS queues are encrypted with an SQS owned key unless `sqs_managed_sse_enabled`
    says `false`, so a queue that says nothing is not reported.
    """

    id = "AWS023"
    name = "messaging-unencrypted"
    summary = "SQS queue, SNS topic or Kinesis stream without encryption at rest"
    checklist = ("encryption",)
    severity = Severity.LOW
    cwe = (311,)
    references = (
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        "https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",
    )
    terraform_types = ("aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream")
    terraform_attributes = {
        "aws_sqs_queue": ("sqs_managed_sse_enabled", "kms_master_key_id"),
        "aws_sns_topic": ("kms_master_key_id",),
        "aws_kinesis_stream": ("encryption_type", "kms_key_id"),
    }
    cloudformation_types = ("AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Kinesis::Stream")

    def check_terraform(self, resource, side: TerraformSide) -> None:
        kind = resource.labels[0]
        if kind == "aws_sqs_queue":
            self._queue(side, resource, "sqs_managed_sse_enabled", "kms_master_key_id")
        elif kind == "aws_sns_topic":
            self._topic(side, resource, "kms_master_key_id")
        else:
            encryption = side.setting(resource, "encryption_type")
            if not encryption.present:
                self._missing(side, resource, "Kinesis stream", "encryption_type", 'encryption_type = "KMS"')
            elif (encryption.as_str() or "").upper() == "NONE":
                side.report(
                    resource,
                    encryption,
                    f"Kinesis stream {side.label(resource)} sets {encryption.shown}: its records are stored "
                    'unencrypted; set encryption_type = "KMS" with a kms_key_id',
                )

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if resource.type == "AWS::SQS::Queue":
            self._queue(side, resource, "SqsManagedSseEnabled", "KmsMasterKeyId")
        elif resource.type == "AWS::SNS::Topic":
            self._topic(side, resource, "KmsMasterKeyId")
        elif not resource.has("StreamEncryption"):
            self._missing(
                side,
                resource,
                "Kinesis stream",
                "StreamEncryption",
                "StreamEncryption: {EncryptionType: KMS, KeyId: ...}",
            )

    def _queue(self, side: Side, resource: Any, managed_key: str, kms_key: str) -> None:
        managed = side.setting(resource, managed_key)
        if managed.as_bool() is False and not side.given(resource, kms_key):
            side.report(
                resource,
                managed,
                f"SQS queue {side.label(resource)} sets {managed.shown} and no {kms_key}: its messages are stored "
                f"unencrypted; remove it (SQS then encrypts with its own key) or set {kms_key}",
            )

    def _topic(self, side: Side, resource: Any, kms_key: str) -> None:
        if side.given(resource, kms_key):
            return
        setting = side.setting(resource, kms_key)
        if not setting.present:
            self._missing(side, resource, "SNS topic", kms_key, f"{kms_key} to a KMS key")
            return
        side.report(
            resource,
            setting,
            f"SNS topic {side.label(resource)} sets {setting.shown}: its messages are stored unencrypted; "
            f"set {kms_key} to a KMS key",
        )

    @staticmethod
    def _missing(side: Side, resource: Any, what: str, key: str, fix: str) -> None:
        side.report(
            resource,
            side.header(resource),
            f"{what} {side.label(resource)} sets no {key}: its messages are stored unencrypted (the default); "
            f"set {fix}",
        )
