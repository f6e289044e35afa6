"""How fast the SDK builds each file kind's model, and what triggers cost.

    python benchmarks/bench_models.py [--json FILE] [--seed N]

1. Models. Generates a tree of 2,000 Kubernetes manifests (multi-document files,
   Deployments with init containers and probes, Services, ConfigMaps, HPAs), 500
   Terraform files, 300 Dockerfiles (multi-stage, heredocs, continuations) and 300 SQL
   migrations, then, per kind, in one process: loads every file through the SDK's
   registry (``load(path, text)``, the same loader a scan uses), then walks the parts a
   rule reads (Kubernetes workloads and their containers, Terraform blocks and
   attributes, Dockerfile stages, SQL statements and their summaries). Reported: files
   and megabytes per second for loading alone and for loading plus walking, and the
   peak memory (tracemalloc) with every model of the kind held at once.
2. Triggers. On the same tree plus the Python standard library, the cost of deciding
   which rules a file triggers: a substring test per trigger (what rules declare), the
   same triggers matched case-insensitively, and regular expressions, for rule sets of
   10, 50 and 200 triggers. Reported per megabyte, beside the cost of reading the files.

Uses only the project's own dependencies.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import sysconfig
import time
import tracemalloc
from pathlib import Path


def kubernetes(rng: random.Random, n: int) -> str:
    app = f"svc-{n}"
    docs = [
        f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  labels: {{app: {app}, tier: backend}}
spec:
  replicas: {rng.choice([1, 2, 3])}
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}}}
    spec:
      securityContext:
        runAsNonRoot: true
      initContainers:
        - name: migrate
          image: registry.internal/{app}:{rng.randint(1, 9)}.{rng.randint(0, 20)}
          command: ["python", "manage.py", "migrate"]
      containers:
        - name: {app}
          image: registry.internal/{app}:{rng.randint(1, 9)}.{rng.randint(0, 20)}
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {{name: {app}-db, key: password}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
          readinessProbe:
            httpGet: {{path: /readyz, port: 8080}}
          livenessProbe:
            httpGet: {{path: /healthz, port: 8080}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
""",
        f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
spec:
  selector: {{app: {app}}}
  ports:
    - port: 80
      targetPort: 8080
""",
    ]
    if rng.random() < 0.5:
        docs.append(
            f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
data:
  settings.yaml: |
    feature_flags:
      checkout_v2: true
    upstream: https://api.internal/{app}
"""
        )
    if rng.random() < 0.3:
        docs.append(
            f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {app}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {app}}}
  minReplicas: 2
  maxReplicas: {rng.randint(3, 10)}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
"""
        )
    return "---\n".join(docs)


def terraform(rng: random.Random, n: int) -> str:
    return f"""variable "environment" {{
  type    = string
  default = "prod"
}}

locals {{
  name = "orders-${{var.environment}}-{n}"
  tags = {{ team = "payments", service = "orders" }}
}}

resource "aws_db_instance" "db_{n}" {{
  identifier              = local.name
  engine                  = "postgres"
  engine_version          = "15.4"
  instance_class          = "db.t3.{rng.choice(["medium", "large"])}"
  allocated_storage       = {rng.choice([20, 50, 100])}
  storage_encrypted       = {rng.choice(["true", "false"])}
  backup_retention_period = {rng.randint(0, 14)}
  deletion_protection     = true
  multi_az                = true
  username                = "orders"
  password                = var.db_password
  tags                    = local.tags

  lifecycle {{
    prevent_destroy = true
  }}
}}

resource "aws_s3_bucket" "logs_{n}" {{
  bucket = "${{local.name}}-logs"
  tags   = merge(local.tags, {{ purpose = "logs" }})
}}

resource "aws_s3_bucket_versioning" "logs_{n}" {{
  bucket = aws_s3_bucket.logs_{n}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_security_group" "db_{n}" {{
  name   = "${{local.name}}-db"
  vpc_id = var.vpc_id

  ingress {{
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}

  dynamic "egress" {{
    for_each = var.egress_rules
    content {{
      from_port   = egress.value.port
      to_port     = egress.value.port
      protocol    = "tcp"
      cidr_blocks = egress.value.cidrs
    }}
  }}
}}

data "aws_iam_policy_document" "read_{n}" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["${{aws_s3_bucket.logs_{n}.arn}}/*"]
  }}
}}
"""


def dockerfile(rng: random.Random, n: int) -> str:
    version = rng.choice(["3.11", "3.12", "3.13"])
    return f"""# syntax=docker/dockerfile:1.7
ARG PYTHON_VERSION={version}
FROM python:${{PYTHON_VERSION}}-slim AS build
WORKDIR /src
RUN apt-get update \\
    && apt-get install -y --no-install-recommends build-essential \\
    # the compiler is only needed here
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip wheel -r requirements.txt -w /wheels
RUN <<EOF
set -eux
python -m compileall -q /src
echo "built {n}" > /src/BUILD
EOF

FROM python:${{PYTHON_VERSION}}-slim
ENV PYTHONUNBUFFERED=1 \\
    APP_PORT=8080
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY --chown=10001:10001 . /app
WORKDIR /app
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-f", "http://localhost:8080/healthz"]
CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8080"]
"""


def sql(rng: random.Random, n: int) -> str:
    return f"""-- migration {n}
BEGIN;
CREATE TABLE IF NOT EXISTS orders_{n} (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers(id),
    status text NOT NULL DEFAULT 'new',
    total_cents integer NOT NULL CHECK (total_cents >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE orders_{n} ADD COLUMN notes text;
ALTER TABLE orders_{n} ALTER COLUMN status SET DEFAULT 'pending';
ALTER TABLE orders_{n} ADD CONSTRAINT orders_{n}_customer_fk FOREIGN KEY (customer_id)
    REFERENCES customers(id) NOT VALID;
COMMIT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_{n}_customer_idx ON orders_{n} (customer_id);
ALTER TABLE orders_{n} VALIDATE CONSTRAINT orders_{n}_customer_fk;

CREATE OR REPLACE FUNCTION orders_{n}_touch() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();  -- keep in step; ';' inside the body
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

UPDATE orders_{n} SET status = 'archived' WHERE created_at < now() - interval '{rng.randint(1, 5)} years';
INSERT INTO order_states (name) VALUES ('new'), ('paid'), ('shipped'), ('archived');
"""


GENERATORS = {
    "kubernetes": ("deploy/{n}.yaml", kubernetes, 2000),
    "terraform": ("infra/mod{m}/main{n}.tf", terraform, 500),
    "dockerfile": ("services/svc{n}/Dockerfile", dockerfile, 300),
    "sql": ("db/migrations/{n:04d}_change.sql", sql, 300),
}


def generate(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    return {
        kind: [(pattern.format(n=n, m=n // 10), make(rng, n)) for n in range(count)]
        for kind, (pattern, make, count) in GENERATORS.items()
    }


def walk(kind: str, model) -> int:
    """Touch what a rule of the kind reads; returns a count so nothing is optimised away."""
    count = 0
    if kind == "kubernetes":
        from prodready_lint.sdk import kube_objects, workloads

        count += sum(1 for _ in kube_objects(model))
        for workload in workloads(model):
            for container in workload.containers:
                count += len(container.security_context.settings) + (container.image is not None)
    elif kind == "terraform":
        for block in model.blocks:
            count += sum(1 for _ in block.walk_attributes())
    elif kind == "dockerfile":
        for stage in model.stages:
            count += len(stage.instructions) + (stage.image is not None)
    elif kind == "sql":
        for statement in model.statements:
            count += len(statement.summary.actions) + 1
    return count


def measure_models(files: dict[str, list[tuple[str, str]]]) -> dict:
    from prodready_lint.sdk import load

    results = {}
    for kind, items in files.items():
        size = sum(len(text.encode()) for _, text in items)
        started = time.perf_counter()
        models = [load(path, text) for path, text in items]
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        for model in models:
            walk(kind, model)
        walked = time.perf_counter() - started
        del models
        tracemalloc.start()
        held = [load(path, text) for path, text in items]
        for model in held:
            walk(kind, model)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del held
        results[kind] = {
            "files": len(items),
            "megabytes": round(size / 1e6, 2),
            "load_files_per_second": round(len(items) / loaded),
            "load_megabytes_per_second": round(size / 1e6 / loaded, 2),
            "load_and_walk_files_per_second": round(len(items) / (loaded + walked)),
            "peak_memory_mb_all_models_held": round(peak / 1e6, 1),
        }
    return results


def measure_triggers(corpus: list[bytes]) -> dict:
    words = re.findall(rb"[A-Za-z_][A-Za-z0-9_]{3,}", b"".join(corpus[:200]))
    vocabulary = sorted(set(words))
    rng = random.Random(3)
    size = sum(map(len, corpus))
    out = {}
    for count in (10, 50, 200):
        triggers = [bytes(w) for w in rng.sample(vocabulary, count)]
        lowered = [t.lower() for t in triggers]
        combined = re.compile(b"|".join(re.escape(t) for t in triggers))
        folded = re.compile(b"|".join(re.escape(t) for t in triggers), re.IGNORECASE)

        def substring(data: bytes, needles=tuple(triggers)) -> bool:
            return any(n in data for n in needles)

        def lowered_substring(data: bytes, needles=tuple(lowered)) -> bool:
            low = data.lower()
            return any(n in low for n in needles)

        def one_expression(data: bytes, pattern=combined) -> bool:
            return pattern.search(data) is not None

        def folded_expression(data: bytes, pattern=folded) -> bool:
            return pattern.search(data) is not None

        timings = {}
        for name, test in (
            ("substring test per trigger (used)", substring),
            ("one regular expression", one_expression),
            ("case-insensitive regular expression", folded_expression),
            ("case-insensitive substring on a lowered copy (used)", lowered_substring),
        ):
            started = time.perf_counter()
            hits = sum(1 for data in corpus if test(data))
            timings[name] = {"ms_per_mb": round((time.perf_counter() - started) * 1000 / (size / 1e6), 3), "hits": hits}
        out[str(count)] = timings
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    files = generate(random.Random(args.seed))
    models = measure_models(files)
    print("| kind | files | MB | files/s, load | MB/s, load | files/s, load + walk | peak memory, all held |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, row in models.items():
        print(
            f"| {kind} | {row['files']} | {row['megabytes']} | {row['load_files_per_second']} "
            f"| {row['load_megabytes_per_second']} | {row['load_and_walk_files_per_second']} "
            f"| {row['peak_memory_mb_all_models_held']} MB |"
        )
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    corpus = [p.read_bytes() for p in sorted(stdlib.rglob("*.py")) if "site-packages" not in p.parts]
    corpus += [text.encode() for items in files.values() for _, text in items]
    triggers = measure_triggers(corpus)
    print(f"\ntriggers over {sum(map(len, corpus)) / 1e6:.1f} MB ({len(corpus)} files):")
    print("| triggers | method | ms per MB | files matched |")
    print("| ---: | --- | ---: | ---: |")
    for count, timings in triggers.items():
        for name, row in timings.items():
            print(f"| {count} | {name} | {row['ms_per_mb']} | {row['hits']} |")
    if args.json:
        args.json.write_text(json.dumps({"models": models, "triggers": triggers}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
