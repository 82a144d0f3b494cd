"""A case's timeline: what happened, when and by whom — the history applicants track.

Entries are only ever appended, through the unit of work's journal, and read back with one
query; use cases record them here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework.happenings import Happening
from engine.persistence.journal import journal
from engine.persistence.models import TimelineEvent
from engine.views import TimelineEntry
from engine.vocabulary import TimelineKind


def record(session: Session, case_id: str, at: datetime, happenings: Iterable[Happening]) -> None:
    """Append the happenings to the case's timeline when the unit of work flushes."""
    journal(session).append(
        TimelineEvent,
        (
            {
                "case_id": case_id,
                "at": at,
                "kind": h.kind,
                "activity": h.activity,
                "activity_name": h.activity_name,
                "actor": h.actor,
                "note": h.note,
                "decision": h.decision,
                "comment": h.comment,
                "outcome": h.outcome,
                "fields": list(h.fields) if h.fields is not None else None,
            }
            for h in happenings
        ),
    )


def entries(session: Session, case_id: str) -> tuple[TimelineEntry, ...]:
    """The case's timeline, oldest first, as written so far."""
    rows = session.execute(
        select(
            TimelineEvent.at,
            TimelineEvent.kind,
            TimelineEvent.activity,
            TimelineEvent.activity_name,
            TimelineEvent.actor,
            TimelineEvent.note,
            TimelineEvent.decision,
            TimelineEvent.comment,
            TimelineEvent.outcome,
            TimelineEvent.fields,
        )
        .where(TimelineEvent.case_id == case_id)
        .order_by(TimelineEvent.id)
    )
    return tuple(
        TimelineEntry(**{**row._asdict(), "comment": row.comment or "", "fields": tuple(row.fields or ())})
        for row in rows
    )


def any_decision(session: Session, case_id: str) -> bool:
    """Whether a reviewer has decided any task of the case."""
    found = select(TimelineEvent.id).where(
        TimelineEvent.case_id == case_id, TimelineEvent.kind == TimelineKind.DECIDED
    )
    return session.scalar(found.limit(1)) is not None
