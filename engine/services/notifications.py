"""The in-app inbox and mail: reading one's notices, marking them read, mailing those due.

Which step writes which notice is engine/casework/notices.py. A notice to a post or role is one
row the whole post sees, and reading it marks it read for all.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from engine import Engine
from engine.actors import Actor
from engine.casework.permissions import region_prefix
from engine.errors import ErrorCode, NotFound
from engine.mail import OutgoingMail, Sender
from engine.persistence.claims import claimable
from engine.persistence.models import Notification
from engine.views import NotificationView
from engine.vocabulary import Audience

log = logging.getLogger(__name__)
PAGE_SIZE = 20
MAIL_ATTEMPTS = 5
MAIL_BACKOFF = timedelta(minutes=1)


def list_notifications(
    engine: Engine, actor: Actor, *, unread: bool = False, page: int = 1
) -> list[NotificationView]:
    """The actor's inbox, newest first: their own notices and those of their posts and roles."""
    query = select(Notification).where(_addressed_to(actor))
    if unread:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc())
    query = query.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    with engine.unit_of_work(immediate=False) as uow:
        return [_view(row) for row in uow.session.scalars(query)]


def count_unread(engine: Engine, actor: Actor) -> int:
    """How many of the actor's notices are unread, for the badge next to their name."""
    query = select(func.count()).select_from(Notification)
    query = query.where(_addressed_to(actor), Notification.read_at.is_(None))
    with engine.unit_of_work(immediate=False) as uow:
        return uow.session.scalar(query) or 0


def mark_read(engine: Engine, actor: Actor, notification_id: int) -> NotificationView:
    with engine.unit_of_work() as uow:
        row = uow.session.scalar(
            select(Notification).where(Notification.id == notification_id, _addressed_to(actor))
        )
        if row is None:
            raise NotFound("no such notification", code=ErrorCode.NOTIFICATION_NOT_FOUND)
        row.read_at = row.read_at or engine.clock.now()
        uow.commit()
        return _view(row)


def _addressed_to(actor: Actor) -> ColumnElement[bool]:
    in_region = Notification.org_code.startswith(region_prefix(actor.org_code), autoescape=True)
    return or_(
        and_(Notification.recipient_kind == Audience.ACCOUNT, Notification.recipient == actor.id),
        and_(
            Notification.recipient_kind == Audience.POST, Notification.recipient.in_(actor.posts), in_region
        ),
        and_(
            Notification.recipient_kind == Audience.ROLE, Notification.recipient.in_(actor.roles), in_region
        ),
    )


def _view(row: Notification) -> NotificationView:
    return NotificationView(row.id, row.kind, row.subject, row.body, row.case_id, row.created_at, row.read_at)


def send_due_mail(engine: Engine, sender: Sender, *, limit: int = 50) -> int:
    """Mail the notices that have an address; a failure is retried later, a few times."""
    now = engine.clock.now()
    with engine.unit_of_work() as uow:
        due = select(Notification).where(Notification.next_send_at <= now).order_by(Notification.next_send_at)
        rows = list(uow.session.scalars(claimable(uow.session, due.limit(limit))))
        for row in rows:
            _send(sender, row, now)
        uow.commit()
    return len(rows)


def _send(sender: Sender, row: Notification, now: datetime) -> None:
    row.send_attempts += 1
    try:
        sender.send(OutgoingMail(to=row.address or "", subject=row.subject, body=row.body or row.subject))
    except OSError as exc:
        row.last_error = f"{type(exc).__name__}: {exc}"
        give_up = row.send_attempts >= MAIL_ATTEMPTS
        row.next_send_at = None if give_up else now + MAIL_BACKOFF * 2 ** (row.send_attempts - 1)
        log.warning("mail to %s for notification %s failed: %s", row.address, row.id, row.last_error)
        return
    row.sent_at, row.next_send_at, row.last_error = now, None, None
