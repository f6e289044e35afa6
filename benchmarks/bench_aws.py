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
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 5.0  # Checkov time / prodready-lint time, at least
SEED = 20261122

# -- the corpus ---------------------------------------------------------------------------

_IMAGES = ["nginx", "redis", "postgres", "python", "node", "golang", "busybox", "envoyproxy/envoy"]
_TAGS = ["1.27.3", "7.4.1", "17.2", "3.12.7-slim", "22.11-alpine", "latest", "", "v1.32.1"]


def _deployment(rng: random.Random, name: str) -> str:
    hardened = rng.random() < 0.5
    image = rng.choice(_IMAGES)
    tag = rng.choice(_TAGS)
    ref = f"{image}:{tag}" if tag else image
    replicas = rng.choice([1, 2, 3, None])
    security = (
        """
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}"""
        if hardened
        else ("\n          securityContext:\n            privileged: true" if rng.random() < 0.1 else "")
    )
    resources = (
        """
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}"""
        if rng.random() < 0.6
        else ""
    )
    env = ""
    if rng.random() < 0.3:
        env = f"""
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {{name: {name}-db, key: password}}"""
    elif rng.random() < 0.1:
        env = f"""
          env:
            - name: API_TOKEN
              value: tok-{rng.randrange(10**6):06d}"""
    replicas_line = f"\n  replicas: {replicas}" if replicas is not None else ""
    doc = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}, team: shop}}
spec:{replicas_line}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}, team: shop}}
    spec:
      containers:
        - name: {name}
          image: {ref}
          ports:
            - containerPort: 8080{security}{resources}{env}
          readinessProbe:
            httpGet: {{path: /healthz, port: 8080}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  type: {rng.choice(["ClusterIP", "ClusterIP", "LoadBalancer"])}
  selector: {{app: {name}}}
  ports:
    - name: http
      port: {rng.choice([80, 80, 5432])}
      targetPort: 8080
"""
    extra = []
    if rng.random() < 0.3:
        extra.append(f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: {rng.choice([1, 2, 3])}
  maxReplicas: {rng.choice([3, 6, 10])}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
""")
    if rng.random() < 0.3:
        extra.append(f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: {name}}}
""")
    if rng.random() < 0.2:
        tls = f"\n  tls:\n    - hosts: [{name}.example.com]\n      secretName: {name}-tls" if rng.random() < 0.5 else ""
        extra.append(f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
spec:
  ingressClassName: nginx{tls}
  rules:
    - host: {name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {{name: {name}, port: {{number: 80}}}}
""")
    return "---\n".join([doc, *extra])


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


def _dockerfile(rng: random.Random, index: int) -> str:
    base = rng.choice(["python:3.12.7-slim", "python:latest", "python", "node:22.11-alpine"])
    user = rng.choice(["USER 10001", "USER root", ""])
    return f"""# syntax=docker/dockerfile:1
ARG APP_VERSION=1.{index}.0
FROM {base} AS build
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM {base}
LABEL org.opencontainers.image.version=$APP_VERSION
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* \\
    && useradd --uid 10001 --no-create-home app
COPY . /app
WORKDIR /app
EXPOSE 8080
{user}
HEALTHCHECK --interval=30s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8080/healthz')"]
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:create_app()"]
"""


STACKS = 25  # Terraform modules: each a variables.tf and the files of its services


def generate(root: Path, manifests: int, terraform: int, dockerfiles: int, cloudformation: int = 0) -> dict[str, int]:
    rng = random.Random(SEED)
    for index in range(manifests):
        target = root / "k8s" / f"team{index % 20}" / f"svc{index}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_deployment(rng, f"svc{index}"), encoding="utf-8")
    stacks = min(STACKS, terraform)
    for stack in range(stacks):
        target = root / "terraform" / f"stack{stack}" / "variables.tf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_terraform_variables(rng), encoding="utf-8")
    for index in range(terraform - stacks):
        target = root / "terraform" / f"stack{index % STACKS}" / f"svc{index}.tf"
        target.write_text(_terraform(rng, index), encoding="utf-8")
    for index in range(dockerfiles):
        target = root / "docker" / f"svc{index}" / "Dockerfile"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_dockerfile(rng, index), encoding="utf-8")
    for index in range(cloudformation):
        target = root / "cloudformation" / f"svc{index}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_cloudformation(rng, index), encoding="utf-8")
    counts = {"k8s": manifests, "terraform": terraform, "docker": dockerfiles, "cloudformation": cloudformation}
    return {kind: count for kind, count in counts.items() if count}


# -- running -------------------------------------------------------------------------------


class RunFailed(Exception):
    pass


def timed(command: list[str], ok_codes: tuple[int, ...], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (the command and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok_codes:
        raise RunFailed(f"{' '.join(command)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_run(command: list[str], ok: tuple[int, ...], repeat: int, env=None) -> dict[str, float]:
    runs = [timed(command, ok, env) for _ in range(repeat)]
    return {
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "runs": len(runs),
    }


def prodready(target: Path, jobs: int | None) -> list[str]:
    command = [sys.executable, "-m", "prodready_lint", "scan", str(target), "--root", str(target)]
    command += ["--no-cache", "--exit-zero", "-q", "--no-progress", "--format", "json", "-o", os.devnull]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    return command


FRAMEWORKS = {"k8s": "kubernetes", "terraform": "terraform", "docker": "dockerfile", "cloudformation": "cloudformation"}


def checkov(executable: str, target: Path, frameworks: list[str]) -> list[str]:
    return [
        executable,
        "-d",
        str(target),
        "--framework",
        *frameworks,
        "--skip-download",
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--output-file-path",
        str(target.parent / "checkov-out"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkov", help="the checkov executable (default: on PATH)")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each prodready-lint measurement")
    parser.add_argument("--checkov-repeat", type=int, default=1)
    parser.add_argument("--terraform", type=int, default=500)
    parser.add_argument("--cloudformation", type=int, default=200)
    parser.add_argument("--manifests", type=int, default=0, help="Kubernetes manifests to add (default 0)")
    parser.add_argument("--dockerfiles", type=int, default=0, help="Dockerfiles to add (default 0)")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.checkov_repeat < 1:
        parser.error("--repeat and --checkov-repeat must be at least 1")
    executable = None if args.no_checkov else (args.checkov or shutil.which("checkov"))
    work = Path(tempfile.mkdtemp(prefix="prodready-aws-"))
    tree = work / "tree"
    figures: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    }
    try:
        counts = generate(tree, args.manifests, args.terraform, args.dockerfiles, args.cloudformation)
        figures["files"] = counts
        print(f"corpus: {counts} in {tree}")
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"))
        subprocess.run(prodready(tree, None), capture_output=True, env=env)  # compile imports once
        results: dict[str, dict] = {}
        results["prodready, whole tree"] = median_run(prodready(tree, None), (0,), args.repeat, env)
        results["prodready, whole tree, --jobs 1"] = median_run(prodready(tree, 1), (0,), args.repeat, env)
        for kind in counts:
            results[f"prodready, {kind}"] = median_run(prodready(tree / kind, None), (0,), args.repeat, env)
        if executable:
            frameworks = [FRAMEWORKS[kind] for kind in counts]
            results["checkov, whole tree"] = median_run(
                checkov(executable, tree, frameworks), (0, 1), args.checkov_repeat
            )
            for kind in counts:
                framework = FRAMEWORKS[kind]
                results[f"checkov, {kind}"] = median_run(
                    checkov(executable, tree / kind, [framework]), (0, 1), args.checkov_repeat
                )
        figures["results"] = results
        print(f"\n{'measurement':<36} {'wall':>9} {'cpu':>9} {'ms/file':>9}")
        for label, value in results.items():
            kind = label.split(", ")[1]
            files = sum(counts.values()) if kind.startswith("whole") else counts[kind]
            value["ms_per_file"] = 1000 * value["wall"] / files
            print(f"{label:<36} {value['wall']:>8.2f}s {value['cpu']:>8.2f}s {value['ms_per_file']:>9.2f}")
        if executable:
            ratio = results["checkov, whole tree"]["wall"] / results["prodready, whole tree"]["wall"]
            ratio_one = results["checkov, whole tree"]["wall"] / results["prodready, whole tree, --jobs 1"]["wall"]
            figures["ratio"] = {"default jobs": ratio, "jobs 1": ratio_one}
            verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
            print(f"\nCheckov / prodready-lint, whole tree: {ratio:.1f}x ({verdict}, target >= {TARGET_RATIO:g}x)")
            print(f"Checkov / prodready-lint --jobs 1:    {ratio_one:.1f}x")
        else:
            print("\nCheckov not found: no ratio (pass --checkov PATH)")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    except RunFailed as error:
        print(f"a run failed: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
