"""Which waiting cases a message is for, and which stored message a newly waiting case gets.

A message names its case by the case id, the case number, or a key the case registered from
its data (an element's `correlationKey`). One that finds no waiting case is stored until it
expires; a step that opens a wait looks here first, so the order of arrival does not matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.persistence.claims import claimable
from engine.persistence.models import Case, MessageWait, StoredMessage
from engine.persistence.models.base import joined
from engine.vocabulary import MessageStatus

_CANDIDATES = 20


@dataclass(frozen=True)
class Mail:
    """A message to hand to some of one case's waiting tasks."""

    name: str
    payload: dict[str, object]
    task_ids: frozenset[str]
    element_id: str


def waits_for(session: Session, name: str, key: str) -> list[MessageWait]:
    """Every wait the message (name, key) matches, across cases, oldest case first."""
    query = (
        select(MessageWait)
        .join(Case, Case.id == MessageWait.case_id)
        .where(
            MessageWait.name == name,
            or_(MessageWait.correlation_key == key, Case.id == key, Case.number == key),
        )
        .order_by(Case.created_at, MessageWait.id)
    )
    return list(session.scalars(query))


def matches(wait: MessageWait, case: Case, key: str) -> bool:
    return key in (wait.correlation_key, case.id, case.number)


def take_stored(session: Session, case: Case, waits: Sequence[MessageWait], now: datetime) -> Mail | None:
    """The oldest unexpired stored message for one of `waits`, marked delivered to `case`."""
    keys = {case.id, case.number} | {w.correlation_key for w in waits if w.correlation_key}
    query = (
        select(StoredMessage)
        .where(
            StoredMessage.status == MessageStatus.WAITING,
            StoredMessage.name.in_({w.name for w in waits}),
            StoredMessage.correlation_key.in_(keys),
            StoredMessage.expires_at > now,
        )
        .order_by(StoredMessage.received_at, StoredMessage.id)
        .limit(_CANDIDATES)
    )
    for message in session.scalars(claimable(session, query)):
        targets = [w for w in waits if w.name == message.name and matches(w, case, message.correlation_key)]
        if targets:
            mark_delivered(message, [case.id], now)
            return Mail(
                message.name,
                dict(message.payload),
                frozenset(w.task_id for w in targets),
                targets[0].element_id,
            )
    return None


def mark_delivered(message: StoredMessage, case_ids: Sequence[str], now: datetime) -> None:
    message.status, message.delivered_at, message.case_ids = MessageStatus.DELIVERED, now, joined(case_ids)
