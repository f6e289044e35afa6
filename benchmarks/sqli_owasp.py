"""True- and false-positive rates of the SQL-injection rules on OWASP BenchmarkPython.

    python benchmarks/sqli_owasp.py BENCHMARK_DIR [--bandit PATH] [--ruff PATH]
                                    [--semgrep PATH --semgrep-config DIR] [--show]

``BENCHMARK_DIR`` is a checkout of OWASP BenchmarkPython (never committed here). Its
``expectedresults-*.csv`` labels each test case; the cases of category ``sqli`` are
copied to a temporary directory and each tool is run on that copy. A test case counts
as flagged when the tool reports anything in its file: prodready-lint's ``SQL`` rules,
Bandit B608, Ruff S608, and Semgrep with the rules in ``--semgrep-config`` (a directory
of rule files, since the registry is not reachable offline). Prints, per tool, the
true-positive rate (flagged real vulnerabilities / real vulnerabilities) and the
false-positive rate (flagged safe cases / safe cases), and with ``--show`` the cases
each tool gets wrong.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _labels(root: Path) -> dict[str, bool]:
    found = sorted(root.glob("expectedresults-*.csv"))
    if not found:
        raise SystemExit(f"no expectedresults-*.csv in {root}")
    labels = {}
    with found[-1].open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) > 2 and row[1] == "sqli":
                labels[row[0]] = row[2].strip() == "true"
    return labels


def _prodready(cases: Path) -> set[str]:
    out = cases.parent / "prodready.json"
    command = [sys.executable, "-m", "prodready_lint", "scan", str(cases), "--root", str(cases), "--select", "SQL"]
    subprocess.run([*command, "--no-cache", "--format", "json", "-o", str(out), "--exit-zero", "-q"], check=True)
    return {Path(f["location"]["path"]).stem for f in json.loads(out.read_text())["findings"]}


def _bandit(cases: Path, bandit: str) -> set[str]:
    out = cases.parent / "bandit.json"
    subprocess.run([bandit, "-q", "-t", "B608", "-r", str(cases), "-f", "json", "-o", str(out)], check=False)
    return {Path(r["filename"]).stem for r in json.loads(out.read_text())["results"]}


def _ruff(cases: Path, ruff: str) -> set[str]:
    command = [ruff, "check", "--isolated", "--select", "S608", "--output-format", "json", str(cases)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return {Path(r["filename"]).stem for r in json.loads(result.stdout or "[]")}


def _semgrep(cases: Path, semgrep: str, config: str) -> set[str]:
    out = cases.parent / "semgrep.json"
    command = [semgrep, "--metrics", "off", "--disable-version-check", "--config", config, str(cases)]
    subprocess.run([*command, "--json", "-o", str(out), "-q"], check=False)
    return {Path(r["path"]).stem for r in json.loads(out.read_text())["results"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmark", type=Path)
    parser.add_argument("--bandit")
    parser.add_argument("--ruff")
    parser.add_argument("--semgrep")
    parser.add_argument("--semgrep-config")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    labels = _labels(args.benchmark)
    with tempfile.TemporaryDirectory() as temp:
        cases = Path(temp) / "cases"
        cases.mkdir()
        for name in labels:
            shutil.copyfile(args.benchmark / "testcode" / f"{name}.py", cases / f"{name}.py")
        tools = {"prodready-lint SQL001-SQL003": _prodready(cases)}
        if args.bandit:
            tools["Bandit B608"] = _bandit(cases, args.bandit)
        if args.ruff:
            tools["Ruff S608"] = _ruff(cases, args.ruff)
        if args.semgrep and args.semgrep_config:
            tools["Semgrep (CWE-89 rules)"] = _semgrep(cases, args.semgrep, args.semgrep_config)
    positives = {name for name, real in labels.items() if real}
    negatives = set(labels) - positives
    print(f"{len(labels)} sqli cases: {len(positives)} real, {len(negatives)} safe")
    print("| tool | TPR | FPR | tp / fn / fp / tn |")
    print("| --- | ---: | ---: | --- |")
    for tool, flagged in tools.items():
        tp, fp = len(positives & flagged), len(negatives & flagged)
        fn, tn = len(positives) - tp, len(negatives) - fp
        print(f"| {tool} | {tp / len(positives):.2f} | {fp / len(negatives):.2f} | {tp} / {fn} / {fp} / {tn} |")
        if args.show:
            print(f"  missed: {sorted(positives - flagged)}\n  false: {sorted(negatives & flagged)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
