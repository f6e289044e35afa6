"""The result cache, and the promise that a secret value never leaves the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
from prodready_lint.rules.timeouts import RequestsWithoutTimeout
from prodready_lint.sdk import Context, PythonFile, Rule, Severity, Span

import prodready_lint
from tests.conftest import run_cli, write_tree

SERVICE = 'import requests\n\ndef rates():\n    return requests.get("https://rates.internal")\n'
SECRET = "sk_live_51HsZq2Kx9PbTQw7rVnE3dYcA8mJf"


class HardcodedStripeKey(Rule):
    """A Stripe secret key written into the code.

    ## What it does
    Finds string literals that look like live Stripe secret keys.

    ## Why is this bad?
    Anyone who can read the repository can charge cards.

    ## Example
    ```python
    STRIPE_KEY = "sk_live_EXAMPLEEXAMPLEEXAMPLE00"
    ```

    ## Use instead
    ```python
    import os
    STRIPE_KEY = os.environ["STRIPE_KEY"]
    ```
    """

    id = "TSEC001"
    name = "hardcoded-stripe-key"
    summary = "Stripe secret key in code"
    checklist = ("secrets",)
    severity = Severity.CRITICAL
    cwe = (798,)
    triggers = ("sk_live_",)

    def check(self, file: PythonFile, ctx: Context) -> None:
        for number, line in enumerate(file.lines, 1):
            for match in re.finditer(r"sk_live_[0-9A-Za-z]{20,}", line):
                secret = Span(number, match.start() + 1, number, match.end() + 1)
                ctx.report(secret, f"Stripe secret key {match.group()} is committed", secrets=(secret,))


def _scan(root: Path, **kwargs):
    return prodready_lint.scan([root], cache_dir=root / ".cache", **kwargs)


def test_warm_scan_serves_unchanged_files_from_the_cache(repo: Path) -> None:
    write_tree(repo, {"a.py": SERVICE, "b.py": SERVICE, "c.py": "x = 1\n"})
    cold = _scan(repo)
    warm = _scan(repo)
    assert (cold.stats.files_cached, warm.stats.files_cached) == (0, 3)
    assert warm.stats == attrs.evolve(cold.stats, files_cached=3, seconds=warm.stats.seconds, jobs=warm.stats.jobs)
    assert warm.findings == cold.findings and warm.errors == cold.errors


def test_changed_content_settings_and_rules_invalidate(repo: Path) -> None:
    write_tree(repo, {"a.py": SERVICE, "b.py": SERVICE})
    _scan(repo)
    (repo / "b.py").write_text(SERVICE.replace('internal")', 'internal", timeout=3)'), encoding="utf-8")
    edited = _scan(repo)
    assert (edited.stats.files_cached, edited.stats.files_parsed) == (1, 2)
    assert [f.path for f in edited.findings] == ["a.py"]
    options = _scan(repo, config={"rules": {"TMO001": {"severity": "high"}}})
    assert options.stats.files_cached == 0 and options.findings[0].severity is Severity.HIGH
    narrower = _scan(repo, select=["TMO001"])
    assert narrower.stats.files_cached == 0
    assert _scan(repo, select=["TMO001"]).stats.files_cached == 2


def test_a_moved_line_keeps_its_fingerprint_but_not_its_line_hash(repo: Path) -> None:
    write_tree(repo, {"a.py": SERVICE})
    before = _scan(repo).findings[0]
    (repo / "a.py").write_text("# rates client\n\n" + SERVICE, encoding="utf-8")
    after = _scan(repo).findings[0]
    assert after.line == before.line + 2
    assert after.fingerprint == before.fingerprint
    twice = SERVICE + '\ndef again():\n    return requests.get("https://rates.internal")\n'
    (repo / "a.py").write_text(twice, encoding="utf-8")
    first, second = _scan(repo).findings
    assert first.fingerprint == before.fingerprint and second.fingerprint != first.fingerprint


def test_corrupt_or_foreign_cache_files_are_ignored(repo: Path) -> None:
    write_tree(repo, {"a.py": SERVICE})
    _scan(repo)
    cache_files = list((repo / ".cache").glob("*.sqlite"))
    assert cache_files
    for cache_file in cache_files:
        cache_file.write_text("{not a database", encoding="utf-8")
    result = _scan(repo)
    assert result.stats.files_cached == 0 and [f.rule_id for f in result.findings] == ["TMO001"]
    assert _scan(repo).stats.files_cached == 1  # and it was rewritten


def test_unwritable_cache_directory_does_not_fail_the_scan(repo: Path) -> None:
    write_tree(repo, {"a.py": SERVICE, "blocker": "a file where the cache directory should go\n"})
    result = prodready_lint.scan([repo], cache_dir=repo / "blocker" / "cache")
    assert [f.rule_id for f in result.findings] == ["TMO001"] and result.errors == ()


def test_a_secret_never_reaches_any_output_log_or_cache(repo: Path, tmp_path: Path) -> None:
    source = f'import stripe\n\nstripe.api_key = "{SECRET}"  # billing\nLOG = "{SECRET} is live"\n'
    write_tree(repo, {"billing.py": source})
    result = prodready_lint.scan(
        [repo], rules=[HardcodedStripeKey, RequestsWithoutTimeout], installed_rules=False, cache_dir=tmp_path / "c"
    )
    assert [f.line for f in result.findings] == [3, 4]
    first = result.findings[0]
    assert first.snippet == 'stripe.api_key = "sk_l' + "*" * (len(SECRET) - 4) + '"  # billing'
    assert SECRET not in first.message and first.message.startswith("Stripe secret key sk_l***")
    for finding in result.findings:
        assert SECRET not in repr(finding)
    cached = b"".join(p.read_bytes() for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert b"TSEC001" in cached and SECRET.encode() not in cached
    from prodready_lint.reporters import render

    for fmt in ("text", "json", "sarif"):
        assert SECRET not in render(result, fmt)


def test_a_line_hash_is_never_a_hash_of_the_secret_on_its_line(repo: Path, tmp_path: Path) -> None:
    """SARIF's primaryLocationLineHash is an unsalted hash of the line: it is taken over the
    line with its secrets masked, so two keys on the same line give the same hash."""
    hashes = []
    for key in (SECRET, SECRET[:-6] + "Qx81Zt"):
        write_tree(repo, {"billing.py": f'import stripe\n\nstripe.api_key = "{key}"  # billing\n'})
        result = prodready_lint.scan([repo], rules=[HardcodedStripeKey], installed_rules=False, cache=False)
        hashes.append(result.findings[0].line_hash)
    assert hashes[0] and hashes[0] == hashes[1]


def test_a_secret_wrapped_over_lines_still_gives_every_finding_a_line_hash() -> None:
    """Masking keeps the newlines of a multi-line secret (a base64 key wrapped in a
    Secret's data): the file keeps its lines and every finding its hash."""
    fixtures = Path(__file__).resolve().parent / "fixtures" / "secrets"
    result = prodready_lint.scan([fixtures], select=["SEC"], cache=False, root=fixtures)
    assert len(result.findings) > 50
    assert [f.location for f in result.findings if not f.line_hash] == []


def test_secret_redaction_through_the_cli_and_a_warm_cache(repo: Path) -> None:
    pack = repo.parent / "secretpack"
    pack.mkdir()
    (pack / "secretrules.py").write_text(
        Path(__file__)
        .read_text(encoding="utf-8")
        .split("def _scan(")[0]
        .replace("from tests.conftest import run_cli, write_tree\n", "")
        + "\nfrom prodready_lint.sdk import RulePack\nPACK = RulePack('secrets-demo', '1', (HardcodedStripeKey,))\n",
        encoding="utf-8",
    )
    dist = pack / "secretrules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: secretrules\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[prodready_lint.rules]\nsecrets-demo = secretrules:PACK\n", encoding="utf-8"
    )
    write_tree(repo, {"settings.py": f'STRIPE = "{SECRET}"\n'})
    for _ in range(2):  # cold, then from the cache
        for fmt in ("text", "json", "sarif"):
            proc = run_cli("scan", "--format", fmt, cwd=repo, env={"PYTHONPATH": str(pack)})
            assert "TSEC001" in proc.stdout, proc.stderr
            assert SECRET not in proc.stdout + proc.stderr
    cached = b"".join(p.read_bytes() for p in (repo / ".test-cache").rglob("*") if p.is_file())
    assert b"TSEC001" in cached and SECRET.encode() not in cached
    report = json.loads(run_cli("scan", "--format", "json", cwd=repo, env={"PYTHONPATH": str(pack)}).stdout)
    assert report["stats"]["files_cached"] == 1
