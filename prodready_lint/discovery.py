"""Find the files to scan: walk the targets, honour .gitignore and excludes, classify.

Git semantics for ignores: nested ``.gitignore`` files and ``.git/info/exclude``, the
deepest file with a matching pattern decides, and an ignored directory is never
entered. Configured ``exclude`` patterns use the same syntax, relative to the config
file's directory, on top of a default list of tool and dependency directories.
A directory named explicitly is scanned even when it is excluded or ignored itself (only
the default excludes and its own .gitignore files apply inside it); a file named
explicitly obeys the excludes, so a pre-commit hook that passes file names respects
the project's configuration.

Symbolic links are followed, after everything reachable without them: a file reachable
both directly and through a link is reported once, under its own path. Broken links and
link loops become errors, and the walk goes on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs
import pathspec

from prodready_lint.errors import ScanError
from prodready_lint.filekinds import classify
from prodready_lint.roots import find_root, relative_path
from prodready_lint.sdk.model import FileKind

__all__ = ["DEFAULT_EXCLUDES", "Anchor", "Discovered", "Target", "anchor", "discover", "find_root", "relative_path"]

DEFAULT_EXCLUDES = (
    ".bzr/",
    ".direnv/",
    ".eggs/",
    ".git/",
    ".hg/",
    ".svn/",
    ".ipynb_checkpoints/",
    ".mypy_cache/",
    ".nox/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".pytype/",
    ".tox/",
    ".venv/",
    "venv/",
    ".terraform/",
    "__pycache__/",
    "__pypackages__/",
    "node_modules/",
    "site-packages/",
    "*.egg-info/",
    ".prodready-cache/",
)


_DEFAULTS_ONLY = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDES)


@attrs.frozen(slots=True)
class Target:
    """A file to consider: its absolute path, its repository-relative POSIX path, its kind."""

    abspath: str
    relpath: str
    kind: FileKind


@attrs.frozen(slots=True)
class Discovered:
    files: tuple[Target, ...]
    errors: tuple[ScanError, ...]
    excluded: int  # explicit file arguments left out by excludes or .gitignore
    notes: tuple[ScanError, ...] = ()
    # every directory listed and ignore file read (absolute paths): what the set of files
    # depends on, for a caller that wants to know whether it could have changed
    watched: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class Anchor:
    """Where configured patterns are relative to, seen from the scan root: a directory
    below the root (``base``), or one above it (``prefix`` is then the root's path from
    there, put in front of every root-relative path before matching)."""

    base: str = ""
    prefix: str = ""
    outside: bool = False  # neither above nor below the root: patterns apply from the root

    def local(self, relpath: str) -> str | None:
        """``relpath`` as the patterns see it, or None when they do not apply to it."""
        if self.base:
            if not relpath.startswith(self.base + "/"):
                return None
            relpath = relpath[len(self.base) + 1 :]
        return f"{self.prefix}/{relpath}" if self.prefix else relpath


def anchor(base: Path | str, root: str) -> Anchor:
    """The :class:`Anchor` of a configuration directory. Compared lexically first, then
    through real paths, so a repository reached through a symbolic link keeps its
    configured excludes."""
    for here, top in ((os.path.abspath(base), os.path.abspath(root)), (os.path.realpath(base), os.path.realpath(root))):
        below = os.path.relpath(here, top)
        if below == os.curdir:
            return Anchor()
        if not (below == os.pardir or below.startswith(os.pardir + os.sep)):
            return Anchor(base=Path(below).as_posix())
        above = os.path.relpath(top, here)
        if not (above == os.pardir or above.startswith(os.pardir + os.sep)):
            return Anchor(prefix=Path(above).as_posix())
    return Anchor(outside=True)


@attrs.frozen(slots=True)
class _Layer:
    """Ignore patterns that apply below ``base`` (root-relative POSIX, "" for the root),
    or, with a ``prefix``, from a directory above the root."""

    base: str
    spec: pathspec.GitIgnoreSpec
    prefix: str = ""

    def decide(self, relpath: str) -> bool | None:
        if self.base:
            if not relpath.startswith(self.base + "/"):
                return None
            relpath = relpath[len(self.base) + 1 :]
        if self.prefix:
            relpath = f"{self.prefix}/{relpath}"
        return self.spec.check_file(relpath).include


def _read_patterns(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError:
        return None


class _Walker:
    def __init__(
        self,
        root: str,
        exclude_layer: _Layer | None,
        respect_gitignore: bool,
        wanted: frozenset[FileKind] | None,
        classify: Callable[[str], FileKind] = classify,
    ) -> None:
        self.classify = classify
        self.root = root
        self.exclude_layer = exclude_layer  # configured excludes, anchored at the config's directory
        self.respect_gitignore = respect_gitignore
        self.wanted = wanted
        self.files: list[Target] = []
        self.errors: list[ScanError] = []
        self.notes: list[ScanError] = []
        self.seen_real: set[str] = set()
        self.watched: list[str] = []
        self.excluded = 0
        self._gitignore_cache: dict[str, _Layer | None] = {}
        # Symbolic links are followed after everything reachable without them, so a file
        # reachable both ways is reported under its own path, whatever the names.
        self._linked_files: list[tuple[str, str, str]] = []

    # -- ignore layers -----------------------------------------------------------------
    def _gitignore(self, dir_abs: str, dir_rel: str) -> _Layer | None:
        if dir_abs in self._gitignore_cache:
            return self._gitignore_cache[dir_abs]
        layer = None
        lines = _read_patterns(os.path.join(dir_abs, ".gitignore"))
        if lines is not None:
            self.watched.append(os.path.join(dir_abs, ".gitignore"))
        if dir_rel == "":
            self.watched.append(os.path.join(dir_abs, ".git", "info", "exclude"))
            extra = _read_patterns(os.path.join(dir_abs, ".git", "info", "exclude"))
            if extra:
                lines = extra + (lines or [])
        if lines:
            layer = _Layer(dir_rel, pathspec.GitIgnoreSpec.from_lines(lines))
        self._gitignore_cache[dir_abs] = layer
        return layer

    def layers_for(self, dir_abs: str, dir_rel: str, floor: str = "") -> tuple[_Layer, ...]:
        """Git ignore layers from the root (or ``floor``) down to ``dir_rel`` (inclusive)."""
        if not self.respect_gitignore or dir_rel.startswith("/"):
            return ()
        layers = []
        parts = dir_rel.split("/") if dir_rel else []
        first = len(floor.split("/")) if floor else 0
        for depth in range(first, len(parts) + 1):
            rel = "/".join(parts[:depth])
            layer = self._gitignore(os.path.join(self.root, *parts[:depth]), rel)
            if layer is not None:
                layers.append(layer)
        return tuple(layers)

    def excluded_by_config(self, relpath: str, floor: str = "") -> bool:
        """Default and configured excludes. The defaults apply everywhere (also outside
        the config file's directory); a configured pattern with an opinion overrides
        them, so ``!.venv/`` brings a default back below the config's directory."""
        if floor:
            return bool(_Layer(floor, _DEFAULTS_ONLY).decide(relpath))
        if self.exclude_layer is not None:
            decision = self.exclude_layer.decide(relpath)
            if decision is not None:
                return decision
        return _DEFAULTS_ONLY.match_file(relpath)

    def ignored(self, relpath: str, layers: tuple[_Layer, ...], floor: str = "", walked: bool = False) -> bool:
        """Whether a path is excluded or git-ignored. ``walked``: a file met while walking,
        whose directories were already checked; the default excludes name directories
        only, so they need not be matched again."""
        if walked and not floor:
            if self.exclude_layer is not None and self.exclude_layer.decide(relpath):
                return True
        elif self.excluded_by_config(relpath, floor):
            return True
        for layer in reversed(layers):  # the deepest .gitignore with an opinion decides
            decision = layer.decide(relpath)
            if decision is not None:
                return decision
        return False

    # -- files -------------------------------------------------------------------------
    def add_file(self, abspath: str, relpath: str, real: str | None = None) -> None:
        kind = self.classify(relpath)
        real = real or abspath
        if real in self.seen_real:
            return
        self.seen_real.add(real)
        self.files.append(Target(abspath, relpath, kind))

    def symlink_problem(self, abspath: str, relpath: str) -> None:
        kind = self.classify(relpath)
        if self.wanted is not None and kind not in self.wanted:
            return
        try:
            mode = os.stat(abspath).st_mode
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.errors.append(ScanError(relpath, "symlink-loop", "symbolic link loop: the link never resolves"))
            else:
                target = os.readlink(abspath) if os.path.islink(abspath) else "?"
                self.errors.append(ScanError(relpath, "broken-symlink", f"broken symbolic link to {target!r}"))
            return
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            self.special_file(relpath, mode)

    def special_file(self, relpath: str, mode: int) -> None:
        """A FIFO, device or socket where a file of a wanted kind is expected: never read
        (a FIFO would block the scan), always said."""
        kind = self.classify(relpath)
        if self.wanted is not None and kind not in self.wanted:
            return
        what = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}
        name = what.get(stat.S_IFMT(mode), "a socket" if stat.S_ISSOCK(mode) else "a special file")
        self.errors.append(ScanError(relpath, "unreadable", f"{name}, not a regular file; not read"))

    def walk(self, dir_abs: str, dir_rel: str, dir_real: str, floor: str = "") -> None:
        """Walk a directory. With ``floor`` (an explicitly named directory that is itself
        excluded), only the default excludes and .gitignore files from the floor down apply."""
        stack: list[tuple[str, str, str, tuple[str, ...]]] = [(dir_abs, dir_rel, dir_real, ())]
        linked_dirs: list[tuple[str, str, str, tuple[str, ...]]] = []
        while stack or linked_dirs:
            if not stack:  # everything reachable without links is done: now follow them
                linked = linked_dirs.pop(0)
                if linked[2] in self.seen_real:
                    continue
                self.seen_real.add(linked[2])
                stack.append(linked)
            dir_abs, dir_rel, dir_real, ancestors = stack.pop()
            self.watched.append(dir_abs)
            layers = self.layers_for(dir_abs, dir_rel, floor)
            try:
                with os.scandir(dir_abs) as iterator:
                    entries = sorted(iterator, key=lambda e: e.name)
            except OSError as error:
                self.errors.append(ScanError(dir_rel or ".", "unreadable", f"cannot list directory: {error.strerror}"))
                continue
            subdirs = []
            for entry in entries:
                rel = f"{dir_rel}/{entry.name}" if dir_rel else entry.name
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir(follow_symlinks=True)
                    is_file = not is_dir and entry.is_file(follow_symlinks=True)
                except OSError:
                    is_link, is_dir, is_file = True, False, False
                if is_dir:
                    if self.ignored(rel + "/", layers, floor):
                        continue
                    real = os.path.realpath(entry.path) if is_link else f"{dir_real}/{entry.name}"
                    if is_link and any(real == a or a.startswith(real + "/") for a in (*ancestors, dir_real)):
                        self.errors.append(
                            ScanError(rel, "symlink-loop", "symbolic link to one of its own parent directories")
                        )
                        continue
                    if real in self.seen_real:
                        continue
                    if is_link:
                        linked_dirs.append((entry.path, rel, real, (*ancestors, dir_real)))
                        continue
                    self.seen_real.add(real)
                    subdirs.append((entry.path, rel, real, (*ancestors, dir_real)))
                elif is_file:
                    if self.ignored(rel, layers, floor, walked=True):
                        continue
                    if is_link:
                        self._linked_files.append((entry.path, rel, os.path.realpath(entry.path)))
                        continue
                    self.add_file(entry.path, rel, f"{dir_real}/{entry.name}")
                elif is_link and not self.ignored(rel, layers, floor):
                    self.symlink_problem(entry.path, rel)
                elif not is_link and not self.ignored(rel, layers, floor):
                    with contextlib.suppress(OSError):
                        self.special_file(rel, entry.stat(follow_symlinks=False).st_mode)
            stack.extend(reversed(subdirs))

    def add_linked_files(self) -> None:
        """Files reached through a symbolic link, once every real path has been seen."""
        for abspath, relpath, real in self._linked_files:
            self.add_file(abspath, relpath, real)
        self._linked_files.clear()

    def explicit_file_ignored(self, relpath: str) -> bool:
        """Whether a file named explicitly is excluded or ignored, as git decides it: a
        file inside an ignored directory is ignored, whatever deeper .gitignore files say
        (git never reads them)."""
        if relpath.startswith("/"):  # outside the root: no .gitignore applies
            return self.ignored(relpath, ())
        parts = relpath.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[: depth - 1])
            layers = self.layers_for(os.path.join(self.root, *parts[: depth - 1]), parent)
            if self.ignored("/".join(parts[:depth]) + "/", layers):
                return True
        parent = "/".join(parts[:-1])
        return self.ignored(relpath, self.layers_for(os.path.join(self.root, *parts[:-1]), parent))


def _classifier(file_kinds: Iterable[tuple[str, FileKind]], where: Anchor) -> Callable[[str], FileKind]:
    """The built-in classification, after the configured patterns (relative to the
    configuration's directory)."""
    mapped = [(pathspec.GitIgnoreSpec.from_lines([pattern]), kind) for pattern, kind in file_kinds]
    if not mapped:
        return classify

    def classify_configured(relpath: str) -> FileKind:
        local = where.local(relpath)
        if local is not None:
            for spec, kind in mapped:
                if spec.match_file(local):
                    return kind
        return classify(relpath)

    return classify_configured


def discover(
    paths: Iterable[Path],
    root: Path,
    *,
    excludes: Iterable[str] = (),
    exclude_base: Path | None = None,
    respect_gitignore: bool = True,
    wanted: frozenset[FileKind] | None = None,
    file_kinds: Iterable[tuple[str, FileKind]] = (),
) -> Discovered:
    """Walk ``paths`` (files or directories) under ``root``.

    ``excludes`` are gitignore-style patterns relative to ``exclude_base`` (the config
    file's directory, the root by default). :data:`DEFAULT_EXCLUDES` apply everywhere;
    below ``exclude_base`` a configured pattern that matches overrides them, so a
    negation (``!venv/``) can bring a default back. Every file is returned, whatever its
    kind (repository rules see them all); broken links and loops are reported only for
    files whose kind is in ``wanted`` (all when ``None``). ``file_kinds`` maps extra
    gitignore-style patterns (relative to ``exclude_base``) to kinds, before the built-in
    names.
    """
    root_str = os.path.abspath(root)
    where = anchor(exclude_base, root_str) if exclude_base else Anchor()
    excludes = [line for line in excludes if line.strip()]
    exclude_layer = _Layer(where.base, pathspec.GitIgnoreSpec.from_lines(excludes), where.prefix) if excludes else None
    walker = _Walker(root_str, exclude_layer, respect_gitignore, wanted, _classifier(file_kinds, where))
    if where.outside and (excludes or file_kinds):
        walker.notes.append(
            ScanError(
                "",
                "notice",
                f"the configuration's directory {exclude_base} is neither above nor inside the scan root "
                f"{root_str}: its exclude and file-kinds patterns apply relative to the root",
            )
        )
    for path in paths:
        abspath = os.path.abspath(path)
        relpath = relative_path(abspath, root_str)
        if relpath == ".":
            relpath = ""
        try:
            mode = os.stat(abspath).st_mode
        except OSError as error:
            if os.path.islink(abspath):
                walker.symlink_problem(abspath, relpath)
            elif error.errno == errno.ENOENT:
                walker.errors.append(ScanError(str(path), "not-found", "no such file or directory"))
            else:
                walker.errors.append(ScanError(relpath, "unreadable", f"cannot read: {error.strerror}"))
            continue
        parent_rel = relpath.rsplit("/", 1)[0] if "/" in relpath else ""
        if stat.S_ISDIR(mode):
            real = os.path.realpath(abspath)
            if real in walker.seen_real:
                continue
            walker.seen_real.add(real)
            parent_layers = walker.layers_for(os.path.dirname(abspath), parent_rel)
            named_but_excluded = bool(relpath) and walker.ignored(relpath + "/", parent_layers)
            walker.walk(abspath, relpath, real, floor=relpath if named_but_excluded else "")
        else:
            if walker.explicit_file_ignored(relpath):
                walker.excluded += 1
                continue
            walker.add_file(abspath, relpath, os.path.realpath(abspath))
        walker.add_linked_files()
    files = sorted(walker.files, key=lambda t: t.relpath)
    return Discovered(tuple(files), tuple(walker.errors), walker.excluded, tuple(walker.notes), tuple(walker.watched))
