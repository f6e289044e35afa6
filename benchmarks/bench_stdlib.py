"""Speed and memory of prodready-lint against the parse floor, Bandit and Ruff on the stdlib.

    python benchmarks/bench_stdlib.py [--repeat N] [--bandit PATH | --install-bandit]
                                      [--bandit-repeat N] [--no-bandit] [--no-times4]
                                      [--json FILE]

The corpus is the running interpreter's standard library (``sysconfig`` "stdlib",
without site-packages), copied first (``.py`` files only, same tree) into a temporary
directory so that no .gitignore around the interpreter hides it and both tools see
exactly the same files. Directories that prodready-lint leaves out by default (the
stdlib's own ``venv/`` package) are not copied.

Every figure is the wall time of a real subprocess run of a command line:

* cold: ``prodready-lint scan DIR --exit-zero -q --no-cache`` with every built-in rule
  and the default number of jobs, and the same with ``--jobs 1`` and ``--jobs 2``;
* floor: ``benchmarks/parse_floor.py DIR`` (read plus ``ast.parse`` of every file) on the
  same number of worker processes, interleaved with the cold runs;
* bandit: ``bandit -r DIR -q -f json -o FILE`` with the default plugins; ruff:
  ``ruff check --select S --no-cache DIR`` (Ruff's Bandit rules), when Ruff is found;
* warm: a re-scan with nothing changed, reading a ``--cache-dir`` that a previous
  run of this benchmark filled; edit: a re-scan after one file's content changed;
* the same cold, floor, warm and peak-memory figures on 4x the stdlib (four hard-linked
  copies of the tree side by side), unless ``--no-times4``.

Peak memory is sampled from /proc for the whole process tree (the command and its
worker processes): the largest sum of resident set sizes seen, and the largest single
process (also taken from the kernel's max-RSS accounting, which sampling cannot miss).
Without /proc only the largest single process is reported.

prodready-lint runs are repeated ``--repeat`` times (median reported), Bandit
``--bandit-repeat`` times. Targets print PASS or FAIL; the exit status is 0 whatever
the figures, 1 when a run fails, 2 for a usage problem.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER_VENV = HERE / ".benchmarks-venv"  # ignored by the .gitignore line ".benchmarks-venv/"

TARGET_COLD_RATIO = 0.25  # cold scan time / bandit time, at most
TARGET_FLOOR_RATIO = 2.0  # cold scan time / parse floor, at most, with every family's rules
TARGET_WARM_SECONDS = 0.15  # warm re-scan of the stdlib, at most
TARGET_WARM4_SECONDS = 0.5  # warm re-scan of 4x the stdlib, at most
TARGET_EDIT_SECONDS = 0.25  # re-scan after a one-file edit, at most
TARGET_SPEEDUP = 1.8  # --jobs 1 time / --jobs 2 time, at least
TARGET_PEAK4_BYTES = 250e6  # peak RSS of the process tree on a cold scan of 4x the stdlib

_SAMPLE_SECONDS = 0.02  # RSS of the known processes
_RESCAN_EVERY = 5  # samples between walks of /proc for new child processes
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class RunFailed(Exception):
    pass


# -- memory ------------------------------------------------------------------------------


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        fields = data[data.rindex(b")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree = _children_by_parent()
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(tree.get(current, ()))
    return found


def _rss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _busy_cpu_seconds() -> float | None:
    """CPU time the whole machine has spent busy since boot (/proc/stat), to tell how
    much of a run's time went to other processes."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


class TreeSampler(threading.Thread):
    """Samples the resident set size of a process and all its descendants."""

    available = sys.platform.startswith("linux") and os.path.isdir("/proc/self")

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total = 0
        self.peak_single = 0
        self.peak_processes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        pids = [self.pid]
        count = 0
        while not self._stop_event.is_set():
            if count % _RESCAN_EVERY == 0:
                pids = _descendants(self.pid)
            count += 1
            sizes = [size for size in map(_rss, pids) if size]
            if sizes:
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes))
                self.peak_processes = max(self.peak_processes, len(sizes))
            self._stop_event.wait(_SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# -- running commands ----------------------------------------------------------------------


def child_env(work: Path) -> dict[str, str]:
    """Bytecode is written once, into the work directory, and reused by later runs, as an
    installed package has it; PYTHONDONTWRITEBYTECODE would recompile every module at
    every start."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def run_once(cmd: list[str], cwd: Path, log_dir: Path, label: str, ok_codes: tuple[int, ...] = (0,)) -> dict:
    """Run ``cmd``; return its wall time and peak memory. Raise RunFailed on a bad exit."""
    stem = label.replace(" ", "_").replace("/", "_")
    out_path, err_path = log_dir / f"{stem}.stdout", log_dir / f"{stem}.stderr"
    env = child_env(cwd)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        busy_before = _busy_cpu_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = TreeSampler(proc.pid) if TreeSampler.available else None
        if sampler is not None:
            sampler.start()
        max_rss = cpu = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            # kilobytes on Linux, bytes on macOS; includes the reaped worker processes
            max_rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover - Windows
            proc.wait()
            seconds = time.perf_counter() - started
    busy_after = _busy_cpu_seconds()
    if sampler is not None:
        sampler.stop()
    others = None
    if busy_before is not None and busy_after is not None and cpu is not None:
        others = max(0.0, (busy_after - busy_before - cpu) / seconds)
    if proc.returncode not in ok_codes:
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        raise RunFailed(f"{label}: exit code {proc.returncode}: {' | '.join(tail) or '(no stderr)'}")
    single = max(filter(None, [max_rss, sampler.peak_single if sampler else None]), default=None)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "other_cpus_busy": others,
        "peak_rss_total": sampler.peak_total if sampler else None,
        "peak_rss_single": single,
        "peak_processes": sampler.peak_processes if sampler else None,
        "stderr_lines": len(err_path.read_bytes().splitlines()),
    }


def summarize(runs: list[dict]) -> dict:
    seconds = [r["seconds"] for r in runs]
    totals = [r["peak_rss_total"] for r in runs if r["peak_rss_total"] is not None]
    singles = [r["peak_rss_single"] for r in runs if r["peak_rss_single"] is not None]
    cpu = [r["cpu_seconds"] for r in runs if r["cpu_seconds"] is not None]
    others = [r["other_cpus_busy"] for r in runs if r["other_cpus_busy"] is not None]
    return {
        "runs": len(runs),
        "seconds": [round(s, 3) for s in seconds],
        "median_seconds": round(statistics.median(seconds), 3),
        "min_seconds": round(min(seconds), 3),
        "max_seconds": round(max(seconds), 3),
        "median_cpu_seconds": round(statistics.median(cpu), 3) if cpu else None,
        "other_cpus_busy": [round(x, 2) for x in others],
        "max_other_cpus_busy": round(max(others), 2) if others else None,
        "peak_rss_total_bytes": max(totals) if totals else None,
        "peak_rss_single_bytes": max(singles) if singles else None,
        "peak_processes": max((r["peak_processes"] or 0) for r in runs) or None,
    }


# -- corpus ------------------------------------------------------------------------------


def copy_stdlib(dest: Path) -> dict:
    """Copy the stdlib's .py files (keeping the tree) without site-packages and without
    the directories prodready-lint excludes by default."""
    import pathspec

    from prodready_lint.discovery import DEFAULT_EXCLUDES

    source = Path(sysconfig.get_paths()["stdlib"]).resolve()
    spec = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDES)
    files = lines = size = 0
    left_out: dict[str, int] = {}
    for dirpath, dirnames, filenames in os.walk(source):
        rel_dir = Path(dirpath).relative_to(source).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        kept = []
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name == "site-packages" and not rel_dir:
                continue
            if spec.match_file(rel + "/"):
                count = sum(1 for p in Path(dirpath, name).rglob("*.py"))
                if count:
                    left_out[rel + "/"] = count
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            data = Path(dirpath, name).read_bytes()
            target = dest / rel_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files += 1
            size += len(data)
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return {"source": str(source), "files": files, "lines": lines, "bytes": size, "left_out": left_out}


# -- tools -------------------------------------------------------------------------------


def _venv_bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def install_bandit() -> Path:
    bandit = _venv_bin(PEER_VENV, "bandit")
    if bandit.exists():
        return bandit
    print(f"creating a throwaway venv for Bandit in {PEER_VENV}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(PEER_VENV)
    python = _venv_bin(PEER_VENV, "python")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "bandit"], check=True)
    return bandit


def find_bandit(args: argparse.Namespace) -> Path | None:
    if args.no_bandit:
        return None
    if args.bandit:
        return Path(args.bandit)
    if args.install_bandit:
        return install_bandit()
    on_path = shutil.which("bandit")
    if on_path:
        return Path(on_path)
    previous = _venv_bin(PEER_VENV, "bandit")
    return previous if previous.exists() else None


def find_ruff(install: bool) -> Path | None:
    """Ruff from PATH or the peers' venv (installed there with --install-bandit)."""
    on_path = shutil.which("ruff")
    if on_path:
        return Path(on_path)
    ruff = _venv_bin(PEER_VENV, "ruff")
    if not ruff.exists() and install and PEER_VENV.exists():
        python = _venv_bin(PEER_VENV, "python")
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "ruff"], check=True)
    return ruff if ruff.exists() else None


def times4(corpus: Path, dest: Path) -> None:
    """Four copies of the corpus side by side, as hard links (no extra disk, same bytes)."""
    for copy in ("a", "b", "c", "d"):
        shutil.copytree(corpus, dest / copy, copy_function=os.link)


def code_digest() -> str:
    """A digest of the prodready-lint source this interpreter imports, to notice an edit
    during the run (an editable install follows the work tree)."""
    import prodready_lint.rules
    import prodready_lint.sdk

    digest = hashlib.blake2b(digest_size=8)
    for package in (sys.modules["prodready_lint"], prodready_lint.sdk, prodready_lint.rules):
        for directory in package.__path__:
            for path in sorted(Path(directory).rglob("*.py")):
                digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def first_line(cmd: list[str], work: Path) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, env=child_env(work))
    return (proc.stdout or proc.stderr).strip().splitlines()[0]


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "cpus_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": platform.processor() or platform.machine(),
        "memory_bytes": None,
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    info["memory_bytes"] = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


# -- output ------------------------------------------------------------------------------


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:.0f} MB"


def print_table(rows: list[tuple[str, dict | None]]) -> None:
    header = (
        f"{'run':<34} {'median':>8} {'min-max':>15} {'runs':>4} {'CPU':>8} {'others':>6}  {'peak RSS, tree':>14}  "
        f"{'largest process':>15}"
    )
    print(header)
    print("-" * len(header))
    for label, summary in rows:
        if summary is None:
            print(f"{label:<34} {'not run':>8}")
            continue
        spread = f"{summary['min_seconds']:.2f}-{summary['max_seconds']:.2f} s" if summary["runs"] > 1 else ""
        cpu = "-" if summary["median_cpu_seconds"] is None else f"{summary['median_cpu_seconds']:.2f} s"
        others = "-" if summary["max_other_cpus_busy"] is None else f"{summary['max_other_cpus_busy']:.2f}"
        print(
            f"{label:<34} {summary['median_seconds']:>6.2f} s {spread:>15} {summary['runs']:>4} {cpu:>8} {others:>6}  "
            f"{_mb(summary['peak_rss_total_bytes']):>14}  {_mb(summary['peak_rss_single_bytes']):>15}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="runs of each prodready-lint measurement (default: 3)"
    )
    parser.add_argument(
        "--bandit",
        metavar="PATH",
        help="the bandit executable (default: bandit on PATH, then one installed by --install-bandit)",
    )
    parser.add_argument(
        "--install-bandit",
        action="store_true",
        help=f"pip-install bandit into a throwaway venv, {PEER_VENV.relative_to(HERE.parent)}/, and use it",
    )
    parser.add_argument("--bandit-repeat", type=int, default=1, metavar="N", help="runs of Bandit (default: 1)")
    parser.add_argument("--no-bandit", action="store_true", help="measure prodready-lint only (and the floor)")
    parser.add_argument("--no-times4", action="store_true", help="skip the runs on 4x the stdlib")
    parser.add_argument(
        "--prodready-lint",
        metavar="PATH",
        help="the prodready-lint executable (default: python -m prodready_lint with this interpreter)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (corpus, logs, reports)")
    args = parser.parse_args()
    if args.repeat < 1 or args.bandit_repeat < 1:
        parser.error("--repeat and --bandit-repeat must be at least 1")
    if args.bandit and not (Path(args.bandit).is_file() and os.access(args.bandit, os.X_OK)):
        parser.error(f"--bandit {args.bandit}: not an executable file")

    ours = [args.prodready_lint] if args.prodready_lint else [sys.executable, "-m", "prodready_lint"]
    try:
        bandit = find_bandit(args)
        ruff = None if args.no_bandit else find_ruff(args.install_bandit)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"bench_stdlib: cannot install bandit: {error}", file=sys.stderr)
        return 1

    work = Path(tempfile.mkdtemp(prefix="prodready-bench-"))
    corpus, cache_dir, logs = work / "stdlib", work / "cache", work / "logs"
    logs.mkdir()
    keep = args.keep
    try:
        info = machine()
        info["prodready_lint"] = first_line([*ours, "--version"], work)
        code_at_start = code_digest()
        info["bandit"] = first_line([str(bandit), "--version"], work) if bandit else None
        info["ruff"] = first_line([str(ruff), "--version"], work) if ruff else None
        corpus_info = copy_stdlib(corpus)
        print(f"prodready-lint: {info['prodready_lint']}  ({' '.join(ours)})")
        print(f"bandit:         {info['bandit'] or 'not found'}" + (f"  ({bandit})" if bandit else ""))
        print(f"ruff:           {info['ruff'] or 'not found'}" + (f"  ({ruff})" if ruff else ""))
        memory = f", {info['memory_bytes'] / 2**30:.1f} GiB RAM" if info["memory_bytes"] else ""
        print(
            f"machine:        {info['cpus_available']} CPUs available of {info['cpus']} ({info['cpu_model']})"
            f"{memory}, {info['os']}, {info['python']}"
        )
        left_out = ", ".join(f"{k} ({v} files)" for k, v in corpus_info["left_out"].items()) or "nothing"
        print(
            f"corpus:         {corpus_info['files']:,} .py files, {corpus_info['lines']:,} lines, "
            f"{corpus_info['bytes'] / 1e6:.1f} MB from {corpus_info['source']} "
            f"(left out: site-packages/, {left_out})"
        )
        print(f"work directory: {work}", flush=True)
        load = info.get("load_average_at_start")
        if load:
            print(f"load average:   {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
            if load[0] > 0.5:
                print("warning: the machine is busy; other processes will slow the runs down", flush=True)
        print(flush=True)

        scan = [*ours, "scan", str(corpus), "--root", str(corpus), "--exit-zero", "-q"]

        # An untimed first run: imports compiled, files in the page cache, and the scan's own counts.
        report = work / "report.json"
        run_once([*scan, "--no-cache", "--format", "json", "-o", str(report)], work, logs, "warm-up")
        stats = json.loads(report.read_text(encoding="utf-8"))
        corpus_info["prodready_lint"] = {
            **{
                k: stats["stats"][k]
                for k in ("files_seen", "files_parsed", "files_skipped", "files_failed", "rules", "jobs")
            },
            "findings": len(stats["findings"]),
            "errors": len(stats["errors"]),
        }
        s = corpus_info["prodready_lint"]
        jobs_default = s["jobs"]
        print(
            f"prodready-lint: {s['rules']} rules; {s['files_seen']:,} files seen, {s['files_parsed']:,} parsed, "
            f"{s['files_skipped']:,} skipped (no rule's trigger occurs), {s['files_failed']} failed; "
            f"{s['findings']} findings; {s['jobs']} jobs",
            flush=True,
        )

        runs: dict[str, list[dict]] = {
            key: []
            for key in (
                "cold", "jobs1", "jobs2", "floor", "floor1", "fill", "warm", "edit",
                "cold4", "floor4", "fill4", "warm4", "bandit", "ruff",
            )
        }  # fmt: skip
        floor = [sys.executable, str(HERE / "parse_floor.py")]
        variants = (
            ("cold", [*scan, "--no-cache"]),
            ("floor", [*floor, str(corpus), "--jobs", str(jobs_default)]),
            ("jobs1", [*scan, "--no-cache", "--jobs", "1"]),
            ("floor1", [*floor, str(corpus), "--jobs", "1"]),
            ("jobs2", [*scan, "--no-cache", "--jobs", "2"]),
        )
        for i in range(args.repeat):
            for key, command in variants:  # interleaved, so drift in the machine hits all alike
                result = run_once(command, work, logs, f"{key} {i + 1}")
                runs[key].append(result)
                print(f"  {key:<6} run {i + 1}: {result['seconds']:.2f} s", flush=True)

        cached = [*scan, "--cache-dir", str(cache_dir)]
        runs["fill"].append(run_once(cached, work, logs, "fill"))
        print(f"  fill   run 1: {runs['fill'][0]['seconds']:.2f} s", flush=True)
        # Untimed: the first re-scan answers from the cache and records what a warm run
        # prints; the re-scans after it, the steady state measured here, replay that.
        run_once(cached, work, logs, "warm record")
        for i in range(args.repeat):
            runs["warm"].append(run_once(cached, work, logs, f"warm {i + 1}"))
            print(f"  warm   run {i + 1}: {runs['warm'][-1]['seconds']:.2f} s", flush=True)
        # Untimed: did the warm runs really answer from the cache?
        run_once([*cached, "--format", "json", "-o", str(report)], work, logs, "warm check")
        warm_stats = json.loads(report.read_text(encoding="utf-8"))["stats"]
        corpus_info["warm_check"] = {k: warm_stats[k] for k in ("files_cached", "files_parsed", "files_skipped")}
        print(
            f"  warm check: {warm_stats['files_cached']:,} files answered from the cache, "
            f"{warm_stats['files_parsed']} parsed",
            flush=True,
        )
        if warm_stats["files_cached"] < corpus_info.get("files", warm_stats["files_cached"]):
            print("warning: the warm re-scan did not answer every file from the cache", flush=True)

        # One file's content changes (a different file each time), then a re-scan.
        edited = sorted(corpus.rglob("*.py"))[:: max(1, corpus_info["files"] // (args.repeat + 1))]
        for i in range(args.repeat):
            target = edited[i + 1]
            target.write_bytes(target.read_bytes() + f"\n# edited {i}\n".encode())
            runs["edit"].append(run_once(cached, work, logs, f"edit {i + 1}"))
            seconds = runs["edit"][-1]["seconds"]
            print(f"  edit   run {i + 1}: {seconds:.2f} s ({target.relative_to(corpus)})", flush=True)

        if not args.no_times4:
            corpus4, cache4 = work / "stdlib4", work / "cache4"
            times4(corpus, corpus4)
            scan4 = [*ours, "scan", str(corpus4), "--root", str(corpus4), "--exit-zero", "-q"]
            runs["cold4"].append(run_once([*scan4, "--no-cache"], work, logs, "cold4"))
            runs["floor4"].append(run_once([*floor, str(corpus4), "--jobs", str(jobs_default)], work, logs, "floor4"))
            runs["fill4"].append(run_once([*scan4, "--cache-dir", str(cache4)], work, logs, "fill4"))
            run_once([*scan4, "--cache-dir", str(cache4)], work, logs, "warm4 record")  # untimed, as above
            for i in range(args.repeat):
                runs["warm4"].append(run_once([*scan4, "--cache-dir", str(cache4)], work, logs, f"warm4 {i + 1}"))
            print(
                f"  4x: cold {runs['cold4'][0]['seconds']:.2f} s, floor {runs['floor4'][0]['seconds']:.2f} s, "
                f"warm {statistics.median(r['seconds'] for r in runs['warm4']):.2f} s",
                flush=True,
            )

        if ruff:
            ruff_cmd = [str(ruff), "check", "--select", "S", "--no-cache", "--exit-zero", "-q", str(corpus)]
            for i in range(args.repeat):
                runs["ruff"].append(run_once(ruff_cmd, work, logs, f"ruff {i + 1}"))
                print(f"  ruff   run {i + 1}: {runs['ruff'][-1]['seconds']:.2f} s", flush=True)

        if bandit:
            bandit_report = work / "bandit.json"
            bandit_cmd = [str(bandit), "-r", str(corpus), "-q", "-f", "json", "-o", str(bandit_report)]
            for i in range(args.bandit_repeat):
                # Bandit exits 1 when it reports issues.
                runs["bandit"].append(run_once(bandit_cmd, work, logs, f"bandit {i + 1}", ok_codes=(0, 1)))
                print(f"  bandit run {i + 1}: {runs['bandit'][-1]['seconds']:.2f} s", flush=True)
            data = json.loads(bandit_report.read_text(encoding="utf-8"))
            metrics = data.get("metrics", {})
            corpus_info["bandit"] = {
                "files_scanned": len([k for k in metrics if k != "_totals"]),
                "loc": metrics.get("_totals", {}).get("loc"),
                "issues": len(data.get("results", [])),
                "errors": len(data.get("errors", [])),
            }
            b = corpus_info["bandit"]
            print(
                f"bandit: {b['files_scanned']:,} files scanned, {b['errors']} could not be parsed; "
                f"{b['issues']:,} issues"
            )
    except (RunFailed, subprocess.CalledProcessError, OSError) as error:
        print(f"bench_stdlib: run failed: {error}", file=sys.stderr)
        print(f"bench_stdlib: logs kept in {logs}", file=sys.stderr)
        keep = True
        return 1
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)

    summary = {key: summarize(value) for key, value in runs.items() if value}
    info["code_changed_during_run"] = code_digest() != code_at_start
    if hasattr(os, "getloadavg"):
        info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print_table(
        [
            (f"cold, default jobs ({jobs_default})", summary["cold"]),
            ("cold, --jobs 1", summary["jobs1"]),
            ("cold, --jobs 2", summary["jobs2"]),
            (f"parse floor, {jobs_default} processes", summary["floor"]),
            ("parse floor, 1 process", summary["floor1"]),
            ("cache fill (cold, writes cache)", summary["fill"]),
            ("warm, nothing changed", summary["warm"]),
            ("warm, one file edited", summary["edit"]),
            ("4x: cold", summary.get("cold4")),
            (f"4x: parse floor, {jobs_default} processes", summary.get("floor4")),
            ("4x: warm, nothing changed", summary.get("warm4")),
            ("ruff check --select S", summary.get("ruff")),
            ("bandit -r", summary.get("bandit")),
        ]
    )

    cold = summary["cold"]["median_seconds"]
    warm = summary["warm"]["median_seconds"]
    speedup = summary["jobs1"]["median_seconds"] / summary["jobs2"]["median_seconds"]
    ratio = cold / summary["bandit"]["median_seconds"] if "bandit" in summary else None
    floor_ratio = cold / summary["floor"]["median_seconds"]
    edit = summary["edit"]["median_seconds"]
    warm4 = summary["warm4"]["median_seconds"] if "warm4" in summary else None
    peak4 = summary["cold4"]["peak_rss_total_bytes"] if "cold4" in summary else None

    def target(value, goal: float, at_most: bool = True) -> dict:
        ok = None if value is None else (value <= goal if at_most else value >= goal)
        return {"value": value, "target": f"{'<=' if at_most else '>='} {goal}", "pass": ok}

    targets = {
        "cold_over_floor": target(round(floor_ratio, 3), TARGET_FLOOR_RATIO),
        "edit_seconds": target(edit, TARGET_EDIT_SECONDS),
        "warm4_seconds": target(warm4, TARGET_WARM4_SECONDS),
        "peak4_tree_bytes": target(peak4, TARGET_PEAK4_BYTES),
        "cold_over_bandit": {
            "value": round(ratio, 4) if ratio is not None else None,
            "target": f"<= {TARGET_COLD_RATIO}",
            "pass": ratio <= TARGET_COLD_RATIO if ratio is not None else None,
        },
        "warm_seconds": {"value": warm, "target": f"<= {TARGET_WARM_SECONDS}", "pass": warm <= TARGET_WARM_SECONDS},
        "jobs_speedup": {
            "value": round(speedup, 3),
            "target": f">= {TARGET_SPEEDUP}",
            "pass": speedup >= TARGET_SPEEDUP,
        },
    }
    print("\ntargets")
    if ratio is None:
        why = "--no-bandit" if args.no_bandit else "Bandit not found; pass --bandit PATH or --install-bandit"
        print(f"  cold / bandit     <= {TARGET_COLD_RATIO:<5}  not computed ({why})")
    else:
        print(
            f"  cold / bandit     <= {TARGET_COLD_RATIO:<5}  {ratio:8.3f}    "
            f"{'PASS' if targets['cold_over_bandit']['pass'] else 'FAIL'}  "
            f"({cold:.2f} s / {summary['bandit']['median_seconds']:.2f} s, {1 / ratio:.0f}x faster)"
        )

    def verdict(key: str) -> str:
        ok = targets[key]["pass"]
        return "not run" if ok is None else "PASS" if ok else "FAIL"

    print(
        f"  cold / floor      <= {TARGET_FLOOR_RATIO:<5}  {floor_ratio:8.3f}    {verdict('cold_over_floor')}  "
        f"({cold:.2f} s / {summary['floor']['median_seconds']:.2f} s)"
    )
    print(
        f"  warm re-scan      <= {TARGET_WARM_SECONDS:<5}  {warm:6.2f} s    "
        f"{'PASS' if targets['warm_seconds']['pass'] else 'FAIL'}"
    )
    print(f"  one-file edit     <= {TARGET_EDIT_SECONDS:<5}  {edit:6.2f} s    {verdict('edit_seconds')}")
    if warm4 is not None:
        print(f"  4x warm re-scan   <= {TARGET_WARM4_SECONDS:<5}  {warm4:6.2f} s    {verdict('warm4_seconds')}")
    if peak4 is not None:
        print(
            f"  4x peak RSS, tree <= {TARGET_PEAK4_BYTES / 1e6:.0f} MB "
            f"{peak4 / 1e6:6.0f} MB   {verdict('peak4_tree_bytes')}"
        )
    cpus_note = "  (only 1 CPU: a speedup cannot show)" if (info["cpus_available"] or 1) < 2 else ""
    print(
        f"  --jobs 1/--jobs 2 >= {TARGET_SPEEDUP:<5}  {speedup:7.2f}x    "
        f"{'PASS' if targets['jobs_speedup']['pass'] else 'FAIL'}{cpus_note}"
    )
    if not TreeSampler.available:
        print("\npeak RSS of the whole tree needs /proc; the largest process is the kernel's max-RSS figure")
    else:
        print(
            "\npeak RSS, tree: largest sum of the resident sets of the command and its worker processes, sampled "
            f"every {_SAMPLE_SECONDS * 1000:.0f} ms (pages shared between processes count in each)"
        )
    print("CPU: user + system time of the command and its worker processes (median)")
    print("others: CPUs kept busy by other processes during the run, on average (the worst run); 0 on a quiet machine")
    if info["code_changed_during_run"]:
        print("warning: prodready-lint's source changed during the run; the figures mix versions")
    load = info.get("load_average_at_end")
    if load:
        print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    if args.json:
        document = {
            "date": datetime.date.today().isoformat(),
            "machine": info,
            "corpus": corpus_info,
            "commands": {
                "cold": [*scan, "--no-cache"],
                "jobs1": [*scan, "--no-cache", "--jobs", "1"],
                "jobs2": [*scan, "--no-cache", "--jobs", "2"],
                "fill": cached,
                "warm": cached,
                "floor": variants[1][1],
                "ruff": ruff_cmd if ruff else None,
                "bandit": bandit_cmd if bandit else None,
            },
            "results": summary,
            "targets": targets,
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
