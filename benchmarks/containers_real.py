"""Agreement of the container rules with Checkov and hadolint on real repositories.

    python benchmarks/containers_real.py --checkov PATH [--hadolint PATH] [--show] DIR...

Each DIR is a work tree of a real repository (``git archive`` of a fetched copy, never
kept here). Checkov runs once per DIR (``--framework kubernetes dockerfile``); its
verdict per resource and check is held against prodready-lint's for the same concept: a
resource fails for prodready-lint when a rule mapped to the check reports a line inside
the resource's line range (Checkov judges whole objects, prodready-lint containers and
keys). With ``--hadolint``, every Dockerfile is run through hadolint and its DL3006 and
DL3007 (an untagged or ``latest`` base) are held against CTR013, line by line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import prodready_lint

# Checkov check -> the rules that judge the same thing
CONCEPTS = {
    "CKV_K8S_23": ("CTR002",),  # root containers
    "CKV_K8S_16": ("CTR003",),  # privileged
    "CKV_K8S_20": ("CTR004",),  # allowPrivilegeEscalation
    "CKV_K8S_17": ("CTR005",),  # hostPID
    "CKV_K8S_18": ("CTR005",),  # hostIPC
    "CKV_K8S_19": ("CTR005",),  # hostNetwork
    "CKV_K8S_22": ("CTR006",),  # readOnlyRootFilesystem
    "CKV_K8S_37": ("CTR007",),  # capabilities not dropped
    "CKV_K8S_39": ("CTR008",),  # SYS_ADMIN
    "CKV_K8S_10": ("CTR012:CPU request",),  # CPU requests
    "CKV_K8S_12": ("CTR012:memory request",),  # memory requests
    "CKV_K8S_13": ("CTR012:memory limit",),  # memory limits
    "CKV_K8S_14": ("CTR014",),  # image tag latest or blank
    "CKV_DOCKER_7": ("CTR013",),  # base image tag latest or blank
    "CKV_DOCKER_8": ("CTR001",),  # last USER is root
    "CKV_DOCKER_3": ("CTR001",),  # no USER at all
}
DOCKERFILE_NAMES = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile")


def checkov(binary: str, root: Path) -> dict[str, list[dict]]:
    """Checkov's results per check id: every resource it judged, with its verdict."""
    done = subprocess.run(
        [
            *(binary, "-d", str(root), "--framework", "kubernetes", "dockerfile", "-o", "json", "--quiet"),
            *("--compact", "--skip-download", "--check", ",".join(CONCEPTS)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(done.stdout or "[]")
    reports = data if isinstance(data, list) else [data]
    out: dict[str, list[dict]] = defaultdict(list)
    for report in reports:
        results = report.get("results", {})
        for verdict in ("passed_checks", "failed_checks"):
            for item in results.get(verdict, ()):
                out[item["check_id"]].append(
                    {
                        "path": item["file_path"].lstrip("/"),
                        "lines": item.get("file_line_range") or [0, 0],
                        "failed": verdict == "failed_checks",
                        "resource": item.get("resource"),
                    }
                )
    return out


def ours(root: Path) -> dict[str, dict[str, list[int]]]:
    """prodready-lint's findings per rule and file: the lines."""
    result = prodready_lint.scan([root], select=["CTR", "K8S"], cache=False, root=root)
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    # "CTR012:memory limit": the findings of CTR012 that name a memory limit (one finding
    # of it names everything a container lacks)
    named = {rule for rules in CONCEPTS.values() for rule in rules if ":" in rule}
    for finding in result.findings:
        out[finding.rule_id][finding.path].append(finding.line)
        for rule in named:
            rule_id, words = rule.split(":", 1)
            if finding.rule_id == rule_id and words in finding.message:
                out[rule][finding.path].append(finding.line)
    return out


def hadolint(binary: str, root: Path) -> tuple[Counter, list[str]]:
    found = Counter()
    shown = []
    files = sorted({p for name in DOCKERFILE_NAMES for p in root.rglob(name) if p.is_file()})
    for path in files:
        rel = path.relative_to(root).as_posix()
        done = subprocess.run([binary, "-f", "json", "--no-fail", str(path)], capture_output=True, text=True)
        theirs = {r["line"] for r in json.loads(done.stdout or "[]") if r["code"] in ("DL3006", "DL3007")}
        result = prodready_lint.scan([path], select=["CTR013"], cache=False, root=root)
        mine = {f.line for f in result.findings}
        for line in theirs | mine:
            key = "both" if line in theirs and line in mine else "hadolint only" if line in theirs else "ours only"
            found[key] += 1
            if key != "both":
                shown.append(f"{key}: {rel}:{line}")
    found["files"] = len(files)
    return found, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--checkov", required=True)
    parser.add_argument("--hadolint")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    table: dict[str, Counter] = defaultdict(Counter)
    disagreements = []
    pins, pin_notes = Counter(), []
    for root in args.roots:
        root = root.resolve()
        theirs, mine = checkov(args.checkov, root), ours(root)
        for check, rules in CONCEPTS.items():
            for item in theirs.get(check, ()):
                low, high = item["lines"]
                flagged = any(
                    low <= line <= high for rule in rules for line in mine.get(rule, {}).get(item["path"], ())
                )
                row = table[check]
                row["resources"] += 1
                if flagged == item["failed"]:
                    row["agree"] += 1
                else:
                    side = "checkov only" if item["failed"] else "ours only"
                    row[side] += 1
                    disagreements.append(f"{check} {side}: {root.name}/{item['path']}:{low} {item['resource']}")
        if args.hadolint:
            found, notes = hadolint(args.hadolint, root)
            pins.update(found)
            pin_notes += [f"{root.name}/{note}" for note in notes]
    print("| Checkov check | rules | resources | agree | Checkov only | prodready-lint only |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    total = Counter()
    for check, rules in CONCEPTS.items():
        row = table[check]
        total.update(row)
        print(
            f"| {check} | {', '.join(rules)} | {row['resources']} | {row['agree']} | {row['checkov only']} "
            f"| {row['ours only']} |"
        )
    share = total["agree"] / total["resources"] if total["resources"] else 0.0
    print(
        f"| all | | {total['resources']} | {total['agree']} ({share:.0%}) | {total['checkov only']} "
        f"| {total['ours only']} |"
    )
    if args.hadolint:
        print(
            f"\nhadolint DL3006/DL3007 against CTR013 on {pins['files']} Dockerfiles: {pins['both']} lines both, "
            f"{pins['hadolint only']} hadolint only, {pins['ours only']} prodready-lint only"
        )
    if args.show:
        print("\n".join(["", *sorted(disagreements), *pin_notes]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
