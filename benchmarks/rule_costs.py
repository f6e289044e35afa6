"""CPU cost of each built-in rule family next to the cost of parsing, in one process.

    python benchmarks/rule_costs.py [DIR] [--prefix SQL --prefix LOG ...]

Every ``.py`` file under ``DIR`` (default: the running interpreter's standard library,
without site-packages) is parsed with the SDK's loader (the parse floor every scan
pays), then each rule runs on the files its triggers select, as the engine would give
them; a rule's time includes the facts it is the first to ask for. Prints CPU seconds
per rule prefix and as a multiple of the parse time.
"""

from __future__ import annotations

import argparse
import sysconfig
import time
from pathlib import Path

from prodready_lint.rules import PACK
from prodready_lint.sdk.files import load_python
from prodready_lint.sdk.kinds import FileKind
from prodready_lint.sdk.rule import Context, RepoRule

from prodready_lint.triggers import Matchers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--prefix", action="append", default=[])
    parser.add_argument("--per-rule", action="store_true", help="also print the ten costliest rules")
    args = parser.parse_args(argv)
    rules = [
        r
        for r in PACK.rules
        if FileKind.PYTHON in r.metadata().kinds and (not args.prefix or r.metadata().id.startswith(tuple(args.prefix)))
    ]
    metas = {rule: rule.metadata() for rule in rules}
    matchers = Matchers()  # the engine's own trigger test, so the same files reach each rule
    for meta in metas.values():
        matchers.add(meta.id, meta.collect_triggers if meta.repo_level else meta.triggers, meta.triggers_ignore_case)
    instances = {rule: rule({}) for rule in rules}
    parse = 0.0
    spent: dict[str, float] = {}
    files: dict[str, int] = {}
    by_rule: dict[str, float] = {}
    runs: dict[str, int] = {}
    count = 0
    for path in sorted(args.root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        started = time.process_time()
        try:
            file = load_python(path.relative_to(args.root).as_posix(), text)
        except Exception:
            continue
        parse += time.process_time() - started
        count += 1
        triggered = set(matchers.triggered([meta.id for meta in metas.values()], data))
        for rule in rules:
            meta = metas[rule]
            if meta.id not in triggered:
                continue
            family = meta.id.rstrip("0123456789")
            started = time.process_time()
            context = Context(file, meta, instances[rule].settings, [])
            if isinstance(instances[rule], RepoRule):
                instances[rule].collect(file, context)
            else:
                instances[rule].check(file, context)
            cost = time.process_time() - started
            spent[family] = spent.get(family, 0.0) + cost
            by_rule[meta.id] = by_rule.get(meta.id, 0.0) + cost
            runs[meta.id] = runs.get(meta.id, 0) + 1
            files[family] = files.get(family, 0) + 1
    print(f"{count} files parsed in {parse:.2f} s CPU")
    for family, seconds in sorted(spent.items()):
        print(f"{family}: {seconds:.2f} s ({seconds / parse:.2f}x the parse), {files[family]} rule-file runs")
    total = sum(spent.values())
    if args.per_rule:
        for rule_id, seconds in sorted(by_rule.items(), key=lambda item: -item[1])[:10]:
            print(f"  {rule_id}: {seconds:.2f} s on {runs[rule_id]} files")
    print(f"all rules: {total:.2f} s; parse + rules = {(parse + total) / parse:.2f}x the parse floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
