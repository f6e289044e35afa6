"""A corpus of hostile inputs, generated (never committed as megabytes).

Each :class:`Case` is a small repository holding one hostile thing and, beside it, a
normal service file with a real finding (``service.py``, TMO001 on line 5). The tests
scan each case with the real CLI and check the promises every case shares: the scan
completes within its time bound, prints no traceback, says what happened in one line
naming the hostile file, still reports the normal file's finding, and exits with the
code the README documents for that case.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import attrs

SERVICE = """\
import requests


def fetch_rates(currency):
    response = requests.get(f"https://rates.internal/{currency}")
    return response.json()
"""
SERVICE_FINDING = ("service.py", 5, "TMO001")

Setup = Callable[[Path], None]


@attrs.frozen
class Case:
    """One hostile repository.

    ``errors`` are the (path, kind) problems the scan must report, exactly; ``exit`` the
    exit code; ``seconds`` the bound on the whole run (generous for a 2-core CI machine).
    ``args`` are extra CLI arguments (``{root}`` is replaced by the repository path).
    """

    name: str
    setup: Setup
    errors: tuple[tuple[str, str], ...] = ()
    exit: int = 1
    seconds: float = 60.0
    args: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # scanned besides the repository itself
    finding: bool = True  # the normal file's finding must be reported
    notes: tuple[str, ...] = ()  # substrings of notes the scan must print


def _write(path: Path, content: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def _files(**files: bytes | str) -> Setup:
    def setup(root: Path) -> None:
        for name, content in files.items():
            _write(root / name.replace("__", "/"), content)

    return setup


def _unreadable(root: Path) -> None:
    """A file whose read fails for real (the scan runs without the capabilities that
    let root read anything; see :data:`WITHOUT_OVERRIDES`)."""
    path = root / "secret_store.py"
    path.write_text(SERVICE, encoding="utf-8")
    path.chmod(0)


def _unreadable_directory(root: Path) -> None:
    directory = root / "vault"
    directory.mkdir()
    (directory / "client.py").write_text(SERVICE, encoding="utf-8")
    directory.chmod(0)


def _fifo(root: Path) -> None:
    os.mkfifo(root / "pipe.py")


def _device(root: Path) -> None:
    (root / "null.py").symlink_to("/dev/null")


def _symlink_loop(root: Path) -> None:
    (root / "loop_a.py").symlink_to("loop_b.py")
    (root / "loop_b.py").symlink_to("loop_a.py")


def _broken_link(root: Path) -> None:
    (root / "gone.py").symlink_to("deleted.py")


def _odd_names(root: Path) -> None:
    base = os.fsencode(root)
    for name in (b"caf\xe9\xff.py", b"new\nline.py", b"tab\there.py", b"-dash.py", b" space .py"):
        with open(base + b"/" + name, "wb") as handle:
            handle.write(SERVICE.encode())


def _huge_python(root: Path) -> None:
    line = b"VALUE_%d = 'padding padding padding padding padding padding padding'\n"
    block = b"".join(line % i for i in range(2000))
    with open(root / "generated.py", "wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            handle.write(block)


def _dense_line(root: Path) -> None:
    numbers = b",".join(b"%d" % (i % 10) for i in range(2_500_000))
    _write(root / "table.py", b"DATA = [" + numbers + b"]\n")


def _utf16(root: Path) -> None:
    _write(root / "legacy.py", "import os\nprint(os.name)\n".encode("utf-16"))


CASES = (
    Case("syntax-error", _files(**{"broken.py": "import requests\ndef f(:\n"}), (("broken.py", "syntax"),)),
    Case("invalid-utf8", _files(**{"latin1.py": b"x = '\xe9t\xe9'\n"}), (("latin1.py", "encoding"),)),
    Case("binary", _files(**{"blob.py": b"\x7fELF\x00\x00\x01" * 100}), (("blob.py", "binary"),)),
    Case("utf16-python", _utf16, (("legacy.py", "encoding"),)),
    Case(
        "deep-parentheses",
        _files(**{"deep.py": "x=" + "(" * 3000 + "1" + ")" * 3000 + "\n"}),
        (("deep.py", "too-complex"),),
    ),
    Case("deep-unary", _files(**{"unary.py": "x=" + "-" * 100_000 + "1\n"}), (("unary.py", "too-complex"),)),
    Case(
        "many-findings-on-one-line",
        _files(**{"flood.py": "import requests; " + "requests.get(u); " * 16_000 + "\n"}),
        finding=True,
        seconds=120.0,
    ),
    Case(
        "huge-python-file",
        _huge_python,
        (("generated.py", "too-large"),),
        args=("--config", "{root}/scan.toml"),
        seconds=60.0,
    ),
    Case(
        "dense-line-of-data",
        _dense_line,
        (("table.py", "too-large"),),
        args=("--config", "{root}/scan.toml"),
        seconds=90.0,
    ),
    Case("odd-file-names", _odd_names),
    Case("unreadable-file", _unreadable, (("secret_store.py", "unreadable"),)),
    Case("unreadable-directory", _unreadable_directory, (("vault", "unreadable"),)),
    Case("fifo", _fifo, (("pipe.py", "unreadable"),)),
    Case("device-link", _device, (("null.py", "unreadable"),)),
    Case("symlink-loop", _symlink_loop, (("loop_a.py", "symlink-loop"), ("loop_b.py", "symlink-loop"))),
    Case("broken-symlink", _broken_link, (("gone.py", "broken-symlink"),)),
    Case("missing-path", _files(), (("does-not-exist", "not-found"),), exit=2, paths=("does-not-exist",)),
    Case("empty-selection", _files(), (("", "usage"),), exit=2, args=("--select", ""), finding=False),
    Case("comma-selection", _files(), (("", "usage"),), exit=2, args=("--select", ","), finding=False),
    Case("ignore-everything", _files(), (("", "usage"),), exit=2, args=("--ignore", "ALL"), finding=False),
    Case(
        "too-many-jobs",
        _files(),
        args=("--jobs", "1000"),
        notes=("capped at",),
    ),
)
# The cases that read a configuration file (a budget small enough to be hit quickly).
CONFIGS = {
    "huge-python-file": '[tool.prodready-lint]\nmax-file-size = "100MB"\n',
    "dense-line-of-data": '[tool.prodready-lint]\nfile-memory = "600MB"\n',
}


# Root reads anything whatever the permission bits; the scans run without the two
# capabilities that allow it, so unreadable files are unreadable for real.
WITHOUT_OVERRIDES = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


def build(root: Path, case: Case) -> Path:
    """Write ``case`` into a fresh directory under ``root`` and return it."""
    directory = root / case.name
    directory.mkdir(parents=True)
    _write(directory / "service.py", SERVICE)
    case.setup(directory)
    if case.name in CONFIGS:
        _write(directory / "scan.toml", CONFIGS[case.name])
    return directory


def special(path: Path) -> bool:
    """Whether a path is not a regular file (FIFOs must never be opened by a test)."""
    try:
        return not stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return True
