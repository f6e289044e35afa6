"""Run file analyses in worker processes that cannot take the scan down.

Every file is analyzed in a worker process, never in the scanning process: parsers
with native code (LibCST, libyaml, tree-sitter, ...) may crash on hostile input, and the
kernel's OOM killer may strike, and either must cost one file, not the scan. Each worker
streams one result per file, so when a worker dies the file it was on is known exactly:
that file is reported (``crash``, with the signal), the rest of its chunk goes back in
the queue and a fresh worker takes over.

Bounds per file:

* **time**: a soft budget raised inside the worker (SIGALRM) stops Python code, such as
  a rule that loops, and names the rule; a hard limit a little later, enforced by the
  parent, kills a worker stuck in native code (a catastrophic regular expression, a
  parser) and reports the file as ``timeout``;
* **memory**: each worker's address space is capped (``RLIMIT_AS``) at what it had at
  start plus the budget, so a file that needs more fails with ``MemoryError`` in that
  worker (reported ``too-large``) instead of swapping the machine.

Workers die with their parent (``PR_SET_PDEATHSIG`` on Linux, and an orphan check
elsewhere), so a killed scan leaves no process behind. Files go out in chunks (fewer
round trips) with a bounded number in flight (each task carries the file's bytes).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait

from prodready_lint.analysis import Analyzer, FileResult, FileTask, WorkerSpec
from prodready_lint.budget import Budget, default_jobs
from prodready_lint.errors import ScanError

__all__ = ["Budget", "can_dispatch", "default_jobs", "run_tasks"]

_CHUNK_FILES = 32
_CHUNK_BYTES = 1 << 20
_RECURSION_LIMIT = 20000
_HARD_GRACE = 10.0  # seconds past the soft budget before the parent kills a worker
_IDLE = "idle"
_READY = "ready"
_FAILED = "failed"
_START_TIMEOUT = 60.0


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


# -- the worker side ---------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised in a worker when a file's soft time budget is spent. A BaseException, so a
    rule's ``except Exception`` cannot swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _OutOfTime


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def _cap_memory(extra: int) -> None:
    """Cap the address space at what the worker has now plus ``extra`` bytes."""
    with contextlib.suppress(Exception):
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _tune_gc() -> None:
    """Objects inherited from the parent are never garbage; scanning them is wasted work
    (and touching them would copy their pages). Young collections are made rarer: a
    file's facts are many small objects that live exactly as long as the file."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _analyze(analyzer: Analyzer, task: FileTask, budget: Budget) -> FileResult:
    signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    try:
        return analyzer.analyze(task)
    except _OutOfTime:
        where = f" in rule {analyzer.current_rule}" if analyzer.current_rule else ""
        message = f"analysis took longer than the {budget.seconds:g} s budget{where}; stopped"
        return FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "timeout", message),))
    except MemoryError:
        message = f"analysis needed more than the {_human(budget.memory)} memory budget; not analyzed"
        return FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "too-large", message),))
    except Exception as error:  # the analyzer itself failed: one file, not the scan
        message = f"internal error while analyzing: {type(error).__name__}: {error}"
        return FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "crash", message),))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _worker_main(conn: Connection, spec: WorkerSpec, budget: Budget) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
    _tune_gc()
    parent = os.getppid()
    try:
        analyzer = Analyzer(spec)
    except Exception as error:
        conn.send((_FAILED, f"{type(error).__name__}: {error}"))
        return
    _cap_memory(budget.memory)
    conn.send(_READY)
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:  # orphaned (no PR_SET_PDEATHSIG here)
                    return
            chunk = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if chunk is None:
            return
        for task in chunk:
            result = _analyze(analyzer, task, budget)
            try:
                conn.send(result)
            except (OSError, ValueError):
                return
            except (pickle.PicklingError, RecursionError, TypeError) as error:
                message = f"the result could not be sent back: {type(error).__name__}: {error}"
                conn.send(FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "crash", message),)))
        conn.send(_IDLE)


# -- the parent side ---------------------------------------------------------------------


class _Worker:
    __slots__ = ("chunk", "conn", "last_progress", "process")

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.chunk: deque[FileTask] = deque()
        self.last_progress = time.monotonic()

    @property
    def busy(self) -> bool:
        return bool(self.chunk)


def _human(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


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


def _death(process: multiprocessing.process.BaseProcess) -> str:
    process.join(timeout=1.0)
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:
            return f"the worker analyzing it was killed ({name}; out of memory?)"
        return f"analysis crashed the worker process ({name}, a crash in native code)"
    return f"analysis crashed the worker process (exit status {code})"


class _Pool:
    """Forked workers fed chunks of tasks; see the module docstring."""

    def __init__(self, spec: WorkerSpec, jobs: int, budget: Budget) -> None:
        self.spec = spec
        self.jobs = jobs
        self.budget = budget
        self.context = _context()
        self.workers: list[_Worker] = []
        self.requeued: deque[list[FileTask]] = deque()
        self.startup_error: str | None = None

    def start_worker(self) -> _Worker | None:
        """A new worker, once it says it is ready; None (and ``startup_error`` set) when
        it cannot start, which is no file's fault."""
        parent_conn, child_conn = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_worker_main, args=(child_conn, self.spec, self.budget), daemon=True, name="prodready-lint worker"
        )
        process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn)
        self.workers.append(worker)
        try:
            answer = parent_conn.recv() if parent_conn.poll(_START_TIMEOUT) else None
        except (EOFError, OSError):
            answer = None
        if answer == _READY:
            return worker
        self.startup_error = answer[1] if isinstance(answer, tuple) else _death(process)
        self.retire(worker, kill=True)
        return None

    def retire(self, worker: _Worker, kill: bool = False) -> None:
        if kill and worker.process.is_alive():
            with contextlib.suppress(Exception):
                worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        worker.process.join(timeout=5.0)
        self.workers.remove(worker)

    def shutdown(self) -> None:
        for worker in list(self.workers):
            with contextlib.suppress(Exception):
                if not worker.busy:
                    worker.conn.send(None)
            self.retire(worker, kill=worker.busy)

    def lost(self, worker: _Worker, reason: str, kind: str) -> FileResult:
        """A worker died or was killed on its current file: report that file, put the
        rest of its chunk back, and replace the worker."""
        culprit = worker.chunk.popleft()
        rest = list(worker.chunk)
        worker.chunk.clear()
        self.retire(worker, kill=True)
        if rest:
            self.requeued.appendleft(rest)
        return FileResult(culprit.relpath, "failed", errors=(ScanError(culprit.relpath, kind, reason),))

    def run(self, tasks: Iterable[FileTask]) -> Iterator[FileResult]:
        chunks = _chunks(tasks)
        exhausted = False
        hard_limit = self.budget.seconds + _HARD_GRACE
        try:
            while True:
                # Hand out work to idle workers, starting one only for a chunk that waits
                # (a re-scan of one edited file forks one worker, not one per CPU).
                while True:
                    chunk = self.requeued.popleft() if self.requeued else None
                    if chunk is None and not exhausted:
                        chunk = next(chunks, None)
                        exhausted = chunk is None
                    if chunk is None:
                        break
                    idle = next((w for w in self.workers if not w.busy), None)
                    if idle is None and len(self.workers) < self.jobs:
                        idle = self.start_worker()
                        if idle is None and not self.workers:
                            self.requeued.appendleft(chunk)
                            yield from self._give_up(chunks)
                            return
                    if idle is None:
                        self.requeued.appendleft(chunk)
                        break
                    try:
                        idle.conn.send(chunk)
                    except (OSError, ValueError):
                        self.requeued.appendleft(chunk)
                        self.retire(idle, kill=True)
                        continue
                    idle.chunk.extend(chunk)
                    idle.last_progress = time.monotonic()
                busy = [w for w in self.workers if w.busy]
                if not busy:
                    if self.requeued or not exhausted:
                        continue
                    return
                now = time.monotonic()
                timeout = max(0.0, min(w.last_progress + hard_limit - now for w in busy))
                ready = wait([w.conn for w in busy], timeout=timeout)
                for worker in busy:
                    if worker.conn not in ready:
                        continue
                    try:
                        while worker.conn.poll():
                            message = worker.conn.recv()
                            if message == _IDLE:
                                break
                            worker.chunk.popleft()
                            worker.last_progress = time.monotonic()
                            yield message
                    except (EOFError, OSError, pickle.UnpicklingError):
                        if worker.chunk:
                            yield self.lost(worker, _death(worker.process), "crash")
                        else:
                            self.retire(worker, kill=True)
                now = time.monotonic()
                for worker in [w for w in self.workers if w.busy and now - w.last_progress > hard_limit]:
                    reason = (
                        f"analysis took longer than {hard_limit:g} s and was stopped "
                        "(stuck outside Python code, e.g. in a parser or a regular expression)"
                    )
                    yield self.lost(worker, reason, "timeout")
        finally:
            self.shutdown()

    def _give_up(self, chunks: Iterator[list[FileTask]]) -> Iterator[FileResult]:
        """Workers cannot even start: say so for every remaining file."""
        message = f"no worker process could be started to analyze it: {self.startup_error}"
        remaining = [task for chunk in (*self.requeued, *chunks) for task in chunk]
        self.requeued.clear()
        for task in remaining:
            yield FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "crash", message),))


def _run_in_process(spec: WorkerSpec, tasks: Iterable[FileTask]) -> Iterator[FileResult]:
    """The fallback when workers cannot receive the rules: analysis in this process,
    still protected against deep recursion (native parsers are guarded by their loaders'
    pre-checks)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _RECURSION_LIMIT))
    try:
        analyzer = Analyzer(spec)
        for task in tasks:
            try:
                yield analyzer.analyze(task)
            except MemoryError:
                message = "analysis ran out of memory; not analyzed"
                yield FileResult(task.relpath, "failed", errors=(ScanError(task.relpath, "too-large", message),))
    finally:
        sys.setrecursionlimit(previous)


def run_tasks(
    spec: WorkerSpec, tasks: Iterable[FileTask], jobs: int, budget: Budget | None = None
) -> Iterator[FileResult]:
    """Analyze every task in ``jobs`` worker processes; yield results as they complete
    (order is not defined)."""
    if not can_dispatch(spec):
        yield from _run_in_process(spec, tasks)
        return
    gc.collect()
    gc.freeze()  # what the workers inherit is never collected, in them or here
    try:
        yield from _Pool(spec, max(1, jobs), budget or Budget()).run(tasks)
    finally:
        gc.unfreeze()
