"""The AWS family: fixtures checked exactly, docs examples, hardened resources, exact
positions in both Terraform syntaxes, values reached through variables, and the alerting
signal."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from prodready_lint.rules import aws
from prodready_lint.sdk import Confidence, Severity
from prodready_lint.sdk.testing import assert_examples, assert_fixture, check_fixture

import prodready_lint

FIXTURES = Path(__file__).parent / "fixtures" / "aws"
FAMILY = [rule.metadata().id for rule in aws.RULES]


def _scan(tmp_path: Path, files: dict[str, str], select: list[str] | None = None):
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    result = prodready_lint.scan([tmp_path], config={}, select=select or ["AWS"], cache=False, jobs=1, root=tmp_path)
    assert not result.errors, result.errors
    return result


def _where(result) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.rule_id) for f in result.findings]


@pytest.mark.parametrize(
    "fixture", sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "hardened"), ids=lambda p: p.name
)
def test_fixture_matches_markers_exactly(fixture: Path) -> None:
    assert_fixture(fixture)


def test_hardened_resources_produce_nothing() -> None:
    report = check_fixture(FIXTURES / "hardened", select=["AWS"])
    assert report.ok, report.describe()
    assert not report.findings
    assert {"AWS001", "AWS020"} <= set(FAMILY)


def test_documentation_examples_behave_as_documented() -> None:
    assert_examples(aws.RULES)


def test_every_rule_reads_both_languages_where_both_express_it() -> None:
    terraform_only = {"AWS004"}  # CloudFormation expresses a final snapshot through DeletionPolicy (AWS016)
    for rule in aws.RULES:
        meta = rule.metadata()
        assert meta.id.startswith("AWS") and meta.repo_level, meta.id
        if meta.id not in terraform_only and meta.id != "AWS020":
            assert rule.terraform_types and rule.cloudformation_types, meta.id


def test_missing_setting_is_reported_at_the_resource_header_and_a_wrong_one_at_its_key(tmp_path: Path) -> None:
    result = _scan(
        tmp_path,
        {
            "main.tf": """\
            # the orders database
            resource "aws_db_instance" "orders" {
              engine   = "postgres"

              multi_az = false
            }
            """
        },
        ["AWS001", "AWS005"],
    )
    found = {(f.rule_id, f.line, f.location.column, f.location.end_line) for f in result.findings}
    assert found == {("AWS005", 2, 1, 2), ("AWS001", 5, 3, 5)}
    message = next(f.message for f in result.findings if f.rule_id == "AWS001")
    assert "aws_db_instance.orders" in message and "multi_az = true" in message


def test_terraform_json_syntax_gives_the_same_findings_at_the_keys(tmp_path: Path) -> None:
    document = {
        "resource": {
            "aws_db_instance": {"orders": {"engine": "postgres", "multi_az": False, "password": "Orders-2024-prod"}},
            "aws_s3_bucket_policy": {
                "assets": {
                    "bucket": "${aws_s3_bucket.assets.id}",
                    "policy": '${jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "*"}]})}',
                }
            },
        }
    }
    result = _scan(tmp_path, {"main.tf.json": json.dumps(document, indent=2)}, ["AWS001", "AWS015", "AWS019"])
    lines = (tmp_path / "main.tf.json").read_text().splitlines()
    found = {f.rule_id: lines[f.line - 1].strip() for f in result.findings}
    assert found == {
        "AWS001": '"multi_az": false,',
        "AWS019": '"password": "Orders-2024-prod"',
        "AWS015": found["AWS015"],
    }
    assert found["AWS015"].startswith('"policy"')
    secret = next(f for f in result.findings if f.rule_id == "AWS019")
    assert "Orders-2024-prod" not in secret.snippet and "Orders-2024-prod" not in secret.message


def test_policy_in_a_heredoc_is_reported_at_its_principal(tmp_path: Path) -> None:
    result = _scan(
        tmp_path,
        {
            "policy.tf": """\
            resource "aws_s3_bucket_policy" "site" {
              bucket = aws_s3_bucket.site.id
              policy = <<-EOT
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Effect": "Allow",
                      "Action": "s3:GetObject",
                      "Resource": "${aws_s3_bucket.site.arn}/*",
                      "Principal": "*"
                    }
                  ]
                }
              EOT
            }
            """
        },
        ["AWS015"],
    )
    assert _where(result) == [("policy.tf", 11, "AWS015")]


def test_a_default_gives_lower_confidence_and_an_assignment_elsewhere_silences_it(tmp_path: Path) -> None:
    module = {
        "db/main.tf": """\
        resource "aws_db_instance" "orders" {
          engine   = "postgres"
          multi_az = var.multi_az
        }
        """,
        "db/variables.tf": """\
        variable "multi_az" {
          default = false
        }
        """,
    }
    result = _scan(tmp_path / "a", module, ["AWS001"])
    (finding,) = result.findings
    assert (finding.line, finding.confidence) == (3, Confidence.MEDIUM)
    assert "var.multi_az, which defaults to false" in finding.message

    with_inputs = {**module, "live/prod/terragrunt.hcl": "inputs = {\n  multi_az = true\n}\n"}
    assert not _scan(tmp_path / "b", with_inputs, ["AWS001"]).findings
    with_tfvars = {**module, "db/prod.tfvars": "multi_az = true\n"}
    assert not _scan(tmp_path / "c", with_tfvars, ["AWS001"]).findings


def test_module_calls_are_judged_only_on_what_they_write(tmp_path: Path) -> None:
    files = {
        "main.tf": """\
        module "db" {
          source              = "terraform-aws-modules/rds/aws"
          multi_az            = false
          skip_final_snapshot = true
        }

        module "local_db" {
          source              = "./modules/db"
          multi_az            = false
          skip_final_snapshot = true
        }
        """
    }
    result = _scan(tmp_path, files)
    assert _where(result) == [("main.tf", 3, "AWS001"), ("main.tf", 4, "AWS004")]
    assert all("module.db" in finding.message for finding in result.findings)


def test_alerting_signal_is_info_and_does_not_fail_a_run(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"queue.tf": 'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n'}, ["AWS020"])
    (finding,) = result.findings
    assert finding.severity is Severity.INFO and finding.checklist == ("alerting",)
    assert result.exit_code() == 0
    meta = aws.NoCloudWatchAlarms.metadata()
    assert "signal" in meta.tags


def test_a_repository_without_aws_resources_gives_no_signal(tmp_path: Path) -> None:
    result = _scan(tmp_path, {"app.tf": 'resource "null_resource" "x" {}\n', "k8s.yaml": "kind: ConfigMap\n"}, ["AWS"])
    assert not result.findings


def test_kubernetes_manifests_and_other_json_are_not_templates(tmp_path: Path) -> None:
    result = _scan(
        tmp_path,
        {
            "deploy.yaml": """\
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: resources
            data:
              Resources: "AWS::S3::Bucket"
            """,
            "azuredeploy.json": '{"resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "AWS::S3"}]}',
            "catalog.json": '{"Resources": {"logo": {"Type": "image/png"}}}',
        },
    )
    assert not result.findings


def test_ebs_encryption_by_default_covers_the_repository(tmp_path: Path) -> None:
    files = {
        "volumes/main.tf": 'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n}\n',
        "account/ebs.tf": 'resource "aws_ebs_encryption_by_default" "this" {\n  enabled = true\n}\n',
    }
    assert not _scan(tmp_path / "a", files, ["AWS007"]).findings
    del files["account/ebs.tf"]
    assert _where(_scan(tmp_path / "b", files, ["AWS007"])) == [("volumes/main.tf", 1, "AWS007")]


def test_account_public_access_block_covers_every_bucket(tmp_path: Path) -> None:
    files = {
        "buckets.tf": 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n',
        "account.tf": """\
        resource "aws_s3_account_public_access_block" "this" {
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        """,
    }
    assert not _scan(tmp_path, files, ["AWS013"]).findings


def test_cloudformation_yaml_and_json_agree(tmp_path: Path) -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "mysql", "MultiAZ": False}},
            "Group": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]
                },
            },
        },
    }
    yaml_text = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          Engine: mysql
          MultiAZ: false
      Group:
        Type: AWS::EC2::SecurityGroup
        Properties:
          SecurityGroupIngress:
            - IpProtocol: tcp
              FromPort: 22
              ToPort: 22
              CidrIp: 0.0.0.0/0
    """
    result = _scan(tmp_path, {"t.json": json.dumps(template, indent=2), "t.yaml": yaml_text}, ["AWS001", "AWS017"])
    by_file: dict[str, list[tuple[str, str]]] = {}
    for finding in result.findings:
        text = (tmp_path / finding.path).read_text().splitlines()[finding.line - 1].strip()
        by_file.setdefault(finding.path, []).append((finding.rule_id, text.split(":")[0].strip('"')))
    assert sorted(by_file["t.json"]) == sorted(by_file["t.yaml"]) == [("AWS001", "MultiAZ"), ("AWS017", "CidrIp")]


def test_no_secret_value_in_any_message() -> None:
    report = check_fixture(FIXTURES / "secrets")
    values = ("reader-password-42", "ops-password-2024", "redis-auth-token-0123456789", "rabbit-default-pw")
    for finding in report.findings:
        assert not any(value in finding.message or value in finding.snippet for value in values), finding


def test_a_source_that_defaults_to_null_is_not_a_replica(tmp_path: Path) -> None:
    module = {
        "db/main.tf": """\
        resource "aws_db_instance" "this" {
          engine              = var.engine
          multi_az            = var.multi_az
          replicate_source_db = var.replicate_source_db
          lifecycle {
            prevent_destroy = true
          }
        }
        """,
        "db/variables.tf": """\
        variable "multi_az" {
          default = false
        }
        variable "replicate_source_db" {
          default = null
        }
        """,
    }
    assert _where(_scan(tmp_path / "a", module, ["AWS001", "AWS016"])) == [("db/main.tf", 3, "AWS001")]
    module["db/variables.tf"] = module["db/variables.tf"].replace("default = null", 'default = "orders-primary"')
    assert not _scan(tmp_path / "b", module, ["AWS001", "AWS016"]).findings


def test_http_listeners_of_internal_load_balancers_are_low_severity(tmp_path: Path) -> None:
    template = """\
    Resources:
      Internal:
        Type: AWS::ElasticLoadBalancingV2::LoadBalancer
        Properties:
          Scheme: internal
      InternalListener:
        Type: AWS::ElasticLoadBalancingV2::Listener
        Properties:
          LoadBalancerArn: !Ref Internal
          Port: 80
          Protocol: HTTP
          DefaultActions:
            - Type: forward
              TargetGroupArn: !Ref Targets
      Classic:
        Type: AWS::ElasticLoadBalancing::LoadBalancer
        Properties:
          Scheme: internal
          Listeners:
            - LoadBalancerPort: "80"
              InstancePort: "80"
              Protocol: HTTP
    """
    terraform = """\
    resource "aws_elb" "internal" {
      internal = true
      listener {
        lb_port           = 80
        lb_protocol       = "http"
        instance_port     = 8080
        instance_protocol = "http"
      }
    }
    """
    result = _scan(tmp_path, {"stack.yaml": template, "main.tf": terraform}, ["AWS018"])
    assert sorted(_where(result)) == [
        ("main.tf", 5, "AWS018"),
        ("stack.yaml", 6, "AWS018"),  # the listener's first line: its redirect is what is missing
        ("stack.yaml", 22, "AWS018"),
    ]
    assert {finding.severity for finding in result.findings} == {Severity.LOW}


def test_an_account_block_that_leaves_a_setting_off_covers_no_bucket(tmp_path: Path) -> None:
    files = {
        "buckets.tf": 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n',
        "account.tf": """\
        resource "aws_s3_account_public_access_block" "this" {
          block_public_acls       = true
          block_public_policy     = false
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        """,
    }
    result = _scan(tmp_path, files, ["AWS013"])
    assert sorted(_where(result)) == [("account.tf", 3, "AWS013"), ("buckets.tf", 1, "AWS013")]
    assert "making the account's buckets public" in next(f.message for f in result.findings if f.path == "account.tf")


@pytest.mark.parametrize(
    ("source", "resource_type"),
    [
        ("terraform-aws-modules/rds/aws", "aws_db_instance"),
        ("terraform-aws-modules/rds/aws//modules/db_instance", "aws_db_instance"),
        ("git::https://github.com/terraform-aws-modules/terraform-aws-rds-aurora.git?ref=v9.9.0", "aws_rds_cluster"),
        ("github.com/cloudposse/terraform-aws-elasticache-redis?ref=1.4.1", "aws_elasticache_replication_group"),
        ("registry.terraform.io/terraform-aws-modules/elasticache/aws", "aws_elasticache_replication_group"),
        ("./modules/rds", None),
        ("../rds", None),
        ("terraform-aws-modules/s3-bucket/aws", None),
    ],
)
def test_a_registry_module_call_is_read_as_the_resource_it_creates(source: str, resource_type: str | None) -> None:
    from prodready_lint.rules.aws._base import module_resource_type
    from prodready_lint.sdk import load_terraform

    block = load_terraform("main.tf", f'module "x" {{\n  source = "{source}"\n}}\n').blocks[0]
    assert module_resource_type(block) == resource_type
