"""Agreement of the container and cluster rules with the peers' own test fixtures.

    python benchmarks/containers_peers.py --polaris DIR --kube-linter DIR --kube-score DIR
                                          --hadolint DIR [--hadolint-bin PATH] [--checkov PATH]
                                          [--show]

Each DIR is a work tree of the peer's repository (``git archive`` of a fetched copy);
nothing of theirs is kept here. Every fixture states an expectation of its own, which
this script reads and holds prodready-lint's verdict against:

* Polaris ``test/checks/<check>/failure*.yaml`` must fail, ``success*.yaml`` must pass;
* kube-linter ``tests/checks/<check>.yml``: objects named ``dont-fire*`` must pass, the
  others fail (its end-to-end tests count the reports; the exceptions are listed with
  ``--show``);
* kube-score: the ``testExpectedScore(t, FILE, CHECK, GRADE)`` calls of its Go tests,
  ``GradeAllOK`` pass and ``GradeWarning``/``GradeCritical`` fail;
* hadolint: the Dockerfiles of the ``ruleCatches``/``ruleCatchesNot`` cases of its
  specs for DL3002 (last USER root), DL3006 (untagged) and DL3007 (latest), run through
  hadolint itself too when ``--hadolint-bin`` is given.

With ``--checkov``, Checkov runs on the same Kubernetes fixtures and its verdict for the
check that covers the same concept is scored too (``-`` where it has none). A verdict is
"fail" when the mapped rules report anything in the file (or, for kube-linter, within
the object's lines).
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

import prodready_lint

# peer check -> (prodready rule ids, rule settings, Checkov check ids)
POLARIS = {
    "hostIPCSet": (["CTR005"], {}, ["CKV_K8S_18"]),
    "hostNetworkSet": (["CTR005"], {}, ["CKV_K8S_19"]),
    "hostPIDSet": (["CTR005"], {}, ["CKV_K8S_17"]),
    "hostPathSet": (["CTR009"], {}, []),
    "privilegeEscalationAllowed": (["CTR004"], {}, ["CKV_K8S_20"]),
    "runAsPrivileged": (["CTR003"], {}, ["CKV_K8S_16"]),
    "runAsRootAllowed": (["CTR002"], {}, ["CKV_K8S_23"]),
    "notReadOnlyRootFilesystem": (["CTR006"], {}, ["CKV_K8S_22"]),
    "dangerousCapabilities": (["CTR008"], {}, ["CKV_K8S_39"]),
    "insecureCapabilities": (["CTR007"], {}, ["CKV_K8S_37"]),
    "cpuRequestsMissing": (["CTR012:CPU request"], {}, ["CKV_K8S_10"]),
    "memoryRequestsMissing": (["CTR012:memory request"], {}, ["CKV_K8S_12"]),
    "memoryLimitsMissing": (["CTR012:memory limit"], {}, ["CKV_K8S_13"]),
    "cpuLimitsMissing": (["CTR012:CPU limit"], {"CTR012": {"require-cpu-limit": True}}, ["CKV_K8S_11"]),
    "tagNotSpecified": (["CTR014"], {}, ["CKV_K8S_14"]),
    "deploymentMissingReplicas": (["K8S001"], {}, []),
    "missingPodDisruptionBudget": (["K8S002"], {}, []),
    "hpaMinAvailability": (["K8S004"], {}, []),
    "topologySpreadConstraint": (["K8S003"], {}, []),
    "sensitiveContainerEnvVar": (["CTR015"], {}, []),
}
KUBE_LINTER = {
    "docker-sock": (["CTR009"], {}, ["CKV_K8S_27"]),
    "host-ipc": (["CTR005"], {}, ["CKV_K8S_18"]),
    "host-network": (["CTR005"], {}, ["CKV_K8S_19"]),
    "host-pid": (["CTR005"], {}, ["CKV_K8S_17"]),
    "latest-tag": (["CTR014"], {}, ["CKV_K8S_14"]),
    "minimum-three-replicas": (["K8S001"], {"K8S001": {"min-replicas": 3}}, []),
    "hpa-minimum-three-replicas": (["K8S004"], {"K8S004": {"min-replicas": 3}}, []),
    "no-anti-affinity": (["K8S003"], {}, []),
    "no-read-only-root-fs": (["CTR006"], {}, ["CKV_K8S_22"]),
    "privilege-escalation-container": (["CTR004"], {}, ["CKV_K8S_20"]),
    "privileged-container": (["CTR003"], {}, ["CKV_K8S_16"]),
    "run-as-non-root": (["CTR002"], {}, ["CKV_K8S_23"]),
    "sensitive-host-mounts": (["CTR009"], {}, []),
    "unset-cpu-requirements": (["CTR012:CPU request"], {}, ["CKV_K8S_10"]),
    "unset-memory-requirements": (["CTR012:memory"], {}, ["CKV_K8S_12", "CKV_K8S_13"]),
    "env-var-secret": (["CTR015"], {}, []),
    "drop-net-raw-capability": (["CTR007"], {}, ["CKV_K8S_28"]),
}
KUBE_SCORE = {
    "Deployment has PodDisruptionBudget": (["K8S002"], {}, []),
    "StatefulSet has PodDisruptionBudget": (["K8S002"], {}, []),
    "Deployment has host PodAntiAffinity": (["K8S003"], {}, []),
    "StatefulSet has host PodAntiAffinity": (["K8S003"], {}, []),
    "Pod Topology Spread Constraints": (["K8S003"], {}, []),
    "Container Resources": (["CTR012"], {"CTR012": {"require-cpu-limit": True}}, ["CKV_K8S_10"]),
    "Container Image Tag": (["CTR014"], {}, ["CKV_K8S_14"]),
    "HorizontalPodAutoscaler Replicas": (["K8S004"], {}, []),
    "Deployment Replicas": (["K8S001"], {}, []),
}
HADOLINT = {"DL3002": ["CTR001"], "DL3006": ["CTR013"], "DL3007": ["CTR013"]}


def scan(path: Path, rules: list[str], settings: dict) -> list[prodready_lint.Finding]:
    """The findings of ``rules``; ``CTR012:memory limit`` keeps those of CTR012 whose
    message names a memory limit (one CTR012 finding names all a container lacks)."""
    words = dict(rule.split(":", 1) for rule in rules if ":" in rule)
    config = {"select": [rule.split(":", 1)[0] for rule in rules], "rules": settings}
    result = prodready_lint.scan([path], config=config, cache=False, root=path.parent, jobs=1)
    return [f for f in result.findings if f.rule_id not in words or words[f.rule_id] in f.message]


_CHECKOV: dict[Path, dict[str, list[tuple[str, int, int]]]] = {}


def checkov_results(checkov: str | None, directory: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Checkov's failed checks under ``directory``: file name -> (check id, first, last line)."""
    if checkov is None:
        return {}
    if directory not in _CHECKOV:
        with tempfile.TemporaryDirectory() as out:
            command = [checkov, "-d", str(directory), "--framework", "kubernetes", "--skip-download"]
            subprocess.run([*command, "--quiet", "-o", "json", "--output-file-path", out], capture_output=True)
            found: dict[str, list] = defaultdict(list)
            for report in Path(out).glob("*.json"):
                data = json.loads(report.read_text())
                for block in data if isinstance(data, list) else [data]:
                    for failed in block.get("results", {}).get("failed_checks", []):
                        first, last = failed["file_line_range"]
                        found[Path(failed["file_path"]).name].append((failed["check_id"], first, last))
            _CHECKOV[directory] = dict(found)
    return _CHECKOV[directory]


class Score:
    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.misses: list[str] = []

    def add(self, tool: str, expected: bool, got: bool | None, where: str) -> None:
        if got is None:
            return
        self.counts[(tool, "total")] += 1
        if got == expected:
            self.counts[(tool, "agree")] += 1
        else:
            self.misses.append(f"{tool}: {where}: expected {'fail' if expected else 'pass'}")

    def line(self, tool: str) -> str:
        total = self.counts[(tool, "total")]
        agree = self.counts[(tool, "agree")]
        return f"{agree}/{total} ({100 * agree / total:.0f}%)" if total else "-"


def polaris(root: Path, score: Score, checkov: str | None) -> None:
    for check, (rules, settings, ckv) in POLARIS.items():
        folder = root / "test" / "checks" / check
        for fixture in sorted(folder.glob("*.yaml")):
            kind = fixture.name.split(".")[0].split("-")[0]
            if kind not in ("failure", "success"):
                continue
            expected = kind == "failure"
            got = bool(scan(fixture, rules, settings))
            score.add("prodready", expected, got, f"polaris {check}/{fixture.name}")
            if ckv and checkov:
                failed = checkov_results(checkov, folder).get(fixture.name, [])
                score.add("checkov", expected, any(c in ckv for c, _, _ in failed), f"polaris {check}/{fixture.name}")


def _documents(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of each document of a multi-document file."""
    out = []
    start = 1
    lines = text.splitlines()
    for number, line in enumerate([*lines, "---"], 1):
        if line.startswith("---") or number == len(lines) + 1:
            chunk = lines[start - 1 : number - 1]
            name = next((m.group(1) for m in (re.match(r"^  name:\s*(\S+)", c) for c in chunk) if m), None)
            if any(c.strip() and not c.lstrip().startswith("#") for c in chunk):
                out.append((start, number - 1, name or ""))
            start = number + 1
    return out


def kube_linter(root: Path, score: Score, checkov: str | None) -> None:
    folder = root / "tests" / "checks"
    for check, (rules, settings, ckv) in KUBE_LINTER.items():
        fixture = next((p for p in folder.glob(f"{check}.y*ml")), None)
        if fixture is None:
            continue
        findings = scan(fixture, rules, settings)
        failed = checkov_results(checkov, folder).get(fixture.name, []) if ckv else []
        for first, last, name in _documents(fixture.read_text(encoding="utf-8")):
            expected = not name.startswith("dont-fire")
            got = any(first <= f.line <= last for f in findings)
            score.add("prodready", expected, got, f"kube-linter {check}: {name} (lines {first}-{last})")
            if ckv and checkov:
                hit = any(c in ckv and first <= a <= last for c, a, _ in failed)
                score.add("checkov", expected, hit, f"kube-linter {check}: {name}")


_EXPECTED_SCORE = re.compile(r'testExpectedScore\w*\(t,\s*"([^"]+)",\s*"([^"]+)",\s*scorecard\.Grade(\w+)')


def kube_score(root: Path, score: Score, checkov: str | None) -> None:
    data = root / "score" / "testdata"
    for test in sorted((root / "score").glob("*_test.go")):
        for name, check, grade in _EXPECTED_SCORE.findall(test.read_text(encoding="utf-8")):
            if check not in KUBE_SCORE or not (data / name).is_file():
                continue
            rules, settings, ckv = KUBE_SCORE[check]
            expected = grade in ("Warning", "Critical")
            got = bool(scan(data / name, rules, settings))
            score.add("prodready", expected, got, f"kube-score {check}: {name} ({grade})")
            if ckv and checkov:
                failed = checkov_results(checkov, data).get(name, [])
                score.add("checkov", expected, any(c in ckv for c, _, _ in failed), f"kube-score {check}: {name}")


_CASE = re.compile(r'(ruleCatches(?:Not)?)\s+"(DL\d{4})"\s+(?:"((?:[^"\\]|\\.)*)"|\$\s*Text\.unlines\s+dockerFile)')
_LIST = re.compile(r"let\s+dockerFile\s*=\s*\[(.*?)\]", re.DOTALL)


def hadolint_cases(root: Path) -> list[tuple[str, bool, str, str]]:
    """(rule, expected to be caught, Dockerfile, test name) for the specs we cover."""
    out = []
    for rule in HADOLINT:
        spec = (root / "test" / "Hadolint" / "Rule" / f"{rule}Spec.hs").read_text(encoding="utf-8")
        for block in re.split(r'\n\s+it\s+"', spec)[1:]:
            name = block.split('"', 1)[0]
            listed = _LIST.search(block)
            for kind, caught_rule, inline in _CASE.findall(block):
                if caught_rule != rule or "onBuild" in kind:
                    continue
                if inline:
                    text = inline.encode().decode("unicode_escape")
                elif listed:
                    text = "\n".join(json.loads(f"[{listed.group(1)}]"))
                else:
                    continue
                out.append((rule, kind == "ruleCatches", text.rstrip("\n") + "\n", name))
    return out


def hadolint(root: Path, score: Score, binary: str | None) -> None:
    with tempfile.TemporaryDirectory() as temp:
        for index, (rule, expected, text, name) in enumerate(hadolint_cases(root)):
            folder = Path(temp) / f"case{index}"
            folder.mkdir()
            (folder / "Dockerfile").write_text(text, encoding="utf-8")
            got = bool(scan(folder / "Dockerfile", HADOLINT[rule], {}))
            score.add("prodready", expected, got, f"hadolint {rule}: {name}")
            if binary:
                proc = subprocess.run(
                    [binary, "--no-color", "-f", "json", str(folder / "Dockerfile")], capture_output=True, text=True
                )
                caught = any(item["code"] == rule for item in json.loads(proc.stdout or "[]"))
                score.add("hadolint", expected, caught, f"hadolint {rule}: {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polaris", type=Path)
    parser.add_argument("--kube-linter", type=Path)
    parser.add_argument("--kube-score", type=Path)
    parser.add_argument("--hadolint", type=Path)
    parser.add_argument("--hadolint-bin")
    parser.add_argument("--checkov")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    rows = []
    for label, root, run, tools in (
        ("Polaris fixtures", args.polaris, polaris, ("prodready", "checkov")),
        ("kube-linter fixtures", args.kube_linter, kube_linter, ("prodready", "checkov")),
        ("kube-score fixtures", args.kube_score, kube_score, ("prodready", "checkov")),
        ("hadolint specs", args.hadolint, hadolint, ("prodready", "hadolint")),
    ):
        if root is None:
            continue
        score = Score()
        run(root, score, args.hadolint_bin if run is hadolint else args.checkov)
        rows.append((label, score, tools))
    print(f"{'fixtures':<24} {'prodready-lint':>16} {'peer tool':>16}")
    for label, score, tools in rows:
        print(f"{label:<24} {score.line(tools[0]):>16} {score.line(tools[1]):>16} ({tools[1]})")
    if args.show:
        for label, score, _ in rows:
            for miss in score.misses:
                print(f"  {label}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
