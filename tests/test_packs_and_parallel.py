"""Third-party packs through the real entry-point group, and the process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import prodready_lint
from prodready_lint.registry import load_packs
from tests.conftest import ROOT, run_cli, write_tree

EXAMPLE_PACK = Path(__file__).parent / "example_pack" / "acme_rules.py"
ACME_SERVICE = Path(__file__).parent / "fixtures" / "acme" / "service"


def install_pack(site: Path, module: str, source: str, entry: str, name: str | None = None) -> Path:
    """Make a distribution with a ``prodready_lint.rules`` entry point importable from ``site``."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    dist = site / f"{name or module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name or module}\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[prodready_lint.rules]\n{entry}\n", encoding="utf-8")
    return site


def test_builtin_pack_is_found_through_its_entry_point() -> None:
    packs, problems = load_packs()
    assert problems == [] and packs[0].name == "builtin"
    assert [r.metadata().id for r in packs[0].rules][:2] == ["TMO001", "TMO002"]


def test_a_pack_installed_as_a_distribution_runs_like_the_builtin_one(tmp_path: Path) -> None:
    site = install_pack(
        tmp_path / "site", "acme_rules", EXAMPLE_PACK.read_text(encoding="utf-8"), "acme = acme_rules:PACK"
    )
    service = tmp_path / "service"
    shutil.copytree(ACME_SERVICE, service)
    env = {"PYTHONPATH": str(site)}
    listing = run_cli("rules", cwd=tmp_path, env=env)
    assert {"ACME001", "ACME002", "ACME100", "TMO001"} <= {line.split()[0] for line in listing.stdout.splitlines()}
    proc = run_cli("scan", str(service), "--format", "json", "--root", str(service), cwd=tmp_path, env=env)
    report = json.loads(proc.stdout)
    found = {(f["location"]["path"], f["location"]["line"], f["rule_id"]) for f in report["findings"]}
    assert {f for f in found if f[2].startswith(("ACME", "TMO"))} == {  # the pack's, next to the built-in ones
        ("Dockerfile", 2, "ACME002"),
        ("deploy/ledger.yaml", 10, "ACME001"),
        ("deploy/ledger.yaml", 16, "ACME100"),
    }
    assert {r["pack"] for r in report["rules"]} == {"builtin", "acme"}
    warm = json.loads(
        run_cli("scan", str(service), "--format", "json", "--root", str(service), cwd=tmp_path, env=env).stdout
    )
    assert warm["stats"]["files_cached"] == warm["stats"]["files_seen"] == 3
    assert warm["findings"] == report["findings"]  # repository findings rebuilt from cached facts


def test_a_broken_pack_is_reported_and_the_rest_still_runs(tmp_path: Path, repo: Path) -> None:
    site = install_pack(
        tmp_path / "site", "broken_rules", "raise ImportError('needs libfoo')\n", "broken = broken_rules:PACK"
    )
    write_tree(repo, {"client.py": "import requests\nrequests.get(url)\n"})
    proc = run_cli("scan", cwd=repo, env={"PYTHONPATH": str(site)})
    assert proc.returncode == 2
    assert "cannot load rule pack 'broken' (broken_rules:PACK): ImportError: needs libfoo" in proc.stderr
    assert "TMO001" in proc.stdout


def test_a_pack_reusing_a_builtin_id_loses_it(tmp_path: Path, repo: Path) -> None:
    source = EXAMPLE_PACK.read_text(encoding="utf-8").replace('id = "ACME002"', 'id = "TMO001"')
    site = install_pack(tmp_path / "site", "clash_rules", source, "clash = clash_rules:PACK")
    write_tree(repo, {"client.py": "import requests\nrequests.get(url)\n"})
    proc = run_cli("scan", "--format", "json", cwd=repo, env={"PYTHONPATH": str(site)})
    report = json.loads(proc.stdout)
    assert [e["message"] for e in report["errors"]] == [
        "rule id TMO001 from pack 'acme' is already taken by pack 'builtin'; ignoring the second one"
    ]
    assert report["findings"][0]["message"].startswith("requests.get() has no timeout")


CRASHING_PACK = '''
import os
from prodready_lint.sdk import Rule, RulePack, Severity


class ExitOnPoison(Rule):
    """Kills its worker process on one file, as a crash in native code would.

    ## What it does
    Nothing useful.

    ## Why is this bad?
    It is a test double for a crashing parser.

    ## Example
    ```python
    POISON = 1
    ```

    ## Use instead
    ```python
    SAFE = 1
    ```
    """

    id = "CRASH001"
    name = "exit-on-poison"
    summary = "kills the worker"
    checklist = ("error-handling",)
    severity = Severity.LOW
    triggers = ("POISON",)

    def check(self, file, ctx):
        if file.path.endswith("poison.py"):
            os._exit(3)


PACK = RulePack("crashing", "1", (ExitOnPoison,))
'''


def test_a_worker_that_dies_costs_one_file_not_the_scan(tmp_path: Path, repo: Path) -> None:
    site = install_pack(tmp_path / "site", "crashing_rules", CRASHING_PACK, "crashing = crashing_rules:PACK")
    files = {f"svc/module_{n:03d}.py": "import requests\nrequests.get(url)\nPOISON = 0\n" for n in range(80)}
    files["svc/poison.py"] = "POISON = 1\n"
    write_tree(repo, files)
    proc = run_cli("scan", "--format", "json", "--jobs", "2", "--no-cache", cwd=repo, env={"PYTHONPATH": str(site)})
    report = json.loads(proc.stdout)
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [("svc/poison.py", "crash")]
    assert len(report["findings"]) == 80 and report["stats"]["jobs"] == 2
    assert proc.returncode == 1


def test_results_do_not_depend_on_jobs_or_cache(tmp_path: Path) -> None:
    corpus = ROOT / "tests" / "corpora" / "timeouts"
    runs = [
        prodready_lint.scan([corpus], root=corpus, jobs=1, cache=False),
        prodready_lint.scan([corpus], root=corpus, jobs=2, cache=False),
        prodready_lint.scan([corpus], root=corpus, jobs=2, cache_dir=tmp_path / "c"),
        prodready_lint.scan([corpus], root=corpus, jobs=1, cache_dir=tmp_path / "c"),
    ]
    assert runs[3].stats.files_cached == runs[3].stats.files_seen
    for other in runs[1:]:
        assert other.findings == runs[0].findings
        assert other.suppressed == runs[0].suppressed
        assert other.errors == runs[0].errors


def test_repository_facts_that_are_not_json_are_a_rule_error_not_a_lost_scan(repo: Path, tmp_path: Path) -> None:
    from prodready_lint.sdk import RepoRule, Severity

    class SetFacts(RepoRule):
        """Collects a set, which JSON cannot hold.

        ## What it does
        Nothing useful.

        ## Why is this bad?
        Its facts cannot be cached.

        ## Example
        ```python
        import requests
        ```

        ## Use instead
        ```python
        import json
        ```
        """

        id = "SETF001"
        name = "set-facts"
        summary = "collects a set"
        checklist = ("error-handling",)
        severity = Severity.LOW
        collect_triggers = ("requests",)

        def collect(self, file, ctx):
            return {"modules": set(file.imported_modules)}

        def check_repo(self, repository, ctx):
            return None

    from prodready_lint.rules.timeouts import RequestsWithoutTimeout

    write_tree(repo, {"client.py": "import requests\nrequests.get(url)\n"})
    for _ in range(2):  # the second run must find the cache intact
        result = prodready_lint.scan(
            [repo], rules=[SetFacts, RequestsWithoutTimeout], installed_rules=False, cache_dir=tmp_path / "c"
        )
        assert [f.rule_id for f in result.findings] == ["TMO001"]
        assert [(e.kind, e.path) for e in result.errors] == [("rule-crash", "client.py")]
        assert "not JSON data" in result.errors[0].message
    assert result.stats.files_cached == 1


def test_rules_that_cannot_be_pickled_still_run_when_workers_cannot_be_forked(repo: Path) -> None:
    import threading

    from tests.test_sdk import make_rule

    local_rule = make_rule()  # made at run time: no importable name, so it cannot be pickled
    write_tree(repo, {f"svc/module_{n:02d}.py": 'print("ready")\n' for n in range(60)})
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)  # a second thread: forking would be unsafe
    worker.start()
    try:
        result = prodready_lint.scan([repo], rules=[local_rule], installed_rules=False, cache=False, jobs=2)
    finally:
        stop.set()
        worker.join()
    assert len(result.findings) == 60 and result.errors == ()
    assert result.stats.jobs == 1
