"""Headroom: how long a scan takes when every Python file is parsed and fully lowered.

    python benchmarks/facts_headroom.py [DIR]   (default: a copy of the standard library)

The built-in rules parse only the files that contain one of their triggers. Rule
families still to come will read more files, so this measures the worst case of the
shared per-file model: a rule with no triggers that walks every call of every file,
with one and with two worker processes. Compare the figures with Bandit's time from
bench_stdlib.py.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from prodready_lint.sdk import Context, PythonFile, Rule, Severity

import prodready_lint


class ReadEveryCall(Rule):
    """Reads the facts of every Python file, and reports nothing.

    ## What it does
    Walks every call of every file, resolving each callee.

    ## Why is this bad?
    It is a measurement, not a check.

    ## Example
    ```python
    never()
    ```

    ## Use instead
    ```python
    value = 1
    ```
    """

    id = "BENCH001"
    name = "read-every-call"
    summary = "reads every call (a benchmark, not a check)"
    checklist = ("metrics",)
    severity = Severity.INFO

    def check(self, file: PythonFile, ctx: Context) -> None:
        for call in file.calls:
            if call.method == "never":
                ctx.report(call, "never")


def stdlib_copy(into: Path) -> Path:
    source = Path(sysconfig.get_paths()["stdlib"])

    def skip(directory: str, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if n in ("site-packages", "venv") or (Path(directory, n).is_file() and not n.endswith(".py"))
        ]

    return Path(shutil.copytree(source, into / "stdlib", ignore=skip))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="prodready-headroom-") as temp:
        corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else stdlib_copy(Path(temp))
        for jobs in (1, 2):
            started = time.perf_counter()
            result = prodready_lint.scan(
                [corpus], root=corpus, rules=[ReadEveryCall], installed_rules=False, cache=False, jobs=jobs, config={}
            )
            seconds = time.perf_counter() - started
            stats = result.stats
            print(f"--jobs {jobs}: {seconds:.2f} s ({stats.files_parsed} files parsed, {stats.files_failed} failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
