"""Messages from other systems: correlate one to the cases waiting for it, or keep it for later.

`correlate_message` is what `POST /api/v1/messages` calls: a tax or bank system confirming a
payment, another region confirming a pension transfer. The message wakes every case waiting for
its name whose id, number or registered key equals the correlation key, and its payload joins
each case's data. If none waits, it is kept for `message_ttl_days` and delivered the moment a
case starts waiting for it (progress.py); the worker also sweeps kept messages against waits
(closing the race with a case that started waiting while the message was being stored) and
marks those that expire, with a warning in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import Engine
from engine.actors import Actor, Role
from engine.casework import audit_trail
from engine.casework.happenings import Happening
from engine.casework.mailbox import Mail, mark_delivered, matches, waits_for
from engine.casework.progress import STEP_LOADS, advance_case, delivering
from engine.errors import ErrorCode, Forbidden, InputInvalid
from engine.persistence.claims import claimable
from engine.persistence.models import Case, MessageWait, StoredMessage
from engine.persistence.uow import UnitOfWork
from engine.views import MessageReceipt
from engine.vocabulary import MessageStatus, TimelineKind

log = logging.getLogger(__name__)
MAX_NAME = 255


def correlate_message(
    engine: Engine, actor: Actor, *, name: str, correlation_key: str, payload: Mapping[str, Any]
) -> MessageReceipt:
    """Deliver a message to the waiting cases it names, in one transaction, or keep it."""
    if Role.SYSTEM not in actor.roles:
        raise Forbidden("only systems (the system role) may send messages", code=ErrorCode.SYSTEMS_ONLY)
    if not name or not correlation_key or len(name) > MAX_NAME or len(correlation_key) > MAX_NAME:
        raise InputInvalid(
            "a message needs a name and a correlation key of up to 255 characters",
            code=ErrorCode.MESSAGE_INVALID,
        )
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        message = _store(uow.session, engine, actor, name, correlation_key, payload, now)
        delivered = _deliver(engine, uow.session, message, now)
        audit_trail.record(
            uow,
            engine,
            actor,
            "message.receive",
            subject_type="message",
            subject_id=str(message.id),
            detail={"name": name, "key": correlation_key, "cases": delivered},
        )
        uow.commit()
        return MessageReceipt(message.id, message.status, tuple(delivered), message.expires_at)


def _store(
    session: Session,
    engine: Engine,
    actor: Actor,
    name: str,
    key: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> StoredMessage:
    message = StoredMessage(
        name=name,
        correlation_key=key,
        payload=dict(payload),
        sender=actor.id,
        status=MessageStatus.WAITING,
        received_at=now,
        expires_at=now + timedelta(days=engine.settings.message_ttl_days),
        delivered_at=None,
        case_ids="",
    )
    session.add(message)
    session.flush()
    return message


def _deliver(engine: Engine, session: Session, message: StoredMessage, now: datetime) -> list[str]:
    """Step every open case waiting for the message; mark it delivered if any was."""
    waits = waits_for(session, message.name, message.correlation_key)
    case_ids = list(dict.fromkeys(wait.case_id for wait in waits))
    if not case_ids:
        return []
    locked = claimable(session, select(Case).where(Case.id.in_(case_ids)), of=Case)
    delivered = []
    for case in session.scalars(locked.options(*STEP_LOADS)):
        targets = [
            w
            for w in case.message_waits
            if w.name == message.name and matches(w, case, message.correlation_key)
        ]
        if case.status.is_open and targets:
            _step(engine, case, message, targets)
            delivered.append(case.id)
    if delivered:
        mark_delivered(message, delivered, now)
    return delivered


def _step(engine: Engine, case: Case, message: StoredMessage, targets: list[MessageWait]) -> None:
    mail = Mail(
        message.name, dict(message.payload), frozenset(w.task_id for w in targets), targets[0].element_id
    )
    version = case.version
    advance_case(
        engine,
        case,
        delivering(engine.parsed(version), case.state, mail),
        [Happening(TimelineKind.MESSAGE, message.sender, note=message.name, activity=mail.element_id)],
    )


def sweep_stored_messages(engine: Engine, *, limit: int = 100) -> int:
    """Deliver kept messages whose case has started waiting; expire the old ones. Returns how
    many were delivered."""
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        _expire(uow, now)
        waiting = (
            select(StoredMessage)
            .where(StoredMessage.status == MessageStatus.WAITING, StoredMessage.expires_at > now)
            .where(select(MessageWait.id).where(MessageWait.name == StoredMessage.name).exists())
            .order_by(StoredMessage.received_at)
            .limit(limit)
        )
        delivered = sum(
            bool(_deliver(engine, uow.session, message, now))
            for message in uow.session.scalars(claimable(uow.session, waiting))
        )
        uow.commit()
    return delivered


def _expire(uow: UnitOfWork, now: datetime) -> None:
    expired = uow.session.execute(
        update(StoredMessage)
        .where(StoredMessage.status == MessageStatus.WAITING, StoredMessage.expires_at <= now)
        .values(status=MessageStatus.EXPIRED)
        .returning(StoredMessage.id, StoredMessage.name, StoredMessage.correlation_key)
    ).all()
    for message_id, name, key in expired:
        log.warning("message %s (%s, key %s) expired: no case waited for it", message_id, name, key)


__all__ = ["correlate_message", "sweep_stored_messages"]
