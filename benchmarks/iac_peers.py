"""The AWS family (AWS001-AWS020) next to Checkov and KICS, on their fixtures and ours.

Three measurements, each optional:

1. ``--checkov-tree DIR``, a work tree of ``bridgecrewio/checkov``: its own example
   resources for the checks that cover our rules, with the verdict Checkov's tests
   expect for each resource (``passing_resources`` / ``failing_resources`` of its
   ``test_*.py``, or ``expected.yaml`` of a graph check). A resource agrees when our
   rule reports (or not) a finding inside the resource's lines.
2. ``--kics-samples DIR``, KICS query samples laid out as ``DIR/<framework>/<query>/``
   with ``positive*``/``negative*`` files and ``positive_expected_result.json``: the
   expected lines are compared with ours exactly, and within the same resource.
3. ``--checkov BIN``: Checkov itself on our hand-labelled fixtures
   (``tests/fixtures/aws``), scored per resource against our ``# expect:`` markers for
   the checks that map to our rules (Checkov reports resources, not lines).
4. ``--checkov BIN --real DIR [DIR ...]``: Checkov and prodready-lint on real
   repositories, per resource and rule: every resource Checkov evaluated with a check
   that maps to one of our rules is judged by both (ours when a finding of the rule
   falls inside the resource's lines).

Peers are never installed by this script: put Checkov in a throwaway virtualenv.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from prodready_lint.sdk import cloudformation_template, load
from prodready_lint.sdk.testing import read_markers

import prodready_lint

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "aws"

# Checkov example sets: (test file or graph-check folder, our rules, resource types judged)
CHECKOV_TERRAFORM = [
    ("resource/aws/test_RDSMultiAZEnabled.py", ["AWS001"]),
    ("resource/aws/test_DBInstanceBackupRetentionPeriod.py", ["AWS002"]),
    ("resource/aws/test_RDSInstanceDeletionProtection.py", ["AWS003"]),
    ("resource/aws/test_RDSDeletionProtection.py", ["AWS003"]),
    ("resource/aws/test_RDSEncryption.py", ["AWS005"]),
    ("resource/aws/test_RDSPubliclyAccessible.py", ["AWS006"]),
    ("resource/aws/test_EBSEncryption.py", ["AWS007"]),
    ("resource/aws/test_LaunchConfigurationEBSEncryption.py", ["AWS007"]),
    ("resource/aws/test_EFSEncryptionEnabled.py", ["AWS008"]),
    ("resource/aws/test_DynamodbRecovery.py", ["AWS009"]),
    ("resource/aws/test_S3AllowsAnyPrincipal.py", ["AWS015"]),
    ("resource/aws/test_SecurityGroupUnrestrictedIngress22.py", ["AWS017"]),
    ("resource/aws/test_SecurityGroupUnrestrictedIngress3389.py", ["AWS017"]),
    ("resource/aws/test_ALBListenerHTTPS.py", ["AWS018"]),
    ("graph:S3BucketVersioning", ["AWS011"]),
    ("graph:S3BucketEncryption", ["AWS012"]),
    ("graph:S3BucketHasPublicAccessBlock", ["AWS013"]),
    ("graph:S3PublicACLRead", ["AWS014"]),
    ("graph:S3PublicACLWrite", ["AWS014"]),
    ("graph:ALBRedirectsHTTPToHTTPS", ["AWS018"]),
    ("resource/aws/test_DocDBEncryption.py", ["AWS005"]),
    ("resource/aws/test_NeptuneStorageEncrypted.py", ["AWS005"]),
    ("resource/aws/test_RedshiftClusterEncryption.py", ["AWS005"]),
    ("resource/aws/test_ElasticacheReplicationGroupEncryptionAtRest.py", ["AWS021"]),
    ("resource/aws/test_ElasticacheReplicationGroupEncryptionAtTransit.py", ["AWS022"]),
    ("resource/aws/test_SNSTopicEncryption.py", ["AWS023"]),
    ("resource/aws/test_SQSQueueEncryption.py", ["AWS023"]),
    ("resource/aws/test_KinesisStreamEncryptionType.py", ["AWS023"]),
    ("resource/aws/test_CloudfrontDistributionEncryption.py", ["AWS024"]),
    ("resource/aws/test_CloudFrontTLS12.py", ["AWS024"]),
    ("resource/aws/test_DocDBTLS.py", ["AWS025"]),
    ("resource/aws/test_RedShiftSSL.py", ["AWS025"]),
]
# CloudFormation tests either name the resources, or only count them: then a resource's
# verdict is its file's name (``*-PASSED.yaml``, ``*-FAILED.yaml``) and only the types given count.
CHECKOV_CLOUDFORMATION = [
    ("test_RDSMultiAZEnabled.py", ["AWS001"], ["AWS::RDS::DBInstance"]),
    ("test_RDSEncryption.py", ["AWS005"], ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"]),
    ("test_RDSPubliclyAccessible.py", ["AWS006"], ["AWS::RDS::DBInstance"]),
    ("test_RedshiftClusterPubliclyAccessible.py", ["AWS006"], ["AWS::Redshift::Cluster"]),
    ("test_EBSEncryption.py", ["AWS007"], ["AWS::EC2::Volume"]),
    ("test_LaunchConfigurationEBSEncryption.py", ["AWS007"], ["AWS::AutoScaling::LaunchConfiguration"]),
    ("test_EFSEncryption.py", ["AWS008"], ["AWS::EFS::FileSystem"]),
    ("test_DynamodbRecovery.py", ["AWS009"], ["AWS::DynamoDB::Table"]),
    ("test_DynamodbGlobalTableRecovery.py", ["AWS009"], ["AWS::DynamoDB::GlobalTable"]),
    ("test_S3Versioning.py", ["AWS011"], ["AWS::S3::Bucket"]),
    ("test_S3Encryption.py", ["AWS012"], ["AWS::S3::Bucket"]),
    ("test_S3PublicACLRead.py", ["AWS014"], ["AWS::S3::Bucket"]),
    ("test_S3PublicACLWrite.py", ["AWS014"], ["AWS::S3::Bucket"]),
    (
        "test_SecurityGroupUnrestrictedIngress22.py",
        ["AWS017"],
        ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    ),
    (
        "test_SecurityGroupUnrestrictedIngress3389.py",
        ["AWS017"],
        ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    ),
    ("test_ALBListenerHTTPS.py", ["AWS018"], ["AWS::ElasticLoadBalancingV2::Listener"]),
    ("test_DocDBEncryption.py", ["AWS005"], ["AWS::DocDB::DBCluster"]),
    ("test_NeptuneClusterStorageEncrypted.py", ["AWS005"], ["AWS::Neptune::DBCluster"]),
    ("test_RedshiftClusterEncryption.py", ["AWS005"], ["AWS::Redshift::Cluster"]),
    (
        "test_ElasticacheReplicationGroupEncryptionAtRest.py",
        ["AWS021"],
        ["AWS::ElastiCache::ReplicationGroup"],
    ),
    (
        "test_ElasticacheReplicationGroupEncryptionAtTransit.py",
        ["AWS022"],
        ["AWS::ElastiCache::ReplicationGroup"],
    ),
    ("test_SNSTopicEncryption.py", ["AWS023"], ["AWS::SNS::Topic"]),
    ("test_SQSQueueEncryption.py", ["AWS023"], ["AWS::SQS::Queue"]),
    ("test_KinesisStreamEncryptionType.py", ["AWS023"], ["AWS::Kinesis::Stream"]),
    ("test_CloudfrontDistributionEncryption.py", ["AWS024"], ["AWS::CloudFront::Distribution"]),
    ("test_CloudFrontTLS12.py", ["AWS024"], ["AWS::CloudFront::Distribution"]),
]
# KICS query -> our rules
KICS = {
    "efs_not_encrypted": ["AWS008"],
    "dynamodb_table_point_in_time_recovery_disabled": ["AWS009"],
    "alb_listening_on_http": ["AWS018"],
    "ebs_volume_encryption_disabled": ["AWS007"],
    "redshift_publicly_accessible": ["AWS006"],
    "db_instance_storage_not_encrypted": ["AWS005"],
    "rds_with_backup_disabled": ["AWS002"],
    "s3_bucket_without_versioning": ["AWS011"],
    "rds_multi_az_deployment_disabled": ["AWS001"],
}
# Checkov check id -> our rule, for Checkov on our fixtures (ids shared by both frameworks)
CHECKOV_CHECKS = {
    "CKV_AWS_157": "AWS001",  # RDS multi-AZ
    "CKV_AWS_133": "AWS002",  # backup retention
    "CKV_AWS_293": "AWS003",  # aws_db_instance deletion protection
    "CKV_AWS_139": "AWS003",  # aws_rds_cluster deletion protection
    "CKV_AWS_16": "AWS005",  # RDS encryption
    "CKV_AWS_96": "AWS005",  # Aurora encryption
    "CKV_AWS_17": "AWS006",  # RDS publicly accessible
    "CKV_AWS_87": "AWS006",  # Redshift publicly accessible
    "CKV_AWS_3": "AWS007",  # EBS volume encryption
    "CKV_AWS_8": "AWS007",  # instance / launch configuration block devices
    "CKV_AWS_42": "AWS008",  # EFS
    "CKV_AWS_28": "AWS009",  # DynamoDB PITR
    "CKV_AWS_165": "AWS009",  # global table PITR
    "CKV_AWS_21": "AWS011",  # S3 versioning
    "CKV_AWS_19": "AWS012",  # S3 encryption
    "CKV2_AWS_6": "AWS013",  # bucket has a public access block
    "CKV_AWS_53": "AWS013",
    "CKV_AWS_54": "AWS013",
    "CKV_AWS_55": "AWS013",
    "CKV_AWS_56": "AWS013",
    "CKV_AWS_20": "AWS014",  # public read ACL
    "CKV_AWS_57": "AWS014",  # public write ACL
    "CKV_AWS_70": "AWS015",  # bucket policy with any principal
    "CKV_AWS_24": "AWS017",  # port 22 open to the world
    "CKV_AWS_25": "AWS017",  # port 3389
    "CKV_AWS_277": "AWS017",  # all ports
    "CKV_AWS_2": "AWS018",  # listener protocol HTTPS
    "CKV2_AWS_20": "AWS018",  # ALB redirects HTTP to HTTPS
    "CKV_AWS_74": "AWS005",  # DocumentDB storage encryption
    "CKV_AWS_44": "AWS005",  # Neptune storage encryption
    "CKV_AWS_64": "AWS005",  # Redshift encryption
    "CKV_AWS_29": "AWS021",  # ElastiCache encryption at rest
    "CKV_AWS_30": "AWS022",  # ElastiCache encryption in transit
    "CKV_AWS_26": "AWS023",  # SNS topic encryption
    "CKV_AWS_27": "AWS023",  # SQS queue encryption
    "CKV_AWS_43": "AWS023",  # Kinesis stream encryption
    "CKV_AWS_34": "AWS024",  # CloudFront viewer protocol policy
    "CKV_AWS_174": "AWS024",  # CloudFront TLS 1.2
    "CKV_AWS_90": "AWS025",  # DocumentDB TLS parameter
    "CKV_AWS_105": "AWS025",  # Redshift require_ssl parameter
}


def _scan(target: Path, rules: list[str]):
    result = prodready_lint.scan([target], config={}, select=rules, cache=False, jobs=1, root=target)
    return result.findings


Where = tuple[str, int, int]  # file, first line, last line


def _resources(folder: Path) -> tuple[dict[tuple[str, str], list[Where]], dict[tuple[str, str], list[Where]]]:
    """Every resource of a folder: (framework, name) -> where it is written, and (framework,
    name) -> where the resources that configure it are (an ``aws_s3_bucket_acl`` of a
    bucket, the ``aws_lb_listener`` of a load balancer): Checkov judges a bucket or a load
    balancer where we report the separate resource that holds the offending setting.
    Terraform names are addresses (``aws_db_instance.x``), CloudFormation ones
    ``Type.LogicalId`` as Checkov writes them."""
    found: dict[tuple[str, str], list[Where]] = defaultdict(list)
    related: dict[tuple[str, str], list[Where]] = defaultdict(list)
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            model = load(relative, text)
        except Exception:
            continue  # a peer's sample we cannot read is left out
        if model.kind.value == "terraform":
            for block in model.blocks:
                if block.type != "resource":
                    continue
                where = (relative, block.span.line, block.span.end_line)
                found[("terraform", block.address)].append(where)
                for name in ("bucket", "load_balancer_arn"):
                    attribute = block.attributes.get(name)
                    for reference in attribute.references if attribute is not None else ():
                        parts = reference.split("[", 1)[0].split(".")
                        if len(parts) >= 2:
                            related[("terraform", ".".join(parts[:2]))].append(where)
        else:
            template = cloudformation_template(model)
            for resource in template.resources if template else ():
                span = resource.span
                where = (relative, span.line, span.end_line)
                found[("cloudformation", f"{resource.type}.{resource.logical_id}")].append(where)
                found[("cloudformation", f"{relative}::{resource.type}.{resource.logical_id}")].append(where)
    return found, related


def _flagged(findings, places: list[Where]) -> list:
    return [f for f in findings for path, first, last in places if f.path == path and first <= f.line <= last]


def _expectations(test: Path) -> tuple[Path | None, set[str], set[str]]:
    text = test.read_text(encoding="utf-8")
    folder = re.search(r"[\"'/](example_\w+)", text)

    def names(variable: str) -> set[str]:
        match = re.search(variable + r"\s*=\s*\{(.*?)\}", text, re.DOTALL)
        return set(re.findall(r"[\"']([^\"']+)[\"']", match.group(1))) if match else set()

    return (test.parent / folder.group(1) if folder else None), names("passing_resources"), names("failing_resources")


def _graph_expectations(folder: Path) -> tuple[set[str], set[str]]:
    passing, failing, current = set(), set(), None
    for line in (folder / "expected.yaml").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped in ("pass:", "fail:"):
            current = passing if stripped == "pass:" else failing
        elif stripped.startswith("-") and current is not None:
            current.add(stripped.lstrip("- ").strip("'\""))
    return passing, failing


def _cloudformation_verdicts(folder: Path, types: list[str]) -> tuple[set[str], set[str]]:
    passing, failing = set(), set()
    for path in sorted(folder.iterdir()):
        name = path.name.upper()
        verdict = passing if "PASS" in name else failing if "FAIL" in name else None
        template = (
            cloudformation_template(load(path.name, path.read_text(encoding="utf-8"))) if verdict is not None else None
        )
        for resource in template.resources_of(*types) if template else ():
            verdict.add(f"{path.name}::{resource.type}.{resource.logical_id}")  # type: ignore[union-attr]
    return passing, failing


def checkov_fixtures(tree: Path, show: bool) -> None:
    print("## Checkov's example resources\n")
    print("| Checkov test | our rule | resources | agree | we flag only | Checkov fails only |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    totals = Counter()
    cases = [("terraform", name, rules, None) for name, rules in CHECKOV_TERRAFORM]
    cases += [("cloudformation", name, rules, types) for name, rules, types in CHECKOV_CLOUDFORMATION]
    disagreements = []
    for framework, name, rules, types in cases:
        if name.startswith("graph:"):
            folder = tree / "tests/terraform/graph/checks/resources" / name[6:]
            if not (folder / "expected.yaml").exists():
                continue
            passing, failing = _graph_expectations(folder)
        else:
            base = tree / (
                "tests/terraform/checks" if framework == "terraform" else "tests/cloudformation/checks/resource/aws"
            )
            test = base / name
            if not test.exists():
                continue
            folder, passing, failing = _expectations(test)
            if folder is None or not folder.exists():
                continue
            if not passing and not failing and types:
                passing, failing = _cloudformation_verdicts(folder, types)
        resources, related = _resources(folder)
        findings = _scan(folder, rules)
        counts = Counter()
        for verdict, names in (("fail", failing), ("pass", passing)):
            for resource in sorted(names):
                key = (framework, re.sub(r"\[[^\]]*\]$", "", resource))
                if key not in resources:
                    counts["unmatched"] += 1
                    continue
                ours = _flagged(findings, resources[key] + related.get(key, []))
                if bool(ours) == (verdict == "fail"):
                    counts["agree"] += 1
                else:
                    counts["ours" if ours else "theirs"] += 1
                    disagreements.append((name, resource, verdict, ours[0].message if ours else ""))
        total = counts["agree"] + counts["ours"] + counts["theirs"]
        totals.update(counts)
        label = f"{framework}: {name.removeprefix('resource/aws/')}"
        print(f"| {label} | {', '.join(rules)} | {total} | {counts['agree']} | {counts['ours']} | {counts['theirs']} |")
    total = totals["agree"] + totals["ours"] + totals["theirs"]
    print(f"| **all** | | {total} | {totals['agree']} | {totals['ours']} | {totals['theirs']} |")
    agreement = totals["agree"] / max(total, 1)
    print(f"\nagreement {agreement:.3f}; resources named by a test but not found: {totals['unmatched']}\n")
    if show:
        for name, resource, verdict, message in disagreements:
            ours = f"report: {message}" if message else "report nothing"
            print(f"- {name}: {resource}: Checkov expects {verdict}; we {ours}")
        print()


def kics_samples(samples: Path, show: bool) -> None:
    print("## KICS query samples\n")
    print("| KICS query | our rule | expected | same line | same resource | findings in negatives |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    totals = Counter()
    for folder in sorted(p for p in samples.glob("*/*") if (p / "positive_expected_result.json").exists()):
        rules = KICS.get(folder.name)
        if not rules:
            continue
        expected = json.loads((folder / "positive_expected_result.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as temp:
            work = Path(temp)
            for path in folder.iterdir():
                if path.name != "positive_expected_result.json":
                    (work / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            findings = _scan(work, rules)
            resources, _ = _resources(work)
        counts = Counter()
        for item in expected:
            file = item.get("filename") or item.get("fileName")
            line = item["line"]
            counts["expected"] += 1
            same = [f for f in findings if f.path == file and f.line == line]
            around = [
                where
                for places in resources.values()
                for where in places
                if where[0] == file and where[1] <= line <= where[2]
            ]
            in_resource = bool(_flagged(findings, around))
            counts["line"] += bool(same)
            counts["resource"] += bool(same) or in_resource
            if show and not same:
                got = [(f.line, f.rule_id) for f in findings if f.path == file]
                print(f"- {folder.name}: {file}:{line} expected; we report {got or 'nothing'} in that file")
        negatives = [f for f in findings if f.path.startswith("negative")]
        counts["negatives"] = len(negatives)
        if show:
            for finding in negatives:
                print(f"- {folder.name}: {finding.path}:{finding.line} {finding.rule_id} in a negative sample")
        totals.update(counts)
        print(
            f"| {folder.parent.name}/{folder.name} | {', '.join(rules)} | {counts['expected']} | {counts['line']} | "
            f"{counts['resource']} | {counts['negatives']} |"
        )
    print(f"| **all** | | {totals['expected']} | {totals['line']} | {totals['resource']} | {totals['negatives']} |\n")


def checkov_on_ours(checkov: str, show: bool) -> None:
    """Checkov on our fixtures, per resource: a resource is expected to fail a rule when a
    marker expects that rule inside it, and to pass when the file's markers name the rule
    (``ok:`` or ``expect:`` elsewhere) but not inside it. Only rules Checkov has a check
    for are scored, and only in files whose markers name them."""
    print("## Checkov on our labelled fixtures (per resource)\n")
    covered = set(CHECKOV_CHECKS.values())
    resources = [where for places in _resources(FIXTURES)[0].values() for where in places]
    wanted: set[tuple[str, Where]] = set()
    judged: set[tuple[str, Where]] = set()
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(FIXTURES).as_posix()
        text = path.read_text(encoding="utf-8")
        markers = read_markers(text, kind=load(relative, text).kind)
        named = markers.ids() & covered
        inside = [where for where in resources if where[0] == relative]
        judged.update((rule, where) for rule in named for where in inside)
        for line, counter in markers.expect.items():
            for rule in set(counter) & covered:
                wanted.update((rule, where) for where in inside if where[1] <= line <= where[2])
    command = [checkov, "-d", str(FIXTURES), "-o", "json", "--quiet", "--compact", "--skip-download"]
    output = subprocess.run(
        [*command, "--framework", "terraform", "cloudformation"],
        capture_output=True,
        text=True,
        check=False,
    )
    reports = json.loads(output.stdout or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    flagged: set[tuple[str, Where]] = set()
    for report in reports:
        for check in report.get("results", {}).get("failed_checks", []):
            rule = CHECKOV_CHECKS.get(check.get("check_id", ""))
            if rule is None:
                continue
            relative = check["file_path"].lstrip("/")
            first = check["file_line_range"][0]
            flagged.update((rule, where) for where in resources if where[0] == relative and abs(where[1] - first) <= 1)
    flagged &= judged
    found = len(wanted & flagged)
    extra = len(flagged - wanted)
    print(
        f"resources our markers flag for the {len(covered)} rules Checkov covers: {len(wanted)}; Checkov flags "
        f"{found} of them (recall {found / max(len(wanted), 1):.3f}) and {extra} our markers leave clean "
        f"(precision {found / max(found + extra, 1):.3f})\n"
    )
    if show:
        for rule, where in sorted(wanted - flagged):
            print(f"- missed by Checkov: {rule} {where[0]}:{where[1]}")
        for rule, where in sorted(flagged - wanted):
            print(f"- Checkov only: {rule} {where[0]}:{where[1]}")


def checkov_on_real(checkov: str, trees: list[Path], show: bool) -> None:
    """Both tools on real repositories, per (resource, rule) Checkov evaluated."""
    print("## Checkov and prodready-lint on real repositories (per resource and rule)\n")
    print("| repository | resources judged | both flag | both pass | we only | Checkov only | agreement |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals: Counter[str] = Counter()
    rules = sorted(set(CHECKOV_CHECKS.values()))
    for tree in trees:
        command = [checkov, "-d", str(tree), "-o", "json", "--compact", "--skip-download"]  # passes too
        output = subprocess.run(
            [*command, "--framework", "terraform", "cloudformation"], capture_output=True, text=True, check=False
        )
        reports = json.loads(output.stdout or "[]")
        reports = reports if isinstance(reports, list) else [reports]
        judged: dict[tuple[str, str, int, int], bool] = {}
        for report in reports:
            results = report.get("results", {})
            for verdict, checks in (
                ("failed", results.get("failed_checks", [])),
                ("passed", results.get("passed_checks", [])),
            ):
                for check in checks:
                    rule = CHECKOV_CHECKS.get(check.get("check_id", ""))
                    if rule is None:
                        continue
                    first, last = check["file_line_range"]
                    key = (rule, check["file_path"].lstrip("/"), first, last)
                    judged[key] = judged.get(key, False) or verdict == "failed"
        findings = _scan(tree, rules)
        counts: Counter[str] = Counter()
        for (rule, file, first, last), failed in sorted(judged.items()):
            ours = any(f.rule_id == rule and f.path == file and first <= f.line <= last for f in findings)
            outcome = {(True, True): "both", (False, False): "neither", (True, False): "ours", (False, True): "theirs"}
            counts[outcome[ours, failed]] += 1
            if show and ours != failed:
                print(f"- {tree.name}: {rule} {file}:{first} {'we only' if ours else 'Checkov only'}")
        judged_count = sum(counts.values())
        agree = counts["both"] + counts["neither"]
        totals.update(counts)
        print(
            f"| {tree.name} | {judged_count} | {counts['both']} | {counts['neither']} | {counts['ours']} | "
            f"{counts['theirs']} | {agree / max(judged_count, 1):.3f} |"
        )
    judged_count = sum(totals.values())
    agree = totals["both"] + totals["neither"]
    print(
        f"| **all** | {judged_count} | {totals['both']} | {totals['neither']} | {totals['ours']} | "
        f"{totals['theirs']} | {agree / max(judged_count, 1):.3f} |\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkov-tree", type=Path, help="a work tree of bridgecrewio/checkov")
    parser.add_argument("--kics-samples", type=Path, help="KICS samples as DIR/<framework>/<query>/")
    parser.add_argument("--checkov", help="the checkov executable, to run it on our fixtures")
    parser.add_argument("--real", type=Path, nargs="+", help="repository work trees for Checkov and us side by side")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    if not (args.checkov_tree or args.kics_samples or args.checkov):
        parser.error("nothing to compare: give --checkov-tree, --kics-samples and/or --checkov")
    if args.checkov_tree:
        checkov_fixtures(args.checkov_tree, args.show)
    if args.kics_samples:
        kics_samples(args.kics_samples, args.show)
    if args.checkov and args.real:
        checkov_on_real(args.checkov, args.real, args.show)
    elif args.checkov:
        checkov_on_ours(args.checkov, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
