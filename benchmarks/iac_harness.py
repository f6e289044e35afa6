"""What the infrastructure-as-code speed benchmarks share: realistic Kubernetes manifests and
Dockerfiles, timing of real subprocesses, the prodready-lint and Checkov command lines, and
the run that measures both tools side by side and prints their ratio.

``bench_iac.py`` (Kubernetes, Terraform, Dockerfiles) and ``bench_aws.py`` (Terraform and
CloudFormation) generate their own trees and hand them to :func:`run_benchmark`. Both are
run as scripts (``python benchmarks/bench_aws.py``), so this module is imported from the
script's own directory; it needs nothing but the standard library.
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
from collections.abc import Callable
from pathlib import Path

TARGET_RATIO = 5.0  # Checkov time / prodready-lint time, at least
SEED = 20261122

# -- generated files ----------------------------------------------------------------------

_IMAGES = ["nginx", "redis", "postgres", "python", "node", "golang", "busybox", "envoyproxy/envoy"]
_TAGS = ["1.27.3", "7.4.1", "17.2", "3.12.7-slim", "22.11-alpine", "latest", "", "v1.32.1"]


def deployment(rng: random.Random, name: str) -> str:
    """A Deployment and its Service, sometimes with an HPA, a PodDisruptionBudget and an Ingress."""
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


def dockerfile(rng: random.Random, index: int) -> str:
    """A two-stage Python service image, sometimes on an unpinned base or running as root."""
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


def write_manifests(root: Path, rng: random.Random, count: int) -> None:
    for index in range(count):
        target = root / "k8s" / f"team{index % 20}" / f"svc{index}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(deployment(rng, f"svc{index}"), encoding="utf-8")


def write_dockerfiles(root: Path, rng: random.Random, count: int) -> None:
    for index in range(count):
        target = root / "docker" / f"svc{index}" / "Dockerfile"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dockerfile(rng, index), encoding="utf-8")


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


# the Checkov framework of each generated subtree
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


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every IaC speed benchmark takes (the file counts are each script's own)."""
    parser.add_argument("--checkov", help="the checkov executable (default: on PATH)")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each prodready-lint measurement")
    parser.add_argument("--checkov-repeat", type=int, default=1)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")


def run_benchmark(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    generate: Callable[[Path], dict[str, int]],
    prefix: str,
) -> int:
    """Generate the tree in a temporary directory, time prodready-lint (default jobs,
    ``--jobs 1``, each kind's subtree) and Checkov (whole tree, each kind) on it, print the
    table and the ratio, and return the exit status."""
    if args.repeat < 1 or args.checkov_repeat < 1:
        parser.error("--repeat and --checkov-repeat must be at least 1")
    executable = None if args.no_checkov else (args.checkov or shutil.which("checkov"))
    work = Path(tempfile.mkdtemp(prefix=prefix))
    tree = work / "tree"
    figures: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    }
    try:
        counts = generate(tree)
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
                results[f"checkov, {kind}"] = median_run(
                    checkov(executable, tree / kind, [FRAMEWORKS[kind]]), (0, 1), args.checkov_repeat
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
