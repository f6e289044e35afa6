"""Speed of prodready-lint against Checkov on infrastructure as code, side by side.

    python benchmarks/bench_iac.py [--checkov PATH] [--repeat N] [--keep] [--json FILE]
                                   [--manifests N] [--terraform N] [--dockerfiles N]

Generates a tree of realistic files (by default 2,000 Kubernetes manifests, 500
Terraform files and 300 Dockerfiles, from a fixed seed, so every run sees the same
bytes) and times, as real subprocesses, on the same files:

* ``prodready-lint scan DIR --no-cache --exit-zero -q`` with every built-in rule, the
  default number of jobs and ``--jobs 1``;
* ``checkov -d DIR --framework kubernetes terraform dockerfile --skip-download``
  (``--quiet --compact -o json``), Checkov's own default parallelism;

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
    name = f"svc{index}"
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

resource "aws_db_instance" "{name}" {{
  identifier              = "{name}-db"
  engine                  = "postgres"
  engine_version          = "16.4"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  storage_encrypted       = {rng.choice(["true", "false"])}
  multi_az                = {rng.choice(["true", "false"])}
  backup_retention_period = {rng.choice([0, 7, 14])}
  deletion_protection     = {rng.choice(["true", "false"])}
  username                = "app"
  password                = var.db_password
  skip_final_snapshot     = true
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

variable "db_password" {{
  type      = string
  sensitive = true
}}
"""


def generate(root: Path, manifests: int, terraform: int, dockerfiles: int) -> dict[str, int]:
    rng = random.Random(SEED)
    write_manifests(root, rng, manifests)
    for index in range(terraform):
        target = root / "terraform" / f"stack{index % 25}" / f"svc{index}.tf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_terraform(rng, index), encoding="utf-8")
    write_dockerfiles(root, rng, dockerfiles)
    return {"k8s": manifests, "terraform": terraform, "docker": dockerfiles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--manifests", type=int, default=2000)
    parser.add_argument("--terraform", type=int, default=500)
    parser.add_argument("--dockerfiles", type=int, default=300)
    add_output_arguments(parser)
    args = parser.parse_args(argv)
    return run_benchmark(
        parser,
        args,
        lambda tree: generate(tree, args.manifests, args.terraform, args.dockerfiles),
        "prodready-iac-",
    )


if __name__ == "__main__":
    sys.exit(main())
