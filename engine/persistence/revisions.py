"""Optimistic locking of cases, checked once per flush for every changed case.

Each case row carries a `revision`. A writer that read revision r may save only if the row still
has r, and its save makes it r + 1; a second writer that read r gets StaleDataError (Conflict,
HTTP 409) and nothing of its step is written.

SQLAlchemy's `version_id_col` does the same with one UPDATE per row, because it must read each
row count; the worker saves hundreds of cases in one transaction. Here the revisions of all the
changed cases are checked with one SELECT before the flush — `FOR UPDATE` on PostgreSQL, so no
other writer can slip in between the check and the write (SQLite has one writer at a time) — and
the UPDATEs then go out together as one executemany.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.persistence.models import Case


def guard_revisions(factory: sessionmaker[Session]) -> None:
    """Check and bump the revision of every changed case on each flush of the factory's sessions."""
    event.listen(factory, "before_flush", _check_and_bump)


def _check_and_bump(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    changed = [
        case
        for case in session.dirty
        if isinstance(case, Case) and session.is_modified(case, include_collections=False)
    ]
    if not changed:
        return
    read = {case.id: inspect(case).attrs.revision.loaded_value for case in changed}
    query = select(Case.id, Case.revision).where(Case.id.in_(read))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    stored = dict(session.execute(query).tuples().all())
    stale = sorted(case_id for case_id, revision in read.items() if stored.get(case_id) != revision)
    if stale:
        raise StaleDataError(f"case {stale[0]} was changed since it was read")
    for case in changed:
        case.revision = read[case.id] + 1
