"""AWS001-AWS006 and AWS025: RDS, Aurora, DocumentDB, Neptune, Redshift and ElastiCache settings a
production database needs."""

from __future__ import annotations

from typing import Any

from prodready_lint.sdk import CfnList, CfnMapping, Option, Severity

from ._base import AwsRule, CloudFormationSide, Side, TerraformSide, report_false, require_true

RDS_DOCS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"


# attributes through which an RDS resource gets its encryption from elsewhere
_INHERITED = ("kms_key_id", "snapshot_identifier", "replicate_source_db", "replication_source_identifier")


def _is_replica(side: Side, resource: Any) -> bool:
    """A read replica copies its source: its backups, availability and protection are the source's."""
    if side.language == "terraform":
        return side.given(resource, "replicate_source_db")
    return side.given(resource, "SourceDBInstanceIdentifier") or side.given(resource, "SourceDBClusterIdentifier")


def _in_cluster(side: Side, resource: Any) -> bool:
    """An Aurora instance: its cluster holds storage, backups and protection."""
    engine = side.setting(resource, "engine" if side.language == "terraform" else "Engine").as_str() or ""
    if engine.lower().startswith("aurora"):
        return True
    return side.language == "cloudformation" and side.given(resource, "DBClusterIdentifier")


_CLUSTERS_TF = {
    "aws_rds_cluster": "Aurora cluster",
    "aws_docdb_cluster": "DocumentDB cluster",
    "aws_neptune_cluster": "Neptune cluster",
    "aws_redshift_cluster": "Redshift cluster",
}
_CLUSTERS_CFN = {
    "AWS::RDS::DBCluster": "Aurora cluster",
    "AWS::DocDB::DBCluster": "DocumentDB cluster",
    "AWS::Neptune::DBCluster": "Neptune cluster",
    "AWS::Redshift::Cluster": "Redshift cluster",
}


def _redshift(resource: Any) -> bool:
    return bool(resource.labels) and resource.labels[0] == "aws_redshift_cluster"


def _cluster_kind(side: Side, resource: Any) -> str | None:
    """ "Aurora cluster", "DocumentDB cluster", ...: what a cluster resource is; None for an instance."""
    if side.language == "terraform":
        return _CLUSTERS_TF.get(resource.labels[0])
    return _CLUSTERS_CFN.get(resource.type)


class DatabaseNotMultiAz(AwsRule):
    """An RDS instance or ElastiCache replication group that runs in one Availability Zone.

    ## What it does
    Checks `aws_db_instance` (`multi_az`), `aws_elasticache_replication_group`
    (`automatic_failover_enabled` and `multi_az_enabled`) and their CloudFormation
    equivalents (`AWS::RDS::DBInstance` `MultiAZ`, `AWS::ElastiCache::ReplicationGroup`
    `AutomaticFailoverEnabled` and `MultiAZEnabled`) for a setting that is absent (the
    default is a single AZ) or false.

    ## Why is this bad?
    A single-AZ database goes down with its Availability Zone, and a failed primary is
    replaced only by a restore from backup: minutes to hours of downtime and lost writes.
    With Multi-AZ, AWS keeps a synchronous standby (RDS) or replicas in other zones
    (ElastiCache) and fails over on its own in a minute or two.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier     = "orders"
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = false
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier     = "orders"
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```

    ## Notes
    Aurora is multi-AZ through the instances of its cluster (add a second
    `aws_rds_cluster_instance`), so clusters and their instances are not checked here;
    neither are read replicas, whose availability is their source's. A value from a
    variable is judged by the variable's default when the module gives one, with lower
    confidence.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS001"
    name = "database-not-multi-az"
    summary = "RDS instance or ElastiCache replication group without Multi-AZ"
    checklist = ("high-availability",)
    severity = Severity.MEDIUM
    cwe = (653,)  # a failure that one zone contains takes the whole service down
    references = (
        f"{RDS_DOCS}Concepts.MultiAZ.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    )
    module_inputs = True
    terraform_types = ("aws_db_instance", "aws_elasticache_replication_group")
    terraform_attributes = {
        "aws_db_instance": ("multi_az", "replicate_source_db", "engine"),
        "aws_elasticache_replication_group": ("automatic_failover_enabled", "multi_az_enabled"),
    }
    cloudformation_types = ("AWS::RDS::DBInstance", "AWS::ElastiCache::ReplicationGroup")

    def check_terraform(self, resource, side: TerraformSide) -> None:
        if resource.labels[0] == "aws_db_instance":
            self._rds(side, resource, "multi_az")
        else:
            self._cache(side, resource, "automatic_failover_enabled", "multi_az_enabled")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if resource.type == "AWS::RDS::DBInstance":
            self._rds(side, resource, "MultiAZ")
        else:
            self._cache(side, resource, "AutomaticFailoverEnabled", "MultiAZEnabled")

    def _rds(self, side: Side, resource: Any, key: str) -> None:
        if _is_replica(side, resource) or _in_cluster(side, resource):
            return
        require_true(
            side,
            resource,
            key,
            what="RDS instance",
            missing="it runs in a single Availability Zone (the default)",
            disabled="it runs in a single Availability Zone",
            fix=f"set {key} = true for a standby in another zone and automatic failover",
        )

    def _cache(self, side: Side, resource: Any, failover_key: str, multi_az_key: str) -> None:
        failover = side.setting(resource, failover_key)
        multi_az = side.setting(resource, multi_az_key)
        label = side.label(resource)
        fix = f"set {failover_key} = true and {multi_az_key} = true with at least one replica"
        what = "ElastiCache replication group"
        if failover.as_bool() is False:
            side.report(
                resource,
                failover,
                f"{what} {label} sets {failover.shown}: a failed primary is not replaced; {fix}",
            )
        elif multi_az.as_bool() is False:
            side.report(resource, multi_az, f"{what} {label} sets {multi_az.shown}: its nodes may share a zone; {fix}")
        elif not failover.present and not multi_az.present:
            side.report(
                resource,
                side.header(resource),
                f"{what} {label} sets neither {failover_key} nor {multi_az_key}: a failed primary or zone "
                f"is not recovered on its own; {fix}",
            )
        elif not multi_az.present and failover.as_bool() is True:
            side.report(
                resource,
                side.header(resource),
                f"{what} {label} sets no {multi_az_key}: its replicas may share the primary's zone; {fix}",
            )
        elif not failover.present and multi_az.as_bool() is True:
            side.report(
                resource,
                side.header(resource),
                f"{what} {label} sets no {failover_key}: Multi-AZ needs automatic failover; {fix}",
            )


class DatabaseBackupsDisabled(AwsRule):
    """An RDS instance or Aurora cluster without automated backups, or keeping them too briefly.

    ## What it does
    Checks `aws_db_instance` and `aws_rds_cluster` (`backup_retention_period`) and
    `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` (`BackupRetentionPeriod`) for a
    retention of 0 (automated backups and point-in-time recovery off), a retention below
    the configured minimum, or no retention at all (AWS then keeps one day).

    ## Why is this bad?
    Automated backups are what point-in-time recovery restores from. Without them, a bad
    migration, a deleted table or a corrupted volume is unrecoverable; with one day, a
    problem noticed after a weekend is too.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier              = "orders"
      engine                  = "postgres"
      backup_retention_period = 0
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier              = "orders"
      engine                  = "postgres"
      backup_retention_period = 14
    }
    ```

    ## Notes
    Read replicas and Aurora instances are skipped: their source instance or cluster holds
    the backups. A retention of 0 is reported with high severity, an absent one (the
    one-day default) with the rule's.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS002"
    name = "database-backups-disabled"
    summary = "RDS instance or Aurora cluster with automated backups off or unset"
    checklist = ("backups",)
    severity = Severity.MEDIUM
    cwe = (693,)
    references = (f"{RDS_DOCS}USER_WorkingWithAutomatedBackups.html",)
    options = (
        Option(
            "min-retention-days",
            "int",
            1,
            "Shortest backup retention (days) accepted when written; 0 is always reported.",
        ),
    )
    module_inputs = True
    terraform_types = ("aws_db_instance", "aws_rds_cluster")
    terraform_attributes = {
        "aws_db_instance": ("backup_retention_period", "replicate_source_db", "engine"),
        "aws_rds_cluster": ("backup_retention_period",),
    }
    cloudformation_types = ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster")

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "backup_retention_period")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "BackupRetentionPeriod")

    def _check(self, side: Side, resource: Any, key: str) -> None:
        if _is_replica(side, resource):
            return
        cluster = (
            resource.labels[0] == "aws_rds_cluster" if side.language == "terraform" else "Cluster" in resource.type
        )
        if not cluster and _in_cluster(side, resource):
            return
        what = "Aurora cluster" if cluster else "RDS instance"
        label = side.label(resource)
        setting = side.setting(resource, key)
        minimum = max(int(self.settings["min-retention-days"]), 1)
        if not setting.present:
            side.report(
                resource,
                setting,
                f"{what} {label} sets no {key}: AWS keeps automated backups for one day only; "
                f"set {key} to the days of point-in-time recovery you need (7 or more)",
            )
            return
        days = setting.as_int()
        if days is None:
            return
        if days <= 0:
            side.report(
                resource,
                setting,
                f"{what} {label} sets {setting.shown}: automated backups and point-in-time recovery are off; "
                f"set {key} to 7 or more",
                severity=Severity.HIGH,
            )
        elif days < minimum:
            side.report(
                resource,
                setting,
                f"{what} {label} sets {setting.shown}: backups are kept for less than the required "
                f"{minimum} days; raise {key}",
            )


class DatabaseDeletionProtectionDisabled(AwsRule):
    """A database that an API call or a plan can delete.

    ## What it does
    Checks `aws_db_instance`, `aws_rds_cluster`, `aws_docdb_cluster` and
    `aws_neptune_cluster` (`deletion_protection`) and `AWS::RDS::DBInstance`,
    `AWS::RDS::DBCluster`, `AWS::DocDB::DBCluster` and `AWS::Neptune::DBCluster`
    (`DeletionProtection`) for a setting that is absent (the default is off) or false, and
    DynamoDB tables (`deletion_protection_enabled`, `DeletionProtectionEnabled`) for an
    explicit false.

    ## Why is this bad?
    Without deletion protection, one `terraform destroy`, a replacement forced by a changed
    attribute, a stack deletion or a console click deletes the database. With it, AWS
    refuses to delete it until someone turns protection off on purpose.

    ## Example
    ```terraform
    resource "aws_rds_cluster" "ledger" {
      cluster_identifier  = "ledger"
      engine              = "aurora-postgresql"
      deletion_protection = false
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_rds_cluster" "ledger" {
      cluster_identifier  = "ledger"
      engine              = "aurora-postgresql"
      deletion_protection = true
    }
    ```

    ## Notes
    Aurora instances are protected through their cluster and read replicas are copies of
    their source, so neither is checked. A DynamoDB table that does not mention deletion
    protection is left to `stateful-resource-without-destroy-protection` (AWS016), which
    asks every table for `prevent_destroy` or a retaining `DeletionPolicy`.
    `lifecycle { prevent_destroy = true }` only stops Terraform; it is checked by
    `stateful-resource-without-destroy-protection` (AWS016).

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS003"
    name = "database-deletion-protection-disabled"
    summary = "RDS, Aurora, DocumentDB or Neptune database without deletion protection"
    checklist = ("deletion-protection",)
    severity = Severity.MEDIUM
    cwe = (693,)
    references = (f"{RDS_DOCS}USER_DeleteInstance.html#USER_DeletionProtection",)
    module_inputs = True
    terraform_types = (
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_dynamodb_table",
    )
    terraform_attributes = {
        "aws_db_instance": ("deletion_protection", "replicate_source_db", "engine"),
        "aws_rds_cluster": ("deletion_protection",),
        "aws_docdb_cluster": ("deletion_protection",),
        "aws_neptune_cluster": ("deletion_protection",),
        "aws_dynamodb_table": ("deletion_protection_enabled",),
    }
    cloudformation_types = (
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::DynamoDB::Table",
    )

    def check_terraform(self, resource, side: TerraformSide) -> None:
        if resource.labels[0] == "aws_dynamodb_table":
            self._table(side, resource, "deletion_protection_enabled")
        else:
            self._check(side, resource, "deletion_protection")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        if resource.type == "AWS::DynamoDB::Table":
            self._table(side, resource, "DeletionProtectionEnabled")
        else:
            self._check(side, resource, "DeletionProtection")

    def _table(self, side: Side, resource: Any, key: str) -> None:
        report_false(
            side,
            resource,
            key,
            what="DynamoDB table",
            consequence="anyone or any plan that deletes it succeeds",
            fix=f"set {key} = true",
        )

    def _check(self, side: Side, resource: Any, key: str) -> None:
        cluster = _cluster_kind(side, resource)
        if _is_replica(side, resource) or (cluster is None and _in_cluster(side, resource)):
            return
        require_true(
            side,
            resource,
            key,
            what=cluster or "RDS instance",
            missing="anyone or any plan that deletes it succeeds (protection is off by default)",
            disabled="anyone or any plan that deletes it succeeds",
            fix=f"set {key} = true",
        )


class DatabaseFinalSnapshotSkipped(AwsRule):
    """An RDS instance or Aurora cluster deleted without a final snapshot.

    ## What it does
    Checks `aws_db_instance`, `aws_rds_cluster`, `aws_docdb_cluster`,
    `aws_neptune_cluster` and `aws_redshift_cluster` for `skip_final_snapshot = true`.

    ## Why is this bad?
    When the database is destroyed (on purpose, by a replacement Terraform plans for a
    changed attribute, or by mistake) no snapshot is taken, and automated backups are
    deleted with it by default: the data is gone.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier          = "orders"
      engine              = "postgres"
      skip_final_snapshot = true
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier                = "orders"
      engine                    = "postgres"
      skip_final_snapshot       = false
      final_snapshot_identifier = "orders-final"
    }
    ```

    ## Notes
    CloudFormation takes a final snapshot of RDS resources unless `DeletionPolicy:
    Delete` says otherwise; that is reported by `stateful-resource-without-destroy-protection`
    (AWS016). Read replicas are skipped.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS004"
    name = "database-final-snapshot-skipped"
    summary = "Database with skip_final_snapshot = true"
    checklist = ("backups", "deletion-protection")
    severity = Severity.MEDIUM
    cwe = (693,)
    references = ("https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance",)
    module_inputs = True
    terraform_types = ("aws_db_instance", *_CLUSTERS_TF)
    terraform_attributes = {
        "aws_db_instance": ("skip_final_snapshot", "replicate_source_db"),
        **{name: ("skip_final_snapshot",) for name in _CLUSTERS_TF},
    }

    def check_terraform(self, resource, side: TerraformSide) -> None:
        if _is_replica(side, resource):
            return
        setting = side.setting(resource, "skip_final_snapshot")
        if setting.as_bool() is True:
            what = _cluster_kind(side, resource) or "RDS instance"
            side.report(
                resource,
                setting,
                f"{what} {side.label(resource)} sets {setting.shown}: destroying it keeps no snapshot of its data; "
                "set skip_final_snapshot = false and a final_snapshot_identifier",
            )


class DatabaseStorageUnencrypted(AwsRule):
    """A database whose storage is not encrypted.

    ## What it does
    Checks `aws_db_instance`, `aws_rds_cluster`, `aws_docdb_cluster` and
    `aws_neptune_cluster` (`storage_encrypted`) and `AWS::RDS::DBInstance`,
    `AWS::RDS::DBCluster`, `AWS::DocDB::DBCluster` and `AWS::Neptune::DBCluster`
    (`StorageEncrypted`) for a setting that is absent (the default is unencrypted) or
    false, and Redshift clusters (`encrypted`, `Encrypted`) for an explicit false.

    ## Why is this bad?
    Unencrypted storage leaves the data, its automated backups, snapshots and replicas
    readable by anyone who gets hold of a volume or a shared snapshot, and fails most
    compliance regimes. Encryption cannot be turned on later: the database must be
    restored from an encrypted copy of a snapshot, with downtime.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier = "orders"
      engine     = "postgres"
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier        = "orders"
      engine            = "postgres"
      storage_encrypted = true
    }
    ```

    ## Notes
    Not reported where the encryption comes from elsewhere: a `kms_key_id`, a snapshot or
    source being restored or replicated (`snapshot_identifier`, `replicate_source_db`,
    `replication_source_identifier`), an Aurora instance (its cluster decides), and Aurora
    Serverless v1 (`engine_mode = "serverless"`, always encrypted). New Redshift clusters
    are encrypted unless told otherwise, so only `encrypted = false` is reported for them.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS005"
    name = "database-storage-unencrypted"
    summary = "RDS, Aurora, DocumentDB, Neptune or Redshift database with unencrypted storage"
    checklist = ("encryption",)
    severity = Severity.HIGH
    cwe = (311,)
    references = (f"{RDS_DOCS}Overview.Encryption.html",)
    module_inputs = True
    terraform_types = ("aws_db_instance", *_CLUSTERS_TF)
    terraform_attributes = {
        "aws_db_instance": ("storage_encrypted", "engine", *_INHERITED),
        "aws_rds_cluster": ("storage_encrypted", "engine", "engine_mode", *_INHERITED),
        "aws_docdb_cluster": ("storage_encrypted", *_INHERITED),
        "aws_neptune_cluster": ("storage_encrypted", *_INHERITED),
        "aws_redshift_cluster": ("encrypted", "kms_key_id", "snapshot_identifier"),
    }
    cloudformation_types = ("AWS::RDS::DBInstance", *_CLUSTERS_CFN)
    _INHERITED_TF = _INHERITED
    _INHERITED_CFN = (
        "KmsKeyId",
        "DBSnapshotIdentifier",
        "SnapshotIdentifier",
        "SourceDBInstanceIdentifier",
        "SourceDBClusterIdentifier",
        "ReplicationSourceIdentifier",
    )

    def check_terraform(self, resource, side: TerraformSide) -> None:
        if self._inherits(
            side, resource, self._INHERITED_TF, "encrypted" if _redshift(resource) else "storage_encrypted"
        ):
            return
        kind = resource.labels[0]
        if kind == "aws_redshift_cluster":
            self._redshift(side, resource, "encrypted")
            return
        if kind == "aws_rds_cluster" and (side.setting(resource, "engine_mode").as_str() or "").lower() == "serverless":
            return
        self._check(side, resource, "storage_encrypted")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        key = "Encrypted" if resource.type == "AWS::Redshift::Cluster" else "StorageEncrypted"
        if self._inherits(side, resource, self._INHERITED_CFN, key):
            return
        if resource.type == "AWS::Redshift::Cluster":
            self._redshift(side, resource, "Encrypted")
            return
        if (
            resource.type == "AWS::RDS::DBCluster"
            and (side.setting(resource, "EngineMode").as_str() or "").lower() == "serverless"
        ):
            return
        self._check(side, resource, "StorageEncrypted")

    @staticmethod
    def _inherits(side: Side, resource: Any, names: tuple[str, ...], key: str) -> bool:
        """Whether the encryption comes from elsewhere: a snapshot or source, or a KMS key
        (which needs encryption on: a key beside an explicit false does not count)."""
        given = [name for name in names if side.given(resource, name)]
        if not given:
            return False
        only_key = all(name.lower() in ("kms_key_id", "kmskeyid") for name in given)
        return not (only_key and side.setting(resource, key).as_bool() is False)

    def _redshift(self, side: Side, resource: Any, key: str) -> None:
        report_false(
            side,
            resource,
            key,
            what="Redshift cluster",
            consequence="its storage, backups and snapshots are unencrypted",
            fix=f"set {key} = true with a KMS key",
        )

    def _check(self, side: Side, resource: Any, key: str) -> None:
        cluster = _cluster_kind(side, resource)
        if cluster is None and _in_cluster(side, resource):
            return
        require_true(
            side,
            resource,
            key,
            what=cluster or "RDS instance",
            missing="its storage, backups and snapshots are unencrypted (the default)",
            disabled="its storage, backups and snapshots are unencrypted",
            fix=f"set {key} = true (it cannot be turned on after creation)",
        )


class DatabasePubliclyAccessible(AwsRule):
    """A database instance reachable from the internet.

    ## What it does
    Checks `aws_db_instance`, `aws_rds_cluster_instance` and `aws_redshift_cluster`
    (`publicly_accessible`) and `AWS::RDS::DBInstance` / `AWS::Redshift::Cluster`
    (`PubliclyAccessible`) for `true`.

    ## Why is this bad?
    A publicly accessible instance gets a public IP address and a DNS name that resolves
    to it from anywhere: its security groups become the only thing between the internet
    and the database's login prompt, and one `0.0.0.0/0` rule exposes it to credential
    stuffing and to every unpatched vulnerability of the engine.

    ## Example
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier          = "orders"
      engine              = "postgres"
      publicly_accessible = true
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_instance" "orders" {
      identifier           = "orders"
      engine               = "postgres"
      publicly_accessible  = false
      db_subnet_group_name = aws_db_subnet_group.private.name
    }
    ```

    ## Notes
    Only an explicit `true` is reported (or a variable whose default is `true`, with lower
    confidence); reach private databases through a bastion, SSM port forwarding or a VPN.

    A call of a registry module that creates this resource (`terraform-aws-modules/rds`,
    `rds-aurora` and `elasticache`, `cloudposse/rds`, `rds-cluster` and
    `elasticache-redis`) is judged on the inputs it writes; an input it leaves out takes
    the module's default and is not reported.
    """

    id = "AWS006"
    name = "database-publicly-accessible"
    summary = "RDS or Redshift database marked publicly accessible"
    checklist = ("network-exposure",)
    severity = Severity.HIGH
    cwe = (668,)
    references = (f"{RDS_DOCS}USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",)
    module_inputs = True
    terraform_types = ("aws_db_instance", "aws_rds_cluster_instance", "aws_redshift_cluster")
    terraform_attributes = {name: ("publicly_accessible",) for name in terraform_types}
    cloudformation_types = ("AWS::RDS::DBInstance", "AWS::Redshift::Cluster")

    def check_terraform(self, resource, side: TerraformSide) -> None:
        self._check(side, resource, "publicly_accessible")

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        self._check(side, resource, "PubliclyAccessible")

    def _check(self, side: Side, resource: Any, key: str) -> None:
        setting = side.setting(resource, key)
        if setting.as_bool() is True:
            side.report(
                resource,
                setting,
                f"database {side.label(resource)} sets {setting.shown}: it gets a public address reachable from "
                f"the internet; set {key} = false and keep it in private subnets",
            )


# The parameters that make a database engine refuse clients without TLS, and the values
# that turn that off.
_TLS_PARAMETERS = {
    "rds.force_ssl": frozenset({"0", "false", "off"}),
    "require_secure_transport": frozenset({"0", "false", "off"}),
    "tls": frozenset({"disabled"}),  # DocumentDB
    "require_ssl": frozenset({"0", "false", "off"}),  # Redshift
}
_TLS_ON = {"tls": "enabled", "require_ssl": "true"}


class DatabaseTlsNotRequired(AwsRule):
    """A database parameter group that lets clients connect without TLS.

    ## What it does
    Checks `aws_db_parameter_group` and `aws_rds_cluster_parameter_group` (their
    `parameter` blocks) and `AWS::RDS::DBParameterGroup` / `AWS::RDS::DBClusterParameterGroup`
    (`Parameters`) for `rds.force_ssl` (PostgreSQL, SQL Server) or
    `require_secure_transport` (MySQL, MariaDB) set to `0` / `OFF`; DocumentDB cluster
    parameter groups (`aws_docdb_cluster_parameter_group`, `AWS::DocDB::DBClusterParameterGroup`)
    for `tls = "disabled"`; Redshift parameter groups (`aws_redshift_parameter_group`,
    `AWS::Redshift::ClusterParameterGroup`) for `require_ssl = "false"`. The finding points
    at the value.

    ## Why is this bad?
    The parameter is what makes the server refuse a client that does not ask for TLS. Set
    off, a client library that defaults to plain TCP (most do) sends the password and every
    query and row in clear text across the VPC, and nothing in the logs shows it.

    ## Example
    ```terraform
    resource "aws_db_parameter_group" "orders" {
      name   = "orders-pg16"
      family = "postgres16"

      parameter {
        name  = "rds.force_ssl"
        value = "0"
      }
    }
    ```

    ## Use instead
    ```terraform
    resource "aws_db_parameter_group" "orders" {
      name   = "orders-pg16"
      family = "postgres16"

      parameter {
        name  = "rds.force_ssl"
        value = "1"
      }
    }
    ```

    ## Notes
    Only a parameter written with the value that turns it off is reported: the engine's
    default differs by engine and version (PostgreSQL 15 and later require TLS by
    default), and a parameter group that does not mention it keeps that default.
    """

    id = "AWS025"
    name = "database-tls-not-required"
    summary = "Database parameter group that turns off required TLS (rds.force_ssl, require_secure_transport, tls)"
    checklist = ("tls", "encryption")
    severity = Severity.MEDIUM
    cwe = (319,)
    references = (
        f"{RDS_DOCS}PostgreSQL.Concepts.General.SSL.html",
        f"{RDS_DOCS}mysql-ssl-connections.html",
    )
    terraform_types = (
        "aws_db_parameter_group",
        "aws_rds_cluster_parameter_group",
        "aws_docdb_cluster_parameter_group",
        "aws_redshift_parameter_group",
    )
    terraform_attributes = {name: ("parameter", "dynamic") for name in terraform_types}
    cloudformation_types = (
        "AWS::RDS::DBParameterGroup",
        "AWS::RDS::DBClusterParameterGroup",
        "AWS::DocDB::DBClusterParameterGroup",
        "AWS::Redshift::ClusterParameterGroup",
    )

    def check_terraform(self, resource, side: TerraformSide) -> None:
        for parameter in resource.nested("parameter"):
            name = (side.setting(parameter, "name").as_str() or "").lower()
            if name not in _TLS_PARAMETERS:
                continue
            value = side.setting(parameter, "value")
            if value.known and str(value.value).strip().lower() in _TLS_PARAMETERS[name]:
                self._report(side, resource, value, name, str(value.value))

    def check_cloudformation(self, resource, side: CloudFormationSide) -> None:
        parameters = resource.get("Parameters")
        if isinstance(parameters, CfnMapping):  # RDS and DocumentDB: a mapping of names to values
            for key in parameters:
                name = str(key).lower()
                field = parameters.field(key)
                if name in _TLS_PARAMETERS and field is not None:
                    value = side.template.resolve(field.value).value
                    if str(value).strip().lower() in _TLS_PARAMETERS[name]:
                        self._report(side, resource, field.key_span, name, str(value))
        elif isinstance(parameters, CfnList):  # Redshift: a list of ParameterName / ParameterValue
            for item in parameters:
                if not isinstance(item, CfnMapping):
                    continue
                name = str(item.get("ParameterName", "")).lower()
                field = item.field("ParameterValue")
                if name in _TLS_PARAMETERS and field is not None:
                    value = side.template.resolve(field.value).value
                    if str(value).strip().lower() in _TLS_PARAMETERS[name]:
                        self._report(side, resource, field.key_span, name, str(value))

    def _report(self, side: Side, resource: Any, at: Any, name: str, value: str) -> None:
        side.report(
            resource,
            at,
            f"parameter group {side.label(resource)} sets {name} to {value}: clients may connect without TLS and "
            f"send passwords and data in clear text; set {name} to {_TLS_ON.get(name, '1')}",
        )
