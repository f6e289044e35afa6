"""Speed of prodready-lint against Checkov on Terraform and CloudFormation, side by side.

    python benchmarks/bench_aws.py [--checkov PATH] [--repeat N] [--keep] [--json FILE]
                                   [--terraform N] [--cloudformation N]
                                   [--manifests N] [--dockerfiles N]

Generates a tree of realistic files (by default 500 Terraform files in stacks with
their variables, locals and separately configured buckets, and 200 CloudFormation
templates, from a fixed seed, so every run sees the same bytes; ``--manifests N`` and
``--dockerfiles N`` add Kubernetes manifests and Dockerfiles) and times, as real
subprocesses, on the same files:

* ``prodready-lint scan DIR --no-cache --exit-zero -q`` with every built-in rule, the
  default number of jobs and ``--jobs 1``;
* ``checkov -d DIR --framework terraform cloudformation --skip-download``
  (``--quiet --compact -o json``, and the frameworks of the other kinds generated),
  Checkov's own default parallelism;

then each tool on each kind's subtree alone, for the per-kind cost (milliseconds per
file). Both tools run cold: prodready-lint without its cache, Checkov always. The
figure that matters is the ratio of the whole-tree times (Checkov / prodready-lint,
target at least 5). CPU time (user + system of the command and its children) is
reported beside wall time, since prodready-lint uses every CPU and Checkov mostly one.

Exit status: 0 when every run completed (whatever the figures), 1 when a run failed,
2 for a usage problem. Without Checkov, prodready-lint is still measured.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from iac_harness import (
    SEED,
    add_common_arguments,
    add_output_arguments,
    run_benchmark,
    write_dockerfiles,
    write_manifests,
)

# -- the corpus ---------------------------------------------------------------------------


def _terraform(rng: random.Random, index: int) -> str:
    """One service of a stack: its bucket (configured by separate resources, as provider v4
    and later write it), database, security group, table and load balancer listener, with
    values taken from literals, the stack's variables and locals."""
    name = f"svc{index}"
    public_block = (
        f"""
resource "aws_s3_bucket_public_access_block" "{name}_assets" {{
  bucket                  = aws_s3_bucket.{name}_assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = {rng.choice(["true", "false"])}
}}
"""
        if rng.random() < 0.6
        else ""
    )
    return f"""resource "aws_s3_bucket" "{name}_assets" {{
  bucket = "acme-{name}-assets"
  tags = {{
    team    = "shop"
    service = "{name}"
  }}
}}

resource "aws_s3_bucket_versioning" "{name}_assets" {{
  bucket = aws_s3_bucket.{name}_assets.id
  versioning_configuration {{
    status = "{rng.choice(["Enabled", "Suspended"])}"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{name}_assets" {{
  bucket = local.{name}_bucket
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "aws:kms"
    }}
  }}
}}
{public_block}
locals {{
  {name}_bucket = aws_s3_bucket.{name}_assets.id
}}

resource "aws_db_instance" "{name}" {{
  identifier              = "{name}-db"
  engine                  = "postgres"
  engine_version          = "16.4"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  storage_encrypted       = {rng.choice(["true", "false", "var.storage_encrypted"])}
  multi_az                = {rng.choice(["true", "false", "var.multi_az"])}
  backup_retention_period = {rng.choice(["0", "7", "14", "var.backup_retention_days"])}
  deletion_protection     = {rng.choice(["true", "false"])}
  username                = "app"
  password                = var.db_password
  skip_final_snapshot     = {rng.choice(["true", "false"])}
}}

resource "aws_security_group" "{name}" {{
  name   = "{name}"
  vpc_id = var.vpc_id

  ingress {{
    from_port   = {rng.choice([443, 5432, 22])}
    to_port     = {rng.choice([443, 5432, 22])}
    protocol    = "tcp"
    cidr_blocks = ["{rng.choice(["10.0.0.0/8", "0.0.0.0/0"])}"]
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_dynamodb_table" "{name}_sessions" {{
  name         = "{name}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {{
    name = "id"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = {rng.choice(["true", "false"])}
  }}
}}

resource "aws_lb_listener" "{name}_http" {{
  load_balancer_arn = var.load_balancer_arn
  port              = 80
  protocol          = "HTTP"

  default_action {{
    type = "{rng.choice(["redirect", "forward"])}"
    redirect {{
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }}
  }}
}}
"""


def _terraform_variables(rng: random.Random) -> str:
    """A stack's ``variables.tf``: what its services' values come from."""
    return f"""variable "db_password" {{
  description = "Master password of the service databases"
  type        = string
  sensitive   = true
}}

variable "vpc_id" {{
  description = "VPC the stack runs in"
  type        = string
}}

variable "load_balancer_arn" {{
  description = "The shared load balancer"
  type        = string
}}

variable "multi_az" {{
  description = "Run the databases in two availability zones"
  type        = bool
  default     = {rng.choice(["true", "false"])}
}}

variable "storage_encrypted" {{
  type    = bool
  default = true
}}

variable "backup_retention_days" {{
  type    = number
  default = {rng.choice([0, 7, 30])}
}}
"""


def _cloudformation(rng: random.Random, index: int) -> str:
    name = f"Svc{index}"
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: {name} data stores
Parameters:
  MultiAZ:
    Type: String
    Default: "{rng.choice(["true", "false"])}"
  DBPassword:
    Type: String
    NoEcho: {rng.choice(["true", "false"])}
Resources:
  {name}Assets:
    Type: AWS::S3::Bucket
    DeletionPolicy: {rng.choice(["Retain", "Delete"])}
    Properties:
      VersioningConfiguration:
        Status: {rng.choice(["Enabled", "Suspended"])}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: {rng.choice(["true", "false"])}
  {name}Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.medium
      MultiAZ: !Ref MultiAZ
      StorageEncrypted: {rng.choice(["true", "false"])}
      BackupRetentionPeriod: {rng.choice([0, 7, 14])}
      DeletionProtection: {rng.choice(["true", "false"])}
      MasterUsername: app
      MasterUserPassword: !Ref DBPassword
  {name}Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: {name}
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: {rng.choice([443, 5432, 22])}
          ToPort: {rng.choice([443, 5432, 22])}
          CidrIp: {rng.choice(["10.0.0.0/8", "0.0.0.0/0"])}
  {name}Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: {rng.choice(["true", "false"])}
  {name}Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/RDS
      MetricName: CPUUtilization
      Statistic: Average
      Period: 300
      EvaluationPeriods: 3
      Threshold: 80
      ComparisonOperator: GreaterThanThreshold
"""


STACKS = 25  # Terraform modules: each a variables.tf and the files of its services


def generate(root: Path, manifests: int, terraform: int, dockerfiles: int, cloudformation: int = 0) -> dict[str, int]:
    rng = random.Random(SEED)
    write_manifests(root, rng, manifests)
    stacks = min(STACKS, terraform)
    for stack in range(stacks):
        target = root / "terraform" / f"stack{stack}" / "variables.tf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_terraform_variables(rng), encoding="utf-8")
    for index in range(terraform - stacks):
        target = root / "terraform" / f"stack{index % STACKS}" / f"svc{index}.tf"
        target.write_text(_terraform(rng, index), encoding="utf-8")
    write_dockerfiles(root, rng, dockerfiles)
    for index in range(cloudformation):
        target = root / "cloudformation" / f"svc{index}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_cloudformation(rng, index), encoding="utf-8")
    counts = {"k8s": manifests, "terraform": terraform, "docker": dockerfiles, "cloudformation": cloudformation}
    return {kind: count for kind, count in counts.items() if count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--terraform", type=int, default=500)
    parser.add_argument("--cloudformation", type=int, default=200)
    parser.add_argument("--manifests", type=int, default=0, help="Kubernetes manifests to add (default 0)")
    parser.add_argument("--dockerfiles", type=int, default=0, help="Dockerfiles to add (default 0)")
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    return run_benchmark(
        parser,
        args,
        lambda tree: generate(tree, args.manifests, args.terraform, args.dockerfiles, args.cloudformation),
        "prodready-aws-",
    )


if __name__ == "__main__":
    sys.exit(main())
