"""INI files: ``configparser`` decides what is valid, a line scanner that follows its rules
says where each section, key and value is.

The dialect is ``ConfigParser(interpolation=None, strict=False, inline_comment_prefixes=("#",
";"))`` with keys kept as written (not lower-cased): full-line and inline ``#``/``;`` comments
(inline ones after whitespace), ``=`` or ``:`` between key and value, values continued on
lines indented deeper than their key (joined with newlines), ``%(name)s`` kept as written, a
repeated key or section merged with the last value winning. ``configparser`` gives no
positions, so :func:`_locate` replays its reading rules line by line with offsets; the test
suite checks both read the same values.

``.ini`` files must start with a ``[section]``. ``.cfg``, ``.conf`` and ``.properties`` files
may have keys before the first section (``sysctl.conf``, Java properties), and are often not
INI at all (``nginx.conf``, ``haproxy.cfg``): when ``configparser`` cannot read one, it is
skipped with :class:`~prodready_lint.sdk.SkipFile`, not reported as broken.
"""

from __future__ import annotations

import configparser
import itertools
import sys

from .config_files import ConfigFile, Entry, Layout, Section
from .errors import LoadError, SkipFile

__all__ = ["read_ini"]

_COMMENT_PREFIXES = ("#", ";")
_LOOSE_SUFFIXES = (".cfg", ".conf", ".properties")
_TOP = "\x00top-level"  # the synthetic section that holds keys written before any section


def _parser() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(
        strict=False,
        interpolation=None,
        comment_prefixes=_COMMENT_PREFIXES,
        inline_comment_prefixes=_COMMENT_PREFIXES,
        default_section="DEFAULT",
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    return parser


_SECTION = configparser.RawConfigParser.SECTCRE
_OPTION = configparser.RawConfigParser.OPTCRE  # the option pattern for the default "=" and ":"


def _comment_start(line: str) -> int | None:
    """Where configparser's comment stripping cuts ``line`` (its exact rules), or ``None``."""
    comment_start = sys.maxsize
    prefixes = {prefix: -1 for prefix in _COMMENT_PREFIXES}
    while comment_start == sys.maxsize and prefixes:
        following = {}
        for prefix, index in prefixes.items():
            index = line.find(prefix, index + 1)
            if index == -1:
                continue
            following[prefix] = index
            if index == 0 or (index > 0 and line[index - 1].isspace()):
                comment_start = min(comment_start, index)
        prefixes = following
    if line.strip().startswith(_COMMENT_PREFIXES):
        return 0
    return None if comment_start == sys.maxsize else comment_start


def _excerpt_free(error: configparser.Error) -> tuple[str, int | None]:
    """A message that does not echo the file's text (a bad line may hold a secret)."""
    if isinstance(error, configparser.MissingSectionHeaderError):
        match = _OPTION.match(error.line.strip())
        what = "a key" if match and match.group("option").strip() else "text"
        return f"{what} outside any section: an INI file starts with a [section] header", error.lineno
    if isinstance(error, configparser.ParsingError):
        lineno = error.errors[0][0] if error.errors else None
        return "not a 'key = value' line, a [section] header or a comment", lineno
    return str(error).splitlines()[0], getattr(error, "lineno", None)


def _without_bom(lines: list[str]) -> list[str]:
    """The lines with a byte order mark turned into a space (configparser would take it for text)."""
    if lines and lines[0].startswith("\ufeff"):
        return [" " + lines[0][1:], *lines[1:]]
    return lines


def _check(path: str, lines: list[str], loose: bool) -> None:
    parser = _parser()
    shift = 1 if loose else 0
    source = itertools.chain([f"[{_TOP}]"], lines) if loose else iter(lines)
    try:
        parser.read_file(source, source=path)
    except configparser.Error as error:
        message, line = _excerpt_free(error)
        line = line - shift if line else None
        if loose:
            raise SkipFile("ini", f"not in INI syntax ({message}); not analyzed", line) from None
        raise LoadError("ini", message, line) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise LoadError("ini", f"the file cannot be read ({type(error).__name__})") from None


class _Option:
    """A key being read; continuation lines extend its value."""

    __slots__ = ("end", "key", "key_start", "pieces", "section", "start")

    def __init__(self, section: str | None, key: str, key_start: int, start: int, first: str) -> None:
        self.section = section
        self.key = key
        self.key_start = key_start
        self.start = start
        self.pieces = [first]
        self.end = start + len(first)  # the end of the last non-empty piece

    @property
    def value(self) -> str:
        return "\n".join(self.pieces).rstrip()


def _locate(file: ConfigFile) -> Layout:
    """configparser's reading loop (``RawConfigParser._read``), keeping offsets."""
    starts = file._line_starts
    span = file.span_from_offsets
    section: str | None = None
    sections: list[Section] = []
    header_offsets: list[tuple[tuple[str], tuple[int, int], tuple[int, int]]] = []
    options: list[_Option] = []
    option: _Option | None = None
    indent_level = 0
    for number, line in enumerate(_without_bom(file.lines)):
        cut = _comment_start(line)
        head = line[:cut]
        content = head.strip()
        if not content:
            if option is not None and cut is None:
                option.pieces.append("")
            continue
        offset = starts[number] + len(head) - len(head.lstrip())
        indent = len(line) - len(line.lstrip())
        if option is not None and indent > indent_level:
            option.pieces.append(content)
            option.end = offset + len(content)
            continue
        indent_level = indent
        header = _SECTION.match(content)
        if header:
            section = header.group("header")
            name = (offset + header.start("header"), offset + header.end("header"))
            sections.append(Section((section,), span(offset, offset + header.end()), span(*name)))
            header_offsets.append(((section,), name, (offset, offset + header.end())))
            option = None
            continue
        match = _OPTION.match(content)
        if match is None:  # configparser has refused such a file already
            option = None
            continue
        key = match.group("option").rstrip()
        key_start = offset + match.start("option")
        raw = match.group("value")
        value_start = offset + match.start("value") + len(raw) - len(raw.lstrip())
        option = _Option(section, key, key_start, value_start, raw.strip())
        options.append(option)
    entries = []
    index = file.line_index
    top: dict[str, str] = {}
    by_section: dict[str, dict[str, str]] = {name: {} for (name,) in (s.keys for s in sections)}
    for option in options:
        value = option.value
        keys = (option.key,) if option.section is None else (option.section, option.key)
        end = option.end if value else option.start
        key_end = option.key_start + len(option.key)
        entries.append(Entry(keys, value, option.key_start, key_end, option.start, end, index, "", option.section))
        (top if option.section is None else by_section[option.section])[option.key] = value
    empty = {keys: (name, header) for keys, name, header in reversed(header_offsets) if not by_section[keys[0]]}
    if empty:  # a section with no keys is an empty table: a leaf, at its (first) header
        entries.extend(Entry(keys, {}, *name, *header, index, "", keys[0]) for keys, (name, header) in empty.items())
        entries.sort(key=lambda entry: entry.value_start)
    key_offsets = {keys: name for keys, name, _ in reversed(header_offsets)}
    return Layout(tuple(entries), tuple(sections), key_offsets, {**top, **by_section})


def read_ini(path: str, text: str) -> ConfigFile:
    loose = path.lower().endswith(_LOOSE_SUFFIXES)
    file = ConfigFile(path, text, "ini", locate=_locate)
    _check(path, _without_bom(file.lines), loose)
    return file
