"""Run file analyses on a process pool.

Files go out in chunks (fewer round trips) with a bounded number in flight (bounded
memory: each task carries the file's bytes, read once in the parent so the analyzed
content is exactly the hashed content). If a worker process dies (a crash in native
code, the OOM killer), its chunk is retried one file at a time in a fresh pool and the
file that kills a worker again is reported, not the whole scan lost.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from prodready_lint.analysis import Analyzer, FileResult, FileTask, WorkerSpec
from prodready_lint.errors import ScanError

__all__ = ["can_dispatch", "default_jobs", "run_tasks"]

_CHUNK_FILES = 32
_CHUNK_BYTES = 1 << 20
_RECURSION_LIMIT = 20000
_analyzer: Analyzer | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(spec: WorkerSpec) -> None:
    global _analyzer
    sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
    _analyzer = Analyzer(spec)


def _run_chunk(tasks: list[FileTask]) -> list[FileResult]:
    assert _analyzer is not None
    return [_analyzer.analyze(task) for task in tasks]


def _chunks(tasks: Iterable[FileTask]) -> Iterator[list[FileTask]]:
    chunk: list[FileTask] = []
    size = 0
    for task in tasks:
        chunk.append(task)
        size += len(task.data)
        if len(chunk) >= _CHUNK_FILES or size >= _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (Linux, no other threads): workers start in milliseconds;
    forkserver or spawn otherwise."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def can_dispatch(spec: WorkerSpec) -> bool:
    """Whether worker processes can receive the rules: always with fork; otherwise the
    rule classes must be importable by name (not made at run time, as in a notebook)."""
    if _context().get_start_method() == "fork":
        return True
    try:
        pickle.dumps(spec)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _crashed(task: FileTask) -> FileResult:
    message = "analysis crashed the worker process (out of memory or a crash in native code)"
    return FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "crash", message),))


def _run_alone(spec: WorkerSpec, task: FileTask) -> FileResult:
    """Analyze one suspect file in a pool of its own, so a crash is pinned on it."""
    with ProcessPoolExecutor(1, mp_context=_context(), initializer=_init_worker, initargs=(spec,)) as executor:
        try:
            return executor.submit(_run_chunk, [task]).result()[0]
        except BrokenProcessPool:
            return _crashed(task)


def run_tasks(spec: WorkerSpec, tasks: Iterable[FileTask], jobs: int) -> Iterator[FileResult]:
    """Analyze every task; yield results as they complete (order is not defined)."""
    if jobs <= 1:
        previous = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
        try:
            analyzer = Analyzer(spec)
            for task in tasks:
                yield analyzer.analyze(task)
        finally:
            sys.setrecursionlimit(previous)
        return
    chunks = _chunks(tasks)
    suspects: list[FileTask] = []
    window = jobs * 3
    exhausted = False
    while not exhausted:
        executor = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker, initargs=(spec,))
        in_flight: dict[Future, list[FileTask]] = {}
        broken = False
        try:
            while True:
                while len(in_flight) < window and not broken:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    try:
                        in_flight[executor.submit(_run_chunk, chunk)] = chunk
                    except BrokenProcessPool:
                        suspects.extend(chunk)
                        broken = True
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = in_flight.pop(future)
                    try:
                        yield from future.result()
                    except BrokenProcessPool:
                        suspects.extend(chunk)
                        broken = True
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
    for task in suspects:
        yield _run_alone(spec, task)
