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
from prodready_lint.sdk.rule import Context


def _triggered(meta, data: bytes, lowered: bytes) -> bool:
    for trigger in meta.triggers:
        if not isinstance(trigger, str):
            return True
        if (trigger.lower().encode() in lowered) if meta.triggers_ignore_case else (trigger.encode() in data):
            return True
    return not meta.triggers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--prefix", action="append", default=[])
    args = parser.parse_args(argv)
    rules = [r for r in PACK.rules if not args.prefix or r.metadata().id.startswith(tuple(args.prefix))]
    metas = {rule: rule.metadata() for rule in rules}
    instances = {rule: rule({}) for rule in rules}
    parse = 0.0
    spent: dict[str, float] = {}
    files: dict[str, int] = {}
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
        lowered = data.lower()
        for rule in rules:
            meta = metas[rule]
            if not _triggered(meta, data, lowered):
                continue
            family = meta.id.rstrip("0123456789")
            started = time.process_time()
            instances[rule].check(file, Context(file, meta, instances[rule].settings, []))
            spent[family] = spent.get(family, 0.0) + time.process_time() - started
            files[family] = files.get(family, 0) + 1
    print(f"{count} files parsed in {parse:.2f} s CPU")
    for family, seconds in sorted(spent.items()):
        print(f"{family}: {seconds:.2f} s ({seconds / parse:.2f}x the parse), {files[family]} rule-file runs")
    total = sum(spent.values())
    print(f"all rules: {total:.2f} s; parse + rules = {(parse + total) / parse:.2f}x the parse floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
