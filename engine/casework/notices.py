"""The notices a step calls for: who hears of a return, a closed case, an escalation, an incident.

Who hears what:
- the applicant, when a reviewer returns the case for supplement (with what is missing) and when
  the case is completed (and by mail when the case data has an `email`);
- the posts of the region, when a boundary timer fires on a task (an overdue review escalated:
  the posts of the tasks it opened, else of the tasks still open);
- the region's administrators, when a step fails (an incident they can retry).

A notice to a post or role is one row the whole post sees, and reading it marks it read for all;
reading and mailing them are the use cases of engine/services/notifications.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict

from engine.actors import Role
from engine.bpmn import ParsedProcess
from engine.casework.happenings import Happening
from engine.persistence.models import Case, HumanTask
from engine.vocabulary import Audience, NoticeKind, Outcome, TimelineKind

_OUTCOME_WORDS = {Outcome.APPROVED: "准予", Outcome.REJECTED: "不予"}  # the notice's subject


class NoticeRow(TypedDict):
    """A new notice, as the journal writes it (every key present: rows go out together)."""

    recipient_kind: Audience
    recipient: str
    org_code: str
    case_id: str
    kind: NoticeKind
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
    address: str | None
    sent_at: datetime | None
    send_attempts: int
    next_send_at: datetime | None
    last_error: str | None


def notices_for_step(
    case: Case, parsed: ParsedProcess, events: Sequence[Happening], opened: Sequence[HumanTask], now: datetime
) -> list[NoticeRow]:
    """The notices one step's happenings call for, as rows for the unit of work's journal."""
    notices: list[NoticeRow] = []
    for event in events:
        info = parsed.element(event.activity or "")
        if event.kind == TimelineKind.TIMER and info is not None and info.kind == "boundaryEvent":
            notices += _escalation(case, info.name, opened or case.tasks, now)
        elif event.kind == TimelineKind.COMPLETED:
            outcome = _OUTCOME_WORDS.get(case.outcome) if case.outcome else None
            subject = f"您的申请 {case.number} 已办结" + (f"（{outcome}）" if outcome else "")
            notices.append(_to_applicant(case, NoticeKind.CASE_COMPLETED, subject, now))
    return notices


def returned_notice(case: Case, step: str, missing: str, now: datetime) -> NoticeRow:
    """The applicant is told what the reviewer at `step` asks them to supply."""
    return _to_applicant(
        case, NoticeKind.CASE_RETURNED, f"您的申请 {case.number} 需要补正（{step}）", now, missing
    )


def incident_notice(case: Case, element: str, message: str, now: datetime) -> NoticeRow:
    return _notice(
        Audience.ROLE,
        Role.ADMIN.value,
        case,
        NoticeKind.INCIDENT,
        f"案件 {case.number} 在 {element} 出错，待重试",
        message,
        now,
    )


def _escalation(case: Case, where: str, tasks: Sequence[HumanTask], now: datetime) -> list[NoticeRow]:
    posts = sorted({post for task in tasks for post in task.posts})
    subject = f"案件 {case.number} 已超期（{where}），请及时处理"
    return [_notice(Audience.POST, post, case, NoticeKind.ESCALATED, subject, "", now) for post in posts]


def _to_applicant(case: Case, kind: NoticeKind, subject: str, now: datetime, body: str = "") -> NoticeRow:
    notice = _notice(Audience.ACCOUNT, case.applicant_id, case, kind, subject, body, now)
    email = case.data.get("email")
    if isinstance(email, str) and "@" in email:
        notice["address"], notice["next_send_at"] = email, now
    return notice


def _notice(
    recipient_kind: Audience,
    recipient: str,
    case: Case,
    kind: NoticeKind,
    subject: str,
    body: str,
    now: datetime,
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
