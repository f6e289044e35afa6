"""Configuration: ``[tool.prodready-lint]`` in the scanned project's pyproject.toml.

Problems never abort a scan: each unknown key or bad value becomes one clear message
(a ``config`` entry in the result's errors; the CLI then exits with 2) and the setting
falls back to its default. :func:`load_config` is the strict variant for library users.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from prodready_lint.errors import ConfigError, ScanError
from prodready_lint.sdk.kinds import kind_named
from prodready_lint.sdk.model import FileKind, Severity

__all__ = ["Config", "discover_config", "load_config", "parse_config"]

TOOL_KEY = "prodready-lint"
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_FILE_TIMEOUT = 60.0
DEFAULT_FILE_MEMORY = 2 * 10**9
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 10**6,
    "mb": 10**6,
    "mib": 2**20,
    "g": 10**9,
    "gb": 10**9,
    "gib": 2**30,
    "ki": 1024,
    "mi": 2**20,
    "gi": 2**30,
}


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@attrs.frozen(slots=True)
class Config:
    """Scan settings. Every field has a sane default; see the README for each key.

    ``select`` of ``None`` means every installed rule. ``rules`` holds per-rule tables
    (``severity`` and the rule's declared options), validated once rules are loaded.
    ``rule_paths`` are local packs to load (``rules = ["packs/acme"]``, or ``paths``
    inside the rules table), as absolute paths: relative ones are resolved against the
    configuration file's directory. ``base_dir`` anchors relative patterns (the config
    file's directory).
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    severity_threshold: Severity = Severity.LOW
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    cache_dir: str | None = None
    file_kinds: tuple[tuple[str, FileKind], ...] = ()
    file_timeout: float = DEFAULT_FILE_TIMEOUT
    file_memory: int = DEFAULT_FILE_MEMORY
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(factory=lambda: MappingProxyType({}), converter=_freeze)
    rule_paths: tuple[str, ...] = ()
    source: str | None = None
    base_dir: str | None = None

    def digest_data(self) -> dict[str, Any]:
        """The settings that change what a file's analysis produces (for the cache key)."""
        return {
            "rules": json.loads(json.dumps(_thaw(self.rules), sort_keys=True, default=str)),
            "file_kinds": [[pattern, kind.value] for pattern, kind in self.file_kinds],
        }


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _parse_size(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            unit = (match.group(2) or "").lower()
            if unit in _UNITS:
                size = int(float(match.group(1)) * _UNITS[unit])
                if size > 0:
                    return size
    raise ValueError(f'expected a positive size such as 10000000 or "10MB", got {value!r}')


def _seconds(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 86400:
        return float(value)
    raise ValueError(f"expected a number of seconds between 0 and 86400, got {value!r}")


def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValueError(f"expected a list of strings, got the string {value!r} (write [{value!r}])")
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ValueError(f"expected a list of non-empty strings, got {value!r}")


def _directory(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ValueError(f"expected a directory path, got {value!r}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {value!r}")


def _severity(value: Any) -> Severity:
    return Severity.parse(value) if isinstance(value, str) else Severity.parse(repr(value))


def _per_file_ignores(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a table of glob = [rule selectors], got {value!r}")
    out = []
    for pattern, selectors in value.items():
        try:
            out.append((str(pattern), _str_list(selectors)))
        except ValueError as error:
            raise ValueError(f"for {pattern!r}: {error}") from None
    return tuple(out)


def _file_kinds(value: Any) -> tuple[tuple[str, FileKind], ...]:
    """``"*.docker" = "dockerfile"``: extra file names for a kind (gitignore-style patterns,
    relative to the configuration file), checked before the built-in names."""
    if not isinstance(value, Mapping):
        raise ValueError(f'expected a table of pattern = "kind", like "*.docker" = "dockerfile", got {value!r}')
    out = []
    for pattern, kind in value.items():
        if not isinstance(kind, str):
            raise ValueError(f"for {pattern!r}: expected a kind name, got {kind!r}")
        out.append((str(pattern), kind_named(kind)))
    return tuple(out)


def _rules(value: Any) -> tuple[dict[str, dict[str, Any]], tuple[str, ...], list[str]]:
    """Per-rule tables, local pack paths, and one complaint per entry that is not a table
    (the others still apply). A list is paths alone (``rules = ["packs/acme"]``); a
    table holds per-rule tables and, under ``paths``, paths (TOML cannot make one key
    both a list and a table, and ``paths`` can never be a rule id)."""
    if isinstance(value, (list, tuple, str)):
        return {}, _str_list(value), []
    if not isinstance(value, Mapping):
        raise ValueError(f"expected tables like [tool.prodready-lint.rules.TMO001], got {value!r}")
    tables: dict[str, dict[str, Any]] = {}
    complaints: list[str] = []
    paths: tuple[str, ...] = ()
    for rule_id, table in value.items():
        if rule_id == "paths":
            try:
                paths = _str_list(table)
            except ValueError as error:
                complaints.append(f"rules.paths: {error}; ignored")
            continue
        if isinstance(table, Mapping):
            tables[str(rule_id)] = dict(table)
        else:
            complaints.append(
                f"rules.{rule_id}: expected a table like [tool.prodready-lint.rules.{rule_id}], got {table!r}; ignored"
            )
    return tables, paths, complaints


_KEYS: dict[str, tuple[str, Any]] = {
    "select": ("select", _str_list),
    "ignore": ("ignore", _str_list),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _str_list),
    "respect-gitignore": ("respect_gitignore", _bool),
    "severity-threshold": ("severity_threshold", _severity),
    "max-file-size": ("max_file_size", _parse_size),
    "cache-dir": ("cache_dir", _directory),
    "file-kinds": ("file_kinds", _file_kinds),
    "file-timeout": ("file_timeout", _seconds),
    "file-memory": ("file_memory", _parse_size),
    "rules": ("rules", _rules),
}


def parse_config(
    table: Mapping[str, Any], *, source: str | None = None, base_dir: str | None = None
) -> tuple[Config, list[ScanError]]:
    """Build a :class:`Config` from a ``[tool.prodready-lint]`` table (or an equivalent
    dict); return it with one problem per unusable key."""
    where = source or "configuration"
    values: dict[str, Any] = {}
    problems: list[ScanError] = []
    if not isinstance(table, Mapping):
        problems.append(ScanError(where, "config", f"expected a table of settings, got {type(table).__name__}"))
        table = {}
    for key, raw in table.items():
        spec = _KEYS.get(key)
        if spec is None:
            alias = key.replace("_", "-")
            hint = difflib.get_close_matches(alias, list(_KEYS), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; known keys: {', '.join(sorted(_KEYS))}"
            problems.append(ScanError(where, "config", f"unknown key {key!r}{suggestion}"))
            continue
        field, convert = spec
        try:
            value = convert(raw)
        except ValueError as error:
            problems.append(ScanError(where, "config", f"{key}: {error}; using the default"))
            continue
        if key == "rules":
            value, paths, complaints = value
            problems.extend(ScanError(where, "config", complaint) for complaint in complaints)
            anchor_dir = base_dir or os.getcwd()
            values["rule_paths"] = tuple(os.path.join(anchor_dir, os.path.expanduser(p)) for p in paths)
        values[field] = value
    return Config(**values, source=source, base_dir=base_dir), problems


def _read_table(path: Path) -> tuple[Mapping[str, Any] | None, list[ScanError]]:
    """The prodready-lint table of a pyproject.toml (under [tool]) or of a standalone
    prodready-lint TOML file (top level). ``None`` when a pyproject has no such table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return {}, [ScanError(str(path), "config", f"cannot read the configuration: {error.strerror}")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return {}, [ScanError(str(path), "config", f"invalid TOML: {error}; using the defaults")]
    tool = data.get("tool")
    nested = tool.get(TOOL_KEY) if isinstance(tool, Mapping) else None
    if path.name == "pyproject.toml":
        return (nested, []) if nested is not None else (None, [])
    # A standalone file may hold the settings at the top level, or the same
    # [tool.prodready-lint] table a pyproject.toml has (copied from the README).
    if nested is not None and set(data) == {"tool"}:
        return nested, []
    return data, []


def read_config_file(path: Path) -> tuple[Config, list[ScanError]]:
    """Read an explicit config file: a pyproject.toml or a standalone TOML file."""
    path = Path(path)
    table, problems = _read_table(path)
    if table is None:
        problems = [ScanError(str(path), "config", f"{path} has no [tool.{TOOL_KEY}] table")]
        table = {}
    # Lexically absolute, like the scan root, so patterns anchored here line up with it.
    config, more = parse_config(table, source=str(path), base_dir=os.path.abspath(path.parent))
    return config, problems + more


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def discover_config(start: Path, root: Path) -> tuple[Config, list[ScanError]]:
    """The nearest pyproject.toml with a ``[tool.prodready-lint]`` table, looking from
    ``start`` up to ``root`` (inclusive); defaults when there is none.

    The search goes up the path as it is spelled (a named file that is a symbolic link
    is not followed, and a looping one does not stop it), and ``base_dir`` is spelled
    like ``root``, so that patterns anchored there line up with the scanned paths.
    """
    root = Path(os.path.abspath(root))
    start = Path(os.path.abspath(start))
    directory = start if start.is_dir() else start.parent
    if not _within(directory, root):
        # Spelled differently (a symbolic link on one side): compare the real paths.
        real_directory, real_root = Path(os.path.realpath(directory)), Path(os.path.realpath(root))
        if _within(real_directory, real_root):
            directory = root / real_directory.relative_to(real_root)
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            table, problems = _read_table(pyproject)
            if table is not None:
                config, more = parse_config(table, source=str(pyproject), base_dir=str(candidate))
                return config, problems + more
            if problems:
                return Config(base_dir=str(candidate)), problems
        if candidate == root or root not in candidate.parents:
            break
    return Config(base_dir=str(root)), []


def load_config(path: str | Path) -> Config:
    """Read a config file strictly: raise :class:`~prodready_lint.errors.ConfigError`
    listing every problem instead of falling back to defaults."""
    config, problems = read_config_file(Path(path))
    if problems:
        raise ConfigError(problems)
    return config
