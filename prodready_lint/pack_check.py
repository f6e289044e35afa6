"""``prodready-lint test-rules PATH``: check a pack the way its users will meet it.

Every rule runs on its documentation's examples (each ``Example`` must be flagged, no
``Use instead`` may be) and on the pack's annotated fixtures (``tests/fixtures/``:
every ``expect`` reported, nothing else), through the real engine. Semgrep rules also
go through ``semgrep test`` against their Semgrep-annotated targets
(``tests/semgrep/<rule file stem>.<ext>``, ``# ruleid:`` / ``# ok:``). Every mismatch is
printed exactly, one line each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from prodready_lint.local_packs import load_local_pack
from prodready_lint.sdk.semgrep import SemgrepRule
from prodready_lint.sdk.testing import check_pack

__all__ = ["run_pack_tests"]

_OFFLINE = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}


def _project_root(path: Path) -> Path:
    """The directory holding the pack's ``tests/``: the path itself, or the nearest
    directory above it with a ``pyproject.toml``."""
    start = path if path.is_dir() else path.parent
    for directory in (start, *start.parents):
        if (directory / "tests").is_dir() or (directory / "pyproject.toml").is_file():
            return directory
    return start


def _semgrep_tests(root: Path, rules: list[type[SemgrepRule]]) -> tuple[list[str], int]:
    """Mismatches reported by ``semgrep test`` for every Semgrep rule file that has a
    test target, and how many targets ran."""
    from prodready_lint.semgrep_scan import semgrep_executable

    problems: list[str] = []
    files = sorted({Path(rule.semgrep_file) for rule in rules})
    pairs = []
    for rule_file in files:
        targets = sorted((root / "tests" / "semgrep").glob(f"{rule_file.stem}.*"))
        pairs += [(rule_file, target) for target in targets if target.suffix not in (".yaml", ".yml")]
    if not pairs:
        return problems, 0
    executable = semgrep_executable()
    if executable is None:
        return ["semgrep is not installed: its tests did not run (pip install 'prodready-lint[semgrep]')"], 0
    with tempfile.TemporaryDirectory(prefix="prodready-semgrep-test-") as temp:
        shown = {}
        for index, (rule_file, target) in enumerate(pairs):
            stem = f"{rule_file.stem}_{index}"
            shutil.copyfile(rule_file, Path(temp) / f"{stem}.yaml")
            shutil.copyfile(target, Path(temp) / f"{stem}{target.suffix}")
            shown[stem] = target
        process = subprocess.run(
            [executable, "test", "--experimental", "--json", temp],
            capture_output=True,
            text=True,
            env={**os.environ, **_OFFLINE},
            timeout=600,
        )
        try:
            report = json.loads(process.stdout)
        except ValueError:
            tail = (process.stderr.strip().splitlines() or ["no output"])[-1]
            return [f"semgrep test failed (exit status {process.returncode}): {tail}"], 0
        for config, outcome in sorted(report.get("results", {}).items()):
            target = shown.get(Path(config).stem, Path(config))
            for rule_id, check in sorted(outcome.get("checks", {}).items()):
                for matches in check.get("matches", {}).values():
                    expected = set(matches.get("expected_lines", []))
                    reported = set(matches.get("reported_lines", []))
                    problems += [
                        f"{target}:{line}: expected {rule_id}, not reported" for line in sorted(expected - reported)
                    ]
                    problems += [f"{target}:{line}: unexpected {rule_id}" for line in sorted(reported - expected)]
                problems += [f"{target}: {rule_id}: {error}" for error in check.get("errors", [])]
        for config in report.get("config_with_errors", []):
            problems.append(f"semgrep could not read the rules: {config}")
    return problems, len(pairs)


def run_pack_tests(path: str) -> int:
    """The ``test-rules`` command: 0 when everything matches, 1 on any mismatch, 2 when
    the pack cannot be loaded."""
    pack, problem = load_local_pack(path)
    if pack is None:
        print(f"prodready-lint: {problem}", file=sys.stderr)
        return 2
    root = _project_root(Path(pack.source))
    fixtures_dir = root / "tests" / "fixtures"
    fixtures = sorted(fixtures_dir.iterdir()) if fixtures_dir.is_dir() else []
    problems = check_pack(pack, fixtures_dir)
    semgrep = [rule for rule in pack.rules if issubclass(rule, SemgrepRule)]
    semgrep_problems, semgrep_targets = _semgrep_tests(root, semgrep)
    problems += semgrep_problems
    for line in problems:
        print(line)
    counts = (
        f"{len(pack.rules)} rules of pack {pack.name} {pack.version}, "
        f"{len(fixtures)} fixtures, {semgrep_targets} Semgrep tests"
    )
    if problems:
        print(f"{len(problems)} mismatches ({counts})")
        return 1
    print(f"all rules behave as documented ({counts})")
    return 0
