"""Rows that are only ever appended — timeline entries and notices — written in bulk.

A step records a few timeline entries and notices for each case it touches, and the worker
steps hundreds of cases in one transaction. These rows are never changed or read back in the
transaction that writes them, so ORM objects (identity, change tracking, primary keys fetched
back) would cost more than the step itself. They are gathered here as plain values and written
with one INSERT per table when the unit of work flushes (bench/README.md has the figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from engine.persistence.models import Base

_KEY = "journal"


class Journal:
    """The append-only rows of one unit of work, by table, in the order they were recorded."""

    def __init__(self) -> None:
        self._rows: dict[Table, list[Mapping[str, Any]]] = {}

    def append(self, model: type[Base], rows: Iterable[Mapping[str, Any]]) -> None:
        table = model.__table__
        assert isinstance(table, Table)
        self._rows.setdefault(table, []).extend(rows)

    def write(self, session: Session) -> None:
        """Insert what was recorded (after the ORM flush, so the cases it names exist)."""
        for table, rows in self._rows.items():
            if rows:
                session.execute(insert(table), list(rows))
        self._rows.clear()


def journal(session: Session) -> Journal:
    """The journal of the session's unit of work, created on first use."""
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Journal()
    assert isinstance(found, Journal)
    return found


def write_journal(session: Session) -> None:
    """Write the session's journal, if anything was recorded in it."""
    found = session.info.get(_KEY)
    if isinstance(found, Journal):
        found.write(session)


def discard_journal(session: Session) -> None:
    """Forget what was recorded: the transaction it belonged to was rolled back."""
    session.info.pop(_KEY, None)
