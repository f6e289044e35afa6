"""Attestations: the checklist items only a person can confirm, read from ``prodready.toml``.

The team keeps the file in the repository::

    # Who confirmed which checklist item, and when (prodready-lint attest ITEM --by NAME).
    max-age-days = 180

    [attestations.on-call]
    by = "Dana Reyes"
    date = 2026-03-02
    note = "PagerDuty rotation payments-primary, escalation to the platform lead"

An attestation older than ``max-age-days`` (180 by default) on the report's date is
stale: the item needs attesting again. ``write`` rewrites the file in this canonical
form (sorted items, no comments but the header), so its diffs stay small.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib

import attrs

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


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def dumps(attestations: Attestations) -> str:
    lines = [_HEADER, f"max-age-days = {attestations.max_age_days}\n"]
    for entry in sorted(attestations.entries, key=lambda e: e.item):
        lines.append(f"\n[attestations.{_string(entry.item)}]\n")
        lines.append(f"by = {_string(entry.by)}\n")
        lines.append(f"date = {entry.date.isoformat()}\n")
        if entry.note:
            lines.append(f"note = {_string(entry.note)}\n")
    return "".join(lines)


def write(path: str | os.PathLike, attestation: Attestation) -> Attestations:
    """Add or replace one attestation in ``path`` (created when missing)."""
    current = read(path)
    entries = (*tuple(e for e in current.entries if e.item != attestation.item), attestation)
    updated = attrs.evolve(current, entries=tuple(sorted(entries, key=lambda e: e.item)))
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(updated))
    except OSError as error:
        raise AttestationError(f"cannot write {os.fsdecode(path)}: {error.strerror or error}") from None
    return updated
