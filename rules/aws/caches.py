"""AWS021-AWS022: ElastiCache replication groups: encryption at rest and in transit."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import Severity

from ._base import AwsRule, CloudFormationSide, Side, TerraformSide, require_true

CACHE_DOCS = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/"
_GROUP_TF = "aws_elasticache_replication_group"
_GROUP_CFN = "AWS::ElastiCache::ReplicationGroup"


def _engine(side: Side, resource: Any) -> str:
    key = "engine" if side.language == "terraform" else "Engine"
    return (side.setting(resource, key).as_str() or "redis").lower()


def _in_global_datastore(side: Side, resource: Any) -> bool:
    """A group that joins a global datastore takes its encryption from the primary group."""
    key = "global_replication_group_id" if side.language == "terraform" else "GlobalReplicationGroupId"
    return side.given(resource, key)


class ElastiCacheAtRestUnencrypted(AwsRule):
    """An ElastiCache replication group whose data at rest is not encrypted.

    ## What it does
    Checks `aws_elasticache_replication_group` (`at_rest_encryption_enabled`) and
    `AWS::ElastiCache::ReplicationGroup` (`AtRestEncryptionEnabled`) for a setting that is
    absent (the default for the Redis OSS engine is unencrypted) or false.

    ## Why is this bad?
    A cache of sessions, tokens or query results holds the same data as the database
    behind it. Unencrypted, its disk swap, its backups and the snapshots exported to S3 are
    readable by whoever gets them. Encryption at rest can only be chosen when the group is
    created: turning it on later means a new group and a cut-over.

    ## Example
    ```terraform
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id = "sessions"
      description          = "user sessions"
      node_type            = "cache.r7g.large"
      num_cache_clusters   = 2
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "user sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      at_rest_encryption_enabled = true
      kms_key_id                 = aws_kms_key.cache.arn
    }
    ```

    ## Notes
    Valkey groups are encrypted at rest by default, so only an explicit `false` is
    reported for them; a group joining a global datastore (`global_replication_group_id`)
    takes its settings from the primary group and is not checked. Single-node
    `aws_elasticache_cluster` resources cannot encrypt at rest and are not checked: use a
    replication group.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS021"
    name = "elasticache-at-rest-unencrypted"
    summary = "ElastiCache replication group without encryption at rest"
    checklist = ("encryption",)
    severity = Severity.MEDIUM
    cwe = (311,)
    references = (f"{CACHE_DOCS}at-rest-encryption.html",)
    module_inputs = True
    terraform_types = (_GROUP_TF,)
    terraform_attributes = {_GROUP_TF: ("at_rest_encryption_enabled", "engine", "global_replication_group_id")}
    cloudformation_types = (_GROUP_CFN,)

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "at_rest_encryption_enabled")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "AtRestEncryptionEnabled")

    def _check(self, side: Side, resource: Any, key: str) -> None:
        if _in_global_datastore(side, resource):
            return
        if _engine(side, resource) == "valkey" and not side.setting(resource, key).present:
            return
        require_true(
            side,
            resource,
            key,
            what="ElastiCache replication group",
            missing="its backups and swapped data are unencrypted at rest (the Redis OSS default)",
            disabled="its backups and swapped data are unencrypted at rest",
            fix=f"set {key} = true with a KMS key (only possible when the group is created)",
        )


class ElastiCacheTransitUnencrypted(AwsRule):
    """An ElastiCache replication group that accepts clients over plain TCP.

    ## What it does
    Checks `aws_elasticache_replication_group` (`transit_encryption_enabled`) and
    `AWS::ElastiCache::ReplicationGroup` (`TransitEncryptionEnabled`) for a setting that is
    absent (the default is plain TCP) or false, and `transit_encryption_mode =
    "preferred"` (`TransitEncryptionMode: preferred`), which still accepts unencrypted
    clients.

    ## Why is this bad?
    Without TLS, every command and reply between the application and the cache (session
    contents, tokens, cached personal data, and the `AUTH` password itself) crosses the
    network in clear text, readable by anything on the path inside the VPC. An auth token
    is only sent over TLS: without transit encryption, the cache has no password either.

    ## Example
    ```terraform
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "user sessions"
      at_rest_encryption_enabled = true
      transit_encryption_enabled = false
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "user sessions"
      at_rest_encryption_enabled = true
      transit_encryption_enabled = true
      auth_token                 = var.redis_auth_token
    }
    ```

    ## Notes
    `preferred` is the step a live group passes through on its way to `required`; it is
    reported with low severity. A group joining a global datastore is not checked.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS022"
    name = "elasticache-transit-unencrypted"
    summary = "ElastiCache replication group without TLS in transit"
    checklist = ("encryption", "tls")
    severity = Severity.MEDIUM
    cwe = (319,)
    references = (f"{CACHE_DOCS}in-transit-encryption.html",)
    module_inputs = True
    terraform_types = (_GROUP_TF,)
    terraform_attributes = {
        _GROUP_TF: ("transit_encryption_enabled", "transit_encryption_mode", "global_replication_group_id")
    }
    cloudformation_types = (_GROUP_CFN,)

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "transit_encryption_enabled", "transit_encryption_mode")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "TransitEncryptionEnabled", "TransitEncryptionMode")

    def _check(self, side: Side, resource: Any, key: str, mode_key: str) -> None:
        if _in_global_datastore(side, resource):
            return
        reported = require_true(
            side,
            resource,
            key,
            what="ElastiCache replication group",
            missing="clients talk to it over plain TCP (the default), auth token included",
            disabled="clients talk to it over plain TCP, auth token included",
            fix=f"set {key} = true and connect with TLS",
        )
        mode = side.setting(resource, mode_key)
        if not reported and (mode.as_str() or "").lower() == "preferred":
            side.report(
                resource,
                mode,
                f"ElastiCache replication group {side.label(resource)} sets {mode.shown}: clients may still "
                f"connect without TLS; set {mode_key} to required once every client uses TLS",
                severity=Severity.LOW,
            )
