"""Attestations: the checklist items only a person can confirm, read from ``prodready.toml``.

The team keeps the file in the repository::

    # Who confirmed which checklist item, and when (prodready-lint attest ITEM --by NAME).
    max-age-days = 180

    [attestations.on-call]
    by = "Dana Reyes"
    date = 2026-03-02
    note = "PagerDuty rotation payments-primary, escalation to the platform lead"

An attestation older than ``max-age-days`` (180 by default) on the report's date is
stale: the item needs attesting again. ``write`` edits the file in place through tomlkit,
a TOML library that round-trips: the team's comments, order, quoting and blank lines
stay as they were, an item attested again keeps its place (and the comments around
it), a new item is added at the end, and only the values that changed are rewritten.
A new file starts with the header above.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib

import attrs
import tomlkit
import tomlkit.exceptions

__all__ = ["DEFAULT_MAX_AGE_DAYS", "FILE_NAME", "Attestation", "AttestationError", "Attestations", "read", "write"]

FILE_NAME = "prodready.toml"
DEFAULT_MAX_AGE_DAYS = 180
_HEADER = "# Who confirmed which checklist item, and when (prodready-lint attest ITEM --by NAME).\n"


class AttestationError(Exception):
    """An attestation file that cannot be read or written."""


@attrs.frozen(slots=True)
class Attestation:
    item: str
    by: str
    date: dt.date
    note: str = ""


@attrs.frozen(slots=True)
class Attestations:
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    entries: tuple[Attestation, ...] = ()
    source: str = ""

    def get(self, slug: str) -> Attestation | None:
        return next((entry for entry in self.entries if entry.item == slug), None)

    def is_stale(self, attestation: Attestation, today: dt.date) -> bool:
        return (today - attestation.date).days > self.max_age_days


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise AttestationError(f"{where}: date must be a date such as 2026-03-02, got {value!r}")


def parse(data: dict, source: str) -> Attestations:
    max_age = data.get("max-age-days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
        raise AttestationError(f"{source}: max-age-days must be a number of days, got {max_age!r}")
    table = data.get("attestations", {})
    if not isinstance(table, dict):
        raise AttestationError(f"{source}: [attestations] must be a table of items")
    entries = []
    for slug, entry in sorted(table.items()):
        where = f"{source}: attestations.{slug}"
        if not isinstance(entry, dict) or not isinstance(entry.get("by"), str) or not entry["by"].strip():
            raise AttestationError(f"{where}: needs 'by' (who confirmed it) and 'date'")
        note = entry.get("note", "")
        entries.append(Attestation(slug, entry["by"].strip(), _date(entry.get("date"), where), str(note)))
    return Attestations(max_age, tuple(entries), source)


def read(path: str | os.PathLike) -> Attestations:
    """The attestations in ``path``; none when the file does not exist."""
    source = os.fsdecode(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Attestations(source=source)
    except OSError as error:
        raise AttestationError(f"cannot read {source}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise AttestationError(f"{source}: not valid TOML: {error}") from None
    return parse(data, source)


def dumps(attestations: Attestations) -> str:
    """A new attestation file holding ``attestations``: the header, ``max-age-days`` and
    one table per item, sorted."""
    document = tomlkit.parse(f"{_HEADER}max-age-days = {attestations.max_age_days}\n")
    for entry in sorted(attestations.entries, key=lambda e: e.item):
        document = _with(document, entry)
    return tomlkit.dumps(document)


def _with(document: tomlkit.TOMLDocument, attestation: Attestation) -> tomlkit.TOMLDocument:
    """``document`` with ``attestation`` recorded: the values of an item already there are
    replaced in place (its comments and position kept), a new item is appended."""
    table = document.get("attestations")
    if table is None:
        table = tomlkit.table(is_super_table=True)
        document["attestations"] = table
    entry = table.get(attestation.item)
    if entry is None:
        entry = tomlkit.table()
        table[attestation.item] = entry
    entry["by"] = attestation.by
    entry["date"] = attestation.date
    if attestation.note:
        entry["note"] = attestation.note
    elif "note" in entry:
        del entry["note"]  # the note described the confirmation this one replaces
    return document


def write(path: str | os.PathLike, attestation: Attestation) -> Attestations:
    """Add or replace one attestation in ``path`` (created when missing), keeping the
    rest of the file (comments, order, formatting, other tables) as it was."""
    source = os.fsdecode(path)
    current = read(path)  # raises on a file that is not a valid attestation file
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise AttestationError(f"cannot read {source}: {getattr(error, 'strerror', None) or error}") from None
    if not text.strip():
        text = f"{_HEADER}max-age-days = {current.max_age_days}\n"
    elif not text.endswith("\n"):
        text += "\r\n" if "\r\n" in text else "\n"
    try:
        updated_text = tomlkit.dumps(_with(tomlkit.parse(text), attestation))
    except (tomlkit.exceptions.TOMLKitError, TypeError, ValueError) as error:
        raise AttestationError(f"{source}: cannot record {attestation.item} in this file: {error}") from None
    # what is written must read back as the file it was plus this attestation
    updated = parse(tomllib.loads(updated_text), source)
    if updated.get(attestation.item) != attestation or len(updated.entries) != len(
        {e.item for e in current.entries} | {attestation.item}
    ):
        raise AttestationError(f"{source}: cannot record {attestation.item} in this file without changing others")
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(updated_text)
    except OSError as error:
        raise AttestationError(f"cannot write {source}: {error.strerror or error}") from None
    return updated
