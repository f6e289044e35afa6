"""The parse floor: read every ``.py`` file under DIR and ``ast.parse`` it, on a pool.

    python benchmarks/parse_floor.py DIR [--jobs N]

This is the least any Python analyzer that reports syntax errors must do, so a scan's
time is quoted as a ratio to it. Files are walked like a scan walks them (sorted, no
symlinks followed), split into contiguous chunks, and parsed by ``N`` forked worker
processes (``--jobs 1``: in this process). Prints the file count and the number that
failed to parse, nothing else; the caller times the whole process.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import sys
import warnings


def python_files(root: str) -> list[str]:
    found: list[str] = []
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        found.extend(os.path.join(directory, name) for name in sorted(files) if name.endswith(".py"))
    return found


def parse_all(paths: list[str]) -> int:
    """Parse each file; return how many could not be parsed."""
    failed = 0
    warnings.simplefilter("ignore")  # invalid escape sequences and the like
    for path in paths:
        try:
            with open(path, "rb") as handle:
                ast.parse(handle.read(), path)
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            failed += 1
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    paths = python_files(args.directory)
    if args.jobs <= 1:
        failed = parse_all(paths)
    else:
        size = max(1, len(paths) // (args.jobs * 8))
        chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            failed = sum(pool.imap_unordered(parse_all, chunks))
    print(f"{len(paths)} files, {failed} failed to parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
