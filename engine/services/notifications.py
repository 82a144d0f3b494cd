"""Notices at key steps: the in-app inbox, and mail through a pluggable sender.

Who hears what:
- the applicant, when a reviewer returns the case for supplement (with what is missing) and when
  the case is completed (and by mail when the case data has an `email`);
- the posts of the region, when a boundary timer fires on a task (an overdue review escalated:
  the posts of the tasks it opened, else of the tasks still open);
- the region's administrators, when a step fails (an incident they can retry).

A notice to a post or role is one row the whole post sees, and reading it marks it read for all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from sqlalchemy import ColumnElement, and_, func, or_, select

from engine import Engine
from engine.actors import Actor, Role
from engine.bpmn import ParsedProcess
from engine.errors import NotFound
from engine.mail import OutgoingMail, Sender
from engine.persistence.claims import claimable
from engine.persistence.models import Case, HumanTask, Notification
from engine.services.happenings import Happening
from engine.services.permissions import region_prefix

log = logging.getLogger(__name__)
PAGE_SIZE = 20
MAIL_ATTEMPTS = 5
MAIL_BACKOFF = timedelta(minutes=1)


class NoticeRow(TypedDict):
    """A new notice, as the journal writes it (every key present: rows go out together)."""

    recipient_kind: str
    recipient: str
    org_code: str
    case_id: str
    kind: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
    address: str | None
    sent_at: datetime | None
    send_attempts: int
    next_send_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    subject: str
    body: str
    case_id: str | None
    created_at: datetime
    read_at: datetime | None


def notices_for_step(
    case: Case, parsed: ParsedProcess, events: Sequence[Happening], opened: Sequence[HumanTask], now: datetime
) -> list[NoticeRow]:
    """The notices one step's happenings call for, as rows for the unit of work's journal."""
    notices: list[NoticeRow] = []
    for event in events:
        info = parsed.element(event.activity or "")
        if event.kind == "timer" and info is not None and info.kind == "boundaryEvent":
            notices += _escalation(case, info.name, opened or case.tasks, now)
        elif event.kind == "completed":
            outcome = {"approved": "准予", "rejected": "不予"}.get(case.outcome or "", "")
            subject = f"您的申请 {case.number} 已办结" + (f"（{outcome}）" if outcome else "")
            notices.append(_to_applicant(case, "case_completed", subject, now))
    return notices


def returned_notice(case: Case, step: str, missing: str, now: datetime) -> NoticeRow:
    """The applicant is told what the reviewer at `step` asks them to supply."""
    return _to_applicant(case, "case_returned", f"您的申请 {case.number} 需要补正（{step}）", now, missing)


def incident_notice(case: Case, element: str, message: str, now: datetime) -> NoticeRow:
    return _notice(
        "role",
        Role.ADMIN.value,
        case,
        "incident",
        f"案件 {case.number} 在 {element} 出错，待重试",
        message,
        now,
    )


def _escalation(case: Case, where: str, tasks: Sequence[HumanTask], now: datetime) -> list[NoticeRow]:
    posts = sorted({post for task in tasks for post in task.candidate_groups.split(",") if post})
    subject = f"案件 {case.number} 已超期（{where}），请及时处理"
    return [_notice("post", post, case, "escalated", subject, "", now) for post in posts]


def _to_applicant(case: Case, kind: str, subject: str, now: datetime, body: str = "") -> NoticeRow:
    notice = _notice("account", case.applicant_id, case, kind, subject, body, now)
    email = case.data.get("email")
    if isinstance(email, str) and "@" in email:
        notice["address"], notice["next_send_at"] = email, now
    return notice


def _notice(
    recipient_kind: str, recipient: str, case: Case, kind: str, subject: str, body: str, now: datetime
) -> NoticeRow:
    return NoticeRow(
        recipient_kind=recipient_kind,
        recipient=recipient,
        org_code=case.org_code,
        case_id=case.id,
        kind=kind,
        subject=subject[:255],
        body=body,
        created_at=now,
        read_at=None,
        address=None,
        sent_at=None,
        send_attempts=0,
        next_send_at=None,
        last_error=None,
    )


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
            raise NotFound("no such notification")
        row.read_at = row.read_at or engine.clock.now()
        uow.commit()
        return _view(row)


def _addressed_to(actor: Actor) -> ColumnElement[bool]:
    in_region = Notification.org_code.startswith(region_prefix(actor.org_code), autoescape=True)
    return or_(
        and_(Notification.recipient_kind == "account", Notification.recipient == actor.id),
        and_(Notification.recipient_kind == "post", Notification.recipient.in_(actor.posts), in_region),
        and_(Notification.recipient_kind == "role", Notification.recipient.in_(actor.roles), in_region),
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
